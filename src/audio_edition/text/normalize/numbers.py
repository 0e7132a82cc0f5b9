"""Numbers in words, for every language num2words can say: digits, cardinals, ordinals, years,
decimals, roman numerals, and the number steps every language shares.

Hyphenated digit groups (phone numbers) and numbers of over `MAX_DIGITS` digits are read digit by
digit; so is a number with a leading zero ("007"). A hyphen that starts a number is the minus
word. Where num2words has no word for a decimal point the decimal stays as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from decimal import Decimal

from num2words import num2words as _num2words

MAX_DIGITS = 15
"""Longer numbers are read digit by digit."""

START = r"(?<![\w.])(?<![0-9],)(?<![A-Z]-)"
"""A number starts a token: not after a letter, digit, "." or "1," and not after "X-"
("COVID-19")."""
END = r"(?![\w])(?![.,][0-9])"
"""A number ends its token."""

ROMAN = r"(?=[MDCLXVI])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
"""A roman numeral (a regex)."""
ROMAN_NUMBER = r"(?![LCDM](?![MDCLXVI]))" + ROMAN
"""A roman numeral that is no lone letter: one of L, C, D or M alone ("Section C", "Part D") is a
letter, not a number."""
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
# A lone "I" is the pronoun ("Mary I love you", "the book I read") unless the sentence ends or
# pauses after it, or "of", "and" or "'s" follows ("Part I.", "Elizabeth I and James I").
_NUMERAL_I_AFTER = re.compile(r"\s*(?:[.,;:!?)\]]|\Z|of\b|and\b|'s\b)")
# A heading that opens with a numeral and "." or ":" ("IV. The Storm"), or is one numeral of
# I, V and X only ("XII"): "CLI", "CD" or "MD" alone are names, not numbers.
_ROMAN_HEADING = re.compile(
    r"^(\s*)(" + ROMAN + r"(?=[.:])|(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})(?=\s*$))"
)

_DIGIT_CHAIN = re.compile(r"(?<![\w.,-])[0-9]+(?:-[0-9]+){2,}(?![\w-])(?![.,][0-9])")
_SIGN = re.compile(r"(?<![^\s(\[])-(?=[$£€¥]?[0-9])")


@functools.lru_cache(maxsize=8192)
def number_words(value: int | Decimal, language: str, to: str = "cardinal") -> str | None:
    """num2words, typed; None where it cannot say the value (it raises many kinds of error)."""
    try:
        words = _num2words(value, lang=language, to=to)
    except Exception:
        return None
    return str(words).replace(",", "")


def number_pattern(group: str, decimal: str) -> str:
    """A regex of a written number with these group and decimal marks ("1,234.5")."""
    g, d = re.escape(group), re.escape(decimal)
    return rf"[0-9]{{1,3}}(?:{g}[0-9]{{3}})+(?:{d}[0-9]+)?|[0-9]+(?:{d}[0-9]+)?"


def number_start(group: str) -> str:
    """`START`, and not after a group of one to three digits and the group mark `group` (where
    the number before could have gone on): each run of groups ("1 000 000") is tried once, not
    again from each of its groups, which takes time growing with the square of its length."""
    if not group.isspace():
        return START  # "." and "1," are refused by START itself
    g = re.escape(group)
    return START + "".join(rf"(?<!(?<![0-9])[0-9]{{{n}}}{g})" for n in (1, 2, 3))


def roman_value(numeral: str) -> int:
    """ "XIV" -> 14."""
    total = 0
    for ch, after in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[ch]
        total += -value if after and _ROMAN_VALUES[after] > value else value
    return total


def lone_i_is_numeral(match: re.Match[str]) -> bool:
    """Whether a lone "I" that `match` ends with is a numeral, not the pronoun."""
    return _NUMERAL_I_AFTER.match(match.string, match.end()) is not None


class NumberWords:
    """One language's numbers in words, with its group and decimal marks ("1,234.5" in English,
    "1.234,5" elsewhere). `digits` is None where num2words cannot say them. `point` is the word
    for the decimal mark where num2words's is not the language's own (Spanish "coma", not
    "punto"); with `whole_fraction` the decimals are read as a number ("3,25": French "trois
    virgule vingt-cinq"), otherwise digit by digit ("three point two five")."""

    def __init__(
        self,
        language: str,
        *,
        group: str,
        decimal: str,
        point: str | None = None,
        whole_fraction: bool = False,
    ) -> None:
        self.language = language
        self.group, self.decimal = group, decimal
        self.pattern = number_pattern(group, decimal)
        """A written number, as a regex."""
        self.start = number_start(group)
        """Where a number may start, as a regex (see number_start)."""
        digits = [number_words(d, language) for d in range(10)]
        self.digits: tuple[str, ...] | None = tuple(d for d in digits if d) if all(digits) else None
        self.minus = self._probe_minus()
        self.point = point or self._probe_point()
        self._fraction = self.integer if whole_fraction else self.spell

    def _probe_minus(self) -> str | None:
        if self.digits is None:
            return None
        minus_one = number_words(-1, self.language)
        one = self.digits[1]
        if minus_one and minus_one.endswith(one) and minus_one[: -len(one)].strip():
            return minus_one[: -len(one)].strip()
        return None

    def _probe_point(self) -> str | None:
        if self.digits is None:
            return None
        said = number_words(Decimal("1.5"), self.language)
        one, five = self.digits[1], self.digits[5]
        if said and said.startswith(one + " ") and said.endswith(" " + five):
            return said[len(one) : -len(five)].strip() or None
        return None

    def spell(self, digits: str) -> str:
        """Digit by digit: "007" -> "zero zero seven"."""
        assert self.digits is not None
        return " ".join(self.digits[int(d)] for d in digits)

    def integer(self, digits: str) -> str:
        """A string of ASCII digits as a cardinal (digit by digit if long or zero-padded)."""
        if len(digits) > MAX_DIGITS or (len(digits) > 1 and digits[0] == "0"):
            return self.spell(digits)
        return number_words(int(digits), self.language) or self.spell(digits)

    def number(self, token: str) -> str:
        """A written number (with the language's group and decimal marks) as words."""
        whole, mark, fraction = token.partition(self.decimal)
        whole = whole.replace(self.group, "")
        if not mark:
            return self.integer(whole)
        if self.point is None:
            return token
        head = self.integer(whole) + " " if whole else ""
        return f"{head}{self.point} {self._fraction(fraction)}"

    def ordinal(self, digits: str) -> str:
        """ "3" -> "third"."""
        if len(digits) > MAX_DIGITS:
            return self.spell(digits)
        return number_words(int(digits), self.language, "ordinal") or self.spell(digits)

    def year(self, digits: str) -> str:
        """ "1995" -> "nineteen ninety-five"."""
        return number_words(int(digits), self.language, "year") or self.integer(digits)

    def numeral(self, match: re.Match[str]) -> str:
        """A roman numeral (group 2) after words (group 1) as a cardinal: "Chapter IV" ->
        "Chapter four"; a lone "I" that is the pronoun stays."""
        words, numeral = match.group(1), match.group(2)
        if numeral == "I" and not words.startswith("World") and not lone_i_is_numeral(match):
            return match.group()
        return words + self.integer(str(roman_value(numeral)))

    def heading_numeral(self, text: str) -> str:
        """A heading that is a roman numeral, or opens with one before "." or ":", in words."""
        return _ROMAN_HEADING.sub(self.numeral, text, count=1)

    def digit_chains(self, text: str) -> str:
        """ "1-800-555-0199" -> digit groups read digit by digit."""
        return _DIGIT_CHAIN.sub(lambda m: ", ".join(map(self.spell, m.group().split("-"))), text)

    def signs(self, text: str) -> str:
        """ "-5" -> "minus 5" where the hyphen starts a number."""
        if self.minus is None:
            return text
        return _SIGN.sub(f"{self.minus} ", text)

    def percent_step(self, word: str) -> Callable[[str], str]:
        """A step reading "3.5%" as the number and then `word` ("percent", or "%" for the
        engine)."""
        pattern = re.compile(self.start + "(" + self.pattern + r")\s?%")

        def percent(text: str) -> str:
            if "%" not in text:
                return text
            return pattern.sub(lambda m: f"{self.number(m.group(1))} {word}", text)

        return percent
