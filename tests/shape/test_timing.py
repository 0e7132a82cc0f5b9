"""Chapters, subtitles and the manifest: exact to the millisecond on the decoded audio."""

from __future__ import annotations

import json
import re
import shutil

import jsonschema
import pytest
import srt
import webvtt
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4

from audio_edition import UsageError, narrate
from audio_edition.editions.manifest import schema_path
from audio_edition.editions.subtitles import LINE_CHARS, MAX_CUE_MS, cues_for
from audio_edition.shape.timing import TimedText, chapter_title
from tests.audio import RATE, assert_starts_match_the_audio, decode, ffprobe_chapters, onset_ms
from tests.conftest import EXAMPLE

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs eSpeak NG")


def load_manifest(edition) -> dict:
    return json.loads(edition.sidecars["json"].read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def espeak_editions(tmp_path_factory):
    """The example review narrated by eSpeak NG to MP3 and to M4B, with every sidecar."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs eSpeak NG")
    folder = tmp_path_factory.mktemp("timing")
    return {
        kind: narrate(EXAMPLE, folder / f"review-{kind}.{kind}", engine="pyttsx3", voice="en-us",
                      manifest=True,
                      subtitles=("srt", "vtt", "lrc"), author="A. Critic",
                      cache_dir=folder / "cache")
        for kind in ("mp3", "m4b")
    }  # fmt: skip


@pytest.mark.e2e
@needs_espeak
@pytest.mark.parametrize("kind", ["mp3", "m4b"])
def test_every_start_in_the_manifest_is_where_speech_begins(espeak_editions, kind):
    edition = espeak_editions[kind]
    manifest = load_manifest(edition)
    samples = decode(edition.path)
    decoded_ms = len(samples) * 1000 / RATE
    if kind == "mp3":
        assert decoded_ms == pytest.approx(manifest["duration_ms"], abs=1)
    else:  # AAC pads the end to a whole 1024-sample frame; the start is trimmed exactly
        assert manifest["duration_ms"] - 1 <= decoded_ms <= manifest["duration_ms"] + 50
    assert_starts_match_the_audio(manifest, samples)


@pytest.mark.e2e
@needs_espeak
@pytest.mark.parametrize("kind", ["mp3", "m4b"])
def test_chapters_read_back_equal_the_manifest(espeak_editions, kind):
    edition = espeak_editions[kind]
    manifest = load_manifest(edition)
    probed = ffprobe_chapters(edition.path)
    assert len(probed) == len(manifest["chapters"]) == 7
    for number, (chapter, marked, paragraph) in enumerate(
        zip(manifest["chapters"], probed, manifest["paragraphs"], strict=True)
    ):
        assert chapter["start_ms"] == (0 if number == 0 else paragraph["start_ms"])
        assert float(marked["start_time"]) * 1000 == pytest.approx(chapter["start_ms"], abs=1)
        assert float(marked["end_time"]) * 1000 == pytest.approx(chapter["end_ms"], abs=1)
        assert marked["tags"]["title"] == chapter["title"]
    assert (
        manifest["chapters"][0]["title"]
        == "Twilight Serenade is a captivating and hauntingly\u2026"
    )


@pytest.mark.e2e
@needs_espeak
def test_mp4_chapter_list_read_by_mutagen(espeak_editions):
    edition = espeak_editions["m4b"]
    manifest = load_manifest(edition)
    marks = MP4(edition.path).chapters
    assert [(round(c.start * 1000), c.title) for c in marks] == [
        (c["start_ms"], c["title"]) for c in manifest["chapters"]
    ]


@pytest.mark.e2e
@needs_espeak
def test_mp3_chapter_frames_read_by_mutagen(espeak_editions):
    edition = espeak_editions["mp3"]
    manifest = load_manifest(edition)
    tags = MP3(edition.path).tags
    frames = sorted(tags.getall("CHAP"), key=lambda frame: frame.start_time)
    assert [(f.start_time, f.end_time, f.sub_frames["TIT2"].text[0]) for f in frames] == [
        (c["start_ms"], c["end_ms"], c["title"]) for c in manifest["chapters"]
    ]
    (toc,) = tags.getall("CTOC")
    assert toc.child_element_ids == [f.element_id for f in frames]


def test_more_chapters_than_one_id3_table_holds_are_nested(write_text, tmp_path):
    source = write_text("many.txt", "\n\n".join(f"Paragraph {i} is here." for i in range(300)))
    edition = narrate(source, tmp_path / "many.mp3", engine="fake")
    tags = MP3(edition.path).tags
    tables = {toc.element_id: toc for toc in tags.getall("CTOC")}
    top = tables["toc"]
    assert top.child_element_ids == ["toc0", "toc1"]
    children = tables["toc0"].child_element_ids + tables["toc1"].child_element_ids
    frames = {frame.element_id: frame for frame in tags.getall("CHAP")}
    starts = [frames[child].start_time for child in children]
    assert len(starts) == 300 and starts == sorted(starts)
    assert starts == [c.start_ms for c in edition.chapters]


@pytest.mark.e2e
@needs_espeak
def test_manifest_follows_its_schema_and_the_text(espeak_editions):
    edition = espeak_editions["mp3"]
    manifest = load_manifest(edition)
    jsonschema.validate(manifest, json.loads(schema_path().read_text(encoding="utf-8")))
    assert manifest["audio"] == "review-mp3.mp3"
    assert (manifest["sample_rate"], manifest["engine"], manifest["rate"]) == (
        44100,
        "pyttsx3",
        160,
    )
    assert manifest["voice"] == "gmw/en-us"
    assert manifest["stats"] == {"clips": 14, "synthesized": 14, "cached": 0}
    spoken = " ".join(p["text"] for p in manifest["paragraphs"])
    assert spoken.split() == EXAMPLE.read_text(encoding="utf-8").split()
    for paragraph in manifest["paragraphs"]:
        sentences = paragraph["sentences"]
        assert paragraph["start_ms"] == sentences[0]["start_ms"]
        assert paragraph["end_ms"] == sentences[-1]["end_ms"]
        assert " ".join(s["text"] for s in sentences) == paragraph["text"]
        assert all(s["start_ms"] < s["end_ms"] for s in sentences)


@pytest.mark.e2e
@needs_espeak
def test_srt_parses_and_follows_the_sentences(espeak_editions):
    edition = espeak_editions["mp3"]
    manifest = load_manifest(edition)
    subtitles = list(srt.parse(edition.sidecars["srt"].read_text(encoding="utf-8")))
    assert_cues_follow(manifest, [
        (s.start.total_seconds() * 1000, s.end.total_seconds() * 1000, s.content.splitlines())
        for s in subtitles
    ])  # fmt: skip


@pytest.mark.e2e
@needs_espeak
def test_vtt_parses_and_follows_the_sentences(espeak_editions):
    edition = espeak_editions["mp3"]
    manifest = load_manifest(edition)
    text = edition.sidecars["vtt"].read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n\n")
    captions = webvtt.read(str(edition.sidecars["vtt"]))
    assert_cues_follow(manifest, [
        (c.start_in_seconds * 1000 + _ms_part(c.start), c.end_in_seconds * 1000 + _ms_part(c.end),
         c.text.splitlines())
        for c in captions
    ])  # fmt: skip


def _ms_part(clock: str) -> int:
    return int(clock.rsplit(".", 1)[1])  # webvtt-py's *_in_seconds drop the milliseconds


@pytest.mark.e2e
@needs_espeak
def test_lrc_has_headers_and_a_line_per_cue(espeak_editions):
    edition = espeak_editions["mp3"]
    manifest = load_manifest(edition)
    lines = edition.sidecars["lrc"].read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["[ti:twilight serenade]", "[ar:A. Critic]"]
    timed = [re.fullmatch(r"\[(\d\d):(\d\d)\.(\d\d)\](.*)", line) for line in lines[2:]]
    assert all(timed)
    starts = [int(m[1]) * 60_000 + int(m[2]) * 1000 + int(m[3]) * 10 for m in timed if m[4]]
    firsts = [s["start_ms"] for p in manifest["paragraphs"] for s in p["sentences"]]
    for first in firsts:
        assert min(abs(start - first) for start in starts) <= 5
    text = " ".join(m[4] for m in timed if m[4])
    assert text.split() == " ".join(p["text"] for p in manifest["paragraphs"]).split()


def assert_cues_follow(manifest: dict, cues: list[tuple[float, float, list[str]]]) -> None:
    """Cues in order, each short enough, covering every sentence from its first word."""
    sentences = [s for p in manifest["paragraphs"] for s in p["sentences"]]
    assert len(cues) >= len(sentences)
    for start, end, lines in cues:
        assert 1 <= len(lines) <= 2 and all(len(line) <= LINE_CHARS for line in lines)
        assert 0 < end - start <= MAX_CUE_MS
    starts = [start for start, _, _ in cues]
    assert starts == sorted(starts)
    for sentence in sentences:
        assert min(abs(start - sentence["start_ms"]) for start in starts) <= 1
        inside = [c for c in cues if sentence["start_ms"] <= c[0] < sentence["end_ms"]]
        assert " ".join(" ".join(c[2]) for c in inside) == sentence["text"]
        assert max(c[1] for c in inside) == pytest.approx(sentence["end_ms"], abs=1)


def test_long_clip_splits_into_cues_at_clauses_with_time_shared_by_characters():
    text = ("This sentence runs on for a while, with a clause here and another clause there, "
            "so that it cannot fit in one cue of two lines.")  # fmt: skip
    cues = cues_for(TimedText(text, text, 1000, 9000))
    assert len(cues) == 2
    assert cues[0].lines[-1].endswith(",")
    assert cues[0].start_ms == 1000 and cues[-1].end_ms == 9000
    assert cues[0].end_ms < cues[1].start_ms <= cues[0].end_ms + 100
    assert " ".join(" ".join(c.lines) for c in cues) == text


def test_chapter_title_is_the_first_words():
    assert chapter_title("Short one.") == "Short one."
    assert chapter_title("One two three four five six seven, eight nine.") == (
        "One two three four five six seven\u2026"
    )


def test_sidecars_exist_only_when_asked_and_respect_force(write_text, tmp_path):
    source = write_text("a.txt", "One paragraph.\n\nAnother paragraph.")
    plain = narrate(source, tmp_path / "plain.mp3", engine="fake")
    assert plain.sidecars == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "plain.mp3"]
    (tmp_path / "b.srt").write_text("keep me")
    with pytest.raises(UsageError, match=r"b\.srt already exists"):
        narrate(source, tmp_path / "b.mp3", engine="fake", subtitles=("srt",))
    assert not (tmp_path / "b.mp3").exists()
    assert (tmp_path / "b.srt").read_text() == "keep me"
    with pytest.raises(UsageError, match="unknown subtitle format ass"):
        narrate(source, tmp_path / "c.mp3", engine="fake", subtitles=("ass",))


@pytest.mark.parametrize("extension", ["ogg", "flac"])
def test_ogg_and_flac_chapters_are_comments_ffprobe_reads(write_text, tmp_path, extension):
    source = write_text("a.txt", "One paragraph.\n\nAnother paragraph.\n\nA third one.")
    edition = narrate(source, tmp_path / f"a.{extension}", engine="fake", manifest=True)
    manifest = load_manifest(edition)
    probed = ffprobe_chapters(edition.path)
    assert [round(float(c["start_time"]) * 1000) for c in probed] == [
        c["start_ms"] for c in manifest["chapters"]
    ]
    assert [c["tags"]["title"] for c in probed] == [c["title"] for c in manifest["chapters"]]


def test_an_hour_of_audio_has_no_drift(write_text, tmp_path):
    """860 paragraphs of tones, over an hour of MP3: the last starts are still exact."""
    source = write_text("long.txt", "\n\n".join(
        f"Paragraph {i} has a handful of words in it." for i in range(860)
    ))  # fmt: skip
    edition = narrate(source, tmp_path / "long.mp3", engine="fake", manifest=True)
    manifest = load_manifest(edition)
    assert manifest["duration_ms"] > 3_600_000
    samples = decode(edition.path)
    assert len(samples) == edition.timeline.total_samples
    for paragraph in manifest["paragraphs"][-5:]:
        heard = onset_ms(samples, paragraph["start_ms"])
        assert abs(heard - paragraph["start_ms"]) <= 10
