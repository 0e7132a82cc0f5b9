"""Read Markdown (CommonMark, with tables) through markdown-it-py: words only, no markup.

- Headings start sections (and so chapters); emphasis, links and inline code reduce to text.
- List items, block-quote paragraphs and table rows are paragraphs of their own; a row is its
  cells joined by commas, the header row first (or skipped, see ReadOptions).
- Code blocks are skipped unless asked for; images are silent unless their alt text is asked
  for; badges (an image that is a link's whole text, or one from a badge service) always are.
- Inline and block HTML are stripped to their text; reference-link definitions say nothing.
  Emphasis marks and backticks left unmatched (kept by CommonMark as text) are dropped.
- Footnote marks say nothing; the footnotes are read at the end, under a "Notes" heading.
- YAML (or TOML, between ``+++`` lines) front matter gives the title, author and language.
  A title that the text does not open with as a heading is spoken first, as the heading of
  the opening section.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..document import Manuscript, ManuscriptSection
from . import ReadOptions, SectionBuilder
from .html import BADGE_SOURCES, fragment_blocks

log = logging.getLogger(__name__)

_STRAY_MARKUP = re.compile(r"(?<![^\W_])[*_]+(?=[^\W_])|(?<=[^\W_])[*_]+(?![^\W_])|`+")
"""Emphasis marks left unmatched against a word (``**bold``), which CommonMark keeps as text,
and backticks. A lone ``*`` between spaces (``5 * 3``) stays for the normalizer."""
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TOML_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\n(.*?)\n\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)
NOTES_HEADING = "Notes"


def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .use(front_matter_plugin)
        .use(footnote_plugin)
    )


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


def inline_text(token: Token, options: ReadOptions) -> str:
    """The words of an inline token: text, code and (when asked) image alt text."""
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
    return "".join(pieces)


def _front_matter(content: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(content)
    except yaml.YAMLError as error:
        log.warning("front matter is not valid YAML, ignored: %s", error)
        return {}
    return data if isinstance(data, dict) else {}


def _toml_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """TOML front matter (between +++ lines, as Hugo writes it) and the text after it."""
    found = _TOML_FRONT_MATTER.match(text)
    if found is None:
        return {}, text
    import tomllib

    try:
        data = tomllib.loads(found.group(1))
    except tomllib.TOMLDecodeError as error:
        log.warning("front matter is not valid TOML, ignored: %s", error)
        data = {}
    return data, text[found.end() :]


def _metadata_text(value: Any) -> str | None:
    """A front-matter value as one line: a name, a list of names, or a mapping with a name."""
    if isinstance(value, list):
        names = [_metadata_text(item) for item in value]
        value = ", ".join(name for name in names if name)
    if isinstance(value, dict):
        value = value.get("name")
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def parse_markdown(text: str, options: ReadOptions) -> Manuscript:
    """A Markdown document as a Manuscript."""
    metadata, text = _toml_front_matter(text)
    tokens = _parser().parse(text)
    builder = SectionBuilder()
    opening_heading: tuple[int, str] | None = None
    row: list[str] = []
    in_table = False
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "front_matter":
            metadata = _front_matter(token.content)
        elif kind == "heading_open":
            heading = inline_text(tokens[index + 1], options)
            if opening_heading is None and builder.empty:
                opening_heading = (int(token.tag[1]), heading)
            builder.start_section(heading)
        elif kind == "inline" and tokens[index - 1].type == "paragraph_open":
            builder.add(inline_text(token, options))
        elif kind == "table_open":
            in_table = True
        elif kind == "table_close":
            in_table = False
        elif kind == "inline" and in_table:
            row.append(" ".join(inline_text(token, options).split()))
        elif kind == "tr_close":
            if options.read_tables:
                builder.add(", ".join(cell for cell in row if cell))
            row = []
        elif kind in ("fence", "code_block") and options.read_code:
            builder.add(token.content)
        elif kind == "footnote_block_open":
            builder.start_section(NOTES_HEADING)
        elif kind == "html_block":
            for block in fragment_blocks(token.content, options):
                builder.add(block)
    sections = builder.finish()
    title = _metadata_text(metadata.get("title"))
    if title is not None:
        sections = _with_spoken_title(sections, title, opening_heading)
    elif opening_heading is not None and opening_heading[0] == 1:
        title = " ".join(opening_heading[1].split()) or None
    return Manuscript(
        title=title,
        author=_metadata_text(metadata.get("author") or metadata.get("authors")),
        language=_metadata_text(metadata.get("lang") or metadata.get("language")),
        sections=tuple(sections),
    )


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
        return [ManuscriptSection(title, sections[0].blocks), *sections[1:]]
    return [ManuscriptSection(title, ()), *sections]
