"""English: words for web addresses, abbreviations, roman numerals, symbols, comparisons, and
numbers, dates, times and measures."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audio_edition.text.normalize import Normalizer
from audio_edition.text.normalize.languages.en.numbers import YEAR
from audio_edition.text.normalize.languages.en.words import (
    BEFORE_DIGITS,
    BEFORE_NUMBER,
    CAPITAL_UNITS,
    GLUED_UNITS,
    MONTH_WORDS,
    SCALE_ABBREVIATIONS,
    STREETS,
    TITLES,
    UNITS,
)
from audio_edition.text.normalize.numbers import ROMAN_NUMBER

ENGLISH = Normalizer()
PROPERTY = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.parametrize(
    "written, spoken",
    [
        # URLs and e-mail
        ("Visit https://www.example.com/a/b?x=1 today.", "Visit w w w dot example dot com today."),
        ("See www.bbc.co.uk.", "See w w w dot bbc dot co dot u k."),
        ("see example.com.", "see example dot com."),
        (
            "Go to http://user@Docs.Python.org:8080/3/ now",
            "Go to docs dot python dot org colon eight zero eight zero now",
        ),
        ("Open http:// here", "Open link here"),
        (
            "See https://x.com/a\u2014then example.org/b\u2026",
            "See x dot com slash a, then example dot org slash b...",
        ),
        ("Mail jane.doe@example.org.", "Mail jane dot doe at example dot org."),
        (
            "Mail j_smith+news@mail.example.com",
            "Mail j underscore smith plus news at mail dot example dot com",
        ),
        # abbreviations
        ("He met Dr. Who.", "He met Doctor Who."),
        ("Mr. and Mrs. Smith met Ms. Jones.", "Mister and Missus Smith met Miz Jones."),
        ("Prof. Xavier", "Professor Xavier"),
        ("John Smith Jr. and Sr. Smith", "John Smith Junior and Senior Smith"),
        ("St. Louis is on Main St. today", "Saint Louis is on Main Street today"),
        ("I live on Baker St.", "I live on Baker Street."),
        ("Mt. Everest", "Mount Everest"),
        ("fruit, e.g. apples", "fruit, for example apples"),
        ("fruit, i.e., apples", "fruit, that is, apples"),
        ("apples, pears, etc.", "apples, pears, et cetera."),
        ("apples, etc., and pears", "apples, et cetera, and pears"),
        ("Ali vs Frazier vs. Foreman", "Ali versus Frazier versus Foreman"),
        ("approx. 20 people", "approximately twenty people"),
        ("No. 5 and No way", "number five and No way"),
        # roman numerals
        ("Chapter IV", "Chapter four"),
        ("In part XII we read book iv", "In part twelve we read book iv"),
        ("Act II, Scene III", "Act two, Scene three"),
        ("I walked with Vi and Liv", "I walked with Vi and Liv"),
        ("Chapter IIII", "Chapter IIII"),
        # years, decades, ranges
        ("In 1995 it rained.", "In nineteen ninety-five it rained."),
        ("In 2024 and 2005.", "In twenty twenty-four and two thousand and five."),
        ("In 1066 they came.", "In ten sixty-six they came."),
        ("With 1066 they came.", "With one thousand and sixty-six they came."),
        (
            "Rooms 201 305 1200 are free.",
            "Rooms two hundred and one three hundred and five twelve hundred are free.",
        ),
        ("the 1990s and the '80s", "the nineteen nineties and the eighties"),
        ("from 1990-1995", "from nineteen ninety to nineteen ninety-five"),
        ("pages 5-7 and 10\u201320", "pages five to seven and ten to twenty"),
        ("mid-1990s", "mid-nineteen nineties"),
        # dates
        ("On 2024-03-15 we met.", "On March fifteenth, twenty twenty-four we met."),
        ("March 15, 2024", "March fifteenth, twenty twenty-four"),
        ("15 March 2024", "the fifteenth of March twenty twenty-four"),
        ("on the 1st of May", "on the first of May"),
        ("on the 4 July", "on the fourth of July"),
        ("Sept. 3rd", "September third"),
        # times
        ("at 10:30", "at ten thirty"),
        ("at 7:05", "at seven oh five"),
        ("at 10:00 sharp", "at ten o'clock sharp"),
        ("at 14:45", "at two forty-five PM"),
        ("at 10:30 pm", "at ten thirty PM"),
        ("We left at 10:30 p.m.", "We left at ten thirty PM."),
        ("at 7am or 9 PM", "at seven AM or nine PM"),
        ("at 10:00 pm", "at ten PM"),
        # money
        ("$5", "five dollars"),
        ("$1", "one dollar"),
        ("$5.99", "five dollars and ninety-nine cents"),
        ("$0.99", "ninety-nine cents"),
        ("\u00a310 and \u00a31.01", "ten pounds and one pound and one penny"),
        ("\u20ac3.50", "three euros and fifty cents"),
        ("\u00a5500", "five hundred yen"),
        ("$3 million", "three million dollars"),
        ("$1.2 billion", "one point two billion dollars"),
        ("$5m and $20k", "five million dollars and twenty thousand dollars"),
        ("$1,000", "one thousand dollars"),
        ("-$5", "minus five dollars"),
        # percent, ordinals, decimals, plain numbers
        ("50%", "fifty percent"),
        ("3.5% more", "three point five percent more"),
        ("1st, 22nd, 103rd and 4th", "first, twenty-second, one hundred and third and fourth"),
        ("3.14", "three point one four"),
        (
            "1,234,567",
            "one million two hundred and thirty-four thousand five hundred and sixty-seven",
        ),
        ("It is -5 outside", "It is minus five outside"),
        ("42 apples", "forty-two apples"),
        ("007", "zero zero seven"),
        (
            "1234567890123456",
            "one two three four five six seven eight nine zero one two three four five six",
        ),
        ("Call 1-800-555-0199", "Call one, eight zero zero, five five five, zero one nine nine"),
        ("4K MP3 COVID-19 B2B", "4K MP3 COVID-19 B2B"),
        ("version 1.2.3", "version one point two point three"),
        # symbols
        ("AT&T and R&D", "AT and T and R and D"),
        ("2+2=4", "two plus two equals four"),
        ("C++ rocks", "C++ rocks"),
        ("#1 hit", "number one hit"),
        (
            "It was 25\u00b0C, or 77\u00b0F.",
            "It was twenty-five degrees Celsius, or seventy-seven degrees Fahrenheit.",
        ),
        ("a 90\u00b0 turn", "a ninety degrees turn"),
        ("3\u00d74", "three by four"),
        ("3\u00d74=12", "three times four equals twelve"),
        ("5 * 3 = 15", "five times three equals fifteen"),
        ("2^10 bytes", "two to the power of ten bytes"),
        ("A *starred* word", "A starred word"),
        ("meet @ noon", "meet at noon"),
        ("~50 people", "about fifty people"),
    ],
)
def test_english(written, spoken):
    assert ENGLISH.spoken_form(written) == spoken


# Symbols and comparisons in English words: one row per decision.
@pytest.mark.parametrize(
    "written, spoken",
    [
        # comparisons between words or before a number
        ("if a < b and x > y", "if a less than b and x greater than y"),
        ("if a <= b or x >= y", "if a less than or equal to b or x greater than or equal to y"),
        ("a<=b", "a less than or equal to b"),
        ("latency <5 ms", "latency less than five milliseconds"),
        ("(>90%)", "(greater than ninety percent)"),
        ("x>0 and x<-5", "x greater than zero and x less than minus five"),
        # equals, and
        ("a == b and a === b", "a equals b and a equals b"),
        ("a != b", "a not equal to b"),
        ("Title\n=====", "Title"),
        ("a && b", "a and b"),
        # powers and products
        ("2^3 and x^2", "two to the power of three and x to the power of two"),
        ("(a+b)^2", "(a plus b) to the power of two"),
        ("10^-3", "ten to the power of minus three"),
        ("2^n", "two to the power of n"),
        ("^ this and word^foot", "this and word foot"),
        ("2**10", "two to the power of ten"),
        # hash
        ("C# and F#", "C sharp and F sharp"),
        ("follow #MeToo", "follow hashtag MeToo"),
        ("issue#5", "issue number five"),
        ("a # b and ## and word#", "a b and and word"),
        # tilde
        ("~5 people, ~$20", "about five people, about twenty dollars"),
        ("a ~ b, ~here~", "a b, here"),
        # backslash
        ("C:\\Users\\me", "C backslash Users backslash me"),
        ("type \\n", "type backslash n"),
    ],
)
def test_symbols_and_comparisons(written, spoken):
    assert ENGLISH.spoken_form(written) == spoken


# Words some rule rewrites on purpose (abbreviations, am/pm, months, time zones, units and scales
# after a number, "x" between numbers) or that introduce a roman numeral.
REWRITTEN = {
    *("dr", "mr", "mrs", "ms", "prof", "jr", "sr", "st", "mt", "no", "approx", "etc", "vs"),
    *("am", "pm", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct"),
    *("nov", "dec", "chapter", "part", "book", "volume", "act", "scene", "section"),
    *(month.lower() for month in MONTH_WORDS),
    *("est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "aest", "aedt", "gmt", "utc"),
    *("bst", "cet", "cest", "x", "s", "st", "nd", "rd", "th"),  # "21 st": twenty-first
    *(unit.lower() for unit in (*UNITS, *GLUED_UNITS, *SCALE_ABBREVIATIONS)),
    *(key.lower().rstrip(".") for key in (*BEFORE_NUMBER, *BEFORE_DIGITS, *TITLES, *STREETS)),
}
WORDS = (
    st.text("abcdefghijklmnopqrstuvwxyz\u00e9\u00f1", min_size=1, max_size=8)
    .filter(lambda word: word not in REWRITTEN)
    .filter(lambda word: not re.fullmatch(ROMAN_NUMBER, word.upper()))  # "Henry XV": fifteen
    .flatmap(lambda word: st.sampled_from([word, word.capitalize(), word.upper()]))
)
SEPARATORS = st.sampled_from(
    [
        *(" ", ", ", ". ", "; ", ": ", "! ", "? ", " \u2014 ", " - ", "... ", " (", ") ", ' "'),
        *('" ', " \u201c", "\u201d ", " & ", " 42 ", " 3.5% ", " $12 ", " 1990 ", " 7th "),
        *(" 10:30 ", " \U0001f600 ", " \u2022 ", " -5 ", " 1-2 "),
    ]
)


@PROPERTY
@given(st.lists(st.tuples(WORDS, SEPARATORS), min_size=1, max_size=20))
def test_every_word_is_spoken_in_order(pairs):
    text = "".join(word + separator for word, separator in pairs)
    words = [word for word, _ in pairs]
    spoken = iter(re.findall(r"[^\W\d_]+", ENGLISH.spoken_form(text)))
    assert all(word in spoken for word in words), (text, ENGLISH.spoken_form(text))


def _grouped(n: int) -> str:
    return f"{n:,}"


INTEGERS = st.integers(-(10**20), 10**20)
DECIMALS = st.decimals(-(10**6), 10**6, places=3, allow_nan=False, allow_infinity=False)
NUMBERS = st.one_of(
    INTEGERS.map(str),
    INTEGERS.map(_grouped),
    DECIMALS.map(str),
    st.integers(1100, 2099).map(str),
    st.integers(1100, 2090).map(lambda y: f"{y - y % 10}s"),
    st.integers(1, 9).map(lambda d: f"'{d}0s"),
    st.tuples(INTEGERS, st.sampled_from(["%", " %"])).map(lambda t: f"{t[0]}{t[1]}"),
    DECIMALS.map(lambda d: f"{d}%"),
    st.integers(0, 10**18).map(lambda n: f"{n}{'th' if 10 <= n % 100 <= 20 else 'st'}"),
    st.tuples(
        st.sampled_from(["$", "\u00a3", "\u20ac", "\u00a5"]),
        st.integers(0, 10**9).map(_grouped),
        st.sampled_from(["", ".5", ".05", ".99", ".123"]),
        st.sampled_from(["", " million", " billion", "k", "bn"]),
    ).map("".join),
    st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda t: f"{t[0]}:{t[1]:02d}"),
    st.tuples(
        st.integers(1, 12), st.integers(0, 59), st.sampled_from(["am", " pm", " p.m.", "AM"])
    ).map(lambda t: f"{t[0]}:{t[1]:02d}{t[2]}"),
    st.tuples(st.integers(1, 12), st.sampled_from(["am", " pm"])).map(lambda t: f"{t[0]}{t[1]}"),
    st.dates().map(lambda d: d.isoformat()),
    st.tuples(st.integers(0, 3000), st.integers(0, 3000)).map(lambda t: f"{t[0]}-{t[1]}"),
    st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda t: f"{t[0]}\u2013{t[1]}"),
    st.integers(0, 10**6).map(lambda n: f"#{n}"),
    st.integers(0, 10**6).map(lambda n: f"~{n}"),
    st.integers(-50, 150).map(lambda n: f"{n}\u00b0C"),
)


@PROPERTY
@given(st.lists(NUMBERS, min_size=1, max_size=8), st.sampled_from(["", ".", "!", ","]))
def test_every_number_is_spoken_in_words(numbers, end):
    text = " ".join(numbers) + end
    spoken = ENGLISH.spoken_form(text)
    assert not re.search("[0-9]", spoken), (text, spoken)
    assert spoken


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("Add 1/4 cup of milk.", "Add one quarter cup of milk."),
        ("Use 3 1/2 cups.", "Use three and a half cups."),
        ("About 2/3 of voters.", "About two thirds of voters."),
        ("It is 5/8 done.", "It is five eighths done."),
        ("Cut 3 2/4 inches.", "Cut three and two quarters inches."),
        ("Open 24/7.", "Open twenty-four seven."),
        ("A 50/50 split.", "A fifty fifty split."),
        ("On 3/4/2021 we met.", "On March fourth, twenty twenty-one we met."),
        ("On 25/07/2012 we met.", "On the twenty-fifth of July twenty twelve we met."),
        ("On the 25.07.2012 we met.", "On the twenty-fifth of July twenty twelve we met."),
        ("Due 12/31/99.", "Due December thirty-first, ninety-nine."),
        ("Version 1.2.10 is out.", "Version one point two point ten is out."),
    ],
)
def test_fractions_and_slashed_or_dotted_dates(written, spoken):
    assert ENGLISH.spoken_form(written) == spoken


def test_a_slashed_date_is_day_first_outside_the_united_states():
    assert (
        Normalizer("en-GB").spoken_form("On 3/4/2021.")
        == "On the third of April twenty twenty-one."
    )
    assert Normalizer("en-US").spoken_form("On 3/4/2021.") == "On March fourth, twenty twenty-one."


@pytest.mark.parametrize(
    "written, spoken",
    [
        (
            "Call (555) 123-4567 now.",
            "Call five five five, one two three, four five six seven now.",
        ),
        (
            "Call +1 (555) 123-4567.",
            "Call plus one, five five five, one two three, four five six seven.",
        ),
        (
            "Ring +44 20 7946 0958 today.",
            "Ring plus four four, two zero, seven nine four six, zero nine five eight today.",
        ),
        ("Call 555.123.4567.", "Call five five five, one two three, four five six seven."),
        ("Ping 192.168.0.1 first.", "Ping one nine two dot one six eight dot zero dot one first."),
        ("Use v2.3.1 today.", "Use version two point three point one today."),
        ("Release 1.2.10 is out.", "Release one point two point ten is out."),
        ("Pi is 3.14 here.", "Pi is three point one four here."),
        ("It costs +5 points.", "It costs plus five points."),
    ],
)
def test_phone_numbers_addresses_and_versions(written, spoken):
    assert ENGLISH.spoken_form(written) == spoken


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("It weighs 12kg.", "It weighs twelve kilograms."),
        ("Walk 1 km, then 2 km.", "Walk one kilometer, then two kilometers."),
        ("Drive 30 mph.", "Drive thirty miles per hour."),
        ("At 30 km/h now.", "At thirty kilometers per hour now."),
        ("Get 5 GB at 3 mbps.", "Get five gigabytes at three megabits per second."),
        ("Costs 12/kg.", "Costs twelve per kilogram."),
        ("Run the 100m sprint.", "Run the one hundred meters sprint."),
        ("A 2-5lb bag.", "A two to five pounds bag."),
        ("A 2x8 board, a 3 x 4 x 5 box.", "A two by eight board, a three by four by five box."),
        ("Costs $.50 each.", "Costs fifty cents each."),
        # a spaced abbreviation that could be a word, a hex literal, money scales: unchanged
        ("I have 2 in my hand.", "I have two in my hand."),
        ("Use 0x10 here.", "Use 0x10 here."),
        ("$5m and $20k", "five million dollars and twenty thousand dollars"),
    ],
)
def test_units_dimensions_and_cents(written, spoken):
    assert ENGLISH.spoken_form(written) == spoken


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("At 1.59 p.m. today.", "At one fifty-nine PM today."),
        ("At 01:00 a.m we left.", "At one AM we left."),
        ("At 10:00:00 p.m. e.s.t we left.", "At ten PM E S T we left."),
        ("At 1:59 p.m. EST sharp.", "At one fifty-nine PM E S T sharp."),
        ("At 7 PM EST.", "At seven PM E S T."),
        ("Meet at 14:30 UTC.", "Meet at two thirty PM U T C."),
        ("At 10:30:15 today.", "At ten thirty and fifteen seconds today."),
        ("jul 25 2012 was hot.", "July twenty-fifth twenty twelve was hot."),
        ("On 25 july 2012 it rained.", "On the twenty-fifth of July twenty twelve it rained."),
        ("In the 1980 s we danced.", "In the nineteen eighties we danced."),
        # lower-case "may" and "march" are verbs; a decimal before "am" is not a time
        ("I may 5 times.", "I may five times."),
        ("They march 3 miles.", "They march three miles."),
        ("At 1.5 am?", "At one point five am?"),
    ],
)
def test_times_zones_and_dates_written_any_way(written, spoken):
    assert ENGLISH.spoken_form(written) == spoken


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("Write to asdf123@abc.com today.", "Write to asdf one two three at abc dot com today."),
        (
            "See www.abc123.com/page2 now.",
            "See w w w dot abc one two three dot com slash page two now.",
        ),
        ("Visit 4chan.org now.", "Visit four chan dot org now."),
    ],
)
def test_digits_in_addresses_are_dictated_one_by_one(written, spoken):
    assert ENGLISH.spoken_form(written) == spoken


UNIT_NUMBERS = st.one_of(
    st.integers(0, 10**6).map(str),
    st.decimals(0, 10**4, places=2, allow_nan=False).map(str),
    st.integers(1000, 10**6).map(lambda n: f"{n:,}"),
)


@PROPERTY
@given(UNIT_NUMBERS, st.sampled_from(sorted(UNITS)), st.sampled_from(["", " "]))
def test_no_digit_is_left_beside_a_unit(number, unit, space):
    spoken = ENGLISH.spoken_form(f"It is {number}{space}{unit} long.")
    singular, plural = UNITS[unit]
    assert not re.search("[0-9]", spoken), spoken
    if space and unit in CAPITAL_UNITS and YEAR.fullmatch(number):
        assert f" {unit} long" in spoken, spoken  # "1967 MG": a year and a name, no unit
        return
    assert (singular if number == "1" else plural) in spoken, spoken


@PROPERTY
@given(st.lists(st.integers(0, 9999), min_size=2, max_size=4))
def test_no_slash_reaches_the_engine_between_numbers(numbers):
    spoken = ENGLISH.spoken_form("See " + "/".join(map(str, numbers)) + " here.")
    assert "/" not in spoken and not re.search("[0-9]", spoken), spoken


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("Take the 2 nd turn.", "Take the second turn."),
        ("At the 11 th hour.", "At the eleventh hour."),
        ("In the 21 st century.", "In the twenty-first century."),
        ("He is 2 st heavier.", "He is two st heavier."),  # not the number's own suffix
    ],
)
def test_an_ordinal_suffix_after_a_space(written, spoken):
    assert ENGLISH.spoken_form(written) == spoken


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("World War II ended in 1945.", "World War two ended in nineteen forty-five."),
        ("After World War I, peace.", "After World War one, peace."),
        ("The War I knew.", "The War I knew."),
    ],
)
def test_world_war_numerals(written, spoken):
    assert ENGLISH.spoken_form(written) == spoken
