"""English: the common rules, then words for web addresses, phone numbers, abbreviations, roman
numerals, symbols, and numbers, dates, times and measures in words. A long code is "a long code";
comparisons are "less than", "greater than", "less than or equal to", "greater than or equal to"
("I <3 NY" is "I less than three NY")."""

from __future__ import annotations

import functools

from audio_edition.text.normalize.languages.en import dates, measures, numbers, text
from audio_edition.text.normalize.languages.en.numbers import NUMBERS
from audio_edition.text.normalize.languages.en.words import COMPARISONS
from audio_edition.text.normalize.rules import LanguageRules, LanguageTag
from audio_edition.text.normalize.web import web_step

_MONTH_FIRST_REGIONS = frozenset({"", "us"})
"""English regions that write the month first (3/4/2021 is March fourth); others, and every
dotted date, put the day first."""
_TEXT_STEPS = (
    numbers.vulgar_fractions,
    text.file_extensions,
    text.abbreviations,
    text.phones,
    text.roman_numerals,
    text.symbols,
)
_WEB = web_step(text.say_host, text.say_email, text.say_path)


def rules(tag: LanguageTag) -> LanguageRules:
    """The rules for English in `tag`'s region."""
    return _rules(tag.rest in _MONTH_FIRST_REGIONS)


@functools.cache
def _rules(month_first: bool) -> LanguageRules:
    number_steps = (
        dates.iso_dates,
        dates.slashed_dates(month_first),
        numbers.fractions,
        numbers.addresses_and_versions,
        measures.dimensions,
        measures.units,
        NUMBERS.digit_chains,
        numbers.ranges,
        dates.clock_times,
        dates.month_dates,
        NUMBERS.signs,
        measures.money,
        numbers.decades,
        numbers.ordinals,
        NUMBERS.percent_step("percent"),
        numbers.plain_numbers,
    )
    return LanguageRules(
        numbers=NUMBERS,
        long_code=" a long code ",
        comparisons=COMPARISONS,
        web=_WEB,
        text_steps=_TEXT_STEPS,
        number_steps=number_steps,
        might_change=text.might_change,
        sentence_goes_on=text.sentence_goes_on,
    )
