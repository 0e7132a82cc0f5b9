"""`audio-edition spoken`: what narrate would give the engine, one sentence a line, without
speaking."""

from __future__ import annotations

import json

from audio_edition import narrate

PIECE = (
    "# Notes on Rope\n\n"
    "We paid $12.50 for 2 ropes. Dr. Smith agreed!\n\n"
    "```\nprint('code')\n```\n\n"
    "Acme's gizmo came on 2021-03-04."
)


def test_spoken_prints_each_sentence_as_the_engine_gets_it(run_cli, write_text, tmp_path):
    write_text("notes.md", PIECE)
    write_text("words.toml", 'gizmo = "gadget"\n')
    done = run_cli("spoken", "notes.md", "--lexicon", "words.toml")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    assert done.stdout.decode().split("\n\n") == [
        "Notes on Rope",
        "We paid twelve dollars and fifty cents for two ropes.\nDoctor Smith agreed!",
        "Acme's gadget came on March fourth, twenty twenty-one.\n",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md", "words.toml"]


def test_spoken_is_what_narrate_speaks(run_cli, write_text, tmp_path):
    source = write_text("notes.md", PIECE)
    edition = narrate(source, tmp_path / "notes.wav", engine="fake")
    expected = "\n\n".join(
        "\n".join(sentence.spoken for sentence in paragraph.sentences)
        for paragraph in edition.document.paragraphs
    )
    assert run_cli("spoken", "notes.md").stdout.decode() == expected + "\n"


def test_spoken_takes_the_reading_options_and_standard_input(run_cli, write_text):
    write_text("notes.md", PIECE)
    with_code = run_cli("spoken", "notes.md", "--read-code").stdout.decode()
    assert "print" in with_code and "print" not in run_cli("spoken", "notes.md").stdout.decode()
    french = run_cli("spoken", "-", "--lang", "fr", stdin=b"Il a 21 ans.")
    assert french.stdout.decode() == "Il a vingt et un ans.\n"


def test_spoken_of_nothing_is_one_line_and_exit_1(run_cli):
    done = run_cli("spoken", "-", stdin=b"")
    assert done.returncode == 1
    assert done.stdout == b""
    assert done.stderr.decode().splitlines() == [
        "audio-edition: error: standard input has no text to narrate (it is empty or has no words)"
    ]


def test_a_word_given_in_ipa_shows_its_respelling_and_its_ipa(run_cli, write_text, tmp_path):
    write_text("words.toml", 'Nguyen = { say = "Win", ipa = "ŋwˈɪn" }\n')
    write_text("a.txt", "Dr. Nguyen spoke.")
    result = run_cli("spoken", "a.txt", "--lexicon", "words.toml")
    assert result.stdout.decode() == "Doctor Win /ŋwˈɪn/ spoke.\n"
    narrated = run_cli("narrate", "a.txt", "--lexicon", "words.toml", "--engine", "fake",
                       "-o", "a.wav", "--manifest")  # fmt: skip
    assert narrated.returncode == 0, narrated.stderr
    manifest = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert manifest["paragraphs"][0]["spoken"] == "Doctor Win spoke."  # fake takes no IPA


def test_spoken_shows_who_says_what_with_a_cast(run_cli, write_text):
    write_text("story.txt", "“I'm here,” said Ann. “Let's go.”\n\nShe left.\n")
    write_text("cast.toml", 'Ann = "fake"\n')
    done = run_cli("spoken", "story.txt", "--cast", "cast.toml")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode() == (
        "[Ann] I'm here, [narrator] said Ann.\n[Ann] Let's go.\n\nShe left.\n"
    )
    plain = run_cli("spoken", "story.txt").stdout.decode()
    assert plain == "I'm here, said Ann.\nLet's go.\n\nShe left.\n"
