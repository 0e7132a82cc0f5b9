"""English dates and times in words.

Dates: "March 15, 2024" is "March fifteenth, twenty twenty-four"; "15 March 2024" is "the
fifteenth of March twenty twenty-four"; a month may be written small or in capitals, abbreviated
with or without its period ("9 june 2011", "FEB. 9 2021", "OCT. 3"; not "may" and "march", which
are verbs); "Mar-12-2022" is "March twelfth, 2022". "2024-03-15", "2019/11/04" and "2020.01.15"
(the year first) are "March fifteenth, 2024"; "3/4/2021" and "3-4-2021" are month first in US
English and "en", day first in other regions and where only that order is a date ("23-04-2021" is
"the twenty-third of April 2021"); "25.07.2012" is day first. A dashed date needs a four-digit
year.

Times, read as an English listener tells the time, on the twelve-hour clock:

- "a.m." and "p.m." (any case, with or without periods) are "AM" and "PM", written so because
  eSpeak NG and hibari both say the letters, "ay em"; "a m" or "A M" is "uh em" to both.
  "3 a.m." is "three AM", "02:00 pm" "two PM", "10:30 pm" "ten thirty PM", "9am-11am" "nine AM
  to eleven AM".
- A 24-hour time past noon is said on the twelve-hour clock: "22:00" is "ten PM" (not the
  military "twenty-two hundred"), "16:45" "four forty-five PM", "12:15" "twelve fifteen PM";
  "00:30" is "twelve thirty AM", "00:00" and "24:00" are "midnight". Other times stay as
  written: "12:00" is "twelve o'clock", "10:00" "ten o'clock", "09:15" "nine fifteen".
- Seconds follow the minutes: "16:45:05" is "four forty-five and five seconds PM".
- A time zone after the time is spelled ("14:30 UTC" "two thirty PM U T C", "e.s.t" "E S T").
- A range of times is "to": "9am-11am", "8 am - 6 pm".
- A colon between numbers that cannot be a time (its right part is not two digits, or the
  hours are past 24: "3:1", "16:9", "1:100") is a ratio, "three to one"; not after a capitalised
  word, where it is a verse ("John 3:16").

Years are left for the number rules that run after these.
"""

from __future__ import annotations

import re

from audio_edition.text.normalize.common import keep_final_period
from audio_edition.text.normalize.languages.en.numbers import (
    NUMBERS,
    ORDINAL_SUFFIX,
    after_name,
)
from audio_edition.text.normalize.languages.en.words import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    VERB_MONTHS,
)
from audio_edition.text.normalize.rules import Step

_OTHER_CASES = tuple(
    case
    for word in (*MONTHS, *MONTH_ABBREVIATIONS)
    if word not in VERB_MONTHS  # "may", "MARCH" are verbs
    for case in (word.lower(), word.upper())
)
_MONTH_WORD = "|".join((*MONTHS, *MONTH_ABBREVIATIONS, *_OTHER_CASES))
_AM_PM = r"(?:[ap]\.m\.?|[AP]\.M\.?|[ap]m|[AP]M)(?!\w)"
_TIME_ZONE = r"(?:\s+((?:[ECMP]|AE)[SD]T|GMT|UTC|BST|CES?T|[ecmp]\.[sd]\.t\.?|[ecmp][sd]t)(?!\w))?"
_HOURS_ON_THE_CLOCK = 12

_ISO_DATE = re.compile(
    r"(?<![\w.,/-])([0-9]{4})(?:([-/])([0-9]{1,2})\2([0-9]{1,2})|\.([0-9]{2})\.([0-9]{2}))"
    r"(?![\w/-])(?![.,][0-9])"
)  # "2024-03-15", "2019/11/4", "2020.01.15"
_SLASHED_DATE = re.compile(
    r"(?<![\w/.,-])([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4}|(?<![0-9]-)[0-9]{2})"
    r"(?![\w/-])(?![.,][0-9])"
)
_DASHED_MONTH = re.compile(
    r"\b(?:(" + _MONTH_WORD + r")-([0-9]{1,2})|([0-9]{1,2})-(" + _MONTH_WORD + r"))-([0-9]{4})\b"
)
_SHORT_AM_PM = r"\s?(?:[ap]\.?m\.?|[AP]\.?M\.?)(?!\w)"
_TIME = r"[0-9]{1,2}(?::[0-5][0-9])?"
_TIME_RANGE = re.compile(
    r"(?<![\w:.-])(" + _TIME + ")(" + _SHORT_AM_PM + r")?\s?-\s?(?=" + _TIME + _SHORT_AM_PM + ")"
)  # "9am-11am", "9-11am", "8 am - 6 pm"
_CLOCK = re.compile(
    r"(?<![\w:.])([0-9]{1,2}):([0-5][0-9])(?::([0-5][0-9]))?(?![0-9]|[:.,][0-9])(?:\s?("
    + _AM_PM
    + "))?"
    + _TIME_ZONE
)
# A colon between numbers that is no time ("3:1", "16:9", "1:100") is a ratio, except after a
# capitalised word ("John 3:16", "Genesis 1:1": a verse).
_RATIO = re.compile(r"(?<![\w:.,])([0-9]+):([0-9]+)(?![\w:]|[.,][0-9])")
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
    """ "2024-03-15", "2019/11/04" -> "March fifteenth, 2024" (the year is read by the year
    rule)."""
    return _ISO_DATE.sub(_iso_date, text)


def _iso_date(match: re.Match[str]) -> str:
    year = match.group(1)
    month, day = int(match.group(3) or match.group(5)), int(match.group(4) or match.group(6))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return match.group()
    return f"{MONTHS[month - 1]} {NUMBERS.ordinal(str(day))}, {year}"


def slashed_dates(month_first: bool) -> Step:
    """A step reading "3/4/2021" and "3-4-2021" as "March fourth, 2021" when `month_first` (US
    order), day first otherwise and for dotted dates ("25.07.2012"); either order when only one
    makes a date."""

    def read(text: str) -> str:
        if "/" not in text and "." not in text and "-" not in text:
            return text
        return _SLASHED_DATE.sub(lambda m: _slashed_date(m, month_first), text)

    return read


def _slashed_date(match: re.Match[str], month_first: bool) -> str:
    first, separator, second, year = match.groups()
    if separator == "." and len(year) == 2:
        return match.group()  # a version number such as 1.2.10
    orders = [(first, second, True), (second, first, False)]
    for month, day, says_month_first in (
        orders if month_first and separator != "." else orders[::-1]
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
    """ "10:30 pm" -> "ten thirty PM"; "7am" -> "seven AM"; "22:00" -> "ten PM"."""
    if "-" in text:
        text = _TIME_RANGE.sub(r"\1\2 to ", text)
    text = _CLOCK.sub(_clock, _DOTTED_CLOCK.sub(r"\1:\2", text))
    if ":" in text:
        text = _RATIO.sub(_ratio, text)
    return _HOUR_AM_PM.sub(_hour_am_pm, text)


def _clock(match: re.Match[str]) -> str:
    hour, minute, second = int(match.group(1)), int(match.group(2)), match.group(3)
    am_pm = match.group(4) and _am_pm(match.group(4))
    if hour > 24 or (am_pm and not 1 <= hour <= 12) or (hour == 24 and minute + int(second or 0)):
        return match.group()
    if hour % 24 == 0 and not minute and not second:
        words = ["midnight"]
    else:
        past_noon = (hour, minute, int(second or 0)) > (_HOURS_ON_THE_CLOCK, 0, 0)
        if not am_pm and (hour == 0 or past_noon):
            hour, am_pm = hour % _HOURS_ON_THE_CLOCK or _HOURS_ON_THE_CLOCK, _twelve_hour(hour)
        words = [NUMBERS.integer(str(hour)), _minutes(minute, am_pm)]
    if second and int(second):
        unit = "second" if int(second) == 1 else "seconds"
        words.append(f"and {NUMBERS.integer(str(int(second)))} {unit}")
    if am_pm:
        words.append(am_pm)
    if match.group(5):
        words.append(_spelled_zone(match.group(5)))
    return keep_final_period(match, " ".join(word for word in words if word))


def _ratio(match: re.Match[str]) -> str:
    """ "3:1" -> "3 to 1" (the numbers read later); a verse ("John 3:16") stays."""
    if after_name(match.string, match.start()):
        return match.group()
    return f"{match.group(1)} to {match.group(2)}"


def _twelve_hour(hour: int) -> str:
    """ "AM" or "PM" for an hour of the 24-hour clock."""
    return "PM" if hour >= _HOURS_ON_THE_CLOCK else "AM"


def _am_pm(written: str) -> str:
    """ "a.m.", "pm", "P.M" -> "AM", "PM"."""
    return "AM" if written[0] in "aA" else "PM"


def _minutes(minute: int, am_pm: str | None) -> str:
    """The minutes after the hour: "thirty", "oh five", "o'clock", or nothing before AM/PM."""
    if minute == 0:
        return "" if am_pm else "o'clock"
    if minute < 10:
        return "oh " + NUMBERS.integer(str(minute))
    return NUMBERS.integer(str(minute))


def _hour_am_pm(match: re.Match[str]) -> str:
    hour = int(match.group(1))
    if not 1 <= hour <= _HOURS_ON_THE_CLOCK:
        return match.group()
    spoken = f"{NUMBERS.integer(str(hour))} {_am_pm(match.group(2))}"
    if match.group(3):
        spoken += " " + _spelled_zone(match.group(3))
    return keep_final_period(match, spoken)


def _spelled_zone(zone: str) -> str:
    """ "EST", "e.s.t." -> "E S T"."""
    return " ".join(letter.upper() for letter in zone if letter.isalpha())


def month_dates(text: str) -> str:
    """ "March 15" -> "March fifteenth"; "15 March" -> "the fifteenth of March"; "Mar-12-2022"
    -> "March twelfth, 2022"."""
    if "-" in text:
        text = _DASHED_MONTH.sub(_dashed_month, text)
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


def _dashed_month(match: re.Match[str]) -> str:
    month_first, day_then_month = match.group(1, 2), match.group(3, 4)
    month, day = month_first if month_first[0] else day_then_month[::-1]
    if not 1 <= int(day) <= 31:
        return match.group()
    name, ordinal, year = _month_name(month), NUMBERS.ordinal(str(int(day))), match.group(5)
    return f"{name} {ordinal}, {year}" if month_first[0] else f"the {ordinal} of {name} {year}"


def _month_name(written: str) -> str:
    """ "Jul", "jul", "july" -> "July"."""
    capital = written.capitalize()
    return MONTH_ABBREVIATIONS.get(capital, capital)
