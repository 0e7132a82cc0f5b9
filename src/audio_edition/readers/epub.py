"""Read an EPUB (2 or 3) through ebooklib: spine order, a section per chapter, its metadata.

- Each linear spine document (XHTML or HTML) is one section, headed by its first heading (else
  its table of contents entry); later headings in it are read as paragraphs. Non-linear
  documents (notes, cover pages) and the navigation document are not read; each skip is
  logged.
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
from pathlib import Path
from typing import Any

from ebooklib import epub
from lxml import etree

from audio_edition.document import Cover, Manuscript, ManuscriptSection
from audio_edition.errors import InputError
from audio_edition.readers import ReadOptions, declared_language, section_of
from audio_edition.readers.html import decode_page
from audio_edition.readers.html_blocks import html_sections, soup_of
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


def _toc(book: epub.EpubBook, name: str) -> dict[str, str]:
    """Table-of-contents titles by document name; none (and a warning) when the navigation
    document holds bytes not valid in its encoding, which ebooklib's parser drops or replaces."""
    for item in book.get_items():
        if isinstance(item, epub.EpubNav):
            try:
                decode_page(item.content, f"{name}, {item.get_name()}", None, guess=False,
                            advice="its table of contents is not used")  # fmt: skip
            except InputError as error:
                log.warning("%s", error)
                return {}
    return _toc_titles(book.toc)


def _toc_titles(entries: Any) -> dict[str, str]:
    """Table-of-contents titles by document name (fragments dropped), first entry winning."""
    titles: dict[str, str] = {}
    for entry in entries:
        if isinstance(entry, tuple):
            section, children = entry
            for key, value in {**_toc_titles(children), **_toc_titles([section])}.items():
                titles.setdefault(key, value)
        elif getattr(entry, "href", None) and getattr(entry, "title", None):
            titles.setdefault(entry.href.split("#")[0], " ".join(entry.title.split()))
    return titles


def _chapter(
    content: bytes, name: str, toc_title: str | None, options: ReadOptions, encoding: str | None
) -> ManuscriptSection:
    markup = decode_page(content, name, encoding, guess=False, advice=_CHAPTER_ADVICE)
    body = soup_of(markup).body
    heading: str | None = None
    level = 1
    blocks: list[str] = []
    speakers: list[str | None] = []
    for section in html_sections(body, options, name, page=False) if body is not None else []:
        if section.heading is not None:
            if heading is None and not blocks:
                heading, level = section.heading, section.level
            else:
                blocks.append(section.heading)
                speakers.append(None)
        blocks.extend(section.blocks)
        speakers.extend(section.speakers or [None] * len(section.blocks))
    return section_of(heading or toc_title, blocks, speakers, level)


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
    """An EPUB as a Manuscript: its linear spine documents, in order (`encoding`: of every
    chapter, whatever it declares)."""
    check_archive(archive, name)
    book = _load(archive, name)
    toc = _toc(book, name)
    sections = []
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
        section = _chapter(item.content, chapter, toc.get(item.get_name()), options, encoding)
        if section.blocks or section.heading:
            sections.append(section)
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
