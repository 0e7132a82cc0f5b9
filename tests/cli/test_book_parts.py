"""`narrate` of an EPUB with a nested navigation, front and back matter and notes: what it says
on standard error, the chapters it writes, and a read-along EPUB that passes EPUBCheck."""

from __future__ import annotations

import json
import zipfile
from xml.etree import ElementTree

from tests.editions.test_epub_output import XHTML, epubcheck
from tests.navigated_books import write_novel


def test_narrate_says_what_it_leaves_out_and_writes_the_navigation_chapters(tmp_path, run_cli):
    write_novel(tmp_path / "novel.epub")
    result = run_cli("narrate", "novel.epub", "--engine", "fake", "-o", "novel.epub.mp3",
                     "--manifest", "--read", "+index", "--notes", "inline")  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stderr.decode().splitlines()
    assert lines[:2] == [
        'audio-edition: novel.epub: "copyright.xhtml" not read: a copyright page, marked '
        '"copyright-page" (--read +copyright reads it)',
        'audio-edition: novel.epub: "Contents" not read: a table of contents, marked "toc" '
        "(--read +toc reads it)",
    ]
    assert len(lines) == 3 and lines[2].startswith("wrote novel.epub.mp3")
    manifest = json.loads((tmp_path / "novel.epub.json").read_text(encoding="utf-8"))
    assert [chapter["title"] for chapter in manifest["chapters"]] == [
        "The Keeper's Year", "Part One: Winter", "Chapter 1: Ice", "The Storm",
        "Part Two: Summer", "Chapter 2: Light", "Index",
    ]  # fmt: skip
    said = [paragraph["text"] for paragraph in manifest["paragraphs"]]
    assert "The lamp (Note: Made of brass.) burned all night." in said
    assert "lamp, 3; ships, 7" in said
    assert not [text for text in said if "Copyright" in text or "Contents" in text]


def test_bad_read_and_notes_arguments_are_one_line(tmp_path, run_cli):
    write_novel(tmp_path / "novel.epub")
    for option, value in (("--read", "preface"), ("--notes", "footer")):
        result = run_cli("narrate", "novel.epub", "--engine", "fake", option, value)
        assert result.returncode == 2
        assert result.stderr.decode().count("\n") == 1
        assert option in result.stderr.decode() and value in result.stderr.decode()


def test_the_novel_narrated_to_an_epub_passes_epubcheck(tmp_path, run_cli):
    write_novel(tmp_path / "novel.epub")
    result = run_cli("narrate", "novel.epub", "--engine", "fake", "-o", "read-along.epub")
    assert result.returncode == 0, result.stderr
    assert epubcheck(tmp_path / "read-along.epub") == []
    with zipfile.ZipFile(tmp_path / "read-along.epub") as book:
        nav = ElementTree.fromstring(book.read("EPUB/nav.xhtml"))
        titles = ["".join(a.itertext()) for a in nav.iter(f"{XHTML}a")]
    assert "Chapter 1: Ice" in titles and "The Storm" in titles and "Index" not in titles
