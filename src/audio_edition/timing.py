"""Exact times of every paragraph, sentence and chapter in the output, and the manifest.

Times come from the PCM sample counts recorded during assembly, never from encoded durations;
gapless-aware decoders (ffmpeg, browsers) play the encoded file from the same first sample.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .assemble import Timeline
from .document import Document

MANIFEST_VERSION = 2
_CHAPTER_TITLE_WORDS = 7


@dataclass(frozen=True)
class TimedText:
    """A clip's text and where its speech lies, in milliseconds from the start of the file."""

    text: str
    """As written."""
    spoken: str
    """As the engine was given it."""
    start_ms: int
    """Where its speech begins."""
    end_ms: int
    """Where its speech ends."""


@dataclass(frozen=True)
class TimedSentence:
    """A sentence, with the clips (parts) it was spoken in."""

    text: str
    """As written."""
    spoken: str
    """As the engine was given it."""
    start_ms: int
    """Where its speech begins."""
    end_ms: int
    """Where its speech ends."""
    parts: tuple[TimedText, ...]
    """Its clips, each timed exactly."""


@dataclass(frozen=True)
class TimedParagraph:
    """A paragraph and its sentences, timed."""

    index: int
    """Position in the document, from 0."""
    text: str
    """As written."""
    spoken: str
    """As the engine was given it."""
    heading: bool
    """Whether it is its section's heading."""
    start_ms: int
    """Where its first sentence begins."""
    end_ms: int
    """Where its last sentence ends."""
    sentences: tuple[TimedSentence, ...]
    """Its sentences."""


@dataclass(frozen=True)
class Chapter:
    """A chapter mark: from where its first paragraph's speech begins to the next chapter."""

    title: str
    """What players show."""
    start_ms: int
    """Where its first paragraph's speech begins."""
    end_ms: int
    """Where the next chapter begins (the end of the file for the last)."""


def samples_to_ms(samples: int, sample_rate: int) -> int:
    """Samples as whole milliseconds, rounded to the nearest."""
    return (samples * 1000 + sample_rate // 2) // sample_rate


def short_clock(seconds: float) -> str:
    """A length or a moment as M:SS, or H:MM:SS from an hour, to the nearest second."""
    hours, rest = divmod(round(seconds), 3600)
    minutes, seconds_left = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds_left:02d}" if hours else f"{minutes}:{seconds_left:02d}"


def build_time() -> datetime.datetime:
    """Now, to the second, or SOURCE_DATE_EPOCH when it is set (a reproducible build), in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def clock(ms: int, separator: str = ".") -> str:
    """Milliseconds as HH:MM:SS.mmm (with another separator before the milliseconds)."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def timed_paragraphs(document: Document, timeline: Timeline) -> list[TimedParagraph]:
    """Every paragraph and sentence with its times, from the timeline's sample counts.

    The timeline holds one clip per part, in document order; anything else is a bug, and
    raises rather than mistiming the text.
    """
    rate = timeline.sample_rate
    clips = iter(timeline.clips)
    paragraphs = []
    for paragraph in document.paragraphs:
        sentences = []
        for s_index, sentence in enumerate(paragraph.sentences):
            parts = []
            for p_index, part in enumerate(sentence.parts):
                clip = next(clips)
                request = clip.request
                if (request.paragraph, request.sentence, request.part) != (
                    paragraph.index, s_index, p_index,
                ):  # fmt: skip
                    raise AssertionError(f"clip {request} is out of place in the timeline")
                start, end = samples_to_ms(clip.start, rate), samples_to_ms(clip.end, rate)
                parts.append(TimedText(part.text, part.spoken, start, end))
            sentences.append(TimedSentence(
                sentence.text, sentence.spoken, parts[0].start_ms, parts[-1].end_ms, tuple(parts)
            ))  # fmt: skip
        paragraphs.append(TimedParagraph(
            paragraph.index, paragraph.text, paragraph.spoken, paragraph.heading,
            sentences[0].start_ms, sentences[-1].end_ms, tuple(sentences),
        ))  # fmt: skip
    if next(clips, None) is not None:
        raise AssertionError("the timeline holds more clips than the document has parts")
    return paragraphs


def chapter_title(text: str) -> str:
    """A paragraph's first words, as a chapter title."""
    words = text.split()
    title = " ".join(words[:_CHAPTER_TITLE_WORDS])
    if len(words) > _CHAPTER_TITLE_WORDS:
        title = title.rstrip(",;:.!?-\u2014") + "\u2026"
    return title


def chapters(
    document: Document, paragraphs: Sequence[TimedParagraph], duration_ms: int
) -> list[Chapter]:
    """The chapter marks, back to back to the end of the file.

    A document with headings has one chapter per section, titled by its heading (text before
    the first heading is titled by the document's title, else its first words); one without
    has one chapter per paragraph, titled by its first words. Each starts where its first
    paragraph's speech starts, except the first, which starts at 0 with the head room tone:
    MP4's QuickTime chapter track cannot begin later, and so every format agrees.
    """
    start_of = {p.index: p.start_ms for p in paragraphs}
    if any(section.heading for section in document.sections):
        marks = [
            (
                section.heading
                or (document.title if number == 0 and document.title else None)
                or chapter_title(section.paragraphs[0].text),
                start_of[section.paragraphs[0].index],
            )
            for number, section in enumerate(document.sections)
        ]
    else:
        marks = [(chapter_title(p.text), p.start_ms) for p in paragraphs]
    marks[0] = (marks[0][0], 0)
    ends = [start for _, start in marks[1:]] + [duration_ms]
    return [Chapter(title, start, end) for (title, start), end in zip(marks, ends, strict=True)]


@dataclass(frozen=True)
class ManifestInfo:
    """The facts about a narration that the manifest records besides its times."""

    audio: str
    """The audio file's name."""
    title: str
    """The title it was tagged with."""
    author: str | None
    """The author it was tagged with."""
    language: str
    """The language it was spoken and normalized in."""
    duration_ms: int
    """Its length."""
    sample_rate: int
    """The rate its times were counted at."""
    engine: str
    """Engine name."""
    voice: str | None
    """Voice id, None for the engine's default."""
    rate: int
    """Words per minute."""
    clips: int
    """Clips in the narration."""
    synthesized: int
    """Clips the engine spoke in this run."""
    cached: int
    """Clips taken from the cache."""


def manifest(
    info: ManifestInfo, paragraphs: Sequence[TimedParagraph], marks: Sequence[Chapter]
) -> dict[str, Any]:
    """The manifest as JSON-ready data (schema: audio_edition/manifest.schema.json)."""
    return {
        "version": MANIFEST_VERSION,
        "audio": info.audio,
        "title": info.title,
        "author": info.author,
        "language": info.language,
        "duration_ms": info.duration_ms,
        "sample_rate": info.sample_rate,
        "engine": info.engine,
        "voice": info.voice,
        "rate": info.rate,
        "chapters": [{"title": c.title, "start_ms": c.start_ms, "end_ms": c.end_ms} for c in marks],
        "paragraphs": [
            {
                "index": p.index,
                "text": p.text,
                "spoken": p.spoken,
                "heading": p.heading,
                "start_ms": p.start_ms,
                "end_ms": p.end_ms,
                "sentences": [
                    {"text": s.text, "spoken": s.spoken, "start_ms": s.start_ms, "end_ms": s.end_ms}
                    for s in p.sentences
                ],
            }
            for p in paragraphs
        ],
        "stats": {"clips": info.clips, "synthesized": info.synthesized, "cached": info.cached},
    }


def write_manifest(path: Path, data: dict[str, Any]) -> None:
    """Write the manifest as UTF-8 JSON."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def schema_path() -> Path:
    """The JSON Schema the manifest follows."""
    return Path(__file__).with_name("manifest.schema.json")
