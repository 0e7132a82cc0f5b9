"""What German, French and Spanish share, each saying it in its own words: a decimal comma, dates
written day first, the 24-hour clock, amounts of money and measures after a number, and
abbreviations (see languages/de, fr and es for the words).

- Dates: "3.10.2021", "03/10/2021" and "03-10-2021" are day, month, year; "2021-10-03" is
  year, month, day (a dotted date with a two-digit year may be a version, "1.2.10", and stays).
- Money: a number before or after "€", "$", "£", "¥" or a currency's code or name; two decimals
  are said after the currency ("12,50 €": "zwölf Euro fünfzig"), as they are with "." after a
  sign ("€12.50"); an amount under one is said in cents.
- Measures: a unit after a number (with or without a space) in the language's word, agreeing
  with the number (French plural from 2, German and Spanish from any number but 1; "ein"/"eine",
  "un"/"une", "un"/"una").
- A roman numeral of two or more of I, V and X after a capitalised word ("Louis XIV", "Carlos
  III"; not "Malcolm X") is said as the language says it after that word: French a cardinal
  ("Louis quatorze"), Spanish a king's number; German a ruler's number after a name
  ("Friedrich der Zweite"), a cardinal after a word that numbers parts ("Teil zwei").
- Numbers left after the language's own steps are read by `plain_step`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import NamedTuple

from audio_edition.text.normalize.common import (
    abbreviation_goes_on,
    alternation,
    drop_stars,
    keep_final_period,
)
from audio_edition.text.normalize.numbers import END, ROMAN_NUMBER, START, NumberWords, roman_value
from audio_edition.text.normalize.rules import LanguageRules, Step
from audio_edition.text.normalize.web import host_as_written, web_step


class Noun(NamedTuple):
    """A unit or a currency as counted: one, many, and whether its number is feminine."""

    one: str
    many: str
    feminine: bool = False


class Currency(NamedTuple):
    """A currency: its unit and its hundredth."""

    unit: Noun
    cent: Noun


class Abbreviation(NamedTuple):
    """An abbreviation's words, a regex of what must follow it ("" for anything), and whether
    it may end a sentence ("etc."): then its period before a capital is the sentence's too."""

    spoken: str
    before: str = ""
    final: bool = False


Count = Callable[[str, Noun], str]
"""A written number and a noun, said with the noun agreeing ("3,5", "km" -> "drei Komma fünf
Kilometer")."""
SayDate = Callable[[int, int, str, re.Match[str]], str]
"""Day, month and the year as written (at the match) in words."""

NAME_NEXT = r"\s*[A-ZÀ-ÖØ-Þ]"
"""A capitalised word follows (a name)."""
NUMBER_NEXT = r"\s*[0-9]"
"""A number follows."""

_DAY_FIRST = re.compile(
    r"(?<![\w/.,:-])([0-9]{1,2})([./-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})(?![\w/-])(?![.,][0-9])"
)
_ISO_DATE = re.compile(r"(?<![\w.,-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![\w-])(?![.,][0-9])")
CLOCK = r"(?<![\w:.,])([01]?[0-9]|2[0-4]):([0-5][0-9])(?::([0-5][0-9]))?(?![0-9]|[:.,][0-9])"
"""A time on the 24-hour clock, "14:30" or "14:30:15" (a regex: hour, minute, second)."""
_ENGLISH_CENTS = r"[0-9]+\.[0-9]{2}(?![0-9])"
_SIGNS = "€$£¥"
_RANGE = re.compile(START + r"(?<!-)([0-9]+)-([0-9]+)(?![\w-])(?![.,][0-9])")
_WEB = web_step(host_as_written, None)
_AMPERSAND = re.compile(r"\s*&+\s*")
_INITIAL = re.compile(r"[A-ZÀ-ÖØ-Þ]\.")
_CAPITALISED_BEFORE = re.compile(r"(?<![\w'-])([A-ZÀ-ÖØ-Þ][\w'-]*)\s+\Z")
_SENTENCE_NEXT = re.compile(r"\s+[¿¡]?[A-ZÀ-ÖØ-Þ]")
_ROMAN_AFTER_NAME = re.compile(
    r"\b([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+\s+)(" + ROMAN_NUMBER + r")(?![\w'-])(\.(?=\s+[a-zß-öø-ÿ]))?"
)


def numeric_dates(say: SayDate) -> Step:
    """A step reading "3.10.2021", "03/10/2021" and "2021-10-03" as `say` says a date."""

    def read(match: re.Match[str], day: str, month: str, year: str) -> str:
        if match.group(2) == "." and len(year) == 2:
            return match.group()  # a version number such as 1.2.10
        if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
            return match.group()
        return say(int(day), int(month), year, match)

    def dates(text: str) -> str:
        if "-" in text:
            text = _ISO_DATE.sub(lambda m: read(m, m.group(3), m.group(2), m.group(1)), text)
        if "." in text or "/" in text or "-" in text:
            text = _DAY_FIRST.sub(lambda m: read(m, m.group(1), m.group(3), m.group(4)), text)
        return text

    return dates


def money_step(
    numbers: NumberWords, currencies: Mapping[str, Currency], count: Count, joint: str
) -> Step:
    """A step reading amounts ("12,50 €", "€12.50", "5 Euro") as the number, the currency and
    the cents after `joint` (" " or " con ")."""
    amount = f"{_ENGLISH_CENTS}|{numbers.pattern}"
    signs = "".join(sign for sign in currencies if sign in _SIGNS)
    pattern = re.compile(
        rf"([{signs}])\s?({amount}){END}"
        rf"|{numbers.start}({numbers.pattern})\s?({alternation(currencies)})(?![\w$€£¥])"
    )

    def say(match: re.Match[str]) -> str:
        sign, written = match.group(1, 2) if match.group(1) else match.group(4, 3)
        currency = currencies[sign]
        if re.fullmatch(_ENGLISH_CENTS, written):
            whole, _, cents = written.partition(".")
        else:
            whole, _, cents = written.partition(numbers.decimal)
        if len(cents) > 2:
            return " " + count(written, currency.unit)
        cents_words = numbers.integer(str(int(cents.ljust(2, "0")))) if cents.strip("0") else ""
        if not whole.replace(numbers.group, "").strip("0") and cents_words:
            return " " + count(str(int(cents.ljust(2, "0"))), currency.cent)
        said = count(whole, currency.unit)
        return f" {said}{joint}{cents_words}" if cents_words else f" {said}"

    def money(text: str) -> str:
        return pattern.sub(lambda m: keep_final_period(m, say(m)), text)

    return money


def units_step(numbers: NumberWords, units: Mapping[str, Noun], count: Count) -> Step:
    """A step reading a unit after a number ("5 km", "3,5kg", "20 °C", "50 %") in words."""
    pattern = re.compile(
        numbers.start + "(" + numbers.pattern + r")\s?(" + alternation(units) + r")(?![\w'/])"
    )

    def measures(text: str) -> str:
        return pattern.sub(
            lambda m: keep_final_period(m, count(m.group(1), units[m.group(2)])), text
        )

    return measures


def plain_step(numbers: NumberWords, year: Callable[[str], str] | None = None) -> Step:
    """A step reading the numbers left as words; `year` says a four-digit number standing
    alone where the language reads it as a year."""
    pattern = re.compile(numbers.start + "(" + numbers.pattern + ")" + END)

    def plain(match: re.Match[str]) -> str:
        token = match.group(1)
        if year is not None and len(token) == 4 and token.isdigit():
            return year(token)
        return numbers.number(token)

    return lambda text: pattern.sub(plain, text)


def abbreviation_step(
    table: Mapping[str, Abbreviation], not_names: Collection[str] = frozenset()
) -> tuple[Step, Callable[[str], bool]]:
    """A step reading `table`'s abbreviations (a space in one may be missing: "z.B." is
    "z. B."), and a test of whether text holds one. A title that is one capital ("M.", "D.")
    after a capitalised word not in `not_names` (small letters) is a middle initial and stays
    ("Jean M. Dupont"; "Selon M. Dupont", "Selon Monsieur Dupont")."""
    entries = {key.replace(" ", ""): value for key, value in table.items()}

    def initial(match: re.Match[str]) -> bool:
        if not _INITIAL.fullmatch(match.group()):
            return False
        name = _CAPITALISED_BEFORE.search(match.string, max(0, match.start() - 40), match.start())
        return name is not None and name.group(1).lower() not in not_names

    def say(match: re.Match[str]) -> str:
        entry = entries[re.sub(r"\s", "", match.group())]
        if entry.before == NAME_NEXT and initial(match):
            return match.group()
        said = keep_final_period(match, entry.spoken)
        ends = entry.final and _SENTENCE_NEXT.match(match.string, match.end())
        return said + "." if ends else said

    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w.])(?:"
        + "|".join(
            re.escape(key).replace(r"\.\ ", r"\.\s?")
            + ("" if key.endswith(".") else r"(?!\w)")
            + (f"(?={table[key].before})" if table[key].before else "")
            for key in keys
        )
        + ")"
    )

    def abbreviations(text: str) -> str:
        return pattern.sub(say, text)

    return abbreviations, lambda text: pattern.search(text) is not None


def ranges_step(word: str) -> Step:
    """A step saying the hyphen between two numbers as `word` ("S. 45-50": "bis", "à", "a")
    where the first is the smaller ("1914-18" too); otherwise ("3-1", a score) the hyphen is a
    pause. A date or a time is read before it, and a chain of three or more numbers is left."""

    def say(match: re.Match[str]) -> str:
        first, last = match.group(1, 2)
        if len(first) == 4 and len(last) == 2:
            last = first[:2] + last  # "1914-18"
        joint = f" {word} " if int(first) < int(last) else ", "
        return match.group(1) + joint + match.group(2)

    return lambda text: _RANGE.sub(say, text) if "-" in text else text


def ampersand_step(word: str) -> Step:
    """A step saying "&" as `word`."""
    return lambda text: _AMPERSAND.sub(f" {word} ", text) if "&" in text else text


def roman_after_name_step(
    say: Callable[[str, int], str], ordinal_period: bool = False
) -> tuple[Step, Callable[[str], bool]]:
    """A step saying a roman numeral after a capitalised word as `say` says its value after
    that word, and a test of whether text holds one. With `ordinal_period` (German "Friedrich
    II. war König"), a period after the numeral and before a word in small letters is the
    numeral's, not said."""

    def numeral(match: re.Match[str]) -> str:
        word, written, period = match.group(1), match.group(2), match.group(3) or ""
        if len(written) < 2 or not set(written) <= set("IVX"):
            return match.group()
        said = say(word.rstrip(), roman_value(written))
        return word + said + ("" if ordinal_period else period)

    def has_numeral(text: str) -> bool:
        return ("I" in text or "V" in text or "X" in text) and any(
            numeral(m) != m.group() for m in _ROMAN_AFTER_NAME.finditer(text)
        )

    def numerals(text: str) -> str:
        return _ROMAN_AFTER_NAME.sub(numeral, text) if has_numeral(text) else text

    return numerals, has_numeral


def title_goes_on(table: Mapping[str, Abbreviation]) -> Callable[[str, str], bool]:
    """Whether a sentence the splitter ended after one of `table`'s titles read only before a
    name ("Hr.", "MM.") goes on: it does when the next starts with a capital ("Martin ...")."""
    titles = [key for key, value in table.items() if value.before == NAME_NEXT]
    ending = re.compile(r"(?<![\w.])(?:" + alternation(titles) + r")\Z")
    return lambda before, after: after[:1].isupper() and ending.search(before) is not None


def sentence_goes_on(
    table: Mapping[str, Abbreviation], also: Iterable[str] = ()
) -> Callable[[str, str], bool]:
    """Whether a sentence the splitter ended after one of `table`'s abbreviations (or one of
    those written in `also`, "Std.") goes on: before a digit or a small letter, as one
    abbreviation of several parts, or a title before a name (see abbreviation_goes_on and
    title_goes_on)."""
    abbreviation = abbreviation_goes_on([*table, *also])
    title = title_goes_on(table)
    return lambda before, after: abbreviation(before, after) or title(before, after)


def language_rules(
    numbers: NumberWords,
    comparisons: Mapping[str, str],
    text_steps: tuple[Step, ...],
    number_steps: tuple[Step, ...],
    might_change: Callable[[str], bool],
    goes_on: Callable[[str, str], bool],
) -> LanguageRules:
    """A language's rules the way German, French and Spanish share them: a long code is a
    pause, web hosts and e-mail addresses are left for the engine, and after the language's
    own text steps asterisks and carets say nothing."""
    return LanguageRules(
        numbers=numbers,
        long_code=" … ",
        comparisons=comparisons,
        web=_WEB,
        text_steps=(*text_steps, drop_stars),
        number_steps=number_steps,
        might_change=might_change,
        sentence_goes_on=goes_on,
    )
