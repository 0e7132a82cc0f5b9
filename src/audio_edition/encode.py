"""Encode PCM with ffmpeg into the output format, write tags with mutagen, and put the file in
place atomically."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from .errors import EncodeError, MissingDependencyError, OutputError, UsageError

PEAK_LIMIT_DBFS = -4.0
"""Peaks are limited here, leaving room for the encoder's overshoot (ACX: at most -3 dBFS)."""
_QUEUED_CHUNKS = 16


@dataclass(frozen=True)
class OutputFormat:
    """An audio format the output can be written in."""

    name: str
    """Short name, e.g. "mp3"."""
    codec_args: tuple[str, ...]
    """ffmpeg options choosing and tuning the codec."""
    muxer: str
    """ffmpeg container format."""


MP3 = OutputFormat("mp3", ("-c:a", "libmp3lame", "-b:a", "192k"), "mp3")
AAC = OutputFormat("aac", ("-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart"), "ipod")
OPUS = OutputFormat("opus", ("-c:a", "libopus", "-b:a", "64k"), "ogg")
FLAC = OutputFormat("flac", ("-c:a", "flac"), "flac")
WAV = OutputFormat("wav", ("-c:a", "pcm_s16le"), "wav")

FORMATS_BY_EXTENSION = {
    ".mp3": MP3,
    ".m4a": AAC,
    ".m4b": AAC,
    ".ogg": OPUS,
    ".opus": OPUS,
    ".flac": FLAC,
    ".wav": WAV,
}


def format_for(path: Path) -> OutputFormat:
    """The format a file name asks for."""
    try:
        return FORMATS_BY_EXTENSION[path.suffix.lower()]
    except KeyError:
        known = ", ".join(FORMATS_BY_EXTENSION)
        raise UsageError(
            f"cannot write {path.name!r}: the extension must be one of {known}"
        ) from None


def ffmpeg_path() -> str:
    """Where ffmpeg is, or a clear error naming the package."""
    found = shutil.which("ffmpeg")
    if found is None:
        raise MissingDependencyError("ffmpeg is not installed: sudo apt-get install ffmpeg")
    return found


class _Ffmpeg:
    """One ffmpeg process, with its command and what it printed kept for errors."""

    def __init__(self, command: list[str], stdin: int | IO[bytes], stdout: int) -> None:
        self.command = command
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(command, stdin=stdin, stdout=stdout, stderr=self._stderr)

    def error(self) -> EncodeError:
        self._stderr.seek(0)
        stderr = self._stderr.read().decode("utf-8", "replace")
        code = self.process.returncode
        return EncodeError(f"ffmpeg failed (exit code {code})", self.command, stderr)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._stderr.close()


class Encoder:
    """Mono 16-bit PCM in, an encoded file out, in two ffmpeg processes: a peak limiter
    feeding the encoder, so the encoder (the slowest stage) has a core to itself.

    write() hands PCM to a writer thread through a short queue, so the caller can shape the
    next clip while the encoder works; memory stays bounded by the queue.
    """

    def __init__(self, path: Path, output_format: OutputFormat, sample_rate: int) -> None:
        ffmpeg = ffmpeg_path()
        pcm = ["-f", "s16le", "-ar", str(sample_rate), "-ac", "1"]
        limit = 10 ** (PEAK_LIMIT_DBFS / 20)
        self._limiter = _Ffmpeg(
            [ffmpeg, "-hide_banner", "-loglevel", "error", *pcm, "-i", "pipe:0",
             "-af", f"alimiter=limit={limit:.4f}:attack=5:release=50:level=0:latency=1",
             *pcm, "pipe:1"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip
        assert self._limiter.process.stdout is not None
        self._encoder = _Ffmpeg(
            [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", *pcm, "-i", "pipe:0",
             *output_format.codec_args, "-f", output_format.muxer, str(path)],
            stdin=self._limiter.process.stdout, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self._limiter.process.stdout.close()  # the encoder holds the only read end now
        self._chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=_QUEUED_CHUNKS)
        self._broken = threading.Event()
        self._writer = threading.Thread(target=self._write_chunks, daemon=True)
        self._writer.start()

    def _write_chunks(self) -> None:
        sink = self._limiter.process.stdin
        assert sink is not None
        while (chunk := self._chunks.get()) is not None:
            if self._broken.is_set():
                continue  # drain, so write() never blocks on a dead encoder
            try:
                sink.write(chunk)
            except (BrokenPipeError, OSError):
                self._broken.set()
        with contextlib.suppress(BrokenPipeError, OSError):
            sink.close()

    def write(self, pcm: bytes) -> None:
        """Feed samples to the encoder."""
        if self._broken.is_set():
            raise self._failure()
        self._chunks.put(pcm)

    def finish(self) -> None:
        """Close the input and wait for a complete file."""
        self._chunks.put(None)
        self._writer.join()
        for stage in (self._limiter, self._encoder):
            stage.process.wait()
        if self._broken.is_set() or any(
            stage.process.returncode for stage in (self._limiter, self._encoder)
        ):
            raise self._failure()

    def _failure(self) -> EncodeError:
        self._encoder.process.wait()
        failed = self._encoder if self._encoder.process.returncode else self._limiter
        failed.process.wait()
        return failed.error()

    def abort(self) -> None:
        """Stop both processes; the output is to be discarded."""
        for stage in (self._limiter, self._encoder):
            if stage.process.poll() is None:
                stage.process.kill()
        self._broken.set()
        self._chunks.put(None)
        self._writer.join()

    def __enter__(self) -> Encoder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self.finish()
            else:
                self.abort()
        finally:
            self._limiter.close()
            self._encoder.close()


def check_destination(destination: Path, force: bool) -> None:
    """Refuse to replace an existing file without `force`, or to write over a directory."""
    if destination.is_dir():
        raise UsageError(f"{destination} is a directory; give a file name with -o")
    if destination.exists() and not force:
        raise UsageError(f"{destination} already exists; use --force to replace it")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(destination: Path, force: bool) -> Iterator[Path]:
    """A temporary file beside `destination`, renamed into place only if the block succeeds."""
    check_destination(destination, force)
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(
            dir=destination.parent, prefix=f".{destination.name}.", suffix=".part"
        )
    except OSError as error:
        raise OutputError(f"cannot write to {destination.parent}: {error.strerror}") from None
    os.close(handle)
    temporary = Path(name)
    os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; the result should not be
    try:
        yield temporary
        check_destination(destination, force)
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)
