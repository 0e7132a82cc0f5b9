"""How loud the output is: each clip's speech set to the speech level, speech raised where
pauses would leave a short piece too quiet, and every peak held under the ceiling.

A piece the plan expects to be long and mostly speech needs no raise: that is decided at
once, and nothing is held, so its audio is written as it is made. Otherwise the file's level
is decided from its opening `HELD_SPEECH_SECONDS` of speech with their pauses, or from the
whole piece when it is shorter; until then, what is added is held (see `FileLevel`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from audio_edition.shape import OUTPUT_SAMPLE_RATE
from audio_edition.speak.clips import ClipRequest

if TYPE_CHECKING:
    from pydub import AudioSegment

SPEECH_LEVEL_DBFS = -18.0
"""RMS each clip's speech is set to; with pauses the file lands near -19.5 dB (ACX: -23..-18)."""
FILE_LEVEL_DBFS = -20.0
"""Least RMS of speech and pauses together: a piece whose pauses outweigh its speech (a
one-line note between its head and tail room tone) has its speech raised to reach it."""
LEAST_FILE_LEVEL_DBFS = -21.0
"""A piece that cannot reach this even with speech raised the most is too short for the full
head and tail room tone (see assemble.SHORT_TAIL_MS)."""
MAX_RAISE_DB = 30.0
"""The most speech is raised by."""
HELD_SPEECH_SECONDS = 60
"""Speech held before the file's level is decided: a shorter piece is measured whole."""
EARLY_DECISION_MARGIN_DB = 1.0
"""A piece expected to hold at least `HELD_SPEECH_SECONDS` of speech, and to be this much
louder than `FILE_LEVEL_DBFS` (see `Expected`), is decided "no raise" before anything is
held. 1 dB still holds when speech takes half the time expected (an engine reading twice
as fast as the rate asked for): such a piece lands 0.2 dB above the file level."""
_LIMITER_BLOCK = OUTPUT_SAMPLE_RATE // 200
"""Peaks are limited in blocks of 5 ms."""
LIMITER_STEP_DB = 0.5
"""The most the limiter's gain moves from one block to the next: 100 dB a second, so 6 dB
of reduction fades in and out over 60 ms, as smooth as ffmpeg's alimiter at its 50 ms."""
RAISED_STEP_DB = 20.0
"""The same for raised speech (a short piece made louder), which is compressed on purpose:
a slow limiter would undo the raise around every peak of a one-word piece."""

Piece = tuple[np.ndarray, ClipRequest | None]
"""16-bit samples, and the clip whose speech they are (None for room tone)."""


@dataclass(frozen=True)
class Expected:
    """What a piece is expected to hold, from its text before any of it is spoken."""

    speech_seconds: float
    """Its words read at the rate asked for."""
    pause_seconds: float
    """Its room tone: head, tail and every pause between clips."""

    @property
    def level_dbfs(self) -> float:
        """Its RMS with every clip's speech at `SPEECH_LEVEL_DBFS` and silent pauses."""
        share = self.speech_seconds / max(self.speech_seconds + self.pause_seconds, 1e-9)
        return SPEECH_LEVEL_DBFS + 10 * math.log10(share) if share > 0 else -math.inf

    def needs_no_raise(self) -> bool:
        """Whether the piece is long and loud enough to pass on at once (see
        `EARLY_DECISION_MARGIN_DB`)."""
        return (
            self.speech_seconds >= HELD_SPEECH_SECONDS
            and self.level_dbfs >= FILE_LEVEL_DBFS + EARLY_DECISION_MARGIN_DB
        )


def level(gain_db: float) -> Callable[[AudioSegment], AudioSegment]:
    """Set a clip's RMS to the speech level, moved by `gain_db`."""

    def shape(segment: AudioSegment) -> AudioSegment:
        loudness = segment.dBFS
        if loudness == -math.inf:
            return segment
        return segment.apply_gain(SPEECH_LEVEL_DBFS + gain_db - loudness)

    return shape


def gain_for_volume(volume: float) -> float:
    """`--volume` (1.0 = ACX-ready level) as a gain in dB."""
    return 20 * math.log10(volume)


class FileLevel:
    """Passes pieces on in order, speech raised so that the whole reaches `FILE_LEVEL_DBFS`
    (moved by `gain_db`) and its peaks limited under `ceiling_dbfs`.

    The raise is found by bisection over what is held, so that it holds after the peaks are
    limited; from then on, pieces pass on as they come. A piece `expected` to need no raise
    (see `Expected.needs_no_raise`; the volume's gain moves speech and target alike) is
    decided at once and nothing is held.
    """

    def __init__(
        self,
        gain_db: float,
        ceiling_dbfs: float,
        send: Callable[[np.ndarray, ClipRequest | None], None],
        expected: Expected | None = None,
    ) -> None:
        self._target_dbfs = FILE_LEVEL_DBFS + gain_db
        self._least_dbfs = LEAST_FILE_LEVEL_DBFS + gain_db
        self._ceiling_dbfs = ceiling_dbfs
        self._send = send
        self._held: list[Piece] = []
        self._held_speech = 0
        self._gain: float | None = None
        if expected is not None and expected.needs_no_raise():
            self._gain = 1.0

    @property
    def decided(self) -> bool:
        """Whether the raise is decided (nothing is held any more)."""
        return self._gain is not None

    @property
    def held_samples(self) -> int:
        """How many samples wait for the decision."""
        return sum(len(samples) for samples, _ in self._held)

    def add(self, samples: np.ndarray, request: ClipRequest | None = None) -> None:
        """Room tone, or one clip's speech: held until the raise is decided, then passed on."""
        if self._gain is not None:
            self._pass((samples, request), self._gain)
            return
        self._held.append((samples, request))
        if request is not None:
            self._held_speech += len(samples)
            if self._held_speech >= HELD_SPEECH_SECONDS * OUTPUT_SAMPLE_RATE:
                self.decide()

    def too_short(self, tail: np.ndarray) -> bool:
        """Whether what is held, with `tail` after it, stays under `LEAST_FILE_LEVEL_DBFS`
        (moved by the gain) even with speech raised the most."""
        return self._level_dbfs(10 ** (MAX_RAISE_DB / 20), [(tail, None)]) < self._least_dbfs

    def shorten_first(self, length: int) -> None:
        """Cut the first piece held (the head's room tone) to `length` samples."""
        samples, request = self._held[0]
        self._held[0] = (samples[:length], request)

    def decide(self) -> None:
        """Decide the raise, if it is not yet, and pass on all that is held."""
        if self._gain is not None:
            return
        low, high = 1.0, 10 ** (MAX_RAISE_DB / 20)
        if self._level_dbfs(low) < self._target_dbfs:
            for _ in range(12):
                middle = math.sqrt(low * high)
                if self._level_dbfs(middle) < self._target_dbfs:
                    low = middle
                else:
                    high = middle
            low = high
        self._gain = low
        for piece in self._held:
            self._pass(piece, low)
        self._held.clear()

    def _level_dbfs(self, gain: float, more: list[Piece] | None = None) -> float:
        """RMS of everything held (and `more`), with speech raised by `gain`."""
        energy, count = 0.0, 0
        for samples, request in [*self._held, *(more or [])]:
            values = self._limited(samples, gain) if request else samples
            values = values.astype(np.float64)
            energy += float(np.dot(values, values))
            count += len(values)
        mean_square = energy / max(count, 1) / 32768**2
        return 10 * math.log10(mean_square) if mean_square > 0 else -math.inf

    def _limited(self, speech: np.ndarray, gain: float) -> np.ndarray:
        return limit_peaks(speech, gain, self._ceiling_dbfs)

    def _pass(self, piece: Piece, gain: float) -> None:
        samples, request = piece
        self._send(self._limited(samples, gain) if request is not None else samples, request)


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
