"""The manifest: every chapter, paragraph and sentence with its times, as JSON; written here,
and read back (its paragraphs' text and times, for `check --manifest`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audio_edition.errors import InputError
from audio_edition.shape.timing import Chapter, TimedParagraph, TimedSentence
from audio_edition.text.phonemes import shown

MANIFEST_VERSION = 3


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
    cast: tuple[tuple[str, str | None], ...] = ()
    """The narration's other voices, as (engine, voice): voice n is cast[n - 1]."""

    def voice_name(self, index: int) -> str:
        """The voice of that index, as "engine:voice" (the engine alone for its default)."""
        engine, voice = ((self.engine, self.voice), *self.cast)[index]
        return f"{engine}:{voice}" if voice else engine


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
        "chapters": [_chapter(c) for c in marks],
        "paragraphs": [
            {
                "index": p.index,
                "text": p.text,
                "spoken": shown(p.spoken),
                "heading": p.heading,
                "start_ms": p.start_ms,
                "end_ms": p.end_ms,
                "sentences": [_sentence(s, info) for s in p.sentences],
            }
            for p in paragraphs
        ],
        "stats": {"clips": info.clips, "synthesized": info.synthesized, "cached": info.cached},
    }


def _chapter(chapter: Chapter) -> dict[str, Any]:
    return {
        "title": chapter.title, "start_ms": chapter.start_ms, "end_ms": chapter.end_ms,
        "level": chapter.level, "parent": chapter.parent,
    }  # fmt: skip


def _sentence(sentence: TimedSentence, info: ManifestInfo) -> dict[str, Any]:
    """A sentence's entry: its voice, or its parts when it is spoken in several."""
    entry = {
        "text": sentence.text,
        "spoken": shown(sentence.spoken),
        "start_ms": sentence.start_ms,
        "end_ms": sentence.end_ms,
        "voice": info.voice_name(sentence.parts[0].voice),
    }
    speakers = {part.speaker for part in sentence.parts}
    if len(speakers) == 1 and sentence.parts[0].speaker is not None:
        entry["speaker"] = sentence.parts[0].speaker
    if len({part.voice for part in sentence.parts}) > 1 or len(speakers) > 1:
        del entry["voice"]
        entry["parts"] = [
            {
                "text": part.text,
                "spoken": shown(part.spoken),
                "voice": info.voice_name(part.voice),
                "speaker": part.speaker,
                "start_ms": part.start_ms,
                "end_ms": part.end_ms,
            }
            for part in sentence.parts
        ]
    return entry


def write_manifest(path: Path, data: dict[str, Any]) -> None:
    """Write the manifest as UTF-8 JSON."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def schema_path() -> Path:
    """The JSON Schema the manifest follows."""
    return Path(__file__).with_name("manifest.schema.json")


@dataclass(frozen=True)
class ManifestParagraph:
    """A paragraph as a manifest records it."""

    text: str
    """The paragraph as written."""
    start_ms: int
    """Where its speech begins."""
    end_ms: int
    """Where its speech ends."""


@dataclass(frozen=True)
class Manifest:
    """What a manifest says of the narration's paragraphs."""

    paragraphs: tuple[ManifestParagraph, ...]
    """Every paragraph, in order."""
    language: str | None
    """The language it was spoken in (None when the manifest does not say)."""
    duration_ms: int
    """The audio's length."""


def read_manifest(path: Path) -> Manifest:
    """The manifest at `path`: its paragraphs (text and times), language and length; an
    InputError in one line when it is missing, unreadable or not a manifest."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        paragraphs, language = data["paragraphs"], data.get("language")
        if not isinstance(language, str | None):
            raise ValueError(f"its language is {language!r}, not a language code")
        times = [(int(p["start_ms"]), int(p["end_ms"])) for p in paragraphs]
        texts = [str(p["text"]) for p in paragraphs]
        return Manifest(
            tuple(ManifestParagraph(text, *span) for text, span in zip(texts, times, strict=True)),
            language,
            int(data["duration_ms"]),
        )
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, ValueError, KeyError, TypeError, OverflowError) as error:
        raise InputError(f"{path} is not an audio-edition manifest ({error})") from None
