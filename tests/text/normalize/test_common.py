"""The rules for every language: typography, symbols an engine would name, long codes,
placeholders, marks, tidying, and the fast path for text none of them changes."""

from __future__ import annotations

import re
import string
import unicodedata

import emoji
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audio_edition.text.normalize import Normalizer

ENGLISH = Normalizer()
FRENCH = Normalizer("fr")
PROPERTY = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.parametrize(
    "written, spoken",
    [
        # plain text and tidying
        ("The quick brown fox.", "The quick brown fox."),
        ("  Too   many\n spaces , here .", "Too many spaces, here."),
        ("", ""),
        ("* * *", ""),
        # quotes, dashes, ellipses, odd spaces
        ("\u201cDon\u2019t go,\u201d she said.", "Don't go, she said."),
        ('He said "hello" twice.', "He said hello twice."),
        ("It was\u2014at last\u2014over.", "It was, at last, over."),
        ("Wait \u2013 no.", "Wait, no."),
        ("Yes -- no.", "Yes, no."),
        ("Yes - no.", "Yes, no."),
        ("And then\u2026", "And then..."),
        ("a\u00a0b\u2009c", "a b c"),
        ("well-known", "well-known"),
        # emoji and symbols an engine would spell
        ("Great job \U0001f44d\U0001f3fd!", "Great job!"),
        ("I \u2764\ufe0f NY", "I NY"),
        ("\u2022 first \u2192 second \u2605", "first second"),
        ("Acme\u2122 \u00a9 \u00ae", "Acme"),
        ("family \U0001f468\u200d\U0001f469\u200d\U0001f467 time", "family time"),
        ("\U0001f600", ""),
    ],
)
def test_typography_symbols_and_tidying(written, spoken):
    assert ENGLISH.spoken_form(written) == spoken


# Angle brackets and ASCII marks every language reads alike (English words for symbols and
# comparisons are in test_en.py).
@pytest.mark.parametrize(
    "written, spoken",
    [
        # placeholders read as what they hold
        ("pass -j <count> to perform <count> jobs", "pass -j count to perform count jobs"),
        ("copy <input-file> to <output_dir>", "copy input file to output dir"),
        ("rename it <file name>.", "rename it file name."),
        ("enter your <2-letter code>", "enter your two letter code"),
        ("Jane Doe <jane.doe@example.org>", "Jane Doe jane dot doe at example dot org"),
        ("see <https://www.example.com/a>", "see w w w dot example dot com slash a"),
        ("<<count>>", "count"),
        # arrows, shifts and other brackets say nothing
        ("x -> y, a <- b", "x y, a b"),
        ("p => q, r <=> s, u <-> v --> w", "p q, r s, u v w"),
        ("a << b >> c", "a b c"),
        ("a <> b", "a b"),
        ("List<String>", "List String"),
        ("> quoted", "quoted"),
        ("Next >", "Next"),
        ("a<b", "a less than b"),
        # underscore
        ("snake_case and __init__", "snake case and init"),
        ("1_000_000", "one million"),
        ("Name: ______", "Name:"),
        # bar
        ("Home | About | Contact", "Home, About, Contact"),
        ("a||b", "a, b"),
        # exclamation mark before a word
        ("!important", "important"),
        ("Wow!It works!", "Wow! It works!"),
        # emoticons
        ("ok :) fine :-( sure ;) :D", "ok fine sure"),
        ("Options: (a) this", "Options: (a) this"),
        # left for the engine, which says what a narrator would
        ("$HOME and x % y", "$HOME and x % y"),
        ("and/or", "and/or"),
        ("[sic] and {a}", "[sic] and {a}"),
    ],
)
def test_placeholders_arrows_and_marks(written, spoken):
    assert ENGLISH.spoken_form(written) == spoken


@PROPERTY
@given(st.text())
def test_any_text_is_spoken_without_symbols(text):
    for normalizer in (ENGLISH, Normalizer("fr")):
        spoken = normalizer.spoken_form(text)
        assert isinstance(spoken, str)
        assert spoken == normalizer.spoken_form(text)
        assert emoji.emoji_count(spoken) == 0
        symbols = {ch for ch in spoken if unicodedata.category(ch) in {"So", "Cn", "Co", "Cs"}}
        # The degree sign is spoken in English and left for the engine in other languages.
        assert symbols <= ({"\u00b0"} if normalizer.language != "en" else set())
        assert spoken == spoken.strip()


@PROPERTY
@given(st.text(st.characters(codec="ascii")))
def test_the_fast_path_agrees_with_the_full_rules(text):
    assert ENGLISH.spoken_form(text) == ENGLISH._spoken_fully(text, heading=False)


# ASCII marks English never hands to the engine.
NEVER_SPOKEN = set('<>|\\^~*=&@#_"`')
ASCII_WORDS = st.text(string.ascii_letters, min_size=1, max_size=6)
MARKED_TEXT = st.lists(
    st.tuples(
        st.one_of(
            ASCII_WORDS,
            st.integers(0, 999).map(str),
            st.text(string.punctuation, min_size=1, max_size=3),
        ),
        st.sampled_from(["", " "]),
    ),
    min_size=1,
    max_size=12,
).map(lambda pairs: "".join(token + space for token, space in pairs))


@PROPERTY
@given(MARKED_TEXT)
def test_marks_never_reach_the_engine(text):
    spoken = ENGLISH.spoken_form(text)
    assert not NEVER_SPOKEN & set(spoken), (text, spoken)
    assert spoken == ENGLISH._spoken_fully(text, heading=False)
    other = FRENCH.spoken_form(text)
    assert not set("|_*^") & set(other), (text, other)
    # Outside English a comparison is left for the engine, a sign after a space or bracket.
    assert not re.search("[<>]", re.sub(r"(?<![^\s(\[{])[<>]=?(?![<>=])", "", other)), (text, other)


BASE64_LINE = (
    "aGVsbG8gd29ybGQhIFRoaXMgaXMgYSBsb25nIGJhc2U2NCBibG9iIGZyb20gYSBSRUFETUUgZmlsZS4"
    "gSXQgZ29lcyBvbiBhbmQgb24gZm9yIHRob3VzYW5kcyBvZiBjaGFyYWN0ZXJzLg" * 25
)


@pytest.mark.parametrize(
    "written, spoken",
    [
        (f"Paste {BASE64_LINE} into the box.", "Paste a long code into the box."),
        (
            "Commit 3f2a9c1b7e4d5a6f8b9c0d1e2f3a4b5c6d7e8f90 fixed it.",
            "Commit a long code fixed it.",
        ),
        ("The id is 123e4567-e89b-12d3-a456-426614174000.", "The id is a long code."),
        ("Use ghp_16C7e42F292c6912E7710c838347Ae178B4a here", "Use a long code here"),
        ("sha256: e3b0c44298fc1c149afbf4c8996fb924", "sha256: a long code"),
        # not codes: words, plain long numbers, identifiers without digits, URLs, addresses
        ("The word internationalization is long.", "The word internationalization is long."),
        ("MyVeryLongCamelCaseIdentifier is fine", "MyVeryLongCamelCaseIdentifier is fine"),
        ("A deadbeefcafebabe value", "A deadbeefcafebabe value"),
        (
            "See https://example.com/a8f9e7d6c5b4a3f2e1d0AbCdEfGh12345 here",
            "See example dot com here",
        ),
        (
            "Mail ab3f2a9c1b@abc.com",
            "Mail ab three f two a nine c one b at abc dot com",
        ),
    ],
)
def test_long_codes_are_described_not_spelled(written, spoken):
    assert ENGLISH.spoken_form(written) == spoken


def test_a_long_code_is_a_pause_in_another_language():
    assert FRENCH.spoken_form(f"Collez {BASE64_LINE} ici.") == "Collez … ici."
