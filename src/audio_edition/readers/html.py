"""Read a saved web page (or an EPUB chapter) through BeautifulSoup over lxml: the article only.

- The article is the page's `<main>` when it holds several `<article>`s or none, else its
  largest `<article>` outside asides, footers and navigation, else itemprop="articleBody",
  else what readability-lxml finds to be the main content when that holds most of the page's
  words (GUESS_MIN_SHARE), else the whole body: never a silently shorter reading.
- Never spoken: script, style, nav, aside, forms, embedded media; footers (except a quote's
  or figure's); headers outside the article or main; hidden elements; and elements whose
  class or id is a boilerplate name (cookie banners, ads, share bars, newsletters, comments,
  related links, breadcrumbs, menus, sidebars). In an EPUB chapter only scripts, styles,
  media and hidden elements are dropped: asides (sidebars) are read where they sit.
- Notes (``<sup><a href="#fn1">1</a></sup>`` and what it points to) are read as readers.notes
  says: at the end of their section by default, never their markers.
- Headings start sections; paragraphs, list items, quotes, captions and table rows (cells
  joined by commas) are paragraphs. Code blocks and images behave as in Markdown.
- The title is og:title, else the article's first h1, else `<title>`; the author is meta
  author (or article:author, or a rel/itemprop author); the language is `<html lang>`.
- A document type's internal subset is removed before parsing, so entities it declares
  (external ones included: XXE) are never expanded; a reference to one, or to any entity HTML
  does not know (`&lol3;`), says nothing.
- Trees of any depth are read (the walk, in html_blocks, keeps its own stack), and a walk
  that missed any text it should have read is refused with an error.
- The bytes are decoded strictly before parsing (see decode_page): a byte not valid in the
  encoding a page declares is an error, not a letter lxml drops or replaces.
"""

from __future__ import annotations

import logging

from bs4 import BeautifulSoup
from bs4.dammit import EncodingDetector
from bs4.element import Tag

from audio_edition.document import Manuscript, ManuscriptSection, count_words
from audio_edition.errors import InputError, UsageError
from audio_edition.readers import ReadOptions, declared_language
from audio_edition.readers.html_blocks import html_sections, is_hidden, section_texts, soup_of
from audio_edition.readers.notes import page_target, prepare_notes
from audio_edition.readers.text import ENCODING_ADVICE, decode_strictly, text_codec

log = logging.getLogger(__name__)

GUESS_MIN_SHARE = 0.9
"""On a page that marks no article (no `<article>`, `<main>` or articleBody), readability-lxml's
guess is read only when it holds at least this share of the words the whole body would say
(its navigation, headers, footers, scripts and boilerplate left out); else the body is read.
On manuals (texinfo, DocBook, javadoc, gtk-doc) its guesses drop headings, sections and
paragraphs: a third to all of the words on many pages."""


def decode_page(
    data: bytes,
    name: str,
    encoding: str | None,
    guess: bool = True,
    advice: str = ENCODING_ADVICE,
) -> str:
    """The text of a page's (or an EPUB chapter's) bytes, decoded strictly: as `encoding` when
    given, else as its byte-order mark or its own declaration says (a `<meta>` charset, an XML
    declaration), else as UTF-8, or, with `guess`, as what the bytes look like (UTF-8,
    chardet's guess, windows-1252) to the first that decodes them all. A byte that is not
    valid in that encoding is a one-line InputError naming `name` and giving `advice`; a
    letter is never dropped or replaced.
    """
    if encoding is not None:
        codec = text_codec(encoding)
        if codec is None:
            raise UsageError(f"unknown encoding {encoding!r}")
        return decode_strictly(data, codec, name, advice=advice)
    data, bom = EncodingDetector.strip_byte_order_mark(data)
    if bom is not None:
        return decode_strictly(data, bom, name, " (as its byte-order mark says)", advice)
    declared = _declared_codec(data)
    if declared is not None:
        return decode_strictly(data, declared, name, ", the encoding it declares", advice)
    if not guess:
        return decode_strictly(data, "utf-8", name, advice=advice)
    for candidate in EncodingDetector(data[:_GUESS_BYTES], ["utf-8"], is_html=True).encodings:
        codec = text_codec(candidate)
        if codec is None:
            continue
        try:
            return data.decode(codec)
        except UnicodeError:
            continue
    raise InputError(f"{name}: its encoding cannot be told; {ENCODING_ADVICE}")


_GUESS_BYTES = 2**16
"""How much of an undeclared page chardet looks at to guess its encoding (all of it took 23 s
for 5.7 MB); the guess must still decode every byte."""


def _declared_codec(data: bytes) -> str | None:
    """The encoding a page declares, if Python knows it. A `<meta>` that says UTF-16 or
    UTF-32 is UTF-8 (it could not be read if it were so), as browsers have it."""
    declared = EncodingDetector.find_declared_encoding(data, is_html=True)
    codec = text_codec(declared) if declared else None
    return "utf-8" if codec is not None and codec.startswith(("utf-16", "utf-32")) else codec


def _articles(soup: BeautifulSoup) -> list[tuple[Tag, bool]]:
    """The articles outside asides, footers, headers, navigation and hidden elements, in
    document order, each with whether another of them holds it (found in one pass)."""
    found: list[tuple[Tag, bool]] = []
    pending: list[tuple[Tag, bool, bool]] = [(soup, False, False)]
    while pending:
        tag, outside, in_article = pending.pop()
        outside = outside or tag.name in ("aside", "footer", "nav", "header") or is_hidden(tag)
        if tag.name == "article" and not outside:
            found.append((tag, in_article))
            in_article = True
        pending.extend((child, outside, in_article) for child in reversed(tag.contents)
                       if isinstance(child, Tag))  # fmt: skip
    return found


def main_content(soup: BeautifulSoup) -> Tag | None:
    """The element holding the article, when the page marks it; else None.

    `<main>` (or role="main") when it holds several articles (a live blog) or none; else the
    largest `<article>` outside asides, footers and navigation; else itemprop="articleBody".
    """
    main = soup.find("main") or soup.find(True, attrs={"role": "main"})
    articles = _articles(soup)
    if isinstance(main, Tag) and not is_hidden(main):
        in_main = {id(tag) for tag in main.find_all("article")}
        inside = [tag for tag, _ in articles if id(tag) in in_main]
        return inside[0] if len(inside) == 1 else main
    outermost = [tag for tag, nested in articles if not nested]
    if outermost:  # an article inside another is never the larger
        return max(outermost, key=lambda tag: len(tag.get_text()))
    body = soup.find(True, attrs={"itemprop": "articleBody"})
    return body if isinstance(body, Tag) else None


def _article(
    soup: BeautifulSoup, options: ReadOptions, name: str
) -> tuple[Tag | None, list[ManuscriptSection]]:
    """The element holding the article, and its sections: the one the page marks; else what
    readability-lxml finds, when that holds at least GUESS_MIN_SHARE of the words the body
    would say (the words it leaves out are named in a warning); else, or when the whole page
    is asked for, the body."""
    marked = None if options.whole_page else main_content(soup)
    if marked is not None:
        return marked, html_sections(marked, options, name)
    body = soup.body
    whole = html_sections(body, options, name) if body is not None else []
    guess = None if options.whole_page else _readability_content(soup)
    if guess is None:
        return body, whole
    sections = html_sections(guess, options, name)
    kept, words = _word_count(sections), _word_count(whole)
    if kept < GUESS_MIN_SHARE * words:
        log.info("%s: the article found has only %d of the page's %d words; the page is read "
                 "whole", name, kept, words)  # fmt: skip
        return body, whole
    if kept < words:
        log.warning("%s: the page marks no article, and the one found leaves out %d of its %d "
                    "words (--whole-page reads them)", name, words - kept, words)  # fmt: skip
    return guess, sections


def _word_count(sections: list[ManuscriptSection]) -> int:
    return sum(count_words(text) for text in section_texts(sections))


def _readability_content(soup: BeautifulSoup) -> Tag | None:
    from readability import Document as Readability

    try:
        summary = Readability(str(soup)).summary(html_partial=True)
    except Exception as error:  # readability gives up on pages it cannot score
        log.debug("readability found no article: %s", error)
        return None
    content = soup_of(summary).body
    return content if content is not None and content.get_text(strip=True) else None


def _meta(soup: BeautifulSoup, attribute: str, value: str) -> str | None:
    tag = soup.find("meta", attrs={attribute: value})
    content = " ".join(str(tag.get("content") or "").split()) if isinstance(tag, Tag) else ""
    return content or None


def _author(soup: BeautifulSoup) -> str | None:
    author = _meta(soup, "name", "author") or _meta(soup, "property", "article:author")
    if author and not author.startswith(("http://", "https://")):
        return author
    for tag in (soup.find(True, rel="author"), soup.find(True, itemprop="author")):
        if isinstance(tag, Tag) and tag.get_text(strip=True):
            return " ".join(tag.get_text(" ").split())
    return None


def _title(soup: BeautifulSoup, article: Tag | None) -> str | None:
    heading = article.find("h1") if article is not None else None
    candidates = [
        _meta(soup, "property", "og:title"),
        heading.get_text(" ") if isinstance(heading, Tag) else None,
        soup.title.get_text() if soup.title is not None else None,
    ]
    return next((" ".join(c.split()) for c in candidates if c and c.strip()), None)


def _language(soup: BeautifulSoup) -> str | None:
    """`<html lang>`, else the first language of the content-language header it declares."""
    html = soup.find("html")
    lang = str(html.get("lang") or html.get("xml:lang") or "") if isinstance(html, Tag) else ""
    header = _meta(soup, "http-equiv", "content-language") or ""
    return lang.strip() or header.split(",")[0].strip() or None


def _check_not_binary(data: bytes, name: str) -> None:
    head = data[:8192]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in head and not utf16:
        raise InputError(f"{name} looks like a binary file, not a web page")


def parse_html(data: bytes, name: str, encoding: str | None, options: ReadOptions) -> Manuscript:
    """A web page as a Manuscript of its article."""
    _check_not_binary(data, name)
    soup = soup_of(decode_page(data, name, encoding))
    prepare_notes({"": soup}, options, name, page_target)
    article, sections = _article(soup, options, name)
    if not any(section.blocks or section.heading for section in sections):
        raise InputError(f"{name} has no text to narrate (no article text found)")
    return Manuscript(
        title=_title(soup, article),
        author=_author(soup),
        language=declared_language(_language(soup), name),
        sections=tuple(sections),
    )
