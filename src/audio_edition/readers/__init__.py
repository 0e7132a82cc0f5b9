"""Readers: turn an input (plain text, Markdown, HTML, EPUB or PDF) into a Manuscript.

The format follows the file's extension unless given; standard input is plain text unless
given. An unknown extension is read as plain text.
"""

from __future__ import annotations

import io
import logging
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from audio_edition.document import (
    MAX_HEADING_LEVEL,
    Manuscript,
    ManuscriptSection,
    language_tag,
    not_a_language_tag,
)
from audio_edition.errors import InputError, UsageError, excerpt
from audio_edition.readers.text import (
    MAX_INPUT_BYTES,
    STDIN,
    check_readable,
    decode_text,
    display_name,
    parse_text,
    read_bytes,
    too_large,
)

log = logging.getLogger(__name__)

FORMATS = ("text", "markdown", "html", "epub", "pdf")
_EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".epub": "epub",
    ".pdf": "pdf",
}
DOCUMENT_EXTENSIONS = (".txt", ".text", *_EXTENSIONS)
"""The extensions a batch narrates when it searches a folder."""
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
MAX_SPEAKER_NAME_CHARS = 60
"""The longest speaker's name markup may give (``{voice=Holmes}``, ``data-voice``)."""
_SPEAKER_NAME = re.compile(r"(?:[^\W_]|[ .'-])+")
NAME_RULE = f"1 to {MAX_SPEAKER_NAME_CHARS} letters, digits, spaces and . ' -"
"""What a speaker's name may be, as messages say it."""
SKIPPED_PARTS = ("toc", "copyright", "index")
"""A book's parts not narrated unless asked for (ReadOptions.read_parts): its table-of-contents
page, its copyright page and its index."""
NOTE_MODES = ("end", "inline", "skip")
"""Where notes are read: at the end of their chapter, where referenced, or not at all."""


@dataclass(frozen=True)
class ReadOptions:
    """What a reader speaks besides the body text."""

    read_code: bool = False
    """Read code blocks (they are skipped by default)."""
    read_alt_text: bool = False
    """Read the alt text of images (badges stay silent)."""
    read_tables: bool = True
    """Read tables row by row (header row first); False skips them."""
    whole_page: bool = False
    """Read a web page's whole body, not only its article (navigation, headers, footers and
    boilerplate are still left out)."""
    read_parts: frozenset[str] = frozenset()
    """Which of a book's SKIPPED_PARTS to narrate all the same."""
    notes: str = "end"
    """Where notes are read (NOTE_MODES); their references are never read."""

    def __post_init__(self) -> None:
        if self.notes not in NOTE_MODES:
            raise UsageError(f"unknown notes mode {self.notes!r}; use {', '.join(NOTE_MODES)}")
        unknown = sorted(set(self.read_parts) - set(SKIPPED_PARTS))
        if unknown:
            raise UsageError(f"unknown part to read {', '.join(unknown)}; use "
                             f"{', '.join(SKIPPED_PARTS)}")  # fmt: skip


def speaker_name(text: str) -> str | None:
    """`text` as a speaker's name (spaces collapsed), or None if it is not one: NAME_RULE, with
    a letter or digit."""
    name = " ".join(text.split())
    if len(name) > MAX_SPEAKER_NAME_CHARS or not _SPEAKER_NAME.fullmatch(name):
        return None
    return name if any(ch.isalnum() for ch in name) else None


class SectionBuilder:
    """Collects a reader's sections: blocks go under the latest heading."""

    def __init__(self) -> None:
        self.sections: list[ManuscriptSection] = []
        self._heading: str | None = None
        self._level = 1
        self._blocks: list[str] = []
        self._speakers: list[str | None] = []
        self._notes: list[str] = []

    @property
    def empty(self) -> bool:
        """Whether nothing has been collected yet."""
        return not self.sections and self._heading is None and not self._blocks

    def add(self, block: str, speaker: str | None = None) -> None:
        """A block of the current section, and who its markup says speaks it (one with no
        letter or digit says nothing)."""
        if any(ch.isalnum() for ch in block):
            self._blocks.append(block)
            self._speakers.append(speaker)

    @property
    def blank(self) -> bool:
        """Whether the current section has neither a heading nor a block yet."""
        return self._heading is None and not self._blocks

    def note(self, text: str) -> None:
        """A note referenced in the current section, read at its end."""
        self._notes.append(text)

    def start_section(self, heading: str, level: int = 1) -> None:
        """Close the current section and open one under `heading`, of `level` (at most
        MAX_HEADING_LEVEL)."""
        self.finish()
        self._heading, self._level = heading, min(max(level, 1), MAX_HEADING_LEVEL)

    def finish(self) -> list[ManuscriptSection]:
        """Close the current section (its notes last); every section so far."""
        self._blocks += self._notes
        self._speakers += [None] * len(self._notes)
        self._notes = []
        if self._heading is not None or self._blocks:
            section = section_of(self._heading, self._blocks, self._speakers, self._level)
            self.sections.append(section)
        self._heading, self._level, self._blocks, self._speakers = None, 1, [], []
        return self.sections


def section_of(
    heading: str | None,
    blocks: Sequence[str],
    speakers: Sequence[str | None],
    level: int = 1,
) -> ManuscriptSection:
    """A section of `blocks` under a heading of `level`, with their `speakers` kept only when
    one is named."""
    named = any(speaker is not None for speaker in speakers)
    return ManuscriptSection(heading, tuple(blocks), tuple(speakers) if named else (), level)


def check_complete(
    name: str, expected: Iterable[str], sections: Iterable[ManuscriptSection]
) -> None:
    """Refuse a reading that lost text: the letters and digits of each of the source's
    `expected` texts must be in the sections' headings and blocks, in order."""
    read_letters = letters_of(" ".join(t for s in sections for t in (s.heading or "", *s.blocks)))
    position = 0
    for text in expected:
        letters = letters_of(text)
        found = read_letters.find(letters, position)
        if found < 0:
            raise InputError(f"{name}: part of the text could not be read, from {excerpt(text)!r}")
        position = found + len(letters)


def declared_language(tag: str | None, name: str) -> str | None:
    """A document's declared language as a BCP 47 tag in its conventional case ("en_US" is
    "en-US"); None, with a warning naming the document, when it is not a language tag (real
    files say "english" or "en_US.UTF-8"; --lang, or English, then applies)."""
    if tag is None:
        return None
    found = language_tag(tag)
    if found is None:
        log.warning("%s: its language %s; ignored", name, not_a_language_tag(tag))
    return found


def _regular_file(path: Path) -> bool:
    check_readable(path)
    return stat.S_ISREG(path.stat().st_mode)


def letters_of(text: str) -> str:
    """The letters and digits of `text`, nothing else: what the completeness check compares."""
    return _NOT_LETTER_OR_DIGIT.sub("", text)


def format_of(source: str | os.PathLike[str], requested: str | None) -> str:
    """The input format: `requested`, else by extension ("text" for standard input)."""
    if requested is not None:
        if requested not in FORMATS:
            raise UsageError(f"unknown input format {requested!r}; use {', '.join(FORMATS)}")
        return requested
    if os.fspath(source) == STDIN:
        return "text"
    return _EXTENSIONS.get(Path(source).suffix.lower(), "text")


def read(
    source: str | os.PathLike[str],
    input_format: str | None = None,
    encoding: str | None = None,
    options: ReadOptions | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> Manuscript:
    """Read `source` ("-" for standard input) as a Manuscript.

    `encoding` applies to text and Markdown (default UTF-8) and overrides an HTML page's and
    an EPUB's chapters' own declarations. An input larger than `max_bytes` is refused.
    """
    options = options or ReadOptions()
    kind = format_of(source, input_format)
    name = display_name(source)
    if kind == "epub":
        from audio_edition.readers.epub import parse_epub

        # A file is opened as a zip archive and read member by member, not loaded whole.
        path = Path(source)
        archive: Path | io.BytesIO = path
        if os.fspath(source) == STDIN or not _regular_file(path):  # a pipe, /dev/zero
            archive = io.BytesIO(read_bytes(source, max_bytes))
        elif path.stat().st_size > max_bytes:
            raise too_large(name, max_bytes)
        return parse_epub(archive, name, options, encoding)
    data = read_bytes(source, max_bytes)
    if kind == "pdf":
        from audio_edition.readers.pdf import parse_pdf

        return parse_pdf(data, name)
    if kind == "html":
        from audio_edition.readers.html import parse_html

        return parse_html(data, name, encoding, options)
    text = decode_text(data, encoding or "utf-8", name)
    if kind == "markdown":
        from audio_edition.readers.markdown import parse_markdown

        return parse_markdown(text, options, name)
    manuscript = parse_text(text)
    check_complete(name, [text], manuscript.sections)
    return manuscript
