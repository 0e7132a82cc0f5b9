"""Read a saved web page (or an EPUB chapter) through BeautifulSoup over lxml: the article only.

- The article is the page's `<main>` when it holds several `<article>`s or none, else its
  largest `<article>` outside asides, footers and navigation, else itemprop="articleBody",
  else what readability-lxml finds to be the main content when that holds most of the page's
  words (GUESS_MIN_SHARE), else the whole body: never a silently shorter reading.
- Never spoken: script, style, nav, aside, forms, embedded media; footers (except a quote's
  or figure's); headers outside the article or main; hidden elements; and elements whose
  class or id is a boilerplate name (cookie banners, ads, share bars, newsletters, comments,
  related links, breadcrumbs, menus, sidebars). In an EPUB chapter only scripts, styles,
  media and hidden elements are dropped: asides (sidebars, footnotes) are read where they sit.
- Headings start sections; paragraphs, list items, quotes, captions and table rows (cells
  joined by commas) are paragraphs. Code blocks and images behave as in Markdown.
- The title is og:title, else the article's first h1, else `<title>`; the author is meta
  author (or article:author, or a rel/itemprop author); the language is `<html lang>`.
- A document type's internal subset is removed before parsing, so entities it declares
  (external ones included: XXE) are never expanded; a reference to one, or to any entity HTML
  does not know (`&lol3;`), says nothing.
- Trees of any depth are read (the walk keeps its own stack), and a walk that missed any text
  it should have read is refused with an error.
- The bytes are decoded strictly before parsing (see decode_page): a byte not valid in the
  encoding a page declares is an error, not a letter lxml drops or replaces.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from html.entities import html5

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from bs4.dammit import EncodingDetector
from bs4.element import (
    CData,
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    PageElement,
    ProcessingInstruction,
    Tag,
)

from audio_edition.document import Manuscript, ManuscriptSection, count_words
from audio_edition.errors import InputError, UsageError
from audio_edition.readers import ReadOptions, SectionBuilder, check_complete, declared_language
from audio_edition.readers.text import ENCODING_ADVICE, decode_strictly, text_codec

log = logging.getLogger(__name__)

_INTERNAL_SUBSET = re.compile(
    r"<!DOCTYPE[^\[>]*\[(?:\"[^\"]*\"|'[^']*'|[^\]\"'])*\]\s*>", re.IGNORECASE
)
_NEVER_SPOKEN = frozenset({
    "script", "style", "noscript", "template", "nav", "aside", "form", "button", "select",
    "input", "textarea", "label", "iframe", "svg", "math", "canvas", "audio", "video", "object",
    "embed", "map", "dialog", "head", "meta", "link",
})  # fmt: skip
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "hr",
    "li", "main", "menu", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead",
    "tfoot", "ul", "legend",
})  # fmt: skip
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
_LAYOUT = frozenset({"table", "p", "div", "ul", "ol", *_HEADINGS})
"""What a table row used for layout holds: it is read as blocks, not as a row of cells."""
_BOILERPLATE = frozenset({
    "cookie", "cookies", "consent", "gdpr", "banner", "ad", "ads", "advert", "adverts",
    "advertisement", "sponsor", "sponsored", "promo", "newsletter", "subscribe", "subscription",
    "signup", "share", "sharing", "social", "related", "recommended", "comment", "comments",
    "breadcrumb", "breadcrumbs", "sidebar", "menu", "navbar", "nav", "popup", "modal", "paywall",
    "skip", "toolbar", "leaderboard", "promoted", "outbrain", "taboola",
})  # fmt: skip
"""Words that, in a class or id, mark an element as boilerplate."""
_NEUTRAL = frozenset({
    "bar", "box", "container", "wrapper", "wrap", "widget", "area", "block", "list", "links",
    "section", "panel", "inner", "outer", "top", "bottom", "unit", "slot", "notice", "overlay",
    "module", "zone", "holder", "site", "page", "global", "main", "sub",
})  # fmt: skip
"""Words that may stand beside a boilerplate word without changing it ("share-bar")."""
_KEEP_ALWAYS = frozenset({"html", "body", "main", "article"})
_CONTENT_PARENTS = {"header": {"article", "main"}, "footer": {"blockquote", "figure"}}
"""Where a header or footer is part of the text (a headline; a quotation's source)."""
_ANY_CONTENT_PARENT = frozenset({"article", "main", "blockquote", "figure"})
_NAME_TOKEN = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
"""A word of a class or id: "topNav" is "top" and "Nav", "share-bar" "share" and "bar"."""
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_NOT_TEXT = (Comment, CData, Declaration, Doctype, ProcessingInstruction)
_ENTITY_REFERENCE = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
GUESS_MIN_SHARE = 0.9
"""On a page that marks no article (no `<article>`, `<main>` or articleBody), readability-lxml's
guess is read only when it holds at least this share of the words the whole body would say
(its navigation, headers, footers, scripts and boilerplate left out); else the body is read.
On manuals (texinfo, DocBook, javadoc, gtk-doc) its guesses drop headings, sections and
paragraphs: a third to all of the words on many pages."""
BADGE_SOURCES = (
    "shields.io", "badge.fury.io", "badgen.net", "travis-ci.", "circleci.com", "codecov.io",
    "coveralls.io", "/badge", "badge.svg",
)  # fmt: skip


def soup_of(markup: str) -> BeautifulSoup:
    """Parse HTML or XHTML leniently, with no document-type entities.

    XHTML is parsed as HTML on purpose: the HTML parser knows every named entity (`&eacute;`)
    and never loads a DTD. References to any other entity (`&lol3;`, which a DTD would have
    declared) are removed, not read out.
    """
    markup = _INTERNAL_SUBSET.sub("<!DOCTYPE html>", markup)
    markup = _ENTITY_REFERENCE.sub(lambda ref: ref[0] if f"{ref[1]};" in html5 else "", markup)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(markup, "lxml")


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


def is_badge(source: str, image: Tag | None = None) -> bool:
    """A badge: an image from a badge service, or an image that is a link's whole content."""
    if any(marker in source for marker in BADGE_SOURCES):
        return True
    link = image.parent if image is not None else None
    return isinstance(link, Tag) and link.name == "a" and not link.get_text(strip=True)


def is_boilerplate_name(name: str) -> bool:
    """A class or id made of a boilerplate word and neutral words only: "cookie-banner",
    "share-bar", "ad"; not "related-work", "has-sidebar", "ad-free" or "post-menu-item"."""
    words = {word.lower() for word in _NAME_TOKEN.findall(name)}
    return bool(words & _BOILERPLATE) and words <= _BOILERPLATE | _NEUTRAL


def _is_boilerplate(tag: Tag) -> bool:
    if tag.name in _KEEP_ALWAYS:
        return False
    names = [*(tag.get("class") or []), str(tag.get("id") or "")]
    return any(is_boilerplate_name(name) for name in names if name)


def _within(tag: Tag) -> frozenset[str]:
    """The content parents (article, main, blockquote, figure) among `tag` and its parents."""
    return _ANY_CONTENT_PARENT.intersection(parent.name for parent in [tag, *tag.parents])


def _holds_blocks(row: Tag) -> bool:
    """Whether a table row holds blocks (a layout table's row): searched by hand, as bs4's
    `find` first walks to the row's last descendant (quadratic in nested tables)."""
    pending = list(row.contents)
    while pending:
        node = pending.pop()
        if isinstance(node, Tag):
            if node.name in _LAYOUT:
                return True
            pending.extend(node.contents)
    return False


def _is_hidden(tag: Tag) -> bool:
    return (
        tag.has_attr("hidden")
        or str(tag.get("aria-hidden", "")).lower() == "true"
        or bool(_HIDDEN_STYLE.search(str(tag.get("style", ""))))
        or tag.get("role") in ("navigation", "banner", "contentinfo", "complementary", "dialog")
    )


def _never_spoken(tag: Tag, page: bool, within: frozenset[str]) -> bool:
    """Whether an element says nothing: on a web `page`, boilerplate too; in a book chapter,
    only scripts, styles, media and hidden elements (`within`: what content parents, such as
    article, hold the element)."""
    if tag.name in ("header", "footer"):
        return page and not within & _CONTENT_PARENTS[tag.name]
    if tag.name == "aside" and not page:
        return False
    return tag.name in _NEVER_SPOKEN or _is_hidden(tag) or (page and _is_boilerplate(tag))


class _Walker:
    """Walks an element tree, cutting its text into sections and blocks.

    Each open element is a generator on a stack of the walk's own, not a call on Python's: a
    tree of any depth is read.
    """

    def __init__(self, options: ReadOptions, page: bool) -> None:
        self.options = options
        self.page = page
        self.sections = SectionBuilder()
        self.line: list[str] = []
        self._held: list[list[str]] = []
        """Lines set aside while the text of a heading or a table cell is collected."""
        self._inside: list[frozenset[str]] = []
        """For each open element, the content parents (see `_within`) its children are in."""

    def walk(self, root: Tag) -> list[ManuscriptSection]:
        open_elements = [self._read(root.children)]
        self._inside = [_within(root)]
        while open_elements:
            element = next(open_elements[-1], None)
            if element is None:
                open_elements.pop()
                self._inside.pop()
            else:
                open_elements.append(self._element(element))
                self._inside.append(self._inside[-1] | (_ANY_CONTENT_PARENT & {element.name}))
        self._flush()
        return self.sections.finish()

    def _flush(self) -> None:
        """End the current block (inside a heading or a cell: put a space)."""
        if self._held:
            self.line.append(" ")
        else:
            self.sections.add("".join(self.line))
            self.line = []

    def _hold(self) -> None:
        self._held.append(self.line)
        self.line = []

    def _release(self) -> str:
        """The text collected since `_hold`, as one line (none without a letter or digit)."""
        text = " ".join("".join(self.line).split())
        self.line = self._held.pop()
        return text if any(ch.isalnum() for ch in text) else ""

    def _read(self, nodes: Iterable[PageElement]) -> Iterator[Tag]:
        """Read the text among `nodes`; yield each spoken element among them, to be walked."""
        for node in nodes:
            if isinstance(node, NavigableString):
                if not isinstance(node, _NOT_TEXT):
                    self.line.append(str(node))
            elif isinstance(node, Tag) and not _never_spoken(node, self.page, self._inside[-1]):
                yield node

    def _element(self, tag: Tag) -> Iterator[Tag]:
        """Read one element; yield the elements in it, to be walked in turn."""
        name = tag.name
        if name in _HEADINGS:
            self._flush()
            self._hold()
            yield from self._read(tag.children)
            heading = self._release()
            if self._held:
                self.line.append(f" {heading} ")
            else:
                self.sections.start_section(heading)
        elif name == "br":
            self.line.append("\n")
        elif name == "img":
            alt = str(tag.get("alt") or "")
            if self.options.read_alt_text and not is_badge(str(tag.get("src") or ""), tag):
                self.line.append(f" {alt} ")
        elif name == "pre":
            self._flush()
            if self.options.read_code:
                self.line.append(tag.get_text())
                self._flush()
        elif name == "table" and not self.options.read_tables:
            self._flush()
        elif name == "tr" and not _holds_blocks(tag):
            self._flush()
            cells = []
            for cell in tag.children:  # cells, and anything a page left between them
                self._hold()
                yield from self._read([cell])
                cells.append(self._release())
            self.line.append(", ".join(cell for cell in cells if cell))
            self._flush()
        elif name in _BLOCKS:
            self._flush()
            yield from self._read(tag.children)
            self._flush()
        else:
            yield from self._read(tag.children)


def _texts(sections: list[ManuscriptSection]) -> list[str]:
    """Headings and blocks, in reading order."""
    return [text for s in sections for text in ([s.heading] if s.heading else []) + list(s.blocks)]


def html_sections(
    root: Tag, options: ReadOptions, name: str, page: bool = True
) -> list[ManuscriptSection]:
    """The sections of an element tree: a new one at every heading (`page`: drop boilerplate).

    Refuses (with `name` in the message) a reading that lost any of the tree's spoken text.
    """
    sections = _Walker(options, page).walk(root)
    check_complete(name, _spoken_strings(root, options, page), sections)
    return sections


def _spoken_strings(root: Tag, options: ReadOptions, page: bool) -> Iterator[str]:
    """The text a walk of `root` must read: all but what unspoken elements hold, and code and
    tables unless they are asked for (found apart from the walk, to check it)."""
    pending: list[tuple[PageElement, frozenset[str]]] = [
        (child, _within(root)) for child in reversed(root.contents)
    ]
    while pending:
        node, within = pending.pop()
        if isinstance(node, NavigableString):
            if not isinstance(node, _NOT_TEXT):
                yield str(node)
        elif isinstance(node, Tag) and not _never_spoken(node, page, within):
            if node.name == "pre":
                if options.read_code:
                    yield node.get_text()
            elif node.name != "table" or options.read_tables:
                within |= _ANY_CONTENT_PARENT & {node.name}
                pending.extend((child, within) for child in reversed(node.contents))


def fragment_blocks(html: str, options: ReadOptions, name: str) -> list[str]:
    """The text blocks of an HTML fragment (Markdown's block HTML), headings included."""
    body = soup_of(html).body
    if body is None:
        return []
    return _texts(html_sections(body, options, name))


def _articles(soup: BeautifulSoup) -> list[tuple[Tag, bool]]:
    """The articles outside asides, footers, headers, navigation and hidden elements, in
    document order, each with whether another of them holds it (found in one pass)."""
    found: list[tuple[Tag, bool]] = []
    pending: list[tuple[Tag, bool, bool]] = [(soup, False, False)]
    while pending:
        tag, outside, in_article = pending.pop()
        outside = outside or tag.name in ("aside", "footer", "nav", "header") or _is_hidden(tag)
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
    if isinstance(main, Tag) and not _is_hidden(main):
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
    return sum(count_words(text) for text in _texts(sections))


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
    article, sections = _article(soup, options, name)
    if not any(section.blocks or section.heading for section in sections):
        raise InputError(f"{name} has no text to narrate (no article text found)")
    return Manuscript(
        title=_title(soup, article),
        author=_author(soup),
        language=declared_language(_language(soup), name),
        sections=tuple(sections),
    )
