"""Deeply nested documents are read whole, with what follows them; entity references that do
not resolve say nothing; and a reading that lost text is refused, never silent."""

from __future__ import annotations

import zipfile

import pytest

from audio_edition.document import Manuscript, ManuscriptSection
from audio_edition.errors import InputError
from audio_edition.readers import ReadOptions, check_complete, html_blocks, markdown, read
from audio_edition.readers.html import parse_html
from audio_edition.readers.markdown import parse_markdown
from tests.books import write_book

DEEP_DIVS = 50_000


def texts(manuscript: Manuscript) -> list[str]:
    """Headings and paragraphs in reading order, each on one line."""
    return [
        " ".join(text.split())
        for section in manuscript.sections
        for text in ([section.heading] if section.heading else []) + list(section.blocks)
    ]


def staircase(kind: str, depth: int) -> str:
    """A list or quote `depth` deep, a line a level, each with its own words."""
    if kind == "list":  # a tab a level keeps 5,000 levels at 12 MB
        return "\n".join("\t" * level + f"- Level {level}." for level in range(depth))
    return "\n".join(">" * (level + 1) + f" Level {level}." for level in range(depth))


@pytest.mark.parametrize("depth", [50, 5000])
@pytest.mark.parametrize("kind", ["list", "quote"])
def test_markdown_nested_a_line_a_level_is_read_with_what_follows(kind, depth):
    source = f"Before it.\n\n{staircase(kind, depth)}\n\n# After\n\nThe rest.\n"
    read_texts = texts(parse_markdown(source, ReadOptions()))
    levels = [f"Level {level}." for level in range(depth)]
    assert read_texts == ["Before it.", *levels, "After", "The rest."]


@pytest.mark.parametrize("depth", [50, 5000])
@pytest.mark.parametrize("marker", ["- ", "> ", "1. ", "> - "])
def test_markdown_nested_in_one_line_is_read_with_what_follows(marker, depth):
    source = f"Before it.\n\n{marker * depth}The deepest words.\n\nAfter it.\n"
    assert texts(parse_markdown(source, ReadOptions())) == [
        "Before it.", "The deepest words.", "After it.",
    ]  # fmt: skip


def test_deep_email_thread_keeps_each_quoted_paragraph_whole():
    thread = "\n".join([
        "> " * 30 + "The first message, written",
        "> " * 30 + "on two lines.",
        "> " * 30,
        "> " * 30 + "Its second paragraph.",
        "> " * 29 + "The first reply.",
        "",
        "My answer.",
    ])  # fmt: skip
    assert texts(parse_markdown(thread, ReadOptions())) == [
        "The first message, written on two lines.",
        "Its second paragraph.",
        "The first reply.",
        "My answer.",
    ]


def test_code_indented_deep_in_a_list_is_read_not_dropped():
    source = "\n".join("  " * level + f"- Level {level}." for level in range(12))
    source += "\n\n" + "  " * 12 + "A paragraph of the deepest item.\n\nAfter it.\n"
    assert texts(parse_markdown(source, ReadOptions()))[-2:] == [
        "A paragraph of the deepest item.", "After it.",
    ]  # fmt: skip


def narrated_subtitles(run_cli, tmp_path, name: str) -> str:
    """Narrate `name` through the CLI (fake engine) and return its SRT subtitles; the run must
    succeed and print nothing."""
    stem = name.rsplit(".", 1)[0]
    result = run_cli("narrate", name, "-o", f"{stem}.wav", "--engine", "fake", "-q",
                     "--subtitles", "srt")  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""
    return (tmp_path / f"{stem}.srt").read_text(encoding="utf-8")


def test_deep_markdown_through_the_cli(run_cli, tmp_path):
    (tmp_path / "deep.md").write_text("> - " * 5000 + "Level 4999.\n\nAfter it.\n")
    subtitles = narrated_subtitles(run_cli, tmp_path, "deep.md")
    assert "Level 4999." in subtitles and "After it." in subtitles


def test_a_line_the_markdown_parser_drops_is_an_error_not_silence(monkeypatch, tmp_path):
    """Without the flattening rule, markdown-it drops the deep item and all after it: the
    completeness check must notice."""
    parser = markdown._parser
    monkeypatch.setattr(markdown, "_parser", lambda: parser().disable("too_deep"))
    (tmp_path / "deep.md").write_text("Before it.\n\n" + "- " * 30 + "Deep.\n\nAfter it.\n")
    with pytest.raises(InputError) as refused:
        read(tmp_path / "deep.md")
    assert str(refused.value) == (
        f"{tmp_path / 'deep.md'}: part of the text could not be read, from line 3: 'Deep.'"
    )


def test_line_numbers_count_toml_front_matter(monkeypatch):
    parser = markdown._parser
    monkeypatch.setattr(markdown, "_parser", lambda: parser().disable("too_deep"))
    source = "+++\ntitle = 'Deep'\n+++\nBefore it.\n\n" + "> " * 30 + "Deep.\n"
    with pytest.raises(InputError, match="from line 6: "):
        parse_markdown(source, ReadOptions(), "deep.md")


@pytest.mark.parametrize(
    "open_tag, close_tag",
    [("<div>", "</div>"), ("<blockquote>", "</blockquote>"), ("<ul><li>", "</li></ul>"),
     ("<table><tr><td>", "</td></tr></table>"), ("<article>", "</article>"),
     ("<section><header>", "</header></section>"), ("<h2><span>", "</span></h2>")],
)  # fmt: skip
def test_html_nested_thousands_deep_is_read(open_tag, close_tag):
    depth = DEEP_DIVS if open_tag == "<div>" else 5000
    page = (
        f"<html><body><main><p>Before it.</p>{open_tag * depth}Deepest words."
        f"{close_tag * depth}<p>After it.</p></main></body></html>"
    )
    read_texts = texts(parse_html(page.encode(), "deep.html", None, ReadOptions()))
    assert read_texts[0] == "Before it."
    assert read_texts[-1] == "After it."
    assert "Deepest words." in " ".join(read_texts)


def test_50000_nested_divs_through_the_cli(run_cli, tmp_path):
    (tmp_path / "divs.html").write_text(
        "<html><body>" + "<div>" * DEEP_DIVS + "Deepest words." + "</div>" * DEEP_DIVS
        + "<p>After them.</p></body></html>"
    )  # fmt: skip
    subtitles = narrated_subtitles(run_cli, tmp_path, "divs.html")
    assert "Deepest words." in subtitles and "After them." in subtitles


def _with_chapter_text(book, target, old: bytes, new: bytes):
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("chapter1.xhtml"):
                data = data.replace(old, new, 1)
            out.writestr(info, data)
    return target


def test_epub_chapter_nested_50000_deep_is_read(tmp_path):
    deep = b"<div>" * DEEP_DIVS + b"<p>Deepest words.</p>" + b"</div>" * DEEP_DIVS
    last = b"<p>Nobody opened it.</p>"
    book = _with_chapter_text(write_book(tmp_path / "plain.epub"), tmp_path / "deep.epub",
                              last, deep + last)  # fmt: skip
    chapter = read(book).sections[0]
    assert chapter.blocks == ("It was 1995 when the letter came.", "Deepest words.",
                              "Nobody opened it.")  # fmt: skip


LAUGHS = '<!DOCTYPE html [<!ENTITY lol3 "lol lol lol">]>'
SENTENCE = "Hello &lol3; world &amp; caf&eacute; &AMP; &#233;&#x20AC;, not &amp;lol3;."
SPOKEN = "Hello world & café & é€, not &lol3;."
"""An escaped reference (`&amp;lol3;`) is text the page shows, and stays."""


@pytest.mark.parametrize("name", ["page.html", "page.xhtml"])
def test_html_entity_that_does_not_resolve_says_nothing(tmp_path, name):
    (tmp_path / name).write_text(
        f'<?xml version="1.0"?>{LAUGHS}<html xmlns="http://www.w3.org/1999/xhtml"><body><main>'
        f"<h1>Title &lol3;</h1><p>{SENTENCE}</p><table><tr><td>&lol3;</td><td>Cell</td></tr>"
        "</table></main></body></html>",
        encoding="utf-8",
    )
    assert texts(read(tmp_path / name)) == ["Title", SPOKEN, "Cell"]


def test_epub_entity_that_does_not_resolve_says_nothing(tmp_path):
    book = _with_chapter_text(write_book(tmp_path / "plain.epub"), tmp_path / "lol.epub",
                              b"Nobody opened it.", SENTENCE.encode())  # fmt: skip
    assert texts(read(book))[2] == SPOKEN


def test_markdown_entity_that_does_not_resolve_says_nothing(tmp_path):
    (tmp_path / "page.md").write_text(
        f"# Title &lol3;\n\n{SENTENCE}\n\n| &lol3; | Cell |\n|---|---|\n\n"
        "<div>Block &lol3; HTML</div>\n\nCode `&lol3;` stays code.\n",
        encoding="utf-8",
    )
    assert texts(read(tmp_path / "page.md")) == [
        "Title", SPOKEN, "Cell", "Block HTML", "Code &lol3; stays code.",
    ]  # fmt: skip


def test_check_complete_wants_every_text_in_order():
    sections = [ManuscriptSection("One", ("Two, and three.", "Alt text.", "Four"))]
    check_complete("doc", ["One", "Two and", " three", "Four"], sections)
    with pytest.raises(InputError, match=r"^doc: part of the text could not be read, from 'Five'"):
        check_complete("doc", ["One", "Five"], sections)
    with pytest.raises(InputError, match="from 'One'"):
        check_complete("doc", ["Four", "One"], sections)


def test_an_html_walk_that_loses_text_is_refused(monkeypatch):
    element = html_blocks._Walker._element

    def losing_emphasis(self, tag):
        return iter(()) if tag.name == "em" else element(self, tag)

    monkeypatch.setattr(html_blocks._Walker, "_element", losing_emphasis)
    with pytest.raises(InputError, match=r"^page\.html: part of the text could not be read, "
                                         r"from 'lost'$"):  # fmt: skip
        parse_html(b"<p>Kept <em>lost</em> words.</p>", "page.html", None, ReadOptions())
