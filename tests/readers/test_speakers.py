"""Speakers named in markup (Markdown marks, HTML and EPUB data-voice) and a front matter cast,
read through the real readers."""

from __future__ import annotations

import logging

import pytest

from audio_edition.document import Manuscript
from audio_edition.readers import read
from audio_edition.readers.front_matter import MAX_CAST_SPEAKERS
from tests.books import write_book
from tests.readers.test_front_matter import laughs


def read_text(tmp_path, caplog, text: str, suffix: str = ".md") -> tuple[Manuscript, list[str]]:
    """The manuscript of a file holding `text`, and the warnings logged reading it."""
    path = tmp_path / f"story{suffix}"
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        manuscript = read(path)
    return manuscript, [record.getMessage() for record in caplog.records]


def voiced(manuscript: Manuscript) -> list[tuple[str, str | None]]:
    """Each block of every section with its marked speaker (None where unmarked)."""
    pairs = []
    for section in manuscript.sections:
        speakers = section.speakers or (None,) * len(section.blocks)
        assert len(speakers) == len(section.blocks)
        pairs.extend(zip(section.blocks, speakers, strict=True))
    return pairs


MARKDOWN_MARKS = [
    ("<!-- voice: Holmes -->\n“Come, Watson.”", "Holmes"),
    ("<!--voice:Holmes-->\n“Come, Watson.”", "Holmes"),
    ("<!--\n  VOICE :  Mr. Holmes\n-->\n“Come, Watson.”", "Mr. Holmes"),
    ("{voice=Holmes}\n“Come, Watson.”", "Holmes"),
    ('{voice="Mr. Holmes"}\n“Come, Watson.”', "Mr. Holmes"),
    ("“Come, Watson.” {voice=Holmes}", "Holmes"),
    ('“Come, Watson.”\n{voice="Mr. Holmes"}', "Mr. Holmes"),
    ("“Come, Watson.”\\\n{voice=Holmes}", "Holmes"),
    ("“Come, [Watson](https://example.org).” {voice=Holmes}", "Holmes"),
    ("- “Come, Watson.” {voice=Holmes}", "Holmes"),
    ("<!-- voice: Holmes -->\n> “Come, Watson.”", "Holmes"),
    ("<!-- voice: Zoë O'Hara-Smith 2 -->\n“Come, Watson.”", "Zoë O'Hara-Smith 2"),
    ('<!-- voice: "Mr.  Holmes" -->\n“Come, Watson.”', "Mr. Holmes"),
    ("<!-- voice: Watson -->\n“Come, Watson.” {VOICE=Holmes}", "Holmes"),
]


@pytest.mark.parametrize("marked, speaker", MARKDOWN_MARKS)
def test_markdown_mark_names_the_next_blocks_speaker_and_is_not_read(
    tmp_path, caplog, marked, speaker
):
    text = f"Before.\n\n{marked}\n\nAfter.\n"
    manuscript, warnings = read_text(tmp_path, caplog, text)
    assert voiced(manuscript) == [("Before.", None), ("“Come, Watson.”", speaker),
                                  ("After.", None)]  # fmt: skip
    assert warnings == []


def test_comment_names_one_block_only(tmp_path, caplog):
    text = "<!-- voice: Holmes -->\n> “One.”\n>\n> “Two.”\n\n- three\n- four\n"
    manuscript, _ = read_text(tmp_path, caplog, text)
    assert voiced(manuscript) == [("“One.”", "Holmes"), ("“Two.”", None), ("three", None),
                                  ("four", None)]  # fmt: skip


def test_mark_in_the_section_a_front_matter_title_heads(tmp_path, caplog):
    text = "---\ntitle: A Study\n---\n\n<!-- voice: Holmes -->\n“Come.”\n\nAfter.\n"
    manuscript, _ = read_text(tmp_path, caplog, text)
    assert manuscript.sections[0].heading == "A Study"
    assert manuscript.sections[0].speakers == ("Holmes", None)


def test_marks_in_several_sections(tmp_path, caplog):
    text = "# One\n\nPlain.\n\n# Two\n\n<!-- voice: Watson -->\n“Yes.”\n\n“No.” {voice=Holmes}\n"
    manuscript, _ = read_text(tmp_path, caplog, text)
    assert [section.speakers for section in manuscript.sections] == [(), ("Watson", "Holmes")]


NOT_MARKS = [
    "{voice=Holmes!}\n“Come.”",
    "{voice=Holmes .quote}\n“Come.”",
    "{.quote}\n“Come.”",
    "“Come.” {braces}",
    "“Come.” \\{voice=Holmes}",
    "“Come {voice=Holmes} now.”",
    "“Come.” {voice=}",
    '“Come.” {voice="' + "a" * 61 + '"}',
    "A set {x, y} of two.",
]


@pytest.mark.parametrize("text", NOT_MARKS)
def test_other_braces_are_read_as_before(tmp_path, caplog, text):
    manuscript, warnings = read_text(tmp_path, caplog, text)
    assert voiced(manuscript) == [(text.replace("\\{", "{"), None)]  # an escape is not read
    assert warnings == []


def test_voice_comment_with_a_name_not_allowed_is_dropped_with_a_warning(tmp_path, caplog):
    text = "<!-- voice: Holmes! -->\n“Come.”\n"
    manuscript, warnings = read_text(tmp_path, caplog, text)
    assert voiced(manuscript) == [("“Come.”", None)]
    assert warnings == [f"{tmp_path / 'story.md'}: line 1: voice comment ignored: "
                        "'Holmes!' is not a speaker's name (1 to 60 letters, digits, spaces "
                        "and . ' -)"]  # fmt: skip


def test_other_comments_say_nothing_and_name_nobody(tmp_path, caplog):
    manuscript, warnings = read_text(tmp_path, caplog, "<!-- a note -->\n“Come.”\n")
    assert voiced(manuscript) == [("“Come.”", None)] and warnings == []


def test_unmarked_documents_have_no_speakers(tmp_path, caplog):
    for suffix, text in [
        (".md", "# One\n\n“Hi,” she said.\n\n# Two\n\n- a\n- b\n"),
        (".txt", "Title\n\n“Hi,” she said.\n\nMore.\n"),
        (".html", "<h1>One</h1><p>“Hi,” she said.</p><h2>Two</h2><p lang=en>More.</p>"),
    ]:
        manuscript, _ = read_text(tmp_path, caplog, text, suffix)
        assert [section.speakers for section in manuscript.sections] == [()] * len(
            manuscript.sections
        )


def test_a_q_element_is_read_with_the_marks_a_browser_shows(tmp_path, caplog):
    page = "<p><q>Come in,</q> he said, <q>and sit <q>down</q> now.</q></p>"
    manuscript, _ = read_text(tmp_path, caplog, page, ".html")
    assert voiced(manuscript) == [("“Come in,” he said, “and sit \u2018down\u2019 now.”", None)]


def test_html_data_voice_on_blocks_ancestors_and_inline_elements(tmp_path, caplog):
    page = (
        "<article><p>Narration.</p>"
        '<p data-voice="Holmes">“Come, Watson.”</p>'
        '<div data-voice="Watson"><p>“Where?”</p><blockquote><p>“Here.”</p></blockquote>'
        '<p data-voice="Mr. Holmes">“Inner wins.”</p></div>'
        '<p>“Quick,” <span data-voice="Lestrade">said the inspector</span>.</p>'
        '<p><span data-voice="Holmes">“Two</span> marks,” <span data-voice="Watson">x</span></p>'
        "<p>Unmarked again.</p></article>"
    )
    manuscript, warnings = read_text(tmp_path, caplog, page, ".html")
    assert voiced(manuscript) == [
        ("Narration.", None),
        ("“Come, Watson.”", "Holmes"),
        ("“Where?”", "Watson"),
        ("“Here.”", "Watson"),
        ("“Inner wins.”", "Mr. Holmes"),
        ("“Quick,” said the inspector.", "Lestrade"),
        ("“Two marks,” x", "Holmes"),
        ("Unmarked again.", None),
    ]
    assert warnings == []


def test_html_data_voice_not_a_name_is_ignored_with_a_warning(tmp_path, caplog):
    page = '<article><p data-voice="Holmes!">“Come.”</p><p data-voice="">“Go.”</p></article>'
    manuscript, warnings = read_text(tmp_path, caplog, page, ".html")
    assert voiced(manuscript) == [("“Come.”", None), ("“Go.”", None)]
    assert warnings == [
        f"{tmp_path / 'story.html'}: data-voice ignored: 'Holmes!' is not a speaker's name "
        "(1 to 60 letters, digits, spaces and . ' -)",
        f"{tmp_path / 'story.html'}: data-voice ignored: '' is not a speaker's name "
        "(1 to 60 letters, digits, spaces and . ' -)",
    ]


def test_html_table_row_and_heading_with_data_voice(tmp_path, caplog):
    page = (
        '<article><h2 data-voice="Holmes">A heading</h2>After it.'
        '<table><tr><td data-voice="Watson">Yes</td><td>no</td></tr></table></article>'
    )
    manuscript, _ = read_text(tmp_path, caplog, page, ".html")
    assert voiced(manuscript) == [("After it.", None), ("Yes, no", "Watson")]


def test_markdown_html_block_with_data_voice(tmp_path, caplog):
    text = 'Plain.\n\n<p data-voice="Holmes">“Come.”</p>\n\nAfter.\n'
    manuscript, _ = read_text(tmp_path, caplog, text)
    assert voiced(manuscript) == [("Plain.", None), ("“Come.”", "Holmes"), ("After.", None)]


def test_epub_chapter_with_data_voice(tmp_path):
    book = write_book(
        tmp_path / "voices.epub",
        chapters=(
            ("One", ["Narration.", '<span data-voice="Holmes">“Come, Watson.”</span>']),
            ("Two", ["Plain."]),
        ),
        extra_body='<div data-voice="Watson"><h2>Later</h2><p>“Coming.”</p></div>',
    )
    manuscript = read(book)
    assert manuscript.sections[0].heading == "One"
    assert [(" ".join(block.split()), speaker) for block, speaker in voiced(manuscript)][:4] == [
        ("Narration.", None),
        ("“Come, Watson.”", "Holmes"),
        ("Later", None),
        ("“Coming.”", "Watson"),
    ]
    assert manuscript.sections[1].speakers == ()


YAML_CAST = """---
title: A Study
cast:
  default: espeak:en-us
  Holmes: piper:en_US-joe-medium
  Watson:
    voice: hibari:heart
    pronoun: he
    names: [John, Doctor Watson]
---

Text.
"""
TOML_CAST = """+++
title = "A Study"
[cast]
default = "espeak:en-us"
Holmes = "piper:en_US-joe-medium"
[cast.Watson]
voice = "hibari:heart"
pronoun = "he"
names = ["John", "Doctor Watson"]
+++

Text.
"""
CAST = {
    "default": "espeak:en-us",
    "Holmes": "piper:en_US-joe-medium",
    "Watson": {"voice": "hibari:heart", "pronoun": "he", "names": ["John", "Doctor Watson"]},
}


@pytest.mark.parametrize("text", [YAML_CAST, TOML_CAST], ids=["yaml", "toml"])
def test_front_matter_cast_is_kept(tmp_path, caplog, text):
    manuscript, warnings = read_text(tmp_path, caplog, text)
    assert manuscript.cast == CAST
    assert manuscript.title == "A Study" and warnings == []


def test_no_cast_is_none(tmp_path, caplog):
    manuscript, _ = read_text(tmp_path, caplog, "---\ntitle: T\n---\n\nText.\n")
    assert manuscript.cast is None


TOO_MANY = "\n".join(f"  S{n}: v{n}" for n in range(MAX_CAST_SPEAKERS + 1))
FULL = "\n".join(f"  S{n}: v{n}" for n in range(MAX_CAST_SPEAKERS))


@pytest.mark.parametrize(
    "cast, problem",
    [
        ("cast: piper:joe", "it is not a table of speakers"),
        ("cast: [Holmes, Watson]", "it is not a table of speakers"),
        (f"cast:\n{TOO_MANY}", f"it names more than {MAX_CAST_SPEAKERS} speakers"),
        ("cast:\n  Holmes:", "'Holmes' is not a voice or a table of voice, pronoun and names"),
        ("cast:\n  Holmes: true", "'Holmes' is not a voice or a table of voice, pronoun and names"),
        ("cast:\n  Holmes:\n    voice: {engine: piper}",
         "'Holmes' is not a voice or a table of voice, pronoun and names"),
        ("cast:\n  Holmes:\n    names: [[a]]",
         "'Holmes' is not a voice or a table of voice, pronoun and names"),
        ("cast:\n  Holmes:\n    names: [" + ", ".join("n"*3 for _ in range(17)) + "]",
         "'Holmes' has a list of more than 16 names"),
        ("cast:\n  true: v", "a name in it is not text"),
        ("cast:\n  Holmes: {true: v}", "a name in it is not text"),
        ("cast:\n  " + "H" * 1000 + ":", f"'{'H' * 57}...' is not a voice or a table of voice, "
         "pronoun and names"),
        ("cast:\n  Holmes: " + "v" * 201, "a text in it is longer than 200 characters"),
        ("cast:\n  " + "H" * 201 + ": v", "a text in it is longer than 200 characters"),
        ("cast:\n  Holmes:\n    voice: &v x\n    names: [*v, " + "n" * 201 + "]",
         "a text in it is longer than 200 characters"),
    ],
    ids=["text", "list", "too-many", "empty", "bool", "nested", "list-of-lists", "long-list",
         "bool-name", "bool-key", "long-name-quoted-short",
         "long-value", "long-name", "long-item"],
)  # fmt: skip
def test_cast_of_the_wrong_shape_is_ignored_with_one_warning(tmp_path, caplog, cast, problem):
    manuscript, warnings = read_text(tmp_path, caplog, f"---\ntitle: T\n{cast}\n---\n\nText.\n")
    assert manuscript.cast is None
    assert manuscript.title == "T"
    assert warnings == [f"{tmp_path / 'story.md'}: front matter 'cast' ignored: {problem}"]


def test_toml_cast_with_a_number_is_ignored_with_one_warning(tmp_path, caplog):
    text = '+++\ntitle = "T"\n[cast]\nHolmes = 3\n+++\n\nText.\n'
    manuscript, warnings = read_text(tmp_path, caplog, text)
    assert manuscript.cast is None and manuscript.title == "T"
    assert warnings == [f"{tmp_path / 'story.md'}: front matter 'cast' ignored: 'Holmes' is not "
                        "a voice or a table of voice, pronoun and names"]  # fmt: skip


def test_cast_at_the_limit_is_kept(tmp_path, caplog):
    manuscript, warnings = read_text(tmp_path, caplog, f"---\ncast:\n{FULL}\n---\n\nText.\n")
    assert manuscript.cast is not None and len(manuscript.cast) == MAX_CAST_SPEAKERS
    assert warnings == []


@pytest.mark.timeout(60)
def test_alias_bomb_inside_cast_is_refused(tmp_path, caplog):
    bomb = "\n".join(f"  {line}" for line in laughs().replace("title:", "Holmes:").splitlines())
    manuscript, warnings = read_text(tmp_path, caplog, f"---\ncast:\n{bomb}\n---\n\nText.\n")
    assert manuscript.cast is None
    assert warnings == [f"{tmp_path / 'story.md'}: front matter ignored: an alias of a list or "
                        "mapping (*a), line 4"]  # fmt: skip


def test_page_read_twice_warns_once_of_a_data_voice_not_a_name(tmp_path, caplog):
    """A page marking no article is read whole and as readability guesses it."""
    page = ('<html><body><div><p data-voice="Hol$mes">“Come.”</p><p>Some text here that is '
            "long enough to be read.</p></div></body></html>")  # fmt: skip
    manuscript, warnings = read_text(tmp_path, caplog, page, ".html")
    assert voiced(manuscript)[0] == ("“Come.”", None)
    assert warnings == [f"{tmp_path / 'story.html'}: data-voice ignored: 'Hol$mes' is not a "
                        "speaker's name (1 to 60 letters, digits, spaces and . ' -)"]  # fmt: skip


@pytest.mark.timeout(60)
def test_marks_are_found_at_once_in_long_text(tmp_path, caplog):
    """Unbounded, these searches take minutes (quadratic in the spaces or the marks)."""
    comment = f"<!-- voice: Mr.{' ' * 400_000}Holmes -->\n“Come.”"
    unclosed = '{voice="' + ("a" * 100 + ' {voice="') * 20_000
    manuscript, warnings = read_text(tmp_path, caplog, f"{comment}\n\n{unclosed}\n")
    assert voiced(manuscript) == [("“Come.”", "Mr. Holmes"), (unclosed, None)]
    assert warnings == []


def test_a_long_voice_comment_is_quoted_short_in_its_warning(tmp_path, caplog):
    manuscript, warnings = read_text(tmp_path, caplog, f"<!-- voice: {'x' * 5000} -->\nHi.\n")
    assert voiced(manuscript) == [("Hi.", None)]
    assert len(warnings) == 1 and len(warnings[0]) < 300 and "..." in warnings[0]
