"""Numbers in words for every language: roman numerals in headings, digit by digit past the
longest number said."""

from __future__ import annotations

import pytest

from audio_edition.text.normalize import Normalizer
from audio_edition.text.normalize.numbers import NumberWords, roman_value

ENGLISH = Normalizer()


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("IV. The Storm", "four. The Storm"),
        ("XII", "twelve"),
        ("II: Beginnings", "two: Beginnings"),
        ("Chapter IX", "Chapter nine"),
        ("I Am Legend", "I Am Legend"),
        ("MMXXIV: A Year", "two thousand and twenty-four: A Year"),
        ("CLI", "CLI"),  # a name, not 151
        ("CD", "CD"),
        ("C", "C"),
    ],
)
def test_heading(written, spoken):
    assert ENGLISH.spoken_form(written, heading=True) == spoken


def test_roman_numeral_alone_is_a_numeral_only_in_a_heading():
    assert ENGLISH.spoken_form("XII") == "XII"
    assert ENGLISH.spoken_form("IV. The Storm") == "IV. The Storm"


def test_huge_numbers_are_read_digit_by_digit():
    spoken = ENGLISH.spoken_form(str(10**40))
    assert spoken == " ".join(["one", *["zero"] * 40])
    assert ENGLISH.spoken_form("9" * 10_000).count("nine") == 10_000


def test_number_words_follow_the_languages_marks():
    french = NumberWords("fr", group=".", decimal=",")
    assert french.number("1.234") == "mille deux cent trente-quatre"
    assert french.number("3,5") == "trois virgule cinq"
    assert (french.minus, french.point) == ("moins", "virgule")
    assert french.ordinal("2") == "deuxième"
    english = NumberWords("en", group=",", decimal=".")
    assert english.number("1,234.5") == "one thousand two hundred and thirty-four point five"
    assert english.year("1995") == "nineteen ninety-five"


def test_a_language_num2words_cannot_say_has_no_number_words():
    unknown = NumberWords("xx", group=".", decimal=",")
    assert (unknown.digits, unknown.minus, unknown.point) == (None, None, None)
    assert unknown.signs("-5") == "-5"


@pytest.mark.parametrize(
    "numeral, value", [("I", 1), ("IV", 4), ("XIV", 14), ("XC", 90), ("MMXXIV", 2024)]
)
def test_roman_values(numeral, value):
    assert roman_value(numeral) == value
