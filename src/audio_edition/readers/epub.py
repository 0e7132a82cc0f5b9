"""Read an EPUB (2 or 3) through ebooklib: spine order, a section per chapter, its metadata.

- Each linear spine document is one section, headed by its first heading (else its table of
  contents entry); later headings in it are read as paragraphs. Non-linear documents (notes,
  cover pages) and the navigation document are not read.
- Title, author and language come from the Dublin Core metadata; the cover image (EPUB 3
  cover-image, else EPUB 2 meta cover), when JPEG or PNG, is embedded in the audio's tags.
- Before ebooklib sees the archive it is checked within bounded memory and time: a corrupt
  zip, a zip bomb (too many members, a member or a total too large, a member compressed too
  well) and DRM (an encryption.xml that encrypts more than fonts, or an Adobe rights.xml) are
  refused with a clear message. Zip members are never read past their declared size.
- Chapter documents are parsed as HTML with any internal DTD subset removed, so no entity
  is ever expanded from a document type (no XXE); ebooklib's own XML parser does not resolve
  entities either.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path
from typing import Any

from ebooklib import epub
from lxml import etree

from ..document import Cover, Manuscript, ManuscriptSection
from ..errors import InputError
from . import ReadOptions
from .html import html_sections, soup_of

MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
"""A member above 1 MiB that inflates more than this is a bomb (text inflates about 3 to 5x)."""
_RATIO_CHECK_BYTES = 1024 * 1024
FONT_OBFUSCATION = frozenset(
    {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
)
_ENCRYPTION_NS = "http://www.w3.org/2001/04/xmlenc#"
_COVER_TYPES = ("image/jpeg", "image/png")


def check_archive(archive: Path | io.BytesIO, name: str) -> None:
    """Refuse a corrupt, oversized, bomb-like or DRM-protected EPUB archive."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            _check_sizes(members, name)
            names = {member.filename for member in members}
            if "META-INF/container.xml" not in names:
                raise InputError(f"{name} is not an EPUB (it has no META-INF/container.xml)")
            if "META-INF/rights.xml" in names or (
                "META-INF/encryption.xml" in names
                and _encrypts_more_than_fonts(zf.read("META-INF/encryption.xml"))
            ):
                raise InputError(f"{name} is DRM-protected; only DRM-free EPUBs can be narrated")
    except zipfile.BadZipFile as error:
        raise InputError(f"{name} is not a readable EPUB (corrupt zip archive: {error})") from None
    finally:
        if isinstance(archive, io.BytesIO):
            archive.seek(0)


def _check_sizes(members: list[zipfile.ZipInfo], name: str) -> None:
    if len(members) > MAX_MEMBERS:
        raise InputError(f"{name} is refused: {len(members)} files in the archive is too many")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_MEMBER_BYTES or (
            member.file_size > _RATIO_CHECK_BYTES and ratio > MAX_COMPRESSION_RATIO
        ):
            raise InputError(
                f"{name} is refused: {member.filename} would inflate to "
                f"{member.file_size // (1024 * 1024)} MiB (a zip bomb?)"
            )
    if total > MAX_TOTAL_BYTES:
        raise InputError(f"{name} is refused: it would inflate to {total // 2**20} MiB in all")


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


def _authors(book: epub.EpubBook) -> str | None:
    names = [" ".join(str(v).split()) for v, _ in book.get_metadata("DC", "creator") if v]
    return ", ".join(names) or None


def _cover(book: epub.EpubBook) -> Cover | None:
    covers = [item for item in book.get_items() if isinstance(item, epub.EpubCover)]
    if not covers:
        for _, attributes in book.get_metadata("OPF", "cover"):
            item = book.get_item_with_id(attributes.get("content", ""))
            if item is not None:
                covers.append(item)
    for item in covers:
        if item.media_type in _COVER_TYPES and item.get_content():
            return Cover(data=item.get_content(), mime=item.media_type)
    return None


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


def _chapter(content: bytes, toc_title: str | None, options: ReadOptions) -> ManuscriptSection:
    body = soup_of(content).body
    heading: str | None = None
    blocks: list[str] = []
    for section in html_sections(body, options) if body is not None else []:
        if section.heading is not None:
            if heading is None and not blocks:
                heading = section.heading
            else:
                blocks.append(section.heading)
        blocks.extend(section.blocks)
    return ManuscriptSection(heading or toc_title, tuple(blocks))


def _load(archive: Path | io.BytesIO, name: str) -> epub.EpubBook:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ebooklib warns about its own future defaults
            return epub.read_epub(archive, {"ignore_ncx": True})
    except Exception as error:  # ebooklib raises many kinds of error on a malformed book
        detail = str(error) or type(error).__name__
        raise InputError(f"{name} is not a readable EPUB ({detail})") from None


def parse_epub(archive: Path | io.BytesIO, name: str, options: ReadOptions) -> Manuscript:
    """An EPUB as a Manuscript: its linear spine documents, in order."""
    check_archive(archive, name)
    book = _load(archive, name)
    toc = _toc_titles(book.toc)
    sections = []
    for idref, linear in book.spine:
        item = book.get_item_with_id(idref)
        if str(linear).lower() == "no" or not isinstance(item, epub.EpubHtml):
            continue
        if isinstance(item, epub.EpubNav):
            continue
        section = _chapter(item.content, toc.get(item.get_name()), options)
        if section.blocks or section.heading:
            sections.append(section)
    if not sections:
        raise InputError(f"{name} has no text to narrate (its spine has no readable chapters)")
    return Manuscript(
        title=_first(book, "title"),
        author=_authors(book),
        language=_first(book, "language"),
        sections=tuple(sections),
        cover=_cover(book),
    )
