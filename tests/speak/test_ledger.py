"""The clip ledger, the one place of the clip policy: the cache asked first, a clip checked,
counted and stored, a bad one retried once and then failing the run naming its paragraph."""

from __future__ import annotations

import logging

import pytest

from audio_edition import SynthesisError
from audio_edition.engines import VoiceSettings
from audio_edition.engines.fake import FakeEngine
from audio_edition.speak.cache import ClipCache
from audio_edition.speak.clips import Clip, ClipRequest, SynthesisConfig, SynthesisStats
from audio_edition.speak.ledger import ClipLedger, clip_key

SETTINGS = VoiceSettings("fake", 160)
CONFIG = SynthesisConfig("fake", "1", SETTINGS)
FIRST = ClipRequest(0, 0, 0, "The first clip has a few words.")
THIRD = ClipRequest(2, 1, 0, "The third paragraph's second sentence.")


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
