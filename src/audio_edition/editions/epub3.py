"""An EPUB 3 with Media Overlays: the text as written, read aloud sentence by sentence.

The book holds one XHTML content document per section of the document (a section is a heading
and the paragraphs under it), every sentence, headings too, in a ``<span>`` with an id; a nav
document built from the headings; and for each content document a SMIL overlay with one
``<par>`` per sentence. The audio is one MP3 for the whole book (``audio/book.mp3``): it is the
file the exact timeline was measured in, so every ``clipBegin`` is that timeline's sample-exact
speech start, with no cut at an MP3 frame boundary (26 ms) to round it and no encoder delay per
file to hide; reading systems seek in one file as readily as in many. A sentence's clip runs
from where its speech begins to where the next sentence's begins, so the pauses are played too
and the last clip ends with the audio. The reading system styles the sentence being read with
the ``media:active-class`` rule in ``style.css``.

Sentences that take no time (nothing in them is spoken) keep their text and id but get no
``<par>``, since EPUBCheck rejects a clip that ends where it begins.

copy_book_audio() takes the MP3 out of a book again, for `check`.
"""

from __future__ import annotations

import hashlib
import re
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from audio_edition.clock import build_time
from audio_edition.document import Cover, Document
from audio_edition.editions.page import nested_list, sentence_id
from audio_edition.errors import InputError
from audio_edition.safezip import copy_member, open_zip
from audio_edition.shape.timing import TimedParagraph, nested

ACTIVE_CLASS = "-epub-media-overlay-active"
"""The class a reading system puts on the sentence it is reading."""
_AUDIO = "audio/book.mp3"
MAX_BOOK_AUDIO_BYTES = 4 * 1024 * 1024 * 1024
"""The most a book's MP3 may inflate to when it is taken out (about 48 hours at 192 kbps): it
is copied in steps, never held in memory; safezip's other limits hold as for any zip."""
_CSS = f"""body {{ font-family: serif; line-height: 1.5; margin: 0 5%; }}
h1 {{ font-size: 1.4em; }}
.{ACTIVE_CLASS} {{ background-color: #ffe58a; color: #000; }}
"""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML cannot hold (the book's and the feed's)."""
    return _NOT_XML.sub("", text)


_COVER_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png"}


@dataclass(frozen=True)
class BookInfo:
    """What the package document says of the book."""

    title: str
    author: str | None
    language: str
    cover: Cover | None


@dataclass(frozen=True)
class _Clip:
    sentence: str
    """The sentence's element id."""
    begin_ms: int
    end_ms: int


@dataclass(frozen=True)
class _Chapter:
    name: str
    """File name stem: "c001"."""
    label: str
    """Its heading, or the book's title for text before the first heading."""
    body: str
    """The XHTML of its paragraphs."""
    clips: tuple[_Clip, ...]
    level: int = 1
    """How deep its heading is nested (see shape.timing.nested)."""
    parent: int | None = None
    """The index of the chapter it is in."""

    @property
    def duration_ms(self) -> int:
        return sum(clip.end_ms - clip.begin_ms for clip in self.clips)


def write_epub(
    path: Path,
    document: Document,
    timed: Sequence[TimedParagraph],
    audio: Path,
    info: BookInfo,
    duration_ms: int,
) -> None:
    """Write the EPUB to `path`, with the MP3 at `audio` (`duration_ms` long) inside it."""
    chapters = _chapters(document, timed, duration_ms, info.title)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        # the mimetype comes first and uncompressed, so a reader can sniff the file's type
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", _CONTAINER)
        book.writestr("EPUB/package.opf", _package(chapters, info))
        book.writestr("EPUB/nav.xhtml", _nav(chapters, info))
        book.writestr("EPUB/style.css", _CSS)
        for chapter in chapters:
            book.writestr(f"EPUB/text/{chapter.name}.xhtml", _content(chapter, info))
            if chapter.clips:
                book.writestr(f"EPUB/overlays/{chapter.name}.smil", _overlay(chapter))
        if info.cover is not None:
            extension = _COVER_EXTENSIONS[info.cover.mime]
            book.writestr(f"EPUB/images/cover.{extension}", info.cover.data, zipfile.ZIP_STORED)
        book.write(audio, f"EPUB/{_AUDIO}", zipfile.ZIP_STORED)


def copy_book_audio(book: Path, out: IO[bytes]) -> None:
    """Write an EPUB's (first) MP3 to `out`, the archive checked as any zip is (safezip)."""
    with open_zip(book, str(book), MAX_BOOK_AUDIO_BYTES) as archive:
        names = [n for n in archive.namelist() if n.lower().endswith(".mp3")]
        if not names:
            raise InputError(f"{book} has no MP3 audio to check")
        copy_member(archive, names[0], out)


def _chapters(
    document: Document, timed: Sequence[TimedParagraph], duration_ms: int, title: str
) -> list[_Chapter]:
    """Each section's XHTML and clips; a clip ends where the next one begins."""
    timings = iter(timed)
    places = nested(section.level if section.heading else None for section in document.sections)
    sections: list[tuple[str | None, str, list[tuple[str, int]]]] = []
    for section, (level, _) in zip(document.sections, places, strict=True):
        blocks: list[str] = []
        begins: list[tuple[str, int]] = []  # (sentence id, where its speech begins)
        for paragraph in section.paragraphs:
            spans = []
            for index, sentence in enumerate(next(timings).sentences):
                element = sentence_id(paragraph.index, index)
                spans.append(f'<span id="{element}">{_text(sentence.text)}</span>')
                if sentence.end_ms > sentence.start_ms:
                    begins.append((element, sentence.start_ms))
            tag = f"h{level}" if paragraph.heading else "p"
            blocks.append(f"<{tag}>{' '.join(spans)}</{tag}>")
        sections.append((section.heading, "\n".join(blocks), begins))
    all_begins = [begin for _, _, begins in sections for _, begin in begins]
    ends = iter([*all_begins[1:], duration_ms])
    chapters = []
    for number, ((heading, body, begins), place) in enumerate(
        zip(sections, places, strict=True), start=1
    ):
        clips = tuple(_Clip(element, begin, next(ends)) for element, begin in begins)
        label = heading if heading is not None else title
        chapters.append(_Chapter(f"c{number:03d}", label, body, clips, *place))
    return chapters


def _text(text: str) -> str:
    """Text for XML content: escaped, without characters XML cannot hold."""
    return escape(xml_safe(text))


def _attribute(text: str) -> str:
    return quoteattr(xml_safe(text))


def clock_value(ms: int) -> str:
    """A SMIL full clock value, "0:01:02.345"."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _identifier(chapters: Sequence[_Chapter], info: BookInfo) -> str:
    """A stable identifier: the same text and title give the same book."""
    digest = hashlib.sha256(info.title.encode())
    for chapter in chapters:
        digest.update(chapter.body.encode())
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'audio-edition:' + digest.hexdigest())}"


_CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def _package(chapters: Sequence[_Chapter], info: BookInfo) -> str:
    language = _attribute(info.language)
    metadata = [
        f'<dc:identifier id="uid">{_identifier(chapters, info)}</dc:identifier>',
        f"<dc:title>{_text(info.title)}</dc:title>",
        f"<dc:language>{_text(info.language)}</dc:language>",
    ]
    if info.author:
        metadata.append(f"<dc:creator>{_text(info.author)}</dc:creator>")
    metadata.append(
        f'<meta property="dcterms:modified">{build_time().strftime("%Y-%m-%dT%H:%M:%SZ")}</meta>'
    )
    voiced = [chapter for chapter in chapters if chapter.clips]
    for chapter in voiced:
        metadata.append(
            f'<meta property="media:duration" refines="#mo-{chapter.name}">'
            f"{clock_value(chapter.duration_ms)}</meta>"
        )
    total = sum(chapter.duration_ms for chapter in voiced)
    metadata.append(f'<meta property="media:duration">{clock_value(total)}</meta>')
    metadata.append(f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>')
    items = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
        f'<item id="audio" href="{_AUDIO}" media-type="audio/mpeg"/>',
    ]
    if info.cover is not None:
        extension = _COVER_EXTENSIONS[info.cover.mime]
        items.append(
            f'<item id="cover" href="images/cover.{extension}" media-type="{info.cover.mime}" '
            'properties="cover-image"/>'
        )
    for chapter in chapters:
        overlay = f' media-overlay="mo-{chapter.name}"' if chapter.clips else ""
        items.append(
            f'<item id="{chapter.name}" href="text/{chapter.name}.xhtml" '
            f'media-type="application/xhtml+xml"{overlay}/>'
        )
        if chapter.clips:
            items.append(
                f'<item id="mo-{chapter.name}" href="overlays/{chapter.name}.smil" '
                'media-type="application/smil+xml"/>'
            )
    spine = [f'<itemref idref="{chapter.name}"/>' for chapter in chapters]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang={language}>
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    {_lines(metadata)}
  </metadata>
  <manifest>
    {_lines(items)}
  </manifest>
  <spine>
    {_lines(spine)}
  </spine>
</package>
"""  # noqa: E501


def _lines(elements: Sequence[str]) -> str:
    return "\n    ".join(elements)


def _xhtml(title: str, body: str, info: BookInfo, stylesheet: str) -> str:
    language = _attribute(info.language)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang={language} xml:lang={language}>
<head>
<meta charset="utf-8"/>
<title>{_text(title)}</title>
<link rel="stylesheet" type="text/css" href="{stylesheet}"/>
</head>
<body>
{body}
</body>
</html>
"""  # noqa: E501


def _content(chapter: _Chapter, info: BookInfo) -> str:
    return _xhtml(chapter.label, f"<section>\n{chapter.body}\n</section>", info, "../style.css")


def _nav(chapters: Sequence[_Chapter], info: BookInfo) -> str:
    links = [f'<a href="text/{c.name}.xhtml">{_text(c.label)}</a>' for c in chapters]
    body = (
        f'<nav epub:type="toc" id="toc">\n<h1>{_text(info.title)}</h1>\n'
        f"{nested_list(links, [c.parent for c in chapters])}\n</nav>"
    )
    return _xhtml(info.title, body, info, "style.css")


def _overlay(chapter: _Chapter) -> str:
    pars = "\n".join(_par(chapter.name, clip) for clip in chapter.clips)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">
<body>
<seq id="seq-{chapter.name}" epub:textref="../text/{chapter.name}.xhtml">
{pars}
</seq>
</body>
</smil>
"""


def _par(name: str, clip: _Clip) -> str:
    return (
        f'<par id="par-{clip.sentence}"><text src="../text/{name}.xhtml#{clip.sentence}"/>'
        f'<audio src="../{_AUDIO}" clipBegin="{clock_value(clip.begin_ms)}" '
        f'clipEnd="{clock_value(clip.end_ms)}"/></par>'
    )
