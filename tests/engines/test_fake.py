"""The fake engine's speech-like voice, and the real pipeline against it: edge trimming, the
length check, levels and peak limiting met with something like a real engine's output."""

from __future__ import annotations

import numpy as np
import pytest

from audio_edition import narrate
from audio_edition.engines import Audio, VoiceSettings
from audio_edition.engines.fake import SPEECHLIKE, FakeEngine
from audio_edition.shape.levels import SPEECH_LEVEL_DBFS
from audio_edition.speak.clips import clip_requests
from audio_edition.speak.ledger import check_clip, expected_seconds
from tests.audio import RATE, decode, loud_span, noise_floor_db, peak_db, rms_db

SETTINGS = VoiceSettings(SPEECHLIKE, 160)
TEXTS = [" ".join(["word"] * count) + f" number {count}." for count in range(1, 40, 3)]
DOCUMENT = "\n\n".join(
    " ".join(
        f"Paragraph {p} holds sentence {s}, which runs on{' for a while' * (s + p % 3)}."
        for s in range(3)
    )
    for p in range(4)
)


def samples(audio: Audio) -> np.ndarray:
    return np.frombuffer(audio.samples, dtype="<i2").astype(np.float64) / 32768


@pytest.fixture(scope="module")
def speechlike():
    engine = FakeEngine(SETTINGS)
    return {text: engine.synthesize(text) for text in TEXTS}


def test_same_text_same_samples(speechlike):
    engine = FakeEngine(SETTINGS)
    assert all(engine.synthesize(text) == audio for text, audio in speechlike.items())


def test_length_varies_with_the_text_and_passes_the_length_check(speechlike):
    ratios = []
    for text, audio in speechlike.items():
        assert check_clip(text, audio, SETTINGS.rate) is None
        start, end = loud_span(samples(audio), -50)
        ratios.append((end - start) / audio.sample_rate / expected_seconds(text, SETTINGS.rate))
    assert min(ratios) > 0.7 and max(ratios) < 1.4
    assert max(ratios) - min(ratios) > 0.3


def test_edges_are_room_noise_below_the_trimming_threshold(speechlike):
    for audio in speechlike.values():
        signal = samples(audio)
        start, end = loud_span(signal, -50)
        for edge in (signal[:start], signal[end:]):
            assert len(edge) > 0.15 * audio.sample_rate
            assert rms_db(edge) == pytest.approx(-68, abs=1.5)
            assert -62 < peak_db(edge) < -50
            assert np.count_nonzero(edge == 0) < len(edge) / 10  # noise, not digital zero


def test_level_swells_with_syllables_and_peaks_like_speech(speechlike):
    crests = []
    for audio in speechlike.values():
        signal = samples(audio)
        start, end = loud_span(signal, -50)
        speech = signal[start:end]
        crests.append(peak_db(speech) - rms_db(speech))
        window = audio.sample_rate // 50
        levels = [rms_db(speech[i : i + window]) for i in range(0, len(speech) - window, window)]
        assert max(levels) - min(levels) > 20  # syllables and the gaps between them
    assert min(crests) > 11 and max(crests) < 18
    # at the speech level, some clips' peaks pass -3 dBFS: only the limiter holds them
    assert max(crests) + SPEECH_LEVEL_DBFS > -3


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    folder = tmp_path_factory.mktemp("speechlike")
    source = folder / "document.txt"
    source.write_text(DOCUMENT, encoding="utf-8")
    return narrate(source, folder / "document.mp3", engine="fake", voice=SPEECHLIKE,
                   cache_dir=folder / "cache")  # fmt: skip


def test_every_clip_passes_the_length_check_at_the_first_try(edition):
    engine = FakeEngine(SETTINGS)
    requests = clip_requests(edition.document)
    assert [check_clip(r.text, engine.synthesize(r.text), 160) for r in requests] == [None] * 12
    assert (edition.clips, edition.synthesized) == (12, 12)


def test_trimming_puts_speech_where_the_timeline_says(edition):
    decoded = decode(edition.path)
    margin = RATE // 20  # into the pauses on either side
    for timing in edition.timeline.clips:
        start, end = loud_span(decoded[timing.start - margin : timing.end + margin])
        assert abs(start - margin) / RATE < 0.008
        assert abs(end - margin - (timing.end - timing.start)) / RATE < 0.008


def test_levels_are_ready_for_audiobook_stores(edition):
    decoded = decode(edition.path)
    assert -6.0 < peak_db(decoded) <= -3.0  # the limiter held the peaks
    assert -23.0 <= rms_db(decoded) <= -18.0
    assert noise_floor_db(decoded) <= -60.0
