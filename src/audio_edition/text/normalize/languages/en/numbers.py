"""English numbers in words: fractions, IP addresses, versions, ranges, decades, ordinals, years
and the rest.

"1/4" is "one quarter", "1/8th" "one eighth", "2/3RD" "two thirds", "3 1/2" "three and a half",
"2 7/3" "two and seven thirds" ("24/7" and "50/50" are two numbers); a fraction sign after a
number is read so ("1½" "one and a half", "2¾" "two and three quarters"), and alone "a half",
"a quarter", "three quarters" ("½ cup" is "half a cup" before a measure, `words.MEASURE_NOUNS`
or a unit, "½ done" "half done", "¼ mile" "a quarter mile");
"192.168.0.1" is read digit by digit ("one nine two dot one six eight ..."); "v2.3.1" is
"version two point three point one"; "5-7" is "five to seven"; "1990s" "nineteen nineties";
"22nd" "twenty-second", and so is a misspelt "22th" (the ordinal the number makes, "5rd"
"fifth"); "3.5%" "three point five percent".
1100-2099 standing alone is a year ("nineteen ninety-five"), and so is 1000-1099 after "in",
"since", "around"... unless a noun it counts follows, or before AD or BC.
"""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction

from audio_edition.text.normalize.languages.en.words import (
    ERAS,
    GLUED_UNITS,
    MEASURE_NOUNS,
    NOT_COUNTED,
    NOT_PLURALS,
    NOT_TITLES,
    PLURALS_WITHOUT_S,
    UNITS,
    YEAR_CUES,
)
from audio_edition.text.normalize.numbers import END, START, NumberWords

NUMBERS = NumberWords("en", group=",", decimal=".")
"""English number words, "1,234.5" written."""
NUMBER = NUMBERS.pattern
"""A written English number (a regex)."""
ORDINAL_SUFFIX = r"(?i:st|nd|rd|th)"

_FRACTION = re.compile(
    r"(?<![\w/.,-])(?:([0-9]+) )?([0-9]{1,3})/([0-9]{1,4})("
    + ORDINAL_SUFFIX
    + r"(?i:s)?)?(?![\w/-])(?![.,][0-9])"
)  # "1/4", "3 1/2", "1/8th", "3/4ths"
_NUMBER_SLASH = re.compile(r"(?<=[0-9])/(?=[0-9])")
_IP_ADDRESS = re.compile(
    r"(?<![\w.])(?:25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})(?:\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})){3}"
    r"(?!\w|\.[0-9])"
)
_VERSION = re.compile(r"(?<![\w.])([vV]?)([0-9]{1,4}(?:\.[0-9]{1,4}){1,3})(?![\w]|\.[0-9])")
_RANGE = re.compile(
    r"(?<![\w.,-])("
    + NUMBER
    + r")(?:-{1,2}|\s*[\u2013\u2014]\s*)(?=[$£€¥]?(?:"
    + NUMBER
    + r")(?![\w-])(?![.,][0-9]))"
)
_DECADE = re.compile(
    r"(?<![\w.,])(?:'([1-9]0)|(1[1-9][0-9]0|20[0-9]0)(?: (?=s))?|([1-9]0))'?s(?!\w)"
)  # "1980s", "1980's", "1980 s", "'80s", "80s"
_ORDINAL = re.compile(START + r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)" + ORDINAL_SUFFIX + r"(?!\w)")
_SPACED_ORDINAL = re.compile(START + r"([0-9]{1,9}) (st|nd|rd|th|ST|ND|RD|TH)(?!\w)")
_PLAIN = re.compile(START + "(" + NUMBER + ")" + END + r"|(?<![^\s(\[])(\.[0-9]+)(?![\w.])")
_VULGAR = re.compile("[\u00bc-\u00be\u2150-\u215e]")
_VULGAR_FRACTION = re.compile(
    r"(?<![\w/.,])(?:([0-9]+)\s?)?([\u00bc-\u00be\u2150-\u215e])(?![0-9/])(\s+[a-z]+(?![A-Za-z]))?"
)  # "1½", "2 ¾", "½ teaspoon"
_VULGAR_DENOMINATORS = 10
_MEASURES = MEASURE_NOUNS | {
    word for unit, names in (UNITS | GLUED_UNITS).items() for word in (unit, names[0])
}
_A_HALF_BEFORE = re.compile(r"\s+(?:and|or|to|is|was|are|were|in|on|at|by|for|from|with)\Z")
_AN_BEFORE = re.compile(r"[aeio]|hour|hon|heir", re.IGNORECASE)
YEAR = re.compile("(?:1[1-9]|20)[0-9]{2}")
"""A number read as a year wherever it stands alone: 1100-2099."""
PLURAL_NEXT = re.compile(
    r"\s+(?!(?:" + "|".join(NOT_PLURALS) + r")\b)(?:[a-z]+s|" + "|".join(PLURALS_WITHOUT_S) + r")\b"
)
"""A plural noun follows, which a number before it counts ("dialled 300 numbers")."""
_NAME_BEFORE = re.compile(r"(?<![\w.])([A-Z][\w'-]*|[0-9]+" + ORDINAL_SUFFIX + r")\s+\Z")
_LOOK_BACK = 40


def after_name(text: str, at: int) -> bool:
    """Whether a capitalised name (not a word that opens a sentence, `words.NOT_TITLES`) or an
    ordinal ends right before `at` in `text`: "Oak Ave.", "5th Ave.", "John 3:16"."""
    name = _NAME_BEFORE.search(text, max(0, at - _LOOK_BACK), at)
    return name is not None and name.group(1) not in NOT_TITLES


# 1000-1099 is a year only where the words around say so: "in 1066", "1066 AD" (not "in 1050
# cases").
_EARLY_YEAR = re.compile("10[0-9]{2}")
_BEFORE_EARLY_YEAR = re.compile(
    r"\b(?:" + "|".join(map(re.escape, YEAR_CUES)) + r")\s+\Z", re.IGNORECASE
)
_ERA = re.compile(r"\s*(?:" + "|".join(map(re.escape, ERAS)) + r")(?!\w)")
# A lowercase word after the number that is not a function word is what it counts ("around
# 1050 men"); "in 1066 the Normans" and "in 1066, when" are years.
_COUNTED_NOUN = re.compile(r"\s+(?!(?:" + "|".join(NOT_COUNTED) + r")\b)[a-z]")


def fractions(text: str) -> str:
    """ "1/4" -> "one quarter", "2/3" and "2/3rd" -> "two thirds", "3 1/2" -> "three and a half";
    a slash left between numbers (not a date, not a fraction: "1/2/3/4") is "slash"."""
    if "/" not in text:
        return text
    return _NUMBER_SLASH.sub(" slash ", _FRACTION.sub(_fraction, text))


def _fraction(match: re.Match[str]) -> str:
    whole, numerator, denominator = match.group(1), int(match.group(2)), int(match.group(3))
    if not match.group(4) and (
        denominator < 2 or numerator == denominator or match.group() == "24/7"
    ):  # "24/7", "50/50", "1/1": two numbers
        said = f"{NUMBERS.integer(match.group(2))} {NUMBERS.integer(match.group(3))}"
        return f"{whole} {said}" if whole else said
    part = _parts(numerator, denominator)
    if whole:
        count = "a" if numerator == 1 else NUMBERS.integer(str(numerator))
        return f"{whole} and {count} {part}"
    return f"{NUMBERS.integer(str(numerator))} {part}"


def _parts(numerator: int, denominator: int) -> str:
    """ "half", "quarters", "thirds"..."""
    if denominator == 2:
        return "half" if numerator == 1 else "halves"
    if denominator == 4:
        return "quarter" if numerator == 1 else "quarters"
    ordinal = NUMBERS.ordinal(str(denominator))
    return ordinal if numerator == 1 else f"{ordinal}s"


def vulgar_fractions(text: str) -> str:
    """ "1½" -> "1 1/2" (read later as "one and a half"); alone, "½ cup" -> "half a cup", "½ done"
    -> "half done", "¼ mile" -> "a quarter mile", "¾" -> "three quarters"."""
    if text.isascii() or not _VULGAR.search(text):
        return text
    return _VULGAR_FRACTION.sub(_vulgar_fraction, text)


def _vulgar_fraction(match: re.Match[str]) -> str:
    whole, sign, word = match.group(1, 2, 3)
    value = Fraction(unicodedata.numeric(sign)).limit_denominator(_VULGAR_DENOMINATORS)
    numerator, denominator = value.numerator, value.denominator
    if whole:
        return f"{whole} {numerator}/{denominator}{word or ''}"
    if numerator > 1:
        said = f"{NUMBERS.integer(str(numerator))} {_parts(numerator, denominator)}"
    elif denominator != 2:
        part = _parts(1, denominator)
        said = f"{'an' if part[0] in 'aeiou' else 'a'} {part}"
    elif word and word.lstrip() in _MEASURES:  # "half a cup", "half an hour"
        said = "half an" if _AN_BEFORE.match(word.lstrip()) else "half a"
    else:  # "half done", "half of it", "half the crew"; "a half" alone or before "and"
        said = "a half" if not word or _A_HALF_BEFORE.match(word) else "half"
    return said + (word or "")


def addresses_and_versions(text: str) -> str:
    """ "192.168.0.1" -> "one nine two dot one six eight dot zero dot one"; "v2.3.1" -> "version
    two point three point one" (a bare "2.3.1" drops "version")."""
    if "." not in text:
        return text
    text = _IP_ADDRESS.sub(
        lambda m: " dot ".join(NUMBERS.spell(part) for part in m.group().split(".")), text
    )
    return _VERSION.sub(_version, text)


def _version(match: re.Match[str]) -> str:
    parts = match.group(2).split(".")
    if not match.group(1) and len(parts) < 3:
        return match.group()  # "3.14" is a decimal, read by the plain number rule
    said = " point ".join(NUMBERS.integer(part) for part in parts)
    return f"version {said}" if match.group(1) else said


def ranges(text: str) -> str:
    """ "5-7", "1990-1995" (or an en dash) -> "5 to 7", each side read by its own rule."""
    return _RANGE.sub(lambda m: f"{m.group(1)} to ", text)


def decades(text: str) -> str:
    """ "1990s" -> "nineteen nineties"; "'80s" -> "eighties"."""
    return _DECADE.sub(_decade, text)


def _decade(match: re.Match[str]) -> str:
    short, year = match.group(1) or match.group(3), match.group(2)
    words = NUMBERS.year(year) if year else NUMBERS.integer(short)
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


def ordinals(text: str) -> str:
    """ "22nd" -> "twenty-second"; "2 nd" too, when the suffix is the number's own."""
    text = _SPACED_ORDINAL.sub(_spaced_ordinal, text)
    return _ORDINAL.sub(lambda m: NUMBERS.ordinal(m.group(1).replace(",", "")), text)


def _spaced_ordinal(match: re.Match[str]) -> str:
    digits, suffix = match.group(1), match.group(2).lower()
    last_two = int(digits[-2:])
    own = (
        "th" if 11 <= last_two % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(last_two % 10, "th")
    )
    return NUMBERS.ordinal(digits) if suffix == own else match.group()


def plain_numbers(text: str) -> str:
    """Years, decimals, grouped and plain numbers to words."""
    return _PLAIN.sub(_plain, text)


def _plain(match: re.Match[str]) -> str:
    token = match.group(1)
    if token is None:
        return NUMBERS.number(match.group(2))
    if YEAR.fullmatch(token) or (
        _EARLY_YEAR.fullmatch(token) and _early_year(match.string, *match.span(1))
    ):
        return NUMBERS.year(token)
    return NUMBERS.number(token)


def _early_year(text: str, start: int, end: int) -> bool:
    """Whether 1000-1099 at text[start:end] is a year: before "AD" or "BC", or after "in",
    "since", "AD"... and not before a noun it counts."""
    if _ERA.match(text, end):
        return True
    return not _COUNTED_NOUN.match(text, end) and bool(_BEFORE_EARLY_YEAR.search(text, 0, start))
