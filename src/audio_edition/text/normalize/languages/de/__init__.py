"""German: the common rules, then abbreviations ("z. B.", "Nr. 5", "Dr."), "&" as "und", and
numbers, ordinals, dates, times, years, money and units in words (see steps and continental). A
long code is a pause; comparisons are "kleiner als", "größer als", "kleiner oder gleich",
"größer oder gleich"; web hosts and e-mail addresses are left for the engine."""

from __future__ import annotations

import functools

from audio_edition.text.normalize.languages import continental
from audio_edition.text.normalize.languages.de import steps
from audio_edition.text.normalize.languages.de.steps import NUMBERS
from audio_edition.text.normalize.languages.de.words import (
    ABBREVIATIONS,
    COMPARISONS,
    CURRENCIES,
    UNITS,
)
from audio_edition.text.normalize.rules import LanguageRules, LanguageTag

_ABBREVIATIONS, _HAS_ABBREVIATION = continental.abbreviation_step(ABBREVIATIONS)
_ABBREVIATIONS_GO_ON = continental.sentence_goes_on(ABBREVIATIONS, also=UNITS)
_ROMAN_AFTER_NAME, _HAS_ROMAN_AFTER_NAME = continental.roman_after_name_step(
    steps.roman_after, ordinal_period=True
)


def _sentence_goes_on(before: str, after: str) -> bool:
    return steps.ordinal_goes_on(before, after) or _ABBREVIATIONS_GO_ON(before, after)


def _might_change(text: str) -> bool:
    return _HAS_ABBREVIATION(text) or _HAS_ROMAN_AFTER_NAME(text)


def rules(tag: LanguageTag) -> LanguageRules:
    """The rules for German."""
    return _rules()


@functools.cache
def _rules() -> LanguageRules:
    number_steps = (
        continental.numeric_dates(steps.say_date),
        steps.days_and_months,
        steps.clock_times,
        steps.ordinals,
        continental.ranges_step("bis"),
        NUMBERS.digit_chains,
        NUMBERS.signs,
        continental.money_step(NUMBERS, CURRENCIES, steps.count, " "),
        continental.units_step(NUMBERS, UNITS, steps.count),
        steps.decades,
        steps.one_before_noun,
        continental.plain_step(NUMBERS, steps.year_words),
    )
    return continental.language_rules(
        NUMBERS,
        COMPARISONS,
        text_steps=(
            _ABBREVIATIONS,
            _ROMAN_AFTER_NAME,
            continental.ampersand_step("und"),
        ),
        number_steps=number_steps,
        might_change=_might_change,
        goes_on=_sentence_goes_on,
    )
