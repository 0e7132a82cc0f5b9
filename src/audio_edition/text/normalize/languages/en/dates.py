"""English dates and times in words.

"March 15, 2024" is "March fifteenth, twenty twenty-four"; "15 March 2024" is "the fifteenth of
March twenty twenty-four"; "2024-03-15" is "March fifteenth, 2024"; "3/4/2021" is month first in
US English and "en", day first in other regions and where only that order is a date; "25.07.2012"
is day first. "10:30 pm" is "ten thirty p m", "7am" "seven a m", "14:30 UTC" "fourteen thirty U T
C". Years are left for the number rules that run after these.
"""

from __future__ import annotations

import re

from audio_edition.text.normalize.common import keep_final_period
from audio_edition.text.normalize.languages.en.numbers import NUMBERS, ORDINAL_SUFFIX
from audio_edition.text.normalize.languages.en.words import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    VERB_MONTHS,
)
from audio_edition.text.normalize.rules import Step

_LOWER_MONTHS = tuple(
    word.lower() for word in (*MONTHS, *MONTH_ABBREVIATIONS) if word not in VERB_MONTHS
)  # "may" and "march" are verbs
_MONTH_WORD = "|".join((*MONTHS, *MONTH_ABBREVIATIONS, *_LOWER_MONTHS))
_AM_PM = r"(?:[ap]\.m\.?|[AP]\.M\.?|[ap]m|[AP]M)(?!\w)"
_TIME_ZONE = r"(?:\s+((?:[ECMP]|AE)[SD]T|GMT|UTC|BST|CES?T|[ecmp]\.[sd]\.t\.?|[ecmp][sd]t)(?!\w))?"

_ISO_DATE = re.compile(r"(?<![\w.,-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![\w-])(?![.,][0-9])")
_SLASHED_DATE = re.compile(
    r"(?<![\w/.,-])([0-9]{1,2})([/.])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})(?![\w/-])(?![.,][0-9])"
)
_CLOCK = re.compile(
    r"(?<![\w:.])([0-9]{1,2}):([0-5][0-9])(?::([0-5][0-9]))?(?![0-9]|[:.,][0-9])(?:\s?("
    + _AM_PM
    + "))?"
    + _TIME_ZONE
)
_HOUR_AM_PM = re.compile(r"(?<![\w:.])([0-9]{1,2})\s?(" + _AM_PM + ")" + _TIME_ZONE)
_DOTTED_CLOCK = re.compile(r"(?<![\w:.])([0-9]{1,2})\.([0-5][0-9])(?=\s?" + _AM_PM + ")")
_MONTH_DAY = re.compile(
    r"\b(" + _MONTH_WORD + r")\.?\s+([0-9]{1,2})" + ORDINAL_SUFFIX + r"?(?![\w%]|[.,:][0-9])"
)
_DAY_MONTH = re.compile(
    r"(?<![\w.,:-])([0-9]{1,2})"
    + ORDINAL_SUFFIX
    + r"?\s+("
    + _MONTH_WORD
    + r")\b(?:\.(?=\s+[0-9]))?"
)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_THE_WINDOW = 16


def iso_dates(text: str) -> str:
    """ "2024-03-15" -> "March fifteenth, 2024" (the year is read by the year rule)."""
    return _ISO_DATE.sub(_iso_date, text)


def _iso_date(match: re.Match[str]) -> str:
    year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return match.group()
    return f"{MONTHS[month - 1]} {NUMBERS.ordinal(str(day))}, {year}"


def slashed_dates(month_first: bool) -> Step:
    """A step reading "3/4/2021" as "March fourth, 2021" when `month_first` (US order), day first
    otherwise and for dotted dates ("25.07.2012"); either order when only one makes a date."""

    def read(text: str) -> str:
        if "/" not in text and "." not in text:
            return text
        return _SLASHED_DATE.sub(lambda m: _slashed_date(m, month_first), text)

    return read


def _slashed_date(match: re.Match[str], month_first: bool) -> str:
    first, separator, second, year = match.groups()
    if separator == "." and len(year) == 2:
        return match.group()  # a version number such as 1.2.10
    orders = [(first, second, True), (second, first, False)]
    for month, day, says_month_first in (
        orders if month_first and separator == "/" else orders[::-1]
    ):
        if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            name, ordinal = MONTHS[int(month) - 1], NUMBERS.ordinal(day)
            if says_month_first:
                return f"{name} {ordinal}, {year}"
            return f"{_the(match)}{ordinal} of {name} {year}"
    return match.group()


def _the(match: re.Match[str]) -> str:
    """ "the " before a day said first, unless "the" is written before it."""
    window = match.string[max(0, match.start() - _THE_WINDOW) : match.start()]
    return "" if _THE_BEFORE.search(window) else "the "


def clock_times(text: str) -> str:
    """ "10:30 pm" -> "ten thirty p m"; "7am" -> "seven a m"."""
    text = _CLOCK.sub(_clock, _DOTTED_CLOCK.sub(r"\1:\2", text))
    return _HOUR_AM_PM.sub(_hour_am_pm, text)


def _clock(match: re.Match[str]) -> str:
    hour, minute, second = int(match.group(1)), int(match.group(2)), match.group(3)
    am_pm = match.group(4)
    if hour > 24 or (am_pm and not 1 <= hour <= 12):
        return match.group()
    words = [NUMBERS.integer(str(hour)), _minutes(minute, hour, am_pm)]
    if second and int(second):
        unit = "second" if int(second) == 1 else "seconds"
        words.append(f"and {NUMBERS.integer(str(int(second)))} {unit}")
    if am_pm:
        words.append(f"{am_pm[0].lower()} m")
    if match.group(5):
        words.append(_spelled_zone(match.group(5)))
    return keep_final_period(match, " ".join(word for word in words if word))


def _minutes(minute: int, hour: int, am_pm: str | None) -> str:
    """The minutes after the hour: "thirty", "oh five", "o'clock" or "hundred" (or nothing)."""
    if minute == 0:
        if am_pm:
            return ""
        return "o'clock" if 1 <= hour <= 12 else "hundred"
    if minute < 10:
        return "oh " + NUMBERS.integer(str(minute))
    return NUMBERS.integer(str(minute))


def _hour_am_pm(match: re.Match[str]) -> str:
    hour = int(match.group(1))
    if not 1 <= hour <= 12:
        return match.group()
    spoken = f"{NUMBERS.integer(str(hour))} {match.group(2)[0].lower()} m"
    if match.group(3):
        spoken += " " + _spelled_zone(match.group(3))
    return keep_final_period(match, spoken)


def _spelled_zone(zone: str) -> str:
    """ "EST", "e.s.t." -> "E S T"."""
    return " ".join(letter.upper() for letter in zone if letter.isalpha())


def month_dates(text: str) -> str:
    """ "March 15" -> "March fifteenth"; "15 March" -> "the fifteenth of March"."""
    text = _MONTH_DAY.sub(_month_day, text)
    return _DAY_MONTH.sub(_day_month, text)


def _month_day(match: re.Match[str]) -> str:
    day = int(match.group(2))
    if not 1 <= day <= 31:
        return match.group()
    return f"{_month_name(match.group(1))} {NUMBERS.ordinal(str(day))}"


def _day_month(match: re.Match[str]) -> str:
    day = int(match.group(1))
    if not 1 <= day <= 31:
        return match.group()
    return f"{_the(match)}{NUMBERS.ordinal(str(day))} of {_month_name(match.group(2))}"


def _month_name(written: str) -> str:
    """ "Jul", "jul", "july" -> "July"."""
    capital = written.capitalize()
    return MONTH_ABBREVIATIONS.get(capital, capital)
