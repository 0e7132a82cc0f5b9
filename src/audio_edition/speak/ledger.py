"""The clip policy, in one place: the cache asked first, every clip made checked, a bad one
spoken once more and then failing the run, every clip counted, every good one stored.

A synthesizer (the local pool, the Dask client, a Dask worker's engine) only says how a clip
gets spoken; it asks the run's ClipLedger for each request first and tells it what came back.
"""

from __future__ import annotations

import collections
import logging

import numpy as np

from audio_edition.document import script_counts, spoken_words
from audio_edition.engines import Audio
from audio_edition.errors import SynthesisError, excerpt
from audio_edition.speak.cache import ClipCache, ClipKey
from audio_edition.speak.clips import Clip, ClipRequest, SynthesisConfig, SynthesisStats

log = logging.getLogger(__name__)

_LENGTH_SLACK_SECONDS = 3.0
_AUDIBLE_PEAK = 0.01  # -40 dBFS: a clip quieter than this holds no speech
LETTERS_PER_WORD = 5
"""The fewest letters said in a word's time, for the longest a clip may last: eSpeak NG spells
an unpronounceable run of consonants at 0.21-0.24 s a letter at 160 wpm, 1.6-1.8 letters a
word's time, and the upper bound's factor of 4 covers that."""
LENGTH_FACTORS = (0.3, 4.0)
"""A clip may last this many times its expected length (see check_clip)."""
ATTEMPTS = 2
"""A clip is spoken at most this many times: a bad one is retried once, then fails the run."""


class ClipLedger:
    """One run's clips: where each comes from, whether it is accepted, what was counted."""

    def __init__(
        self,
        config: SynthesisConfig,
        cache: ClipCache | None = None,
        stats: SynthesisStats | None = None,
    ) -> None:
        self.config = config
        """How the clips are spoken."""
        self.stats = stats if stats is not None else SynthesisStats()
        """How many clips were spoken and how many came from the cache."""
        self._cache = cache
        self._failures: collections.Counter[ClipRequest] = collections.Counter()

    def lookup(self, request: ClipRequest) -> Clip | None:
        """The request's clip from the cache (counted), or None when it must be spoken."""
        cache = self._cache
        audio = cache.get(clip_key(request, self.config)) if cache is not None else None
        if audio is None:
            return None
        self.stats.cached += 1
        return Clip(request, audio)

    def accept(self, request: ClipRequest, audio: Audio) -> Clip | None:
        """The clip, counted and stored, when `audio` is plausible speech of the request's
        text; otherwise it is rejected (see reject) and None says: speak it again."""
        rate = self.config.voice(request.voice).settings.rate
        problem = check_clip(request.text, audio, rate)
        if problem is not None:
            self.reject(request, problem)
            return None
        self.stats.synthesized += 1
        if self._cache is not None:
            self._cache.put(clip_key(request, self.config), audio)
        return Clip(request, audio)

    def reject(self, request: ClipRequest, problem: str) -> None:
        """Note an attempt that failed with `problem`: after the last of ATTEMPTS it raises the
        SynthesisError that ends the run; before, the retry is logged."""
        self._failures[request] += 1
        if self._failures[request] >= ATTEMPTS:
            raise clip_failure(request, problem)
        log.warning("retrying paragraph %d: %s", request.paragraph + 1, problem)

    def failures(self, request: ClipRequest) -> int:
        """How many attempts at the request's clip have failed."""
        return self._failures[request]


def expected_seconds(text: str, rate_wpm: int) -> float:
    """How long `text` should take at `rate_wpm` words per minute."""
    return spoken_words(text) * 60.0 / rate_wpm


def check_clip(text: str, audio: Audio, rate_wpm: int) -> str | None:
    """Why this clip is not plausible speech of `text`, or None when it is: it must hold sound,
    and last between LENGTH_FACTORS times its expected length (less 0.2 s, plus 3 s)."""
    if not audio.samples:
        return "the engine returned no audio"
    samples = np.frombuffer(audio.samples, dtype="<i2")
    if np.abs(samples.astype(np.int32)).max(initial=0) < _AUDIBLE_PEAK * 32768:
        return "the engine returned silence"
    expected = expected_seconds(text, rate_wpm)
    low = LENGTH_FACTORS[0] * expected - 0.2
    # symbols are spoken too ("* * *", "&"), and a long word may be spelled letter by letter
    letters = sum(character.isalnum() for character in text)
    tokens = max(spoken_words(text), len(text.split()), letters / LETTERS_PER_WORD)
    high = LENGTH_FACTORS[1] * tokens * 60.0 / rate_wpm + _LENGTH_SLACK_SECONDS
    if not low <= audio.seconds <= high:
        return (
            f"the clip lasts {audio.seconds:.2f} s where {_amount(text)} "
            f"at {rate_wpm} wpm take about {expected:.2f} s"
        )
    return None


def _amount(text: str) -> str:
    """How much there is to say: "6 words", "63 characters", "2 words and 63 characters"."""
    words, syllables, letters = script_counts(text)
    characters = syllables + letters
    parts = [f"{words} words"] if words or not characters else []
    return " and ".join([*parts, f"{characters} characters"] if characters else parts)


def clip_key(request: ClipRequest, config: SynthesisConfig) -> ClipKey:
    """The cache key of a request's clip: its text in its voice (not the rest of the cast, so
    narrations sharing a voice share its clips)."""
    voice = config.voice(request.voice)
    settings = voice.settings
    return ClipKey(
        text=request.text,
        engine=voice.engine,
        engine_version=voice.engine_version,
        voice=settings.voice,
        rate=settings.rate,
    )


def clip_failure(request: ClipRequest, problem: str) -> SynthesisError:
    """The error that ends a run whose clip could not be spoken."""
    return SynthesisError(
        f'paragraph {request.paragraph + 1} ("{excerpt(request.text)}") '
        f"could not be spoken: {problem}"
    )
