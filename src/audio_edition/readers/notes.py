"""Notes in web pages and EPUB books: a note's reference is never read inside its sentence; the
note is read at the end of its chapter, where it is referenced, or not at all (ReadOptions.notes).

- A note reference is a link to an element of the page or book that is typed as one
  (``epub:type="noteref"``, ``role="doc-noteref"``), or whose text (at most
  MAX_NOTE_MARKER_CHARS letters and digits) is a superscript: ``<sup><a href="#fn1">1</a></sup>``.
- The note is the element it points to (or the block holding it, when that is a bare anchor),
  without its links back. It is read as "Note 1: ..." after its chapter, or "(Note: ...)" in
  its place; a note referenced twice is read once.
- A notes section (``epub:type`` footnotes, endnotes or rearnotes, ``role="doc-endnotes"``, or
  ``class="footnotes"``), or a document, left with nothing but headings once its notes are
  taken out is not read.
- An element typed as a note (footnote, endnote, rearnote) that nothing references is read where
  it stands; with "skip" it is not, and the number of notes not read is a warning.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from bs4 import BeautifulSoup
from bs4.element import Tag

from audio_edition.readers import ReadOptions, letters_of
from audio_edition.readers.html_blocks import NOTE_TAG, spoken_text

log = logging.getLogger(__name__)

MAX_NOTE_MARKER_CHARS = 4
"""A superscript link with more letters and digits than this is a link, not a note reference."""
_NOTE_TYPES = frozenset({"footnote", "endnote", "note", "rearnote"})
_NOTES_TYPES = frozenset({"footnotes", "endnotes", "rearnotes"})
_BACK_TYPES = frozenset({"backlink", "referrer"})
_BACK_MARKS = frozenset({"\u21a9", "\u21a9\ufe0e", "\u2191", "^"})
_NOTE_BLOCKS = ("p", "li", "aside", "dd", "dt", "div", "section", "blockquote", "td")
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
    NOTE_TAG saying its note (or nothing, with notes skipped). `name` is for the warning."""
    tags = {doc: [node for node in tree.descendants if isinstance(node, Tag)]
            for doc, tree in documents.items()}  # fmt: skip
    ids = {(doc, str(tag["id"])): tag for doc, found in tags.items()
           for tag in found if tag.has_attr("id")}  # fmt: skip
    references = []
    for doc, found in tags.items():
        for link in (tag for tag in found if tag.name == "a" and tag.has_attr("href")):
            key = resolve(doc, str(link["href"]))
            target = ids.get(key) if key is not None else None
            if target is not None and _is_reference(link, target):
                references.append((link, key[0] if key else doc, _note_of(target)))
    said: set[int] = set()
    emptied: set[str] = set()
    for number, (link, doc, note) in enumerate(references, start=1):
        if note.parent is not None:  # not taken out for an earlier reference
            _drop_backlinks(note, link, doc, ids, resolve)
            note.extract()
            emptied.add(doc)
            said.add(id(note))
            text = spoken_text(note, options, name)
            label = letters_of(link.get_text()) or str(number)
            _replace(link, options.notes, label, text)
        else:
            link.extract()
    typed = _typed_notes(tags) if options.notes == "skip" else []
    for note in typed:
        note.extract()
    for doc, tree in documents.items():
        sections = [tag for tag in tags[doc] if _is_notes_section(tag)]
        _drop_empty_notes_sections(tree, sections, doc in emptied)
    if options.notes == "skip" and (said or typed):
        log.warning("%s: %d notes not read (--notes skip)", name, len(said) + len(typed))


def _is_reference(link: Tag, target: Tag) -> bool:
    """Whether `link` (to `target`) is a note reference, not a link back from a note."""
    types = types_of(link)
    if "noteref" in types:
        return True
    marker = letters_of(link.get_text())
    if types & _BACK_TYPES or not 0 < len(marker) <= MAX_NOTE_MARKER_CHARS:
        return False
    superscript = link.find_parent("sup") is not None or link.find("sup") is not None
    return superscript and not _is_marker(target)


def _is_marker(tag: Tag) -> bool:
    """Whether `tag` is itself a short link (or a superscript holding one): a reference, which
    a link from a note points back to."""
    link = tag if tag.name == "a" else tag.find("a", href=True)
    return (
        link is not None
        and link.has_attr("href")
        and len(letters_of(tag.get_text())) <= MAX_NOTE_MARKER_CHARS
    )


def _note_of(target: Tag) -> Tag:
    """The note a reference points to: `target`, or the block holding it when it is inline."""
    if target.name in _NOTE_BLOCKS:
        return target
    block = target.find_parent(_NOTE_BLOCKS)
    return block if block is not None else target


def _drop_backlinks(
    note: Tag, reference: Tag, doc: str, ids: Mapping[tuple[str, str], Tag], resolve: Resolver
) -> None:
    """Take out of `note` its links back to `reference` (or to what holds it)."""
    holders = {id(reference), *(id(parent) for parent in reference.parents)}
    for link in note.find_all("a", href=True):
        key = resolve(doc, str(link["href"]))
        target = ids.get(key) if key is not None else None
        back = target is not None and (id(target) in holders or target.find(
            lambda tag: tag is reference) is not None)  # fmt: skip
        if back or types_of(link) & _BACK_TYPES or link.get_text().strip() in _BACK_MARKS:
            link.extract()


def _replace(reference: Tag, mode: str, label: str, text: str) -> None:
    """Put a NOTE_TAG saying note `label`'s `text` where `reference` is (read in place with
    "inline", after the chapter with "end"); with "skip", or an empty note, nothing."""
    if mode == "skip" or not text:
        reference.extract()
        return
    inline = mode == "inline"
    said = f"(Note: {text})" if inline else f"Note {label}: {text}"
    stand_in = BeautifulSoup("", "lxml").new_tag(NOTE_TAG, attrs={"data-said": said})
    if inline:
        stand_in["data-inline"] = ""
    reference.replace_with(stand_in)


def _typed_notes(tags: Mapping[str, list[Tag]]) -> list[Tag]:
    """The elements typed as notes, outermost only, not taken out already."""
    found = [tag for found in tags.values() for tag in found if types_of(tag) & _NOTE_TYPES]
    inner = {id(tag) for note in found for tag in note.find_all(True)}
    return [tag for tag in found if id(tag) not in inner and tag.parent is not None]


def _drop_empty_notes_sections(tree: Tag, sections: list[Tag], emptied: bool) -> None:
    """Take out the notes `sections` with nothing left but headings; and empty the body of a
    document left so once its notes are taken out (`emptied`)."""
    body = tree if tree.name == "body" else tree.find("body")
    if isinstance(body, Tag) and (emptied or _is_notes_section(body)):
        sections.append(body)
    for section in sections:
        headings = " ".join(h.get_text() for h in section.find_all(_HEADINGS))
        if letters_of(section.get_text()) == letters_of(headings):
            if section is body:
                section.clear()
            else:
                section.extract()


def _is_notes_section(tag: Tag) -> bool:
    return bool(types_of(tag) & _NOTES_TYPES) or "footnotes" in (tag.get("class") or [])
