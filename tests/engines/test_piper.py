"""The Piper engine end to end: the example review in a neural voice, voice lookup, clear errors."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

from audio_edition import narrate
from audio_edition.engines import VoiceSettings, load_engine
from audio_edition.shape import OUTPUT_SAMPLE_RATE
from tests.audio import decode, noise_floor_db, peak_db, probe, rms_db
from tests.conftest import EXAMPLE
from tests.promises.test_bad_input import assert_refused

VOICE = "en_US-joe-medium"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("piper") is None or not load_engine("piper").voices(),
    reason="piper-tts or a Piper voice is not installed",
)


def joe_model() -> Path:
    voice = next(v for v in load_engine("piper").voices() if v.id == VOICE)
    assert voice.file is not None
    return voice.file


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("piper-cache")


@pytest.fixture(scope="module")
def edition(tmp_path_factory, cache):
    folder = tmp_path_factory.mktemp("piper")
    return narrate(EXAMPLE, folder / "review.m4b", engine="piper", voice=VOICE, manifest=True,
                   cache_dir=cache)  # fmt: skip


@pytest.mark.e2e
def test_example_review_in_a_neural_voice_has_everything_the_default_gives(edition):
    manifest = json.loads(edition.sidecars["json"].read_text(encoding="utf-8"))
    assert (manifest["engine"], manifest["voice"]) == ("piper", VOICE)
    assert edition.paragraphs == 7 and edition.clips == 14
    assert len(edition.chapters) == 7
    starts = [p["start_ms"] for p in manifest["paragraphs"]]
    assert [c.start_ms for c in edition.chapters] == [0, *starts[1:]]
    stream = probe(edition.path)["streams"][0]
    assert (int(stream["sample_rate"]), int(stream["channels"])) == (OUTPUT_SAMPLE_RATE, 1)
    samples = decode(edition.path)
    assert -21.0 < rms_db(samples) < -18.0
    assert peak_db(samples) <= -3.0  # ACX's limit; AAC is limited at -5 dBFS for its overshoot
    assert noise_floor_db(samples) < -60
    # 160 wpm: the review's 322 words take about two minutes, pauses included
    assert 100 < edition.duration_seconds < 150


@pytest.mark.e2e
def test_second_run_comes_from_the_cache(edition, cache, tmp_path):
    again = narrate(EXAMPLE, tmp_path / "again.m4b", engine="piper", voice=VOICE, cache_dir=cache)
    assert (again.synthesized, again.cached) == (0, 14)


@pytest.mark.e2e
def test_voice_given_as_a_model_path(tmp_path):
    source = tmp_path / "short.txt"
    source.write_text("A short test of a voice file.", encoding="utf-8")
    edition = narrate(source, tmp_path / "short.mp3", engine="piper", voice=str(joe_model()),
                      manifest=True)  # fmt: skip
    assert json.loads(edition.sidecars["json"].read_text())["voice"] == VOICE


@pytest.mark.e2e
def test_voices_folder_is_searched(run_cli, tmp_path):
    folder = tmp_path / "voices" / "mine"
    folder.mkdir(parents=True)
    model = joe_model()
    os.symlink(model, folder / "my-narrator.onnx")
    os.symlink(model.with_name(model.name + ".json"), folder / "my-narrator.onnx.json")
    listed = run_cli("voices", "--engine", "piper", "--voice-dir", "voices")
    assert listed.returncode == 0, listed.stderr.decode()
    assert [line.split()[1] for line in listed.stdout.decode().splitlines()[1:]] == [
        "my-narrator", VOICE,
    ]  # fmt: skip
    (tmp_path / "a.txt").write_text("Hello from a folder voice.")
    result = run_cli("narrate", "a.txt", "--engine", "piper", "--voice", "my-narrator",
                     "--voice-dir", "voices", "-o", "a.mp3", "--manifest")  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads((tmp_path / "a.json").read_text())["voice"] == "my-narrator"


def test_unknown_voice_lists_the_voices_found(run_cli, tmp_path):
    (tmp_path / "a.txt").write_text("Hello there.")
    result = run_cli("narrate", "a.txt", "--engine", "piper", "--voice", "nobody-at-all")
    assert_refused(result, tmp_path, "unknown voice 'nobody-at-all'", VOICE, exit_code=2)


def test_missing_piper_names_the_extra(run_cli, tmp_path):
    """piper-tts made unimportable for one run, as on a machine without the extra."""
    (tmp_path / "a.txt").write_text("Hello there.")
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text(
        "import sys\n"
        "class Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'piper' or name.startswith('piper.'):\n"
        "            raise ImportError('hidden for the test')\n"
        "sys.meta_path.insert(0, Hide())\n"
    )
    result = run_cli("narrate", "a.txt", "--engine", "piper", env={"PYTHONPATH": str(hide)})
    assert_refused(result, tmp_path, "needs piper-tts", "pip install 'audio-edition[piper]'")


@pytest.mark.e2e
def test_a_changed_voice_config_is_a_new_voice_for_the_cache(tmp_path):
    folder = tmp_path / "voices"
    folder.mkdir()
    model = joe_model()
    os.symlink(model, folder / "tuned.onnx")
    config = json.loads(model.with_name(model.name + ".json").read_text())
    (folder / "tuned.onnx.json").write_text(json.dumps(config))
    source = tmp_path / "a.txt"
    source.write_text("A short line for the cache.", encoding="utf-8")
    first = narrate(source, tmp_path / "a.mp3", engine="piper", voice="tuned", voice_dir=folder)
    config["inference"]["length_scale"] = 1.5
    (folder / "tuned.onnx.json").write_text(json.dumps(config))
    second = narrate(source, tmp_path / "b.mp3", engine="piper", voice="tuned", voice_dir=folder)
    assert (first.synthesized, second.synthesized) == (1, 1)
    assert second.duration_seconds > first.duration_seconds


@pytest.mark.e2e
@pytest.mark.parametrize("threads", [1, 2])
def test_onnxruntime_computes_in_the_thread_budget(threads):
    engine_class = load_engine("piper")
    engine = engine_class(VoiceSettings(VOICE, 160, joe_model(), threads=threads))
    try:
        options = engine._voice.session.get_session_options()
        assert (options.intra_op_num_threads, options.inter_op_num_threads) == (threads, 1)
        assert options.enable_cpu_mem_arena
        assert engine.synthesize("A budget of threads.").seconds > 0.5
    finally:
        engine.close()


def voice_with(folder: Path, name: str, change) -> None:
    """A copy of the joe voice in `folder` as `name`, its config changed by `change(config)`."""
    folder.mkdir(exist_ok=True)
    model = joe_model()
    os.symlink(model, folder / f"{name}.onnx")
    config = json.loads(model.with_name(model.name + ".json").read_text())
    change(config)
    (folder / f"{name}.onnx.json").write_text(json.dumps(config))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda c: c["audio"].update(sample_rate=0), "its audio.sample_rate must be a whole "
         "number of Hz from 8,000 to 192,000, not 0"),
        (lambda c: c["audio"].update(sample_rate="22050"), 'its audio.sample_rate must be'),
        (lambda c: c["inference"].update(length_scale="slow"), "its inference.length_scale must "
         'be a number above 0, not "slow"'),
        (lambda c: c["inference"].update(length_scale=0), "its inference.length_scale must be"),
        (lambda c: c.pop("num_symbols"), "it has no num_symbols"),
        (lambda c: c["phoneme_id_map"].update(a="x"), "its phoneme_id_map must be phonemes "
         "with lists of ids"),
        (lambda c: c.update(num_speakers=2, default_speaker_id=2), "its default_speaker_id must "
         "be below its num_speakers (2)"),
    ],
)  # fmt: skip
def test_a_voice_config_that_cannot_work_is_one_line_naming_the_field(
    run_cli, tmp_path, change, problem
):
    voice_with(tmp_path / "voices", "bent", change)
    (tmp_path / "a.txt").write_text("Hello there.")
    result = run_cli("narrate", "a.txt", "--engine", "piper", "--voice", "bent", "--voice-dir",
                     "voices", "-o", "a.mp3")  # fmt: skip
    assert_refused(result, tmp_path, "cannot load the Piper voice bent.onnx: bent.onnx.json: "
                   + problem)  # fmt: skip
