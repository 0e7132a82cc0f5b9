"""The system voices: eSpeak NG on Linux, and through pyttsx3 SAPI5 on Windows and
NSSpeechSynthesizer on macOS.

Where pyttsx3's driver would be eSpeak NG (anywhere but Windows and macOS), the engine speaks
through libespeak-ng itself (engines/espeak_ng.py), each clip from the same state, so that the
same text always gives the same samples: pyttsx3's eSpeak driver speaks asynchronously, in a
thread of eSpeak's own, and carries the library's state from one clip to the next. The voices
and their ids are those pyttsx3 lists. Elsewhere pyttsx3 speaks: properties are applied
before any text, the engine waits for the driver's ``finished-utterance`` event before it
hands out the next text, treats a cancelled utterance as a failure, and gives every clip its
own file. It runs inside a synthesis worker process whose stdout goes nowhere, so nothing a
driver prints reaches the user.
"""

from __future__ import annotations

import importlib.metadata
import itertools
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, ClassVar

from audio_edition.engines import espeak_ng
from audio_edition.engines.base import Audio, Voice, VoiceSettings
from audio_edition.errors import MissingDependencyError, SynthesisError

USES_ESPEAK_LIBRARY = not sys.platform.startswith(("win", "darwin"))
"""Whether the engine speaks through libespeak-ng (pyttsx3's driver here is eSpeak NG)."""
_FINISH_TIMEOUT_SECONDS = 120.0
_POLL_SECONDS = 0.002


def _init_pyttsx3() -> Any:
    """A pyttsx3 engine, or a clear error naming what to install."""
    try:
        import pyttsx3
    except ImportError:  # pragma: no cover - pyttsx3 is a dependency
        raise MissingDependencyError("pyttsx3 is not installed: pip install pyttsx3") from None
    try:
        return pyttsx3.init()
    except Exception as error:  # pyttsx3 raises bare Exceptions when its driver cannot load
        raise MissingDependencyError(f"the system speech engine cannot start: {error}") from None


def plain_text_for(driver: str, text: str) -> str:
    """Text the driver will not read as markup: SAPI5 parses XML, NSSpeechSynthesizer [[commands]].

    eSpeak NG is never asked for SSML or phonemes, so it gets the text unchanged.
    """
    if driver == "sapi5":
        return text.replace("<", " less than ").replace(">", " greater than ")
    if driver == "nsss":
        return text.replace("[[", "[ [").replace("]]", "] ]")
    return text


class Pyttsx3Engine:
    """The system voices, one text at a time."""

    name: ClassVar[str] = "pyttsx3"
    listed: ClassVar[bool] = True
    has_default_voice: ClassVar[bool] = True

    def __init__(self, settings: VoiceSettings) -> None:
        self._voice = settings.voice
        self._rate = settings.rate
        if USES_ESPEAK_LIBRARY:
            espeak_ng.library().use(self._voice, self._rate)
            self._driver: _Driver | None = None
        else:
            self._driver = _Driver(settings)

    @classmethod
    def voices(cls, voice_dir: Path | None = None) -> list[Voice]:
        if USES_ESPEAK_LIBRARY:
            return espeak_ng.library().voices()
        found = []
        for voice in _init_pyttsx3().getProperty("voices"):
            gender = (voice.gender or "").lower() or None
            languages = tuple(
                lang.decode("utf-8", "ignore") if isinstance(lang, bytes) else str(lang)
                for lang in (voice.languages or ())
            )
            found.append(Voice(id=voice.id, name=voice.name, languages=languages, gender=gender))
        return found

    @classmethod
    def voice_from_file(cls, path: Path) -> Voice | None:
        return None

    @classmethod
    def version(cls) -> str:
        if USES_ESPEAK_LIBRARY:
            return f"eSpeak NG {espeak_ng.version()}; each clip from the same state"
        return f"pyttsx3 {importlib.metadata.version('pyttsx3')}"

    def synthesize(self, text: str) -> Audio:
        if self._driver is None:
            return espeak_ng.library().speak(text, self._voice, self._rate)
        return self._driver.synthesize(text)

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()


class _Driver:
    """pyttsx3's own driver (SAPI5, NSSpeechSynthesizer), speaking each text into its file."""

    def __init__(self, settings: VoiceSettings) -> None:
        self._engine = _init_pyttsx3()
        self._name = self._engine.proxy._module.__name__.rsplit(".", 1)[-1]
        if settings.voice is not None:
            self._engine.setProperty("voice", settings.voice)
        self._engine.setProperty("rate", settings.rate)
        self._engine.setProperty("volume", 1.0)
        self._engine.runAndWait()  # the properties reach the driver before any text
        self._finished = 0
        self._completed = True
        self._engine.connect("finished-utterance", self._on_finished)
        self._folder = tempfile.TemporaryDirectory(prefix="audio-edition-clips-")
        self._numbers = itertools.count()

    def _on_finished(self, name: object = None, completed: bool = True) -> None:
        self._completed = completed
        self._finished += 1

    def synthesize(self, text: str) -> Audio:
        path = Path(self._folder.name) / f"clip-{next(self._numbers)}.wav"
        finished_before = self._finished
        self._engine.save_to_file(plain_text_for(self._name, text), str(path))
        self._engine.runAndWait()
        deadline = time.monotonic() + _FINISH_TIMEOUT_SECONDS
        while self._finished == finished_before:
            if time.monotonic() > deadline:
                raise SynthesisError("the speech engine never finished")
            time.sleep(_POLL_SECONDS)
        try:
            if not self._completed:
                raise SynthesisError("the speech engine cancelled the text")
            if not path.exists():
                raise SynthesisError("the speech engine wrote no audio file")
            from pydub import AudioSegment  # SAPI5 writes WAV, NSSpeechSynthesizer AIFF

            segment = AudioSegment.from_file(str(path)).set_channels(1).set_sample_width(2)
            return Audio(segment.raw_data, segment.frame_rate)
        finally:
            path.unlink(missing_ok=True)

    def close(self) -> None:
        self._folder.cleanup()
