"""The block walker: the spoken text of an HTML element tree, cut into sections and blocks.

A book's chapter document is walked with headings that do not start sections (the first, with
nothing before it, heads the reading) and cut at the elements marked CUT (an EPUB's navigation
targets). A NOTE_TAG (see readers.notes) says its note in place, or after its section.

A ``data-voice="Holmes"`` names the speaker of the blocks in the element holding it (the
innermost wins); on an inline element (a span, a q, a cell) it names the speaker of the block
holding it, the first such one winning. A name not allowed (readers.NAME_RULE) is ignored
with a warning.
"""

from __future__ import annotations

import itertools
import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from html.entities import html5
from typing import NamedTuple

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
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

from audio_edition.document import ManuscriptSection
from audio_edition.errors import excerpt
from audio_edition.readers import (
    NAME_RULE,
    ReadOptions,
    SectionBuilder,
    check_complete,
    speaker_name,
)

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
NOTE_TAG = "audio-edition-note"
"""What stands for a note's reference once notes are prepared: its data-said is the note as
spoken, read in place when it has data-inline, else after its section."""
CUT = "data-audio-edition-cut"
"""The attribute marking where a book's chapter document is cut (its value names the cut)."""
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


def is_hidden(tag: Tag) -> bool:
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
    return tag.name in _NEVER_SPOKEN or is_hidden(tag) or (page and _is_boilerplate(tag))


class _Walker:
    """Walks an element tree, cutting its text into sections and blocks.

    Each open element is a generator on a stack of the walk's own, not a call on Python's: a
    tree of any depth is read.
    """

    def __init__(self, options: ReadOptions, page: bool, name: str, book: bool = False) -> None:
        self.options = options
        self.page = page
        self.name = name
        self.book = book
        self.sections = SectionBuilder()
        self.cuts: list[tuple[str, int]] = []
        """In a `book`: each cut, and how many sections were closed before it."""
        self.notes: list[list[str]] = [[]]
        """In a `book`: the notes to read after each piece (the text before the first cut,
        then each cut's), kept apart from its text."""
        self.line: list[str] = []
        self.said_by: tuple[str | None, bool] = (None, False)
        """Who speaks the current line, and whether an inline element's data-voice says so."""
        self._held: list[tuple[list[str], tuple[str | None, bool]]] = []
        """Lines set aside while the text of a heading or a table cell is collected."""
        self._inside: list[frozenset[str]] = []
        """For each open element, the content parents (see `_within`) its children are in."""
        self._voices: list[str | None] = []
        """For each open element, the speaker its or its nearest parent's data-voice names."""
        self._quotes = 0
        """How many <q> elements are open: a browser shows their quotation marks (\u201c…\u201d, and
        one \u2018…\u2019 in it), and they are read with them, so that a cast finds the speech."""

    def walk(self, root: Tag) -> list[ManuscriptSection]:
        open_elements = [self._read(root.children)]
        self._inside = [_within(root)]
        self._voices = [None]
        for tag in reversed([root, *root.parents]):
            self._voices[0] = self._voice(tag) or self._voices[0]
        while open_elements:
            element = next(open_elements[-1], None)
            if element is None:
                open_elements.pop()
                self._inside.pop()
                self._voices.pop()
            else:
                if self.book and element.has_attr(CUT):
                    self._cut(str(element[CUT]))
                open_elements.append(self._element(element))
                self._inside.append(self._inside[-1] | (_ANY_CONTENT_PARENT & {element.name}))
                self._open_voice(element)
        self._flush()
        return self.sections.finish()

    def _cut(self, key: str) -> None:
        self._flush()
        self.sections.finish()
        self.cuts.append((key, len(self.sections.sections)))
        self.notes.append([])

    def _voice(self, tag: Tag) -> str | None:
        """The speaker `tag`'s data-voice names. One not allowed is ignored with a warning, and
        removed: a page read twice (its body and readability's guess) warns once."""
        written = tag.get("data-voice")
        if written is None:
            return None
        speaker = speaker_name(str(written))
        if speaker is None:
            del tag["data-voice"]
            log.warning("%s: data-voice ignored: %r is not a speaker's name (%s)", self.name,
                        excerpt(str(written)), NAME_RULE)  # fmt: skip
        return speaker

    def _open_voice(self, tag: Tag) -> None:
        """Note who speaks in `tag`; an inline element names the speaker of its line."""
        speaker = self._voice(tag)
        self._voices.append(speaker or self._voices[-1])
        inline = tag.name not in _BLOCKS and tag.name not in _HEADINGS and tag.name != "tr"
        if speaker is not None and inline and not self.said_by[1]:
            self.said_by = (speaker, True)

    def _flush(self) -> None:
        """End the current block (inside a heading or a cell: put a space)."""
        if self._held:
            self.line.append(" ")
        else:
            self.sections.add("".join(self.line), self.said_by[0])
            self.line, self.said_by = [], (None, False)

    def _hold(self) -> None:
        self._held.append((self.line, self.said_by))
        self.line, self.said_by = [], (None, False)

    def _release(self) -> str:
        """The text collected since `_hold`, as one line (none without a letter or digit);
        its speaker is the line's it joins, unless only it names one."""
        text = " ".join("".join(self.line).split())
        self.line, said_by = self._held.pop()
        if said_by[1] or (said_by[0] is not None and not self.said_by[1]):
            self.said_by = said_by
        return text if any(ch.isalnum() for ch in text) else ""

    def _read(self, nodes: Iterable[PageElement]) -> Iterator[Tag]:
        """Read the text among `nodes`; yield each spoken element among them, to be walked."""
        for node in nodes:
            if isinstance(node, NavigableString):
                if not isinstance(node, _NOT_TEXT):
                    self.line.append(str(node))
                    if self.said_by[0] is None:
                        self.said_by = (self._voices[-1], False)
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
            elif self.book and not self.sections.blank:
                self.sections.add(heading)
            else:
                self.sections.start_section(heading, int(name[1]))
                self.said_by = (None, False)
        elif name == "q":
            marks = "\u201c\u201d" if self._quotes % 2 == 0 else "\u2018\u2019"
            self._quotes += 1
            self.line.append(marks[0])
            yield from self._read(tag.children)
            self.line.append(marks[1])
            self._quotes -= 1
        elif name == NOTE_TAG:
            if tag.has_attr("data-inline"):
                self.line.append(f" {tag['data-said']}")
            else:
                said = str(tag["data-said"])
                if self.book:
                    self.notes[-1].append(said)
                else:
                    self.sections.note(said)
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


def section_texts(sections: list[ManuscriptSection]) -> list[str]:
    """Headings and blocks, in reading order."""
    return [text for s in sections for text in ([s.heading] if s.heading else []) + list(s.blocks)]


def html_sections(
    root: Tag, options: ReadOptions, name: str, page: bool = True
) -> list[ManuscriptSection]:
    """The sections of an element tree: a new one at every heading (`page`: drop boilerplate).

    Refuses (with `name` in the message) a reading that lost any of the tree's spoken text.
    """
    sections = _Walker(options, page, name).walk(root)
    check_complete(name, _spoken_strings(root, options, page), sections)
    return sections


class Piece(NamedTuple):
    """A piece of a book's chapter document: from a cut (or its start) to the next cut."""

    cut: str | None
    """The name of the cut it starts at (None: the document's start)."""
    section: ManuscriptSection | None
    """Its text, if it says anything (the first heading heads it, when nothing is before it)."""
    notes: list[str]
    """The notes it refers to, to read after it."""


def book_pieces(root: Tag, options: ReadOptions, name: str) -> list[Piece]:
    """A book's chapter document cut at the elements marked CUT: the piece before the first cut,
    then each cut's. Headings do not start sections. Refuses (naming `name`) a reading that
    lost any spoken text."""
    walker = _Walker(options, False, name, book=True)
    sections = walker.walk(root)
    check_complete(name, _spoken_strings(root, options, False), sections)
    bounds = [(None, 0), *walker.cuts, (None, len(sections))]
    return [
        Piece(key, sections[start] if end > start else None, notes)
        for ((key, start), (_, end)), notes in zip(
            itertools.pairwise(bounds), walker.notes, strict=True
        )
    ]


def spoken_text(root: Tag, options: ReadOptions, name: str) -> str:
    """What a book's walk of `root` reads (its blocks), in one line."""
    blocks = [text for piece in book_pieces(root, options, name)
              for text in ([piece.section.heading or "", *piece.section.blocks]
                           if piece.section else []) + piece.notes]  # fmt: skip
    return " ".join(" ".join(blocks).split())


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


def fragment_blocks(html: str, options: ReadOptions, name: str) -> list[tuple[str, str | None]]:
    """The text blocks of an HTML fragment (Markdown's block HTML), headings included, each
    with the speaker its data-voice names."""
    body = soup_of(html).body
    blocks: list[tuple[str, str | None]] = []
    for section in html_sections(body, options, name) if body is not None else []:
        if section.heading:
            blocks.append((section.heading, None))
        speakers = section.speakers or (None,) * len(section.blocks)
        blocks.extend(zip(section.blocks, speakers, strict=True))
    return blocks
