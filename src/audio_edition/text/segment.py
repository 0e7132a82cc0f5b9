"""A Manuscript to paragraphs, sentences and clip-sized parts, normalized for speech, losing no
word."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence

from syntok import segmenter

from audio_edition.document import (
    Document,
    Manuscript,
    Paragraph,
    Part,
    Section,
    Sentence,
    spoken_words,
)
from audio_edition.text.dialogue import Block, Speaker, Speech, find_speech
from audio_edition.text.normalize import Normalizer
from audio_edition.text.normalize.languages.en.words import MONTH_WORDS

_HYPHEN_WRAP = re.compile(r"(?<=[^\W_])-\n[^\S\n]*(?=[^\W_])")  # "star-\ncrossed", "1990-\n1995"
_CLAUSE_END = (",", ";", ":", ")", "\u2014", "\u2013", "-")
_NUMERIC = re.compile(r"[0-9$\u00a3\u20ac\u00a5]")
_SPOKEN_WITH_NUMBERS = re.compile(
    r"(?:thousand|million|billion|trillion|percent|[ap]\.?m\.?|BC|AD|BCE|CE)\b|%",
    re.IGNORECASE,
)


Run = tuple[str, str | None]
"""A run of a sentence's text, and who says it (None: the narrator)."""

_FULL_STOP = re.compile("(?<=[\u3002\uff01\uff1f])(?=[^\\s\u300d\u300f\uff09\u201d])")
"""After a full-width full stop, question or exclamation mark (Chinese, Japanese), where
syntok, which splits at spaces, sees no end of sentence; closing quotes stay with it."""


def join_lines(block: str) -> str:
    """Join a hard-wrapped block into one line and collapse every kind of whitespace."""
    block = _HYPHEN_WRAP.sub("-", block)
    return " ".join(block.split())


def split_sentences(
    text: str, goes_on: Callable[[str, str], bool] = lambda before, after: False
) -> list[str]:
    """Sentences of a one-line paragraph, by syntok, but where `goes_on` (the language's
    Normalizer.sentence_goes_on) says a sentence goes on; the whole text if splitting would
    lose any."""
    sentences = [
        "".join(token.spacing + token.value for token in sentence).strip()
        for paragraph in segmenter.analyze(text)
        for sentence in paragraph
    ]
    sentences = [s for s in sentences if s]
    for i in range(len(sentences) - 1, 0, -1):
        before, after = sentences[i - 1], sentences[i]
        if goes_on(before, after):
            sentences[i - 1 : i + 1] = [f"{sentences[i - 1]} {sentences[i]}"]
    if " ".join(sentences) != text:
        sentences = [text]
    return [piece for sentence in sentences for piece in _FULL_STOP.split(sentence) if piece]


def _joined_in_speech(left: str, right: str) -> bool:
    """Whether two words are read as one expression, so no clip may end between them:
    "$3 million", "March 15, 2024", "10:30 p.m.", "5 to 7"."""
    return bool(
        (_NUMERIC.search(left) or left.rstrip(".,").title() in MONTH_WORDS)
        and (_NUMERIC.match(right) or _SPOKEN_WITH_NUMBERS.match(right))
    )


def split_parts(sentence: str, max_words: int) -> tuple[str, ...]:
    """Cut a sentence into parts of at most `max_words` words, at a clause end where one is near,
    never inside an expression read as one (see `_joined_in_speech`) unless there is no other
    place."""
    words = sentence.split(" ")
    parts: list[str] = []
    while len(words) > max_words:
        cuts = [i for i in range(max_words, 0, -1)
                if not _joined_in_speech(words[i - 1], words[i])] or [max_words]  # fmt: skip
        near = [i for i in cuts if i > max_words // 2]
        cut = next((i for i in near if words[i - 1].endswith(_CLAUSE_END)), cuts[0])
        parts.append(" ".join(words[:cut]))
        words = words[cut:]
    parts.append(" ".join(words))
    return _merge_wordless(parts)


def has_word(text: str) -> bool:
    """Whether `text` has a letter or digit, i.e. anything to say."""
    return any(ch.isalnum() for ch in text)


def _merge_wordless(parts: list[str]) -> tuple[str, ...]:
    """Join a part with no letter or digit (a run of symbols) to its neighbour."""
    merged: list[str] = []
    for part in parts:
        if merged and (not has_word(part) or not has_word(merged[-1])):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return tuple(merged)


def spoken_parts(
    sentence: str,
    max_words: int,
    normalizer: Normalizer,
    heading: bool,
    speaker: str | None = None,
) -> tuple[Part, ...]:
    """The sentence's (or a speaker's run of it) clips, each normalized, cut until each
    clip's *spoken* words fit `max_words` (a number or symbol may speak as several words)."""
    parts = []
    pending = [sentence]
    while pending:
        text = pending.pop(0)
        said = normalizer.spoken_form(text, heading=heading)
        spoken = spoken_words(said)
        written_words = len(text.split(" "))
        if spoken > max_words and written_words > 1:
            budget = max(1, min(written_words - 1, int(max_words * written_words / spoken)))
            pending[:0] = split_parts(text, budget)
            continue
        parts.append(Part(text=text, spoken=said if has_word(said) else text, speaker=speaker))
    return tuple(parts)


def _speakers_runs(sentence: str, offset: int, speech: Sequence[Speech]) -> list[Run]:
    """The sentence (at `offset` in its paragraph) cut into runs of one speaker each (None:
    the narrator) at the edges of its spans of `speech`, even inside a word (said,“Come); a
    run with no letter or digit joins the run before it, or else the one after it."""
    cuts: dict[int, str | None] = {0: None}
    for span in speech:
        start, end = max(span.start - offset, 0), min(span.end - offset, len(sentence))
        if start < end:
            cuts[start] = span.speaker
            cuts.setdefault(end, None)
    edges = sorted(cuts.items())
    bounds = [end for end, _ in edges[1:]] + [len(sentence)]
    runs: list[tuple[int, int, str | None]] = []
    for (start, who), end in zip(edges, bounds, strict=True):
        if not sentence[start:end].strip():
            continue
        if runs and not has_word(sentence[start:end]):
            runs[-1] = (runs[-1][0], end, runs[-1][2])
        elif runs and not has_word(sentence[runs[-1][0] : runs[-1][1]]):
            runs[-1] = (runs[-1][0], end, who)
        else:
            runs.append((start, end, who))
    return [(sentence[start:end].strip(), who) for start, end, who in runs]


def _sentence(
    text: str, runs: list[Run], max_words: int, normalizer: Normalizer, heading: bool
) -> Sentence:
    parts = (spoken_parts(t, max_words, normalizer, heading, who) for t, who in runs)
    return Sentence(text=text, parts=tuple(part for run in parts for part in run))


def _paragraph(
    index: int,
    block: str,
    max_words: int,
    normalizer: Normalizer,
    heading: bool,
    speech: Sequence[Speech] = (),
) -> Paragraph | None:
    joined = join_lines(block)
    found, offset, first = [], 0, 0
    pieces = split_sentences(joined, normalizer.sentence_goes_on) if not heading else [joined]
    for piece in pieces:
        offset = joined.index(piece, offset)
        end = offset + len(piece)
        while first < len(speech) and speech[first].end <= offset:
            first += 1  # spans are in order: those before this sentence are done with
        last = first
        while last < len(speech) and speech[last].start < end:
            last += 1
        inside = speech[first:last]
        if has_word(piece):
            runs: list[Run] = _speakers_runs(piece, offset, inside) if inside else [(piece, None)]
            found.append(_sentence(piece, runs, max_words, normalizer, heading))
        offset = end
    sentences = tuple(found)
    if not sentences:
        return None
    written = " ".join(sentence.text for sentence in sentences)
    return Paragraph(index=index, text=written, sentences=sentences, heading=heading)


def dialogue_blocks(manuscript: Manuscript) -> list[Block]:
    """Every block as dialogue is found in it, each section's heading first."""
    sections = []
    for raw in manuscript.sections:
        heading = join_lines(raw.heading) if raw.heading and has_word(raw.heading) else None
        marked = raw.speakers or (None,) * len(raw.blocks)
        blocks = [
            Block(join_lines(text), speaker=who)
            for text, who in zip(raw.blocks, marked, strict=True)
        ]
        sections += ([Block(heading, heading=True)] if heading else []) + blocks
    return sections


def _speech(
    manuscript: Manuscript, speakers: Sequence[Speaker] | None
) -> Iterator[Sequence[Speech]]:
    """Every block's spans of speech, in the order dialogue_blocks gives them (none without
    a cast)."""
    if speakers is None:
        return itertools.repeat(())
    return iter(find_speech(dialogue_blocks(manuscript), speakers))


def segment(
    manuscript: Manuscript,
    max_clip_words: int,
    normalizer: Normalizer | None = None,
    speakers: Sequence[Speaker] | None = None,
) -> Document:
    """Build a Document: paragraphs cut into sentences and clips, each normalized for speech.

    Paragraphs and sentences without a letter or digit (``* * *``) are breaks, not speech; a
    section left with no words is dropped. A heading is one paragraph, spoken whole. With
    `speakers` (a cast, possibly empty), speech is found and each part given its speaker.
    """
    normalizer = normalizer or Normalizer(manuscript.language or "en")
    speech = _speech(manuscript, speakers)
    sections = []
    index = 0
    for raw in manuscript.sections:
        heading = join_lines(raw.heading) if raw.heading and has_word(raw.heading) else None
        paragraphs = []
        blocks = [(heading, True)] if heading else []
        for text, is_heading in [*blocks, *((block, False) for block in raw.blocks)]:
            paragraph = _paragraph(
                index, text, max_clip_words, normalizer, is_heading, next(speech)
            )
            if paragraph is not None:
                paragraphs.append(paragraph)
                index += 1
        if paragraphs:
            sections.append(Section(heading, tuple(paragraphs), raw.level))
    return Document(
        title=manuscript.title,
        sections=tuple(sections),
        author=manuscript.author,
        language=manuscript.language or normalizer.language,
        cover=manuscript.cover,
        summary=manuscript.summary,
        date=manuscript.date,
        identifier=manuscript.identifier,
    )
