"""Read an EPUB (2 or 3) through ebooklib: spine order, a section per chapter, its metadata.

- The linear spine documents (XHTML or HTML) are read in spine order. Non-linear documents and
  the navigation document are not read; each skip is logged.
- With a navigation (the EPUB 3 nav, else the EPUB 2 NCX), each entry is a chapter, titled as
  the navigation says, of its depth in it (1 at the top, at most 6); an entry pointing
  into a document (``ch1.xhtml#sec2``) starts at that element. Text before a document's first
  entry joins the chapter before; an entry with no link points where its first sub-entry does.
  A document's heading that is its chapter's title is not read twice.
- Without one, each document is a section headed by its first heading (when nothing is before
  it); later headings in a chapter are read as paragraphs.
- The table of contents page, the copyright page and the index (MATTER: known by epub:type on
  the body, its first section or the entry's element, by the EPUB 3 landmarks or EPUB 2 guide,
  else by their usual titles) are not read unless ReadOptions.read_parts names them; each one
  left out, with the entries under it, is a warning. Cover and title pages are read (a cover
  is an image, silent; a title page says the title and author once, as a narrator opens).
- Notes (readers.notes) are read at the end of their chapter (after the documents that join
  it), in place, or not at all; a notes document left empty is not a chapter.
- Title, author, language (and, for a podcast feed, description, date and identifier) come
  from the Dublin Core metadata; the cover image (EPUB 3
  cover-image, else EPUB 2 meta cover), when JPEG or PNG, is embedded in the audio's tags.
- Before ebooklib sees the archive it is checked within bounded memory and time (by
  audio_edition.safezip): a corrupt zip, a zip bomb (too many members, a member or the total
  too large, a member or the whole archive compressed more than 100 times) and DRM (an
  encryption.xml that encrypts more than fonts, or an Adobe rights.xml) are refused with a
  clear message. Zip members are never read past their declared size.
- Chapter documents are parsed as HTML with any internal DTD subset removed, so no entity
  is ever expanded from a document type (no XXE); ebooklib's own XML parser does not resolve
  entities either. They are read as web pages are (at any depth, unknown entities silent).
- A chapter is decoded strictly, as its byte-order mark or declaration says, else as UTF-8
  (or as --encoding says, for every chapter): a byte not valid in it is a one-line error
  naming the chapter, never a dropped or replaced letter. Such a byte in the package document
  is an error too; in the navigation document, its titles are not used.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

from bs4 import BeautifulSoup
from bs4.element import Tag
from ebooklib import epub
from lxml import etree

from audio_edition.document import MAX_HEADING_LEVEL, Cover, Manuscript, ManuscriptSection
from audio_edition.errors import InputError
from audio_edition.readers import ReadOptions, declared_language, section_of
from audio_edition.readers.html import decode_page
from audio_edition.readers.html_blocks import CUT, book_pieces, soup_of
from audio_edition.readers.notes import prepare_notes, types_of
from audio_edition.safezip import open_zip, read_member

log = logging.getLogger(__name__)

FONT_OBFUSCATION = frozenset(
    {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
)
_ENCRYPTION_NS = "http://www.w3.org/2001/04/xmlenc#"
_COVER_TYPES = ("image/jpeg", "image/png")
_DOCUMENT_TYPES = ("application/xhtml+xml", "text/html")
_CHAPTER_ADVICE = "give the chapters' encoding with --encoding, e.g. --encoding latin-1"
_PACKAGE_ADVICE = "it must be saved in the encoding it declares (--encoding is for chapters)"
MATTER = {
    "toc": ("a table of contents", "toc", frozenset({"contents", "table of contents"})),
    "copyright": ("a copyright page", "copyright-page", frozenset({"copyright", "copyright page"})),
    "index": ("an index", "index", frozenset({"index"})),
}
"""The parts not read unless asked for (readers.SKIPPED_PARTS): what each is, the epub:type (or
landmark, or EPUB 2 guide type) that marks one, and the titles that do where nothing is marked."""
_NOTES_TYPES = frozenset({"footnotes", "endnotes", "rearnotes"})
NOTE_MARKS = re.compile(r"<sup|noteref|footnote|endnote|rearnote", re.IGNORECASE)
"""What a document that may hold notes or their references holds: a book with none is read a
document at a time, in less memory (every document is held at once to take out its notes)."""
_NOTES_TITLES = frozenset({"notes", "footnotes", "endnotes"})
_HEADINGS = [f"h{level}" for level in range(1, 7)]
_NOT_WORD = re.compile(r"[\W_]+")


class _BoundedReader(epub.EpubReader):  # type: ignore[misc]
    """ebooklib's reader, reading every member through safezip.read_member."""

    def read_file(self, name: str) -> bytes:
        return read_member(self.zf, posixpath.normpath(name))


def check_archive(archive: Path | io.BytesIO, name: str) -> None:
    """Refuse a corrupt, oversized, bomb-like or DRM-protected EPUB archive."""
    with open_zip(archive, name) as zf:
        names = set(zf.namelist())
        if "META-INF/container.xml" not in names:
            raise InputError(f"{name} is not an EPUB (it has no META-INF/container.xml)")
        if "META-INF/rights.xml" in names or (
            "META-INF/encryption.xml" in names
            and _encrypts_more_than_fonts(read_member(zf, "META-INF/encryption.xml"))
        ):
            raise InputError(f"{name} is DRM-protected; only DRM-free EPUBs can be narrated")


def _encrypts_more_than_fonts(data: bytes) -> bool:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return True  # an encryption.xml that cannot be read cannot be shown harmless
    methods = root.iter(f"{{{_ENCRYPTION_NS}}}EncryptionMethod")
    return any(method.get("Algorithm") not in FONT_OBFUSCATION for method in methods)


def _first(book: epub.EpubBook, field: str) -> str | None:
    values = [" ".join(str(value).split()) for value, _ in book.get_metadata("DC", field) if value]
    return values[0] if values else None


def _description(book: epub.EpubBook) -> str | None:
    """dc:description as text (it may hold HTML)."""
    description = _first(book, "description")
    if description is None:
        return None
    return " ".join(soup_of(description).get_text(" ").split()) or None


def _authors(book: epub.EpubBook) -> str | None:
    names = [" ".join(str(v).split()) for v, _ in book.get_metadata("DC", "creator") if v]
    return ", ".join(names) or None


def _cover(book: epub.EpubBook) -> Cover | None:
    covers = [item for item in book.get_items() if isinstance(item, epub.EpubCover)]
    if not covers:  # EPUB 2: <meta name="cover" content="ITEM-ID"/>
        for _, attributes in book.get_metadata("OPF", "meta"):
            if attributes.get("name") == "cover":
                item = book.get_item_with_id(attributes.get("content", ""))
                if item is not None:
                    covers.append(item)
    for item in covers:
        if item.media_type in _COVER_TYPES and item.get_content():
            return Cover(data=item.get_content(), mime=item.media_type)
    return None


def _load(archive: Path | io.BytesIO, name: str) -> epub.EpubBook:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ebooklib warns about its own future defaults
            reader = _BoundedReader(archive, {"ignore_ncx": True})
            book = reader.load()
            reader.process()
        with zipfile.ZipFile(archive) as zf:  # ebooklib has closed its own
            package = read_member(zf, reader.opf_file)
    except KeyError as error:  # zipfile: "There is no item named 'EPUB/x.xhtml' in the archive"
        missing = re.search(r"named '([^']*)'", str(error))
        what = missing.group(1) if missing else str(error)
        raise InputError(f"{name} is not a readable EPUB (a file it lists is missing: {what})"
                         ) from None  # fmt: skip
    except zipfile.BadZipFile as error:  # a member's bytes do not match its CRC-32
        raise InputError(f"{name} is not a readable EPUB (corrupt zip archive: {error})") from None
    except epub.EpubException as error:
        detail = (
            "its package document (OPF) is missing" if "container" in str(error.msg) else error.msg
        )
        raise InputError(f"{name} is not a readable EPUB ({detail})") from None
    except Exception:  # ebooklib fails in many ways on a malformed package document
        raise InputError(f"{name} is not a readable EPUB (its package document is malformed)"
                         ) from None  # fmt: skip
    # ebooklib's parser drops or replaces the bytes not valid in the package's encoding
    decode_page(package, f"{name}, {reader.opf_file}", None, guess=False, advice=_PACKAGE_ADVICE)
    return book


def parse_epub(
    archive: Path | io.BytesIO, name: str, options: ReadOptions, encoding: str | None = None
) -> Manuscript:
    """An EPUB as a Manuscript: its linear spine documents, in order, in the chapters of its
    navigation (`encoding`: of every chapter, whatever it declares)."""
    check_archive(archive, name)
    book = _load(archive, name)
    documents = _documents(book, name, encoding)
    nav = _navigation(book, name)
    if nav is False:
        parts = _Parts([], {}, options, name)
    else:
        folder = "" if nav is not None else _ncx_folder(book)  # the nav's links are made relative
        entries = list(_entries(book.toc, folder))
        parts = _Parts(entries, _landmarks(book, nav), options, name)
    for document, body in _bodies(documents, options, name):
        parts.read(document, body)
    sections = parts.kept()
    if not sections:
        raise InputError(f"{name} has no text to narrate (its spine has no readable chapters)")
    return Manuscript(
        title=_first(book, "title"),
        author=_authors(book),
        language=declared_language(_first(book, "language"), name),
        sections=tuple(sections),
        cover=_cover(book),
        summary=_description(book),
        date=_first(book, "date"),
        identifier=_first(book, "identifier"),
    )


def _documents(book: epub.EpubBook, name: str, encoding: str | None) -> list[tuple[str, str]]:
    """The text of each linear spine document, by the document's name, in reading order."""
    documents = []
    for idref, linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None:
            log.warning("%s: the spine names %r, which the book does not hold", name, idref)
            continue
        if isinstance(item, epub.EpubNav) or item.media_type not in _DOCUMENT_TYPES:
            log.info("%s: %s is not read (navigation or not a text document)", name,
                     item.get_name())  # fmt: skip
            continue
        if str(linear).lower() == "no":
            log.info("%s: %s is not read (outside the reading order)", name, item.get_name())
            continue
        chapter = f"{name}, {item.get_name()}"
        markup = decode_page(item.content, chapter, encoding, guess=False, advice=_CHAPTER_ADVICE)
        documents.append((item.get_name(), markup))
    return documents


def _bodies(
    documents: list[tuple[str, str]], options: ReadOptions, name: str
) -> Iterator[tuple[str, Tag]]:
    """Each document's body, by its name: parsed as it is read, unless a document may hold
    notes (NOTE_MARKS), which may be read in another: then all first, notes taken out."""
    if not any(NOTE_MARKS.search(markup) for _, markup in documents):
        for document, markup in documents:
            body = soup_of(markup).body
            if body is not None:
                yield document, body
        return
    parsed = [(document, soup_of(markup).body) for document, markup in documents]
    bodies = [(document, body) for document, body in parsed if body is not None]
    prepare_notes(dict(bodies), options, name, _target)
    bodies.reverse()
    while bodies:  # each let go once read
        yield bodies.pop()


def _target(document: str, href: str) -> tuple[str, str] | None:
    """The (document, id) a link in `document` points to; None outside the book."""
    path, _, fragment = href.partition("#")
    if not fragment or ":" in path:
        return None
    return (_joined(document, unquote(path)) if path else document), unquote(fragment)


def _joined(document: str, path: str) -> str:
    """`path`, relative to `document`, as a name in the book."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(document), path))


def _navigation(
    book: epub.EpubBook, name: str
) -> tuple[str, BeautifulSoup] | Literal[False] | None:
    """The EPUB 3 navigation document's name, and the document parsed; None without one,
    False (with a warning) when it holds bytes not valid in its encoding (then it is not
    used)."""
    for item in book.get_items():
        if isinstance(item, epub.EpubNav):
            try:
                where, advice = f"{name}, {item.get_name()}", "its table of contents is not used"
                markup = decode_page(item.content, where, None, guess=False, advice=advice)
            except InputError as error:
                log.warning("%s", error)
                return False
            return item.get_name(), soup_of(markup)
    return None


def _ncx_folder(book: epub.EpubBook) -> str:
    """The folder of the EPUB 2 NCX, which its links are relative to."""
    ncx = [item for item in book.get_items() if isinstance(item, epub.EpubNcx)]
    return posixpath.dirname(ncx[0].get_name()) if ncx else ""


def _entries(toc: Any, folder: str) -> Iterator[_Entry]:
    """The navigation's entries, in its order, each with its depth (1 at the top, at most
    MAX_HEADING_LEVEL); links relative to `folder`. An entry without a link points where its first
    sub-entry does."""
    for section, children, level in _walk_toc(toc):
        href = getattr(section, "href", "") or next(
            (s.href for s, _, _ in _walk_toc(children) if getattr(s, "href", "")), ""
        )
        title = " ".join(str(getattr(section, "title", "") or "").split())
        if href and title:
            path, _, fragment = str(href).partition("#")
            document = posixpath.normpath(posixpath.join(folder, unquote(path)))
            yield _Entry(document, unquote(fragment), title, min(level, MAX_HEADING_LEVEL))


def _walk_toc(toc: Any) -> Iterator[tuple[Any, Any, int]]:
    """ebooklib's table of contents (links, and (section, children) pairs), in order, as
    (entry, its children, its depth), with a stack of its own (no depth is too deep)."""
    pending = [(entry, 1) for entry in reversed(toc)]
    while pending:
        entry, level = pending.pop()
        section, children = entry if isinstance(entry, tuple) else (entry, [])
        yield section, children, level
        pending += [(child, level + 1) for child in reversed(children)]


def _landmarks(book: epub.EpubBook, nav: tuple[str, BeautifulSoup] | None) -> dict[str, set[str]]:
    """The types the EPUB 3 landmarks and the EPUB 2 guide give, by the link they give them to
    (a document's name, with its #id when they have one)."""
    found: dict[str, set[str]] = {}
    for reference in book.guide:  # EPUB 2: relative to the package document, like names
        href, kind = reference.get("href"), reference.get("type")
        if href and kind:
            found.setdefault(_key(*_link("", href)), set()).add(kind.lower())
    if nav is not None:
        document, soup = nav
        for landmarks in soup.find_all("nav"):
            if "landmarks" in types_of(landmarks):
                for link in landmarks.find_all("a", href=True):
                    key = _key(*_link(document, str(link["href"])))
                    found.setdefault(key, set()).update(types_of(link))
    return found


def _link(document: str, href: str) -> tuple[str, str]:
    """The document and id (or "") a navigation link in `document` points to."""
    path, _, fragment = href.partition("#")
    return _joined(document, unquote(path)) if path else document, unquote(fragment)


def _key(document: str, fragment: str) -> str:
    return f"{document}#{fragment}" if fragment else document


@dataclass(frozen=True)
class _Entry:
    """A navigation entry: the document and element id (or "") it points to, its title and its
    depth."""

    document: str
    fragment: str
    title: str
    level: int


@dataclass
class _Part:
    """A part of the book as it is read: a navigation entry's, or a document's."""

    heading: str | None
    level: int
    types: set[str]
    """What the book's markup (epub:type, landmarks, guide) says the part is."""
    document: str
    """The document it starts in."""
    blocks: list[str] = field(default_factory=list)
    speakers: list[str | None] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """The notes its text refers to, read after it."""

    def add(self, section: ManuscriptSection | None, notes: list[str]) -> None:
        """`section`'s text at the part's end (its `notes` after all of it); its heading heads
        a part without one, else is read (but not when it is the part's heading again)."""
        self.notes += notes
        if section is None:
            return
        if section.heading and _plain(section.heading) != _plain(self.heading or ""):
            if self.heading is None:
                self.heading = section.heading
            else:
                self.blocks.append(section.heading)
                self.speakers.append(None)
        self.blocks += section.blocks
        self.speakers += section.speakers or [None] * len(section.blocks)

    def matter(self) -> tuple[str, str] | None:
        """Which of SKIPPED_PARTS the part is, and what says so."""
        for part, (what, kind, titles) in MATTER.items():
            if kind in self.types:
                return part, f'{what}, marked "{kind}"'
            if _plain(self.heading or "") in titles:
                return part, f"{what}, by its title"
        return None

    def only_notes(self) -> bool:
        """A notes section left without text: its notes are read with their chapters."""
        marked = bool(self.types & _NOTES_TYPES) or _plain(self.heading or "") in _NOTES_TITLES
        return marked and not self.blocks


_Cut = tuple[list["_Entry"], set[str]]
"""The navigation entries pointing at one element, and what the element is marked as."""


class _Parts:
    """The book's parts, read document by document, cut where the navigation points."""

    def __init__(self, entries: list[_Entry], landmarks: dict[str, set[str]],
                 options: ReadOptions, name: str) -> None:  # fmt: skip
        self.by_document: dict[str, list[_Entry]] = {}
        for entry in entries:
            self.by_document.setdefault(entry.document, []).append(entry)
        self.navigated = bool(entries)
        self.landmarks, self.options, self.name = landmarks, options, name
        self.parts: list[_Part] = []

    def read(self, document: str, body: Tag) -> None:
        """Add a document's parts; its text before its first navigation target joins the part
        before (unless that one is skipped, or the text is a part to skip)."""
        starts, cuts = self._cut(document, body)
        for key, section, notes in book_pieces(body, self.options, f"{self.name}, {document}"):
            entries, types = (starts, self._types(document, body)) if key is None else cuts.pop(key)
            self.parts += [_Part(e.title, e.level, types, document) for e in entries]
            if section is None and not notes:
                continue
            own = _Part(None, 1, types, document)
            own.add(section, notes)
            if entries or self._joins(own):
                self.parts[-1].add(section, notes)
            else:
                self.parts.append(own)
        for entries, types in cuts.values():  # in text not read (code, a note, a script)
            log.info("%s: %r points into text not read in %s; it holds no text", self.name,
                     entries[0].title, document)  # fmt: skip
            self.parts += [_Part(e.title, e.level, types, document) for e in entries]

    def _joins(self, part: _Part) -> bool:
        """Whether `part`, text before a document's first navigation target, joins the part
        before it."""
        return bool(self.navigated and self.parts) and not (
            self._skipped(self.parts[-1]) or self._skipped(part)
        )

    def _cut(self, document: str, body: Tag) -> tuple[list[_Entry], dict[str, _Cut]]:
        """Mark where the navigation's entries point in `body` (see html_blocks.CUT): the
        entries at its start, and by cut, those at each element and what it is marked as."""
        entries = self.by_document.pop(document, [])
        ids: dict[str, Tag] = {}
        for tag in body.find_all(id=True) if any(entry.fragment for entry in entries) else []:
            ids.setdefault(str(tag["id"]), tag)
        starts: list[_Entry] = []
        cuts: dict[str, _Cut] = {}
        for entry in entries:
            element = ids.get(entry.fragment)
            if element is None:
                if entry.fragment and body.get("id") != entry.fragment:
                    log.info("%s: %s has no element %r; %r starts with it", self.name, document,
                             entry.fragment, entry.title)  # fmt: skip
                starts.append(entry)
                continue
            holders = element.find_parents([*_HEADINGS, "tr"])  # where a walk cannot cut
            element = holders[-1] if holders else element
            key = str(element.get(CUT) or len(cuts))
            if key not in cuts:
                element[CUT] = key
                cuts[key] = ([], self._types(_key(document, entry.fragment), element))
            cuts[key][0].append(entry)
        return starts, cuts

    def _types(self, key: str, element: Tag) -> set[str]:
        """What `element` (the start of a part, `key` its link) is marked as: by its own
        epub:type, its section's (a heading's, a body's first), and the landmarks."""
        related = element.parent if element.name in _HEADINGS else None
        if element.name == "body":
            related = element.find(True, recursive=False)
        types = types_of(element) | self.landmarks.get(key, set())
        return types | types_of(related) if isinstance(related, Tag) else types

    def _skipped(self, part: _Part) -> bool:
        matter = part.matter()
        return matter is not None and matter[0] not in self.options.read_parts

    def kept(self) -> list[ManuscriptSection]:
        """The parts read, as sections; a warning for each part skipped."""
        for document, entries in self.by_document.items():
            log.info("%s: %r is not a chapter: %s is not read", self.name, entries[0].title,
                     document)  # fmt: skip
        sections: list[ManuscriptSection] = []
        skipping: _Part | None = None  # a skipped part, whose sub-parts are skipped with it
        for part in self.parts:
            title = part.heading or part.document
            if skipping is not None and part.level > skipping.level:
                log.warning('%s: "%s" not read: it is in "%s"', self.name, title,
                            skipping.heading or skipping.document)  # fmt: skip
                continue
            matter, skipping = part.matter(), None
            if matter is not None and self._skipped(part):
                log.warning('%s: "%s" not read: %s (--read +%s reads it)', self.name, title,
                            matter[1], matter[0])  # fmt: skip
                skipping = part
            elif part.only_notes():
                log.info("%s: %s: its notes are read where they are referenced", self.name, title)
            elif part.heading or part.blocks or part.notes:
                speakers = part.speakers + [None] * len(part.notes)
                blocks = part.blocks + part.notes
                sections.append(section_of(part.heading, blocks, speakers, part.level))
        return sections


def _plain(title: str) -> str:
    """A title's words, in lower case: "Table of Contents." is "table of contents"."""
    return " ".join(_NOT_WORD.sub(" ", title).split()).casefold()
