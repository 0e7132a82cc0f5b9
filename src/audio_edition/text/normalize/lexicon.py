"""A pronunciation lexicon: words replaced before every other rule but typography.

Whole words, any case, longest key first; curly apostrophes and quotes in a key match plain ones.
A replacement goes through the later steps, so it may hold digits. `load_lexicon` reads a TOML
file of ``word = "replacement"`` pairs, at the top level or in an optional ``[words]`` table.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeAlias

from audio_edition.errors import InputError
from audio_edition.readers import toml
from audio_edition.text.normalize.common import typography

_Trie: TypeAlias = "dict[str, _Trie]"


class Lexicon:
    """Words and what to say for them, compiled for matching."""

    def __init__(self, words: Mapping[str, str]) -> None:
        self._words: dict[str, str] = {}
        for key, value in words.items():
            written = typography(key).strip()
            if written:
                self._words[written.lower()] = value
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

    def _replacement(self, match: re.Match[str]) -> str:
        found = match.group()
        spoken = self._words.get(found.lower())
        if spoken is None:  # a case-insensitive match whose lower() differs (e.g. "İ")
            spoken = next(
                (v for k, v in self._words.items() if re.fullmatch(re.escape(k), found, re.I)),
                found,
            )
        return spoken


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


def load_lexicon(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read a TOML lexicon of ``word = "replacement"`` pairs (top level or a ``[words]`` table)."""
    name = os.fspath(path)
    data = _read_toml(Path(path), name)
    table = data.get("words")
    pairs = [(k, v) for k, v in data.items() if k != "words" or not isinstance(v, dict)]
    if isinstance(table, dict):
        pairs += table.items()
    lexicon: dict[str, str] = {}
    seen: dict[str, str] = {}
    for word, value in pairs:
        _check_pair(name, word, value)
        if word.lower() in seen:
            raise InputError(
                f"{name}: {word!r} is given twice ({seen[word.lower()]!r}; case is ignored)"
            )
        seen[word.lower()] = word
        lexicon[word] = value
    return lexicon


def _read_toml(file: Path, name: str) -> dict[str, Any]:
    """The lexicon file parsed; InputError when it cannot be read or is no TOML."""
    if file.is_dir():
        raise InputError(f"{name} is a directory, not a lexicon file")
    try:
        source = file.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as error:
        raise InputError(f"cannot read {name}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not valid UTF-8 (byte {error.start})") from None
    try:
        return toml.loads(source)
    except toml.TOMLDecodeError as error:
        raise InputError(f"{name}: not valid TOML ({_toml_problem(str(error))})") from None


def _check_pair(name: str, word: str, value: object) -> None:
    """InputError unless `word` and `value` make a lexicon entry."""
    if not word.strip():
        raise InputError(f"{name}: a word must not be empty")
    if not isinstance(value, str):
        raise InputError(f"{name}: {word!r} must map to a string")
    if not value.strip():
        raise InputError(f"{name}: {word!r} must not map to an empty string")


def _toml_problem(message: str) -> str:
    """ "Invalid value (at line 2, column 5)" -> "line 2: Invalid value"."""
    found = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
    if found:
        return f"line {found.group(1)}: {message[: found.start()]}"
    return message.replace(" (at end of document)", " at the end")
