"""A third-party engine for tests: a 1 kHz hum whose length follows the word count.

tests/promises/test_readme_promises.py packs this module into a wheel whose entry point
registers it in the ``audio_edition.engines`` group, as another package would, and installs it
with pip.
"""

from __future__ import annotations

import math
import struct
from pathlib import Path
from typing import ClassVar

from audio_edition.engines import Audio, Voice, VoiceSettings

FREQUENCY = 1000
_SAMPLE_RATE = 24_000


class HumEngine:
    """A hum instead of speech."""

    name: ClassVar[str] = "hum"
    listed: ClassVar[bool] = True
    has_default_voice: ClassVar[bool] = True

    def __init__(self, settings: VoiceSettings) -> None:
        self._rate_wpm = settings.rate

    @classmethod
    def voices(cls, voice_dir: Path | None = None) -> list[Voice]:
        return [Voice("hum-1k", "Hum at 1 kHz", ("en",))]

    @classmethod
    def voice_from_file(cls, path: Path) -> Voice | None:
        return None

    @classmethod
    def version(cls) -> str:
        return "hum 1.0"

    def synthesize(self, text: str) -> Audio:
        count = int(len(text.split()) * 60 / self._rate_wpm * _SAMPLE_RATE)
        step = 2 * math.pi * FREQUENCY / _SAMPLE_RATE
        samples = (round(8000 * math.sin(step * n)) for n in range(count))
        return Audio(struct.pack(f"<{count}h", *samples), _SAMPLE_RATE)

    def close(self) -> None:
        pass
