"""What a language gives the normalizer: its words for what every language has (numbers, long
codes, comparisons, web addresses) and its own steps."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from audio_edition.text.normalize.numbers import NumberWords

Step = Callable[[str], str]
"""One rewriting of the text."""


class LanguageTag(NamedTuple):
    """A BCP 47 tag as the rules read it: "en-GB" is ("en", "gb")."""

    primary: str
    """The primary subtag, lower case: the language."""
    rest: str
    """What follows it, lower case ("gb", "latn-rs"), or ""."""


@dataclass(frozen=True)
class LanguageRules:
    """One language's part of normalizing: what the common steps say, and the steps after them."""

    numbers: NumberWords
    """Its numbers in words (for headings, signs, digit groups and its own steps)."""
    long_code: str
    """What a long code (a hash, a key) becomes: words, or a pause."""
    comparisons: Mapping[str, str]
    """How "<", ">", "<=" and ">=" are said (the sign itself leaves it to the engine)."""
    web: Step
    """Reads URLs, bare domains and e-mail addresses (see web.web_step)."""
    text_steps: tuple[Step, ...]
    """Its steps after the common ones (abbreviations, symbols...), in order."""
    number_steps: tuple[Step, ...]
    """Its steps for text with digits, last, in order (empty where it has no number words)."""
    might_change: Callable[[str], bool]
    """Whether one of its own text steps could change ASCII text that no common step would."""
    sentence_goes_on: Callable[[str, str], bool] = lambda before, after: False
    """Whether a sentence the splitter ended (`before`) goes on in the next (`after`) in this
    language: German "am 3." and "Oktober" are one ("am dritten Oktober")."""
