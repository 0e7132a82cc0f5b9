"""What the tests of the normalizer share."""

from __future__ import annotations

import dataclasses

from audio_edition.readers.text import parse_text
from audio_edition.text.segment import segment

_CLIP_WORDS = 500  # no clip is cut inside a test's sentence


def said(text: str, language: str = "en") -> str:
    """`text` as `spoken` reads it: parsed, cut into sentences by the splitter (and the
    language's sentence_goes_on), each normalized, joined by spaces."""
    manuscript = dataclasses.replace(parse_text(text), language=language)
    return " ".join(
        part.spoken
        for paragraph in segment(manuscript, _CLIP_WORDS).paragraphs
        for sentence in paragraph.sentences
        for part in sentence.parts
    )
