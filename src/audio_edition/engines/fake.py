"""A deterministic engine for tests: a tone whose length follows the text's word count.

Words in the text steer it, so tests can drive every failure through the real pipeline:
``MUTE`` gives empty audio every time, ``FLAKY`` gives empty audio the first time that text is
asked for (in the run, when the environment names a shared state folder in
AUDIO_EDITION_FAKE_STATE; else in the worker process), ``CRASH`` kills the worker process,
``HANG`` never returns, ``SLOW`` takes half a second.
"""

from __future__ import annotations

import os
import time
import zlib
from pathlib import Path
from typing import ClassVar

import numpy as np

from ..document import count_words
from .base import Audio, Voice, VoiceSettings

STATE_VARIABLE = "AUDIO_EDITION_FAKE_STATE"
_RATES = {"fake": 22_050, "fake-16k": 16_000, "fake-fr": 22_050}
_LEAD_SECONDS = 0.1
_TRAIL_SECONDS = 0.15
_AMPLITUDE = 0.25


class FakeEngine:
    """Tones instead of speech: same text, same samples."""

    name: ClassVar[str] = "fake"
    listed: ClassVar[bool] = False
    has_default_voice: ClassVar[bool] = True

    def __init__(self, settings: VoiceSettings) -> None:
        self._rate_wpm = settings.rate
        self._sample_rate = _RATES[settings.voice or "fake"]
        self._seen: set[str] = set()

    @classmethod
    def voices(cls, voice_dir: Path | None = None) -> list[Voice]:
        return [
            Voice("fake", "Fake tone (22,050 Hz)", ("en",)),
            Voice("fake-16k", "Fake tone (16,000 Hz)", ("en",)),
            Voice("fake-fr", "Fake tone, French (22,050 Hz)", ("fr-fr",)),
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
        first_time = self._first_time(text) if "FLAKY" in text else False
        if "CRASH" in text:
            os._exit(70)
        if "SLOW" in text:
            time.sleep(0.5)
        if "HANG" in text:
            while True:
                time.sleep(60)
        if "MUTE" in text or first_time:
            return Audio(b"", self._sample_rate)
        return Audio(self._tone(text), self._sample_rate)

    def _tone(self, text: str) -> bytes:
        rate = self._sample_rate
        seconds = max(0.25, count_words(text) * 60 / self._rate_wpm)
        frequency = 180 + zlib.crc32(text.encode("utf-8")) % 300
        t = np.arange(int(seconds * rate)) / rate
        tone = _AMPLITUDE * np.sin(2 * np.pi * frequency * t)
        silence_lead = np.zeros(int(_LEAD_SECONDS * rate))
        silence_trail = np.zeros(int(_TRAIL_SECONDS * rate))
        signal = np.concatenate([silence_lead, tone, silence_trail])
        return (signal * 32767).astype("<i2").tobytes()

    def close(self) -> None:
        pass
