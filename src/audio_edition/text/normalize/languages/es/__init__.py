"""Spanish: the common rules, then abbreviations ("Sr.", "p. ej.", "n.º 5"), centuries in roman
numerals, "&" as "y", and numbers, ordinals, dates, times, money and units in words (see steps
and continental). A long code is a pause; comparisons are "menor que", "mayor que", "menor o
igual que", "mayor o igual que"; web hosts and e-mail addresses are left for the engine."""

from __future__ import annotations

import functools

from audio_edition.text.normalize.languages import continental
from audio_edition.text.normalize.languages.es import steps
from audio_edition.text.normalize.languages.es.steps import NUMBERS
from audio_edition.text.normalize.languages.es.words import (
    ABBREVIATIONS,
    COMPARISONS,
    CURRENCIES,
    NOT_NAMES,
    UNITS,
)
from audio_edition.text.normalize.rules import LanguageRules, LanguageTag

_FIRST_DAY_CARDINAL_REGIONS = frozenset({"", "es"})
"""Regions that say the first day of a month "uno" ("uno de mayo"); the others say "primero"."""
_ABBREVIATIONS, _HAS_ABBREVIATION = continental.abbreviation_step(ABBREVIATIONS, NOT_NAMES)
_SENTENCE_GOES_ON = continental.sentence_goes_on(ABBREVIATIONS)
_ROMAN_AFTER_NAME, _HAS_ROMAN_AFTER_NAME = continental.roman_after_name_step(
    lambda word, value: steps.regnal(value)
)


def rules(tag: LanguageTag) -> LanguageRules:
    """The rules for Spanish in `tag`'s region."""
    return _rules("uno" if tag.rest in _FIRST_DAY_CARDINAL_REGIONS else "primero")


def _might_change(text: str) -> bool:
    return _HAS_ABBREVIATION(text) or steps.might_change(text) or _HAS_ROMAN_AFTER_NAME(text)


@functools.cache
def _rules(first: str) -> LanguageRules:
    number_steps = (
        continental.numeric_dates(steps.say_date(first)),
        steps.clock_times,
        steps.ordinals,
        continental.ranges_step("a"),
        steps.first_days(first),
        NUMBERS.digit_chains,
        NUMBERS.signs,
        continental.money_step(NUMBERS, CURRENCIES, steps.count, " con "),
        continental.units_step(NUMBERS, UNITS, steps.count),
        steps.before_nouns,
        continental.plain_step(NUMBERS),
    )
    return continental.language_rules(
        NUMBERS,
        COMPARISONS,
        text_steps=(
            _ABBREVIATIONS,
            steps.centuries,
            _ROMAN_AFTER_NAME,
            continental.ampersand_step("y"),
        ),
        number_steps=number_steps,
        might_change=_might_change,
        goes_on=_SENTENCE_GOES_ON,
    )
