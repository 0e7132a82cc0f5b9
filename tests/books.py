"""EPUB books built with ebooklib for the tests, and a tiny PNG cover."""

from __future__ import annotations

import struct
import warnings
import zlib
from pathlib import Path

from ebooklib import epub

CHAPTERS = (
    ("Chapter I: The Letter", ["It was 1995 when the letter came.", "Nobody opened it."]),
    ("Chapter II: The Journey", ["They walked 12 miles by night.", "The sea was calm."]),
    ("Chapter III: Home", ["Dr. Moss was waiting at the door.", "The end."]),
)


def png(width: int = 4, height: int = 4) -> bytes:
    """A valid grey PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def write_book(
    path: Path,
    chapters: tuple[tuple[str, list[str]], ...] = CHAPTERS,
    cover: bytes | None = None,
    title: str = "The Lighthouse Letters",
    author: str = "Ada Writer",
    language: str = "en",
    extra_body: str = "",
) -> Path:
    """Write an EPUB 3 with a heading and paragraphs per chapter, a nav page and a cover."""
    book = epub.EpubBook()
    book.set_identifier("test-book-1")
    book.set_title(title)
    book.set_language(language)
    book.add_author(author)
    if cover is not None:
        book.set_cover("cover.png", cover)
    items = []
    for number, (heading, paragraphs) in enumerate(chapters, start=1):
        item = epub.EpubHtml(title=heading, file_name=f"chapter{number}.xhtml", lang=language)
        body = "".join(f"<p>{text}</p>" for text in paragraphs)
        item.content = f"<h1>{heading}</h1>{body}{extra_body if number == 1 else ''}"
        book.add_item(item)
        items.append(item)
    book.toc = items
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *items]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        epub.write_epub(str(path), book)
    return path
