"""Markdown, HTML and EPUB readers: section structure and the exact words spoken."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio_edition.document import Document
from audio_edition.readers import ReadOptions, format_of, read
from audio_edition.text.normalize import Normalizer
from audio_edition.text.segment import segment
from tests.books import png, write_book

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BLOG_POST = FIXTURES / "blog-post.md"
NEWS_PAGE = FIXTURES / "news-page.html"


def spoken(source: Path, **options: bool) -> Document:
    manuscript = read(source, options=ReadOptions(**options))
    return segment(manuscript, 60, Normalizer(manuscript.language or "en"))


def outline(document: Document) -> list[tuple[str | None, list[str]]]:
    """Each section's heading and the spoken text of its paragraphs (heading's first)."""
    return [
        (section.heading, [paragraph.spoken for paragraph in section.paragraphs])
        for section in document.sections
    ]


def test_format_follows_the_extension_or_the_option():
    assert format_of("post.MD", None) == "markdown"
    assert format_of("page.htm", None) == "html"
    assert format_of("book.epub", None) == "epub"
    assert format_of("notes.rst", None) == "text"
    assert format_of("-", None) == "text"
    assert format_of("-", "html") == "html"


def test_markdown_blog_post_speaks_words_only():
    document = spoken(BLOG_POST)
    assert (document.title, document.author, document.language) == (
        "Twilight Serenade, Revisited", "Jane Critic", "en-US",
    )  # fmt: skip
    assert outline(document) == [
        ("Twilight Serenade, Revisited", [
            "Twilight Serenade, Revisited",
            "A second look at the quiet film that everyone talked about, and a trailer worth "
            "watching.",
        ]),
        ("What works", [
            "What works",
            "The score, written by Ana Ruiz.",
            "The long takes in the final reel.",
            "A cast of twelve actors.",
            "Every frame earns its place. It never hurries.",
        ]),
        ("Numbers", [
            "Numbers",
            "Aspect, Score",
            "Story, four",
            "Sound, five",
            "Run pip install audio-edition to hear it. Then listen.",
            "An HTML note that is read.",
            "The end.",
        ]),
    ]  # fmt: skip
    assert document.paragraphs[0].heading and not document.paragraphs[1].heading


def test_markdown_options_read_code_and_alt_text_and_skip_tables():
    texts = [p.text for p in spoken(BLOG_POST, read_code=True, read_alt_text=True,
                                    read_tables=False).paragraphs]  # fmt: skip
    assert 'print("this is code")' in texts
    assert "indented code block" in texts
    assert "A still from the film" in texts
    assert not any("Aspect" in text or "Story" in text for text in texts)
    assert not any("Build status" in text or "Coverage" in text for text in texts)  # badges


def test_markdown_title_from_the_first_heading_without_front_matter(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Field Notes\n\nSome *notes*.\n\n## Later\n\nMore.\n", encoding="utf-8")
    document = spoken(path)
    assert document.title == "Field Notes"
    assert outline(document) == [
        ("Field Notes", ["Field Notes", "Some notes."]),
        ("Later", ["Later", "More."]),
    ]


def test_malformed_markdown_still_reads_what_it_can(tmp_path):
    path = tmp_path / "broken.md"
    path.write_text(
        "---\ntitle: [unclosed\n---\n\nStart **bold never closed and [a link](\n\n"
        "```\nunclosed fence, code to the end\n",
        encoding="utf-8",
    )
    document = spoken(path)
    assert document.title is None  # the front matter is not valid YAML: ignored
    assert [p.text for p in document.paragraphs] == ["Start bold never closed and [a link]("]


def test_news_page_speaks_the_article_only():
    document = spoken(NEWS_PAGE)
    assert (document.title, document.author, document.language) == (
        "Quiet film wins the festival", "Sam Reporter", "en-GB",
    )  # fmt: skip
    assert outline(document) == [
        ("Quiet film wins the festival", [
            "Quiet film wins the festival",
            "By Sam Reporter",
            "A small film about a lighthouse keeper won the main prize on Saturday, beating "
            "eleven louder rivals.",
            "The lighthouse where most of the film was shot.",
            "The jury called it patient and generous. Its director, Ana Ruiz, thanked the crew.",
        ]),
        ("A long road", [
            "A long road",
            "The film took six years to make.",
            "It was shot on film.",
            "It has no music.",
        ]),
    ]  # fmt: skip


def test_news_page_alt_text_on_request():
    texts = [p.text for p in spoken(NEWS_PAGE, read_alt_text=True).paragraphs]
    assert "A lighthouse at dusk The lighthouse where most of the film was shot." not in texts
    assert any("A lighthouse at dusk" in text for text in texts)


def test_page_without_article_markup_uses_readability(tmp_path):
    story = " ".join(f"The keeper climbed the stairs for the {n} time that winter." for n in
                     ("first", "second", "third", "fourth", "fifth", "sixth"))  # fmt: skip
    page = (
        "<html><body><div class='top'><a href='/'>Home</a> <a href='/a'>About</a></div>"
        f"<div class='content'><div class='text'><p>{story}</p><p>{story}</p></div></div>"
        "<div class='bottom'><a href='/c'>Contact</a></div></body></html>"
    )
    path = tmp_path / "plain.html"
    path.write_text(page, encoding="utf-8")
    texts = [p.text for p in spoken(path).paragraphs]
    assert texts[0].startswith("The keeper climbed the stairs for the first time")
    assert not any("Contact" in text or "About" in text for text in texts)


def test_malformed_html_still_reads_what_it_can(tmp_path):
    path = tmp_path / "broken.html"
    path.write_bytes(b"<html><body><p>First <b>bold <i>never closed<p>Second</div></span>")
    assert [p.text for p in spoken(path).paragraphs] == ["First bold never closed", "Second"]


def test_epub_chapters_in_spine_order_with_metadata_and_cover(tmp_path):
    book = write_book(tmp_path / "letters.epub", cover=png())
    document = spoken(book)
    assert (document.title, document.author, document.language) == (
        "The Lighthouse Letters", "Ada Writer", "en",
    )  # fmt: skip
    assert document.cover is not None and document.cover.mime == "image/png"
    assert document.cover.data == png()
    assert outline(document) == [
        ("Chapter I: The Letter", [
            "Chapter one: The Letter",
            "It was nineteen ninety-five when the letter came.",
            "Nobody opened it.",
        ]),
        ("Chapter II: The Journey", [
            "Chapter two: The Journey",
            "They walked twelve miles by night.",
            "The sea was calm.",
        ]),
        ("Chapter III: Home", [
            "Chapter three: Home", "Doctor Moss was waiting at the door.", "The end.",
        ]),
    ]  # fmt: skip


def test_epub_without_headings_takes_its_table_of_contents_titles(tmp_path):
    book = write_book(tmp_path / "plain.epub")
    # Rewrite chapter bodies without a heading: ebooklib keeps the TOC entry titles.
    import zipfile

    rewritten = tmp_path / "untitled.epub"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(rewritten, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("chapter2.xhtml"):
                data = data.replace(b"<h1>Chapter II: The Journey</h1>", b"")
            target.writestr(info, data)
    sections = spoken(rewritten).sections
    assert sections[1].heading == "Chapter II: The Journey"
    assert sections[1].paragraphs[0].spoken == "Chapter two: The Journey"


@pytest.mark.parametrize(
    ("language", "said"),
    [("fr", "trois + quatre"), ("de-DE", "drei + vier"), ("en", "three plus four")],
)
def test_document_language_sets_the_normalization(tmp_path, language, said):
    """Numbers are read in the page's language; outside English, "+" is left to the engine."""
    path = tmp_path / "page.html"
    path.write_text(f"<html lang='{language}'><body><p>3 + 4</p></body></html>")
    document = spoken(path)
    assert document.language == language
    assert document.paragraphs[0].spoken == said


def test_long_epub_chapter_reads_without_parser_warnings(tmp_path):
    """A long XHTML chapter is parsed as HTML on purpose (pytest turns warnings into errors)."""
    long_paragraph = "The keeper wrote another word. " * 100
    book = write_book(tmp_path / "long.epub", chapters=(("Chapter 1", [long_paragraph]),))
    document = spoken(book)
    assert document.paragraphs[1].text == long_paragraph.strip()


def page_texts(tmp_path, html: str) -> list[str]:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    manuscript = read(path)
    return [text for s in manuscript.sections for text in ([s.heading] if s.heading else [])
            + list(s.blocks)]  # fmt: skip


@pytest.mark.parametrize(
    "attributes",
    ['id="related-work"', 'id="ad-hoc-networks"', 'id="social-media-use"', 'class="has-sidebar"',
     'class="lead ad-free"', 'class="main-banner-text"', 'class="post-menu-item"'],
)  # fmt: skip
def test_real_text_whose_class_or_id_merely_mentions_boilerplate_is_read(tmp_path, attributes):
    texts = page_texts(tmp_path, f"<main><h2>Intro</h2><p>Kept one.</p><section {attributes}>"
                                 "<p>Kept two.</p></section></main>")  # fmt: skip
    assert texts == ["Intro", "Kept one.", "Kept two."]


@pytest.mark.parametrize(
    "attributes", ['class="share-bar"', 'id="cookie-banner"', 'class="ad"', 'class="comments"']
)
def test_boilerplate_names_are_dropped(tmp_path, attributes):
    texts = page_texts(
        tmp_path, f"<main><p>Kept.</p><div {attributes}><p>Dropped.</p></div></main>"
    )
    assert texts == ["Kept."]


def test_teaser_article_in_an_aside_does_not_win_over_main(tmp_path):
    teaser = "<article><h2>Other</h2><p>A much longer teaser blurb, on and on and on.</p></article>"
    page = f"<body><main><h1>Story</h1><p>The real story.</p></main><aside>{teaser}</aside></body>"
    texts = page_texts(tmp_path, page)
    assert texts == ["Story", "The real story."]


def test_live_blog_with_several_articles_in_main_reads_them_all(tmp_path):
    texts = page_texts(
        tmp_path,
        "<main><article><p>First update.</p></article>"
        "<article><p>Second, longer update here.</p></article></main>",
    )
    assert texts == ["First update.", "Second, longer update here."]


def test_header_inside_main_is_the_headline(tmp_path):
    texts = page_texts(tmp_path, "<body><header><p>Site name</p></header><main><header>"
                                 "<h1>The Title</h1><p>Standfirst.</p></header><p>Body.</p>"
                                 "</main></body>")  # fmt: skip
    assert texts == ["The Title", "Standfirst.", "Body."]


def test_layout_table_is_read_as_blocks_once(tmp_path):
    texts = page_texts(tmp_path, "<main><table><tr><td><h1>Layout title</h1><p>First para.</p>"
                                 "<table><tr><td>inner A</td><td>inner B</td></tr></table>"
                                 "</td></tr></table></main>")  # fmt: skip
    assert texts == ["Layout title", "First para.", "inner A, inner B"]


def test_quotation_source_in_a_blockquote_footer_is_read(tmp_path):
    texts = page_texts(tmp_path, "<main><blockquote><p>To be.</p><footer>Hamlet</footer>"
                                 "</blockquote><footer>Site footer</footer></main>")  # fmt: skip
    assert texts == ["To be.", "Hamlet"]


def test_epub_chapter_asides_and_sidebars_are_read(tmp_path):
    book = write_book(tmp_path / "asides.epub", chapters=(
        ("One", ['Text.<aside epub:type="footnote">A note.</aside>',
                 '<div class="sidebar">A sidebar box.</div>']),
    ))  # fmt: skip
    texts = [p.text for p in spoken(book).paragraphs]
    assert "A note." in texts and "A sidebar box." in texts


def test_epub2_cover_from_its_meta_element(tmp_path):
    import zipfile

    book = write_book(tmp_path / "plain.epub", cover=png())
    epub2 = tmp_path / "epub2.epub"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(epub2, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".opf"):
                data = data.replace(b' properties="cover-image"', b"")
            target.writestr(info, data)
    cover = read(epub2).cover
    assert cover is not None and cover.data == png()


def test_markdown_toml_front_matter_footnotes_breaks_and_author_lists(tmp_path):
    path = tmp_path / "hugo.md"
    path.write_text('+++\ntitle = "Toml Title"\nauthor = "Ann"\n+++\n\nLine one<br>line two, '
                    "a note[^1] and 5 * 3.\n\n[^1]: The source.\n", encoding="utf-8")  # fmt: skip
    document = spoken(path)
    assert (document.title, document.author) == ("Toml Title", "Ann")
    assert outline(document) == [
        ("Toml Title", ["Toml Title", "Line one line two, a note and five times three.",
                        "Note one: The source."]),
    ]  # fmt: skip
    path.write_text("---\nauthor: [{name: Ann}, {name: Bob}]\n---\n\nHi.\n", encoding="utf-8")
    assert read(path).author == "Ann, Bob"


def test_markdown_table_cells_beyond_the_header_row_are_read(tmp_path):
    """GFM drops a row's cells past the header's number; a pipe inside backticks makes one."""
    path = tmp_path / "scores.md"
    path.write_text("| Name | Score |\n|---|---|\n| Ann | 10 | Ann won the gold |\n"
                    "| Bob | `a | b` and more |\n| Cy |\n\n> | A | B |\n> |---|---|\n"
                    "> | 1 | 2 | 3 \\| 4 |\n", encoding="utf-8")  # fmt: skip
    assert [p.text for p in spoken(path).paragraphs] == [
        "Name, Score", "Ann, 10, Ann won the gold", "Bob, a, b and more", "Cy", "A, B",
        "1, 2, 3 | 4",
    ]  # fmt: skip
