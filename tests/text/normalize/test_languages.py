"""The registry of languages: a BCP 47 tag picks its language's rules by primary subtag."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audio_edition.text.normalize import Normalizer
from audio_edition.text.normalize.languages import DEFAULT_LANGUAGE


@pytest.mark.parametrize(
    "language, base",
    [("en", "en"), ("en-GB", "en"), ("en_us", "en"), ("FR-fr", "fr"), ("de", "de"), ("", "en")],
)
def test_language_is_the_primary_subtag(language, base):
    assert Normalizer(language).language == base


def test_default_language_is_english():
    assert DEFAULT_LANGUAGE == "en"
    assert Normalizer().language == "en"


@pytest.mark.parametrize("language", ["en", "en-GB", "EN_us", "en-Latn-US"])
def test_an_english_tag_gets_the_english_rules(language):
    assert Normalizer(language).spoken_form("if a < b, ~5") == "if a less than b, about five"


@pytest.mark.parametrize(
    "language, spoken",
    [
        ("de-AT", "wenn a kleiner als b, x"),
        ("fr-CA", "wenn a inférieur à b, x"),
        ("es_MX", "wenn a menor que b, x"),
    ],
)
def test_german_french_and_spanish_get_their_own_rules(language, spoken):
    assert Normalizer(language).spoken_form("wenn a < b, ~x") == spoken


@pytest.mark.parametrize("language", ["it", "nl-BE", "zh-Hant-TW", "xx", "eng"])
def test_any_other_tag_gets_the_generic_rules(language):
    assert Normalizer(language).spoken_form("if a < b, ~x") == "if a < b, x"


def test_english_loads_no_other_language():
    code = (
        "import sys; from audio_edition.text.normalize import Normalizer;"
        "Normalizer('en').spoken_form('On 3. Mai 12,50 € z. B.');"
        "print(sorted(m for m in sys.modules if '.normalize.languages.' in m))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert ".en'" in loaded
    assert not any(f"languages.{name}" in loaded for name in ("de", "fr", "es", "continental"))


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="ascii")), st.sampled_from(["de", "fr", "es", "es-MX"]))
def test_the_fast_path_agrees_with_the_full_rules(text, language):
    normalizer = Normalizer(language)
    assert normalizer.spoken_form(text) == normalizer._spoken_fully(text, heading=False)


_WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzäéñ"), min_size=4, max_size=9)
_NUMBER = st.from_regex(r"-?[0-9]{1,7}(,[0-9]{1,3})?", fullmatch=True)
_MARK = st.sampled_from(["", ".", ",", ":", " %", " €", " km", "h", "e", ".º"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(_WORD, st.tuples(_NUMBER, _MARK).map("".join)), min_size=1, max_size=12),
    st.sampled_from(["de", "fr", "es"]),
)
def test_no_rule_swallows_a_word(tokens, language):
    words = [token for token in tokens if token.isalpha()]
    spoken = Normalizer(language).spoken_form(" ".join(tokens)).split()
    found = iter(word.strip(".,:;!?") for word in spoken)
    assert all(any(word == said for said in found) for word in words)
