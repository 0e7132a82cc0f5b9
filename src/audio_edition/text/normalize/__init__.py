"""Written text to its spoken form: the stage between a sentence and the speech engine.

`Normalizer.spoken_form` runs small regex steps in this order, each described where it lives:

1. Typography (common).
2. The lexicon (lexicon).
3. Long codes, symbols an engine would name, angle brackets (common), said in the language.
4. URLs, bare domains and e-mail addresses (web), as the language reads them.
5. Dashes between words and marks that are only markup (common).
6. The language's own steps: for English abbreviations, phone numbers, roman numerals and
   symbols (languages/en); elsewhere asterisks and carets say nothing (languages/generic).
7. With ``heading=True``: a roman numeral that is the whole heading or opens it before "." or
   ":" (numbers), in the language's words.
8. Numbers, by num2words, in the languages it supports (numbers; the language's number steps).
9. Tidying (common), and a word the lexicon gives in IPA put back as IPA (lexicon).

The language is chosen by its BCP 47 tag's primary subtag (languages).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from audio_edition.text.normalize import common
from audio_edition.text.normalize.languages import DEFAULT_LANGUAGE, language_tag, rules_for
from audio_edition.text.normalize.lexicon import Lexicon, Pronunciation
from audio_edition.text.normalize.rules import LanguageRules, Step

_DIGIT = re.compile("[0-9]")


class Normalizer:
    """Written text to its spoken form, for one language, with an optional pronunciation
    lexicon; with `phonemes` (for an engine that takes them), a word the lexicon gives in IPA
    is spoken in IPA (see text.phonemes)."""

    def __init__(
        self,
        language: str = DEFAULT_LANGUAGE,
        lexicon: Mapping[str, str | Pronunciation] | None = None,
        phonemes: bool = False,
    ) -> None:
        tag = language_tag(language)
        self._language = tag.primary
        self._rules = rules_for(tag)
        self._lexicon = Lexicon(lexicon or {}, phonemes)
        self._text_steps = _text_steps(self._rules, self._lexicon)
        self._heading_numerals = self._rules.numbers.digits is not None

    @property
    def language(self) -> str:
        """The base language code in use, e.g. "en" for "en-GB"."""
        return self._language

    def sentence_goes_on(self, before: str, after: str) -> bool:
        """Whether a sentence end the splitter found between `before` and `after` is none in
        this language (see LanguageRules.sentence_goes_on)."""
        return self._rules.sentence_goes_on(before, after)

    def spoken_form(self, text: str, *, heading: bool = False) -> str:
        """`text` as it should be spoken; "" if it has no letter or digit."""
        if (
            not heading
            and text.isascii()
            and not common.might_change(text)
            and not self._rules.might_change(text)
            and not self._lexicon.found_in(text)
        ):
            return common.tidy(text)
        return self._spoken_fully(text, heading=heading)

    def _spoken_fully(self, text: str, *, heading: bool) -> str:
        for step in self._text_steps:
            text = step(text)
        if heading and self._heading_numerals:
            text = self._rules.numbers.heading_numeral(text)
        if _DIGIT.search(text):
            for step in self._rules.number_steps:
                text = step(text)
        return self._lexicon.restore(common.tidy(text))


def _text_steps(rules: LanguageRules, lexicon: Lexicon) -> tuple[Step, ...]:
    """The steps before numbers, in order: the common ones with the language's words, then the
    language's own."""
    return (
        common.typography,
        *((lexicon.apply,) if lexicon else ()),
        functools.partial(common.long_codes, said=rules.long_code),
        common.strip_symbols,
        functools.partial(common.angle_brackets, comparisons=rules.comparisons),
        rules.web,
        common.dashes,
        common.marks,
        *rules.text_steps,
    )
