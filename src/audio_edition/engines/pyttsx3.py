"""The system voices through pyttsx3: eSpeak NG on Linux, SAPI5 on Windows, NSSpeechSynthesizer
on macOS.

pyttsx3 2.99's eSpeak driver synthesizes asynchronously: the first ``runAndWait`` returns before
the speech is done, so the audio is later written under whatever file name is current, and with
one file per paragraph the first paragraph is lost. And when ``runAndWait`` comes while eSpeak is
still busy (ending the previous text, or applying a voice or rate change), the driver cancels
the new text and writes an empty file. This engine therefore applies its properties before any
text, waits for the driver's ``finished-utterance`` event and then for eSpeak NG to be idle
before it hands out the next text, treats a cancelled utterance as a failure, gives every clip
its own file, and reads the samples back at the rate eSpeak really produces (the driver's WAV
header always says 22,050 Hz). It runs inside a synthesis worker process whose stdout goes
nowhere, so the driver's "Audio saved to ..." never reaches the user.
"""

from __future__ import annotations

import importlib.metadata
import itertools
import logging
import sys
import tempfile
import time
import wave
from pathlib import Path
from typing import Any, ClassVar

from ..errors import MissingDependencyError, SynthesisError
from .base import Audio, Voice, VoiceSettings

_FINISH_TIMEOUT_SECONDS = 120.0
log = logging.getLogger(__name__)

_IDLE_TIMEOUT_SECONDS = 10.0
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
        raise MissingDependencyError(_missing_driver_message(error)) from None


def _missing_driver_message(error: Exception) -> str:
    if sys.platform.startswith("linux"):
        return f"cannot load eSpeak NG ({error}); install it: sudo apt-get install espeak-ng"
    return f"the system speech engine cannot start: {error}"


def plain_text_for(driver: str, text: str) -> str:
    """Text the driver will not read as markup: SAPI5 parses XML, NSSpeechSynthesizer [[commands]].

    pyttsx3 never asks eSpeak NG for SSML, so eSpeak gets the text unchanged.
    """
    if driver == "sapi5":
        return text.replace("<", " less than ").replace(">", " greater than ")
    if driver == "nsss":
        return text.replace("[[", "[ [").replace("]]", "] ]")
    return text


class Pyttsx3Engine:
    """One pyttsx3 engine, speaking one text at a time into its own file."""

    name: ClassVar[str] = "pyttsx3"
    listed: ClassVar[bool] = True
    has_default_voice: ClassVar[bool] = True

    def __init__(self, settings: VoiceSettings) -> None:
        self._engine = _init_pyttsx3()
        self._driver = self._engine.proxy._module.__name__.rsplit(".", 1)[-1]
        if settings.voice is not None:
            self._engine.setProperty("voice", settings.voice)
        self._engine.setProperty("rate", settings.rate)
        self._engine.setProperty("volume", 1.0)
        self._apply_properties()
        self._finished = 0
        self._completed = True
        self._engine.connect("finished-utterance", self._on_finished)
        self._folder = tempfile.TemporaryDirectory(prefix="audio-edition-clips-")
        self._numbers = itertools.count()

    def _apply_properties(self) -> None:
        """Let queued property changes reach the driver before any text does.

        eSpeak NG applies them asynchronously; while it does, the driver's end-of-loop ``stop``
        sees it busy and marks the next text for cancelling. So flush them with an empty run,
        wait for eSpeak to be idle, and clear that stale mark.
        """
        self._engine.runAndWait()
        self._wait_until_idle(time.monotonic() + _IDLE_TIMEOUT_SECONDS)
        driver = self._engine.proxy._driver
        if self._driver == "espeak" and hasattr(driver, "_stopping"):
            driver._stopping = False

    def _on_finished(self, name: object = None, completed: bool = True) -> None:
        self._completed = completed
        self._finished += 1

    @classmethod
    def voices(cls, voice_dir: Path | None = None) -> list[Voice]:
        engine = _init_pyttsx3()
        found = []
        for voice in engine.getProperty("voices"):
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
        version = f"pyttsx3 {importlib.metadata.version('pyttsx3')}"
        if sys.platform.startswith("linux"):
            try:
                from pyttsx3.drivers import _espeak

                version += f"; eSpeak NG {_espeak.Info(None).decode()}"
            except Exception as error:  # no eSpeak NG: the run fails later with a clear message
                log.debug("no eSpeak NG version: %s", error)
        return version

    def synthesize(self, text: str) -> Audio:
        path = Path(self._folder.name) / f"clip-{next(self._numbers)}.wav"
        self._wait_until_idle(time.monotonic() + _IDLE_TIMEOUT_SECONDS)
        finished_before = self._finished
        self._engine.save_to_file(plain_text_for(self._driver, text), str(path))
        self._engine.runAndWait()
        deadline = time.monotonic() + _FINISH_TIMEOUT_SECONDS
        while self._finished == finished_before:
            if time.monotonic() > deadline:
                raise SynthesisError("the speech engine never finished")
            time.sleep(_POLL_SECONDS)
        self._wait_until_idle(deadline)
        try:
            if not self._completed:
                raise SynthesisError("the speech engine cancelled the text")
            return self._read(path)
        finally:
            path.unlink(missing_ok=True)

    def _wait_until_idle(self, deadline: float) -> None:
        """Wait until eSpeak NG has nothing in hand, else the driver cancels what comes next."""
        if self._driver != "espeak":
            return
        from pyttsx3.drivers import _espeak

        while _espeak.IsPlaying():
            if time.monotonic() > deadline:
                raise SynthesisError("the speech engine stayed busy")
            time.sleep(_POLL_SECONDS)

    def _read(self, path: Path) -> Audio:
        if not path.exists():
            raise SynthesisError("the speech engine wrote no audio file")
        if self._driver == "espeak":
            with wave.open(str(path), "rb") as clip:
                samples = clip.readframes(clip.getnframes())
            return Audio(samples, _espeak_sample_rate())
        from pydub import AudioSegment  # SAPI5 writes WAV, NSSpeechSynthesizer AIFF

        segment = AudioSegment.from_file(str(path)).set_channels(1).set_sample_width(2)
        return Audio(segment.raw_data, segment.frame_rate)

    def close(self) -> None:
        self._folder.cleanup()


def _espeak_sample_rate() -> int:
    """The rate eSpeak NG really synthesizes at for the current voice (MBROLA voices differ)."""
    from pyttsx3.drivers import _espeak

    get_rate = getattr(_espeak.dll, "espeak_ng_GetSampleRate", None)
    return int(get_rate()) if get_rate is not None else 22_050
