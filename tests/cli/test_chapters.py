"""`--chapters` narrates the chapters chosen (numbers, ranges, titles; a part brings its
chapters), `--list-chapters` lists them, nested, with words and estimated length."""

from __future__ import annotations

import json

import pytest

from tests.shape.test_nested_chapters import BOOK

PARAGRAPHS = {
    1: ["Part One", "The first part begins here."],
    2: ["The Red Room", "A red room. It was warm."],
    3: ["The Chair", "A chair stood by the fire."],
    4: ["The Blue Room", "A blue room, and cold."],
    5: ["Part Two", "The second part is short."],
}


@pytest.fixture(autouse=True)
def _book(write_text):
    write_text("book.md", BOOK)


def narrated(run_cli, tmp_path, *args: str) -> list[str]:
    """The paragraphs `narrate book.md ARGS` speaks, from its manifest."""
    done = run_cli("narrate", "book.md", "-o", "book.mp3", "--engine", "fake", "--manifest",
                   "-f", *args)  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    manifest = json.loads((tmp_path / "book.json").read_text(encoding="utf-8"))
    return [paragraph["text"] for paragraph in manifest["paragraphs"]]


def chapters(*numbers: int) -> list[str]:
    return [text for number in numbers for text in PARAGRAPHS[number]]


@pytest.mark.parametrize(
    ("choice", "numbers"),
    [
        ("2-3,5", (2, 3, 5)),
        ("4", (4,)),
        ("the  RED room", (2, 3)),  # a title, case and spacing aside: with the chapter in it
        ("1", (1, 2, 3, 4)),  # a part brings its chapters
        ("The Blue Room,5", (4, 5)),
    ],
)
def test_narrate_speaks_exactly_the_chapters_chosen(run_cli, tmp_path, choice, numbers):
    assert narrated(run_cli, tmp_path, "--chapters", choice) == chapters(*numbers)


def test_the_chosen_chapters_are_the_file_s_chapters(run_cli, tmp_path):
    narrated(run_cli, tmp_path, "--chapters", "3-4")
    manifest = json.loads((tmp_path / "book.json").read_text(encoding="utf-8"))
    assert [(c["title"], c["level"], c["parent"]) for c in manifest["chapters"]] == [
        ("The Chair", 1, None), ("The Blue Room", 1, None)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ("6", "--chapters: '6' is not among the chapters, 1 to 5"),
        ("0", "--chapters: '0' is not among the chapters, 1 to 5"),
        ("4-2", "--chapters: '4-2' is not among the chapters, 1 to 5"),
        ("2,,3", "--chapters: an empty item"),
        ("The Green Room", "--chapters: no chapter is titled 'The Green Room'"),
    ],
)
def test_a_choice_that_names_nothing_or_is_malformed_is_one_line(run_cli, choice, message):
    done = run_cli("narrate", "book.md", "--engine", "fake", "--chapters", choice)
    assert done.returncode == 2
    assert done.stderr.decode().startswith(f"audio-edition: error: {message}")
    assert done.stderr.count(b"\n") == 1


LISTED = """\
1  Part One  (7 words, 0:04)
2    The Red Room  (9 words, 0:05)
3      The Chair  (8 words, 0:05)
4    The Blue Room  (8 words, 0:05)
5  Part Two  (7 words, 0:04)
"""
"""At 160 words a minute, with a pause of 300 ms after a sentence and 900 ms after a
paragraph: The Chair is 8 words (3.0 s) and 2 paragraphs of a sentence (1.8 s)."""


def test_list_chapters_prints_the_nested_list_without_synthesizing(run_cli, tmp_path):
    done = run_cli("narrate", "book.md", "--engine", "fake", "--list-chapters")
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.decode() == LISTED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.md"]  # nothing written
    spoken = run_cli("spoken", "book.md", "--list-chapters")
    assert (spoken.returncode, spoken.stdout.decode()) == (0, LISTED)


def test_list_chapters_estimates_at_the_rate_and_shows_the_chosen(run_cli):
    slow = run_cli("spoken", "book.md", "--list-chapters", "--rate", "60", "--chapters", "4-5")
    assert (slow.returncode, slow.stderr) == (0, b"")
    assert slow.stdout.decode() == (
        "4    The Blue Room  (8 words, 0:10)\n5  Part Two  (7 words, 0:09)\n"
    )


def test_spoken_prints_only_the_chapters_chosen(run_cli):
    done = run_cli("spoken", "book.md", "--chapters", "Part Two")
    assert (done.returncode, done.stdout.decode()) == (0, "Part Two\n\nThe second part is short.\n")
