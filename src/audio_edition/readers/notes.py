"""Notes in web pages and EPUB books: a note's reference is never read inside its sentence; the
note is read at the end of its chapter, where it is referenced, or not at all (ReadOptions.notes).

- A note reference is a link to an element of the page or book that is typed as one
  (``epub:type="noteref"``, ``role="doc-noteref"``), or whose text (at most
  MAX_NOTE_MARKER_CHARS letters and digits) is a superscript: ``<sup><a href="#fn1">1</a></sup>``.
- The note is the element it points to (or the block holding it, when that is a bare anchor),
  without its links back; one that holds the reference, or a heading (a section, unless marked
  as a note), is not a note, and the link is read as it stands. A note is read as
  "Note 1: ..." after its chapter, or "(Note: ...)" in its place; once, however often it is
  referenced.
- A notes section (``epub:type`` footnotes, endnotes or rearnotes, ``role="doc-endnotes"``, or
  ``class="footnotes"``), or a document, left with nothing but headings once its notes are
  taken out is not read.
- An element typed as a note (footnote, endnote, rearnote) that nothing references is read where
  it stands; with "skip" it is not, and the number of notes not read is a warning.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterator, Mapping

from bs4 import BeautifulSoup
from bs4.element import Tag

from audio_edition.readers import ReadOptions, letters_of
from audio_edition.readers.html_blocks import NOTE_TAG, spoken_text

log = logging.getLogger(__name__)

MAX_NOTE_MARKER_CHARS = 4
"""A superscript link with more letters and digits than this is a link, not a note reference."""
MAX_NOTE_CLIMB = 3
"""A reference to an inline element (a bare anchor) points to the block holding it, at most
this many levels up."""
_NOTE_TYPES = frozenset({"footnote", "endnote", "note", "rearnote"})
_NOTES_TYPES = frozenset({"footnotes", "endnotes", "rearnotes"})
_BACK_TYPES = frozenset({"backlink", "referrer"})
_BACK_MARKS = frozenset({"\u21a9", "\u21a9\ufe0e", "\u2191", "^"})
_NOTE_BLOCKS = ("p", "li", "aside", "dd", "dt", "div", "blockquote", "td")
_HEADINGS = [f"h{level}" for level in range(1, 7)]

Resolver = Callable[[str, str], tuple[str, str] | None]
"""A link's target as (document, id), from the document holding it and its href; None when
it points outside the documents."""


def types_of(tag: Tag) -> set[str]:
    """An element's epub:type values and its doc- roles (``role="doc-index"`` is "index")."""
    types = set(str(tag.get("epub:type") or "").lower().split())
    roles = str(tag.get("role") or "").lower().split()
    return types | {role[4:] for role in roles if role.startswith("doc-")}


def page_target(document: str, href: str) -> tuple[str, str] | None:
    """A web page's resolver: only links within the page (``#fn1``)."""
    return (document, href[1:]) if href.startswith("#") and len(href) > 1 else None


def prepare_notes(
    documents: Mapping[str, Tag], options: ReadOptions, name: str, resolve: Resolver
) -> None:
    """Take the notes out of `documents` (trees by name) and put in each reference's place a
    NOTE_TAG saying its note (or nothing, with notes skipped). `name` is for the warning.
    Linear in the documents' size, however deep."""
    trees = _Trees(documents)
    references = list(trees.references(resolve))
    said = 0
    emptied: set[str] = set()
    stand_ins = BeautifulSoup("", "lxml")
    for number, (link, doc, note) in enumerate(references, start=1):
        if id(link) in trees.taken:
            continue  # in a note taken out already: a link back, or read in that note's text
        if id(note) in trees.taken:  # read for an earlier reference
            link.extract()
            continue
        _drop_backlinks(note, link, doc, trees, resolve)
        trees.take(note)
        emptied.add(doc)
        said += 1
        text = spoken_text(note, options, name)
        label = letters_of(link.get_text()) or str(number)
        _replace(link, stand_ins, options.notes, label, text)
    typed = trees.outermost(_is_note) if options.notes == "skip" else []
    for note in typed:
        trees.take(note)
    sections = trees.outermost(_is_notes_section)
    for doc, tree in documents.items():
        _drop_empty_notes_sections(tree, [s for s in sections if trees.holds(tree, s)],
                                   doc in emptied)  # fmt: skip
    if options.notes == "skip" and (said or typed):
        log.warning("%s: %d notes not read (--notes skip)", name, said + len(typed))


class _Trees:
    """The documents' elements, indexed in one walk: by id, in order, where each one's
    descendants end, whether it holds a heading; and those taken out as notes."""

    def __init__(self, documents: Mapping[str, Tag]) -> None:
        self.tags: dict[str, list[Tag]] = {}
        self.ids: dict[tuple[str, str], Tag] = {}
        self.span: dict[int, tuple[int, int]] = {}
        """Each element's place in the walk, and its last descendant's."""
        self.headed: set[int] = set()
        self.taken: set[int] = set()
        count = 0
        for doc, tree in documents.items():
            found: list[Tag] = []
            pending: list[tuple[Tag, bool]] = [(tree, False)]
            while pending:
                tag, closing = pending.pop()
                if closing:
                    self._close(tag, count)
                    continue
                count += 1
                found.append(tag)
                self.span[id(tag)] = (count, count)
                if tag.has_attr("id"):
                    self.ids.setdefault((doc, str(tag["id"])), tag)
                pending.append((tag, True))
                pending += [(c, False) for c in reversed(tag.contents) if isinstance(c, Tag)]
            self.tags[doc] = found[1:]

    def _close(self, tag: Tag, count: int) -> None:
        self.span[id(tag)] = (self.span[id(tag)][0], count)
        if (tag.name in _HEADINGS or id(tag) in self.headed) and tag.parent is not None:
            self.headed.add(id(tag.parent))

    def holds(self, outer: Tag, inner: Tag) -> bool:
        """Whether `inner` is `outer` or inside it."""
        start, end = self.span[id(outer)]
        return start <= self.span[id(inner)][0] <= end

    def references(self, resolve: Resolver) -> Iterator[tuple[Tag, str, Tag]]:
        """Each note reference, in order, with the document holding its note, and the note."""
        for doc, found in self.tags.items():
            for link in (tag for tag in found if tag.name == "a" and tag.has_attr("href")):
                key = resolve(doc, str(link["href"]))
                target = self.ids.get(key) if key is not None else None
                if key is not None and target is not None and _is_reference(link, target):
                    note = _note_of(target)
                    if not self.holds(note, link) and (
                        types_of(note) & _NOTE_TYPES or id(note) not in self.headed
                    ):  # a link to a section, or to its own paragraph, is not a note's
                        yield link, key[0], note

    def take(self, note: Tag) -> None:
        """Take `note` (or a link back from one) out of its document."""
        self.taken.add(id(note))
        self.taken.update(id(tag) for tag in note.descendants)
        note.extract()

    def outermost(self, kind: Callable[[Tag], bool]) -> list[Tag]:
        """The elements of a `kind`, but those in another, and those taken out."""
        found: list[Tag] = []
        for tag in (tag for tags in self.tags.values() for tag in tags):
            fresh = id(tag) not in self.taken and (not found or not self.holds(found[-1], tag))
            if fresh and kind(tag):
                found.append(tag)
        return found


def _is_reference(link: Tag, target: Tag) -> bool:
    """Whether `link` (to `target`) is a note reference, not a link back from a note."""
    types = types_of(link)
    if "noteref" in types:
        return True
    marker = letters_of(link.get_text())
    if types & _BACK_TYPES or not 0 < len(marker) <= MAX_NOTE_MARKER_CHARS:
        return False
    parent = link.parent
    superscript = (parent is not None and parent.name == "sup") or link.find("sup") is not None
    return superscript and not _is_marker(target)


def _is_marker(tag: Tag) -> bool:
    """Whether `tag` is itself a short link (or a superscript holding only one): a reference,
    which a link from a note points back to."""
    if tag.name == "a":
        return tag.has_attr("href")
    children = [child for child in tag.contents if isinstance(child, Tag)]
    return (
        tag.name == "sup"
        and len(children) == 1
        and children[0].name == "a"
        and children[0].has_attr("href")
    )


def _note_of(target: Tag) -> Tag:
    """The note a reference points to: `target`, or the block holding it when it is inline
    (at most MAX_NOTE_CLIMB levels up)."""
    if target.name in _NOTE_BLOCKS:
        return target
    for parent in itertools.islice(target.parents, MAX_NOTE_CLIMB):
        if parent.name in _NOTE_BLOCKS:
            return parent
    return target


def _drop_backlinks(note: Tag, reference: Tag, doc: str, trees: _Trees, resolve: Resolver) -> None:
    """Take out of `note` its links back to `reference` (or to what holds it)."""
    for link in note.find_all("a", href=True):
        key = resolve(doc, str(link["href"]))
        target = trees.ids.get(key) if key is not None else None
        back = target is not None and trees.holds(target, reference)
        if back or types_of(link) & _BACK_TYPES or link.get_text().strip() in _BACK_MARKS:
            trees.take(link)


def _replace(reference: Tag, soup: BeautifulSoup, mode: str, label: str, text: str) -> None:
    """Put a NOTE_TAG (made by `soup`) saying note `label`'s `text` where `reference` is (read
    in place with "inline", after the chapter with "end"); with "skip", or an empty note,
    nothing."""
    if mode == "skip" or not text:
        reference.extract()
        return
    inline = mode == "inline"
    said = f"(Note: {text})" if inline else f"Note {label}: {text}"
    stand_in = soup.new_tag(NOTE_TAG, attrs={"data-said": said})
    if inline:
        stand_in["data-inline"] = ""
    reference.replace_with(stand_in)


def _drop_empty_notes_sections(tree: Tag, sections: list[Tag], emptied: bool) -> None:
    """Take out the notes `sections` with nothing left but headings; and empty the body of a
    document left so once its notes are taken out (`emptied`)."""
    body = tree if tree.name == "body" else tree.find("body")
    if isinstance(body, Tag) and (emptied or _is_notes_section(body)):
        sections = [*sections, body]
    for section in sections:
        headings = " ".join(h.get_text() for h in section.find_all(_HEADINGS))
        if letters_of(section.get_text()) == letters_of(headings):
            if section is body:
                section.clear()
            else:
                section.extract()


def _is_note(tag: Tag) -> bool:
    return bool(types_of(tag) & _NOTE_TYPES)


def _is_notes_section(tag: Tag) -> bool:
    return bool(types_of(tag) & _NOTES_TYPES) or "footnotes" in (tag.get("class") or [])
