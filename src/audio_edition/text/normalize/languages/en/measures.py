"""English measures in words: money, units after a number, dimensions.

"$5.99" is "five dollars and ninety-nine cents", "$3m" and "$3 m" "three million dollars", "$.50"
"fifty cents", "$15/mo" "fifteen dollars a month" (`words.MONEY_PERIODS`), "₩120 billion" "one
hundred and twenty billion won" (`words.CURRENCIES`); units after a number (`words.UNITS`;
`words.GLUED_UNITS` only without a space; "per" for "/"; "square" and "cubic" for ² and ³), also
after a scale word ("250 million kg"), are plural except after 1 or when the measure describes a
noun ("a 9V battery", "the 10-km race"); "2x8" is "two by eight".
"""

from __future__ import annotations

import re

from audio_edition.text.normalize.common import alternation
from audio_edition.text.normalize.languages.en.numbers import NUMBER, NUMBERS, PLURAL_NEXT, YEAR
from audio_edition.text.normalize.languages.en.words import (
    CAPITAL_UNITS,
    CURRENCIES,
    CURRENCY_SIGNS,
    GLUED_UNITS,
    LETTER_UNITS,
    MONEY_PERIODS,
    NOT_MEASURED,
    PER_UNITS,
    POWERS,
    SCALE_ABBREVIATIONS,
    UNITS,
    Currency,
)

_SCALE = r"thousand|million|billion|trillion"
_POWER = "[" + "".join(POWERS) + "]"
_UNIT = re.compile(
    r"(?<![\w.,"
    + CURRENCY_SIGNS
    + r"])(?<![A-Z]-)("
    + NUMBER
    + r"(?:\s(?:"
    + _SCALE
    + r")(?=\s))?)(?:(\s?|-)("
    + alternation(UNITS)
    + "|(?:"
    + alternation(GLUED_UNITS)
    + ")(?="
    + _POWER
    + r"))|()("
    + alternation(GLUED_UNITS)
    + "))?("
    + _POWER
    + r")?(?:/("
    + alternation(PER_UNITS)
    + r"))?(?![\w/])"
)
_NAME_OR_NUMBER_NEXT = re.compile(r"\s+[A-Z0-9]")
_A_BEFORE = re.compile(r"(?<!\w)(?:a|an)\s+\Z", re.IGNORECASE)
_NOUN_AFTER = re.compile(r"[ -](?!(?:" + "|".join(NOT_MEASURED) + r")\b)[a-z]")
_CENTS_ONLY = re.compile(r"(?<![\w.])\$\.([0-9]{1,2})(?![0-9])")
_DIMENSIONS = re.compile(
    r"(?<![\w.])(?!0x)([0-9]+(?:\.[0-9]+)?)(?:\s?x\s?([0-9]+(?:\.[0-9]+)?)){1,2}(?!\w|\.[0-9])"
)
_DIMENSION_PART = re.compile(r"\s?x\s?")
_MONEY = re.compile(
    "(["
    + CURRENCY_SIGNS
    + r"])\s?("
    + NUMBER
    + r")(?:\s+("
    + _SCALE
    + r")\b|\s?("
    + alternation(SCALE_ABBREVIATIONS)
    + r")(?![\w-]))?(?:/("
    + alternation(MONEY_PERIODS)
    + r"))?(?!\w)"
)


def dimensions(text: str) -> str:
    """ "2x8", "3 x 4 x 5" -> "2 by 8", "3 by 4 by 5" (the numbers read later; the times sign is
    already "times")."""
    if "x" not in text:
        return text
    return _DIMENSIONS.sub(lambda m: _DIMENSION_PART.sub(" by ", m.group()), text)


def units(text: str) -> str:
    """ "12kg" -> "12 kilograms", "1 km" -> "1 kilometer", "30 km/h" -> "30 kilometers per
    hour", "12/kg" -> "12 per kilogram" (the numbers read later); "$.50" -> "$0.50"."""
    text = _CENTS_ONLY.sub(r"$0.\1", text)
    return _UNIT.sub(_unit, text)


def _unit(match: re.Match[str]) -> str:
    number, unit, glued, power, per = match.group(1, 3, 5, 6, 7)
    if unit is None and glued is None and per is None:
        return match.group()
    if (match.group(2) or "").isspace() and unit in LETTER_UNITS and not (power or per):
        if unit == "m" and PLURAL_NEXT.match(match.string, match.end()):
            return f"{number} million"  # "5 m people"
        if _no_unit(match, unit):
            return match.group()
    one = number == "1" or match.group(2) == "-" or _attributive(match)
    words = [POWERS[power]] if power else []
    if unit is not None or glued is not None:
        singular, plural = UNITS.get(unit or "") or GLUED_UNITS[unit or glued]
        words.append(singular if one else plural)
    if per is not None:
        words.append(f"per {PER_UNITS[per]}")
    return f"{number} {' '.join(words)}"


def _no_unit(match: re.Match[str], letter: str) -> bool:
    """Whether a spaced unit that is also a letter (`words.LETTER_UNITS`) is a name, an initial
    or a direction here: "350 W 42nd St.", "1967 MG", "the 5 W bus"."""
    text, end = match.string, match.end()
    if _NAME_OR_NUMBER_NEXT.match(text, end):
        return True
    if letter in CAPITAL_UNITS:
        return YEAR.fullmatch(match.group(1)) is not None
    noun_next = _NOUN_AFTER.match(text, end) is not None
    return letter in "WV" and noun_next and not _A_BEFORE.search(text, 0, match.start())


def _attributive(match: re.Match[str]) -> bool:
    """Whether a measure describes the noun after it, "a 9V battery" (a nine volt battery)."""
    text = match.string
    return bool(_A_BEFORE.search(text, 0, match.start()) and _NOUN_AFTER.match(text, match.end()))


def money(text: str) -> str:
    """ "$5.99" -> "five dollars and ninety-nine cents"; "$3m" -> "three million dollars";
    "$15/mo" -> "fifteen dollars a month"."""
    return _MONEY.sub(_money, text)


def _money(match: re.Match[str]) -> str:
    period = match.group(5)
    return _amount(match) + (f" {MONEY_PERIODS[period]}" if period else "")


def _amount(match: re.Match[str]) -> str:
    currency, number = CURRENCIES[match.group(1)], match.group(2)
    scale = match.group(3) or SCALE_ABBREVIATIONS.get(match.group(4) or "")
    lead = " " if match.string[match.start() - 1 : match.start()].isalnum() else ""
    fraction = number.partition(".")[2]
    if scale:
        return f"{lead}{NUMBERS.number(number)} {scale} {currency.many}"
    if fraction and (len(fraction) > 2 or currency.cents is None):
        return f"{lead}{NUMBERS.number(number)} {currency.many}"
    return lead + _dollars_and_cents(number, currency)


def _dollars_and_cents(number: str, currency: Currency) -> str:
    """ "5.99" -> "five dollars and ninety-nine cents" (at most two decimals)."""
    whole, _, fraction = number.replace(",", "").partition(".")
    cents = int(fraction.ljust(2, "0")) if fraction else 0
    parts = []
    if cents == 0 or whole.strip("0"):
        unit = currency.one if whole.lstrip("0") == "1" else currency.many
        parts.append(f"{NUMBERS.integer(whole)} {unit}")
    if cents and currency.cent and currency.cents:
        unit = currency.cent if cents == 1 else currency.cents
        parts.append(f"{NUMBERS.integer(str(cents))} {unit}")
    return " and ".join(parts)
