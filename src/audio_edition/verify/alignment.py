"""Where each paragraph of a text was heard in a transcript, word by word, and in what order.

Words are compared lowercased, with punctuation dropped and digits spelled out as the
normalizer speaks them, so "1995" and "nineteen ninety-five" are the same words. A paragraph
is found by the word pairs that only it holds, once in the whole text, then widened to its
edge words heard beside them; else by at least half its words, in order, between the
paragraphs found around it.
"""

from __future__ import annotations

import bisect
import collections
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from audio_edition.text.normalize import Normalizer

_NOT_WORD = re.compile(r"[^\w']+")
_MIN_COVERAGE = 0.3
"""Share of a paragraph's own word pairs that must be heard together to count as heard."""

Pair = tuple[str, str]


@dataclass(frozen=True)
class Place:
    """One place where a paragraph was heard, in words of the transcript: from its first word
    heard to its last, and how many of its words at each edge were not heard."""

    start: int
    end: int
    head: int = 0
    tail: int = 0


def comparable_words(text: str, language: str = "en") -> list[str]:
    """`text` as a list of lowercase words, numbers spelled out, punctuation gone."""
    spoken = Normalizer(language).spoken_form(text)
    return [word for word in _NOT_WORD.split(spoken.lower().replace("-", " ")) if word.strip("'")]


def matched(words: Sequence[str], heard: Sequence[str]) -> list[difflib.Match]:
    """The runs of `words` that `heard` holds, in order."""
    matcher = difflib.SequenceMatcher(None, words, heard, autojunk=False)
    return [block for block in matcher.get_matching_blocks() if block.size]


def find_places(expected: Sequence[Sequence[str]], transcript: Sequence[str]) -> list[list[Place]]:
    """Every place each paragraph (its comparable words) was heard in `transcript` (see the
    module), from its first word heard to its last, its edge words heard beside it included."""
    places = _by_own_pairs(expected, transcript)
    spans = iter(bounds([place for found in places for place in found], len(transcript)))
    places = [[_widen(words, place, transcript, *next(spans)) for place in found]
              for words, found in zip(expected, places, strict=True)]  # fmt: skip
    for index, words in enumerate(expected):
        if not places[index]:
            here = _heard_between(words, transcript, *between(places, index, len(transcript)))
            places[index] = [here] if here else []
    return places


def _by_own_pairs(
    expected: Sequence[Sequence[str]], transcript: Sequence[str]
) -> list[list[Place]]:
    """Every place each paragraph was heard by the word pairs only it holds in the text."""
    counts = collections.Counter(key for words in expected for key, _ in _pairs(words))
    where: dict[Pair, list[int]] = {}
    for key, position in _pairs(transcript):
        where.setdefault(key, []).append(position)
    places: list[list[Place]] = []
    for words in expected:
        own = {key: source for key, source in _pairs(words) if counts[key] == 1}
        places.append(_occurrences(words, own, where) if own else [])
    return places


def between(places: Sequence[Sequence[Place]], index: int, length: int) -> tuple[int, int]:
    """Where paragraph `index` belongs in a transcript of `length` words: between the nearest
    paragraphs before and after it that were found."""
    low = next((places[i][0].end for i in range(index - 1, -1, -1) if places[i]), 0)
    high = next((places[i][0].start for i in range(index + 1, len(places)) if places[i]), length)
    return low, max(low, high)


def bounds(spans: Sequence[Place], length: int) -> list[tuple[int, int]]:
    """For each span, where the nearest spans before and after it end and start (0 and
    `length` when there are none)."""
    ends, starts = sorted(s.end for s in spans), sorted(s.start for s in spans)
    found = []
    for span in spans:
        before, after = bisect.bisect_right(ends, span.start), bisect.bisect_left(starts, span.end)
        found.append((ends[before - 1] if before else 0,
                      starts[after] if after < len(starts) else length))  # fmt: skip
    return found


def _pairs(words: Sequence[str]) -> list[tuple[Pair, int]]:
    """(word pair, position of its first word)."""
    return [((words[i], words[i + 1]), i) for i in range(len(words) - 1)]


def _occurrences(
    words: Sequence[str], own: dict[Pair, int], where: dict[Pair, list[int]]
) -> list[Place]:
    """Every place the transcript holds enough of a paragraph's own word pairs, close together."""
    hits = sorted((heard, source) for key, source in own.items() for heard in where.get(key, ()))
    groups = _grouped(hits, gap=max(10, len(words) // 2), restart=max(2, len(words) // 3))
    return [Place(group[0][0], group[-1][0] + 2) for group in groups
            if len({source for _, source in group}) >= max(1, _MIN_COVERAGE * len(own))
            ]  # fmt: skip


def _grouped(
    hits: Sequence[tuple[int, int]], gap: int, restart: int
) -> list[list[tuple[int, int]]]:
    """(position heard, position in the paragraph) hits, in groups of one place each: a hit
    starts a new place when it is more than `gap` words after the last, or more than `restart`
    words back in the paragraph from the furthest the place has heard (a repeat)."""
    groups: list[list[tuple[int, int]]] = []
    for hit in hits:
        if (
            groups
            and hit[0] - groups[-1][-1][0] <= gap
            and (hit[1] >= max(source for _, source in groups[-1]) - restart)
        ):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    return groups


def _heard_between(
    words: Sequence[str], transcript: Sequence[str], low: int, high: int
) -> Place | None:
    """A paragraph not found by word pairs (a one-word heading, a repeated line, a short line
    the model half heard), looked for between the paragraphs found around it: at least half
    its words, in order."""
    blocks = matched(words, transcript[low:high])
    if sum(b.size for b in blocks) < max(1, len(words) / 2):
        return None
    return _span(words, blocks, low)


def _widen(words: Sequence[str], core: Place, transcript: Sequence[str], low: int, high: int
           ) -> Place:  # fmt: skip
    """`core` (where a paragraph was found) widened to its edge words heard just beyond it, as
    far as the spans heard around it (`low`, `high`): a run of two or more of them, or one
    right beside it (a single common word further off is more likely another's)."""
    inner = matched(words, transcript[core.start : core.end])
    if not inner:
        return core
    first, stop = inner[0].a, inner[-1].a + inner[-1].size
    start, end = max(low, core.start - first), min(high, core.end + len(words) - stop)
    before = [m for m in matched(words[:first], transcript[start : core.start])
              if m.size > 1 or (m.a + 1, start + m.b + 1) == (first, core.start)]  # fmt: skip
    after = [m for m in matched(words[stop:], transcript[core.end : end])
             if m.size > 1 or (m.a, m.b) == (0, 0)]  # fmt: skip
    blocks = [*_moved(before, 0, start), *_moved(inner, 0, core.start),
              *_moved(after, stop, core.end)]  # fmt: skip
    return _span(words, blocks, 0)


def _moved(blocks: Sequence[difflib.Match], words: int, transcript: int) -> list[difflib.Match]:
    return [difflib.Match(m.a + words, m.b + transcript, m.size) for m in blocks]


def _span(words: Sequence[str], blocks: Sequence[difflib.Match], offset: int) -> Place:
    """The place the matched `blocks` (of words in the transcript from `offset`) cover."""
    first, last = blocks[0], blocks[-1]
    return Place(offset + first.b, offset + last.b + last.size, first.a,
                 len(words) - last.a - last.size)  # fmt: skip


def out_of_order(starts: Sequence[int | None]) -> set[int]:
    """The paragraphs heard out of the source's order, by where each was first heard (None:
    not found): one outside the longest run heard in source order, or one heard where neither
    its source predecessor nor its successor is beside it (so both halves of a swap are
    flagged)."""
    found = [index for index, start in enumerate(starts) if start is not None]
    heard_order = sorted(found, key=lambda index: starts[index] or 0)
    flagged = set(found) - _longest_in_order(heard_order)
    source_neighbours = _neighbours(found)
    for index, beside in _neighbours(heard_order).items():
        before, after = source_neighbours[index]
        if beside[0] != before and beside[1] != after:
            flagged.add(index)
    return flagged


def _neighbours(order: Sequence[int]) -> dict[int, tuple[int | None, int | None]]:
    """Each item of `order` and the items before and after it (None at an end)."""
    padded: list[int | None] = [None, *order, None]
    return {item: (padded[i], padded[i + 2]) for i, item in enumerate(order)}


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
