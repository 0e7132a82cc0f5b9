"""Encode MP3 on several ffmpeg processes at once and join their frames into one gapless file.

One ffmpeg process uses one core, and with a fast engine the encoder is nearly the whole cost
of a narration. So the PCM stream is cut into segments of `SEGMENT_FRAMES` frames, and the
segments are dealt round to `encoders` long-lived ffmpeg processes (a process costs about
0.1 s to start, so each one encodes many segments):

- every segment starts on a frame boundary (1152 samples), so its frames are the frames a
  single encoder would make for the same stretch of the stream;
- each is fed with `PRE_ROLL_FRAMES` of the stream before it and `POST_ROLL_FRAMES` after it,
  and the frames made from those are dropped, so the encoder is warmed up at both seams
  (measured: with 2 and 2, the joined stream decodes to the same samples as one process's
  output at every seam; with no pre-roll the seams are audibly wrong);
- LAME's bit reservoir is off (``-reservoir 0``), so no frame borrows bits from its
  neighbour across a seam;
- the processes write bare frames (no Xing or ID3 header), and one Info frame with a LAME
  tag covers the joined stream: total frame count, the first frame's encoder delay and the
  last one's padding, so gapless decoders trim it to the exact number of samples.

Memory stays flat: at most a few segments wait, in the processes' inputs or for their turn to
be written; writes block until the oldest segment is done.
"""

from __future__ import annotations

import collections
import contextlib
import os
import queue
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from . import mp3
from .encode import MP3, Encoder, FfmpegProcess, OutputFormat, ffmpeg_path
from .errors import EncodeError

SEGMENT_FRAMES = 1024
"""Frames in a segment: 26.7 s at 44.1 kHz, so the 4 frames of pre- and post-roll cost 0.4%."""
PRE_ROLL_FRAMES = 2
POST_ROLL_FRAMES = 2
LAME_QUALITY = 7
"""LAME's -q (ffmpeg's compression_level): 7 encodes in two thirds of the time of LAME's
default, and at 192 kbps mono speech measures no worse (bench/RESULTS.md: error against the
PCM, the proof model's word error rate, the ACX check)."""
_READ_BYTES = 1 << 16
_SAMPLE_BYTES = 2
MP3_BITRATE_KBPS = 192


def open_encoder(
    path: Path, output_format: OutputFormat, sample_rate: int, encoders: int
) -> Encoder | SegmentedMp3Encoder:
    """The encoder for this format: MP3 in segments on `encoders` processes, the rest on one."""
    if output_format == MP3:
        return SegmentedMp3Encoder(path, sample_rate, encoders)
    return Encoder(path, output_format, sample_rate)


def default_encoders() -> int:
    """One encoder process per core."""
    return os.cpu_count() or 1


@dataclass(frozen=True)
class _Piece:
    """One segment as one encoder process sees it."""

    index: int
    """The segment's place in the stream."""
    first_frame: int
    """The process's output frame where the segment's own frames start."""
    frames: int | None
    """How many frames are the segment's; None for the last one: all the rest."""


class _SegmentProcess:
    """One ffmpeg process encoding a run of segments, each with its pre- and post-roll, one
    after another; its output frames belong to the segments by count. A feeder thread writes
    its input and a reader thread splits its output, so the caller never waits on a pipe."""

    def __init__(self, sample_rate: int, quality: int | None, joiner: _Joiner) -> None:
        self._joiner = joiner
        self._pieces: collections.deque[_Piece] = collections.deque()
        self._lock = threading.Lock()
        self._inputs: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._fed_samples = 0
        self._ffmpeg = FfmpegProcess(
            [ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y",
             "-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", "pipe:0",
             "-c:a", "libmp3lame", "-b:a", f"{MP3_BITRATE_KBPS}k", "-reservoir", "0",
             *(("-compression_level", str(quality)) if quality is not None else ()),
             "-write_xing", "0", "-id3v2_version", "0", "-flush_packets", "1",
             "-f", "mp3", "pipe:1"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip
        self._threads = [
            threading.Thread(target=self._feed, daemon=True),
            threading.Thread(target=self._read_frames, daemon=True),
        ]
        try:
            for thread in self._threads:
                thread.start()
        except BaseException:  # interrupted while starting: leave no ffmpeg behind
            self.kill()
            raise

    def encode(self, index: int, pcm: bytes, pre_roll: int, frames: int | None) -> None:
        """Queue one segment with `pre_roll` samples before it (and any post-roll after it);
        `frames` of the output after the pre-roll's are the segment's (None: all the rest)."""
        first_frame = (self._fed_samples + pre_roll) // mp3.FRAME_SAMPLES
        with self._lock:
            self._pieces.append(_Piece(index, first_frame, frames))
        self._fed_samples += len(pcm) // _SAMPLE_BYTES
        self._inputs.put(pcm)

    def close_input(self) -> None:
        """No more segments: the encoder flushes its last frames once its input is written."""
        self._inputs.put(None)

    def wait(self) -> None:
        """Wait for the process and its threads; fail the run if ffmpeg failed."""
        for thread in self._threads:
            thread.join()
        if self._ffmpeg.process.wait() != 0:
            self._joiner.fail(self._failure())

    def kill(self) -> None:
        """Stop at once; the output is to be discarded."""
        self._ffmpeg.process.kill()
        self._inputs.put(None)
        for thread in self._threads:
            if thread.is_alive():
                thread.join()

    def close(self) -> None:
        self._ffmpeg.close()

    def _failure(self) -> EncodeError:
        self._ffmpeg.process.wait()
        return self._ffmpeg.error()

    def _feed(self) -> None:
        sink = self._ffmpeg.process.stdin
        assert sink is not None
        broken = False
        while (pcm := self._inputs.get()) is not None:
            if broken:
                continue  # drain: the failure is reported once
            try:
                sink.write(pcm)
            except (BrokenPipeError, OSError):
                broken = True
                self._joiner.fail(self._failure())
        with contextlib.suppress(BrokenPipeError, OSError):
            sink.close()

    def _read_frames(self) -> None:
        source = self._ffmpeg.process.stdout
        assert source is not None
        splitter = mp3.FrameSplitter()
        frame_number = 0
        kept: list[bytes] = []
        try:
            while data := os.read(source.fileno(), _READ_BYTES):
                for frame in splitter.feed(data):
                    piece = self._current_piece()
                    if piece is not None and frame_number >= piece.first_frame:
                        kept.append(frame)
                        if len(kept) == piece.frames:
                            self._finish_piece(kept)
                            kept = []
                    frame_number += 1
            splitter.close()
            piece = self._current_piece()
            if piece is not None and piece.frames is None:
                self._finish_piece(kept)
        except EncodeError as error:
            self._joiner.fail(error)
            self._ffmpeg.process.kill()
        except (OSError, ValueError):
            pass  # killed by abort(): the output is being thrown away

    def _current_piece(self) -> _Piece | None:
        with self._lock:
            return self._pieces[0] if self._pieces else None

    def _finish_piece(self, frames: list[bytes]) -> None:
        with self._lock:
            piece = self._pieces.popleft()
        self._joiner.deliver(piece.index, frames)


class _Joiner:
    """Writes the segments' frames to the file in stream order, behind a placeholder for the
    Info frame, and keeps the counts and CRC the Info frame needs."""

    def __init__(self, path: Path, sample_rate: int) -> None:
        info_length = mp3.info_frame_length(MP3_BITRATE_KBPS, sample_rate)
        self._sample_rate = sample_rate
        self._file = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._file.write(bytes(info_length))
        self._ready: dict[int, list[bytes]] = {}
        self._changed = threading.Condition()
        self.written = 0
        """Segments written so far."""
        self._frames = 0
        self._bytes = 0
        self._crc = 0
        self.error: EncodeError | None = None
        """The first failure of any encoder process."""

    def deliver(self, index: int, frames: list[bytes]) -> None:
        """One segment's frames; written as soon as every segment before it is."""
        with self._changed:
            self._ready[index] = frames
            while self.written in self._ready and self.error is None:
                segment = self._ready.pop(self.written)
                data = b"".join(segment)
                self._file.write(data)
                self._crc = mp3.audio_crc(data, self._crc)
                self._bytes += len(data)
                self._frames += len(segment)
                self.written += 1
            self._changed.notify_all()

    def fail(self, error: EncodeError) -> None:
        with self._changed:
            if self.error is None:
                self.error = error
            self._changed.notify_all()

    def wait_below(self, dispatched: int, most_pending: int) -> None:
        """Block until fewer than `most_pending` dispatched segments wait to be written."""
        with self._changed:
            while dispatched - self.written >= most_pending and self.error is None:
                self._changed.wait()
            if self.error is not None:
                raise self.error

    def finish(self, segments: int, samples: int) -> None:
        """Check every segment arrived and write the Info frame over the placeholder."""
        if self.error is not None:
            raise self.error
        if self.written != segments:
            raise EncodeError(f"the MP3 encoders returned {self.written} of {segments} segments")
        header = mp3.info_frame(
            bitrate_kbps=MP3_BITRATE_KBPS, sample_rate=self._sample_rate, frames=self._frames,
            audio_bytes=self._bytes, music_crc=self._crc, samples=samples,
        )  # fmt: skip
        self._file.seek(0)
        self._file.write(header)

    def close(self) -> None:
        self._file.close()


class SegmentedMp3Encoder:
    """Mono 16-bit PCM in, a gapless CBR MP3 out, encoded in segments on several processes.

    The same interface as `encode.Encoder`: write(), then finish() (or abort()), or use it as
    a context manager.
    """

    def __init__(
        self,
        path: Path,
        sample_rate: int,
        encoders: int,
        segment_frames: int = SEGMENT_FRAMES,
        quality: int | None = LAME_QUALITY,
    ) -> None:
        if encoders < 1:
            raise EncodeError(f"at least one encoder is needed, not {encoders}")
        self._sample_rate = sample_rate
        self._encoders = encoders
        self._most_pending = 2 * encoders + 1
        self._joiner = _Joiner(path, sample_rate)
        self._processes: list[_SegmentProcess] = []
        self._buffer = bytearray()
        self._buffer_start = 0
        """Stream sample where the buffer starts (the next segment's pre-roll)."""
        self._segment_start = 0
        self._segments = 0
        self._segment_frames = segment_frames
        self._quality = quality

    def write(self, pcm: bytes) -> None:
        """Feed samples to the encoders."""
        self._buffer += pcm
        end = (self._segment_frames + POST_ROLL_FRAMES) * mp3.FRAME_SAMPLES
        while self._buffered_end() >= self._segment_start + end:
            self._dispatch(self._segment_start + end, self._segment_frames)

    def finish(self) -> None:
        """Encode what is left, wait for every process and write the file's header."""
        self._dispatch(self._buffered_end(), None)
        for process in self._processes:
            process.close_input()
        for process in self._processes:
            process.wait()
        self._joiner.finish(self._segments, self._buffered_end())

    def abort(self) -> None:
        """Stop every encoder; the output is to be discarded."""
        for process in self._processes:
            process.kill()

    def _buffered_end(self) -> int:
        return self._buffer_start + len(self._buffer) // _SAMPLE_BYTES

    def _dispatch(self, end: int, frames: int | None) -> None:
        """Send the next segment, with its pre-roll and samples up to `end`, to its process."""
        self._joiner.wait_below(self._segments, self._most_pending)
        index = self._segments
        if index < self._encoders:
            self._processes.append(_SegmentProcess(self._sample_rate, self._quality, self._joiner))
        offset = self._buffer_start
        pcm = bytes(self._buffer[: (end - offset) * _SAMPLE_BYTES])
        pre_roll = self._segment_start - offset
        self._processes[index % self._encoders].encode(index, pcm, pre_roll, frames)
        self._segments += 1
        if frames is not None:
            self._segment_start += frames * mp3.FRAME_SAMPLES
            next_offset = max(0, self._segment_start - PRE_ROLL_FRAMES * mp3.FRAME_SAMPLES)
            del self._buffer[: (next_offset - offset) * _SAMPLE_BYTES]
            self._buffer_start = next_offset

    def __enter__(self) -> SegmentedMp3Encoder:
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
            for process in self._processes:
                process.close()
            self._joiner.close()
