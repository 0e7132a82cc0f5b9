"""The ffmpeg encoder process: PCM in through a bounded byte queue, a file (or a stream of
bytes) out."""

from __future__ import annotations

import collections
import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from audio_edition.encode.formats import OutputFormat
from audio_edition.errors import EncodeError, MissingDependencyError

QUEUED_BYTES = 4 << 20


"""PCM waiting for the encoder: about 48 s of audio, however long the clips are."""
READ_BYTES = 1 << 16
"""The most read from an encoder's output at once."""

Sink = Callable[[bytes], None]
"""Where encoded audio goes as it is made (a pipe, a web response): bytes in order."""


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


def pcm_input(sample_rate: int) -> list[str]:
    """ffmpeg's arguments to read mono 16-bit PCM at `sample_rate` from its standard input,
    each piece encoded as it comes: without ``-probesize 32`` ffmpeg reads about 1.3 s of
    audio (115 KB, measured with ffmpeg 5.1) before it encodes any, so a stream's first
    bytes waited for the first speech. The encoded bytes are the same either way."""
    return ["-probesize", "32", "-f", "s16le", "-ar", str(sample_rate), "-ac", "1",
            "-i", "pipe:0"]  # fmt: skip


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
    """Mono 16-bit PCM in, an encoded file out (or, given a Sink, the encoded bytes as ffmpeg
    makes them: a file's headers that need seeking back are then left as a pipe gets them),
    through one ffmpeg process.

    write() hands PCM to a writer thread through a queue bounded by bytes, so the caller can
    shape the next clip while the encoder works and memory stays flat however long the clips
    are. Peaks are already held by the assembler (see levels.limit_peaks). MP3 and AAC are
    encoded in segments on several processes instead (segmented.py). A sink that raises (a
    closed pipe) stops the encoder; the next write() or finish() raises its error.
    """

    def __init__(self, output: Path | Sink, output_format: OutputFormat, sample_rate: int) -> None:
        streamed = not isinstance(output, Path)
        target = ["-flush_packets", "1", "pipe:1"] if streamed else [str(output)]
        self._ffmpeg = FfmpegProcess(
            [ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y",
             *pcm_input(sample_rate), *output_format.codec_args, "-f", output_format.muxer,
             *target],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE if streamed else subprocess.DEVNULL,
        )  # fmt: skip
        self._chunks = ByteQueue(QUEUED_BYTES)
        self._broken = threading.Event()
        self._sink_error: Exception | None = None
        self._threads = [threading.Thread(target=self._write_chunks, daemon=True)]
        if not isinstance(output, Path):
            self._threads.append(threading.Thread(target=self._read, args=(output,), daemon=True))
        try:
            for thread in self._threads:
                thread.start()
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

    def _read(self, sink: Sink) -> None:
        """Pass ffmpeg's output on as it comes; a sink's failure stops the encoder."""
        source = self._ffmpeg.process.stdout
        assert source is not None
        try:
            while data := os.read(source.fileno(), READ_BYTES):
                sink(data)
        except Exception as error:  # a closed pipe: the run ends with it
            self._sink_error = error
            self._broken.set()
            self._ffmpeg.process.kill()

    def write(self, pcm: bytes) -> None:
        """Feed samples to the encoder."""
        if self._broken.is_set():
            raise self._failure()
        self._chunks.put(pcm)

    def finish(self) -> None:
        """Close the input and wait for a complete file (or the stream's last bytes)."""
        self._chunks.put(None)
        for thread in self._threads:
            thread.join()
        if self._ffmpeg.process.wait() != 0 or self._broken.is_set():
            raise self._failure()

    def _failure(self) -> Exception:
        self._ffmpeg.process.wait()
        return self._sink_error or self._ffmpeg.error()

    def abort(self) -> None:
        """Stop the encoder; the output is to be discarded."""
        if self._ffmpeg.process.poll() is None:
            self._ffmpeg.process.kill()
        self._broken.set()
        self._chunks.put(None)
        for thread in self._threads:
            thread.join()

    def close(self) -> None:
        """Release the process and its pipes."""
        self._ffmpeg.close()
