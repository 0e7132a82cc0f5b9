"""A disk cache of verified clips, keyed by everything that shapes the engine's output, and
of the encoded paragraphs made from them (see audio_edition.narration.kept).

An entry is one file: a magic line, the SHA-256 of the rest, then its body (a clip's: the
sample rate, then the PCM).
A truncated or corrupt entry fails the checksum and is deleted and made again, never used.
Entries are written to a temporary file and renamed into place, so two runs sharing the
cache never see half an entry; when both make the same clip, the last rename wins with the
same content.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from audio_edition.engines import Audio

log = logging.getLogger(__name__)

_FORMAT_VERSION = 1
_MAGIC = b"audio-edition clip 1\n"
_PARAGRAPH_MAGIC = b"audio-edition paragraph 1\n"
_RATE = struct.Struct("<I")
_SUFFIX = ".clip"
_PARAGRAPH_SUFFIX = ".paragraph"


def default_cache_dir() -> Path:
    """The user's cache folder for audio-edition (e.g. ~/.cache/audio-edition on Linux)."""
    return Path(platformdirs.user_cache_dir("audio-edition")) / "clips"


@dataclass(frozen=True)
class ClipKey:
    """Everything that decides what the engine says for a clip."""

    text: str
    """The exact text spoken."""
    engine: str
    """Engine name."""
    engine_version: str
    """Engine (and, where known, speech library) version."""
    voice: str | None
    """Voice id, None for the engine's default."""
    rate: int
    """Words per minute."""

    def digest(self) -> str:
        """A stable hex name for the entry."""
        fields = [
            _FORMAT_VERSION,
            self.text,
            self.engine,
            self.engine_version,
            self.voice,
            self.rate,
        ]
        encoded = json.dumps(fields, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(encoded).hexdigest()


@dataclass(frozen=True)
class CacheInfo:
    """What `audio-edition cache info` reports."""

    folder: Path
    """Where the cache lives."""
    entries: int
    """How many clips it holds."""
    paragraphs: int
    """How many encoded paragraphs it holds."""
    size_bytes: int
    """The total size of both."""


class ClipCache:
    """Clips on disk under `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._writable = True

    def get(self, key: ClipKey) -> Audio | None:
        """The cached clip, or None when there is none or it is damaged (then it is removed)."""
        body = self._read(key.digest(), _SUFFIX, _MAGIC, _is_audio)
        return Audio(body[_RATE.size :], _RATE.unpack_from(body)[0]) if body else None

    def put(self, key: ClipKey, audio: Audio) -> None:
        """Store a verified clip; a cache that cannot be written is skipped with one warning."""
        self._write(key.digest(), _SUFFIX, _MAGIC, _RATE.pack(audio.sample_rate) + audio.samples)

    def get_paragraph(self, digest: str) -> bytes | None:
        """An encoded paragraph's entry, or None (a damaged one is removed)."""
        return self._read(digest, _PARAGRAPH_SUFFIX, _PARAGRAPH_MAGIC)

    def put_paragraph(self, digest: str, body: bytes) -> None:
        """Store an encoded paragraph, as put() stores a clip."""
        self._write(digest, _PARAGRAPH_SUFFIX, _PARAGRAPH_MAGIC, body)

    def _path(self, digest: str, suffix: str) -> Path:
        return self.folder / digest[:2] / f"{digest}{suffix}"

    def _read(
        self, digest: str, suffix: str, magic: bytes, valid: Callable[[bytes], bool] = bool
    ) -> bytes | None:
        path = self._path(digest, suffix)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        body = _checked_body(data, magic)
        if body is None or not valid(body):
            log.warning("cache entry %s is damaged; making it again", path.name)
            with contextlib.suppress(OSError):
                path.unlink()
        return body

    def _write(self, digest: str, suffix: str, magic: bytes, body: bytes) -> None:
        if not self._writable:
            return
        path = self._path(digest, suffix)
        temporary = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
            with os.fdopen(handle, "wb") as out:
                out.write(magic + hashlib.sha256(body).digest() + body)
            os.replace(temporary, path)
        except OSError as error:
            if temporary is not None:  # a full disk, say: leave no half-written entry
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            self._writable = False
            log.warning("cannot write the clip cache in %s (%s); going on without it",
                        self.folder, error.strerror)  # fmt: skip

    def _entries(self, suffix: str = _SUFFIX) -> list[Path]:
        return sorted(self.folder.glob(f"??/*{suffix}")) if self.folder.is_dir() else []

    def info(self) -> CacheInfo:
        """How many clips and paragraphs the cache holds and how big it is."""
        clips, paragraphs = self._entries(), self._entries(_PARAGRAPH_SUFFIX)
        size = sum(path.stat().st_size for path in [*clips, *paragraphs])
        return CacheInfo(self.folder, len(clips), len(paragraphs), size)

    def clear(self) -> int:
        """Remove every clip and paragraph (and leftover temporary files); returns how many
        clips went."""
        entries = self._entries()
        leftovers = [*self._entries(_PARAGRAPH_SUFFIX), *self.folder.glob("??/*.part")]
        for path in [*entries, *leftovers]:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        for folder in self.folder.glob("??"):
            with contextlib.suppress(OSError):
                folder.rmdir()
        return len(entries)


def _checked_body(data: bytes, magic: bytes) -> bytes | None:
    """An entry's body, or None when it is not whole."""
    size = hashlib.sha256().digest_size
    if len(data) < len(magic) + size or not data.startswith(magic):
        return None
    digest, body = data[len(magic) : len(magic) + size], data[len(magic) + size :]
    return body if hashlib.sha256(body).digest() == digest else None


def _is_audio(body: bytes) -> bool:
    """Whether a clip's body is a sample rate and whole 16-bit samples."""
    return len(body) >= _RATE.size and (len(body) - _RATE.size) % 2 == 0
