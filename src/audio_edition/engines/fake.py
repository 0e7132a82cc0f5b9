"""A deterministic engine for tests: tones whose length follows the text's word count (a
character of a script written without spaces counting as part of a word, as the length check
counts it).

The same text always gives the same samples. The voices ``fake`` (22,050 Hz), ``fake-16k``
and ``fake-fr`` speak an ideal tone: a constant sine lasting words x 60 / rate between runs
of digital zero. ``fake-speechlike`` (22,050 Hz) is closer to a real engine, for testing the
length check, edge trimming and peak limiting: its length varies with the text (0.75 to 1.35
times the ideal one); room noise at -68 dBFS RMS (peaks under -50 dBFS, like Piper's) lies
before, under and after the speech, 0.15-0.35 s of it at the start and 0.2-0.45 s at the
end; and its level swells and fades with syllables, about four a second, some of them
stressed, for a crest factor (peak over RMS) of 11-18 dB, as in speech (Piper: 15-19 dB).

Fault words (whole words in capitals) drive every failure through the real pipeline, but
only when the environment has AUDIO_EDITION_FAKE_FAULTS=1 (tests/conftest.py sets it);
otherwise they are spoken like any other word. ``MUTE`` gives no audio, ``SILENT`` room noise
alone, ``LONG`` ten times the length, ``SHORT`` a twentieth of it (at 160 wpm, a clip of three
words or more then fails the length check), ``CRASH`` kills the worker process, ``HANG`` never
returns, ``SLOW`` takes half a second longer. With ``ONCE`` in the text, a fault strikes only
the first time that text is asked for (in the run when AUDIO_EDITION_FAKE_STATE names a
folder shared by the run's workers, else in the worker process); ``FLAKY`` is ``MUTE ONCE``.
"""

from __future__ import annotations

import itertools
import os
import re
import time
import zlib
from pathlib import Path
from typing import ClassVar

import numpy as np

from audio_edition.document import spoken_words
from audio_edition.engines.base import Audio, Voice, VoiceSettings

FAULTS_VARIABLE = "AUDIO_EDITION_FAKE_FAULTS"
STATE_VARIABLE = "AUDIO_EDITION_FAKE_STATE"
SPEECHLIKE = "fake-speechlike"
_RATES = {"fake": 22_050, "fake-16k": 16_000, "fake-fr": 22_050, SPEECHLIKE: 22_050}
_LEAD_SECONDS = 0.1
_TRAIL_SECONDS = 0.15
_AMPLITUDE = 0.25
_SPEECH_RMS_DBFS = -22.0
_NOISE_RMS_DBFS = -68.0
_SYLLABLES_PER_SECOND = 4.0
_FAULT_WORDS = re.compile(r"\b(?:MUTE|SILENT|LONG|SHORT|CRASH|HANG|SLOW|ONCE|FLAKY)\b")


class FakeEngine:
    """Tones instead of speech: same text, same samples."""

    name: ClassVar[str] = "fake"
    listed: ClassVar[bool] = False
    has_default_voice: ClassVar[bool] = True

    def __init__(self, settings: VoiceSettings) -> None:
        self._rate_wpm = settings.rate
        self._voice = settings.voice or "fake"
        self._sample_rate = _RATES[self._voice]
        self._faults = os.environ.get(FAULTS_VARIABLE) == "1"
        self._seen: set[str] = set()

    @classmethod
    def voices(cls, voice_dir: Path | None = None) -> list[Voice]:
        return [
            Voice("fake", "Fake tone (22,050 Hz)", ("en",)),
            Voice("fake-16k", "Fake tone (16,000 Hz)", ("en",)),
            Voice("fake-fr", "Fake tone, French (22,050 Hz)", ("fr-fr",)),
            Voice(SPEECHLIKE, "Fake speech-like tone (22,050 Hz)", ("en",)),
        ]

    @classmethod
    def voice_from_file(cls, path: Path) -> Voice | None:
        return None

    @classmethod
    def version(cls) -> str:
        return "1"

    def _first_time(self, text: str) -> bool:
        """Whether `text` is asked for the first time (in the run, with a shared state folder)."""
        state = os.environ.get(STATE_VARIABLE)
        if state:
            marker = Path(state) / f"seen-{zlib.crc32(text.encode('utf-8')):08x}"
            try:
                os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return False
            return True
        first_time = text not in self._seen
        self._seen.add(text)
        return first_time

    def synthesize(self, text: str) -> Audio:
        faults = set(_FAULT_WORDS.findall(text)) if self._faults else set()
        if "FLAKY" in faults:
            faults |= {"MUTE", "ONCE"}
        if "ONCE" in faults and not self._first_time(text):
            faults.clear()
        if "CRASH" in faults:
            os._exit(70)
        if "SLOW" in faults:
            time.sleep(0.5)
        if "HANG" in faults:
            while True:
                time.sleep(60)
        if "MUTE" in faults:
            return Audio(b"", self._sample_rate)
        seconds = max(0.25, spoken_words(text) * 60 / self._rate_wpm)
        seconds *= 10 if "LONG" in faults else 0.05 if "SHORT" in faults else 1
        if self._voice == SPEECHLIKE:
            signal = self._speechlike(text, seconds, silent="SILENT" in faults)
        else:
            signal = self._tone(text, seconds, silent="SILENT" in faults)
        return Audio((signal * 32767).astype("<i2").tobytes(), self._sample_rate)

    def _tone(self, text: str, seconds: float, silent: bool) -> np.ndarray:
        """A constant sine between runs of digital zero."""
        rate = self._sample_rate
        t = np.arange(int(seconds * rate)) / rate
        amplitude = 0.0 if silent else _AMPLITUDE
        tone = amplitude * np.sin(2 * np.pi * _frequency(text) * t)
        silence_lead = np.zeros(int(_LEAD_SECONDS * rate))
        silence_trail = np.zeros(int(_TRAIL_SECONDS * rate))
        return np.concatenate([silence_lead, tone, silence_trail])

    def _speechlike(self, text: str, seconds: float, silent: bool) -> np.ndarray:
        """Voiced syllables of varying length and loudness over room noise."""
        rate = self._sample_rate
        random = np.random.default_rng(zlib.crc32(text.encode("utf-8")))
        length = int(seconds * random.uniform(0.75, 1.35) * rate)
        t = np.arange(length) / rate
        frequency = _frequency(text)
        voiced = sum(np.cos(2 * np.pi * k * frequency * t) / k**2 for k in range(1, 7))
        envelope = np.zeros(length)
        syllables = max(1, round(length / rate * _SYLLABLES_PER_SECOND))
        bounds = np.linspace(0, length, syllables + 1).astype(int)
        for start, end in itertools.pairwise(bounds):
            width = int((end - start) * 0.8)
            loudness = min(random.lognormal(0, 0.3), 1.25) * (1.7 if random.random() < 0.2 else 1)
            envelope[start : start + width] = loudness * np.hanning(width)
        speech = voiced * envelope
        speech *= 0 if silent else _db(_SPEECH_RMS_DBFS) / np.sqrt(np.mean(speech**2))
        lead = np.zeros(int(random.uniform(0.15, 0.35) * rate))
        trail = np.zeros(int(random.uniform(0.2, 0.45) * rate))
        signal = np.concatenate([lead, speech, trail])
        return signal + random.normal(0, _db(_NOISE_RMS_DBFS), len(signal))

    def close(self) -> None:
        pass


def _frequency(text: str) -> int:
    """The tone's pitch in Hz, 180-479, from the text."""
    return 180 + zlib.crc32(text.encode("utf-8")) % 300


def _db(level_dbfs: float) -> float:
    return float(10 ** (level_dbfs / 20))
