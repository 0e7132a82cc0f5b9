"""French: the common rules, then abbreviations ("M. Dupont", "Mme", "p. ex.", "n° 5"), "&" as
"et", and numbers, ordinals, dates, times, money and units in words (see steps and continental).
A long code is a pause; comparisons are "inférieur à", "supérieur à", "inférieur ou égal à",
"supérieur ou égal à"; a king's or a chapter's roman numeral is a cardinal ("Louis XIV",
"Louis quatorze"); web hosts and e-mail addresses are left for the engine."""

from __future__ import annotations

import functools

from audio_edition.text.normalize.languages import continental
from audio_edition.text.normalize.languages.fr import steps
from audio_edition.text.normalize.languages.fr.steps import NUMBERS
from audio_edition.text.normalize.languages.fr.words import (
    ABBREVIATIONS,
    COMPARISONS,
    CURRENCIES,
    NOT_NAMES,
    UNITS,
)
from audio_edition.text.normalize.rules import LanguageRules, LanguageTag

_ABBREVIATIONS, _HAS_ABBREVIATION = continental.abbreviation_step(ABBREVIATIONS, NOT_NAMES)
_SENTENCE_GOES_ON = continental.sentence_goes_on(ABBREVIATIONS)
_ROMAN_AFTER_NAME, _HAS_ROMAN_AFTER_NAME = continental.roman_after_name_step(
    lambda word, value: NUMBERS.integer(str(value))
)  # "Louis XIV", "Chapitre IX": "Louis quatorze", "Chapitre neuf"


def rules(tag: LanguageTag) -> LanguageRules:
    """The rules for French."""
    return _rules()


def _might_change(text: str) -> bool:
    return _HAS_ABBREVIATION(text) or steps.might_change(text) or _HAS_ROMAN_AFTER_NAME(text)


@functools.cache
def _rules() -> LanguageRules:
    number_steps = (
        continental.numeric_dates(steps.say_date),
        steps.clock_times,
        steps.ordinals,
        continental.ranges_step("à"),
        NUMBERS.digit_chains,
        NUMBERS.signs,
        continental.money_step(NUMBERS, CURRENCIES, steps.count, " "),
        continental.units_step(NUMBERS, UNITS, steps.count),
        continental.plain_step(NUMBERS),
    )
    return continental.language_rules(
        NUMBERS,
        COMPARISONS,
        text_steps=(
            _ABBREVIATIONS,
            steps.roman_ordinals,
            _ROMAN_AFTER_NAME,
            continental.ampersand_step("et"),
        ),
        number_steps=number_steps,
        might_change=_might_change,
        goes_on=_SENTENCE_GOES_ON,
    )
