"""The clip ledger, the one place of the clip policy: the cache asked first, a clip checked,
counted and stored, a bad one retried once and then failing the run naming its paragraph.

Through the whole pipeline, a clip that comes back silent, empty, too long, too short or
crashes its worker once is retried and the run succeeds; one that stays bad fails the run
naming its paragraph. The faults are the fake engine's fault words, which work only with
AUDIO_EDITION_FAKE_FAULTS=1 (tests/conftest.py sets it)."""

from __future__ import annotations

import logging
import re
import zlib

import pytest

from audio_edition import SynthesisError, narrate
from audio_edition.engines import VoiceSettings
from audio_edition.engines.fake import FakeEngine
from audio_edition.speak.cache import ClipCache
from audio_edition.speak.clips import (
    Clip,
    ClipRequest,
    SynthesisConfig,
    SynthesisStats,
    clip_requests,
)
from audio_edition.speak.ledger import ClipLedger, clip_key, expected_seconds
from tests.audio import RATE, decode, dominant_frequency

SETTINGS = VoiceSettings("fake", 160)
CONFIG = SynthesisConfig("fake", "1", SETTINGS)
FIRST = ClipRequest(0, 0, 0, "The first clip has a few words.")
THIRD = ClipRequest(2, 1, 0, "The third paragraph's second sentence.")
PIECE = "A good start to the piece.\n\n{} And a plain sentence after it.\n\nThe end of the piece."


@pytest.mark.parametrize(
    ("fault", "problem"),
    [
        ("SILENT", "the engine returned silence"),
        ("MUTE", "the engine returned no audio"),
        ("LONG", "the clip lasts"),
        ("SHORT", "the clip lasts"),
        ("CRASH", "the engine process died"),
    ],
    ids=["silent", "mute", "long", "short", "crash"],
)
def test_a_clip_that_comes_back_bad_once_is_retried(write_text, tmp_path, caplog, fault, problem):
    source = write_text("piece.txt", PIECE.format(f"This {fault} ONCE sentence has seven words."))
    with caplog.at_level(logging.WARNING, logger="audio_edition.speak.ledger"):
        edition = narrate(source, tmp_path / "piece.wav", engine="fake")
    assert caplog.text.count("retrying") == 1
    assert f"retrying paragraph 2: {problem}" in caplog.text
    requests = clip_requests(edition.document)
    assert len(requests) == 4
    assert [timing.request for timing in edition.timeline.clips] == requests
    assert (edition.synthesized, edition.cached) == (4, 0)
    samples = decode(edition.path)
    for timing in edition.timeline.clips:  # each clip in the file is its text's good tone
        text = timing.request.text
        speech = samples[timing.start : timing.end]
        assert len(speech) / RATE == pytest.approx(expected_seconds(text, 160), abs=0.02)
        assert dominant_frequency(speech) == pytest.approx(
            180 + zlib.crc32(text.encode()) % 300, abs=3
        )


def test_room_noise_without_speech_is_silence_and_retried(write_text, tmp_path, caplog):
    source = write_text("piece.txt", PIECE.format("This SILENT ONCE sentence has seven words."))
    with caplog.at_level(logging.WARNING, logger="audio_edition.speak.ledger"):
        edition = narrate(source, tmp_path / "piece.wav", engine="fake", voice="fake-speechlike")
    assert "retrying paragraph 2: the engine returned silence" in caplog.text
    assert [t.request for t in edition.timeline.clips] == clip_requests(edition.document)
    assert edition.synthesized == 4


@pytest.mark.parametrize(
    ("fault", "problem"),
    [
        ("SILENT", "the engine returned silence"),
        ("LONG", r"the clip lasts 22\.75 s where 6 words at 160 wpm take about 2\.25 s"),
        ("SHORT", r"the clip lasts 0\.36 s where 6 words at 160 wpm take about 2\.25 s"),
    ],
    ids=["silent", "long", "short"],
)
def test_a_clip_that_stays_bad_fails_the_run_naming_its_paragraph(
    run_cli, write_text, tmp_path, fault, problem
):
    sentence = f"This {fault} sentence has six words."
    write_text("piece.txt", PIECE.format(sentence))
    result = run_cli("narrate", "piece.txt", "--engine", "fake", "-o", "piece.mp3")
    assert result.returncode == 1
    retried, error = result.stderr.decode().splitlines()
    assert retried.startswith("audio-edition: retrying paragraph 2: ")
    assert re.fullmatch(
        rf'audio-edition: error: paragraph 2 \("{sentence}"\) could not be spoken: {problem}',
        error,
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["piece.txt"]


def test_fault_words_are_plain_words_without_the_test_switch(
    write_text, tmp_path, monkeypatch, caplog
):
    monkeypatch.delenv("AUDIO_EDITION_FAKE_FAULTS")
    words = "CRASH MUTE SILENT LONG SHORT HANG SLOW ONCE FLAKY are words a user may write."
    source = write_text("words.txt", f"A text may say anything.\n\n{words}")
    with caplog.at_level(logging.WARNING, logger="audio_edition.speak.ledger"):
        edition = narrate(source, tmp_path / "words.wav", engine="fake")
    assert "retrying" not in caplog.text
    assert (edition.clips, edition.synthesized) == (2, 2)
    timing = edition.timeline.clips[1]
    assert timing.request.text == words
    seconds = (timing.end - timing.start) / RATE
    assert seconds == pytest.approx(expected_seconds(words, 160), abs=0.02)


@pytest.fixture
def cache(tmp_path) -> ClipCache:
    return ClipCache(tmp_path / "cache")


def spoken(request: ClipRequest):
    return FakeEngine(SETTINGS).synthesize(request.text)


def test_lookup_takes_a_cached_clip_and_counts_it(cache):
    cache.put(clip_key(FIRST, CONFIG), spoken(FIRST))
    stats = SynthesisStats()
    ledger = ClipLedger(CONFIG, cache, stats)
    assert ledger.lookup(FIRST) == Clip(FIRST, spoken(FIRST))
    assert ledger.lookup(THIRD) is None
    assert (stats.cached, stats.synthesized) == (1, 0)


def test_an_accepted_clip_is_counted_and_stored(cache):
    ledger = ClipLedger(CONFIG, cache)
    assert ledger.accept(FIRST, spoken(FIRST)) == Clip(FIRST, spoken(FIRST))
    assert (ledger.stats.synthesized, ledger.stats.cached) == (1, 0)
    assert cache.get(clip_key(FIRST, CONFIG)) == spoken(FIRST)
    again = ClipLedger(CONFIG, cache)
    assert again.lookup(FIRST) == Clip(FIRST, spoken(FIRST))


def test_a_bad_clip_is_retried_once_then_fails_naming_its_paragraph(cache, caplog):
    silence = type(spoken(THIRD))(bytes(len(spoken(THIRD).samples)), spoken(THIRD).sample_rate)
    ledger = ClipLedger(CONFIG, cache)
    with caplog.at_level(logging.WARNING, logger="audio_edition.speak.ledger"):
        assert ledger.accept(THIRD, silence) is None
    assert "retrying paragraph 3: the engine returned silence" in caplog.text
    assert ledger.failures(THIRD) == 1
    with pytest.raises(
        SynthesisError,
        match=r'^paragraph 3 \("The third paragraph\'s second sentence\."\) could not be '
        r"spoken: the engine returned silence$",
    ):
        ledger.accept(THIRD, silence)
    assert ledger.stats.synthesized == 0
    assert cache.get(clip_key(THIRD, CONFIG)) is None


def test_failed_attempts_are_counted_for_each_clip_apart(caplog):
    ledger = ClipLedger(CONFIG)
    ledger.reject(FIRST, "the engine process died (exit code -9)")
    ledger.reject(THIRD, "the engine process died (exit code -9)")
    assert (ledger.failures(FIRST), ledger.failures(THIRD)) == (1, 1)
    assert ledger.accept(FIRST, spoken(FIRST)) == Clip(FIRST, spoken(FIRST))
    with pytest.raises(SynthesisError, match=r"^paragraph 3 .*: RuntimeError: no voice$"):
        ledger.reject(THIRD, "RuntimeError: no voice")
    assert caplog.text.count("retrying") == 2
