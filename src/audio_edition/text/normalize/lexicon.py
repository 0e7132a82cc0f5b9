"""A pronunciation lexicon: words replaced before every other rule but typography.

Whole words, any case, longest key first; curly apostrophes and quotes in a key match plain ones.
A replacement goes through the later steps, so it may hold digits. `load_lexicon` reads a TOML
file of ``word = "replacement"`` pairs, at the top level or in an optional ``[words]`` table; an
entry may instead be ``word = { say = "respelling", ipa = "..." }``: an engine that takes
phonemes is given the IPA (see text.phonemes), any other the respelling (default: the word).
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

from audio_edition.errors import InputError
from audio_edition.readers import toml
from audio_edition.text.normalize.common import typography
from audio_edition.text.phonemes import NOT_IN_IPA, said_in_ipa, spoken_ipa

MAX_LEXICON_BYTES = 16 * 1024 * 1024
"""A larger lexicon file is refused (a lexicon of 100,000 words is about 3 MiB)."""
_Trie: TypeAlias = "dict[str, _Trie]"
_ENTRY = "must map to a string, or a table of ipa and an optional say"
_HELD = re.compile("qzq([a-z]+)qzq", re.IGNORECASE)
"""A word held back from the later steps as a placeholder of letters no rule but case
changes (a web address is lower-cased)."""


@dataclass(frozen=True)
class Pronunciation:
    """What to say for a word: a respelling any engine reads, and the IPA for an engine that
    takes phonemes."""

    say: str
    ipa: str | None = None


class Lexicon:
    """Words and what to say for them, compiled for matching. With `phonemes`, a word with IPA
    is held back from the later steps and given as IPA (see `restore`)."""

    def __init__(self, words: Mapping[str, str | Pronunciation], phonemes: bool = False) -> None:
        self._words: dict[str, Pronunciation] = {}
        self._phonemes = phonemes
        self._held: dict[Pronunciation, int] = {}
        for key, value in words.items():
            written = typography(key).strip()
            if written:
                said = value if isinstance(value, Pronunciation) else Pronunciation(value)
                self._words[written.lower()] = said
        self._pattern = (
            re.compile(r"(?<!\w)" + _trie_pattern(self._words) + r"(?!\w)", re.IGNORECASE)
            if self._words
            else None
        )

    def __bool__(self) -> bool:
        return self._pattern is not None

    def found_in(self, text: str) -> bool:
        """Whether a word of the lexicon is in `text`."""
        return self._pattern is not None and self._pattern.search(text) is not None

    def apply(self, text: str) -> str:
        """Lexicon words in `text` to their replacements."""
        return text if self._pattern is None else self._pattern.sub(self._replacement, text)

    def restore(self, text: str) -> str:
        """The words held back in `text` as spoken text carries IPA (text.phonemes)."""
        if not self._held:
            return text
        return _HELD.sub(lambda found: self._said(found[1]), text)

    def _said(self, letters: str) -> str:
        pronunciation = list(self._held)[_number(letters.lower())]
        assert pronunciation.ipa is not None
        return said_in_ipa(pronunciation.say, pronunciation.ipa)

    def _replacement(self, match: re.Match[str]) -> str:
        found = match.group()
        said = self._words.get(found.lower())
        if said is None:  # a case-insensitive match whose lower() differs (e.g. "İ")
            said = next(
                (v for k, v in self._words.items() if re.fullmatch(re.escape(k), found, re.I)),
                Pronunciation(found),
            )
        if said.ipa is None or not self._phonemes:
            return said.say
        number = self._held.setdefault(said, len(self._held))
        return f"Qzq{_letters(number)}qzQ"


def _letters(number: int) -> str:
    """`number` in base 26, a to z: a placeholder's name, free of digits."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters = string.ascii_lowercase[digit] + letters
        if number == 0:
            return letters


def _number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + string.ascii_lowercase.index(letter)
    return number


def _trie_pattern(keys: Iterable[str]) -> str:
    """A regex matching any of `keys`, longest first, as a trie (fast for large lexicons)."""
    trie: _Trie = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: _Trie) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def load_lexicon(path: str | os.PathLike[str]) -> dict[str, str | Pronunciation]:
    """Read a TOML lexicon of ``word = "replacement"`` pairs or ``word = { say = "...",
    ipa = "..." }`` entries (top level or a ``[words]`` table)."""
    name = os.fspath(path)
    data = toml.read_toml_file(Path(path), "lexicon", MAX_LEXICON_BYTES)
    table = data.get("words")
    pairs = [(k, v) for k, v in data.items() if k != "words" or not _is_words_table(v)]
    if isinstance(table, dict) and _is_words_table(table):
        pairs += table.items()
    return lexicon_entries(pairs, name)


def lexicon_entries(
    pairs: Iterable[tuple[str, object]], name: str
) -> dict[str, str | Pronunciation]:
    """The entries `word = value` read from the file `name`, checked as load_lexicon checks
    them (an InputError in one line naming the file)."""
    lexicon: dict[str, str | Pronunciation] = {}
    seen: dict[str, str] = {}
    for word, value in pairs:
        if word.lower() in seen:
            raise InputError(
                f"{name}: {word!r} is given twice ({seen[word.lower()]!r}; case is ignored)"
            )
        seen[word.lower()] = word
        lexicon[word] = _pronunciation(name, word, value)
    return lexicon


def _is_words_table(value: object) -> bool:
    """Whether a top-level table is the ``[words]`` table, not an entry named "words"."""
    return isinstance(value, dict) and not (value and set(value) <= {"say", "ipa"})


def _pronunciation(name: str, word: str, value: object) -> str | Pronunciation:
    """The entry `word = value` of the lexicon file `name`; InputError unless it is one."""
    if not word.strip():
        raise InputError(f"{name}: a word must not be empty")
    if isinstance(value, dict):
        return _with_ipa(name, word, value)
    if not isinstance(value, str):
        raise InputError(f"{name}: {word!r} {_ENTRY}")
    if not value.strip():
        raise InputError(f"{name}: {word!r} must not map to an empty string")
    return value


def _with_ipa(name: str, word: str, table: dict[str, Any]) -> Pronunciation:
    """A ``{ say = "...", ipa = "..." }`` entry, checked."""
    unknown = sorted(set(table) - {"say", "ipa"})
    if unknown or "ipa" not in table:
        raise InputError(f"{name}: {word!r} {_ENTRY}")
    say, ipa = table.get("say", word), table["ipa"]
    for key, value in (("say", say), ("ipa", ipa)):
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"{name}: {word!r}'s {key} must be a string, not empty")
    held = sorted(set(ipa) & set(NOT_IN_IPA))
    if held:
        raise InputError(f"{name}: {word!r}'s ipa must not hold {' '.join(held)}")
    return Pronunciation(say, spoken_ipa(ipa.strip()))
