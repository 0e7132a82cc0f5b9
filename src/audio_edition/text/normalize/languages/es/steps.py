"""Spanish numbers, dates and times in words.

- Numbers: one before "mil" or a million's word is "un" ("ochenta y un mil", "veintiún
  millones"; num2words says "ochenta y uno mil").
- Ordinals: "1.º", "1º", "2.ª", "2ª" are "primero", "segunda"; "1.er", "3.er" "primer",
  "tercer", and so is "1.º" or "3.º" before a word it counts ("el 3.º piso", "el tercer piso";
  not before a preposition, a conjunction or punctuation: "el 3.º de la lista", "tercero"). A
  century in roman numerals is a cardinal ("siglo XXI", "siglo veintiuno"); after
  a name, an ordinal to ten ("Carlos III", "Carlos tercero"), a cardinal above.
- Dates: "1 de mayo de 2020" and "01/05/2020" are "uno de mayo de dos mil veinte" in Spain (and
  for "es" alone), "primero de mayo ..." in the other regions, where the first day is an ordinal.
- Times: the minutes after "y", as they are said: "14:30" is "catorce y treinta" (the text
  gives "a las"), "14:05" "catorce y cinco", "9:00" "nueve", "1:15" "una y quince"; with "h"
  written, "horas" after the hour ("14:30 h", "catorce horas y treinta"; "20:00 h", "veinte
  horas"); seconds last ("y treinta segundos").
- Before a unit or a currency, one is "un" or "una" ("veintiún euros", "una libra"), the noun
  plural for any number but 1; a million takes "de" ("un millón de euros"). Before a feminine
  one, or its word written out ("libras", "toneladas", "horas"), the hundreds and ones below a
  million agree too ("trescientas cincuenta y dos libras", "doscientas una horas"; "doscientos
  millones de libras"). Before another word it counts, "un" ("veintiún perros"): the gender of
  other nouns is not guessed.
"""

from __future__ import annotations

import re

from audio_edition.text.normalize.common import alternation
from audio_edition.text.normalize.languages.continental import CLOCK, Noun, SayDate
from audio_edition.text.normalize.languages.es.words import CURRENCIES, MONTHS, UNITS
from audio_edition.text.normalize.numbers import ROMAN_NUMBER, START, NumberWords
from audio_edition.text.normalize.rules import Step

_ONE_BEFORE_GROUP = re.compile(r"(?<!\w)(veinti)?uno(?= (?:mil|\w+ill(?:ón|ones))(?!\w))")


class _SpanishNumbers(NumberWords):
    """num2words's Spanish, with "uno" before "mil" or a million's word said "un" (or
    "veintiún")."""

    def integer(self, digits: str) -> str:
        words = super().integer(digits)
        return _ONE_BEFORE_GROUP.sub(lambda m: "veintiún" if m.group(1) else "un", words)


NUMBERS = _SpanishNumbers("es", group=".", decimal=",", point="coma", whole_fraction=True)
"""Spanish number words, "1.234,5" written; "coma" for the decimal comma."""

_ORDINAL = re.compile(START + r"([0-9]{1,4})(?:\.?([ºª])|\.?(er)(?!\w))")
_CENTURY = re.compile(r"\b([Ss]iglos?\s+)(" + ROMAN_NUMBER + r")(?![\w'-])")
_FIRST_DAY = re.compile(r"(?<![\w.,])0?1(?=\s+de\s+(?:" + alternation(MONTHS) + r")\b)")
_CLOCK = re.compile(CLOCK + r"(?:\s?(h|horas)\b)?")
_MILLIONS = re.compile(r"(?:millón|millones)$")
_LAST_ORDINAL = 10
_NOT_COUNTED = ("de", "del", "y", "e", "o", "u", "a", "al", "en", "con", "por", "para", "que")
_COUNTED = r"[ \t]+(?!(?:" + "|".join(_NOT_COUNTED) + r")\b)"
"""A word follows that the number before may count (no preposition, conjunction, mark)."""
_BEFORE_NOUN = re.compile(START + r"([0-9]+(?:\.[0-9]{3})*)(?=" + _COUNTED + r"([a-zñ]\w*))")
_SHORT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})*")
_COUNTED_NEXT = re.compile(_COUNTED + r"[^\W\d_]")
_MILLION_WORD = re.compile(r"\w+ill(?:ón|ones)(?!\w)")
_ONE = re.compile(r"(?<!\w)(veinti)?(?:uno|un|ún)(?!\w)")
_FEMININE_WORDS = frozenset(
    word
    for noun in (*UNITS.values(), *(part for c in CURRENCIES.values() for part in c))
    if noun.feminine
    for word in (noun.one.split()[0], noun.many.split()[0])
)
"""Feminine units and currencies written out ("libras", "horas")."""
_HOUR = Noun("hora", "horas", feminine=True)


def agreeing(words: str, feminine: bool) -> str:
    """A cardinal before a noun: "uno" -> "un" or "una", "veintiuno" -> "veintiún"; before a
    feminine one, "doscientos" -> "doscientas" below a million (a million is masculine)."""
    if feminine:
        cut = max((m.end() for m in _MILLION_WORD.finditer(words)), default=0)
        below = _ONE.sub(lambda m: (m.group(1) or "") + "una", words[cut:])
        return words[:cut] + below.replace("ientos", "ientas")
    if not words.endswith("uno"):
        return words
    return words[:-3] + "ún" if words.endswith("veintiuno") else words[:-1]


def count(number: str, noun: Noun) -> str:
    """ "3", metro -> "tres metros"; "21", euro -> "veintiún euros"."""
    words = NUMBERS.number(number)
    if NUMBERS.decimal not in number:
        words = agreeing(words, noun.feminine)
    unit = noun.one if number == "1" else noun.many
    return f"{words} de {unit}" if _MILLIONS.search(words) else f"{words} {unit}"


def before_nouns(text: str) -> str:
    """ "21 perros" -> "veintiún perros": a number ending in one before a word it counts (taken
    as masculine, but for a feminine unit or currency written out: "21 horas", "veintiuna
    horas"; "352 libras", "trescientas cincuenta y dos libras"). A longer number with no group
    mark ("2021 llegó") is left unless the word is feminine."""
    return _BEFORE_NOUN.sub(_before_noun, text)


def _before_noun(match: re.Match[str]) -> str:
    number, feminine = match.group(1), match.group(2) in _FEMININE_WORDS
    if not feminine and not _SHORT.fullmatch(number):
        return number
    return agreeing(NUMBERS.number(number), feminine)


def ordinals(text: str) -> str:
    """ "1.º" -> "primero", "2.ª" -> "segunda", "3.er" -> "tercer", "el 3.º piso" -> "el tercer
    piso"."""
    if "º" not in text and "ª" not in text and "er" not in text:
        return text
    return _ORDINAL.sub(_ordinal, text)


def _ordinal(match: re.Match[str]) -> str:
    words = NUMBERS.ordinal(match.group(1))
    if match.group(2) == "ª":
        return " ".join(word[:-1] + "a" if word.endswith("o") else word for word in words.split())
    shortened = match.group(3) or _COUNTED_NEXT.match(match.string, match.end())
    return words[:-1] if shortened and words.endswith(("primero", "tercero")) else words


def centuries(text: str) -> str:
    """ "siglo XXI" -> "siglo veintiuno"."""
    return _CENTURY.sub(NUMBERS.numeral, text) if "iglo" in text else text


def might_change(text: str) -> bool:
    """Whether a century in roman numerals is in the text."""
    return "iglo" in text and _CENTURY.search(text) is not None


def regnal(value: int) -> str:
    """A king's or a chapter's number: an ordinal to ten, then a cardinal ("Carlos III",
    "Carlos tercero"; "Alfonso XIII", "Alfonso trece")."""
    return NUMBERS.ordinal(str(value)) if value <= _LAST_ORDINAL else NUMBERS.integer(str(value))


def first_days(first: str) -> Step:
    """A step reading the first day of a month ("1 de mayo") as `first`."""
    return lambda text: _FIRST_DAY.sub(first, text) if " de " in text else text


def say_date(first: str) -> SayDate:
    """How a numeric date is said, with `first` for the first day: "03/10/2021" -> "tres de
    octubre de dos mil veintiuno"."""

    def say(day: int, month: int, year: str, match: re.Match[str]) -> str:
        said = first if day == 1 else NUMBERS.integer(str(day))
        return f"{said} de {MONTHS[month - 1]} de {NUMBERS.integer(year)}"

    return say


def clock_times(text: str) -> str:
    """ "14:30" -> "catorce y treinta", "14:05" -> "catorce y cinco", "9:00 h" -> "nueve
    horas"."""
    return _CLOCK.sub(_clock, text) if ":" in text else text


def _clock(match: re.Match[str]) -> str:
    hour, minute, second, hours = match.groups()
    words = [agreeing(NUMBERS.integer(str(int(hour))), feminine=True)]
    if hours:
        words.append(_HOUR.one if int(hour) == 1 else _HOUR.many)
    if int(minute):
        words.append("y " + NUMBERS.integer(str(int(minute))))
    if second and int(second):
        words.append("y " + count(str(int(second)), Noun("segundo", "segundos")))
    return " ".join(words)
