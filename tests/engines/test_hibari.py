"""The hibari engine: its voice heart ships in hibari-tts; another voice speaks only when its
file is already on this machine (nothing is downloaded), and every clip is the same each time."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from audio_edition import check, narrate
from audio_edition.engines import VoiceSettings, load_engine, present_voices, resolve_voice
from audio_edition.engines.hibari import SEED, misaki
from audio_edition.errors import UsageError
from audio_edition.text.phonemes import said_in_ipa
from audio_edition.verify.proof import FLAGGED
from tests.audio import assert_starts_match_the_audio, decode
from tests.conftest import EXAMPLE

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(importlib.util.find_spec("hibari") is None, reason="hibari-tts missing"),
]


@pytest.fixture
def hibari_home(tmp_path, monkeypatch) -> Path:
    """An empty folder of hibari voices, as on a machine where none was ever fetched."""
    home = tmp_path / "hibari-home"
    home.mkdir()
    monkeypatch.setenv("HIBARI_HOME", str(home))
    return home


def test_heart_is_there_and_the_other_voices_only_once_their_files_are(hibari_home):
    engine = load_engine("hibari")
    assert [voice.id for voice in present_voices(engine)] == ["heart"]
    heart = resolve_voice(engine, "heart")
    assert heart is not None and heart.file is not None
    shutil.copy(heart.file, hibari_home / "bf_emma.int8.onnx")
    assert [voice.id for voice in present_voices(engine)] == ["heart", "emma"]
    assert resolve_voice(engine, "emma").languages == ("en-gb",)


def test_an_absent_voice_is_one_line_saying_where_its_file_goes(hibari_home):
    with pytest.raises(UsageError) as refused:
        resolve_voice(load_engine("hibari"), "fable")
    assert str(refused.value) == (
        f"hibari's voice 'fable' is not on this machine (nothing is downloaded): put its file "
        f"bm_fable.int8.onnx in {hibari_home} (or in $HIBARI_HOME)"
    )
    assert list(hibari_home.iterdir()) == []


def test_voices_lists_only_what_can_speak(run_cli, hibari_home):
    listed = run_cli("voices", "--engine", "hibari")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split()[:2] for line in listed.stdout.decode().splitlines()[1:]]
    assert rows == [["hibari", "heart"]]


def test_narrate_with_an_absent_voice_fails_before_speaking(run_cli, write_text, tmp_path):
    write_text("a.txt", "A short piece.")
    result = run_cli("narrate", "a.txt", "--engine", "hibari", "--voice", "kore",
                     env={"HIBARI_HOME": str(tmp_path / "none")})  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "audio-edition: error: hibari's voice 'kore' is not on this machine (nothing is "
        f"downloaded): put its file af_kore.int8.onnx in {tmp_path / 'none'} (or in $HIBARI_HOME)"
    ]
    assert not (tmp_path / "a.mp3").exists()


def test_the_same_text_gives_the_same_samples_in_another_engine():
    engine = load_engine("hibari")
    text = "On 3 March 2024 the film earned four million dollars."
    first = engine(VoiceSettings(None, 160)).synthesize(text)
    again = engine(VoiceSettings(None, 160)).synthesize(text)
    assert first.sample_rate == 24_000
    assert first.samples == again.samples


def test_a_word_the_lexicon_gives_in_ipa_reaches_hibari_as_its_own_markup():
    from hibari import Hibari

    engine = load_engine("hibari")(VoiceSettings(None, 156))
    ipa = "təmˈɑːtoʊ"
    said = engine.synthesize(f"A {said_in_ipa('tomato', ipa)} soup.")
    assert misaki(ipa) == "təmˈɑːtO"  # its diphthongs are letters of their own
    marked = Hibari()(f"A [tomato](/{misaki(ipa)}/) soup.", speed=1.0, seed=SEED)
    assert said.samples == (np.clip(marked, -1, 1) * 32767).astype("<i2").tobytes()
    assert said.samples != engine.synthesize("A tomato soup.").samples
    typed = engine.synthesize(f"A [tomato](/{ipa}/) soup.")  # in a document: read as text
    assert typed.samples != said.samples


@pytest.fixture(scope="module")
def default_edition(tmp_path_factory):
    """The example narrated with no engine or voice named: hibari's heart, as a user's first
    run of ./setup.sh does."""
    folder = tmp_path_factory.mktemp("hibari-edition")
    return narrate(EXAMPLE, folder / "review.mp3", manifest=True, cache_dir=folder / "cache")


def test_english_is_narrated_by_heart_when_nothing_is_named(default_edition):
    manifest = json.loads(default_edition.sidecars["json"].read_text(encoding="utf-8"))
    assert (manifest["engine"], manifest["voice"]) == ("hibari", "heart")


def test_its_edition_passes_acx_and_its_times_are_where_speech_begins(default_edition):
    assert check(default_edition.path).passed
    manifest = json.loads(default_edition.sidecars["json"].read_text(encoding="utf-8"))
    assert_starts_match_the_audio(manifest, decode(default_edition.path))


def test_its_edition_is_heard_whole_by_the_proof_listener(default_edition, tmp_path):
    report = check(default_edition.path, text=EXAMPLE)
    assert report.passed
    assert report.paragraphs
    assert [p for p in report.paragraphs if p.status in FLAGGED] == []
