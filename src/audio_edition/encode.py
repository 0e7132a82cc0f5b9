"""Encode PCM with ffmpeg into the output format, write tags with mutagen, and put the file in
place atomically."""

from __future__ import annotations

import collections
import contextlib
import errno
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from .errors import EncodeError, MissingDependencyError, OutputError, UsageError
from .timing import Chapter

PEAK_LIMIT_DBFS = -4.0
"""Peaks are limited here, leaving room for the encoder's overshoot (ACX: at most -3 dBFS)."""
QUEUED_BYTES = 4 << 20
"""PCM waiting for the encoder: about 48 s of audio, however long the clips are."""
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS})
"""A write failing with one of these (a full disk, a quota, a file too large, a failing or
read-only disk) fails the run with one line naming the file (see atomic_outputs)."""


@dataclass(frozen=True)
class OutputFormat:
    """An audio format the output can be written in."""

    name: str
    """Short name, e.g. "mp3"."""
    codec_args: tuple[str, ...]
    """ffmpeg options choosing and tuning the codec."""
    muxer: str
    """ffmpeg container format."""
    frame_samples: int = 1
    """The output is made a whole number of these samples long (see assemble.Layout)."""
    peak_limit_dbfs: float = PEAK_LIMIT_DBFS
    """Where speech peaks are held (see assemble.limit_peaks), below ACX's -3 dBFS by what
    the codec overshoots."""


MP3 = OutputFormat("mp3", ("-c:a", "libmp3lame", "-b:a", "192k"), "mp3")
AAC = OutputFormat(
    "aac",
    ("-c:a", "aac", "-b:a", "128k"),
    "ipod",
    frame_samples=1024,
    peak_limit_dbfs=-5.0,
)  # AAC overshoots by up to a dB (Piper's review peaked at -2.95 dBFS with -4)
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


READ_ALONG_EXTENSIONS = {".epub": "epub", ".html": "html"}
"""Outputs read along with their audio, an MP3: an EPUB 3 with Media Overlays, a web page."""


def format_for(path: Path) -> OutputFormat:
    """The audio format a file name asks for (MP3 for a book or page read along)."""
    if path.suffix.lower() in READ_ALONG_EXTENSIONS:
        return MP3
    try:
        return FORMATS_BY_EXTENSION[path.suffix.lower()]
    except KeyError:
        known = ", ".join([*FORMATS_BY_EXTENSION, *READ_ALONG_EXTENSIONS])
        raise UsageError(
            f"cannot write {path.name!r}: the extension must be one of {known}"
        ) from None


def ffmpeg_path() -> str:
    """Where ffmpeg is, or a clear error naming the package."""
    found = shutil.which("ffmpeg")
    if found is None:
        raise MissingDependencyError("ffmpeg is not installed: sudo apt-get install ffmpeg")
    return found


def ffmpeg_input(path: Path) -> list[str]:
    """The arguments for ffmpeg (or ffprobe) to read the file at `path`: a file: URL of its
    absolute path, so that no name ("concat:a|b", "http:x") is taken for a protocol, and no
    protocol but file for anything it opens from there (a playlist's entries)."""
    return ["-protocol_whitelist", "file", "-i", f"file:{path.absolute()}"]


class FfmpegProcess:
    """One ffmpeg process, with its command and what it printed kept for errors."""

    def __init__(self, command: list[str], stdin: int, stdout: int) -> None:
        self.command = command
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(command, stdin=stdin, stdout=stdout, stderr=self._stderr)

    def error(self) -> EncodeError:
        self._stderr.seek(0)
        stderr = self._stderr.read().decode("utf-8", "replace")
        code = self.process.returncode
        return EncodeError(f"ffmpeg failed (exit code {code})", self.command, stderr)

    def close(self) -> None:
        """Kill the process if it still runs, and close its pipes."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        self._stderr.close()


class ByteQueue:
    """A queue of byte strings bounded by their total size, not their number: a put waits
    while the queue holds `limit` bytes or more (one item of any size always fits)."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._items: collections.deque[bytes | None] = collections.deque()
        self._size = 0
        self._changed = threading.Condition()

    def put(self, item: bytes | None) -> None:
        """Add `item` (None marks the end), waiting for room."""
        with self._changed:
            while self._size >= self._limit and item is not None:
                self._changed.wait()
            self._items.append(item)
            self._size += len(item or b"")
            self._changed.notify_all()

    def get(self) -> bytes | None:
        """The oldest item, waiting for one."""
        with self._changed:
            while not self._items:
                self._changed.wait()
            item = self._items.popleft()
            self._size -= len(item or b"")
            self._changed.notify_all()
            return item


_Lifecycle = TypeVar("_Lifecycle", bound="EncoderLifecycle")


class EncoderLifecycle:
    """As a context manager, an encoder finishes its file when the block ends normally, aborts
    it when the block raises, and is closed either way. Subclasses give write(), finish(),
    abort() and close()."""

    def finish(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _Lifecycle) -> _Lifecycle:
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
            self.close()


class Encoder(EncoderLifecycle):
    """Mono 16-bit PCM in, an encoded file out, through one ffmpeg process.

    write() hands PCM to a writer thread through a queue bounded by bytes, so the caller can
    shape the next clip while the encoder works and memory stays flat however long the clips
    are. Peaks are already held by the assembler (see assemble.limit_peaks). MP3 and AAC are
    encoded in segments on several processes instead (segmented.py).
    """

    def __init__(self, path: Path, output_format: OutputFormat, sample_rate: int) -> None:
        self._ffmpeg = FfmpegProcess(
            [ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y",
             "-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", "pipe:0",
             *output_format.codec_args, "-f", output_format.muxer, str(path)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self._chunks = ByteQueue(QUEUED_BYTES)
        self._broken = threading.Event()
        self._writer = threading.Thread(target=self._write_chunks, daemon=True)
        try:
            self._writer.start()
        except BaseException:  # interrupted while starting: leave no ffmpeg behind
            self._ffmpeg.close()
            raise

    def _write_chunks(self) -> None:
        sink = self._ffmpeg.process.stdin
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
        if self._ffmpeg.process.wait() != 0 or self._broken.is_set():
            raise self._failure()

    def _failure(self) -> EncodeError:
        self._ffmpeg.process.wait()
        return self._ffmpeg.error()

    def abort(self) -> None:
        """Stop the encoder; the output is to be discarded."""
        if self._ffmpeg.process.poll() is None:
            self._ffmpeg.process.kill()
        self._broken.set()
        self._chunks.put(None)
        self._writer.join()

    def close(self) -> None:
        """Release the process and its pipes."""
        self._ffmpeg.close()


def add_mp4_chapters(path: Path, chapters: Sequence[Chapter]) -> None:
    """Put chapter marks into an MP4 file (ffmpeg remuxes it; the audio is copied untouched)."""
    if not chapters:
        return
    lines = [";FFMETADATA1"]
    for chapter in chapters:
        title = _ffmetadata_escape(chapter.title)
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={chapter.start_ms}",
                  f"END={chapter.end_ms}", f"title={title}"]  # fmt: skip
    metadata = path.with_name(path.name + ".chapters")
    remuxed = path.with_name(path.name + ".remux")
    metadata.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [
        ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y", *ffmpeg_input(path),
        "-f", "ffmetadata", *ffmpeg_input(metadata), "-map", "0", "-map_chapters", "1",
        "-c", "copy", "-movflags", "+faststart", "-f", "ipod", str(remuxed),
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise EncodeError("ffmpeg could not add chapters", command, result.stderr)
        os.replace(remuxed, path)
    finally:
        metadata.unlink(missing_ok=True)
        remuxed.unlink(missing_ok=True)


def _ffmetadata_escape(text: str) -> str:
    for special in ("\\", "=", ";", "#", "\n"):
        text = text.replace(special, "\\" + special)
    return text


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
def scratch_file(destination: Path, suffix: str) -> Iterator[Path]:
    """A temporary file beside `destination`, removed when the block ends."""
    try:
        handle, name = tempfile.mkstemp(
            dir=destination.parent, prefix=f".{destination.name}.", suffix=f"{suffix}.part"
        )
    except OSError as error:
        raise OutputError(f"cannot write to {destination.parent}: {error.strerror}") from None
    os.close(handle)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


@contextlib.contextmanager
def naming(path: Path) -> Iterator[None]:
    """Name `path` in an OSError raised in the block that names no file (a failed write to
    an open file names none), so atomic_outputs can tell which output failed."""
    try:
        yield
    except OSError as error:
        if error.filename is None:
            error.filename = str(path)
        raise


def _failed_write(error: BaseException) -> OSError | None:
    """The failed write (an errno of WRITE_ERRNOS) behind `error`: itself, what it was
    raised from or while handling, or what ffmpeg said on its way out (it prints strerror)."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, OSError) and cause.errno in WRITE_ERRNOS:
            return cause
        if isinstance(cause, EncodeError):
            for code in sorted(WRITE_ERRNOS):
                if cause.command and os.strerror(code) in cause.stderr:
                    # ffmpeg's output is its last argument
                    return OSError(code, os.strerror(code), cause.command[-1])
        cause = cause.__cause__ or cause.__context__
    return None


def _write_error(
    error: OSError, temporaries: Sequence[Path], destinations: Sequence[Path]
) -> OutputError:
    """One line for a failed write, naming its file: the destination whose temporary, or a
    scratch file named after it, it was; the first destination when it names no file."""
    named = os.fsdecode(error.filename) if error.filename is not None else ""
    path = Path(named) if named else destinations[0]
    for temporary, destination in zip(temporaries, destinations, strict=True):
        if temporary.name in path.name or path.name.startswith(f".{destination.name}."):
            path = destination
            break
    reason = error.strerror or str(error)
    return OutputError(f"{reason[:1].lower()}{reason[1:]} writing {path}")


@contextlib.contextmanager
def atomic_outputs(destinations: Sequence[Path], force: bool) -> Iterator[list[Path]]:
    """Temporary files beside each destination, all renamed into place only if the block
    succeeds; on any failure or interruption none of them is left. A failed write (see
    _failed_write) in the block, in any thread or ffmpeg process, becomes one OutputError."""
    for destination in destinations:
        check_destination(destination, force)
    temporaries: list[Path] = []
    try:
        for destination in destinations:
            try:
                destination.parent.mkdir(parents=True, exist_ok=True)
                handle, name = tempfile.mkstemp(
                    dir=destination.parent, prefix=f".{destination.name}.", suffix=".part"
                )
            except OSError as error:
                raise OutputError(
                    f"cannot write to {destination.parent}: {error.strerror}"
                ) from None
            os.close(handle)
            temporaries.append(Path(name))
            # mkstemp makes the file private; the result should not be
            os.chmod(name, 0o666 & ~_umask())
        try:
            yield temporaries
        except Exception as error:
            failure = _failed_write(error)
            if failure is None:
                raise
            raise _write_error(failure, temporaries, destinations) from error
        for destination in destinations:
            check_destination(destination, force)
        for temporary, destination in zip(temporaries, destinations, strict=True):
            os.replace(temporary, destination)
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
