"""The voice chosen when none is named: the best installed for the language (hibari's heart
for English, then Piper, then the system voice, which speaks every other language), and the
engine found from a voice named without one."""

from __future__ import annotations

import importlib.util
import json
import shutil

import pytest

from audio_edition import narrate
from audio_edition.engines import best_voice, engine_for_voice, load_engine, resolve_voice
from audio_edition.errors import AbsentVoiceError, UsageError

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("hibari") is None, reason="hibari-tts missing"),
    pytest.mark.skipif(importlib.util.find_spec("piper") is None, reason="piper-tts missing"),
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="eSpeak NG missing"),
]


@pytest.fixture(autouse=True)
def no_fetched_hibari_voices(tmp_path, monkeypatch):
    monkeypatch.setenv("HIBARI_HOME", str(tmp_path / "hibari-home"))


@pytest.mark.parametrize(
    ("language", "engine", "voice"),
    [
        ("en", "hibari", "heart"),
        ("en-US", "hibari", "heart"),
        ("en-GB", "hibari", "heart"),
        ("fr", "pyttsx3", "roa/fr"),
        ("de-AT", "pyttsx3", "gmw/de"),
    ],
)
def test_the_best_installed_voice_for_a_language(language, engine, voice):
    chosen_engine, chosen_voice = best_voice(language)
    assert (chosen_engine.name, chosen_voice.id if chosen_voice else None) == (engine, voice)


def test_a_voice_fetched_by_hand_wins_for_its_own_accent(tmp_path):
    heart = load_engine("hibari").voices()[0]
    (tmp_path / "hibari-home").mkdir()
    shutil.copy(heart.file, tmp_path / "hibari-home" / "bf_emma.int8.onnx")
    assert best_voice("en-GB")[1].id == "emma"
    assert best_voice("en-US")[1].id == "heart"


@pytest.mark.parametrize(
    ("voice", "engine", "voice_id"),
    [
        ("heart", "hibari", "heart"),
        ("en_US-joe-medium", "piper", "en_US-joe-medium"),
        ("fr", "pyttsx3", "roa/fr"),
    ],
)
def test_a_voice_named_without_an_engine_finds_its_engine(voice, engine, voice_id):
    chosen_engine, chosen_voice = engine_for_voice(voice)
    assert (chosen_engine.name, chosen_voice.id) == (engine, voice_id)


@pytest.mark.parametrize(
    ("engine", "voice", "voice_id"),
    [
        ("pyttsx3", "de-DE", "gmw/de"),  # no voice for Germany: the German one
        ("pyttsx3", "pt_BR", "roa/pt-br"),
        ("hibari", "en", "heart"),  # a voice of a region of it
        ("hibari", "EN-us", "heart"),
    ],
)
def test_a_language_tag_as_the_voice_of_a_named_engine(engine, voice, voice_id):
    assert resolve_voice(load_engine(engine), voice).id == voice_id


def test_a_misspelt_voice_name_is_no_language_tag():
    with pytest.raises(UsageError, match="did you mean en_US-joe-medium"):
        resolve_voice(load_engine("piper"), "en_US-joe-mediun")


def test_an_absent_voice_named_without_an_engine_says_where_its_file_goes(tmp_path):
    with pytest.raises(AbsentVoiceError, match=r"put its file af_kore\.int8\.onnx in "):
        engine_for_voice("kore")


@pytest.mark.e2e
@pytest.mark.parametrize("voice", ["en", "en-GB"])
def test_a_language_named_as_the_voice_gets_its_best_voice(tmp_path, voice):
    source = tmp_path / "a.txt"
    source.write_text("A few words to say.", encoding="utf-8")
    narrate(source, tmp_path / "a.wav", voice=voice, manifest=True, cache_dir=tmp_path / "c")
    manifest = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert (manifest["engine"], manifest["voice"]) == ("hibari", "heart")
