"""A disk cache of verified clips, keyed by everything that shapes the engine's output.

An entry is one file: a magic line, the SHA-256 of the rest, the sample rate, then the PCM.
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
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from audio_edition.engines import Audio

log = logging.getLogger(__name__)

_FORMAT_VERSION = 1
_MAGIC = b"audio-edition clip 1\n"
_RATE = struct.Struct("<I")
_HEADER = len(_MAGIC) + hashlib.sha256().digest_size + _RATE.size
_SUFFIX = ".clip"


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
    size_bytes: int
    """Their total size."""


class ClipCache:
    """Clips on disk under `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._writable = True

    def _path(self, key: ClipKey) -> Path:
        digest = key.digest()
        return self.folder / digest[:2] / f"{digest}{_SUFFIX}"

    def get(self, key: ClipKey) -> Audio | None:
        """The cached clip, or None when there is none or it is damaged (then it is removed)."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        audio = _decode(data)
        if audio is None:
            log.warning("cache entry %s is damaged; making it again", path.name)
            with contextlib.suppress(OSError):
                path.unlink()
        return audio

    def put(self, key: ClipKey, audio: Audio) -> None:
        """Store a verified clip; a cache that cannot be written is skipped with one warning."""
        if not self._writable:
            return
        path = self._path(key)
        temporary = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
            with os.fdopen(handle, "wb") as out:
                out.write(_encode(audio))
            os.replace(temporary, path)
        except OSError as error:
            if temporary is not None:  # a full disk, say: leave no half-written entry
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            self._writable = False
            log.warning("cannot write the clip cache in %s (%s); going on without it",
                        self.folder, error.strerror)  # fmt: skip

    def _entries(self) -> list[Path]:
        return sorted(self.folder.glob(f"??/*{_SUFFIX}")) if self.folder.is_dir() else []

    def info(self) -> CacheInfo:
        """How many clips the cache holds and how big it is."""
        entries = self._entries()
        size = sum(path.stat().st_size for path in entries)
        return CacheInfo(self.folder, len(entries), size)

    def clear(self) -> int:
        """Remove every clip (and leftover temporary files); returns how many clips went."""
        entries = self._entries()
        for path in [*entries, *self.folder.glob("??/*.part")]:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        for folder in self.folder.glob("??"):
            with contextlib.suppress(OSError):
                folder.rmdir()
        return len(entries)


def _encode(audio: Audio) -> bytes:
    body = _RATE.pack(audio.sample_rate) + audio.samples
    return _MAGIC + hashlib.sha256(body).digest() + body


def _decode(data: bytes) -> Audio | None:
    if len(data) < _HEADER or not data.startswith(_MAGIC):
        return None
    digest = data[len(_MAGIC) : len(_MAGIC) + hashlib.sha256().digest_size]
    body = data[len(_MAGIC) + len(digest) :]
    if hashlib.sha256(body).digest() != digest or (len(body) - _RATE.size) % 2:
        return None
    (rate,) = _RATE.unpack_from(body)
    return Audio(body[_RATE.size :], rate)
