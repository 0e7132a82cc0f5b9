"""Saved documentation pages (texinfo, DocBook, javadoc, Sphinx; real ones, see
fixtures/README.md): every word of their text is read, never a silently shorter edition."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from audio_edition.document import Manuscript, count_words
from audio_edition.readers import ReadOptions, read
from audio_edition.readers.html import GUESS_MIN_SHARE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def texts(manuscript: Manuscript) -> list[str]:
    """Headings and blocks, in reading order, whitespace collapsed."""
    return [" ".join(text.split()) for section in manuscript.sections
            for text in (section.heading, *section.blocks) if text]  # fmt: skip


def words(manuscript: Manuscript) -> int:
    return sum(count_words(text) for text in texts(manuscript))


@pytest.mark.parametrize(
    "page, total, lost_before",
    [
        ("texinfo-page.html", 801, ["2.1 The Basics",
                                    "libffi assumes that you have a pointer to the function",
                                    "Function: ffi_status ffi_prep_cif (ffi_cif *cif"]),
        ("docbook-page.html", 2352, ["Chapter 1. Introduction",
                                     "The Debian base-passwd package contains the master versions",
                                     "Group adm is used for system monitoring tasks."]),
        ("javadoc-page.html", 172, ["Interface Provider<T>", "Provides instances of T.",
                                    "breaking circular dependencies."]),
    ],
)  # fmt: skip
def test_manual_page_without_article_markup_is_read_whole(page, total, lost_before):
    """readability-lxml's guess, read before, kept 282 of the texinfo page's 801 words, 1,015
    of the DocBook one's 2,352 (headings and whole sections gone) and 67 of the javadoc one's
    172."""
    manuscript = read(FIXTURES / page)
    said = "\n".join(texts(manuscript))
    assert words(manuscript) == total
    for text in lost_before:
        assert text in said


def test_javadoc_navigation_bars_are_not_read():
    """Its bars are `<div class="topNav">`, "subNav", "bottomNav": navigation by name."""
    said = texts(read(FIXTURES / "javadoc-page.html"))
    assert said[:2] == ["javax.inject", "Interface Provider<T>"]
    assert not any(re.search(r"Skip navigation|All Classes|Prev Class|No Frames", t) for t in said)


def test_texinfo_page_heading_starts_its_section():
    manuscript = read(FIXTURES / "texinfo-page.html")
    assert [section.heading for section in manuscript.sections] == [None, "2.1 The Basics"]
    assert texts(manuscript)[0] == "Next: Simple Example, Up: Using libffi [Index]"


def test_sphinx_page_reads_its_main_role_only():
    manuscript = read(FIXTURES / "sphinx-page.html")
    said = texts(manuscript)
    assert said[1] == ("Blinker provides fast & simple object-to-object and broadcast signaling "
                       "for Python objects.")  # fmt: skip
    assert not any(text in ("Navigation", "Quick search", "Related Topics") for text in said)
    assert words(manuscript) == 2036


STORY = " ".join(f"The keeper climbed the stairs for the {n} time that winter." for n in
                 ("first", "second", "third", "fourth", "fifth", "sixth"))  # fmt: skip


def page(tmp_path, menu: str) -> Path:
    """A page marking no article: a menu of links, then a story readability-lxml finds."""
    path = tmp_path / "plain.html"
    path.write_text(f"<html><body><div class='top'>{menu}</div><div class='content'><div>"
                    f"<p>{STORY}</p><p>{STORY}</p></div></div></body></html>")  # fmt: skip
    return path


STORY_WORDS = 2 * count_words(STORY)


def test_a_guess_that_leaves_out_a_few_words_is_read_with_a_warning(tmp_path, caplog):
    path = page(tmp_path, "<a href='/'>Home</a> <a href='/a'>About</a>")
    with caplog.at_level(logging.WARNING):
        manuscript = read(path)
    assert texts(manuscript) == [STORY, STORY]
    assert [r.getMessage() for r in caplog.records] == [
        f"{path}: the page marks no article, and the one found leaves out 2 of its "
        f"{STORY_WORDS + 2} words (--whole-page reads them)"
    ]
    assert texts(read(path, options=ReadOptions(whole_page=True))) == ["Home About", STORY, STORY]


@pytest.mark.parametrize("over", [False, True])
def test_a_guess_below_the_share_gives_way_to_the_whole_page(tmp_path, over):
    most = int(STORY_WORDS * (1 / GUESS_MIN_SHARE - 1))  # words the guess may leave out
    menu = " ".join(f"<a href='/{n}'>Link{n}</a>" for n in range(most + over))
    said = texts(read(page(tmp_path, f"<p>{menu}</p>")))
    assert said == ([menu_text(most + over)] if over else []) + [STORY, STORY]


def menu_text(links: int) -> str:
    return " ".join(f"Link{n}" for n in range(links))


def test_whole_page_reads_more_than_a_marked_article_but_never_boilerplate(tmp_path):
    path = tmp_path / "news.html"
    path.write_text("<html><body><div class='standfirst'><p>Kept by the option.</p></div>"
                    "<nav>Menu</nav><div class='cookie-banner'>Cookies</div><main><p>Story."
                    "</p></main><footer>Footer</footer></body></html>")  # fmt: skip
    assert texts(read(path)) == ["Story."]
    assert texts(read(path, options=ReadOptions(whole_page=True))) == ["Kept by the option.",
                                                                       "Story."]  # fmt: skip
