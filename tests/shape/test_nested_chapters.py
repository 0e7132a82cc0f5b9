"""Heading levels, kept by the readers, and the nested chapters made of them: ID3 CTOC tables
nested under the top one, M4B and Ogg flat with path titles, the manifest's level and parent,
the EPUB 3 nav's nested lists and the read-along page's h1-h6."""

from __future__ import annotations

import json
import re
import warnings
import zipfile
from pathlib import Path

import jsonschema
import pytest
from bs4 import BeautifulSoup
from ebooklib import epub
from mutagen.mp3 import MP3
from mutagen.oggopus import OggOpus

from audio_edition import narrate, read_document
from audio_edition.editions.manifest import schema_path
from audio_edition.readers import read
from audio_edition.shape.timing import chapter_heads
from tests.audio import ffprobe_chapters
from tests.editions.test_epub_output import epubcheck
from tests.readers.test_pdf import make_book

BOOK = """# Part One

The first part begins here.

## The Red Room

A red room. It was warm.

### The Chair

A chair stood by the fire.

## The Blue Room

A blue room, and cold.

# Part Two

The second part is short.
"""
TITLES = ["Part One", "The Red Room", "The Chair", "The Blue Room", "Part Two"]
LEVELS = [1, 2, 3, 2, 1]
PARENTS = [None, 0, 1, 0, None]
PATHS = [
    "Part One", "Part One: The Red Room", "Part One: The Red Room: The Chair",
    "Part One: The Blue Room", "Part Two",
]  # fmt: skip


@pytest.fixture
def book(write_text) -> Path:
    return write_text("book.md", BOOK)


def heads_of(path: Path) -> list[tuple[str, int, int | None]]:
    return [(h.title, h.level, h.parent) for h in chapter_heads(read_document(path))]


def test_markdown_headings_keep_their_levels_and_nest(book):
    assert [s.level for s in read(book).sections] == LEVELS
    assert heads_of(book) == list(zip(TITLES, LEVELS, PARENTS, strict=True))


def test_a_document_whose_top_headings_are_h2_nests_as_one_whose_are_h1(write_text):
    """Nesting is by the headings' relative levels: the shallowest present is a top chapter,
    a skipped level nests one deeper, and text before the first heading holds none."""
    source = write_text("h2.md", "Before.\n\n## A\n\nText.\n\n#### A1\n\nText.\n\n## B\n\nText.\n")
    assert [s.level for s in read(source).sections] == [1, 2, 4, 2]
    assert heads_of(source) == [("Before.", 1, None), ("A", 1, None), ("A1", 2, 1), ("B", 1, None)]


def test_setext_and_html_headings_keep_their_levels(write_text):
    setext = write_text("setext.md", "Top\n===\n\nText.\n\nUnder\n-----\n\nMore.\n")
    assert [(s.heading, s.level) for s in read(setext).sections] == [("Top", 1), ("Under", 2)]
    page = write_text(
        "page.html",
        "<html><body><h1>Book</h1><p>One.</p><h2>Chapter</h2><p>Two.</p>"
        "<h3>Scene</h3><p>Three.</p><h2>Next</h2><p>Four.</p></body></html>",
    )
    assert [(s.heading, s.level) for s in read(page).sections] == [
        ("Book", 1), ("Chapter", 2), ("Scene", 3), ("Next", 2)
    ]  # fmt: skip


def test_an_epub_chapter_s_level_is_its_depth_in_the_navigation(tmp_path):
    book = epub.EpubBook()
    book.set_identifier("levels-1")
    book.set_title("Levels")
    book.set_language("en")
    items = []
    for number, heading in ((1, "Part One"), (2, "Chapter One")):
        item = epub.EpubHtml(title=heading, file_name=f"c{number}.xhtml", lang="en")
        item.content = f"<h1>{heading}</h1><p>Text of {heading}.</p>"
        book.add_item(item)
        items.append(item)
    book.toc = [(epub.Section("Part One", "c1.xhtml"), [items[1]])]
    book.spine = items
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    path = tmp_path / "levels.epub"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        epub.write_epub(str(path), book)
    assert [(s.heading, s.level) for s in read(path).sections] == [
        ("Part One", 1), ("Chapter One", 2)
    ]  # fmt: skip


def test_a_pdf_outline_s_depth_is_the_level(tmp_path):
    path = make_book(tmp_path / "book.pdf")
    assert [(s.heading, s.level) for s in read(path).sections] == [
        ("Part One", 1), ("The First Night", 2), ("The Second Night", 2)
    ]  # fmt: skip


def test_mp3_chapters_are_in_id3_tables_nested_under_the_top_one(book, tmp_path):
    edition = narrate(book, tmp_path / "book.mp3", engine="fake")
    tags = MP3(edition.path).tags
    tables = {
        toc.element_id: (toc.child_element_ids, toc.sub_frames["TIT2"].text[0], toc.flags)
        for toc in tags.getall("CTOC")
    }
    assert tables == {
        "toc": (["c0toc", "chp4"], "Part One", 3),
        "c0toc": (["chp0", "c1toc", "chp3"], "Part One", 1),
        "c1toc": (["chp1", "chp2"], "The Red Room", 1),
    }
    frames = {chap.element_id: chap.sub_frames["TIT2"].text[0] for chap in tags.getall("CHAP")}
    assert [frames[f"chp{n}"] for n in range(5)] == TITLES
    # players that read only the CHAP frames list them all, in order
    listed = ffprobe_chapters(edition.path)
    assert [c["tags"]["title"] for c in listed] == TITLES
    assert [c["start"] for c in listed] == [c.start_ms for c in edition.chapters]
    assert [(c.level, c.parent) for c in edition.chapters] == list(
        zip(LEVELS, PARENTS, strict=True)
    )


def test_m4b_and_ogg_keep_a_flat_list_titled_by_path(book, tmp_path):
    m4b = narrate(book, tmp_path / "book.m4b", engine="fake")
    assert [c["tags"]["title"] for c in ffprobe_chapters(m4b.path)] == PATHS
    opus = narrate(book, tmp_path / "book.opus", engine="fake")
    tags = OggOpus(opus.path)
    assert [tags[f"CHAPTER{n:03d}NAME"][0] for n in range(5)] == PATHS


def test_the_manifest_gives_each_chapter_its_level_and_parent(book, tmp_path):
    edition = narrate(book, tmp_path / "book.mp3", engine="fake", manifest=True)
    manifest = json.loads(edition.sidecars["json"].read_text(encoding="utf-8"))
    jsonschema.validate(manifest, json.loads(schema_path().read_text(encoding="utf-8")))
    chapters = manifest["chapters"]
    assert [(c["title"], c["level"], c["parent"]) for c in chapters] == list(
        zip(TITLES, LEVELS, PARENTS, strict=True)
    )


def test_the_epub_nav_nests_the_chapters_and_passes_epubcheck(book, tmp_path):
    edition = narrate(book, tmp_path / "book.epub", engine="fake")
    with zipfile.ZipFile(edition.path) as archive:
        nav = BeautifulSoup(archive.read("EPUB/nav.xhtml"), "html.parser")
        chair = BeautifulSoup(archive.read("EPUB/text/c003.xhtml"), "html.parser")

    def tree(ol):
        return [
            (li.a.get_text(), tree(li.ol) if li.ol else [])
            for li in ol.find_all("li", recursive=False)
        ]

    assert tree(nav.find("ol")) == [
        ("Part One", [("The Red Room", [("The Chair", [])]), ("The Blue Room", [])]),
        ("Part Two", []),
    ]
    assert chair.find("h3").get_text() == "The Chair"
    assert epubcheck(edition.path) == []


def test_the_page_nests_its_chapter_list_and_its_headings_by_level(book, tmp_path):
    edition = narrate(book, tmp_path / "book.html", engine="fake")
    page = BeautifulSoup(edition.path.read_text(encoding="utf-8"), "html.parser")
    top = page.find("nav").find("ol")
    assert [li.button.get_text() for li in top.find_all("li", recursive=False)] == [
        "Part One", "Part Two"
    ]  # fmt: skip
    assert [b.get_text() for b in top.li.ol.find_all("button")] == TITLES[1:4]
    # the text opens with its title, "Part One": the page's h1; what it holds is as deep as
    # if it were the page's title, and "Part Two" is beside it
    assert headings_of(page) == [
        ("h1", "Part One"), ("h2", "The Red Room"), ("h3", "The Chair"), ("h2", "The Blue Room"),
        ("h2", "Part Two"),
    ]  # fmt: skip
    titled = narrate(book, tmp_path / "titled.html", engine="fake", title="The Rooms")
    page = BeautifulSoup(titled.path.read_text(encoding="utf-8"), "html.parser")
    assert headings_of(page) == [
        ("h1", "The Rooms"), ("h2", "Part One"), ("h3", "The Red Room"), ("h4", "The Chair"),
        ("h3", "The Blue Room"), ("h2", "Part Two"),
    ]  # fmt: skip


def headings_of(page: BeautifulSoup) -> list[tuple[str, str]]:
    return [(h.name, h.get_text()) for h in page.find("main").find_all(re.compile("^h[1-6]$"))]
