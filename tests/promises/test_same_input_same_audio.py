"""The same text, voice and settings give the same samples with eSpeak NG: whatever a worker
said before, with any --jobs, and from the cache or without it. (libespeak-ng keeps state
from one utterance to the next; each clip is spoken from the same state, see
engines/espeak_ng.py and tests/engines/test_espeak_ng.py. The same on a cluster:
tests/many/test_cluster.py.)"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from audio_edition.engines import VoiceSettings, load_engine
from audio_edition.speak.clips import ClipRequest, SynthesisConfig
from audio_edition.speak.synthesis import synthesize
from tests.audio import decode
from tests.conftest import EXAMPLE

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs eSpeak NG")

SETTINGS = VoiceSettings("gmw/en-us", 160)
SENTENCE = "The lighthouse keeper climbed the stairs and lit the lamp at dusk."
OTHER = "A different sentence in between, longer than the first, to move things on."


@pytest.mark.e2e
@needs_espeak
def test_one_sentence_three_times_in_one_worker_gives_the_same_samples():
    engine = load_engine("pyttsx3")
    config = SynthesisConfig(engine.name, engine.version(), SETTINGS)
    texts = [SENTENCE, OTHER, SENTENCE, SENTENCE]
    requests = [ClipRequest(0, number, 0, text) for number, text in enumerate(texts)]
    first, _, second, third = (clip.audio for clip in synthesize(requests, config, jobs=1))
    assert len(first.samples) > 2 * 22_050  # speech, not an empty clip
    assert first == second == third


@pytest.mark.e2e
@needs_espeak
def test_a_clip_is_what_espeak_ng_says_when_started_for_it_alone():
    engine = load_engine("pyttsx3")(SETTINGS)
    try:
        spoken = [engine.synthesize(text) for text in (OTHER, SENTENCE)]
    finally:
        engine.close()
    command = ["espeak-ng", "-v", "gmw/en-us", "-s", "160", "--stdout", SENTENCE]
    wav = subprocess.run(command, check=True, capture_output=True).stdout
    assert spoken[1].samples == wav[44:]  # the command writes a 44-byte WAV header


@pytest.mark.e2e
@needs_espeak
@pytest.mark.parametrize("engine", ["pyttsx3", "hibari"])
def test_the_review_narrated_with_one_or_two_jobs_is_the_same_file(run_cli, tmp_path, engine):
    for jobs in ("1", "2"):
        result = run_cli("narrate", str(EXAMPLE), "-o", f"jobs-{jobs}.mp3", "--jobs", jobs,
                         "--no-cache", "--engine", engine)  # fmt: skip
        assert result.returncode == 0, result.stderr.decode()
        assert "14 clips: 14 synthesized" in result.stderr.decode()
    one, two = tmp_path / "jobs-1.mp3", tmp_path / "jobs-2.mp3"
    assert (decode(one) == decode(two)).all()
    assert one.read_bytes() == two.read_bytes()
