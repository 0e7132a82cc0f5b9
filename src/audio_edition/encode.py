"""Encode PCM with ffmpeg into the output format, write tags with mutagen, and put the file in
place atomically."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from .errors import EncodeError, MissingDependencyError, OutputError, UsageError

PEAK_LIMIT_DBFS = -4.0
"""Peaks are limited here, leaving room for the encoder's overshoot (ACX: at most -3 dBFS)."""


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


class Encoder:
    """An ffmpeg process turning mono 16-bit PCM written to it into an encoded file."""

    def __init__(self, path: Path, output_format: OutputFormat, sample_rate: int) -> None:
        limit = 10 ** (PEAK_LIMIT_DBFS / 20)
        self.command = [
            ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", "pipe:0",
            "-af", f"alimiter=limit={limit:.4f}:attack=5:release=50:level=0:latency=1",
            *output_format.codec_args, "-f", output_format.muxer, str(path),
        ]  # fmt: skip
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in __exit__
        self._process = subprocess.Popen(
            self.command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._stderr
        )

    def write(self, pcm: bytes) -> None:
        """Feed samples to the encoder."""
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(pcm)
        except BrokenPipeError:
            self._process.wait()
            raise self._error() from None

    def finish(self) -> None:
        """Close the input and wait for a complete file."""
        assert self._process.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            self._process.stdin.close()
        if self._process.wait() != 0:
            raise self._error()

    def abort(self) -> None:
        """Stop the encoder; its output is to be discarded."""
        self._process.kill()
        self._process.wait()
        assert self._process.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            self._process.stdin.close()

    def _error(self) -> EncodeError:
        self._stderr.seek(0)
        stderr = self._stderr.read().decode("utf-8", "replace")
        return EncodeError(
            f"ffmpeg failed (exit code {self._process.returncode})", self.command, stderr
        )

    def __enter__(self) -> Encoder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.finish()
        else:
            self.abort()
        self._stderr.close()


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
