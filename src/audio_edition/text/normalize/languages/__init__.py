"""The languages the normalizer knows, by BCP 47 primary subtag: "en-GB" and "en_us" are English;
a language without a module of its own gets the generic rules.

A language is a module (or package) here with `rules(tag: LanguageTag) -> LanguageRules`, and a
line in `_LANGUAGES`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from audio_edition.text.normalize.languages import en, generic
from audio_edition.text.normalize.rules import LanguageRules, LanguageTag

DEFAULT_LANGUAGE = "en"
"""The language of a document that names none."""

_LANGUAGES: dict[str, Callable[[LanguageTag], LanguageRules]] = {
    "en": en.rules,
}


def language_tag(language: str) -> LanguageTag:
    """ "en-GB" -> ("en", "gb"); "" -> the default language."""
    primary, *rest = re.split(r"[-_]", language.strip(), maxsplit=1)
    return LanguageTag(primary.lower() or DEFAULT_LANGUAGE, "".join(rest).lower())


def rules_for(tag: LanguageTag) -> LanguageRules:
    """The rules for `tag`'s language: its own, or the generic ones."""
    return _LANGUAGES.get(tag.primary, generic.rules)(tag)
