"""Choosing which chapters are narrated (``--chapters 2-4,7``, or a title), and listing them
(``--list-chapters``), by the numbers and nesting of shape.timing.chapter_heads()."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from audio_edition.document import Document, count_words, spoken_words
from audio_edition.errors import OptionError
from audio_edition.shape.timing import ChapterHead, chapter_heads

_NUMBERS = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?")
"""A chapter's number, or a range of them ("2-4"), as a choice writes it."""


@dataclass(frozen=True)
class ChapterEntry:
    """A chapter as --list-chapters shows it."""

    number: int
    """Its number, from 1, as --chapters takes it."""
    title: str
    """Its title."""
    level: int
    """How deep it is nested (1: a top chapter)."""
    words: int
    """The words it holds as written (not its children's)."""
    seconds: float
    """How long it is estimated to take to say: its spoken words at the rate, with the pauses
    after its sentences and paragraphs."""


def chosen_chapters(heads: Sequence[ChapterHead], choice: str) -> list[int]:
    """The indexes of the chapters `choice` names and of the chapters in them, in order.

    `choice` is a comma-separated list of chapter numbers (from 1) and ranges ("2-4,7"), or
    of titles, matched whole, case and spacing aside; the whole choice is tried as a title
    first, so that a title may hold a comma. An OptionError says what is malformed or names
    nothing.
    """
    by_title: dict[str, list[int]] = {}
    for index, head in enumerate(heads):
        by_title.setdefault(_folded(head.title), []).append(index)
    items = [choice] if _folded(choice) in by_title else choice.split(",")
    chosen: set[int] = set()
    for item in items:
        chosen.update(_named(item, len(heads), by_title))
    for index, head in enumerate(heads):  # parents come before their chapters
        if head.parent in chosen:
            chosen.add(index)
    return sorted(chosen)


def _named(item: str, count: int, by_title: dict[str, list[int]]) -> Iterable[int]:
    """The indexes one item of a choice names (of `count` chapters): a number, a range or a
    title."""
    if not item.strip():
        raise OptionError(
            "chapters", ": an empty item; write numbers and ranges (2-4,7) or a title"
        )
    numbers = _NUMBERS.fullmatch(item)
    if numbers is not None:
        first, last = int(numbers.group(1)), int(numbers.group(2) or numbers.group(1))
        if not 1 <= first <= last <= count:
            raise OptionError("chapters", f": {item.strip()!r} is not among the chapters, 1 to "
                              f"{count}, first to last (see --list-chapters)")  # fmt: skip
        return range(first - 1, last)
    if _folded(item) not in by_title:
        raise OptionError("chapters", f": no chapter is titled {item.strip()!r} (see "
                          "--list-chapters)")  # fmt: skip
    return by_title[_folded(item)]


def _folded(text: str) -> str:
    """`text` as titles are matched: case and spacing aside."""
    return " ".join(text.split()).casefold()


def choose_chapters(document: Document, choice: str) -> Document:
    """The document with only the chapters `choice` names (see chosen_chapters()), its
    paragraphs numbered again from 0."""
    heads = chapter_heads(document)
    chosen = chosen_chapters(heads, choice)
    kept = {paragraph.index for i in chosen for paragraph in heads[i].paragraphs}
    sections, index = [], 0
    for section in document.sections:
        paragraphs = []
        for paragraph in section.paragraphs:
            if paragraph.index in kept:
                paragraphs.append(dataclasses.replace(paragraph, index=index))
                index += 1
        if paragraphs:
            sections.append(dataclasses.replace(section, paragraphs=tuple(paragraphs)))
    return dataclasses.replace(document, sections=tuple(sections))


def chapter_entries(
    document: Document, rate: int, sentence_pause_ms: int, paragraph_pause_ms: int
) -> list[ChapterEntry]:
    """Every chapter of the document, numbered, with its words and its estimated length at
    `rate` words per minute with these pauses."""
    entries = []
    for number, head in enumerate(chapter_heads(document), start=1):
        paragraphs = head.paragraphs
        said = sum(spoken_words(paragraph.spoken) for paragraph in paragraphs)
        sentences = sum(len(paragraph.sentences) for paragraph in paragraphs)
        between_sentences = sentences - len(paragraphs)
        pauses_ms = between_sentences * sentence_pause_ms + len(paragraphs) * paragraph_pause_ms
        seconds = said * 60 / rate + pauses_ms / 1000
        words = sum(count_words(paragraph.text) for paragraph in paragraphs)
        entries.append(ChapterEntry(number, head.title, head.level, words, seconds))
    return entries
