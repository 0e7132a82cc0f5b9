"""The document model: what readers find (a Manuscript) and what is spoken (a Document)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

_WORD = re.compile(r"[^\W_]+")
_LANGUAGE_TAG = re.compile(
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}"  # language (ISO 639), extended language subtags
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"  # variants
    r"(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*"  # extensions
    r"(?:-x(?:-[a-z0-9]{1,8})+)?"  # private use
    r"|x(?:-[a-z0-9]{1,8})+)"  # private use alone
)
"""A BCP 47 (RFC 5646) language tag, lowercased. Its primary language subtag has 2 or 3
letters: the longer forms the grammar reserves are not registered (and so "english" or
"false" is refused); the irregular grandfathered tags ("i-klingon") are refused too."""


@dataclass(frozen=True)
class Cover:
    """A cover image, embedded in the audio's tags."""

    data: bytes
    """The image file's bytes."""
    mime: str
    """Its type: "image/jpeg" or "image/png"."""


MAX_HEADING_LEVEL = 6
"""The deepest heading level kept (HTML's h6); a deeper one (a PDF outline's) is read as it."""


@dataclass(frozen=True)
class ManuscriptSection:
    """A run of text under one heading, as a reader found it."""

    heading: str | None
    """The heading's text; None for text before the first heading."""
    blocks: tuple[str, ...]
    """Its paragraphs' text (list items, table rows, quotes), in reading order."""
    speakers: tuple[str | None, ...] = ()
    """Who speaks each block, where its markup names them (HTML ``data-voice``, Markdown
    ``{voice=Holmes}`` or ``<!-- voice: Holmes -->``), else None; empty when no block is
    marked."""
    level: int = 1
    """The heading's level: 1 for a top one (``#``, ``<h1>``, a part), 2 under it, and so on
    to MAX_HEADING_LEVEL; 1 for text before the first heading."""


@dataclass(frozen=True)
class Manuscript:
    """A written piece as a reader found it: words only, no markup."""

    title: str | None
    """The piece's title, from its metadata or first heading."""
    author: str | None
    """Its author, from its metadata."""
    language: str | None
    """Its language tag ("en", "fr-FR"), from its metadata."""
    sections: tuple[ManuscriptSection, ...]
    """Its text, in reading order."""
    cover: Cover | None = None
    """Its cover image, when it has one."""
    summary: str | None = None
    """A short description of it, from its metadata."""
    date: str | None = None
    """When it was published, as its metadata writes it."""
    identifier: str | None = None
    """Its own identifier (an id, an ISBN, a URN), from its metadata."""
    cast: Mapping[str, object] | None = None
    """Its ``cast:`` table (speaker names to voices), from its front matter, unchecked."""


SOMEONE = "someone"
"""The speaker of a quotation whose speaker no markup, attribution or exchange names."""


@dataclass(frozen=True)
class Part:
    """A piece of a sentence short enough for one clip."""

    text: str
    """As written."""
    spoken: str
    """As the engine is given it (normalized for speech)."""
    speaker: str | None = None
    """Who says it: None for the narrator; for speech, the speaker's name, or SOMEONE."""


@dataclass(frozen=True)
class Sentence:
    """One sentence of a paragraph, with the pieces it is spoken in."""

    text: str
    """The sentence as written, whitespace collapsed."""
    parts: tuple[Part, ...]
    """Pieces for one clip each; their written texts joined by spaces give `text` back, but
    where a speaker's quotation mark touches a word (said,“Come): there, by nothing."""

    @property
    def spoken(self) -> str:
        """The sentence as the engine is given it."""
        return " ".join(part.spoken for part in self.parts)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: the unit separated by a paragraph pause."""

    index: int
    """Position in the document, from 0."""
    text: str
    """The paragraph as written, whitespace collapsed."""
    sentences: tuple[Sentence, ...]
    """Its sentences, in order; joined by spaces they give `text` back."""
    heading: bool = False
    """Whether this paragraph is its section's heading."""

    @property
    def spoken(self) -> str:
        """The paragraph as the engine is given it."""
        return " ".join(sentence.spoken for sentence in self.sentences)


@dataclass(frozen=True)
class Section:
    """A heading and the paragraphs under it; the heading, when there is one, comes first."""

    heading: str | None
    """The heading as written; None for text before the first heading."""
    paragraphs: tuple[Paragraph, ...]
    """Its paragraphs, the heading's first."""
    level: int = 1
    """The heading's level (see ManuscriptSection.level)."""


@dataclass(frozen=True)
class Document:
    """A written piece ready to be spoken."""

    title: str | None
    """The piece's title, when it has one."""
    sections: tuple[Section, ...]
    """Its sections, in reading order (one, with no heading, for a text without headings)."""
    author: str | None = None
    """Its author, when its metadata names one."""
    language: str | None = None
    """The language it is spoken in."""
    cover: Cover | None = None
    """Its cover image."""
    summary: str | None = None
    """A short description of it, from its metadata."""
    date: str | None = None
    """When it was published, as its metadata writes it."""
    identifier: str | None = None
    """Its own identifier, from its metadata."""

    @cached_property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        """Every paragraph, in reading order."""
        return tuple(paragraph for section in self.sections for paragraph in section.paragraphs)

    @property
    def text(self) -> str:
        """The whole text as written, paragraphs separated by blank lines (used as lyrics)."""
        return "\n\n".join(paragraph.text for paragraph in self.paragraphs)


SYLLABLE_WORDS = 0.6
"""A character of a script that writes a syllable (or a mora) a character, Han, kana or
Hangul, takes this much of a word's time to say. Measured with eSpeak NG at 160 and 250 wpm,
in words' time a character: Cantonese 0.60-0.78, Mandarin 1.05-1.35 (eSpeak NG 1.51 reads its
tone numbers aloud), Japanese 0.36-0.45 in kana and 1.1-2.0 with kanji (which it names one by
one), Korean 0.56-0.65; the length check's bounds (LENGTH_FACTORS) hold all of them."""
UNSPACED_LETTER_WORDS = 0.33
"""A letter of a script written without spaces between words (Thai, Lao, Khmer, Myanmar)
takes this much of a word's time to say (eSpeak NG, Thai, at 160 and 250 wpm: 0.31-0.35)."""
_SYLLABIC = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\uff66-\uff9f\U00020000-\U0003134f]"
)
"""Hiragana, katakana, CJK ideographs and Hangul syllables: a syllable or a mora each."""
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
"""Thai, Lao, Myanmar and Khmer, written without spaces between words."""


def count_words(text: str) -> int:
    """Words in `text` as a speaker counts them: runs of letters or digits."""
    return len(_WORD.findall(text))


def script_counts(text: str) -> tuple[int, int, int]:
    """The words of `text` written with spaces, its syllabic characters (_SYLLABIC) and its
    letters of scripts written without spaces (_UNSPACED)."""
    syllables = len(_SYLLABIC.findall(text))
    letters = len(_UNSPACED.findall(text))
    words = count_words(_UNSPACED.sub(" ", _SYLLABIC.sub(" ", text)))
    return words, syllables, letters


IPA_OPEN, IPA_BETWEEN, IPA_CLOSE = "\ue000", "\ue001", "\ue002"
"""The marks around a word said in IPA in spoken text (see audio_edition.text.phonemes)."""
_IPA_PART = re.compile(f"{IPA_OPEN}|{IPA_BETWEEN}[^{IPA_CLOSE}]*{IPA_CLOSE}")


def spoken_words(text: str) -> float:
    """How many words' time `text` takes to say: its words (a word said in IPA counts as its
    respelling), and its characters of scripts written without spaces (SYLLABLE_WORDS,
    UNSPACED_LETTER_WORDS)."""
    words, syllables, letters = script_counts(_IPA_PART.sub("", text))
    return words + syllables * SYLLABLE_WORDS + letters * UNSPACED_LETTER_WORDS


def not_a_language_tag(value: object) -> str:
    """How a message says that `value` is no language tag."""
    return f"{value!r} is not a BCP 47 language tag (such as en, en-US or pt-BR)"


def language_tag(tag: str) -> str | None:
    """`tag` as a BCP 47 language tag in its conventional case ("en_US" and "EN-us" give
    "en-US", "zh_hant_tw" gives "zh-Hant-TW"); None when it is not one."""
    lowered = tag.strip().replace("_", "-").lower()
    if not tag.isascii() or not _LANGUAGE_TAG.fullmatch(lowered):
        return None
    subtags = lowered.split("-")
    cased, extension = subtags[:1], len(subtags[0]) == 1
    for subtag in subtags[1:]:
        extension = extension or len(subtag) == 1  # all after a singleton stays lower case
        if not extension and subtag.isalpha() and len(subtag) in (2, 4):
            subtag = subtag.upper() if len(subtag) == 2 else subtag.title()  # region, script
        cased.append(subtag)
    return "-".join(cased)
