"""A short piece is as loud as a long one: its speech is raised, its peaks limited, and if
need be its room tone shortened to the least ACX allows, so it passes `check`."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audio_edition import narrate
from audio_edition.shape import OUTPUT_SAMPLE_RATE
from audio_edition.shape.assemble import SHORT_HEAD_MS, SHORT_TAIL_MS
from audio_edition.shape.levels import (
    EARLY_DECISION_MARGIN_DB,
    FILE_LEVEL_DBFS,
    HELD_SPEECH_SECONDS,
    LIMITER_STEP_DB,
    SPEECH_LEVEL_DBFS,
    Expected,
    FileLevel,
    limit_peaks,
)
from audio_edition.verify.check import check
from tests.audio import decode, loud_span, peak_db, rms_db

CEILING_DBFS = -4.5
CEILING = 32768 * 10 ** (CEILING_DBFS / 20)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-32768, 32767), min_size=1, max_size=3000),
    st.floats(1.0, 1000.0),
)
def test_limited_speech_never_passes_the_ceiling(values, gain):
    raised = limit_peaks(np.array(values, dtype=np.int16), gain, CEILING_DBFS)
    assert raised.dtype == np.int16
    assert len(raised) == len(values)
    assert np.abs(raised.astype(np.int32)).max() <= CEILING


def test_quiet_speech_is_raised_exactly():
    tone = (1000 * np.sin(np.arange(4410) / 7)).astype(np.int16)
    raised = limit_peaks(tone, 4.0, CEILING_DBFS)
    assert np.array_equal(raised, np.rint(tone * 4.0))
    assert limit_peaks(tone, 1.0, CEILING_DBFS) is tone


def test_only_the_stretch_around_a_peak_is_limited_and_smoothly():
    """A tone at -18 dB with a click at 0 dB: the tone far from the click is untouched, and
    the gain moves by at most LIMITER_STEP_DB per 5 ms block on its way down and back."""
    rate = OUTPUT_SAMPLE_RATE
    tone = np.rint(4000 * np.sin(2 * np.pi * 220 * np.arange(rate) / rate)).astype(np.int16)
    tone[rate // 2] = 32767
    limited = limit_peaks(tone, 1.0, CEILING_DBFS)
    assert abs(int(limited[rate // 2])) <= CEILING
    far = np.r_[: rate // 2 - rate // 5, rate // 2 + rate // 5 : rate]
    assert np.array_equal(limited[far], tone[far])
    block = rate // 200
    centres = np.arange(block // 2, rate, block)
    loud = np.abs(tone[centres]) > 1000
    gain_db = 20 * np.log10(limited[centres][loud] / tone[centres][loud])
    assert gain_db.min() == pytest.approx(CEILING_DBFS, abs=0.6)  # the click was pulled down
    steps = np.abs(np.diff(gain_db))
    assert steps.max() <= 2 * LIMITER_STEP_DB + 0.1  # centres of loud blocks, rounding


def test_a_long_piece_keeps_its_level_and_layout(tmp_path, example_text):
    source = tmp_path / "review.txt"
    source.write_text(example_text, encoding="utf-8")
    edition = narrate(source, tmp_path / "review.wav", engine="fake", jobs=2)
    samples = decode(edition.path)
    first = edition.timeline.clips[0]
    assert first.start == 750 * OUTPUT_SAMPLE_RATE // 1000
    assert edition.timeline.total_samples - edition.timeline.clips[-1].end == 2 * OUTPUT_SAMPLE_RATE
    # Each clip's speech at the speech level (-18 dB), not raised.
    assert rms_db(samples[first.start : first.end]) == pytest.approx(-18.0, abs=0.3)


def test_a_one_word_piece_is_raised_to_the_file_level(tmp_path):
    source = tmp_path / "word.txt"
    source.write_text("Hi.", encoding="utf-8")
    edition = narrate(source, tmp_path / "word.mp3", engine="fake", jobs=1)
    (clip,) = edition.timeline.clips
    samples = decode(edition.path)
    assert abs(len(samples) - edition.timeline.total_samples) < 1152
    start, end = loud_span(samples)
    assert abs(start - clip.start) < OUTPUT_SAMPLE_RATE // 100
    assert abs(end - clip.end) < OUTPUT_SAMPLE_RATE // 100
    assert rms_db(samples) == pytest.approx(FILE_LEVEL_DBFS, abs=0.3)
    assert rms_db(samples[clip.start : clip.end]) > -18.0 + 5
    assert peak_db(samples) <= -3.0
    assert check(edition.path).passed


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="eSpeak NG is not installed")
@pytest.mark.parametrize(
    ("text", "head_ms", "tail_ms"),
    [
        # One word is too short for the full room tone: it gets the least ACX allows.
        ("Yes.", SHORT_HEAD_MS, SHORT_TAIL_MS),
        ("Hello.", SHORT_HEAD_MS, SHORT_TAIL_MS),
        ("Good morning.", 750, 2000),
        ("Hello there. This is a test.", 750, 2000),
    ],
)
def test_short_pieces_pass_check_with_their_text(run_cli, tmp_path, text, head_ms, tail_ms):
    (tmp_path / "piece.txt").write_text(text + "\n", encoding="utf-8")
    narrated = run_cli("narrate", "piece.txt", "-o", "piece.mp3", "--engine", "pyttsx3")
    assert narrated.returncode == 0, narrated.stderr
    checked = run_cli("check", "piece.mp3", "--text", "piece.txt")
    assert checked.returncode == 0, checked.stdout.decode() + checked.stderr.decode()
    report = check(tmp_path / "piece.mp3")
    assert -23.0 <= report.levels.rms_db <= -18.0
    assert report.levels.peak_db <= -3.0
    assert report.levels.head_s == pytest.approx(head_ms / 1000, abs=0.02)
    assert report.levels.tail_s == pytest.approx(tail_ms / 1000, abs=0.02)


def test_a_long_piece_of_speech_is_decided_before_anything_is_held():
    sent = []
    file_level = FileLevel(0.0, CEILING_DBFS, lambda samples, _: sent.append(len(samples)),
                           Expected(speech_seconds=3600, pause_seconds=400))  # fmt: skip
    assert file_level.decided
    file_level.add(np.zeros(441, dtype=np.int16))
    assert sent == [441]


@pytest.mark.parametrize(
    ("speech", "pauses"),
    [
        (HELD_SPEECH_SECONDS - 1, 1),  # short: measured whole, as before
        (600, 400),  # long but pauses weigh too much: its opening minute is measured
    ],
)
def test_other_pieces_are_held_until_their_level_is_known(speech, pauses):
    expectation = Expected(speech_seconds=speech, pause_seconds=pauses)
    file_level = FileLevel(0.0, CEILING_DBFS, lambda *_: None, expectation)
    assert not file_level.decided
    file_level.add(np.zeros(441, dtype=np.int16))
    assert file_level.held_samples == 441


def test_the_early_decision_leaves_the_margin_it_names():
    """A long piece expected just at the margin still reaches the file level with its speech
    taking half the time expected."""
    least = FILE_LEVEL_DBFS + EARLY_DECISION_MARGIN_DB
    share = 10 ** ((least - SPEECH_LEVEL_DBFS) / 10)
    at_margin = Expected(speech_seconds=3600 * share, pause_seconds=3600 * (1 - share))
    assert at_margin.needs_no_raise()
    halved = Expected(at_margin.speech_seconds / 2, at_margin.pause_seconds)
    assert halved.level_dbfs >= FILE_LEVEL_DBFS
