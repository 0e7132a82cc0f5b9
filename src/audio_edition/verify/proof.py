"""Proof-listening: each paragraph of a text, as heard in its narration, gets a status.

What was heard comes from audio_edition.verify.hearing; where each paragraph was heard, from
audio_edition.verify.alignment. The word error rate comes from jiwer, on both texts as
comparable words (lowercased, punctuation dropped, digits spelled out as the normalizer speaks
them), so "1995" and "nineteen ninety-five" count as the same words.
"""

from __future__ import annotations

import enum
import importlib.util
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audio_edition.errors import MissingDependencyError, UsageError
from audio_edition.verify.alignment import (
    Place,
    between,
    bounds,
    comparable_words,
    find_places,
    matched,
    out_of_order,
)
from audio_edition.verify.hearing import EXTRA, UNHEARD, Heard, hear, resolve_model, shipped


class ParagraphStatus(str, enum.Enum):
    """How a paragraph of the source came out in the audio."""

    OK = "ok"
    """Heard once, whole, in its place."""
    UNCLEAR = "unclear"
    """Speech heard in its place, but too few of its words to confirm it (not a failure)."""
    MISSING = "missing"
    """Not in the audio."""
    TRUNCATED = "truncated"
    """Its first or last 30% (two words at least) never heard."""
    REPEATED = "repeated"
    """Heard twice or more."""
    OUT_OF_ORDER = "out-of-order"
    """Heard out of the source's order."""

    def __str__(self) -> str:
        return self.value


FLAGGED = (
    ParagraphStatus.MISSING,
    ParagraphStatus.TRUNCATED,
    ParagraphStatus.REPEATED,
    ParagraphStatus.OUT_OF_ORDER,
)
"""Statuses that fail a check. `unclear` (speech heard in the paragraph's place, but too few
of its words to confirm it) is reported, not failed."""
_TRUNCATED = 0.3
"""A paragraph whose first or last 30% of words is never heard is truncated..."""
_MIN_CUT = 2
"""...when that is at least two words (the model often drops or mishears one at an edge)."""
_ANCHOR_WORDS = 3
"""Words of a paragraph that must be heard to take its time as a landmark (see `_offset`)."""
_SPREAD_MS = 3000
"""The most the middle half of a paragraph's words may disagree on its lateness, in ms (see
`_offset`; 1.6 s at most over 28 real narrations)."""


@dataclass(frozen=True)
class ParagraphProof:
    """How one paragraph of the source came out in the audio."""

    index: int
    """Position in the source, from 0."""
    status: ParagraphStatus
    """Its status."""
    wer: float
    """Word error rate of what was heard where it was heard (1.0 when missing)."""
    text: str
    """The paragraph as written."""


@dataclass(frozen=True)
class Spans:
    """Stretches of an audio file (its paragraphs' speech, as a manifest says; words heard)."""

    times: tuple[tuple[int, int], ...]
    """Start and end of each, in ms."""
    duration_ms: int
    """The length of the audio."""


def require(language: str, model: str | os.PathLike[str] | None = None) -> Path:
    """The model folder proof-listening will use, once everything it needs is known to be here:
    faster-whisper, jiwer, the model, and a model that knows the language."""
    for module in ("faster_whisper", "jiwer"):
        if importlib.util.find_spec(module) is None:
            raise MissingDependencyError(f"proof-listening needs {module}: {EXTRA}")
    folder = resolve_model(model)
    if shipped(model) and language.lower().replace("_", "-").split("-")[0] != "en":
        raise UsageError(
            f"the shipped speech-to-text model knows English only, not {language!r}; give "
            "a multilingual faster-whisper model folder with --asr-model"
        )
    return folder


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


def listen(
    audio: Path,
    paragraphs: Sequence[str],
    language: str,
    model: str | os.PathLike[str] | None,
    narrated: Spans | None = None,
) -> list[ParagraphProof]:
    """Transcribe `audio` word by word and proofread it against `paragraphs` (see
    `proofread`, also for `narrated`)."""
    return proofread(paragraphs, hear(audio, language, model), language, narrated)


@dataclass(frozen=True)
class _Hearing:
    """A source's paragraphs and where each was heard in a transcript."""

    expected: list[list[str]]
    """Each paragraph's comparable words."""
    transcript: list[str]
    """The words heard, comparable."""
    places: list[list[Place]]
    """Every place each paragraph was heard."""
    timed: tuple[Spans, Spans] | None
    """The transcript's words and the narrated paragraphs, in time, when both are known."""

    def place(self, index: int) -> Place | None:
        """Where paragraph `index` was first heard, if it was."""
        return self.places[index][0] if self.places[index] else None


def proofread(
    paragraphs: Sequence[str],
    heard: str | Heard,
    language: str = "en",
    narrated: Spans | None = None,
) -> list[ParagraphProof]:
    """Each source paragraph's status in what was `heard` (a transcript, or timed words).

    A paragraph is found as audio_edition.verify.alignment finds it. Heard once is ok, or
    truncated when its first or last 30% (two words at least) is never heard and fewer than
    half as many words were heard in their place (so an edge the model misheard is not cut);
    twice or more is repeated. Out-of-order: a paragraph outside the longest run heard in
    source order, or one heard where neither its source predecessor nor its successor is
    beside it (so both halves of a swap are flagged).

    Paragraphs not found are weighed run by run, between two found ones: with no word heard
    there, all are missing; else, least heard first, as many are missing as the room heard
    there lacks, and the rest are unclear. With timed words and `narrated` (where the
    narration put each paragraph's speech, as its manifest says), room is time: what the
    audio lacks there is how much earlier the paragraph after the run is heard, against
    its narrated time, than the one before it; a paragraph is missing when at least half
    its share (its speech and the pause before it) is lacking. Otherwise room is words, and
    only a paragraph none of whose words could have been heard is missing (the model often
    hears a line in fewer words than it has).
    """
    import jiwer

    if narrated is not None and len(narrated.times) != len(paragraphs):
        raise UsageError(f"times for {len(narrated.times)} paragraphs, not {len(paragraphs)}")
    expected = [comparable_words(text, language) for text in paragraphs]
    transcript, times = _transcript(heard, language)
    timed = None
    if isinstance(heard, Heard) and narrated is not None:
        timed = Spans(tuple(times), heard.duration_ms), narrated
    hearing = _Hearing(expected, transcript, find_places(expected, transcript), timed)
    missing = _missing(hearing)
    out_of_place = out_of_order([found[0].start if found else None for found in hearing.places])
    edges = _edges(hearing)
    results = []
    for index, words in enumerate(expected):
        default = slice(*between(hearing.places, index, len(transcript))), False
        said, cut = edges.get(index, default)
        heard_words = " ".join(transcript[said]) or "-"
        wer = float(jiwer.wer(" ".join(words), heard_words)) if words else 0.0
        status = _status(len(hearing.places[index]), index in missing, cut, index in out_of_place)
        wer = 1.0 if status is ParagraphStatus.MISSING else round(min(wer, 1.0), 3)
        results.append(ParagraphProof(index, status, wer, paragraphs[index]))
    return results


def _status(heard: int, missing: bool, cut: bool, out_of_place: bool) -> ParagraphStatus:
    """A paragraph's status: `heard` in so many places, `missing` (of those not found), `cut`
    at an edge, `out_of_place` in the order heard."""
    if missing:
        return ParagraphStatus.MISSING
    if not heard:
        return ParagraphStatus.UNCLEAR
    if heard > 1:
        return ParagraphStatus.REPEATED
    if cut:
        return ParagraphStatus.TRUNCATED
    if out_of_place:
        return ParagraphStatus.OUT_OF_ORDER
    return ParagraphStatus.OK


def _transcript(heard: str | Heard, language: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The words heard, comparable, and each one's start and end ms (none for a plain text)."""
    if isinstance(heard, str):
        return comparable_words(heard, language), []
    words, times = [], []
    for piece in heard.words:
        for word in [UNHEARD] if piece.text == UNHEARD else comparable_words(piece.text, language):
            words.append(word)
            times.append((piece.start_ms, piece.end_ms))
    return words, times


def _edges(hearing: _Hearing) -> dict[int, tuple[slice, bool]]:
    """For each paragraph found, the words heard for it (its edge words not heard stand for
    as many words heard beside it, up to the next paragraph heard) and whether it is cut."""
    spans = [(index, place) for index, found in enumerate(hearing.places) for place in found]
    around = bounds([place for _, place in spans], len(hearing.transcript))
    edges: dict[int, tuple[slice, bool]] = {}
    for (index, place), (low, high) in zip(spans, around, strict=True):
        if index in edges:
            continue
        before, after = max(0, place.start - low), max(0, high - place.end)
        said = slice(place.start - min(place.head, before), place.end + min(place.tail, after))
        size = len(hearing.expected[index])
        edges[index] = said, _cut(place.head, before, size) or _cut(place.tail, after, size)
    return edges


def _cut(lacking: int, room: int, size: int) -> bool:
    """Whether an edge of a paragraph of `size` words whose `lacking` words were not heard is
    cut: they are at least _TRUNCATED of it and _MIN_CUT words, and fewer than half as many
    words were heard in their place (`room`), so they were not just misheard."""
    return lacking >= _MIN_CUT and lacking > _TRUNCATED * (size - 1) and room < lacking / 2


def _missing(hearing: _Hearing) -> set[int]:
    """The paragraphs not found that are missing rather than unclear (see `proofread`)."""
    missing: set[int] = set()
    for run in _runs(hearing.places):
        before, after = _surely_around(hearing, run)
        low = before.end if before is not None else 0
        high = after.start if after is not None else len(hearing.transcript)
        window = hearing.transcript[low : max(low, high)]
        if not window and not (hearing.timed and any(hearing.places)):
            missing.update(run)
            continue
        if hearing.timed:
            size, lacking = _time_lacking(hearing, hearing.timed, run)
        else:
            size, lacking = _words_lacking(hearing, run, before, after, len(window))
        needed = 0.5 if hearing.timed else 1.0  # of a paragraph's time; of its words
        for index in sorted(run, key=lambda i: _share_matched(hearing.expected[i], window)):
            if lacking >= size[index] * needed:
                missing.add(index)
                lacking -= size[index]
    return missing


def _runs(places: Sequence[Sequence[Place]]) -> list[list[int]]:
    """The paragraphs not found, in runs of neighbours."""
    runs: list[list[int]] = []
    for index, found in enumerate(places):
        if found:
            continue
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _surely_around(hearing: _Hearing, run: Sequence[int]) -> tuple[Place | None, Place | None]:
    """Where the nearest paragraphs before and after `run` found surely were heard:
    _ANCHOR_WORDS words or more heard in their place (a short line found by a word or two may
    have been found at another line's word, and would shut the run out of its place)."""

    def nearest(indexes: range) -> Place | None:
        places = (hearing.place(index) for index in indexes)
        return next((p for p in places if p and p.end - p.start >= _ANCHOR_WORDS), None)

    return nearest(range(run[0] - 1, -1, -1)), nearest(range(run[-1] + 1, len(hearing.places)))


def _words_lacking(
    hearing: _Hearing, run: Sequence[int], before: Place | None, after: Place | None, room: int
) -> tuple[dict[int, float], float]:
    """Each paragraph of `run` in words, and how many words the `room` heard between the
    paragraphs `before` and `after` it lacks for them."""
    size: dict[int, float] = {i: len(hearing.expected[i]) for i in run}
    # the words the paragraphs around the run lack, misheard there
    edges = (before.tail if before is not None else 0) + (after.head if after is not None else 0)
    return size, sum(size.values()) - max(0, room - edges)


def _time_lacking(
    hearing: _Hearing, timed: tuple[Spans, Spans], run: Sequence[int]
) -> tuple[dict[int, float], float]:
    """Each paragraph of `run` in narrated time (its speech and the pause before it), and how
    much time the audio lacks around `run` (see `proofread`), in ms: how much later, against
    its narrated time, the nearest paragraph before it that was surely heard is heard than the
    nearest one after it (the audio's start and end standing in when there is none)."""
    heard, narrated = timed
    ends = [0, *(end for _, end in narrated.times)]
    size: dict[int, float] = {i: ends[i + 1] - ends[i] for i in run}

    def offsets(indexes: range) -> Iterator[float]:
        found = (_offset(hearing, i) for i in indexes)
        return (offset for offset in found if offset is not None)

    before = next(offsets(range(run[0] - 1, -1, -1)), 0.0)
    after = next(offsets(range(run[-1] + 1, len(hearing.places))),
                 heard.duration_ms - narrated.duration_ms)  # fmt: skip
    return size, before - after


def _offset(hearing: _Hearing, index: int) -> float | None:
    """How much later paragraph `index` is heard than narrated, in ms: the median, over its
    words heard, of how much later each is heard than its share of the paragraph's narrated
    time (robust to a stray word, and to the model's stretching the words beside a pause into
    it). None unless _ANCHOR_WORDS of its words were heard (one or two are too few to place
    it: the model's times for a lone word are often half a second off, and a short line may
    be found at another's word) and their lateness agrees within _SPREAD_MS (after a window
    it skipped, the model may time what it heard of a line 20 s late)."""
    place = hearing.place(index)
    if place is None or hearing.timed is None:
        return None
    heard, narrated = hearing.timed
    words = hearing.expected[index]
    start, end = narrated.times[index]
    share = (end - start) / max(1, len(words))
    late = [
        sum(heard.times[place.start + m.b + k]) / 2 - (start + (m.a + k + 0.5) * share)
        for m in matched(words, hearing.transcript[place.start : place.end])
        for k in range(m.size)
    ]
    if len(late) < _ANCHOR_WORDS or np.subtract(*np.percentile(late, [75, 25])) > _SPREAD_MS:
        return None
    return float(np.median(late))


def _share_matched(words: Sequence[str], heard: Sequence[str]) -> float:
    """The share of `words` that `heard` holds, in order."""
    return sum(block.size for block in matched(words, heard)) / max(1, len(words))
