"""Fixes kept beside a document: how its sentences and words are spoken.

For ``story.md`` they are in ``story.audio-edition.toml`` (the stem: ``story.txt`` shares it),
never in the source. Its ``[sentences]`` table maps a sentence exactly as written (whitespace
aside) to what to say instead; its ``[words]`` table holds lexicon entries, as --lexicon takes
them, applied everywhere over --lexicon's. plan_narration() and read_document() read it, so
``narrate``, ``batch``, ``publish``, ``spoken`` and the studio speak alike; the studio writes
it through save_sentence_fix() and save_word_fix().
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audio_edition.document import Document, Paragraph, Sentence, spoken_words
from audio_edition.errors import InputError, UsageError, excerpt, shown
from audio_edition.files import atomic_outputs
from audio_edition.readers import toml
from audio_edition.text.normalize import Normalizer
from audio_edition.text.normalize.lexicon import Pronunciation, lexicon_entries
from audio_edition.text.segment import has_word, spoken_parts

log = logging.getLogger(__name__)

FIXES_SUFFIX = ".audio-edition.toml"
"""What follows a document's stem in the name of its fix file."""
MAX_FIXES_BYTES = 8 * 1024 * 1024
"""A larger fix file is refused, and never written: room for every sentence of a long book."""
TABLES = ("sentences", "words")
"""The tables a fix file may hold."""
SHOWN_MISSING = 3
"""The most sentences no longer in the document that the warning about them quotes."""
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPED = re.compile(r'["\\\x00-\x1f\x7f]')
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}  # fmt: skip
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Fixes:
    """What a document's fix file says."""

    sentences: tuple[tuple[str, str], ...] = ()
    """Each sentence as written, whitespace collapsed, and what to say instead, in file order."""
    words: tuple[tuple[str, str | Pronunciation], ...] = ()
    """Lexicon entries, applied over --lexicon's."""

    def digest(self) -> str:
        """Their content as a hex digest (comments and layout aside); "" for no fixes."""
        if not self.sentences and not self.words:
            return ""
        words = [(w, dataclasses.astuple(v) if isinstance(v, Pronunciation) else v)
                 for w, v in self.words]  # fmt: skip
        encoded = json.dumps([self.sentences, words], ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(encoded).hexdigest()


def fixes_path(source: Path) -> Path:
    """The fix file of the document `source`: ``<stem>.audio-edition.toml`` beside it."""
    return source.with_name(source.stem + FIXES_SUFFIX)


def load_fixes(source: Path) -> Fixes:
    """The fixes of the document `source` (none when it has no fix file); an InputError in one
    line naming the file when it is not a fix file."""
    return _parsed(fixes_path(source), _tables(fixes_path(source)))


def save_sentence_fix(source: Path, written: str, spoken: str | None) -> None:
    """Keep in `source`'s fix file that the sentence `written` is said as `spoken` (None
    removes the fix), replacing the file atomically; a UsageError for a sentence or a spoken
    text without a word."""
    key = " ".join(written.split())
    if not has_word(key):
        raise UsageError(f"a sentence to fix must have a word, not {excerpt(key)!r}")
    if spoken is not None and not has_word(spoken):
        raise UsageError(f"the spoken text of {excerpt(key)!r} must have a word to say")
    _save(source, "sentences", key, spoken if spoken is None else " ".join(spoken.split()))


def save_word_fix(source: Path, word: str, say: str | None) -> None:
    """Keep in `source`'s fix file that `word` (any case) is said as `say` (None removes the
    entry), replacing the file atomically; a UsageError for an empty word or respelling."""
    word = word.strip()
    if not word:
        raise UsageError("a word to fix must not be empty")
    if say is not None and not say.strip():
        raise UsageError(f"what to say for {word!r} must not be empty")
    _save(source, "words", word, say if say is None else say.strip())


def apply_fixes(
    document: Document, fixes: Fixes, normalizer: Normalizer, max_words: int, source: str
) -> Document:
    """`document` with each sentence a fix names spoken as it says (see fixed_sentence); a
    warning names the fixed sentences the document `source` no longer holds."""
    if not fixes.sentences:
        return document
    wanted, used = dict(fixes.sentences), set()

    def fixed(paragraph: Paragraph) -> Paragraph:
        sentences = []
        for sentence in paragraph.sentences:
            spoken = wanted.get(sentence.text)
            if spoken is not None:
                used.add(sentence.text)
                sentence = fixed_sentence(sentence, spoken, normalizer, max_words,
                                          paragraph.heading)  # fmt: skip
            sentences.append(sentence)
        return dataclasses.replace(paragraph, sentences=tuple(sentences))

    sections = tuple(
        dataclasses.replace(section, paragraphs=tuple(fixed(p) for p in section.paragraphs))
        for section in document.sections
    )
    _warn_missing(source, [text for text in wanted if text not in used])
    return dataclasses.replace(document, sections=sections)


def fixed_sentence(
    sentence: Sentence, spoken: str, normalizer: Normalizer, max_words: int, heading: bool
) -> Sentence:
    """`sentence` said as `spoken`: normalized like any text (words already spoken as words
    stay as they are), one clip if it fits, else cut like any sentence, all in its first
    part's voice; its written text shared out among the clips by their spoken words."""
    parts = spoken_parts(spoken, max_words, normalizer, heading, sentence.parts[0].speaker)
    written = _shared(sentence.text.split(" "), [spoken_words(part.spoken) for part in parts])
    return Sentence(
        text=sentence.text,
        parts=tuple(dataclasses.replace(p, text=t) for p, t in zip(parts, written, strict=True)),
    )


def _shared(words: list[str], weights: list[float]) -> list[str]:
    """`words` cut into as many runs as `weights`, each about its weight's share of them."""
    total = sum(weights) or 1.0
    ends = [round(len(words) * reached / total) for reached in itertools.accumulate(weights)]
    bounds = [0, *ends[:-1], len(words)]
    return [" ".join(words[start:end]) for start, end in itertools.pairwise(bounds)]


def _warn_missing(source: str, missing: list[str]) -> None:
    """One line naming the fixed sentences `source` no longer holds (their fixes are kept)."""
    if missing:
        count = f"{len(missing)} sentence{'s' if len(missing) > 1 else ''}"
        quoted = ", ".join(repr(excerpt(text, 40)) for text in missing[:SHOWN_MISSING])
        more = f" and {len(missing) - SHOWN_MISSING} more" if len(missing) > SHOWN_MISSING else ""
        log.warning("%s: its fix file fixes %s it no longer holds (kept, unused): %s%s",
                    source, count, quoted, more)  # fmt: skip


def _tables(path: Path) -> dict[str, dict[str, Any]]:
    """The fix file's tables as TOML gives them (empty when there is no file), checked for
    their shape only."""
    if not path.exists():
        return {name: {} for name in TABLES}
    data = toml.read_toml_file(path, "fix", MAX_FIXES_BYTES)
    unknown = sorted(set(data) - set(TABLES))
    if unknown:
        raise InputError(
            f"{shown(path)}: unknown key {unknown[0]!r}; a fix file has [sentences] and [words]"
        )
    for name in TABLES:
        if not isinstance(data.setdefault(name, {}), dict):
            raise InputError(f"{shown(path)}: {name} must be a table ([{name}])")
    return data


def _parsed(path: Path, tables: dict[str, dict[str, Any]]) -> Fixes:
    """The fixes in `tables`, each checked; an InputError in one line naming `path`."""
    sentences: dict[str, str] = {}
    for written, spoken in tables["sentences"].items():
        key = " ".join(written.split())
        if not has_word(key):
            raise InputError(f"{shown(path)}: a fixed sentence must have a word, not {key!r}")
        if key in sentences:
            raise InputError(f"{shown(path)}: the sentence {excerpt(key)!r} is fixed twice")
        if not isinstance(spoken, str) or not has_word(spoken):
            raise InputError(
                f"{shown(path)}: the sentence {excerpt(key)!r} must map to a text with a word"
            )
        sentences[key] = " ".join(spoken.split())
    words = lexicon_entries(tables["words"].items(), shown(path))
    return Fixes(tuple(sentences.items()), tuple(words.items()))


def _save(source: Path, table: str, key: str, value: str | None) -> None:
    """The fix file with `key` of `table` set to `value` (removed for None; a word's entry in
    any case), its top comments kept, written atomically."""
    path = fixes_path(source)
    tables = _tables(path)
    _parsed(path, tables)  # a file that does not read is reported, never overwritten
    entries = tables[table]
    same = (lambda k: k.lower() == key.lower()) if table == "words" else (lambda k: k == key)
    for existing in [k for k in entries if same(" ".join(k.split()))]:
        del entries[existing]
    if value is not None:
        entries[key] = value
    data = (_header(path, source) + _written(tables)).encode("utf-8")
    if len(data) > MAX_FIXES_BYTES:
        raise UsageError(f"{shown(path)} would be larger than {MAX_FIXES_BYTES // 1024} KiB, "
                         "the fix file limit")  # fmt: skip
    with atomic_outputs([path], force=True) as (temporary,):
        temporary.write_bytes(data)


def _header(path: Path, source: Path) -> str:
    """The comment lines atop the fix file, else a new file's."""
    if path.exists():
        lines = path.read_text("utf-8-sig").splitlines()
        top = [line for line in _leading(lines) if line.strip()]
        if top:
            return "\n".join(top) + "\n"
    return (f"# How sentences and words of {shown(source.name)} are spoken "
            "(made by the studio or by hand).\n")  # fmt: skip


def _leading(lines: list[str]) -> list[str]:
    """The comment and blank lines before the first other line."""
    top = []
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            break
        top.append(line)
    return top


def _written(tables: dict[str, dict[str, Any]]) -> str:
    """`tables` as TOML."""
    blocks = []
    for name in TABLES:
        lines = [f"{_key(key)} = {_value(value)}" for key, value in tables[name].items()]
        blocks.append("\n".join([f"[{name}]", *lines]) + "\n")
    return "\n" + "\n".join(blocks)


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else quoted(key)


def _value(value: str | dict[str, str]) -> str:
    """A string, or an entry's inline table of say and ipa."""
    if isinstance(value, str):
        return quoted(value)
    return "{ " + ", ".join(f"{_key(k)} = {quoted(v)}" for k, v in value.items()) + " }"


def quoted(text: str) -> str:
    """`text` as a TOML basic string; a UsageError for text no file can hold (an unpaired
    surrogate, such as an undecodable byte of a file name)."""
    if _SURROGATE.search(text):
        raise UsageError(f"{shown(excerpt(text))!r} is not text: it holds an unpaired surrogate")
    escaped = _ESCAPED.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)
    return f'"{escaped}"'
