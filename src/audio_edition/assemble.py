"""Shape clips with pydub and lay them out with pauses of room tone, streaming PCM out.

Nothing here holds more than one clip: each is shaped, written, and forgotten, while a
timeline records the exact sample where every clip's speech starts and ends.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import soxr

from .engines import Audio
from .synthesis import Clip, ClipRequest

with warnings.catch_warnings():
    # pydub warns at import when ffmpeg is missing; encode.ffmpeg_path() says so clearly instead.
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment

OUTPUT_SAMPLE_RATE = 44_100
SPEECH_LEVEL_DBFS = -18.0
"""RMS each clip's speech is set to; with pauses the file lands near -19.5 dB (ACX: -23..-18)."""
ROOM_TONE_DBFS = -70.0
"""RMS of the room tone in pauses (ACX noise floor: at most -60 dB)."""
SILENCE_THRESHOLD_DBFS = -50.0
_SILENCE_THRESHOLD = int(32768 * 10 ** (SILENCE_THRESHOLD_DBFS / 20))
EDGE_FADE_MS = 5
_ZERO_RUN_FILLED = 32
"""Runs of digital zero at least this long inside speech get room tone (0.7 ms at 44.1 kHz)."""

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


def level(gain_db: float) -> Shaper:
    """Set a clip's RMS to the speech level, moved by `gain_db`."""

    def shape(segment: AudioSegment) -> AudioSegment:
        loudness = segment.dBFS
        if loudness == -math.inf:
            return segment
        return segment.apply_gain(SPEECH_LEVEL_DBFS + gain_db - loudness)

    return shape


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
        noise = np.random.default_rng(seed).normal(0.0, scale, int(seconds * OUTPUT_SAMPLE_RATE))
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

    def pause(self, milliseconds: int) -> bytes:
        """A pause of room tone."""
        count = milliseconds * OUTPUT_SAMPLE_RATE // 1000
        return self.samples(count).astype("<i2").tobytes()

    def under(self, segment: AudioSegment) -> bytes:
        """The segment with its runs of digital zero (eSpeak's inner pauses) filled with tone.

        Speech itself is left alone: noise under it would be inaudible but makes the MP3
        encoder, the slowest stage, about a tenth slower.
        """
        speech = np.frombuffer(segment.raw_data, dtype="<i2").copy()
        tone = self.samples(len(speech))
        silent = np.concatenate(([0], (speech == 0).view(np.int8), [0]))
        edges = np.flatnonzero(np.diff(silent))
        starts, ends = edges[::2], edges[1::2]
        long_runs = (ends - starts) >= _ZERO_RUN_FILLED
        marks = np.zeros(len(speech) + 1, dtype=np.int32)
        np.add.at(marks, starts[long_runs], 1)
        np.add.at(marks, ends[long_runs], -1)
        fill = np.cumsum(marks[:-1]) > 0
        speech[fill] = tone[fill]
        return speech.astype("<i2").tobytes()


def shaping_chain(layout: Layout) -> list[Shaper]:
    """The steps every clip goes through, in order."""
    return [resample, trim_silence, level(layout.gain_db), fade_edges]


def assemble(
    clips: Iterable[Clip],
    layout: Layout,
    write: Callable[[bytes], None],
    on_clip: Callable[[ClipTiming], None] | None = None,
) -> Timeline:
    """Write head tone, each shaped clip with its pause, and tail tone; return the timeline.

    `on_clip` hears of every clip as soon as it is written.
    """
    timeline = Timeline(sample_rate=OUTPUT_SAMPLE_RATE)
    tone = RoomTone()
    chain = shaping_chain(layout)

    def emit(pcm: bytes) -> None:
        write(pcm)
        timeline.total_samples += len(pcm) // 2

    emit(tone.pause(layout.head_ms))
    previous: ClipRequest | None = None
    for clip in clips:
        if previous is not None:
            new_paragraph = clip.request.paragraph != previous.paragraph
            emit(
                tone.pause(layout.paragraph_pause_ms if new_paragraph else layout.sentence_pause_ms)
            )
        segment = to_segment(clip.audio)
        for shape in chain:
            segment = shape(segment)
        start = timeline.total_samples
        emit(tone.under(segment))
        timing = ClipTiming(clip.request, start, timeline.total_samples)
        timeline.clips.append(timing)
        if on_clip is not None:
            on_clip(timing)
        previous = clip.request
    emit(tone.pause(layout.tail_ms))
    return timeline


def gain_for_volume(volume: float) -> float:
    """`--volume` (1.0 = ACX-ready level) as a gain in dB."""
    return 20 * math.log10(volume)
