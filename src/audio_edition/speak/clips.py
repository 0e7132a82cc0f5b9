"""What synthesis trades in: the clips a document needs, the clips spoken, and how to speak."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from audio_edition.document import Document
from audio_edition.engines import Audio, VoiceSettings

BASE_TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class ClipRequest:
    """One piece of text to speak, and where it sits in the document."""

    paragraph: int
    """Index of its paragraph."""
    sentence: int
    """Index of its sentence within the paragraph."""
    part: int
    """Index of this part within the sentence."""
    text: str
    """What to say (the part as normalized for speech)."""
    voice: int = 0
    """Who says it: 0 for the narrator's voice, n for the run's SynthesisConfig.cast[n - 1]."""


@dataclass(frozen=True)
class Clip:
    """A verified clip of speech for one request."""

    request: ClipRequest
    """What was spoken."""
    audio: Audio
    """The engine's audio, unchanged."""


@dataclass(frozen=True)
class SynthesisConfig:
    """How to run synthesis."""

    engine: str
    """Registered engine name."""
    engine_version: str
    """The engine's version, part of every cache key."""
    settings: VoiceSettings
    """Voice and rate (the thread budget is set by whoever runs the engine)."""
    base_timeout_seconds: float = BASE_TIMEOUT_SECONDS
    """A clip may take this plus its expected length before its worker counts as hung."""
    cast: tuple[SynthesisConfig, ...] = ()
    """The narration's other voices (a cast's, the dialogue's), at the same rate: a request
    with voice n speaks in cast[n - 1]."""

    @property
    def voices(self) -> tuple[SynthesisConfig, ...]:
        """Every voice of the narration, the narrator's first: `voices[request.voice]`."""
        return (self, *self.cast)

    def voice(self, index: int) -> SynthesisConfig:
        """The voice of requests with `voice` `index`."""
        return self.voices[index]


@dataclass
class SynthesisStats:
    """How the clips of a run were obtained."""

    synthesized: int = 0
    """Clips the engine spoke in this run."""
    cached: int = 0
    """Clips taken from the cache."""
    kept: int = 0
    """Clips not even taken: their paragraph was kept whole (see narration.kept)."""


def clip_requests(
    document: Document, speaker_voices: Mapping[str, int] | None = None
) -> list[ClipRequest]:
    """Every clip the document needs, in reading order, each in its speaker's voice (the
    index `speaker_voices` gives it; the narrator's, 0, for a speaker it does not name)."""
    voices = speaker_voices or {}
    return [
        ClipRequest(
            paragraph.index, s_index, p_index, part.spoken, voices.get(part.speaker or "", 0)
        )
        for paragraph in document.paragraphs
        for s_index, sentence in enumerate(paragraph.sentences)
        for p_index, part in enumerate(sentence.parts)
    ]
