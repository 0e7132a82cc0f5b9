"""The contract every engine keeps, run over every engine available here.

The fake engine always runs; pyttsx3 when eSpeak NG is installed; hibari when hibari-tts is;
Piper when piper-tts and a voice are (CI installs them all). Every engine but the fake one is
marked e2e. Engines speak in a worker process, as in a real run (one engine instance per
process: pyttsx3 keeps process-wide state).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import shutil
import subprocess
import sys
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
from audio_edition.speak.cache import ClipCache
from audio_edition.speak.clips import ClipRequest, SynthesisConfig, SynthesisStats
from audio_edition.speak.ledger import check_clip
from audio_edition.speak.synthesis import synthesize

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


def _engine_param(name: str):
    """An engine as a fixture parameter: a real one is e2e, and skipped where it cannot speak."""
    marks = [] if name == "fake" else [pytest.mark.e2e]
    if not _available(name):
        marks.append(pytest.mark.skip(reason=f"{name} is not installed here"))
    return pytest.param(name, marks=marks)


@pytest.fixture(params=[_engine_param(name) for name in engine_names()])
def engine_class(request) -> type[Engine]:
    return load_engine(request.param)


def settings_for(engine: type[Engine], rate: int = 160) -> VoiceSettings:
    voice = engine.voices()[0] if not engine.has_default_voice else None
    return VoiceSettings(voice.id if voice else None, rate, voice.file if voice else None)


def speak(engine: type[Engine], *texts: str, rate: int = 160) -> list[Audio]:
    """Each text spoken by one engine instance in one worker process, in order."""
    config = SynthesisConfig(engine.name, engine.version(), settings_for(engine, rate))
    requests = [ClipRequest(0, number, 0, text) for number, text in enumerate(texts)]
    return [clip.audio for clip in synthesize(requests, config)]


def espeak_ng_version() -> str:
    """The version `espeak-ng --version` reports, e.g. "1.51"."""
    out = subprocess.run(["espeak-ng", "--version"], check=True, capture_output=True, text=True)
    found = re.match(r"eSpeak NG text-to-speech: (\S+)", out.stdout)
    assert found, out.stdout
    return found[1]


def version_pattern(name: str) -> str:
    """What an engine's version must look like: for the built-ins, every installed part that
    shapes their output; for an engine from another package, any text."""
    installed = importlib.metadata.version
    if name == "pyttsx3":  # on Linux: eSpeak NG, each clip spoken from the same state
        return re.escape(f"eSpeak NG {espeak_ng_version()}; each clip from the same state")
    if name == "piper":
        return re.escape(
            f"piper-tts {installed('piper-tts')}; onnxruntime {installed('onnxruntime')}"
        )
    if name == "hibari":
        return re.escape(
            f"hibari-tts {installed('hibari-tts')}; onnxruntime {installed('onnxruntime')}; seed 0"
        )
    return r"\d+" if name == "fake" else r"\S(.*\S)?"


def version_in_a_new_process(name: str) -> str:
    script = (
        f"from audio_edition.engines import load_engine; print(load_engine({name!r}).version())"
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    return out.stdout.removesuffix("\n")


def seconds(audio: Audio) -> float:
    return len(audio.samples) / 2 / audio.sample_rate


def peak(audio: Audio) -> float:
    return float(np.abs(np.frombuffer(audio.samples, dtype="<i2")).max(initial=0)) / 32768


def test_every_built_in_engine_is_registered():
    assert {"pyttsx3", "piper", "hibari", "fake"} <= set(engine_names())


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


def test_version_names_what_is_installed_and_is_the_same_in_another_process(engine_class):
    version = engine_class.version()
    assert re.fullmatch(version_pattern(engine_class.name), version), version
    assert version_in_a_new_process(engine_class.name) == version


def test_a_clip_cached_under_one_engine_version_is_spoken_again_under_another(tmp_path):
    engine = load_engine("fake")
    cache = ClipCache(tmp_path)

    def run(version: str) -> SynthesisStats:
        stats = SynthesisStats()
        config = SynthesisConfig(engine.name, version, settings_for(engine))
        list(synthesize([ClipRequest(0, 0, 0, SENTENCE)], config, cache, stats))
        return stats

    assert run(engine.version()).synthesized == 1
    assert run(engine.version()).cached == 1
    assert run(engine.version() + " changed").synthesized == 1


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
        "Say [hello](/həlˈoʊ/) there.",
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
