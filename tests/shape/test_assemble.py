"""Assembly streams: each clip is shaped, written and forgotten, so memory stays flat however
long the document."""

from __future__ import annotations

import tracemalloc

from audio_edition import narrate
from audio_edition.engines import VoiceSettings
from audio_edition.engines.fake import FakeEngine
from audio_edition.readers.text import parse_text
from audio_edition.shape.assemble import Layout, PcmSink, assemble, expected, paragraphs_of
from audio_edition.speak.clips import Clip, clip_requests
from audio_edition.text.segment import segment

SETTINGS = VoiceSettings("fake", 160)


def paragraphs_of_equal_length(count: int) -> list[str]:
    """Paragraphs that all speak for the same time (spoken numbers would grow with the count)."""
    return [f"Paragraph {chr(65 + i % 26)} has a handful of words in it." for i in range(count)]


def _fake_paragraphs(count: int):
    engine = FakeEngine(SETTINGS)
    text = "\n\n".join(paragraphs_of_equal_length(count))
    requests = clip_requests(segment(parse_text(text), 60))
    clips = (Clip(request, engine.synthesize(request.text)) for request in requests)
    return paragraphs_of(requests, clips)


def _assembly_peak_bytes(count: int) -> int:
    written = 0

    def sink(pcm: bytes) -> None:
        nonlocal written
        written += len(pcm)

    tracemalloc.start()
    try:
        assemble(_fake_paragraphs(count), Layout(), PcmSink(sink))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_assembly_memory_does_not_grow_with_the_document():
    short = _assembly_peak_bytes(100)  # about 6 minutes of audio
    long = _assembly_peak_bytes(800)  # about 48 minutes
    assert long < short * 1.3
    assert long < 20 * 2**20


def test_long_narration_is_streamed_not_held(write_text, tmp_path):
    """The whole pipeline: 8x the text, about the same peak memory in this process."""
    peaks = []
    for count in (60, 480):
        source = write_text(f"doc{count}.txt", "\n\n".join(paragraphs_of_equal_length(count)))
        tracemalloc.start()
        try:
            narrate(source, tmp_path / f"doc{count}.flac", engine="fake", use_cache=False)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[1] < peaks[0] * 1.5


def _written_before_the_second_clip(count: int) -> int:
    """Bytes assembly has written when it asks for its second clip, with the expected
    speech and pauses of `count` paragraphs of three sentences."""
    engine = FakeEngine(SETTINGS)
    text = "\n\n".join(" ".join(paragraphs_of_equal_length(3)) for _ in range(count))
    requests = clip_requests(segment(parse_text(text), 60))
    written: list[int] = []
    seen: list[int] = []

    def clips():
        for request in requests:
            seen.append(sum(written))
            yield Clip(request, engine.synthesize(request.text))

    layout = Layout()
    sink = PcmSink(lambda pcm: written.append(len(pcm)))
    whole = expected(requests, layout, SETTINGS.rate)
    assemble(paragraphs_of(requests, clips()), layout, sink, None, whole)
    return seen[1]


def test_a_long_document_is_written_from_its_first_clip():
    """About 4 minutes, mostly speech: the level needs no raise, decided before any audio,
    so the head and the first clip are written before the second clip is made."""
    assert _written_before_the_second_clip(100) > 0


def test_a_short_document_is_still_held_until_its_level_is_known():
    assert _written_before_the_second_clip(5) == 0
