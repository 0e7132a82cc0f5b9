"""French numbers, dates and times in words.

- Ordinals: "1er", "1re", "1ère", "2e", "2ème", "2nd", "2nde" (and "1ᵉʳ", "2ᵉ") are "premier",
  "première", "deuxième", "second", "seconde"; a roman numeral with them too ("XIXe siècle",
  "François Ier").
- Dates: "1 mai" is "premier mai" (the 1st is an ordinal, other days cardinals); "03/10/2021"
  is "trois octobre deux mille vingt et un".
- Times: "14h30", "14 h 30", "14:30" are "quatorze heures trente"; "1 h" "une heure".
- Before a unit or a currency, one is "un" or "une" ("vingt et une heures"), the noun plural
  from 2 ("1,5 kilomètre"); a million or a milliard takes "de" ("un million d'euros").
"""

from __future__ import annotations

import re

from audio_edition.text.normalize.common import alternation
from audio_edition.text.normalize.languages.continental import CLOCK, Noun
from audio_edition.text.normalize.languages.fr.words import MONTHS
from audio_edition.text.normalize.numbers import ROMAN_NUMBER, START, NumberWords, roman_value

NUMBERS = NumberWords("fr", group=" ", decimal=",", whole_fraction=True)
"""French number words, "1 234,5" written (a space, thin, no-break or plain, between groups)."""

_SUFFIXES = {
    **dict.fromkeys(("er", "ᵉʳ"), "premier"),
    **dict.fromkeys(("re", "ère", "ʳᵉ", "ᵉʳᵉ"), "première"),
    "nd": "second",
    "nde": "seconde",
}
_ORDINAL = re.compile(START + r"([0-9]{1,6})(ème|eme|ère|ᵉʳᵉ|ᵉʳ|ʳᵉ|ᵉ|er|re|nde|nd|e|è)(?![\w'])")
_ROMAN_ORDINAL = re.compile(r"(?<![\w'-])(" + ROMAN_NUMBER + r")(ème|ère|er|re|e)(?![\w'-])")
_FIRST = re.compile(r"(?<![\w.,])1(?=\s+(?:" + alternation(MONTHS) + r")\b)")
_CLOCK = re.compile(CLOCK + r"|(?<![\w:.,])([01]?[0-9]|2[0-4])\s?h(?:\s?([0-5][0-9]))?(?![\w'])")
_MILLIONS = re.compile(r"(?:million|milliard)s?$")
_VOWEL = re.compile(r"[aeiouyéèêhAEIOUY]")


def count(number: str, noun: Noun) -> str:
    """ "3", mètre -> "trois mètres"; "21", heure -> "vingt et une heures"."""
    words = NUMBERS.number(number)
    if noun.feminine and words.endswith("un"):
        words += "e"
    plural = abs(float(number.replace(" ", "").replace(",", "."))) >= 2
    unit = noun.many if plural else noun.one
    if _MILLIONS.search(words):
        return f"{words} d'{unit}" if _VOWEL.match(unit) else f"{words} de {unit}"
    return f"{words} {unit}"


def ordinals(text: str) -> str:
    """ "1er" -> "premier", "2e" -> "deuxième"; "1 mai" -> "premier mai"."""
    text = _ORDINAL.sub(lambda m: _ordinal(m.group(1), m.group(2)), text)
    return _FIRST.sub("premier", text)


def roman_ordinals(text: str) -> str:
    """ "XIXe" -> "dix-neuvième", "Ier" -> "premier"."""
    return _ROMAN_ORDINAL.sub(lambda m: _ordinal(str(roman_value(m.group(1))), m.group(2)), text)


def _ordinal(digits: str, suffix: str) -> str:
    said = _SUFFIXES.get(suffix)
    if said and digits == ("1" if said.startswith("premi") else "2"):
        return said
    return NUMBERS.ordinal(digits)


def might_change(text: str) -> bool:
    """Whether a roman ordinal ("XIXe") is in the text."""
    return _ROMAN_ORDINAL.search(text) is not None


def say_date(day: int, month: int, year: str, match: re.Match[str]) -> str:
    """ "03/10/2021" -> "trois octobre deux mille vingt et un"."""
    said = "premier" if day == 1 else NUMBERS.integer(str(day))
    return f"{said} {MONTHS[month - 1]} {NUMBERS.integer(year)}"


def clock_times(text: str) -> str:
    """ "14h30", "14 h 30", "14:30" -> "quatorze heures trente"; "1 h" -> "une heure"."""
    if ":" not in text and "h" not in text:
        return text
    return _CLOCK.sub(_clock, text)


def _clock(match: re.Match[str]) -> str:
    hour = match.group(1) or match.group(4)
    minute = match.group(2) or match.group(5)
    words = [count(str(int(hour)), Noun("heure", "heures", feminine=True))]
    if minute and int(minute):
        words.append(NUMBERS.integer(str(int(minute))))
    second = match.group(3)
    if second and int(second):
        words.append("et " + count(str(int(second)), Noun("seconde", "secondes", True)))
    return " ".join(words)
