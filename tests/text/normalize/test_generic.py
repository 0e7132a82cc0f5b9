"""Languages without a module of their own: the common rules, numbers in words where num2words
has them, and everything else left for the engine."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audio_edition.text.normalize import Normalizer

ITALIAN = Normalizer("it")


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("Digita <nome-del-file>", "Digita nome del file"),
        ("a < b e x >= 5", "a < b e x >= cinque"),
        ("x<5", "x < cinque"),
        ("x -> y, List<String>, a << b", "x y, List String, a b"),
        ("A | B", "A, B"),
        ("snake_case, *a* e ^b", "snake case, a e b"),
        ("~5 e a~b", "~cinque e a b"),
        ("C# e \\n", "C# e \\n"),
    ],
)
def test_marks_in_another_language(written, spoken):
    assert ITALIAN.spoken_form(written) == spoken


@pytest.mark.parametrize(
    "language, written, spoken",
    [
        ("it", "Ho 3 gatti.", "Ho tre gatti."),
        ("it-IT", "Ci sono 1.234 libri.", "Ci sono milleduecentotrentaquattro libri."),
        ("it", "Ci sono 1\u202f234 libri.", "Ci sono milleduecentotrentaquattro libri."),
        ("it", "Fa -4 gradi.", "Fa meno quattro gradi."),
        ("it", "Capitolo IV, Dr. Who", "Capitolo IV, Dr. Who"),
        ("it", "Vedi https://www.esempio.it/a\u2014grazie\u2026", "Vedi esempio.it, grazie..."),
        ("it_it", "Il 1. maggio", "Il 1. maggio"),
        ("it", "Era il 1995 & 10:30", "Era il millenovecentonovantacinque & dieci:trenta"),
        ("nl", "Ik heb 21 boeken.", "Ik heb eenentwintig boeken."),
        ("xx", "I have 3 cats and 2.5 dogs \U0001f600.", "I have 3 cats and 2.5 dogs."),
        ("it", "Ho 3,5 gatti", "Ho 3,5 gatti"),
    ],
)
def test_other_languages(language, written, spoken):
    assert Normalizer(language).spoken_form(written) == spoken


def test_heading_numeral_in_another_language():
    assert Normalizer("it").spoken_form("IV. La tempesta", heading=True) == "quattro. La tempesta"
    assert Normalizer("xx").spoken_form("IV. Storm", heading=True) == "IV. Storm"


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="ascii")), st.sampled_from(["it", "nl", "xx"]))
def test_the_fast_path_agrees_with_the_full_rules(text, language):
    normalizer = Normalizer(language)
    assert normalizer.spoken_form(text) == normalizer._spoken_fully(text, heading=False)
