"""Every language without a module of its own: the common rules, and numbers in words where
num2words can say them (elsewhere digits stay for the engine).

Whole numbers and decimals are read with "." or a thin space between groups of three and ","
before decimals (a decimal stays as written where num2words has no plain "point" word); "%" is
kept for the engine, and so is a number before ". " and more text (German "1. Mai" is an
ordinal). A long code is a pause ("…"); comparisons, web hosts and e-mail addresses, and the
symbols English names, are left for the engine; asterisks and carets say nothing.
"""

from __future__ import annotations

import functools
import re

from audio_edition.text.normalize.common import drop_stars
from audio_edition.text.normalize.numbers import END, START, NumberWords, number_pattern
from audio_edition.text.normalize.rules import LanguageRules, LanguageTag
from audio_edition.text.normalize.web import host_as_written, web_step

_GROUP, _DECIMAL = ".", ","
# A number before ". " and more text stays: "1. Mai" may be an ordinal.
_PLAIN = re.compile(START + "(" + number_pattern(_GROUP, _DECIMAL) + ")" + END + r"(?!\.\s*\S)")
_SIGNS = {sign: sign for sign in ("<", ">", "<=", ">=")}
_WEB = web_step(host_as_written, None)


def _nothing_more(text: str) -> bool:
    """No step of its own changes what the common steps leave alone."""
    return False


def rules(tag: LanguageTag) -> LanguageRules:
    """The rules for `tag`'s language."""
    return _rules(tag.primary)


@functools.lru_cache(maxsize=64)
def _rules(language: str) -> LanguageRules:
    numbers = NumberWords(language, group=_GROUP, decimal=_DECIMAL)

    def plain_numbers(text: str) -> str:
        """Whole numbers and decimals to words."""
        return _PLAIN.sub(lambda m: numbers.number(m.group(1)), text)

    number_steps = (
        numbers.digit_chains,
        numbers.signs,
        numbers.percent_step("%"),
        plain_numbers,
    )
    return LanguageRules(
        numbers=numbers,
        long_code=" … ",
        comparisons=_SIGNS,
        web=_WEB,
        text_steps=(drop_stars,),
        number_steps=number_steps if numbers.digits is not None else (),
        might_change=_nothing_more,
    )
