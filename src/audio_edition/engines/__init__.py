"""Engine registry: built-in and third-party engines, found through entry points."""

from __future__ import annotations

import difflib
import re
from importlib.metadata import entry_points
from pathlib import Path

from audio_edition.engines.base import Audio, Engine, Voice, VoiceSettings
from audio_edition.errors import (
    AbsentVoiceError,
    AudioEditionError,
    MissingDependencyError,
    OptionError,
    UsageError,
)

ENTRY_POINT_GROUP = "audio_edition.engines"
DEFAULT_ENGINE = "pyttsx3"
"""The engine that always works (a system voice for about a hundred languages)."""
ENGINES_BY_QUALITY = ("hibari", "piper", DEFAULT_ENGINE)
"""The engines a voice is chosen from when none is named, best first, as measured on the
example review, the GPL and a text of numbers (bench/RESULTS.md, "Voices"): hibari's heart
heard with the fewest word errors at a fourteenth of Piper's CPU, then Piper, then the system
voice."""
_CANTONESE_SUBTAGS = frozenset({"yue", "hk", "mo"})
"""Subtags of a Chinese ("zh") language tag that mean Cantonese: zh-yue, zh-HK, zh-Hant-MO."""
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:[-_][a-z]{4})?(?:[-_](?:[a-z]{2}|[0-9]{3}))?", re.I)
"""A --voice that names a language (BCP 47: a language, a script, a region: "en", "pt_BR",
"zh-Hant-TW"), not a voice ("en_US-joe-medium")."""

__all__ = [
    "LANGUAGE_TAG",
    "Audio",
    "Engine",
    "Voice",
    "VoiceSettings",
    "best_voice",
    "check_voice_dir",
    "engine_for_voice",
    "engine_names",
    "engine_version",
    "load_engine",
    "present_voices",
    "resolve_voice",
    "speaks",
    "voice_for_language",
]


def engine_names() -> list[str]:
    """Names of every registered engine."""
    return sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))


def load_engine(name: str) -> type[Engine]:
    """The engine class registered as `name`."""
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if not found:
        raise UsageError(f"unknown engine {name!r}; available: {', '.join(engine_names())}")
    try:
        engine: type[Engine] = found[0].load()
    except ImportError as error:
        raise MissingDependencyError(f"engine {name!r} cannot be loaded: {error}") from None
    return engine


def engine_version(engine: type[Engine], voice: Voice | None) -> str:
    """The engine's version for the cache key, with the voice's fingerprint when it has one."""
    version = engine.version()
    if voice is not None and voice.fingerprint:
        version += f"; voice {voice.fingerprint}"
    return version


def _installed(name: str) -> type[Engine] | None:
    """The engine registered as `name` when it loads and lists its voices here, else None."""
    try:
        engine = load_engine(name)
        engine.voices()
    except AudioEditionError:
        return None
    return engine


def best_voice(language: str, voice_dir: Path | None = None) -> tuple[type[Engine], Voice | None]:
    """The best installed voice for a language tag: the first engine of ENGINES_BY_QUALITY
    with a voice for it, and that voice; else DEFAULT_ENGINE and its default voice (None)."""
    for name in ENGINES_BY_QUALITY:
        engine = _installed(name)
        voice = voice_for_language(engine, language, voice_dir) if engine else None
        if engine is not None and voice is not None:
            return engine, voice
    return load_engine(DEFAULT_ENGINE), None


def engine_for_voice(requested: str, voice_dir: Path | None = None) -> tuple[type[Engine], Voice]:
    """The first engine of ENGINES_BY_QUALITY that has the voice `requested` names, and the
    voice; when none has it, the error of the one that named it absent, else DEFAULT_ENGINE's."""
    absent: AbsentVoiceError | None = None
    for engine in filter(None, map(_installed, ENGINES_BY_QUALITY)):
        try:
            voice = resolve_voice(engine, requested, voice_dir)
        except AbsentVoiceError as error:
            absent = absent or error
            continue
        except UsageError:
            continue
        if voice is not None:
            return engine, voice
    if absent is not None:
        raise absent
    voice = resolve_voice(load_engine(DEFAULT_ENGINE), requested, voice_dir)
    assert voice is not None  # resolve_voice returns None only when nothing is requested
    return load_engine(DEFAULT_ENGINE), voice


def present_voices(engine: type[Engine], voice_dir: Path | None = None) -> list[Voice]:
    """The engine's voices that can speak on this machine (not absent)."""
    return [voice for voice in engine.voices(voice_dir) if voice.absent is None]


def resolve_voice(
    engine: type[Engine], requested: str | None, voice_dir: Path | None = None
) -> Voice | None:
    """The voice `requested` names (a voice file's path, with a suffix or a folder; an id, short
    id, name, or a language tag: a voice of that tag, else the engine's voice for its language
    ("en" is "en-us", "de-DE" is "de"; see voice_for_language)), or None for the engine's
    default."""
    if requested is None:
        return None
    path = Path(requested).expanduser()
    if (path.suffix or len(path.parts) > 1) and path.is_file():
        voice = engine.voice_from_file(path)
        if voice is None:
            raise UsageError(f"engine {engine.name!r} does not take voice files like {path.name}")
        return voice
    voices = engine.voices(voice_dir)
    wanted = requested.strip().lower()
    tags = language_tags(requested)
    for matches in (
        lambda v: v.id.lower() == wanted,
        lambda v: v.id.lower().rsplit("/", 1)[-1] == wanted,
        lambda v: v.name.lower() == wanted,
        lambda v: any(tag in (lang.lower() for lang in v.languages) for tag in tags),
    ):
        for voice in voices:
            if matches(voice) and voice.absent is None:
                return voice
        absent = next((voice.absent for voice in voices if matches(voice)), None)
        if absent is not None:
            raise AbsentVoiceError(absent)
    if LANGUAGE_TAG.fullmatch(requested.strip()):
        voice = voice_for_language(engine, requested, voice_dir)
        if voice is not None:
            return voice
    names = [v.id for v in voices] + [v.name for v in voices]
    close = difflib.get_close_matches(requested, names, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    found = (
        f"; voices found: {', '.join(v.id for v in voices[:10])}" if voices and not close else ""
    )
    raise UsageError(
        f"unknown voice {requested!r} for engine {engine.name!r}{hint}{found} "
        "(see: audio-edition voices)"
    )


def language_tags(language: str) -> list[str]:
    """A language tag, lower case, then any tag that names the same speech: a Chinese tag
    ("zh", "zh-Hans", "zh-TW") is Mandarin, "cmn", unless it names Cantonese ("zh-HK",
    "zh-yue"), "yue". eSpeak NG names its Chinese voices by those spoken languages."""
    tag = language.strip().lower().replace("_", "-")
    subtags = tag.split("-")
    if subtags[0] != "zh":
        return [tag]
    return [tag, "yue" if _CANTONESE_SUBTAGS.intersection(subtags[1:]) else "cmn"]


def speaks(voice: Voice, language: str) -> bool:
    """Whether `voice` speaks the language tag `language` (or one naming the same speech, see
    language_tags), alone or in a region or script of it ("en" speaks "en-us")."""
    tags = language_tags(language)
    return any(lang.lower() == tag or lang.lower().startswith(tag + "-")
               for tag in tags for lang in voice.languages)  # fmt: skip


def check_voice_dir(voice_dir: Path | None) -> None:
    """An OptionError when the folder of voice files `voice_dir` is given and is no folder."""
    if voice_dir is not None and not voice_dir.is_dir():
        raise OptionError("voice_dir", f" {voice_dir}: no such folder")


def voice_for_language(
    engine: type[Engine], language: str, voice_dir: Path | None = None
) -> Voice | None:
    """The engine's voice for a language tag ("en-US", "fr"), or None when it has none.

    An exact tag match wins (of the tag or one naming the same speech, see language_tags),
    then the voice named after the base language ("fr" for "fr-CA"), then any voice of the
    base language.
    """
    tags = language_tags(language)
    bases = [tag.split("-")[0] for tag in tags]
    voices = present_voices(engine, voice_dir)
    for matches in (
        lambda v, tag, base: tag in (lang.lower() for lang in v.languages),
        lambda v, tag, base: v.id.lower().rsplit("/", 1)[-1] == base,
        lambda v, tag, base: any(lang.lower().split("-")[0] == base for lang in v.languages),
    ):
        for tag, base in zip(tags, bases, strict=True):
            for voice in voices:
                if matches(voice, tag, base):
                    return voice
    return None
