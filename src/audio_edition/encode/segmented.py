"""Encode MP3 and AAC on several ffmpeg processes at once and join their frames into one
gapless file.

One ffmpeg process uses one core, and the encoder is most of the cost of a narration with a
fast engine (AAC's encoder runs only about 30 times real time). So the PCM stream is cut into
segments of `SEGMENT_FRAMES` frames, and the segments are dealt round to `encoders`
long-lived ffmpeg processes (a process costs about 0.1 s to start, so each encodes many):

- every segment starts on a frame boundary (1152 samples for MP3, 1024 for AAC), so its
  frames are the frames a single encoder would make for the same stretch of the stream;
- each is fed with some of the stream before it (pre-roll) and after it (post-roll), and the
  frames made from those are dropped, so the encoder is warmed up at both seams. Measured:
  MP3 needs 2 frames each way (with them the joined stream decodes to the same samples as
  one process's output at every seam; with none the seams are audibly wrong); AAC needs 32
  before (fewer gives mismatched window shapes or a rate control still starving the first
  frames, up to 24 dB more error at a seam) and 1 after (the encoder looks a frame ahead);
- LAME's bit reservoir is off (``-reservoir 0``), so no MP3 frame borrows bits from its
  neighbour across a seam; an AAC packet never depends on another's bits;
- the processes write bare frames (MP3 without Xing or ID3 header, AAC as ADTS). One Info
  frame with a LAME tag covers the joined MP3: total frame count, the first frame's encoder
  delay and the last one's padding, so gapless decoders trim it to the exact number of
  samples. The joined AAC packets are copied into MP4 with an edit list (see mp4.py).

A caller that knows where its paragraphs end may cut() the stream there (a segment ends at
the cut, its post-roll given by the caller, as the next paragraph will begin) and put() the
frames of a paragraph encoded in an earlier run in place of its samples (the pre-roll after
it given by the caller): see narration.kept. LAME's state carries from one segment to the
next in a process, so a paragraph encoded in another run decodes to samples a few steps
(under -66 dBFS) away from this run's; its length and place are exact.

Memory stays flat: at most a few segments wait, in the processes' inputs or for their turn to
be written; writes block until the oldest segment is done.

The first segments are short (`FIRST_SEGMENT_FRAMES`, doubling up to `SEGMENT_FRAMES`), so the
first frames are out a moment after the first samples come in: an MP3 can be listened to as
it is made (a Sink given with the file, or instead of it: bare frames, see open_encoder).
"""

from __future__ import annotations

import collections
import contextlib
import os
import queue
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from audio_edition.encode import mp3
from audio_edition.encode import mp4 as mp4
from audio_edition.encode.ffmpeg import (
    READ_BYTES,
    Encoder,
    EncoderLifecycle,
    FfmpegProcess,
    Sink,
    ffmpeg_path,
    pcm_input,
)
from audio_edition.encode.formats import AAC, MP3, STREAM_FORMATS, OutputFormat
from audio_edition.errors import EncodeError, UsageError

SEGMENT_FRAMES = 1024
"""Frames in a segment: 26.7 s of MP3 or 23.8 s of AAC at 44.1 kHz."""
FIRST_SEGMENT_FRAMES = 16
"""Frames in the first segment (0.42 s of MP3); each next one is twice as long, up to
`SEGMENT_FRAMES`: the first audio is encoded as soon as it is made."""
LAME_QUALITY = 7
"""LAME's -q (ffmpeg's compression_level): 7 encodes in two thirds of the time of LAME's
default, and at 192 kbps mono speech measures no worse (bench/RESULTS.md: error against the
PCM, the proof model's word error rate, the ACX check)."""
MP3_BITRATE_KBPS = 192
"""The bitrate encode.MP3 asks for, which the Info frame's header must carry."""
_SAMPLE_BYTES = 2

Keep = Callable[[list[bytes]], None]
"""Takes the frames of one paragraph, once they are written (see SegmentedEncoder.cut)."""
Tone = Callable[[int], bytes]
"""The samples (16-bit PCM) on the far side of a seam, as many as asked for."""


@dataclass(frozen=True)
class Codec:
    """How one format is encoded in segments."""

    frame_samples: int
    """Samples in one frame (packet)."""
    pre_roll_frames: int
    """Frames of the stream fed before each segment and dropped."""
    post_roll_frames: int
    """Frames of the stream fed after each segment and dropped."""
    ffmpeg_args: tuple[str, ...]
    """ffmpeg's output options for a bare stream of frames on stdout."""
    split: Callable[[bytes], tuple[list[bytes], int]]
    """The whole frames at the start of some output, and the bytes they take."""


def mp3_codec(quality: int | None = LAME_QUALITY) -> Codec:
    """MP3 192 kbps CBR, reservoir off, at LAME quality `quality` (None: LAME's default)."""
    tuning = ("-compression_level", str(quality)) if quality is not None else ()
    return Codec(
        frame_samples=mp3.FRAME_SAMPLES, pre_roll_frames=2, post_roll_frames=2,
        ffmpeg_args=(*MP3.codec_args, "-reservoir", "0", *tuning, "-write_xing", "0",
                     "-id3v2_version", "0", "-f", "mp3"),
        split=mp3.split_frames,
    )  # fmt: skip


AAC_CODEC = Codec(
    frame_samples=mp4.FRAME_SAMPLES, pre_roll_frames=32, post_roll_frames=2,
    ffmpeg_args=(*AAC.codec_args, "-f", "adts"), split=mp4.adts_packets,
)  # fmt: skip
"""AAC-LC 128 kbps in ADTS packets (ffmpeg's own encoder, as for one process)."""


def open_encoder(
    path: Path | None,
    output_format: OutputFormat,
    sample_rate: int,
    encoders: int,
    listen: Sink | None = None,
) -> Encoder | SegmentedEncoder:
    """The encoder for this format: MP3 and AAC in segments on `encoders` processes, the rest
    (cheap to encode) on one. With `listen`, the audio is also handed to it as it is made (an
    MP3's frames, as written to the file); with no `path`, only to it (a stream: MP3, Opus,
    FLAC or WAV, without the headers a file would get when it is finished)."""
    if listen is not None and output_format not in ((MP3,) if path else STREAM_FORMATS):
        can = "MP3" if path else ", ".join(f.name for f in STREAM_FORMATS)
        raise UsageError(f"{output_format.name} cannot be listened to as it is made; only {can}")
    if output_format == MP3:
        return mp3_encoder(path, sample_rate, encoders, listen=listen)
    if output_format == AAC and path is not None:
        return aac_encoder(path, sample_rate, encoders)
    output = path if path is not None else listen
    assert output is not None, "an encoder writes a file, a stream, or both"
    return Encoder(output, output_format, sample_rate)


def mp3_encoder(
    path: Path | None,
    sample_rate: int,
    encoders: int,
    *,
    segment_frames: int = SEGMENT_FRAMES,
    quality: int | None = LAME_QUALITY,
    listen: Sink | None = None,
) -> SegmentedEncoder:
    """A gapless CBR MP3 at `path`, encoded in segments on `encoders` processes; its frames
    also go to `listen` as they are made (to it alone with no `path`)."""
    container = _Mp3File(path, sample_rate, listen) if path else _FrameStream(listen)
    return SegmentedEncoder(container, mp3_codec(quality), sample_rate, encoders, segment_frames)


def aac_encoder(
    path: Path, sample_rate: int, encoders: int, *, segment_frames: int = SEGMENT_FRAMES
) -> SegmentedEncoder:
    """An M4A/M4B at `path` that decodes to exactly the samples written, encoded in segments
    on `encoders` processes (write a whole number of AAC packets for ffmpeg 5.1 to agree)."""
    return SegmentedEncoder(
        _Mp4File(path, sample_rate), AAC_CODEC, sample_rate, encoders, segment_frames
    )


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

    def __init__(self, codec: Codec, sample_rate: int, joiner: _Joiner) -> None:
        self._codec = codec
        self._joiner = joiner
        self._pieces: collections.deque[_Piece] = collections.deque()
        self._lock = threading.Lock()
        self._inputs: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._fed_samples = 0
        self._ffmpeg = FfmpegProcess(
            [ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y",
             *pcm_input(sample_rate), "-flush_packets", "1", *codec.ffmpeg_args, "pipe:1"],
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
        first_frame = (self._fed_samples + pre_roll) // self._codec.frame_samples
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
        pending = b""
        frame_number = 0
        kept: list[bytes] = []
        try:
            while data := os.read(source.fileno(), READ_BYTES):
                frames, used = self._split(pending + data)
                pending = (pending + data)[used:]
                for frame in frames:
                    piece = self._current_piece()
                    if piece is not None and frame_number >= piece.first_frame:
                        kept.append(frame)
                        if len(kept) == piece.frames:
                            self._finish_piece(kept)
                            kept = []
                    frame_number += 1
            if pending:
                raise EncodeError(
                    f"the encoder's output ended inside a frame ({len(pending)} bytes)"
                )
            piece = self._current_piece()
            if piece is not None and piece.frames is None:
                self._finish_piece(kept)
        except Exception as error:  # a bad frame, a full disk: stop this process, fail the run
            self._joiner.fail(error)
            self._ffmpeg.process.kill()

    def _split(self, data: bytes) -> tuple[list[bytes], int]:
        try:
            return self._codec.split(data)
        except ValueError as error:  # not frames at all
            raise EncodeError(f"the encoder wrote something else than frames: {error}") from None

    def _current_piece(self) -> _Piece | None:
        with self._lock:
            return self._pieces[0] if self._pieces else None

    def _finish_piece(self, frames: list[bytes]) -> None:
        with self._lock:
            piece = self._pieces.popleft()
        self._joiner.deliver(piece.index, frames)


class _Mp3File:
    """The joined MP3: frames behind a placeholder that becomes the Info frame at the end,
    each also handed to `listen` when one is given."""

    def __init__(self, path: Path, sample_rate: int, listen: Sink | None = None) -> None:
        info_length = mp3.info_frame_length(MP3_BITRATE_KBPS, sample_rate)
        self._sample_rate = sample_rate
        self._listen = listen
        self._frames = 0
        self._bytes = 0
        self._crc = 0
        self._file = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._file.write(bytes(info_length))

    def write(self, frames: list[bytes]) -> None:
        data = b"".join(frames)
        self._file.write(data)
        self._crc = mp3.audio_crc(data, self._crc)
        self._bytes += len(data)
        self._frames += len(frames)
        if self._listen is not None:
            self._listen(data)

    def finish(self, samples: int) -> None:
        header = mp3.info_frame(
            bitrate_kbps=MP3_BITRATE_KBPS, sample_rate=self._sample_rate, frames=self._frames,
            audio_bytes=self._bytes, music_crc=self._crc, samples=samples,
        )  # fmt: skip
        self._file.seek(0)
        self._file.write(header)
        self._file.flush()

    def close(self) -> None:
        _close_discarding(self._file)


class _FrameStream:
    """The joined frames handed on as they come, with no header: a stream cannot be sought
    back to write the length, so decoders play LAME's delay and the last frame's padding."""

    def __init__(self, sink: Sink | None) -> None:
        assert sink is not None, "a stream needs somewhere to go"
        self._sink = sink

    def write(self, frames: list[bytes]) -> None:
        self._sink(b"".join(frames))

    def finish(self, samples: int) -> None:
        """Nothing is left to write."""

    def close(self) -> None:
        """Nothing to release."""


class _Mp4File:
    """The joined AAC: ADTS packets gathered beside the output, then copied into MP4."""

    def __init__(self, path: Path, sample_rate: int) -> None:
        self._path = path
        self._sample_rate = sample_rate
        self._packets = path.with_name(path.name + ".adts")
        self._file = open(self._packets, "wb")  # noqa: SIM115 - closed in close()

    def write(self, frames: list[bytes]) -> None:
        self._file.write(b"".join(frames))

    def finish(self, samples: int) -> None:
        self._file.close()
        mp4.write_aac_mp4(
            self._packets, self._path, priming=mp4.ENCODER_PRIMING, samples=samples,
            sample_rate=self._sample_rate,
        )  # fmt: skip

    def close(self) -> None:
        _close_discarding(self._file)
        self._packets.unlink(missing_ok=True)


def _close_discarding(file: BinaryIO) -> None:
    """Close a container's file. After a failure what is left unwritten is thrown away with
    the file (after success finish() has written everything), so a full disk cannot fail
    the close a second time."""
    with contextlib.suppress(OSError):
        file.close()


class _Joiner:
    """Hands the segments' frames to the container in stream order, and holds the first
    failure of any encoder process."""

    def __init__(self, container: _Mp3File | _Mp4File | _FrameStream) -> None:
        self._container = container
        self._ready: dict[int, list[bytes]] = {}
        self._changed = threading.Condition()
        self.written = 0
        """Segments written so far."""
        self.error: Exception | None = None
        """The first failure of any encoder process, or of writing the file."""
        self.collecting = False
        """Whether the frames of each paragraph are gathered for its Keep (see cut())."""
        self._gathered: list[bytes] = []
        self._cuts: collections.deque[tuple[int, Keep | None]] = collections.deque()

    def cut_after(self, index: int, keep: Keep | None) -> None:
        """A paragraph ends with segment `index`: `keep` gets its frames once written."""
        with self._changed:
            self._cuts.append((index, keep))

    def deliver(self, index: int, frames: list[bytes]) -> None:
        """One segment's frames; written as soon as every segment before it is."""
        with self._changed:
            self._ready[index] = frames
            while self.written in self._ready and self.error is None:
                written = self._ready.pop(self.written)
                self._container.write(written)
                self._gather(self.written, written)
                self.written += 1
            self._changed.notify_all()

    def _gather(self, index: int, frames: list[bytes]) -> None:
        if not self.collecting:
            return
        self._gathered += frames
        if self._cuts and self._cuts[0][0] == index:
            _, keep = self._cuts.popleft()
            if keep is not None:
                keep(self._gathered)
            self._gathered = []

    def fail(self, error: Exception) -> None:
        """Note a failure; the caller's next write or finish raises it."""
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
        """Check every segment arrived and complete the file."""
        if self.error is not None:
            raise self.error
        if self.written != segments:
            raise EncodeError(f"the encoders returned {self.written} of {segments} segments")
        self._container.finish(samples)

    def close(self) -> None:
        self._container.close()


class SegmentedEncoder(EncoderLifecycle):
    """Mono 16-bit PCM in, one gapless file out, encoded in segments on several processes.

    The same interface as `encode.Encoder`: write(), then finish() (or abort()), or use it as
    a context manager. Made by mp3_encoder() and aac_encoder().
    """

    def __init__(
        self,
        container: _Mp3File | _Mp4File | _FrameStream,
        codec: Codec,
        sample_rate: int,
        encoders: int,
        segment_frames: int = SEGMENT_FRAMES,
    ) -> None:
        self._joiner = _Joiner(container)
        if encoders < 1:
            self._joiner.close()
            raise EncodeError(f"at least one encoder is needed, not {encoders}")
        self._codec = codec
        self._sample_rate = sample_rate
        self._encoders = encoders
        self._most_pending = 2 * encoders + 1
        self._processes: list[_SegmentProcess] = []
        self._buffer = bytearray()
        self._buffer_start = 0
        """Stream sample where the buffer starts (the next segment's pre-roll)."""
        self._segment_start = 0
        self._segments = 0
        self._dispatched = 0
        self._ended = False
        self._segment_frames = segment_frames

    def keep_paragraphs(self) -> None:
        """Gather each paragraph's frames for the Keep given at its cut (call before writing)."""
        self._joiner.collecting = True

    def write(self, pcm: bytes) -> None:
        """Feed samples to the encoders."""
        self._buffer += pcm
        post_roll = self._post_roll_samples()
        while self._buffered_end() >= self._segment_start + self._next_samples() + post_roll:
            samples = self._next_samples()
            self._dispatch(self._segment_start + samples + post_roll, samples)

    def cut(self, after: Tone | None, keep: Keep | None = None) -> None:
        """End a paragraph (a whole number of frames) at the end of what is written: its last
        segment is encoded with `after` giving its post-roll (the samples that follow the
        seam, which need not be written yet; None: the stream ends here), and `keep` gets
        all its frames once they are written."""
        end = self._buffered_end()
        samples = end - self._segment_start
        assert after is None or samples % self._codec.frame_samples == 0, "not on a frame"
        self._joiner.cut_after(self._segments, keep)
        if after is None:
            self._dispatch(end, None)
            self._ended = True
        else:
            self._dispatch(end, samples, after(self._post_roll_samples()))

    def put(self, frames: list[bytes], samples: int, before: Tone | None) -> None:
        """A paragraph encoded before, at a cut: its `frames` hold `samples` samples, and
        `before` gives the samples that end it, the next segment's pre-roll (None: the
        stream ends with it)."""
        assert self._buffered_end() == self._segment_start, "not at a cut"
        self._joiner.wait_below(self._segments, self._most_pending)
        self._joiner.cut_after(self._segments, None)
        self._joiner.deliver(self._segments, frames)
        self._segments += 1
        self._segment_start += samples
        roll = b"" if before is None else before(self._pre_roll_samples())
        self._buffer = bytearray(roll)
        self._buffer_start = self._segment_start - len(roll) // _SAMPLE_BYTES
        self._ended = before is None

    def _pre_roll_samples(self) -> int:
        return self._codec.pre_roll_frames * self._codec.frame_samples

    def _post_roll_samples(self) -> int:
        return self._codec.post_roll_frames * self._codec.frame_samples

    def _next_samples(self) -> int:
        """The next segment's length: `FIRST_SEGMENT_FRAMES` doubled for each one before it,
        up to `segment_frames`."""
        frames = FIRST_SEGMENT_FRAMES << min(self._segments, 16)
        return min(frames, self._segment_frames) * self._codec.frame_samples

    def finish(self) -> None:
        """Encode what is left, wait for every process and complete the file."""
        if not self._ended:
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

    def _dispatch(self, end: int, samples: int | None, post_roll: bytes = b"") -> None:
        """Send the next segment (`samples` long, None: all that is left), with its pre-roll
        and samples up to `end` (then `post_roll`), to the next process."""
        self._joiner.wait_below(self._segments, self._most_pending)
        if len(self._processes) < self._encoders:
            self._processes.append(_SegmentProcess(self._codec, self._sample_rate, self._joiner))
        offset = self._buffer_start
        pcm = bytes(self._buffer[: (end - offset) * _SAMPLE_BYTES]) + post_roll
        pre_roll = self._segment_start - offset
        frames = None if samples is None else samples // self._codec.frame_samples
        process = self._processes[self._dispatched % self._encoders]
        process.encode(self._segments, pcm, pre_roll, frames)
        self._segments += 1
        self._dispatched += 1
        if samples is not None:
            self._segment_start += samples
            roll = self._pre_roll_samples()
            next_offset = max(0, self._segment_start - roll)
            del self._buffer[: (next_offset - offset) * _SAMPLE_BYTES]
            self._buffer_start = next_offset

    def close(self) -> None:
        """Release the processes and the file."""
        for process in self._processes:
            process.close()
        self._joiner.close()
