"""Chapters from an EPUB's navigation (EPUB 3 nav, EPUB 2 NCX), the front and back matter left
out (and said so), and notes read at the end of their chapter, in place, or not at all, in EPUB,
Markdown and HTML (issue #28, items 2-4)."""

from __future__ import annotations

import logging
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from audio_edition import narrate
from audio_edition.errors import UsageError
from audio_edition.readers import SKIPPED_PARTS, ReadOptions, read
from audio_edition.verify.hearing import transcribe
from tests.navigated_books import write_epub2, write_novel

CHAPTER_1 = ["The lamp burned all night.", "Then the wind rose."]
NOVEL = [  # (level, heading, blocks), by default
    (1, "The Keeper's Year", ["by Ada Writer"]),
    (1, "Part One: Winter", ["The winter was long."]),
    (2, "Chapter 1: Ice", [*CHAPTER_1, "Note 1: Made of brass."]),
    (
        3,
        "The Storm",
        [  # a document with no entry joins it, before its notes
            "Waves broke on the rocks.",
            "By morning the sea was still.",
            "Note 3: Ten metres high.",
        ],
    ),
    (1, "Part Two: Summer", []),
    (2, "Chapter 2: Light", ["The ships came back.", "Note 2: Twelve of them."]),
]


def outline(path: Path, **options: object) -> list[tuple[int, str | None, list[str]]]:
    manuscript = read(path, options=ReadOptions(**options))  # type: ignore[arg-type]
    return [
        (section.level, section.heading, [" ".join(block.split()) for block in section.blocks])
        for section in manuscript.sections
    ]


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_epub3_chapters_are_the_nested_navigation_and_front_matter_is_skipped_aloud(
    tmp_path, caplog
):
    book = write_novel(tmp_path / "novel.epub")
    assert outline(book) == NOVEL
    assert warnings_of(caplog) == [
        f'{book}: "copyright.xhtml" not read: a copyright page, marked "copyright-page" '
        "(--read +copyright reads it)",
        f'{book}: "Contents" not read: a table of contents, marked "toc" (--read +toc reads it)',
        f'{book}: "Index" not read: an index, marked "index" (--read +index reads it)',
    ]


def test_read_brings_back_the_parts_asked_for(tmp_path, caplog):
    book = write_novel(tmp_path / "novel.epub")
    everything = outline(book, read_parts=frozenset(SKIPPED_PARTS))
    assert everything[0] == (1, "The Keeper's Year", [
        "by Ada Writer", "Copyright 2024 Ada Writer. All rights reserved.", "Contents",
        "Part One. Chapter 1. Part Two."])  # fmt: skip
    assert everything[1:] == [*NOVEL[1:], (1, "Index", ["lamp, 3; ships, 7"])]
    assert warnings_of(caplog) == []
    assert outline(book, read_parts=frozenset({"index"})) == [
        *NOVEL,
        (1, "Index", ["lamp, 3; ships, 7"]),
    ]
    assert [w.split('"')[1] for w in warnings_of(caplog)] == ["copyright.xhtml", "Contents"]


@pytest.mark.parametrize(
    ("mode", "chapter_1", "chapter_2"),
    [
        ("inline", ["The lamp (Note: Made of brass.) burned all night.", "Then the wind rose."],
         ["The ships (Note: Twelve of them.) came back."]),
        ("skip", CHAPTER_1, ["The ships came back."]),
    ],
)  # fmt: skip
def test_notes_in_place_or_skipped(tmp_path, caplog, mode, chapter_1, chapter_2):
    chapters = outline(write_novel(tmp_path / "novel.epub"), notes=mode)
    assert [(level, heading) for level, heading, _ in chapters] == [n[:2] for n in NOVEL]
    assert (chapters[2][2], chapters[5][2]) == (chapter_1, chapter_2)
    skipped = [w for w in warnings_of(caplog) if "notes not read" in w]
    assert skipped == ([f"{tmp_path / 'novel.epub'}: 3 notes not read (--notes skip)"]
                       if mode == "skip" else [])  # fmt: skip


def test_epub2_chapters_are_the_ncx_and_matter_is_known_by_guide_and_title(tmp_path, caplog):
    book = write_epub2(tmp_path / "old.epub")
    assert outline(book) == [
        (1, "Chapter One", ["It began at dawn.", "Note 1: A note from 1999."]),
        (1, "Chapter Two", ["Noon came."]),
        (2, "Later On", ["Later", "Dusk fell."]),
    ]
    assert [w.split(": ", 1)[1] for w in warnings_of(caplog)] == [
        '"Table of Contents" not read: a table of contents, by its title (--read +toc reads it)',
        '"Copyright" not read: a copyright page, by its title (--read +copyright reads it)',
        '"Words" not read: an index, marked "index" (--read +index reads it)',
    ]


def test_a_book_without_navigation_is_a_chapter_per_document(tmp_path):
    book = write_epub2(tmp_path / "old.epub")
    plain = tmp_path / "plain.epub"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(plain, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".opf"):
                data = data.replace(b' toc="ncx"', b"").split(b"<guide>")[0] + b"</package>"
            target.writestr(info, data)
    assert outline(plain) == [
        (1, "Chapter One", ["It began at dawn.", "Note 1: A note from 1999."]),
        (1, "Chapter Two", ["Noon came.", "Later", "Dusk fell."]),
        (1, "Words", ["dawn, 1; dusk, 2"]),
    ]


MARKDOWN = """# Harbour

The boats[^1] left early[^2].

## Evening

They came home.[^1] The end.[^3]

[^1]: At dawn.
[^2]: Before six.
    Or so they said.
[^3]: Late.
[^loose]: Nobody refers to this one.
"""


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("end", [(1, "Harbour", ["The boats left early.", "Note 1: At dawn.",
                                 "Note 2: Before six. Or so they said."]),
                 (2, "Evening", ["They came home. The end.", "Nobody refers to this one.",
                                 "Note 3: Late."])]),
        ("inline", [(1, "Harbour", ["The boats (Note: At dawn.) left early (Note: Before six. "
                                    "Or so they said.)."]),
                    (2, "Evening", ["They came home. The end. (Note: Late.)",
                                    "Nobody refers to this one."])]),
        ("skip", [(1, "Harbour", ["The boats left early."]),
                  (2, "Evening", ["They came home. The end."])]),
    ],
)  # fmt: skip
def test_markdown_notes(tmp_path, caplog, mode, expected):
    path = tmp_path / "notes.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    got = outline(path, notes=mode)
    assert [(heading, blocks) for _, heading, blocks in got] == [e[1:] for e in expected]
    skipped = [w for w in warnings_of(caplog) if "notes not read" in w]
    assert skipped == ([f"{path}: 4 notes not read (--notes skip)"] if mode == "skip" else [])


PAGE = """<html><body><article><h1>Lights</h1>
<p>The lamp<sup><a href="#fn1" id="r1">1</a></sup> was lit, see <sup><a href="#more">more
about lamps</a></sup>.</p><h2 id="more">More</h2><p>Oil<sup><a href="#fn2" id="r2">[2]</a></sup>
burned.</p>
<section class="footnotes"><h2>Footnotes</h2><ol><li id="fn1"><p>Brass. <a href="#r1">\u21a9</a></p>
</li><li id="fn2"><p>Whale oil. <a href="#r2">\u21a9</a></p></li></ol></section></article></body>
</html>"""


@pytest.mark.parametrize(
    ("mode", "lights", "more"),
    [
        ("end", ["The lamp was lit, see more about lamps.", "Note 1: Brass."],
         ["Oil burned.", "Note 2: Whale oil."]),
        ("inline", ["The lamp (Note: Brass.) was lit, see more about lamps."],
         ["Oil (Note: Whale oil.) burned."]),
        ("skip", ["The lamp was lit, see more about lamps."], ["Oil burned."]),
    ],
)  # fmt: skip
def test_html_page_notes(tmp_path, mode, lights, more):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    got = outline(path, notes=mode)
    assert [(heading, blocks) for _, heading, blocks in got] == [("Lights", lights), ("More", more)]


@pytest.mark.e2e
def test_what_is_read_is_heard_and_what_is_left_out_is_not(tmp_path):
    """Proof-listening: eSpeak NG reads the novel; the speech-to-text model hears its notes
    and chapters, and none of its copyright page, contents page, index or note markers."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs eSpeak NG")
    book = write_novel(tmp_path / "novel.epub")
    edition = narrate(book, tmp_path / "novel.mp3", engine="pyttsx3", voice="en-us")
    heard = re.findall(r"[a-z0-9]+", " ".join(s.text for s in transcribe(edition.path)).lower())
    for word in ("keeper", "winter", "ice", "lamp", "storm", "rocks", "summer", "meters"):
        assert word in heard, (word, heard)  # the tiny model hears "metres" as "meters"
    for word in ("copyright", "reserved", "contents", "index", "2024"):
        assert word not in heard, (word, heard)
    assert heard.index("still") < heard.index("meters")  # note 3 after the text that joins
    lamp = heard.index("lamp")
    assert heard[lamp + 1].startswith("burn"), heard[lamp : lamp + 3]  # no marker between


@pytest.mark.parametrize(
    ("options", "message"),
    [({"notes": "footer"}, "unknown notes mode 'footer'; use end, inline, skip"),
     ({"read_parts": frozenset({"preface"})}, "unknown part to read preface; use toc, copyright, "
      "index")],
)  # fmt: skip
def test_read_options_out_of_range_are_a_usage_error(options, message):
    with pytest.raises(UsageError) as error:
        ReadOptions(**options)
    assert str(error.value) == message


def test_an_entry_pointing_into_text_not_read_is_a_chapter_after_its_document(tmp_path):
    chapter_1 = ("", '<h2>Chapter 1: Ice</h2><p>The lamp burned all night.</p><pre><span '
                 'id="storm">x = 1</span></pre><p>Then the wind rose.</p>')  # fmt: skip
    chapters = outline(write_novel(tmp_path / "novel.epub", ch1=chapter_1))
    assert chapters[2:4] == [
        (2, "Chapter 1: Ice", CHAPTER_1),
        (3, "The Storm", ["By morning the sea was still."]),
    ]


def test_a_superscript_link_to_a_section_or_its_own_paragraph_is_not_a_note(tmp_path):
    path = tmp_path / "page.html"
    page = ('<html><body><article><h1>One</h1><p id="p1">See<sup><a href="#s2">2</a></sup> '
            'and<sup><a href="#p1">3</a></sup>.</p><section id="s2"><h2>Two</h2><p>Text two.'
            "</p></section></article></body></html>")  # fmt: skip
    path.write_text(page, encoding="utf-8")
    got = outline(path)
    assert [(heading, blocks) for _, heading, blocks in got] == [
        ("One", ["See2 and3."]),
        ("Two", ["Text two."]),
    ]


def test_a_note_linking_back_to_the_paragraph_of_its_reference(tmp_path):
    path = tmp_path / "page.html"
    page = ('<html><body><article><h1>One</h1><p id="p5">It began<sup><a href="#n1">1</a></sup>'
            ' at dawn.</p><p>Then noon.</p><p id="n1"><sup><a href="#p5">1</a></sup> A note.</p>'
            "</article></body></html>")  # fmt: skip
    path.write_text(page, encoding="utf-8")
    assert outline(path) == [(1, "One", ["It began at dawn.", "Then noon.", "Note 1: A note."])]
