"""The contract every engine keeps, run over every engine available here.

The fake engine always runs; pyttsx3 when eSpeak NG is installed; Piper when piper-tts and a
voice are (CI installs both). Engines speak in a worker process, as in a real run (one engine
instance per process: pyttsx3 keeps process-wide state).
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import numpy as np
import pytest

from audio_edition.engines import (
    Audio,
    Engine,
    Voice,
    VoiceSettings,
    engine_names,
    load_engine,
    resolve_voice,
)
from audio_edition.synthesis import ClipRequest, SynthesisConfig, check_clip, synthesize

SENTENCE = "The lighthouse keeper climbed the stairs and lit the lamp at dusk."


def _piper_voice() -> bool:
    if importlib.util.find_spec("piper") is None:
        return False
    return bool(load_engine("piper").voices())


def _available(name: str) -> bool:
    """Whether an engine can speak here: the built-ins by what they need, any other registered
    engine when it loads and lists a voice."""
    if name == "pyttsx3":
        return shutil.which("espeak-ng") is not None
    if name == "piper":
        return _piper_voice()
    try:
        return bool(load_engine(name).voices())
    except Exception:
        return False


AVAILABLE = {name: _available(name) for name in engine_names()}


@pytest.fixture(params=sorted(AVAILABLE))
def engine_class(request) -> type[Engine]:
    if not AVAILABLE[request.param]:
        pytest.skip(f"{request.param} is not installed here")
    return load_engine(request.param)


def settings_for(engine: type[Engine], rate: int = 160) -> VoiceSettings:
    voice = engine.voices()[0] if not engine.has_default_voice else None
    return VoiceSettings(voice.id if voice else None, rate, voice.file if voice else None)


def speak(engine: type[Engine], *texts: str, rate: int = 160) -> list[Audio]:
    """Each text spoken by one engine instance in one worker process, in order."""
    config = SynthesisConfig(engine.name, engine.version(), settings_for(engine, rate), jobs=1)
    requests = [ClipRequest(0, number, 0, text) for number, text in enumerate(texts)]
    return [clip.audio for clip in synthesize(requests, config)]


def seconds(audio: Audio) -> float:
    return len(audio.samples) / 2 / audio.sample_rate


def peak(audio: Audio) -> float:
    return float(np.abs(np.frombuffer(audio.samples, dtype="<i2")).max(initial=0)) / 32768


def test_every_built_in_engine_is_registered():
    assert {"pyttsx3", "piper", "fake"} <= set(engine_names())


def test_registered_under_its_name(engine_class):
    assert load_engine(engine_class.name) is engine_class
    assert isinstance(engine_class.listed, bool)
    assert isinstance(engine_class.has_default_voice, bool)


def test_lists_voices(engine_class):
    voices = engine_class.voices()
    assert voices
    assert all(isinstance(v, Voice) and v.id and v.name for v in voices)
    assert all(isinstance(v.languages, tuple) for v in voices)
    assert len({v.id for v in voices}) == len(voices)
    first = voices[0]
    assert resolve_voice(engine_class, first.id) == first


def test_version_is_stable_text(engine_class):
    assert engine_class.version() == engine_class.version()
    assert engine_class.version().strip()


def test_speaks_a_sentence_for_as_long_as_its_words_take(engine_class):
    (audio,) = speak(engine_class, SENTENCE)
    assert len(audio.samples) % 2 == 0
    assert 8000 <= audio.sample_rate <= 48000
    assert check_clip(SENTENCE, audio, 160) is None
    assert peak(audio) > 0.05


def test_rate_changes_the_length(engine_class):
    (slow,) = speak(engine_class, SENTENCE, rate=110)
    (fast,) = speak(engine_class, SENTENCE, rate=240)
    assert seconds(fast) < 0.8 * seconds(slow)


def test_one_instance_speaks_many_texts_in_order(engine_class):
    short, long, short_again = speak(engine_class, "Yes.", SENTENCE + " " + SENTENCE, "Yes.")
    assert seconds(short) < seconds(long)
    assert seconds(short_again) == pytest.approx(seconds(short), rel=0.25, abs=0.15)


@pytest.mark.parametrize(
    "markup",
    [
        '<speak>Hello <break time="10s"/> there.</speak>',
        "[[ h @ l oU ]] Hello there.",
        "[[inpt PHON]] Hello there.",
    ],
)
def test_markup_is_read_as_text_never_obeyed(engine_class, markup):
    (audio,) = speak(engine_class, markup)
    assert 0.3 < seconds(audio) < 8
    assert peak(audio) > 0.05


def test_unicode_text(engine_class):
    (audio,) = speak(
        engine_class, "Caf\u00e9 au lait on the na\u00efve fa\u00e7ade, \u00e0 la carte."
    )
    assert seconds(audio) > 0.5


def test_voice_files_are_refused_unless_the_engine_takes_them(engine_class, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("not a voice")
    assert engine_class.voice_from_file(other) is None


def test_engines_whose_voices_are_files_give_the_file(engine_class):
    voices = engine_class.voices()
    if engine_class.has_default_voice:
        pytest.skip("this engine's voices are not files")
    assert all(isinstance(v.file, Path) and v.file.is_file() for v in voices)
    assert engine_class.voice_from_file(voices[0].file) == voices[0]
