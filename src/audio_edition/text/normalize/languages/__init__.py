"""The languages the normalizer knows, by BCP 47 primary subtag: "en-GB" and "en_us" are English;
a language without a module of its own gets the generic rules.

A language is a module (or package) here with `rules(tag: LanguageTag) -> LanguageRules`, and a
line in `_LANGUAGES`; it is imported when a text in it is first normalized (English never loads
German).
"""

from __future__ import annotations

import importlib
import re

from audio_edition.text.normalize.languages import generic
from audio_edition.text.normalize.rules import LanguageRules, LanguageTag

DEFAULT_LANGUAGE = "en"
"""The language of a document that names none."""

_LANGUAGES = frozenset({"de", "en", "es", "fr"})
"""The languages with a module of their own, named by their primary subtag."""


def language_tag(language: str) -> LanguageTag:
    """ "en-GB" -> ("en", "gb"); "" -> the default language."""
    primary, *rest = re.split(r"[-_]", language.strip(), maxsplit=1)
    return LanguageTag(primary.lower() or DEFAULT_LANGUAGE, "".join(rest).lower())


def rules_for(tag: LanguageTag) -> LanguageRules:
    """The rules for `tag`'s language: its own, or the generic ones."""
    if tag.primary not in _LANGUAGES:
        return generic.rules(tag)
    module = importlib.import_module(f"{__name__}.{tag.primary}")
    rules: LanguageRules = module.rules(tag)
    return rules
