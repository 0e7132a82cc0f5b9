"""Markdown front matter (YAML or TOML): the fields an edition uses, and hostile blocks that are
ignored with one warning instead of taking forever, growing huge or ending in a traceback."""

from __future__ import annotations

import logging

import pytest

from audio_edition.readers import read
from audio_edition.readers.front_matter import MAX_FIELD_CHARS, MAX_FRONT_MATTER_DEPTH


def laughs() -> str:
    """The alias bomb of issue #23 (as YAML lines): nine copies of the level below at each
    of nine levels, and the title the top one."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for below, level in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{level}: &{level} [{','.join([f'*{below}'] * 9)}]")
    return "\n".join([*lines, "title: *i"])


def read_warned(tmp_path, caplog, text: str):
    """The manuscript of a Markdown file holding `text`, and the warnings logged reading it."""
    path = tmp_path / "post.md"
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        manuscript = read(path)
    return manuscript, [record.getMessage() for record in caplog.records]


@pytest.mark.timeout(60)
def test_alias_bomb_is_ignored_in_one_line_at_once(run_cli, tmp_path):
    """Without the limit, this runs for ever while its memory grows past 3 GB."""
    (tmp_path / "bomb.md").write_text(f"---\n{laughs()}\n---\n\nHello world.\n", encoding="utf-8")
    result = run_cli("spoken", "bomb.md")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().split() == ["Hello", "world."]
    warning = "bomb.md: front matter ignored: an alias of a list or mapping (*a), line 3"
    assert result.stderr.decode().splitlines() == [f"audio-edition: {warning}"]


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "front_matter, problem",
    [
        (laughs(), "an alias of a list or mapping (*a), line 3"),
        ("a: &a {x: 1}\nb:\n  <<: *a\ntitle: T", "an alias of a list or mapping (*a), line 4"),
        ("title: " + "[" * 5000 + "]" * 5000, f"nesting deeper than {MAX_FRONT_MATTER_DEPTH}"),
        ("id: !!int " + "9" * 5000, "Exceeds the limit (4300 digits)"),
        ("date: !!timestamp 2024-13-45", "month must be in 1..12"),
        ("title: [unclosed", "not valid YAML: expected ',' or ']'"),
    ],
    ids=["laughs", "merge", "deep", "huge-int", "bad-date", "invalid"],
)  # fmt: skip
def test_hostile_yaml_front_matter_is_ignored_with_one_warning(
    tmp_path, caplog, front_matter, problem
):
    manuscript, warnings = read_warned(tmp_path, caplog, f"---\n{front_matter}\n---\n\nHello.\n")
    assert manuscript.title is None
    assert [block for s in manuscript.sections for block in s.blocks] == ["Hello."]
    assert len(warnings) == 1 and warnings[0].startswith(f"{tmp_path / 'post.md'}: front matter "
                                                         "ignored: ")  # fmt: skip
    assert problem in warnings[0] and "\n" not in warnings[0]


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "front_matter, problem",
    [
        ("title = " + "[" * 5000 + "]" * 5000, "nesting too deep"),
        ("title = " + "{a=" * 3000 + "1" + "}" * 3000, "nesting too deep"),
        ("id = " + "9" * 5000, "not valid TOML: Exceeds the limit (4300 digits)"),
        ("title = ", "not valid TOML: Invalid value"),
    ],
    ids=["deep-array", "deep-table", "huge-int", "invalid"],
)
def test_hostile_toml_front_matter_is_ignored_with_one_warning(
    tmp_path, caplog, front_matter, problem
):
    manuscript, warnings = read_warned(tmp_path, caplog, f"+++\n{front_matter}\n+++\n\nHello.\n")
    assert manuscript.title is None
    assert len(warnings) == 1 and problem in warnings[0] and "\n" not in warnings[0]


def test_values_stay_as_written_and_aliases_of_text_work(tmp_path, caplog):
    manuscript, warnings = read_warned(
        tmp_path, caplog,
        "---\ntitle: On\nauthor: &me Ann Lee\nsummary: *me\nlang: no\ndate: 2024-05-01T10:00Z\n"
        "id: 0x1F\n---\n\nHello.\n",
    )  # fmt: skip
    assert warnings == []
    assert (manuscript.title, manuscript.author, manuscript.summary) == ("On", "Ann Lee", "Ann Lee")
    assert (manuscript.language, manuscript.date, manuscript.identifier) == (
        "no", "2024-05-01T10:00Z", "0x1F",
    )  # fmt: skip


@pytest.mark.parametrize(
    "field, value, problem",
    [
        ("title", "[Part, One]", "'title' ignored: it is not a single value"),
        ("title", "{text: Hi}", "'title' ignored: it is not a single value"),
        ("summary", "x" * (MAX_FIELD_CHARS + 1), f"longer than {MAX_FIELD_CHARS} characters"),
        ("author", "[[Ann], Bob]", "'author' ignored: it is not a name or a list of names"),
        ("authors", "[{name: [Ann]}]", "'authors' ignored: it is not a name or a list of names"),
    ],
)
def test_a_field_of_another_shape_is_ignored_with_a_warning(
    tmp_path, caplog, field, value, problem
):
    manuscript, warnings = read_warned(
        tmp_path, caplog, f"---\n{field}: {value}\nlang: fr\n---\n\nHello.\n"
    )
    assert (manuscript.title, manuscript.author, manuscript.summary) == (None, None, None)
    assert manuscript.language == "fr"  # the other fields are read
    assert len(warnings) == 1 and problem in warnings[0]


def test_names_as_a_list_or_mappings(tmp_path, caplog):
    manuscript, warnings = read_warned(
        tmp_path, caplog, "---\nauthors: [{name: Ann}, Bob, ~]\n---\n\nHello.\n"
    )
    assert (manuscript.author, warnings) == ("Ann, Bob", [])


@pytest.mark.parametrize("fence", ["---", "+++"])
def test_front_matter_past_its_size_limit_is_ignored_unparsed(tmp_path, caplog, fence):
    from audio_edition.readers.front_matter import MAX_FRONT_MATTER_CHARS

    line = "k: v\n" if fence == "---" else "k = 'v'\n"
    filler = line * (MAX_FRONT_MATTER_CHARS // len(line) + 1)
    path = tmp_path / "big.md"
    path.write_text(f"{fence}\ntitle: T\n{filler}{fence}\n\nBody text here.\n", encoding="utf-8")
    manuscript = read(path)
    assert manuscript.title is None
    assert "front matter ignored: longer than 65,536 characters" in caplog.text
