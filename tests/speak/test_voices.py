"""Clips in several voices, through real worker processes: each request spoken, cached,
checked and retried in its own voice (the narrator's, or one of the config's cast), and a
narration in one voice exactly as before."""

from __future__ import annotations

import logging
import os

import pytest

from audio_edition import SynthesisError
from audio_edition.engines import VoiceSettings
from audio_edition.engines.fake import FakeEngine
from audio_edition.speak.cache import ClipCache
from audio_edition.speak.clips import ClipRequest, SynthesisConfig, SynthesisStats
from audio_edition.speak.ledger import ClipLedger, clip_key
from audio_edition.speak.synthesis import LocalPool, synthesize
from tests.promises.test_interrupt import is_worker, running_processes

NARRATOR = VoiceSettings("fake", 160)
DIALOGUE = VoiceSettings("fake-16k", 160)


def voice_config(narrator_timeout: float = 15.0, cast_timeout: float = 15.0) -> SynthesisConfig:
    """The fake voice narrating, its 16 kHz voice speaking the dialogue (voice 1)."""
    cast = (SynthesisConfig("fake", "1", DIALOGUE, base_timeout_seconds=cast_timeout),)
    return SynthesisConfig("fake", "1", NARRATOR, narrator_timeout, cast)


def exchange(count: int = 8) -> list[ClipRequest]:
    """Requests alternating narrator and dialogue, as a page of conversation does."""
    return [ClipRequest(i // 2, 0, i % 2, f"Part {i} of the talk.", i % 2) for i in range(count)]


def spoken_by(request: ClipRequest) -> bytes:
    """The samples the request's own voice gives its text."""
    return FakeEngine((NARRATOR, DIALOGUE)[request.voice]).synthesize(request.text).samples


@pytest.mark.parametrize("jobs", [1, 2])
def test_alternating_voices_come_back_in_order_each_in_its_voice(jobs):
    requests = exchange()
    clips = list(synthesize(requests, voice_config(), jobs=jobs))
    assert [clip.request for clip in clips] == requests
    assert [clip.audio.sample_rate for clip in clips] == [22_050, 16_000] * 4
    assert all(clip.audio.samples == spoken_by(clip.request) for clip in clips)


def test_two_jobs_give_the_clips_of_one():
    requests = exchange(12)
    one = [clip.audio for clip in synthesize(requests, voice_config(), jobs=1)]
    two = [clip.audio for clip in synthesize(requests, voice_config(), jobs=2)]
    assert one == two


def test_same_text_in_two_voices_is_two_cache_entries_and_a_second_run_all_cached(tmp_path):
    cache = ClipCache(tmp_path / "cache")
    requests = [ClipRequest(0, 0, 0, "Say it once.", 0), ClipRequest(1, 0, 0, "Say it once.", 1)]
    first = SynthesisStats()
    made = [clip.audio for clip in synthesize(requests, voice_config(), cache, first, jobs=2)]
    assert (first.synthesized, first.cached) == (2, 0)
    assert cache.info().entries == 2
    again = SynthesisStats()
    kept = [clip.audio for clip in synthesize(requests, voice_config(), cache, again, jobs=2)]
    assert (again.synthesized, again.cached) == (0, 2)
    assert kept == made and [audio.sample_rate for audio in kept] == [22_050, 16_000]


def test_a_voice_0_clip_keeps_the_key_it_had_before_casts():
    """Caches made before casts stay valid: this digest is the one a narration in the fake
    voice gave this text before requests had voices."""
    request = ClipRequest(0, 0, 0, "The first clip has a few words.")
    alone = SynthesisConfig("fake", "1", NARRATOR)
    pinned = "940b5668d1c7c6de26be8eaeef529ec6f9fcf2692f697bbb0a51a02b4ad1f690"
    assert clip_key(request, alone).digest() == pinned
    assert clip_key(request, voice_config()).digest() == pinned


def test_narrations_sharing_a_voice_share_its_clips():
    """The dialogue voice of one narration is the narrator of another: one cache entry."""
    text = "A line both narrations say."
    other = SynthesisConfig("fake", "1", DIALOGUE)
    in_cast = clip_key(ClipRequest(0, 0, 0, text, 1), voice_config())
    assert in_cast == clip_key(ClipRequest(3, 1, 0, text, 0), other)
    assert in_cast != clip_key(ClipRequest(0, 0, 0, text, 0), voice_config())


def test_a_cast_voice_that_cannot_be_built_fails_the_run_in_one_line():
    nobody = SynthesisConfig("pyttsx3", "1", VoiceSettings("nobody", 160))
    config = SynthesisConfig("fake", "1", NARRATOR, cast=(nobody,))
    with pytest.raises(SynthesisError, match=r"^eSpeak NG has no voice 'nobody'$"):
        list(synthesize(exchange(4), config, jobs=2))
    assert [c for c in running_processes(parent=os.getpid()) if is_worker(c)] == []


@pytest.mark.parametrize("fault", ["CRASH", "FLAKY"])
def test_a_bad_clip_in_the_cast_voice_is_retried_in_that_voice(caplog, fault):
    requests = exchange(6)
    requests[3] = ClipRequest(1, 0, 1, f"This {fault} ONCE line of dialogue.", 1)
    with caplog.at_level(logging.WARNING, logger="audio_edition.speak.ledger"):
        clips = list(synthesize(requests, voice_config(), jobs=2))
    assert caplog.text.count("retrying paragraph 2") == 1
    assert [clip.request for clip in clips] == requests
    assert clips[3].audio.sample_rate == 16_000
    assert all(clip.audio.samples == spoken_by(clip.request) for clip in clips)


@pytest.mark.timeout(60)
def test_a_hung_clip_in_the_cast_voice_is_killed_after_that_voices_time_and_retried(caplog):
    """The narrator may take 60 s a clip; the dialogue voice 0.5 s plus its length."""
    requests = exchange(4)
    requests[1] = ClipRequest(0, 0, 1, "HANG ONCE.", 1)
    with caplog.at_level(logging.WARNING, logger="audio_edition.speak.ledger"):
        clips = list(synthesize(requests, voice_config(60.0, 0.5), jobs=2))
    assert "retrying paragraph 1: the engine did not finish in time" in caplog.text
    assert [clip.request for clip in clips] == requests
    assert clips[1].audio.samples == spoken_by(requests[1])


def test_a_pool_starts_its_workers_again_only_when_the_cast_changes():
    to_16k = voice_config()
    to_22k = SynthesisConfig("fake", "1", NARRATOR, cast=(SynthesisConfig("fake", "1", NARRATOR),))
    requests = exchange(2)
    with LocalPool(jobs=1) as pool:
        first = [c.audio.sample_rate for c in pool.synthesize(requests, ClipLedger(to_16k))]
        started = [worker.pid for worker in pool.workers]
        again = [c.audio.sample_rate for c in pool.synthesize(requests, ClipLedger(to_16k))]
        assert [worker.pid for worker in pool.workers] == started
        other = [c.audio.sample_rate for c in pool.synthesize(requests, ClipLedger(to_22k))]
        assert len(pool.workers) == 1 and pool.workers[0].pid not in started
    assert first == again == [22_050, 16_000]
    assert other == [22_050, 22_050]
