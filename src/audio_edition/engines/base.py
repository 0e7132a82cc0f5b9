"""What every engine is: a small protocol and the value objects it speaks in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol


@dataclass(frozen=True)
class Voice:
    """A voice an engine offers."""

    id: str
    """What `--voice` accepts and the engine is given."""
    name: str
    """A human name for it."""
    languages: tuple[str, ...]
    """Language codes, like "en-us"."""
    gender: str | None = None
    """"male", "female" or None when unknown."""
    quality: str | None = None
    """The voice's quality tier where the engine names one ("medium")."""
    file: Path | None = None
    """The voice's model file, for engines whose voices are files."""
    fingerprint: str | None = None
    """What tells this voice's files apart when they change (part of every clip's cache key)."""
    absent: str | None = None
    """Why the voice cannot speak on this machine and how to make it (a file not there), or
    None when it can; an absent voice is not listed and asking for it gives this line."""


@dataclass(frozen=True)
class VoiceSettings:
    """How an engine should speak."""

    voice: str | None
    """A voice id from `Engine.voices()`, or None for the engine's default."""
    rate: int
    """Speaking rate in words per minute."""
    voice_file: Path | None = None
    """The voice's model file, for engines whose voices are files."""
    threads: int = 1
    """The engine's thread budget: how many threads it may compute with (the CPU count over
    the worker processes speaking at once). Engines that compute in one thread ignore it. It
    does not change what is said, so it is not part of any clip's cache key."""


@dataclass(frozen=True)
class Audio:
    """Synthesized speech: 16-bit signed little-endian mono samples."""

    samples: bytes
    """The PCM data."""
    sample_rate: int
    """Samples per second."""

    @property
    def seconds(self) -> float:
        """Length in seconds."""
        return len(self.samples) / 2 / self.sample_rate


class Engine(Protocol):
    """A text-to-speech engine. One instance lives in one worker process and speaks many texts.

    Several workers speak at once, so an engine that computes in threads keeps to
    `VoiceSettings.threads` of them.
    """

    name: ClassVar[str]
    listed: ClassVar[bool]
    """Whether `audio-edition voices` lists it unasked (False for engines meant for tests)."""
    has_default_voice: ClassVar[bool]
    """Whether it speaks with no voice named; if not, a voice of the language is chosen."""
    # An engine may also declare `takes_ipa: ClassVar[bool] = True`: then a word the lexicon
    # gives in IPA reaches it marked (see audio_edition.text.phonemes), for it to speak in its
    # own phoneme markup; any other engine is given the word's respelling.

    def __init__(self, settings: VoiceSettings) -> None: ...

    @classmethod
    def voices(cls, voice_dir: Path | None = None) -> list[Voice]:
        """Every voice the engine offers on this machine (and in `voice_dir`, if it uses one)."""
        ...

    @classmethod
    def voice_from_file(cls, path: Path) -> Voice | None:
        """The voice stored in the file `path`; None if the engine's voices are not files."""
        ...

    @classmethod
    def version(cls) -> str:
        """A version string that changes when the engine's output may change."""
        ...

    def synthesize(self, text: str) -> Audio:
        """Speak `text` as plain text (never as markup) and return the audio."""
        ...

    def close(self) -> None:
        """Release what the engine holds."""
        ...
