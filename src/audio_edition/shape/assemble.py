"""Shape clips with pydub and lay them out with pauses of room tone, streaming PCM out.

Each clip is shaped, written, and forgotten, while a timeline records the exact sample where
every clip's speech starts and ends. How loud it all is is audio_edition.shape.levels' to say:
a long piece that is mostly speech is passed on at once; otherwise only the opening minute of
speech is held, until the level of the whole file is known.

A paragraph's audio depends on its own clips alone, so that a sink may keep it and give it
back in a later run (see `KeptParagraph`). Where the pause between two paragraphs is at least
`SEAM_PAUSE_MS` there is a seam in it: the first half of the pause ends the paragraph before,
made up to a multiple of `PARAGRAPH_MULTIPLE` samples, and is the same tone whatever came
before it (`RoomTone.ending`); the second half begins the next paragraph with the tone from
its start. So every paragraph starts on an MP3 frame, and the tone on both sides of every
seam is known without the paragraphs around it.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import soxr
from numpy.random import default_rng  # at import: a lazy import can swallow a Ctrl-C

from audio_edition.document import spoken_words
from audio_edition.engines import Audio
from audio_edition.shape import OUTPUT_SAMPLE_RATE
from audio_edition.shape.levels import Expected, FileLevel, level
from audio_edition.speak.clips import Clip, ClipRequest

with warnings.catch_warnings():
    # pydub warns at import when ffmpeg is missing; encode.ffmpeg_path() says so clearly instead.
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment

SHORT_HEAD_MS = 550
SHORT_TAIL_MS = 1100
"""Head and tail room tone of a piece too short to reach `levels.LEAST_FILE_LEVEL_DBFS` with
the full ones: near the least ACX allows (0.5 s and 1 s)."""
ROOM_TONE_DBFS = -70.0
"""RMS of the room tone in pauses (ACX noise floor: at most -60 dB)."""
SILENCE_THRESHOLD_DBFS = -50.0
_SILENCE_THRESHOLD = int(32768 * 10 ** (SILENCE_THRESHOLD_DBFS / 20))
EDGE_FADE_MS = 5
_ZERO_RUN_FILLED = 32
"""Runs of digital zero at least this long inside speech get room tone (0.7 ms at 44.1 kHz)."""
PARAGRAPH_MULTIPLE = 1152
"""Every paragraph after a seam starts on a multiple of this many samples, an MP3 frame: the
pause before it is longer by less than 26 ms."""
SEAM_PAUSE_MS = 120
"""The least pause between paragraphs that holds a seam: 60 ms of tone on each side, more
than the two MP3 frames an encoder reads past each end of a paragraph."""

Shaper = Callable[[AudioSegment], AudioSegment]


@dataclass(frozen=True)
class Layout:
    """Where silence goes and how loud speech is."""

    sentence_pause_ms: int = 300
    """Room tone between sentences (and between the parts of a long sentence)."""
    paragraph_pause_ms: int = 900
    """Room tone between paragraphs."""
    head_ms: int = 750
    """Room tone before the first word (ACX: 0.5-1 s)."""
    tail_ms: int = 2000
    """Room tone after the last word (ACX: 1-5 s)."""
    gain_db: float = 0.0
    """Level relative to the ACX-ready default; negative is quieter."""
    peak_dbfs: float = -4.0
    """No sample passes this: below ACX's -3 dBFS by what the output's codec overshoots."""
    length_multiple: int = 1
    """The tail is made up to 23 ms longer so the whole length is a multiple of this: AAC's
    1024-sample packet, because ffmpeg 5.1 trims the end of an MP4 track only by whole
    packets, and then decodes exactly the samples written, as other players do."""


@dataclass(frozen=True)
class ClipTiming:
    """Where one clip's speech lies in the output, in samples at the output rate."""

    request: ClipRequest
    """The clip's text and place in the document."""
    start: int
    """First sample of its speech."""
    end: int
    """One past its last sample."""


@dataclass
class Timeline:
    """Every clip's place in the output, recorded as it is written."""

    sample_rate: int
    """Samples per second of the output."""
    clips: list[ClipTiming] = field(default_factory=list)
    """One entry per clip, in order."""
    total_samples: int = 0
    """Length of the whole output."""

    @property
    def duration_seconds(self) -> float:
        """Length of the output in seconds."""
        return self.total_samples / self.sample_rate


def to_segment(audio: Audio) -> AudioSegment:
    """An engine's samples as a pydub segment."""
    return AudioSegment(
        data=audio.samples, sample_width=2, frame_rate=audio.sample_rate, channels=1
    )


def resample(segment: AudioSegment) -> AudioSegment:
    """Mono 16-bit at the output rate, resampled by libsoxr.

    pydub's own resampler (audioop.ratecv) interpolates linearly: it leaves images above the
    engine's Nyquist frequency that sound harsh and make the MP3 encoder a third slower.
    """
    segment = segment.set_channels(1).set_sample_width(2)
    if segment.frame_rate == OUTPUT_SAMPLE_RATE:
        return segment
    samples = np.frombuffer(segment.raw_data, dtype="<i2")
    resampled = soxr.resample(samples, segment.frame_rate, OUTPUT_SAMPLE_RATE)
    return to_segment(Audio(resampled.astype("<i2").tobytes(), OUTPUT_SAMPLE_RATE))


def trim_silence(segment: AudioSegment) -> AudioSegment:
    """Drop the engine's own leading and trailing silence; the layout adds exact pauses."""
    samples = np.frombuffer(segment.raw_data, dtype="<i2")
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > _SILENCE_THRESHOLD)
    if loud.size == 0:
        return segment
    return segment.get_sample_slice(int(loud[0]), int(loud[-1]) + 1)


def fade_edges(segment: AudioSegment) -> AudioSegment:
    """A few ms of fade at both ends so joins never click."""
    return segment.fade_in(EDGE_FADE_MS).fade_out(EDGE_FADE_MS)


class RoomTone:
    """Very quiet noise, the same every run: pauses are never digital zero.

    A few seconds of noise are made once and played round and round; at -70 dB nobody can
    hear that it repeats, and it costs nothing per sample.
    """

    def __init__(self, seed: int = 0, seconds: float = 3.0) -> None:
        scale = 32768 * 10 ** (ROOM_TONE_DBFS / 20)
        noise = default_rng(seed).normal(0.0, scale, int(seconds * OUTPUT_SAMPLE_RATE))
        self._table = np.rint(noise).astype(np.int32)
        self._position = 0

    def samples(self, count: int) -> np.ndarray:
        """The next `count` samples of room tone."""
        table = self._table
        start = self._position
        laps = (start + count) // len(table) + 1
        self._position = (start + count) % len(table)
        if laps == 1:
            return table[start : start + count]
        return np.tile(table, laps)[start : start + count]

    def pause(self, milliseconds: int) -> np.ndarray:
        """A pause of room tone."""
        return self.samples(_samples(milliseconds))

    def restart(self) -> None:
        """Play from the start of the noise again."""
        self._position = 0

    def ending(self, count: int) -> np.ndarray:
        """`count` samples of tone that end where the noise would start again: the same
        samples, however far it has played."""
        table = self._table
        laps = count // len(table) + 1
        return np.tile(table, laps)[len(table) * laps - count :]

    def under(self, speech: np.ndarray) -> np.ndarray:
        """Speech with its runs of digital zero (eSpeak's inner pauses) filled with tone.

        Speech itself is left alone: noise under it would be inaudible but makes the MP3
        encoder, the slowest stage, about a tenth slower.
        """
        speech = speech.copy()
        tone = self.samples(len(speech))
        silent = np.concatenate(([0], (speech == 0).view(np.int8), [0]))
        edges = np.flatnonzero(np.diff(silent))
        starts, ends = edges[::2], edges[1::2]
        long_runs = (ends - starts) >= _ZERO_RUN_FILLED
        for start, end in zip(starts[long_runs], ends[long_runs], strict=True):
            speech[start:end] = tone[start:end]
        return speech


def shaping_chain(layout: Layout) -> list[Shaper]:
    """The steps every clip goes through, in order."""
    return [resample, trim_silence, level(layout.gain_db), fade_edges]


@dataclass(frozen=True)
class MadeParagraph:
    """A paragraph's audio as laid out: from the tone that begins it (the head, or the second
    half of the pause before it) to the tone that ends it (the first half of the pause after
    it, or the tail)."""

    index: int
    """The paragraph's index in the document."""
    length: int
    """Its samples."""
    speech: tuple[tuple[int, int], ...]
    """Where each of its clips' speech starts and ends, in samples from its start."""
    last: bool
    """Whether it ends the piece (its tone is the tail)."""


@dataclass(frozen=True)
class KeptParagraph:
    """A paragraph made in an earlier run, given back in place of its clips."""

    made: MadeParagraph
    """Its audio's layout, as it was made."""
    requests: tuple[ClipRequest, ...]
    """Its clips in this run's document."""
    audio: Sequence[bytes]
    """What the sink kept of it (an MP3's frames), given back to it (ParagraphSink.put)."""


@dataclass(frozen=True)
class ParagraphClips:
    """A paragraph to make from its clips."""

    index: int
    """The paragraph's index in the document."""
    clips: Iterable[Clip]
    """Its clips, in order."""
    last: bool
    """Whether it ends the piece."""


class ParagraphSink(Protocol):
    """Where assembly writes."""

    def write(self, pcm: bytes) -> None:
        """16-bit mono PCM at the output rate, in order."""

    def seam(self, made: MadeParagraph) -> None:
        """The paragraph written since the last seam (or the start) ends here. Only told when
        the level was decided before the first sample, so nothing is ever held back."""

    def put(self, kept: KeptParagraph) -> None:
        """Write a paragraph kept from an earlier run."""


class PcmSink:
    """A ParagraphSink for PCM alone: seams pass unseen, and nothing kept can be put."""

    def __init__(self, write: Callable[[bytes], None]) -> None:
        self.write = write

    def seam(self, made: MadeParagraph) -> None:
        """Nothing is kept."""

    def put(self, kept: KeptParagraph) -> None:
        raise ValueError("a PCM sink has kept no paragraph")


class _Output:
    """Writes the head, pauses, speech and tail as 16-bit PCM through the file's level, and
    records where each clip's speech lands. A piece too short to reach
    `LEAST_FILE_LEVEL_DBFS` even with its speech raised the most gets the shortest head and
    tail room tone ACX allows, with a little margin."""

    def __init__(
        self,
        layout: Layout,
        sink: ParagraphSink,
        on_clip: Callable[[ClipTiming], None] | None = None,
        expected: Expected | None = None,
        written: int = 0,
    ) -> None:
        self.timeline = Timeline(sample_rate=OUTPUT_SAMPLE_RATE)
        """Every clip's place, recorded as it is written."""
        self._layout = layout
        self._sink = sink
        self._unsent = written
        """Samples of the head the sink has already (see head_tone)."""
        self._on_clip = on_clip
        self._tone = RoomTone()
        self._level = FileLevel(layout.gain_db, layout.peak_dbfs, self._send, expected)
        self._seams = self._level.decided
        """Whether the sink hears of seams: only when nothing is ever held."""
        self._begun = False
        self._paragraph_start = 0
        self._paragraph_clips = 0

    def begin(self) -> None:
        """The tone that begins a paragraph: the head, or the second half of the pause."""
        layout = self._layout
        if not self._begun:
            self._begun = True
            self._level.add(self._tone.pause(layout.head_ms))
        elif layout.paragraph_pause_ms >= SEAM_PAUSE_MS:
            self._tone.restart()
            whole = _samples(layout.paragraph_pause_ms)
            self._level.add(self._tone.samples(whole - whole // 2))

    def pause(self, milliseconds: int) -> None:
        """Room tone."""
        self._level.add(self._tone.pause(milliseconds))

    def speech(self, samples: np.ndarray, request: ClipRequest) -> None:
        """One clip's speech, as 16-bit values; its inner silences get room tone."""
        self._level.add(samples, request)

    def end(self, index: int, last: bool) -> None:
        """The tone that ends paragraph `index`: the tail, or the pause's first half with a
        seam after it (the whole pause when it is too short to hold one)."""
        layout = self._layout
        if last:
            self._close()
        elif layout.paragraph_pause_ms < SEAM_PAUSE_MS:
            self.pause(layout.paragraph_pause_ms)
            return
        else:
            half = _samples(layout.paragraph_pause_ms) // 2
            length = self._position() - self._paragraph_start + half
            self._level.add(self._tone.ending(half + -length % PARAGRAPH_MULTIPLE))
        if self._seams:
            self._sink.seam(self._made(index, last))
        self._paragraph_start = self._position()
        self._paragraph_clips = len(self.timeline.clips)

    def put(self, kept: KeptParagraph) -> None:
        """A kept paragraph, in place of making it again."""
        assert self._seams and self._position() == self._paragraph_start, "not at a seam"
        self._begun = True
        start = self._position()
        self._sink.put(kept)
        for request, (begin, end) in zip(kept.requests, kept.made.speech, strict=True):
            self._record(ClipTiming(request, start + begin, start + end))
        self.timeline.total_samples += kept.made.length
        self._paragraph_start = self._position()
        self._paragraph_clips = len(self.timeline.clips)

    def _position(self) -> int:
        """Samples written and held."""
        return self.timeline.total_samples + self._level.held_samples

    def _made(self, index: int, last: bool) -> MadeParagraph:
        start = self._paragraph_start
        clips = self.timeline.clips[self._paragraph_clips :]
        speech = tuple((clip.start - start, clip.end - start) for clip in clips)
        return MadeParagraph(index, self._position() - start, speech, last)

    def _close(self) -> None:
        """Add the tail and write whatever is still held."""
        layout, file_level = self._layout, self._level
        tail_ms = layout.tail_ms
        if not file_level.decided and file_level.too_short(self._tone.pause(tail_ms)):
            file_level.shorten_first(_samples(min(layout.head_ms, SHORT_HEAD_MS)))
            tail_ms = min(tail_ms, SHORT_TAIL_MS)
        file_level.add(self._tail(tail_ms))
        file_level.decide()

    def _tail(self, milliseconds: int) -> np.ndarray:
        """Room tone of the tail, made longer so the file ends on a `length_multiple`."""
        length = _samples(milliseconds)
        length += -(self._position() + length) % self._layout.length_multiple
        return self._tone.samples(length)

    def _send(self, samples: np.ndarray, request: ClipRequest | None) -> None:
        timeline = self.timeline
        start = timeline.total_samples
        if request is not None:
            samples = self._tone.under(samples)
        skipped = min(self._unsent, len(samples))
        self._unsent -= skipped
        if skipped < len(samples):
            self._sink.write(samples[skipped:].astype("<i2").tobytes())
        timeline.total_samples += len(samples)
        if request is not None:
            self._record(ClipTiming(request, start, timeline.total_samples))

    def _record(self, timing: ClipTiming) -> None:
        self.timeline.clips.append(timing)
        if self._on_clip is not None:
            self._on_clip(timing)


def _samples(milliseconds: int) -> int:
    return milliseconds * OUTPUT_SAMPLE_RATE // 1000


def _pause_ms(previous: ClipRequest, request: ClipRequest, layout: Layout) -> int:
    """The room tone between two clips."""
    new_paragraph = request.paragraph != previous.paragraph
    return layout.paragraph_pause_ms if new_paragraph else layout.sentence_pause_ms


def expected(requests: Sequence[ClipRequest], layout: Layout, rate: int) -> Expected:
    """What the clips `requests` are expected to make, their words read at `rate` words a
    minute, laid out by `layout`."""
    words = sum(spoken_words(request.text) for request in requests)
    between = itertools.pairwise(requests)
    pauses_ms = sum(_pause_ms(previous, request, layout) for previous, request in between)
    pauses_ms += layout.head_ms + layout.tail_ms
    return Expected(words * 60 / rate, pauses_ms / 1000)


def head_tone(count: int) -> bytes:
    """The first `count` samples of every piece, as 16-bit PCM: whatever its text and level,
    it opens with room tone from the start of the noise, at least `SHORT_HEAD_MS` of it."""
    assert count <= _samples(SHORT_HEAD_MS), "longer than every head"
    return RoomTone().samples(count).astype("<i2").tobytes()


def paragraphs_of(
    requests: Sequence[ClipRequest],
    clips: Iterable[Clip],
    kept: dict[int, KeptParagraph] | None = None,
) -> Iterator[ParagraphClips | KeptParagraph]:
    """The paragraphs of `requests` in order: each a kept one where `kept` has it, else one
    to make from the next of `clips` (the clips of the paragraphs not kept, in order)."""
    kept = kept or {}
    clips = iter(clips)
    runs = [(index, len(list(run))) for index, run in itertools.groupby(requests, _paragraph)]
    for position, (index, count) in enumerate(runs):
        if index in kept:
            yield kept[index]
        else:
            yield ParagraphClips(index, itertools.islice(clips, count), position == len(runs) - 1)
    if next(clips, None) is not None:  # and a generator of clips runs to its end
        raise ValueError("more clips than requests")


def _paragraph(request: ClipRequest) -> int:
    return request.paragraph


def assemble(
    paragraphs: Iterable[ParagraphClips | KeptParagraph],
    layout: Layout,
    sink: ParagraphSink,
    on_clip: Callable[[ClipTiming], None] | None = None,
    expected: Expected | None = None,
    written: int = 0,
) -> Timeline:
    """Write head tone, each paragraph's shaped clips with their pauses, and tail tone (see
    paragraphs_of()); return the timeline.

    `on_clip` hears of every clip as soon as it is written. With what the whole is
    `expected` to hold (see expected()), a long piece is written as it is made, and the sink
    is told of every seam. The first `written` samples (see head_tone()) are not written
    again: the sink has them already.
    """
    chain = shaping_chain(layout)
    output = _Output(layout, sink, on_clip, expected, written)
    ended = False
    for paragraph in paragraphs:
        if isinstance(paragraph, KeptParagraph):
            output.put(paragraph)
            ended = paragraph.made.last
            continue
        output.begin()
        for number, clip in enumerate(paragraph.clips):
            if number:
                output.pause(layout.sentence_pause_ms)
            segment = to_segment(clip.audio)
            for shape in chain:
                segment = shape(segment)
            output.speech(np.frombuffer(segment.raw_data, dtype="<i2"), clip.request)
        output.end(paragraph.index, paragraph.last)
        ended = paragraph.last
    if not ended:  # no paragraph at all: the head and the tail
        output.begin()
        output.end(-1, last=True)
    return output.timeline
