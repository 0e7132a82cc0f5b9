"""The document model every reader produces and every later stage consumes."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a paragraph, with the pieces it is spoken in."""

    text: str
    """The sentence, whitespace collapsed."""
    parts: tuple[str, ...]
    """Pieces short enough for one clip each; joined by spaces they give `text` back."""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: the unit separated by a paragraph pause."""

    index: int
    """Position in the document, from 0."""
    text: str
    """The paragraph, whitespace collapsed."""
    sentences: tuple[Sentence, ...]
    """Its sentences, in order; joined by spaces they give `text` back."""


@dataclass(frozen=True)
class Document:
    """A written piece ready to be spoken."""

    title: str | None
    """The piece's title, when the text has one."""
    paragraphs: tuple[Paragraph, ...]
    """Every paragraph, in reading order."""

    @property
    def text(self) -> str:
        """The whole text, paragraphs separated by blank lines (used as lyrics)."""
        return "\n\n".join(paragraph.text for paragraph in self.paragraphs)


def count_words(text: str) -> int:
    """Words in `text` as a speaker counts them: runs of letters or digits."""
    return len(_WORD.findall(text))
