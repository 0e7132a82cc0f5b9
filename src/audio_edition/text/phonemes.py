"""Words said in IPA: how spoken text carries a lexicon's IPA to an engine that takes phonemes.

In spoken text such a word is IPA_OPEN, its respelling, IPA_BETWEEN, its IPA, IPA_CLOSE. The
marks are private-use characters, which normalization deletes from any text read, so only the
lexicon makes them. An engine that takes phonemes writes each in its own markup (hibari's
``[word](/IPA/)``, Piper's ``[[ IPA ]]``); shown to a person, it is "respelling /IPA/".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from audio_edition.document import IPA_BETWEEN, IPA_CLOSE, IPA_OPEN

_SAID_IN_IPA = re.compile(f"{IPA_OPEN}([^{IPA_BETWEEN}]*){IPA_BETWEEN}([^{IPA_CLOSE}]*){IPA_CLOSE}")
NOT_IN_IPA = "/[]()" + IPA_OPEN + IPA_BETWEEN + IPA_CLOSE
"""Characters an IPA pronunciation may not hold (they would end an engine's markup)."""


def spoken_ipa(ipa: str) -> str:
    """IPA as an engine is given it: without syllable marks, which engines read as stops."""
    return ipa.replace(".", "")


def said_in_ipa(respelling: str, ipa: str) -> str:
    """A word as spoken text carries it to an engine that takes phonemes."""
    return f"{IPA_OPEN}{respelling}{IPA_BETWEEN}{ipa}{IPA_CLOSE}"


def with_ipa_as(text: str, markup: Callable[[str, str], str]) -> str:
    """`text` with each word said in IPA written by `markup(respelling, ipa)`."""
    return _SAID_IN_IPA.sub(lambda found: markup(found[1], found[2]), text)


def shown(text: str) -> str:
    """`text` as a person reads it: a word said in IPA as "respelling /IPA/"."""
    return with_ipa_as(text, lambda respelling, ipa: f"{respelling} /{ipa}/")
