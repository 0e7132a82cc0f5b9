"""Read a plain-text file (or standard input) with clear errors for anything unreadable."""

from __future__ import annotations

import codecs
import os
import sys
from pathlib import Path

from ..errors import InputError, UsageError

STDIN = "-"
_SNIFF_BYTES = 8192


def read_bytes(source: str | os.PathLike[str]) -> bytes:
    """The raw bytes of `source`; "-" reads standard input."""
    if os.fspath(source) == STDIN:
        return sys.stdin.buffer.read()
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a text file")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None


def decode_text(data: bytes, encoding: str, name: str) -> str:
    """Decode `data`, refusing binary data, undecodable bytes and text with nothing to say."""
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise UsageError(f"unknown encoding {encoding!r}") from None
    head = data[:_SNIFF_BYTES]
    if (
        b"\x00" in head
        and not codec.name.startswith("utf-16")
        and not codec.name.startswith("utf-32")
    ):
        raise InputError(f"{name} looks like a binary file, not text")
    # A UTF-8 byte-order mark is dropped, whatever the user called the encoding.
    decode_as = "utf-8-sig" if codec.name == "utf-8" else codec.name
    try:
        text = data.decode(decode_as)
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name} is not valid {codec.name} text (byte {error.start}); "
            "give its encoding with --encoding, e.g. --encoding latin-1"
        ) from None
    if _control_ratio(text[:_SNIFF_BYTES]) > 0.05:
        raise InputError(f"{name} looks like a binary file, not text")
    if not any(ch.isalnum() for ch in text):
        raise InputError(f"{name} has no text to narrate (it is empty or has no words)")
    return text


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\v")
    return controls / len(text)


def read_text(source: str | os.PathLike[str], encoding: str = "utf-8") -> str:
    """Read and decode a text input."""
    name = "standard input" if os.fspath(source) == STDIN else os.fspath(source)
    return decode_text(read_bytes(source), encoding, name)
