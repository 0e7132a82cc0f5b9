"""German numbers, dates and times in words.

- Ordinals: a number with a period is an ordinal before a month ("1. Mai", "erster Mai") or
  after an article or a contracted preposition ("am 3. Oktober", "am dritten Oktober"; "der
  2. Platz", "der zweite Platz"), with the ending the word before asks for
  (`words.ORDINAL_ENDINGS`); after "bis", "ab" and "seit" only before a month ("bis 17.
  Anschließend ..." is "bis siebzehn."); any other "3." is a number that ends a sentence.
- Dates: "3.10.2021" is "dritter Oktober zweitausendeinundzwanzig" (with the same endings); a
  day and a month without a year ("24.12.", day 1-31, month 1-12, not in a longer chain such as
  "1.2.3.4") only after a word that gives the ordinal its ending ("der 24.12.", "der
  vierundzwanzigste Dezember"; "am 1.5.", "am ersten Mai"; "Version 1.2." stays). Its period
  also ends the sentence at the end of the text or before a word that starts one ("der 24.12.
  Morgen ...").
- Times: "14:30 Uhr" and "14.30 Uhr" are "vierzehn Uhr dreißig", "14:30" too; "1 Uhr" is "ein
  Uhr".
- Years: a four-digit number written without a group mark from 1100 to 1999 is read as a year
  ("1995", "neunzehnhundertfünfundneunzig"; "1.995" is a count); "1990er" is
  "neunzehnhundertneunziger".
- Roman numerals: a ruler's number after a name ("Friedrich II.", "Friedrich der Zweite"), a
  cardinal after a word that numbers parts (`words.PART_WORDS`: "Teil II", "Teil zwei").
- Before a unit or a currency, one is "ein" or "eine"; before another noun "eine" if it is
  known to be feminine (`words.FEMININE_NOUNS`, or "-ung", "-heit", "-keit", "-schaft",
  "-tion", "-sion", "-tät": "1 Woche", "eine Woche"), else "ein" ("1 Zimmer").
"""

from __future__ import annotations

import re

from audio_edition.text.normalize.common import alternation
from audio_edition.text.normalize.languages.continental import CLOCK, Noun
from audio_edition.text.normalize.languages.de.words import (
    BEFORE_MONTHS_ONLY,
    FEMININE_NOUNS,
    MONTH_WORDS,
    MONTHS,
    ORDINAL_ENDINGS,
    PART_WORDS,
    SENTENCE_STARTERS,
)
from audio_edition.text.normalize.numbers import START, NumberWords

NUMBERS = NumberWords("de", group=".", decimal=",")
"""German number words, "1.234,5" written."""

_WORD_BEFORE = re.compile(r"(?<!\w)(\w+)\s+\Z")
_ORDINAL = re.compile(
    START + r"([0-9]{1,3})\.(?=[ \t]+(?:(" + alternation(MONTH_WORDS) + r")(?!\w)|(\w+)))"
)
_DAY_MONTH = re.compile(START + r"([0-9]{1,2})\.([0-9]{1,2})\.(?![\w.])")
_NEXT_WORD = re.compile(r"\s+(\w+)|\s*\Z")
_ENDS_IN_ORDINAL = re.compile(START + r"[0-9]{1,3}\.\Z")
_STARTS_WITH_MONTH = re.compile("(?:" + alternation(MONTH_WORDS) + r")(?!\w)")
_CLOCK = re.compile(
    CLOCK + r"(?:\s?Uhr\b)?"
    r"|(?<![\w:.,])([01]?[0-9]|2[0-4])\.([0-5][0-9])\s?Uhr\b"
    r"|(?<![\w:.,])([01]?[0-9]|2[0-4])\s?Uhr\b"
)
_FEMININE_ENDING = re.compile("(?:ung|heit|keit|schaft|tion|sion|tät)$")
_NOT_FEMININE = ("sprung", "schwung")  # "der Sprung", "der Schwung"
_DECADE = re.compile(START + r"(1[1-9][0-9]0|20[0-9]0|[2-9]0)er(?=\s|[.,;:!?)]|\Z)")
_YEARS = range(1100, 2000)
_ONE_BEFORE_NOUN = re.compile(START + r"1(?=[ \t]+([A-ZÄÖÜ][a-zäöüß]+))")


def count(number: str, noun: Noun) -> str:
    """ "5", Kilometer -> "fünf Kilometer"; "1", Stunde -> "eine Stunde"."""
    words = NUMBERS.number(number)
    if number == "1":
        words = "eine" if noun.feminine else "ein"
    elif words.endswith("eins") and NUMBERS.decimal not in number:
        words = words[:-1]  # "hunderteins Meter" -> "hundertein Meter"; "zwei Komma eins"
    return f"{words} {noun.one if number == '1' else noun.many}"


def _word_before(text: str, start: int) -> str:
    """The word just before `start`, in small letters ("" if none)."""
    before = _WORD_BEFORE.search(text, max(0, start - 12), start)
    return before.group(1).lower() if before else ""


def _ending(text: str, start: int, default: str) -> str:
    """The ordinal's ending after the word before `start` ("n" after "am")."""
    return ORDINAL_ENDINGS.get(_word_before(text, start), default)


def ordinal_goes_on(before: str, after: str) -> bool:
    """Whether `before` ends in a number the next sentence, `after`, makes an ordinal (see
    ordinals()): "Am 3." and "Oktober war es kalt." are one sentence."""
    number = _ENDS_IN_ORDINAL.search(before)
    if number is None or not after[:1].isalpha():
        return False
    if _STARTS_WITH_MONTH.match(after):
        return True
    first_word = after.split(maxsplit=1)[0].strip(".,;:!?")
    return _counts(first_word) and _counted_after(_word_before(before, number.start()))


def _counted_after(word: str) -> bool:
    """Whether a number with a period after `word` is an ordinal without a month after it."""
    return word in ORDINAL_ENDINGS and word not in BEFORE_MONTHS_ONLY


def _counts(word: str) -> bool:
    """Whether `word` after "der 3." may be what the ordinal counts (not "Danach")."""
    return word.lower() not in SENTENCE_STARTERS


def roman_after(word: str, value: int) -> str:
    """A roman numeral's value after a capitalised word: a cardinal after a word that numbers
    parts ("Teil II", "Teil zwei"), else a ruler's number ("Friedrich II.", "Friedrich der
    Zweite")."""
    if word in PART_WORDS:
        return NUMBERS.integer(str(value))
    return "der " + NUMBERS.ordinal(str(value)).capitalize()


def ordinal(digits: str, ending: str) -> str:
    """ "3", "n" -> "dritten"."""
    return NUMBERS.ordinal(digits) + ending


def ordinals(text: str) -> str:
    """ "1. Mai" -> "erster Mai", "am 3. Oktober" -> "am dritten Oktober", "der 2. Platz" ->
    "der zweite Platz"; another "3." stays."""
    if "." not in text:
        return text
    return _ORDINAL.sub(_ordinal, text)


def _ordinal(match: re.Match[str]) -> str:
    text, start = match.string, match.start()
    if match.group(2):
        return ordinal(match.group(1), _ending(text, start, "r"))
    word = _word_before(text, start)
    if not (_counted_after(word) and _counts(match.group(3))):
        return match.group()
    return ordinal(match.group(1), ORDINAL_ENDINGS[word])


def say_date(day: int, month: int, year: str, match: re.Match[str]) -> str:
    """ "3.10.2021" -> "dritter Oktober zweitausendeinundzwanzig" ("am dritten ...")."""
    ending = _ending(match.string, match.start(), "r")
    return f"{ordinal(str(day), ending)} {MONTHS[month - 1]} {year_words(year)}"


def days_and_months(text: str) -> str:
    """ "der 24.12." -> "der vierundzwanzigste Dezember", "am 1.5." -> "am ersten Mai"."""
    return _DAY_MONTH.sub(_day_month, text) if "." in text else text


def _day_month(match: re.Match[str]) -> str:
    day, month = int(match.group(1)), int(match.group(2))
    ending = _ending(match.string, match.start(), "?")
    if ending == "?" or not (1 <= day <= 31 and 1 <= month <= 12):
        return match.group()
    said = f"{ordinal(str(day), ending)} {MONTHS[month - 1]}"
    after = _NEXT_WORD.match(match.string, match.end())
    if after is None:
        return said
    ends_sentence = after.group(1) is None or (
        after.group(1)[0].isupper() and not _counts(after.group(1))
    )
    return said + "." if ends_sentence else said


def year_words(year: str) -> str:
    """ "1995" -> "neunzehnhundertfünfundneunzig"; "2021" -> "zweitausendeinundzwanzig"."""
    return NUMBERS.year(year) if int(year) in _YEARS else NUMBERS.integer(year)


def clock_times(text: str) -> str:
    """ "14:30 Uhr", "14.30 Uhr", "14:30" -> "vierzehn Uhr dreißig"; "1 Uhr" -> "ein Uhr"."""
    if ":" not in text and "Uhr" not in text:
        return text
    return _CLOCK.sub(_clock, text)


def _clock(match: re.Match[str]) -> str:
    hour = match.group(1) or match.group(4) or match.group(6)
    minute = match.group(2) or match.group(5) or "00"
    second = match.group(3)
    words = [_hour(hour), "Uhr"]
    if int(minute):
        words.append(NUMBERS.integer(str(int(minute))))
    if second and int(second):
        words.append("und " + count(str(int(second)), Noun("Sekunde", "Sekunden", True)))
    return " ".join(words)


def _hour(hour: str) -> str:
    return "ein" if int(hour) == 1 else NUMBERS.integer(str(int(hour)))


def one_before_noun(text: str) -> str:
    """ "1 Zimmer" -> "ein Zimmer", "1 Woche" -> "eine Woche" (the article's form; "eins" is the
    number alone)."""
    return _ONE_BEFORE_NOUN.sub(lambda m: "eine" if feminine(m.group(1)) else "ein", text)


def feminine(noun: str) -> bool:
    """Whether `noun` is known to be feminine: named in `words.FEMININE_NOUNS`, or ending in a
    feminine suffix ("Zeitung", "Freiheit", "Nation")."""
    if noun in FEMININE_NOUNS:
        return True
    ending = _FEMININE_ENDING.search(noun)
    return ending is not None and ending.start() > 0 and not noun.lower().endswith(_NOT_FEMININE)


def decades(text: str) -> str:
    """ "1990er" -> "neunzehnhundertneunziger"; "20er" -> "zwanziger"."""
    if "er" not in text:
        return text
    return _DECADE.sub(lambda m: year_words(m.group(1)) + "er", text)
