"""Open a zip archive safely (every zip this program opens: an EPUB to narrate, an edition's
EPUB to check): refuse a zip bomb from its directory, before anything is inflated, and read
members in bounded steps.

An archive is refused when it has more than MAX_MEMBERS members, a member declares more than
MAX_MEMBER_BYTES or all of them more than MAX_TOTAL_BYTES (a larger limit, for a member
streamed to a file rather than read into memory, raises both by as much), or a member, or
the whole archive, of RATIO_CHECK_BYTES or more would inflate more than MAX_COMPRESSION_RATIO
times. Members are inflated READ_CHUNK bytes at a time and never past their declared size
(ZipFile.read inflates up to 1 GiB in one go before cutting it to that size); a member that
fails its CRC-32 makes the archive corrupt.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from audio_edition.errors import InputError

MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024
"""The most one member may inflate to, when it is read into memory."""
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
"""The most all members together may inflate to."""
MAX_COMPRESSION_RATIO = 100
"""Inflating more than this is a bomb (text inflates 3 to 10 times, images about once)."""
RATIO_CHECK_BYTES = 1024 * 1024
"""The ratio is checked for every member, and for the whole archive, from this size on."""
READ_CHUNK = 64 * 1024
"""Members are inflated this much at a time."""


@contextlib.contextmanager
def open_zip(
    archive: Path | io.BytesIO, name: str, max_member_bytes: int = MAX_MEMBER_BYTES
) -> Iterator[zipfile.ZipFile]:
    """The EPUB `archive` (named `name` in messages) open for reading, once its directory
    shows no bomb (see the module; `max_member_bytes` above MAX_MEMBER_BYTES for a member to
    be streamed to a file); a corrupt archive, then or while it is read, is an InputError."""
    try:
        with zipfile.ZipFile(archive) as zf:
            _check_sizes(zf.infolist(), name, max_member_bytes)
            yield zf
    except zipfile.BadZipFile as error:
        raise InputError(f"{name} is not a readable EPUB (corrupt zip archive: {error})"
                         ) from None  # fmt: skip
    finally:
        if isinstance(archive, io.BytesIO):
            archive.seek(0)


def _check_sizes(members: list[zipfile.ZipInfo], name: str, max_member_bytes: int) -> None:
    if len(members) > MAX_MEMBERS:
        raise InputError(f"{name} is refused: {len(members)} files in the archive is too many")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > max_member_bytes or (
            member.file_size >= RATIO_CHECK_BYTES and ratio > MAX_COMPRESSION_RATIO
        ):
            raise InputError(
                f"{name} is refused: {member.filename} would inflate to "
                f"{member.file_size / 2**20:.0f} MiB (a zip bomb?)"
            )
    total = sum(member.file_size for member in members)
    compressed = sum(member.compress_size for member in members)
    if total > MAX_TOTAL_BYTES + max(0, max_member_bytes - MAX_MEMBER_BYTES) or (
        total >= RATIO_CHECK_BYTES and total / max(compressed, 1) > MAX_COMPRESSION_RATIO
    ):
        raise InputError(
            f"{name} is refused: it would inflate to {total / 2**20:.0f} MiB in all "
            f"from {compressed / 2**20:.1f} MiB (a zip bomb?)"
        )


def read_member(zf: zipfile.ZipFile, member: str) -> bytes:
    """A member's bytes, inflated in steps that stop at its declared size."""
    return b"".join(_chunks(zf, member))


def copy_member(zf: zipfile.ZipFile, member: str, target: IO[bytes]) -> None:
    """Write a member's bytes to `target`, inflated in steps that stop at its declared size,
    so memory stays flat however large it is."""
    for chunk in _chunks(zf, member):
        target.write(chunk)


def _chunks(zf: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    with zf.open(member) as stream:
        yield from iter(lambda: stream.read(READ_CHUNK), b"")
