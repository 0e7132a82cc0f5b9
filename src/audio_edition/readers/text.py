"""Read a plain-text file (or standard input) with clear errors for anything unreadable.

Paragraphs are separated by blank lines (or form feeds); a short first line without closing
punctuation, followed by more text, is the title (and is still spoken).
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from pathlib import Path
from typing import BinaryIO

from audio_edition.document import Manuscript, ManuscriptSection
from audio_edition.errors import InputError, UsageError

STDIN = "-"
MAX_INPUT_BYTES = 256 * 2**20
"""The largest input read (256 MiB) unless raised: a long novel is about 1 MB of text and an
illustrated EPUB some tens of MB, so more is a mistake (`/dev/zero`, a wrong glob) and would only
fill memory."""
_READ_STEP = 2**16
_SNIFF_BYTES = 8192
_LINE_BREAK = re.compile(r"\r\n?|[\f\v\u2028\u2029\x85]")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_SENTENCE_END = (".", "!", "?", ",", ";", ":")
_TITLE_MAX_CHARS = 100


def display_name(source: str | os.PathLike[str]) -> str:
    """How messages name an input: its path, or "standard input"."""
    return "standard input" if os.fspath(source) == STDIN else os.fspath(source)


def read_bytes(source: str | os.PathLike[str], limit: int = MAX_INPUT_BYTES) -> bytes:
    """The raw bytes of `source` ("-" reads standard input), refused past `limit` bytes."""
    if os.fspath(source) == STDIN:
        return _read_at_most(sys.stdin.buffer, "standard input", limit)
    path = Path(source)
    check_readable(path)
    try:
        with path.open("rb") as stream:
            return _read_at_most(stream, os.fspath(path), limit)
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None


def _read_at_most(stream: BinaryIO, name: str, limit: int) -> bytes:
    """Read in steps, so a signal is handled between them and an endless input stops at
    `limit`."""
    chunks, size = [], 0
    while chunk := stream.read(_READ_STEP):
        size += len(chunk)
        if size > limit:
            raise too_large(name, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(name: str, limit: int) -> InputError:
    """The error for an input past `limit` bytes, naming the option that raises it."""
    return InputError(
        f"{name} is larger than {limit / 2**20:g} MiB, the input size limit; "
        "raise it with --max-input-mb"
    )


def check_readable(path: Path) -> None:
    """Refuse a missing path, a directory or a file that cannot be opened."""
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a file to narrate")
    try:
        path.open("rb").close()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None


def decode_text(data: bytes, encoding: str, name: str) -> str:
    """Decode `data`, refusing binary data, undecodable bytes and text with nothing to say."""
    codec = text_codec(encoding)
    if codec is None:
        raise UsageError(f"unknown encoding {encoding!r}")
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head and not codec.startswith(("utf-16", "utf-32")):
        raise InputError(f"{name} looks like a binary file, not text")
    text = decode_strictly(data, codec, name)
    if _control_ratio(text[:_SNIFF_BYTES]) > 0.05:
        raise InputError(f"{name} looks like a binary file, not text")
    if not any(ch.isalnum() for ch in text):
        raise InputError(f"{name} has no text to narrate (it is empty or has no words)")
    return text


def text_codec(encoding: str) -> str | None:
    """The name of the text codec that `encoding` names ("UTF8" is "utf-8"); None for an
    unknown one, or one that is not of text (base64)."""
    try:
        "".encode(encoding)
        return codecs.lookup(encoding).name
    except (LookupError, UnicodeError):  # "undefined" raises UnicodeError
        return None


ENCODING_ADVICE = "give its encoding with --encoding, e.g. --encoding latin-1"


def decode_strictly(
    data: bytes, codec: str, name: str, declared: str = "", advice: str = ENCODING_ADVICE
) -> str:
    """`data` decoded as `codec` (a UTF-8 byte-order mark dropped), refusing any byte that is
    not valid in it with a one-line InputError naming `name`: `declared` says where the
    encoding came from, `advice` what to do."""
    try:
        return data.decode("utf-8-sig" if codec == "utf-8" else codec)
    except UnicodeError as error:  # punycode and others raise a plain UnicodeError
        where = f" (byte {error.start})" if isinstance(error, UnicodeDecodeError) else ""
        raise InputError(f"{name} is not valid {codec} text{declared}{where}; {advice}") from None


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\v")
    return controls / len(text)


def split_blocks(text: str) -> list[str]:
    """Split text into raw paragraph blocks at blank lines (CRLF, CR and form feeds handled)."""
    text = text.replace("\ufeff", "")
    # Form feeds and other page/paragraph separators end a paragraph, like a blank line.
    text = _LINE_BREAK.sub(lambda m: "\n" if m.group().startswith("\r") else "\n\n", text)
    return [block for block in _BLANK_LINE.split(text) if block.strip()]


def _is_title_line(block: str) -> bool:
    line = block.strip()
    return "\n" not in line and len(line) <= _TITLE_MAX_CHARS and not line.endswith(_SENTENCE_END)


def parse_text(text: str) -> Manuscript:
    """A plain text as a Manuscript: one section without a heading, a block per paragraph."""
    blocks = [b for b in split_blocks(text) if any(ch.isalnum() for ch in b)]
    title = " ".join(blocks[0].split()) if len(blocks) > 1 and _is_title_line(blocks[0]) else None
    return Manuscript(
        title=title, author=None, language=None, sections=(ManuscriptSection(None, tuple(blocks)),)
    )
