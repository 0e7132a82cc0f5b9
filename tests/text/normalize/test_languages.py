"""The registry of languages: a BCP 47 tag picks its language's rules by primary subtag."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize("language", ["fr", "de-AT", "zh-Hant-TW", "xx", "eng"])
def test_any_other_tag_gets_the_generic_rules(language):
    assert Normalizer(language).spoken_form("if a < b, ~x") == "if a < b, x"
