"""Bad clips through the whole pipeline: one that comes back silent, empty, too long, too short
or crashes its worker once is retried and the run succeeds; one that stays bad fails the run
naming its paragraph. The faults are the fake engine's fault words, which work only with
AUDIO_EDITION_FAKE_FAULTS=1 (tests/conftest.py sets it)."""

from __future__ import annotations

import logging
import re
import zlib

import pytest

from audio_edition import narrate
from audio_edition.speak.clips import clip_requests
from audio_edition.speak.ledger import expected_seconds

from .audio import RATE, decode, dominant_frequency

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
