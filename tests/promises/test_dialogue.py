"""Dialogue in its speakers' voices, through the whole pipeline: each quotation a clip in its
voice, the manifest saying who and in which voice, subtitles and read-along keeping whole
sentences; with the real engines, one production: the same levels, room tone between voices,
times exact where the voice changes, and heard whole by the proof listener."""

from __future__ import annotations

import importlib.util
import itertools
import json

import jsonschema
import pytest

from audio_edition import check, narrate
from audio_edition.editions.manifest import schema_path
from audio_edition.verify.proof import FLAGGED
from tests.audio import RATE, decode, onset_ms, peak_db, rms_db

STORY = """\
# The visitor

“I'm here,” said Holmes. “Let's go.”

Watson looked up from his paper. “Where to?” he asked.

“Baker Street,” said Holmes, “before the rain.”
"""


def sentences(manifest: dict) -> list[dict]:
    return [s for paragraph in manifest["paragraphs"] for s in paragraph["sentences"]]


def test_each_quotation_is_a_clip_in_the_dialogue_voice(write_text, tmp_path):
    source = write_text("story.md", STORY)
    edition = narrate(source, tmp_path / "story.mp3", engine="fake", dialogue_voice="fake-16k",
                      manifest=True, subtitles=("srt",))  # fmt: skip
    manifest = json.loads(edition.sidecars["json"].read_text(encoding="utf-8"))
    jsonschema.validate(manifest, json.loads(schema_path().read_text(encoding="utf-8")))
    first = sentences(manifest)[1]
    assert first["text"] == "“I'm here,” said Holmes."
    assert [(p["text"], p["voice"], p["speaker"]) for p in first["parts"]] == [
        ("“I'm here,”", "fake:fake-16k", "Holmes"),
        ("said Holmes.", "fake", None),
    ]
    assert (first["start_ms"], first["end_ms"]) == (
        first["parts"][0]["start_ms"], first["parts"][-1]["end_ms"],
    )  # fmt: skip
    spoken_by = {c.request.text: c.request.voice for c in edition.timeline.clips}
    assert spoken_by["Let's go."] == 1 and spoken_by["said Holmes."] == 0
    assert "voice" in sentences(manifest)[0] and "parts" not in sentences(manifest)[0]


def test_subtitles_and_the_read_along_keep_whole_sentences(write_text, tmp_path):
    source = write_text("story.md", STORY)
    plain = narrate(source, tmp_path / "plain.html", engine="fake", subtitles=("srt",))
    cast = narrate(source, tmp_path / "cast.html", engine="fake", dialogue_voice="fake-16k",
                   subtitles=("srt",))  # fmt: skip
    assert len(cast.timeline.clips) > len(plain.timeline.clips)

    def cues(edition) -> list[str]:
        blocks = edition.sidecars["srt"].read_text(encoding="utf-8").strip().split("\n\n")
        return [block.split("\n", 2)[2] for block in blocks]

    assert cues(cast) == cues(plain)
    page = (tmp_path / "cast.html").read_text(encoding="utf-8")
    assert page.count('class="sentence"') == (tmp_path / "plain.html").read_text(
        encoding="utf-8"
    ).count('class="sentence"')


needs_neural = pytest.mark.skipif(
    not all(importlib.util.find_spec(name) for name in ("hibari", "piper")),
    reason="needs hibari-tts and piper-tts",
)
THREE_ENGINES = """\
narrator = "hibari:heart"
default = "pyttsx3:gmw/en-gb-x-rp"
Holmes = "piper:en_US-joe-medium"
"""


@pytest.fixture(scope="module")
def mixed_edition(tmp_path_factory):
    """The story with hibari narrating, Piper's joe as Holmes and eSpeak NG as Watson."""
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "story.md").write_text(STORY, encoding="utf-8")
    (folder / "cast.toml").write_text(THREE_ENGINES, encoding="utf-8")
    edition = narrate(folder / "story.md", folder / "story.mp3", cast=folder / "cast.toml",
                      manifest=True, use_cache=False)  # fmt: skip
    manifest = json.loads(edition.sidecars["json"].read_text(encoding="utf-8"))
    return folder, edition, manifest


def parts(manifest: dict) -> list[dict]:
    """Every clip's entry, with its voice, in order."""
    return [part for sentence in sentences(manifest)
            for part in sentence.get("parts", [{**sentence, "speaker": None}])]  # fmt: skip


@pytest.mark.e2e
@needs_neural
def test_three_engines_make_one_edition_with_each_voice_where_the_cast_says(mixed_edition):
    _, _, manifest = mixed_edition
    voices = {(p["text"], p["voice"]) for p in parts(manifest)}
    assert ("“I'm here,”", "piper:en_US-joe-medium") in voices
    assert ("said Holmes.", "hibari:heart") in voices
    assert ("“Where to?”", "pyttsx3:gmw/en-gb-x-rp") in voices
    assert (manifest["engine"], manifest["voice"]) == ("hibari", "heart")


@pytest.mark.e2e
@needs_neural
def test_three_engines_sound_like_one_production(mixed_edition):
    """The same level in every voice, room tone (no click) between voices, and every clip's
    time where its speech begins."""
    _, edition, manifest = mixed_edition
    samples = decode(edition.path)
    timed = parts(manifest)
    assert len({part["voice"] for part in timed}) == 3
    levels = [rms_db(samples[ms(part["start_ms"]) : ms(part["end_ms"])]) for part in timed]
    assert max(levels) - min(levels) <= 3.0, levels
    for part, following in itertools.pairwise(timed):
        assert abs(onset_ms(samples, part["start_ms"]) - part["start_ms"]) <= 10, part["text"]
        pause = samples[ms(part["end_ms"] + 10) : ms(following["start_ms"] - 10)]
        assert rms_db(pause) < -65 and peak_db(pause) < -50, (part["text"], following["text"])
    assert check(edition.path).passed


@pytest.mark.e2e
@needs_neural
@pytest.mark.skipif(
    importlib.util.find_spec("faster_whisper") is None, reason="needs the proof extra"
)
def test_the_proof_listener_hears_the_mixed_edition_whole(mixed_edition):
    folder, edition, _ = mixed_edition
    report = check(edition.path, text=folder / "story.md")
    assert report.passed and report.paragraphs
    assert [p for p in report.paragraphs if p.status in FLAGGED] == []


def ms(milliseconds: int) -> int:
    """A time in samples of the decoded audio."""
    return milliseconds * RATE // 1000
