"""Parallel synthesis through real worker processes: order, failures, hangs."""

from __future__ import annotations

import logging
import os
import zlib

import pytest

from audio_edition import SynthesisError, narrate
from audio_edition.engines import VoiceSettings
from audio_edition.engines.fake import FakeEngine
from audio_edition.readers.text import parse_text
from audio_edition.speak.clips import SynthesisConfig, SynthesisStats, clip_requests
from audio_edition.speak.ledger import check_clip
from audio_edition.speak.synthesis import synthesize
from audio_edition.text.segment import segment
from tests.audio import decode, dominant_frequency
from tests.promises.test_interrupt import is_worker, running_processes

SETTINGS = VoiceSettings("fake", 160)


def config(base_timeout: float = 15.0) -> SynthesisConfig:
    return SynthesisConfig("fake", "1", SETTINGS, base_timeout_seconds=base_timeout)


def test_order_is_kept_when_later_clips_finish_first():
    # Every third sentence is slow, so the workers hand back clips out of order.
    text = " ".join(
        f"Sentence {i} is {'SLOW' if i % 3 == 0 else 'quick'} to say." for i in range(12)
    )
    requests = clip_requests(segment(parse_text(text), 60))
    stats = SynthesisStats()
    clips = list(synthesize(requests, config(), stats=stats, jobs=3))
    assert [clip.request for clip in clips] == requests
    assert stats.synthesized == 12
    for clip in clips:
        assert clip.audio == FakeEngine(SETTINGS).synthesize(clip.request.text)


def test_narration_with_many_workers_holds_every_clip_in_order(write_text, tmp_path):
    source = write_text("many.txt", "\n\n".join(f"Paragraph {i} says this." for i in range(20)))
    edition = narrate(source, tmp_path / "many.wav", engine="fake", jobs=4)
    samples = decode(edition.path)
    assert [t.request for t in edition.timeline.clips] == clip_requests(edition.document)
    for timing in edition.timeline.clips:
        expected = 180 + zlib.crc32(timing.request.text.encode()) % 300
        assert dominant_frequency(samples[timing.start : timing.end]) == pytest.approx(
            expected, abs=3
        )


def test_crash_in_one_worker_is_retried_on_a_new_one_then_fails():
    text = "Fine one. Fine two. This will CRASH it. Fine three."
    with pytest.raises(SynthesisError, match=r"paragraph 1 .*CRASH.*process died"):
        list(synthesize(clip_requests(segment(parse_text(text), 60)), config(), jobs=2))


def test_flaky_clip_among_parallel_workers_is_retried(caplog):
    text = "One fine. Two fine. A FLAKY one. Four fine."
    with caplog.at_level(logging.WARNING, logger="audio_edition.speak.ledger"):
        clips = list(synthesize(clip_requests(segment(parse_text(text), 60)), config(), jobs=2))
    assert len(clips) == 4
    assert "retrying paragraph 1: the engine returned no audio" in caplog.text


def test_hang_with_parallel_workers_is_killed_while_the_others_speak():
    """Only the one-word clip can run out of its 0.5 s + 0.4 s: the others speak for 15 s."""
    long = "This paragraph speaks " + "slowly and " * 18 + "well."
    requests = clip_requests(segment(parse_text(f"{long}\n\nHANG.\n\nAnd {long}"), 60))
    clips = []
    with pytest.raises(SynthesisError, match=r'paragraph 2 \("HANG\."\).*did not finish in time'):
        for clip in synthesize(requests, config(base_timeout=0.5), jobs=2):
            clips.append(clip)
    assert [clip.request for clip in clips] == requests[:1]
    assert [c for c in running_processes(parent=os.getpid()) if is_worker(c)] == []


def test_check_clip_judges_length_against_words_and_rate():
    engine = FakeEngine(SETTINGS)
    good = engine.synthesize("Ten words of text make a clip of this length here.")
    assert check_clip("Ten words of text make a clip of this length here.", good, 160) is None
    long_text = " ".join(["word"] * 200)
    assert "lasts" in (check_clip(long_text, good, 160) or "")
    silence = type(good)(bytes(len(good.samples)), good.sample_rate)
    assert check_clip("Some words.", silence, 160) == "the engine returned silence"
