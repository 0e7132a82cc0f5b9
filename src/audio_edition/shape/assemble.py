"""Shape clips with pydub and lay them out with pauses of room tone, streaming PCM out.

Each clip is shaped, written, and forgotten, while a timeline records the exact sample where
every clip's speech starts and ends. Only the opening minute of speech is held, until the
level of the whole file is known (see `LevelledOutput`).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import soxr
from numpy.random import default_rng  # at import: a lazy import can swallow a Ctrl-C

from audio_edition.engines import Audio
from audio_edition.speak.clips import Clip, ClipRequest

with warnings.catch_warnings():
    # pydub warns at import when ffmpeg is missing; encode.ffmpeg_path() says so clearly instead.
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment

OUTPUT_SAMPLE_RATE = 44_100
SPEECH_LEVEL_DBFS = -18.0
"""RMS each clip's speech is set to; with pauses the file lands near -19.5 dB (ACX: -23..-18)."""
FILE_LEVEL_DBFS = -20.0
"""Least RMS of speech and pauses together: a piece whose pauses outweigh its speech (a
one-line note between its head and tail room tone) has its speech raised to reach it."""
LEAST_FILE_LEVEL_DBFS = -21.0
"""A piece that cannot reach this even with speech raised the most gets `SHORT_TAIL_MS`."""
MAX_RAISE_DB = 30.0
"""The most speech is raised by."""
SHORT_HEAD_MS = 550
SHORT_TAIL_MS = 1100
"""Head and tail room tone of a piece too short to reach `LEAST_FILE_LEVEL_DBFS` with the
full ones: near the least ACX allows (0.5 s and 1 s)."""
HELD_SPEECH_SECONDS = 60
"""Speech held before the file's level is decided: a shorter piece is measured whole."""
_LIMITER_BLOCK = OUTPUT_SAMPLE_RATE // 200
"""Peaks are limited in blocks of 5 ms."""
LIMITER_STEP_DB = 0.5
"""The most the limiter's gain moves from one block to the next: 100 dB a second, so 6 dB
of reduction fades in and out over 60 ms, as smooth as ffmpeg's alimiter at its 50 ms."""
RAISED_STEP_DB = 20.0
"""The same for raised speech (a short piece made louder), which is compressed on purpose:
a slow limiter would undo the raise around every peak of a one-word piece."""
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
        return self.samples(milliseconds * OUTPUT_SAMPLE_RATE // 1000)

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


def limit_peaks(samples: np.ndarray, gain: float, ceiling_dbfs: float) -> np.ndarray:
    """`samples` (16-bit values) times `gain`, with no sample past `ceiling_dbfs`, as 16-bit
    values.

    A clip whose peak stays under the ceiling is only scaled. Otherwise a look-ahead limiter
    works in 5 ms blocks: each block's gain is the least that keeps it and its neighbours
    under the ceiling; gains change by at most `LIMITER_STEP_DB` a block (`RAISED_STEP_DB`
    when `gain` raises the clip), starting early enough to reach a peak's reduction in time;
    and the gain moves linearly between block centres, so no sample passes the ceiling and no
    step is heard. Every clip's peak is known before it is written, so this replaces a
    limiter on the whole stream in the encoder, which cost a quarter of the encoding time.
    """
    ceiling = 32768 * 10 ** (ceiling_dbfs / 20)
    peak = max(int(samples.max(initial=0)), -int(samples.min(initial=0))) * gain
    if peak <= ceiling:
        return samples if gain == 1.0 else np.rint(samples * gain).astype(np.int16)
    size = _LIMITER_BLOCK
    blocks = -(-len(samples) // size)
    rows = np.zeros((blocks, size), dtype=np.float32)
    rows.reshape(-1)[: len(samples)] = samples
    if gain != 1.0:
        rows *= np.float32(gain)
    peaks = np.maximum(rows.max(axis=1), -rows.min(axis=1))
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1.0))
    edged = np.concatenate(([1.0], needed, [1.0]))
    needed_db = 20 * np.log10(np.minimum(np.minimum(edged[:-2], edged[1:-1]), edged[2:]))
    steps = (LIMITER_STEP_DB if gain == 1.0 else RAISED_STEP_DB) * np.arange(blocks)
    rising = np.minimum.accumulate(needed_db - steps) + steps
    falling = (np.minimum.accumulate((needed_db + steps)[::-1]) - steps[::-1])[::-1]
    block_gain = 10 ** (np.minimum(rising, falling) / 20)
    # linear between block centres: the first half of a block leans on the one before it
    before = np.concatenate((block_gain[:1], block_gain[:-1]))
    after = np.concatenate((block_gain[1:], block_gain[-1:]))
    touched = np.flatnonzero(np.minimum(np.minimum(before, block_gain), after) < 1.0)
    half = size // 2
    ramp = ((np.arange(size) + half) % size / size).astype(np.float32)
    start = np.where(np.arange(size) < half, before[touched, None], block_gain[touched, None])
    end = np.where(np.arange(size) < half, block_gain[touched, None], after[touched, None])
    rows[touched] *= start + (end - start) * ramp
    limited = np.clip(np.rint(rows.reshape(-1)[: len(samples)]), -ceiling, ceiling)
    return limited.astype(np.int16)


class LevelledOutput:
    """Writes pauses and speech as 16-bit PCM and records where each clip's speech lands,
    raising speech where pauses would leave the whole file quieter than `FILE_LEVEL_DBFS`
    (moved by the layout's gain).

    The level is decided from the opening `HELD_SPEECH_SECONDS` of speech with their pauses,
    or from the whole piece when it is shorter: until then, what is added is held. The raise
    is found by bisection, so that it holds after the peaks are limited. A piece so short
    that even the most raise leaves it under `LEAST_FILE_LEVEL_DBFS` gets the shortest head
    and tail room tone ACX allows, with a little margin.
    """

    def __init__(
        self,
        layout: Layout,
        write: Callable[[bytes], None],
        on_clip: Callable[[ClipTiming], None] | None = None,
    ) -> None:
        self.timeline = Timeline(sample_rate=OUTPUT_SAMPLE_RATE)
        """Every clip's place, recorded as it is written."""
        self._layout = layout
        self._write = write
        self._on_clip = on_clip
        self._tone = RoomTone()
        self._target_dbfs = FILE_LEVEL_DBFS + layout.gain_db
        self._held: list[tuple[np.ndarray, ClipRequest | None]] = [
            (self._tone.pause(layout.head_ms), None)
        ]
        self._held_speech = 0
        self._speech_gain: float | None = None
        self.raise_db = 0.0
        """How far speech was raised, once decided."""

    def pause(self, milliseconds: int) -> None:
        """Room tone."""
        self._add(self._tone.pause(milliseconds), None)

    def speech(self, samples: np.ndarray, request: ClipRequest) -> None:
        """One clip's speech, as 16-bit values; its inner silences get room tone."""
        self._add(samples, request)
        self._held_speech += len(samples)
        if self._held and self._held_speech >= HELD_SPEECH_SECONDS * OUTPUT_SAMPLE_RATE:
            self._decide()

    def close(self) -> None:
        """Add the tail and write whatever is still held."""
        if self._speech_gain is not None:
            self._send(self._tail(self._layout.tail_ms, self.timeline.total_samples), None, 1.0)
            return
        self._held.append((self._tone.pause(self._layout.tail_ms), None))
        least = self._target_dbfs - FILE_LEVEL_DBFS + LEAST_FILE_LEVEL_DBFS
        tail_ms = self._layout.tail_ms
        if self._level_dbfs(10 ** (MAX_RAISE_DB / 20)) < least:
            head = self._held[0][0]
            self._held[0] = (head[: _samples(min(self._layout.head_ms, SHORT_HEAD_MS))], None)
            tail_ms = min(self._layout.tail_ms, SHORT_TAIL_MS)
        before = sum(len(samples) for samples, _ in self._held[:-1])
        self._held[-1] = (self._tail(tail_ms, before), None)
        self._decide()

    def _tail(self, milliseconds: int, before: int) -> np.ndarray:
        """Room tone of the tail, made longer so the file ends on a `length_multiple`."""
        length = _samples(milliseconds)
        length += -(before + length) % self._layout.length_multiple
        return self._tone.samples(length)

    def _add(self, samples: np.ndarray, request: ClipRequest | None) -> None:
        if self._speech_gain is None:
            self._held.append((samples, request))
        else:
            self._send(samples, request, self._speech_gain)

    def _level_dbfs(self, gain: float) -> float:
        """RMS of everything held, with speech raised by `gain`."""
        energy, count = 0.0, 0
        for samples, request in self._held:
            values = self._limited(samples, gain) if request else samples
            values = values.astype(np.float64)
            energy += float(np.dot(values, values))
            count += len(values)
        mean_square = energy / max(count, 1) / 32768**2
        return 10 * math.log10(mean_square) if mean_square > 0 else -math.inf

    def _decide(self) -> None:
        low, high = 1.0, 10 ** (MAX_RAISE_DB / 20)
        if self._level_dbfs(low) < self._target_dbfs:
            for _ in range(12):
                middle = math.sqrt(low * high)
                if self._level_dbfs(middle) < self._target_dbfs:
                    low = middle
                else:
                    high = middle
            low = high
        self._speech_gain = low
        self.raise_db = 20 * math.log10(low)
        for samples, request in self._held:
            self._send(samples, request, low)
        self._held.clear()

    def _limited(self, speech: np.ndarray, gain: float) -> np.ndarray:
        return limit_peaks(speech, gain, self._layout.peak_dbfs)

    def _send(self, samples: np.ndarray, request: ClipRequest | None, gain: float) -> None:
        timeline = self.timeline
        start = timeline.total_samples
        if request is not None:
            samples = self._tone.under(self._limited(samples, gain))
        self._write(samples.astype("<i2").tobytes())
        timeline.total_samples += len(samples)
        if request is not None:
            timing = ClipTiming(request, start, timeline.total_samples)
            timeline.clips.append(timing)
            if self._on_clip is not None:
                self._on_clip(timing)


def _samples(milliseconds: int) -> int:
    return milliseconds * OUTPUT_SAMPLE_RATE // 1000


def assemble(
    clips: Iterable[Clip],
    layout: Layout,
    write: Callable[[bytes], None],
    on_clip: Callable[[ClipTiming], None] | None = None,
) -> Timeline:
    """Write head tone, each shaped clip with its pause, and tail tone; return the timeline.

    `on_clip` hears of every clip as soon as it is written.
    """
    chain = shaping_chain(layout)
    output = LevelledOutput(layout, write, on_clip)
    previous: ClipRequest | None = None
    for clip in clips:
        if previous is not None:
            new_paragraph = clip.request.paragraph != previous.paragraph
            output.pause(layout.paragraph_pause_ms if new_paragraph else layout.sentence_pause_ms)
        segment = to_segment(clip.audio)
        for shape in chain:
            segment = shape(segment)
        output.speech(np.frombuffer(segment.raw_data, dtype="<i2"), clip.request)
        previous = clip.request
    output.close()
    return output.timeline


def gain_for_volume(volume: float) -> float:
    """`--volume` (1.0 = ACX-ready level) as a gain in dB."""
    return 20 * math.log10(volume)
