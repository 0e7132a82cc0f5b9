"""Plain text to paragraphs, sentences and clip-sized parts, losing no word."""

from __future__ import annotations

import re

from syntok import segmenter

from .document import Document, Paragraph, Sentence

_LINE_BREAK = re.compile(r"\r\n?|[\f\v\u2028\u2029\x85]")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_HYPHEN_WRAP = re.compile(r"(?<=[^\W\d_])-\n[^\S\n]*(?=[^\W\d_])")
_CLAUSE_END = (",", ";", ":", ")", "\u2014", "\u2013", "-")
_SENTENCE_END = (".", "!", "?", ",", ";", ":")
_TITLE_MAX_CHARS = 100


def split_blocks(text: str) -> list[str]:
    """Split text into raw paragraph blocks at blank lines (CRLF, CR and form feeds handled)."""
    text = text.replace("\ufeff", "")
    # Form feeds and other page/paragraph separators end a paragraph, like a blank line.
    text = _LINE_BREAK.sub(lambda m: "\n" if m.group().startswith("\r") else "\n\n", text)
    return [block for block in _BLANK_LINE.split(text) if block.strip()]


def join_lines(block: str) -> str:
    """Join a hard-wrapped block into one line and collapse every kind of whitespace."""
    block = _HYPHEN_WRAP.sub("-", block)
    return " ".join(block.split())


def split_sentences(text: str) -> list[str]:
    """Sentences of a one-line paragraph, by syntok; the whole text if splitting would lose any."""
    sentences = [
        "".join(token.spacing + token.value for token in sentence).strip()
        for paragraph in segmenter.analyze(text)
        for sentence in paragraph
    ]
    sentences = [s for s in sentences if s]
    return sentences if " ".join(sentences) == text else [text]


def split_parts(sentence: str, max_words: int) -> tuple[str, ...]:
    """Cut a sentence into parts of at most `max_words` words, at a clause end where one is near."""
    words = sentence.split(" ")
    parts: list[str] = []
    while len(words) > max_words:
        cut = max_words
        for i in range(max_words, max_words // 2, -1):
            if words[i - 1].endswith(_CLAUSE_END):
                cut = i
                break
        parts.append(" ".join(words[:cut]))
        words = words[cut:]
    parts.append(" ".join(words))
    return _merge_wordless(parts)


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _merge_wordless(parts: list[str]) -> tuple[str, ...]:
    """Join a part with no letter or digit (a run of symbols) to its neighbour."""
    merged: list[str] = []
    for part in parts:
        if merged and (not _has_word(part) or not _has_word(merged[-1])):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return tuple(merged)


def _is_title_line(block: str) -> bool:
    line = block.strip()
    return "\n" not in line and len(line) <= _TITLE_MAX_CHARS and not line.endswith(_SENTENCE_END)


def segment(text: str, max_clip_words: int) -> Document:
    """Build a Document from plain text.

    Paragraphs and sentences without a letter or digit (``* * *``) are breaks, not speech.
    """
    blocks = [b for b in split_blocks(text) if _has_word(b)]
    title = join_lines(blocks[0]) if len(blocks) > 1 and _is_title_line(blocks[0]) else None
    paragraphs = []
    for index, block in enumerate(blocks):
        joined = join_lines(block)
        sentences = tuple(
            Sentence(text=s, parts=split_parts(s, max_clip_words))
            for s in split_sentences(joined)
            if _has_word(s)
        )
        spoken = " ".join(sentence.text for sentence in sentences)
        paragraphs.append(Paragraph(index=index, text=spoken, sentences=sentences))
    return Document(title=title, paragraphs=tuple(paragraphs))
