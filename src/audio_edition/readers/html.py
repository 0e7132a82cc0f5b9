"""Read a saved web page (or an EPUB chapter) through BeautifulSoup over lxml: the article only.

- The article is the page's `<main>` when it holds several `<article>`s or none, else its
  largest `<article>` outside asides, footers and navigation, else itemprop="articleBody",
  else what readability-lxml finds to be the main content.
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
  (external ones included: XXE) are never expanded.
"""

from __future__ import annotations

import logging
import re
import warnings

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from bs4.element import (
    CData,
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    ProcessingInstruction,
    Tag,
)

from ..document import Manuscript, ManuscriptSection
from ..errors import InputError, UsageError
from . import ReadOptions, SectionBuilder

log = logging.getLogger(__name__)

_INTERNAL_SUBSET = re.compile(
    rb"<!DOCTYPE[^\[>]*\[(?:\"[^\"]*\"|'[^']*'|[^\]\"'])*\]\s*>", re.IGNORECASE
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
_LAYOUT = ["table", "p", "div", "ul", "ol", *sorted(_HEADINGS)]
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
    "module", "zone", "holder", "site", "page", "global", "main",
})  # fmt: skip
"""Words that may stand beside a boilerplate word without changing it ("share-bar")."""
_KEEP_ALWAYS = frozenset({"html", "body", "main", "article"})
_CONTENT_PARENTS = {"header": ["article", "main"], "footer": ["blockquote", "figure"]}
"""Where a header or footer is part of the text (a headline; a quotation's source)."""
_NAME_TOKEN = re.compile(r"[a-z]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_NOT_TEXT = (Comment, CData, Declaration, Doctype, ProcessingInstruction)
BADGE_SOURCES = (
    "shields.io", "badge.fury.io", "badgen.net", "travis-ci.", "circleci.com", "codecov.io",
    "coveralls.io", "/badge", "badge.svg",
)  # fmt: skip


def soup_of(data: bytes, encoding: str | None = None) -> BeautifulSoup:
    """Parse HTML or XHTML leniently, with no document-type entities.

    XHTML is parsed as HTML on purpose: the HTML parser knows every named entity (`&eacute;`)
    and never loads a DTD.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(_INTERNAL_SUBSET.sub(b"<!DOCTYPE html>", data), "lxml",
                             from_encoding=encoding)  # fmt: skip


def is_badge(source: str, image: Tag | None = None) -> bool:
    """A badge: an image from a badge service, or an image that is a link's whole content."""
    if any(marker in source for marker in BADGE_SOURCES):
        return True
    link = image.parent if image is not None else None
    return isinstance(link, Tag) and link.name == "a" and not link.get_text(strip=True)


def is_boilerplate_name(name: str) -> bool:
    """A class or id made of a boilerplate word and neutral words only: "cookie-banner",
    "share-bar", "ad"; not "related-work", "has-sidebar", "ad-free" or "post-menu-item"."""
    words = set(_NAME_TOKEN.findall(name.lower()))
    return bool(words & _BOILERPLATE) and words <= _BOILERPLATE | _NEUTRAL


def _is_boilerplate(tag: Tag) -> bool:
    if tag.name in _KEEP_ALWAYS:
        return False
    names = [*(tag.get("class") or []), str(tag.get("id") or "")]
    return any(is_boilerplate_name(name) for name in names if name)


def _is_hidden(tag: Tag) -> bool:
    return (
        tag.has_attr("hidden")
        or str(tag.get("aria-hidden", "")).lower() == "true"
        or bool(_HIDDEN_STYLE.search(str(tag.get("style", ""))))
        or tag.get("role") in ("navigation", "banner", "contentinfo", "complementary", "dialog")
    )


def _never_spoken(tag: Tag, page: bool) -> bool:
    """Whether an element says nothing: on a web `page`, boilerplate too; in a book chapter,
    only scripts, styles, media and hidden elements."""
    if tag.name in ("header", "footer"):
        return page and tag.find_parent(_CONTENT_PARENTS[tag.name]) is None
    if tag.name == "aside" and not page:
        return False
    return tag.name in _NEVER_SPOKEN or _is_hidden(tag) or (page and _is_boilerplate(tag))


class _Walker:
    """Walks an element tree, cutting its text into sections and blocks."""

    def __init__(self, options: ReadOptions, page: bool) -> None:
        self.options = options
        self.page = page
        self.sections = SectionBuilder()
        self.line: list[str] = []

    def walk(self, node: Tag) -> list[ManuscriptSection]:
        self._children(node)
        self._flush()
        return self.sections.finish()

    def _flush(self) -> None:
        self.sections.add("".join(self.line))
        self.line = []

    def _children(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, _NOT_TEXT):
                    self.line.append(str(child))
            elif isinstance(child, Tag) and not _never_spoken(child, self.page):
                self._element(child)

    def _element(self, tag: Tag) -> None:
        name = tag.name
        if name in _HEADINGS:
            self._flush()
            self.sections.start_section(inline_text(tag, self.options, self.page))
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
        elif name == "tr" and not tag.find(_LAYOUT):
            self._flush()
            cells = tag.find_all(["td", "th"], recursive=False)
            texts = (inline_text(cell, self.options, self.page) for cell in cells)
            self.line.append(", ".join(" ".join(t.split()) for t in texts if t.strip()))
            self._flush()
        elif name in _BLOCKS:
            self._flush()
            self._children(tag)
            self._flush()
        else:
            self._children(tag)


def inline_text(tag: Tag, options: ReadOptions, page: bool = True) -> str:
    """The words inside an element, as one line."""
    return " ".join(" ".join(_texts(_Walker(options, page).walk(tag))).split())


def _texts(sections: list[ManuscriptSection]) -> list[str]:
    """Headings and blocks, in reading order."""
    return [text for s in sections for text in ([s.heading] if s.heading else []) + list(s.blocks)]


def html_sections(root: Tag, options: ReadOptions, page: bool = True) -> list[ManuscriptSection]:
    """The sections of an element tree: a new one at every heading (`page`: drop boilerplate)."""
    return _Walker(options, page).walk(root)


def fragment_blocks(html: str, options: ReadOptions) -> list[str]:
    """The text blocks of an HTML fragment (Markdown's block HTML), headings included."""
    body = soup_of(html.encode("utf-8"), "utf-8").body
    if body is None:
        return []
    return _texts(html_sections(body, options))


def _in_boilerplate(tag: Tag) -> bool:
    return any(
        parent.name in ("aside", "footer", "nav", "header") or _is_hidden(parent)
        for parent in [tag, *tag.parents]
        if isinstance(parent, Tag) and parent.name != "[document]"
    )


def main_content(soup: BeautifulSoup) -> Tag | None:
    """The element holding the article.

    `<main>` (or role="main") when it holds several articles (a live blog) or none; else the
    largest `<article>` outside asides, footers and navigation; else itemprop="articleBody";
    else what readability-lxml finds; else the body.
    """
    main = soup.find("main") or soup.find(True, attrs={"role": "main"})
    articles = [a for a in soup.find_all("article") if not _in_boilerplate(a)]
    if isinstance(main, Tag) and not _is_hidden(main):
        inside = [a for a in articles if main in a.parents]
        return inside[0] if len(inside) == 1 else main
    if articles:
        return max(articles, key=lambda tag: len(tag.get_text()))
    body = soup.find(True, attrs={"itemprop": "articleBody"})
    if isinstance(body, Tag):
        return body
    return _readability_content(soup) or soup.body


def _readability_content(soup: BeautifulSoup) -> Tag | None:
    from readability import Document as Readability

    try:
        summary = Readability(str(soup)).summary(html_partial=True)
    except Exception as error:  # readability gives up on pages it cannot score
        log.debug("readability found no article: %s", error)
        return None
    content = soup_of(summary.encode("utf-8"), "utf-8").body
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
    html = soup.find("html")
    lang = str(html.get("lang") or html.get("xml:lang") or "") if isinstance(html, Tag) else ""
    return lang.strip() or _meta(soup, "http-equiv", "content-language")


def _check_not_binary(data: bytes, name: str) -> None:
    head = data[:8192]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in head and not utf16:
        raise InputError(f"{name} looks like a binary file, not a web page")


def parse_html(data: bytes, name: str, encoding: str | None, options: ReadOptions) -> Manuscript:
    """A web page as a Manuscript of its article."""
    _check_not_binary(data, name)
    if encoding is not None:
        try:
            "".encode(encoding)
        except LookupError:
            raise UsageError(f"unknown encoding {encoding!r}") from None
    soup = soup_of(data, encoding)
    article = main_content(soup)
    sections = html_sections(article, options) if article is not None else []
    if not any(section.blocks or section.heading for section in sections):
        raise InputError(f"{name} has no text to narrate (no article text found)")
    return Manuscript(
        title=_title(soup, article),
        author=_author(soup),
        language=_language(soup),
        sections=tuple(sections),
    )
