"""Read Markdown (CommonMark, with tables) through markdown-it-py: words only, no markup.

- Headings start sections (and so chapters); emphasis, links and inline code reduce to text.
- List items, block-quote paragraphs and table rows are paragraphs of their own; a row is its
  cells joined by commas, the header row first (or skipped, see ReadOptions), every cell of
  it, even past the header row's number (where GFM drops them).
- Code blocks are skipped unless asked for; images are silent unless their alt text is asked
  for; badges (an image that is a link's whole text, or one from a badge service) always are.
- Inline and block HTML are stripped to their text; reference-link definitions say nothing.
  Emphasis marks and backticks left unmatched (kept by CommonMark as text) are dropped.
- Speakers (for a cast): a ``<!-- voice: Holmes -->`` comment, or a ``{voice=Holmes}`` (or
  ``{voice="Mr. Holmes"}``) line, names the speaker of the next paragraph (a list item's,
  a quote's), one only; a ``{voice=...}`` ending a paragraph names its own (and wins). Marks
  are never read out; "voice" in any case; a name follows readers.NAME_RULE. A brace mark
  with any other name or attribute, or elsewhere in a paragraph, is read as text, as before;
  a voice comment with a name not allowed is dropped with a warning. Block HTML names
  speakers as a page does (``data-voice``).
- Footnote marks (``[^1]``) say nothing; a footnote is read at the end of the section that
  first refers to it ("Note 1: ..."), or where it is referenced ("(Note: ...)"), or not at all,
  as ReadOptions.notes says. A footnote nothing refers to is read where it is defined (unless
  notes are skipped).
- YAML (or TOML, between ``+++`` lines) front matter gives the title, author and language,
  and the summary (or description), date and id a podcast feed uses (see front_matter for
  what is refused).
  A title that the text does not open with as a heading is spoken first, as the heading of
  the opening section.
- An entity reference that does not resolve (``&lol3;``, kept as text by CommonMark) says
  nothing; ``&amp;`` and ``&eacute;`` are read as the characters they stand for.
- Lists nested more than 9 deep, and quotes more than 18, where markdown-it would stop (its
  ``maxNesting``) and drop the rest of the document, are read flattened: each deeper item or
  quote is a paragraph of its own. And every line with words must be in a block the parser
  read (code, a definition and a comment count): a line it dropped is an error, not silence.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.common.entities import entities
from markdown_it.common.utils import mdTrim
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.table import escapedSplit, getLine, table
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from audio_edition.document import Manuscript, ManuscriptSection
from audio_edition.errors import InputError, excerpt
from audio_edition.readers import (
    MAX_SPEAKER_NAME_CHARS,
    NAME_RULE,
    ReadOptions,
    SectionBuilder,
    declared_language,
    speaker_name,
)
from audio_edition.readers.front_matter import (
    FrontMatter,
    split_toml,
    toml_front_matter,
    yaml_front_matter,
)
from audio_edition.readers.html_blocks import BADGE_SOURCES, fragment_blocks

log = logging.getLogger(__name__)

_STRAY_MARKUP = re.compile(r"(?<![^\W_])[*_]+(?=[^\W_])|(?<=[^\W_])[*_]+(?![^\W_])|`+")
"""Emphasis marks left unmatched against a word (``**bold``), which CommonMark keeps as text,
and backticks. A lone ``*`` between spaces (``5 * 3``) stays for the normalizer."""
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_LINE_BREAK = re.compile(r"\r\n?|\n")
"""How markdown-it counts lines."""
_CONTAINER_MARKS = re.compile(r"(?:(?:>|(?:[-+*]|\d{1,9}[.)])(?=\s|$))[ \t]*)*")
"""Quote marks and list markers opening a line (after its indentation)."""
_ENTITY_REFERENCE = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_CONTAINERS = frozenset({"blockquote_open", "bullet_list_open", "ordered_list_open",
                         "list_item_open"})  # fmt: skip
"""Blocks whose map spans their content, read or not."""
_BREAKS = frozenset({"softbreak", "hardbreak"})
_NAME_SPAN = f"{{1,{MAX_SPEAKER_NAME_CHARS}}}"
_VOICE_BRACES = rf'\{{voice=(?:"([^"\n]{_NAME_SPAN})"|([^\s"{{}}]{_NAME_SPAN}))\}}'
"""A ``{voice=...}`` mark (bounded, so no text takes long to search)."""
_VOICE_LINE = re.compile(_VOICE_BRACES + r"[ \t]*", re.IGNORECASE)
_VOICE_ENDING = re.compile(r"(?:(?<=\s)|^)" + _VOICE_BRACES + r"\s*\Z", re.IGNORECASE)
_VOICE_COMMENT = re.compile(r"\s*<!--\s*voice\s*:(.*?)-->\s*", re.IGNORECASE | re.DOTALL)
"""A voice comment (no space matched after the name: a long run of spaces would take long)."""


def _parser() -> MarkdownIt:
    parser = (
        MarkdownIt("commonmark", {"html": True, "inline_definitions": True})
        .enable("table")
        .use(front_matter_plugin)
        .use(footnote_plugin)
    )
    parser.block.ruler.at("table", _table_of_every_cell, {"alt": ["paragraph", "reference"]})
    parser.block.ruler.before("table", "too_deep", _too_deep)
    parser.block.ruler.before("paragraph", "voice_line", _voice_line)
    parser.core.ruler.before("text_join", "unresolved_entities", _drop_unresolved_entities)
    parser.core.ruler.before("text_join", "voice_ending", _voice_ending)
    parser.core.ruler.before("footnote_tail", "unused_footnotes", _unused_footnotes)
    return parser


def _unused_footnotes(state: StateCore) -> None:
    """Keep the footnotes nothing refers to (the footnote plugin drops them), where they are
    defined, between `footnote_unused_open` and `_close` tokens."""
    refs = state.env.get("footnotes", {}).get("refs", {})
    unused = False
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            unused = refs.get(":" + token.meta["label"], -1) < 0
            token.type = "footnote_unused_open" if unused else token.type
        elif token.type == "footnote_reference_close" and unused:
            token.type, unused = "footnote_unused_close", False


def _table_of_every_cell(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's table rule, with the cells a row has beyond the header row's number put
    back (GFM, and so markdown-it, drops them)."""
    first = len(state.tokens)
    if not table(state, start, end, silent):
        return False
    state.tokens[first:] = list(_with_extra_cells(state, state.tokens[first:]))
    return True


def _with_extra_cells(state: StateBlock, tokens: list[Token]) -> Iterator[Token]:
    row_start = 0
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            row_start = index
        elif token.type == "tr_close":
            read = sum(1 for cell in tokens[row_start:index] if cell.type == "inline")
            cell_open, inline, cell_close = tokens[index - 3 : index]
            for extra in _cells(state, (tokens[row_start].map or [0])[0])[read:]:
                yield from (cell_open.copy(attrs={}), inline.copy(content=extra, children=[]),
                            cell_close.copy())  # fmt: skip
        yield token


def _cells(state: StateBlock, line: int) -> list[str]:
    """The cells of a table row's line, split as markdown-it splits them."""
    cells = escapedSplit(mdTrim(getLine(state, line)))
    if cells and not cells[0]:
        cells.pop(0)
    if cells and not cells[-1]:
        cells.pop()
    return [mdTrim(cell) for cell in cells]


def _drop_unresolved_entities(state: StateCore) -> None:
    """Remove references to unknown entities (`&lol3;`), which CommonMark keeps as text.

    Runs before text runs are joined: then an escaped one (`&amp;lol3;`) is not in one run.
    """
    for token in state.tokens:  # inline tokens are the ones with children
        for child in token.children or []:
            if child.type == "text":
                child.content = _ENTITY_REFERENCE.sub(
                    lambda ref: ref[0] if ref[1] in entities else "", child.content
                )


def _braced_name(found: re.Match[str] | None) -> str | None:
    """The speaker a ``{voice=...}`` match names, if it is a name."""
    return speaker_name(found[1] if found[1] is not None else found[2]) if found else None


def _voice_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A ``{voice=Holmes}`` line: a `voice_mark` token holding the name."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    speaker = _braced_name(_VOICE_LINE.fullmatch(line))
    if speaker is None:
        return False
    if not silent:
        token = state.push("voice_mark", "", 0)
        token.map, token.meta = [start, start + 1], {"speaker": speaker}
        state.line = start + 1
    return True


def _voice_ending(state: StateCore) -> None:
    """Take a ``{voice=Holmes}`` ending a paragraph out of its text, naming its speaker.

    Runs before text runs are joined: then an escaped one (``\\{voice=...}``) is not in one run.
    """
    for opening, token in zip(state.tokens, state.tokens[1:], strict=False):
        children = token.children or []
        if opening.type != "paragraph_open" or not children or children[-1].type != "text":
            continue
        found = _VOICE_ENDING.search(children[-1].content)
        speaker = _braced_name(found)
        if found is None or speaker is None:
            continue
        children[-1].content = children[-1].content[: found.start()].rstrip()
        if not children[-1].content:
            children.pop()
        while children and children[-1].type in _BREAKS:
            children.pop()
        opening.meta["speaker"] = speaker


def _mark_speakers(tokens: Sequence[Token], name: str, first_line: int) -> None:
    """Give the paragraph after each voice comment or ``{voice=...}`` line (past the quotes
    and lists opening around it) the speaker it names, unless it names its own. A voice
    comment whose name is not allowed is dropped with a warning."""
    speaker = None
    for token in tokens:
        if token.type == "voice_mark":
            speaker = token.meta["speaker"]
        elif token.type == "html_block" and (found := _VOICE_COMMENT.fullmatch(token.content)):
            written = found[1].strip()
            quoted = len(written) > 1 and written[0] == written[-1] == '"'
            speaker = speaker_name(written[1:-1] if quoted else written)
            if speaker is None:
                line = first_line + (token.map or [0])[0]
                log.warning("%s: line %d: voice comment ignored: %r is not a speaker's name "
                            "(%s)", name, line, excerpt(written), NAME_RULE)  # fmt: skip
        elif token.type == "paragraph_open" and speaker is not None:
            token.meta.setdefault("speaker", speaker)
            speaker = None
        elif token.nesting >= 0 and token.type not in _CONTAINERS:
            speaker = None


def _marks(line: str) -> tuple[str, str]:
    """A line's quote marks and list markers (after its indentation), and its text after them."""
    line = line.lstrip()
    found = _CONTAINER_MARKS.match(line)
    marks = found.group() if found else ""
    return marks, line[len(marks) :].strip()


def _line_marks(state: StateBlock, line: int) -> tuple[str, str]:
    """`_marks` of a line, inside the containers markdown-it has opened on it."""
    return _marks(state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]])


def _too_deep(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """At the nesting limit, a quote or list item (or code indented inside one) is a paragraph.

    markdown-it would drop it and the rest of the document. Lines after it at the same quote
    depth, starting no item, continue the paragraph.
    """
    if state.level < state.md.options.maxNesting - 2:
        return False
    marks, text = _line_marks(state, start)
    if not marks and state.sCount[start] - state.blkIndent < 4:
        return False
    lines, line = [text], start + 1
    while text and line < end and state.sCount[line] >= state.blkIndent:
        more_marks, more = _line_marks(state, line)
        if not more or more_marks.count(">") != marks.count(">") or more_marks.strip("> \t"):
            break
        lines.append(more)
        line += 1
    state.line = line
    if not text:  # a quote's blank line
        return True
    state.push("paragraph_open", "p", 1).map = [start, line]
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = "\n".join(lines), [start, line], []
    state.push("paragraph_close", "p", -1)
    return True


def _check_read(text: str, tokens: Sequence[Token], name: str, first_line: int) -> None:
    """Refuse a parse that dropped a line with words: each must be in the map of a block that
    is not only a container (`first_line`: the number of the text's first line)."""
    lines = _LINE_BREAK.split(text)
    read = bytearray(len(lines))
    for token in tokens:
        if token.map is not None and token.type not in _CONTAINERS:
            start, end = token.map
            read[start:end] = b"\x01" * (end - start)
    for number, line in enumerate(lines):
        if not read[number] and any(ch.isalnum() for ch in line):
            raise InputError(f"{name}: part of the text could not be read, from line "
                             f"{first_line + number}: {excerpt(_marks(line)[1])!r}")  # fmt: skip


def _is_badge(children: Sequence[Token], index: int) -> bool:
    """An image that is the whole text of a link, or that a badge service serves."""
    image = children[index]
    src = str(image.attrGet("src") or "")
    if any(marker in src for marker in BADGE_SOURCES):
        return True
    before = children[index - 1] if index > 0 else None
    after = children[index + 1] if index + 1 < len(children) else None
    return (
        before is not None
        and before.type == "link_open"
        and after is not None
        and after.type == "link_close"
    )


def inline_text(token: Token, options: ReadOptions, notes: Mapping[int, str] | None = None
                ) -> str:  # fmt: skip
    """The words of an inline token: text, code, (when asked) image alt text, and the `notes`
    given (by id) where they are first referenced."""
    pieces = []
    children = token.children or []
    for index, child in enumerate(children):
        if child.type == "text":
            pieces.append(_STRAY_MARKUP.sub("", child.content))
        elif child.type == "code_inline":
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (
            child.type == "html_inline" and _BREAK_TAG.fullmatch(child.content.strip())
        ):
            pieces.append("\n")
        elif child.type == "image" and options.read_alt_text and not _is_badge(children, index):
            pieces.append(child.content)
        elif child.type == "footnote_ref" and notes and child.meta["subId"] == 0:
            pieces.append(f" (Note: {notes[child.meta['id']]})")
    return "".join(pieces)


def parse_markdown(text: str, options: ReadOptions, name: str = "the Markdown text") -> Manuscript:
    """A Markdown document as a Manuscript (`name` is how error messages call it)."""
    toml, body = split_toml(text)
    matter = toml_front_matter(toml, name) if toml is not None else FrontMatter()
    tokens = _parser().parse(body)
    first_line = 1 + text.count("\n", 0, len(text) - len(body))
    _check_read(body, tokens, name, first_line)
    _mark_speakers(tokens, name, first_line)
    reading = _Reading(tokens, options, name, matter)
    sections = reading.sections()
    matter, opening_heading = reading.matter, reading.opening_heading
    title = matter.title
    if title is not None:
        sections = _with_spoken_title(sections, title, opening_heading)
    elif opening_heading is not None and opening_heading[0] == 1:
        title = " ".join(opening_heading[1].split()) or None
    return Manuscript(
        title=title,
        author=matter.author,
        language=declared_language(matter.language, name),
        sections=tuple(sections),
        summary=matter.summary,
        date=matter.date,
        identifier=matter.identifier,
        cast=matter.cast,
    )


class _Reading:
    """A walk over the parsed tokens, collecting the sections and what the title needs."""

    def __init__(
        self, tokens: Sequence[Token], options: ReadOptions, name: str, matter: FrontMatter
    ) -> None:
        self.tokens, self.options, self.name = tokens, options, name
        self.matter = matter
        """The TOML front matter, or the YAML one when the text has it."""
        self.opening_heading: tuple[int, str] | None = None
        """The level and text of a heading the text opens with."""
        self.builder = SectionBuilder()
        self.row: list[str] = []
        self.in_table = False
        self.notes = _footnotes(tokens, options)
        """The footnotes' texts, by id."""
        self.skipping = False
        """Whether the tokens are a footnote's, not read where they are."""
        self.steps: dict[str, Callable[[int, Token], None]] = {
            "front_matter": self._front_matter, "heading_open": self._heading,
            "inline": self._inline, "table_open": self._table, "table_close": self._table,
            "tr_close": self._row, "fence": self._code, "code_block": self._code,
            "html_block": self._html,
        }  # fmt: skip

    def sections(self) -> list[ManuscriptSection]:
        skipped = 0
        for index, token in enumerate(self.tokens):
            if token.type in ("footnote_block_open", "footnote_unused_open"):
                skip_unused = self.options.notes == "skip" or token.type == "footnote_block_open"
                self.skipping = skip_unused
                skipped += token.type == "footnote_unused_open" and skip_unused
            elif token.type in ("footnote_block_close", "footnote_unused_close"):
                self.skipping = False
            elif not self.skipping and (step := self.steps.get(token.type)) is not None:
                step(index, token)
        if self.options.notes == "skip" and (self.notes or skipped):
            log.warning("%s: %d notes not read (--notes skip)", self.name,
                        len(self.notes) + skipped)  # fmt: skip
        return self.builder.finish()

    def _front_matter(self, index: int, token: Token) -> None:
        self.matter = yaml_front_matter(token.content, self.name)

    def _heading(self, index: int, token: Token) -> None:
        heading = inline_text(self.tokens[index + 1], self.options)
        if self.opening_heading is None and self.builder.empty:
            self.opening_heading = (int(token.tag[1]), heading)
        self.builder.start_section(heading, int(token.tag[1]))

    def _inline(self, index: int, token: Token) -> None:
        """A paragraph's text, or a table cell's (a heading's is read with the heading), and
        the notes it refers to first: in it, or after its section."""
        opening = self.tokens[index - 1]
        in_place = self.notes if self.options.notes == "inline" else None
        if opening.type == "paragraph_open":
            text = inline_text(token, self.options, in_place)
            self.builder.add(text, opening.meta.get("speaker"))
        elif self.in_table:
            self.row.append(" ".join(inline_text(token, self.options, in_place).split()))
        if self.options.notes == "end" or (in_place and opening.type == "heading_open"):
            first = (c.meta["id"] for c in token.children or [] if c.type == "footnote_ref"
                     and c.meta["subId"] == 0)  # fmt: skip
            for key in first:
                self.builder.note(f"Note {key + 1}: {self.notes[key]}")

    def _table(self, index: int, token: Token) -> None:
        self.in_table = token.type == "table_open"

    def _row(self, index: int, token: Token) -> None:
        if self.options.read_tables:
            self.builder.add(", ".join(cell for cell in self.row if cell))
        self.row = []

    def _code(self, index: int, token: Token) -> None:
        if self.options.read_code:
            self.builder.add(token.content)

    def _html(self, index: int, token: Token) -> None:
        for block, speaker in fragment_blocks(token.content, self.options, self.name):
            self.builder.add(block, speaker)


def _footnotes(tokens: Sequence[Token], options: ReadOptions) -> dict[int, str]:
    """The text of each footnote referred to, by id (its paragraphs joined)."""
    notes: dict[int, list[str]] = {}
    current: list[str] | None = None
    for token in tokens:
        if token.type == "footnote_open":
            current = notes.setdefault(token.meta["id"], [])
        elif token.type == "footnote_close":
            current = None
        elif token.type == "inline" and current is not None:
            current.append(inline_text(token, options))
    return {key: " ".join(" ".join(texts).split()) for key, texts in notes.items()}


def _with_spoken_title(
    sections: list[ManuscriptSection], title: str, opening_heading: tuple[int, str] | None
) -> list[ManuscriptSection]:
    """Sections that open with the title, unless the text already does."""
    if (
        opening_heading is not None
        and " ".join(opening_heading[1].split()).lower() == title.lower()
    ):
        return sections
    if sections and sections[0].heading is None:
        return [replace(sections[0], heading=title), *sections[1:]]
    return [ManuscriptSection(title, ()), *sections]
