"""Languages without a module of their own: the common rules, numbers in words where num2words
has them, and everything else left for the engine."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audio_edition.text.normalize import Normalizer

FRENCH = Normalizer("fr")


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("Tapez <nom-de-fichier>", "Tapez nom de fichier"),
        ("a < b et x >= 5", "a < b et x >= cinq"),
        ("x<5", "x < cinq"),
        ("x -> y, List<String>, a << b", "x y, List String, a b"),
        ("A | B", "A, B"),
        ("snake_case, *a* et ^b", "snake case, a et b"),
        ("~5 et a~b", "~cinq et a b"),
        ("C# et \\n", "C# et \\n"),
    ],
)
def test_marks_in_another_language(written, spoken):
    assert FRENCH.spoken_form(written) == spoken


@pytest.mark.parametrize(
    "language, written, spoken",
    [
        ("fr", "J'ai 3 chats.", "J'ai trois chats."),
        ("fr-FR", "Il a 3,5 % de plus.", "Il a trois virgule cinq % de plus."),
        ("fr", "Il y a 1\u202f234 livres.", "Il y a mille deux cent trente-quatre livres."),
        ("fr", "Il fait -4 degr\u00e9s.", "Il fait moins quatre degr\u00e9s."),
        ("fr", "Chapitre IV, Dr. Who", "Chapitre IV, Dr. Who"),
        ("fr", "Voir https://www.exemple.fr/a\u2014merci\u2026", "Voir exemple.fr, merci..."),
        ("de-DE", "Ich habe 21 B\u00fccher.", "Ich habe einundzwanzig B\u00fccher."),
        ("de_de", "Es sind 1.234 Euro.", "Es sind eintausendzweihundertvierunddrei\u00dfig Euro."),
        ("de", "Am 1. Mai", "Am 1. Mai"),
        (
            "de",
            "Es war 1995 & 10:30",
            "Es war eintausendneunhundertf\u00fcnfundneunzig & zehn:drei\u00dfig",
        ),
        ("xx", "I have 3 cats and 2.5 dogs \U0001f600.", "I have 3 cats and 2.5 dogs."),
        ("it", "Ho 3,5 gatti", "Ho 3,5 gatti"),
    ],
)
def test_other_languages(language, written, spoken):
    assert Normalizer(language).spoken_form(written) == spoken


def test_heading_numeral_in_another_language():
    assert (
        Normalizer("fr").spoken_form("IV. La temp\u00eate", heading=True)
        == "quatre. La temp\u00eate"
    )
    assert Normalizer("xx").spoken_form("IV. Storm", heading=True) == "IV. Storm"


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="ascii")), st.sampled_from(["fr", "de", "xx"]))
def test_the_fast_path_agrees_with_the_full_rules(text, language):
    normalizer = Normalizer(language)
    assert normalizer.spoken_form(text) == normalizer._spoken_fully(text, heading=False)
