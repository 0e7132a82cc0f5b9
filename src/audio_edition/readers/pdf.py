"""Read a PDF's text layer through pypdf: lines in reading order, paragraphs, chapters.

- Each page's text is taken in its content order, as lines with their positions (pypdf's
  plain extraction, with a visitor for where each line starts).
- Running headers, footers and page numbers are left out: a line among the HEADER_LINES
  topmost or bottommost of its page whose text, with its numbers as "#", stands at the same
  height (within Y_TOLERANCE points) on at least MIN_REPEATS pages (every page, for a shorter
  PDF of two or more); a number in it must follow the page's number (a chapter's "Chapter 3"
  at the top of its first page is not a page number). What is left out is logged as a
  warning, never in silence.
- A line ending in a hyphen joins the next when that one starts with a small letter: without
  the hyphen when the joined word is a word elsewhere in the PDF or either half is not
  (narra-/tion), with it when both halves are words elsewhere and the joined form is not
  (well-/known).
- A paragraph ends where the space to the next line is more than PARAGRAPH_SPACING times the
  PDF's usual line spacing, where the next line is indented or of another font size, and at
  the end of a page whose last line ends a sentence.
- The outline (bookmarks) gives the chapters, in reading order, nested entries flattened
  (OutlineEntry keeps their depth); an entry's heading line, when it is on its page, is read
  once, as the chapter's heading. Without an outline the PDF is one section.
- Title, author and language come from the document's metadata and catalog.
- An encrypted PDF that needs a password, a damaged one and one of more than MAX_PDF_PAGES
  pages are refused in one line; so is a PDF with no text layer (scanned pages are images).
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PyPdfError
from pypdf.generic import Destination

from audio_edition.document import Manuscript
from audio_edition.errors import InputError
from audio_edition.readers import SectionBuilder, check_complete, declared_language, letters_of

log = logging.getLogger(__name__)

MAX_PDF_PAGES = 10_000
"""The most pages a PDF may have (a long book has about 1,000)."""
HEADER_LINES = 2
"""How many lines at the top and at the bottom of a page may be running headers or footers."""
MIN_REPEATS = 3
"""On how many pages a line must repeat at the same height to be a running header or footer."""
Y_TOLERANCE = 3.0
"""How far (in points) the heights of one running header on two pages may differ."""
PARAGRAPH_SPACING = 1.4
"""A space between lines this many times the usual line spacing ends a paragraph."""
_HEADER_BYTES = 1024  # where readers look for the %PDF- header
_INDENT_EMS = 0.8
_SIZE_CHANGE = 1.0
_SENTENCE_END = re.compile("[.!?:;\u2026][\"'\u201d\u2019)\\]]*$")
_LINE_HYPHEN = re.compile(r"(\w+)[-\u2010\u00ad]$")
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+")
_ROMAN = re.compile(r"(?i)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_PAGE_NUMBER_SHAPE = re.compile(r"(?i)[\W_]*(page\s*)?#[\W_]*(of\s*#)?[\W_]*")


@dataclass(frozen=True)
class Line:
    """A line of a page's text, where it starts."""

    page: int
    """Its page, from 0."""
    x: float
    """Where it starts, in points from the page's left."""
    y: float
    """Its baseline, in points from the page's bottom."""
    size: float
    """Its font size in points."""
    text: str
    """Its text, outer spaces removed."""


@dataclass(frozen=True)
class OutlineEntry:
    """An outline entry (bookmark): a chapter's title and where it starts."""

    depth: int
    """How deep it is nested: 0 for a top entry."""
    title: str
    """Its title, spaces collapsed."""
    page: int
    """The page it points to, from 0."""
    top: float | None
    """The height on that page it points to, when it names one."""


def parse_pdf(data: bytes, name: str) -> Manuscript:
    """A PDF's text layer as a Manuscript."""
    with _quiet_pypdf():
        try:
            reader = _open(data, name)
            pages = [_page_lines(page, number) for number, page in enumerate(reader.pages)]
            outline = list(outline_entries(reader, reader.outline))
            metadata = reader.metadata
            language = reader.root_object.get("/Lang")
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise InputError(f"{name} is not a readable PDF ({_reason(error)})") from None
    lines = _kept_lines(pages, name)
    builder = SectionBuilder()
    spacing, vocabulary = _line_spacing(lines), _vocabulary(lines)
    for entry, run in _chapters(lines, outline):
        if entry is not None:
            builder.start_section(entry.title, entry.depth + 1)
        for paragraph in paragraphs(run, spacing, vocabulary):
            builder.add(paragraph)
    sections = builder.finish()
    check_complete(name, [line.text for line in lines], sections)
    return Manuscript(
        title=_metadata_text(metadata, "/Title"),
        author=_metadata_text(metadata, "/Author"),
        language=declared_language(str(language) if language else None, name),
        sections=tuple(sections),
    )


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf warns (and logs) of what it repairs in a damaged file; the reader's own messages
    say what matters, in one line."""
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        pypdf_log.setLevel(level)


def _open(data: bytes, name: str) -> PdfReader:
    if b"%PDF-" not in data[:_HEADER_BYTES]:
        raise InputError(f"{name} is not a PDF (its first {_HEADER_BYTES} bytes have no %PDF-)")
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            reader.decrypt("")
            reader.pages[0]
        except FileNotDecryptedError:
            raise InputError(
                f"{name} is encrypted with a password; only PDFs that open without one can "
                "be narrated"
            ) from None
    if len(reader.pages) > MAX_PDF_PAGES:
        raise InputError(f"{name} has {len(reader.pages):,} pages, more than {MAX_PDF_PAGES:,}, "
                         "the most a PDF may have")  # fmt: skip
    return reader


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text[:100] if text else type(error).__name__


def _metadata_text(metadata: Any, key: str) -> str | None:
    text = " ".join(str(metadata.get(key) or "").split()) if metadata else ""
    return text or None


def _page_lines(page: Any, number: int) -> list[Line]:
    """The page's lines, as pypdf's plain extraction breaks them, each placed where its first
    text is drawn."""
    lines: list[Line] = []
    parts: list[str] = []
    start: tuple[float, float, float] | None = None

    def close() -> None:
        nonlocal parts, start
        text = " ".join("".join(parts).split())
        if text and start is not None:
            lines.append(Line(number, *start, text))
        parts, start = [], None

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], _: Any, size: float) -> None:
        nonlocal start
        for i, piece in enumerate(text.split("\n")):
            if i:
                close()
            if piece.strip() and start is None:
                start = _placed(cm, tm, size)
            parts.append(piece)

    page.extract_text(visitor_text=visit)
    close()
    return lines


def _placed(cm: Sequence[float], tm: Sequence[float], size: float) -> tuple[float, float, float]:
    """Where text drawn with the text matrix `tm` under `cm` starts (x, y) and its size."""
    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    scale = abs(tm[3] * cm[3] + tm[2] * cm[1]) or 1.0
    return float(x), float(y), float(size) * scale


def outline_entries(
    reader: PdfReader, items: Iterable[Any], depth: int = 0
) -> Iterator[OutlineEntry]:
    """The outline's entries that point to a page, in outline order, nested ones flattened
    after their parent."""
    for item in items:
        if isinstance(item, list):
            yield from outline_entries(reader, item, depth + 1)
        elif isinstance(item, Destination):
            page = reader.get_destination_page_number(item)
            title = " ".join(str(item.title or "").split())
            top = item.get("/Top")
            if page is not None and page >= 0 and title:
                yield OutlineEntry(depth, title, page, float(top) if top else None)


def _kept_lines(pages: list[list[Line]], name: str) -> list[Line]:
    """Every line but the running headers, footers and page numbers (logged)."""
    if not any(pages):
        raise InputError(f"{name} has no text layer (a scanned PDF's pages are only images); "
                         "make it searchable with OCR first")  # fmt: skip
    blank = sum(1 for page in pages if not page)
    if blank:
        log.warning("%s: %d of its %d pages have no text (images only?); they are not read",
                    name, blank, len(pages))  # fmt: skip
    running = running_lines(pages)
    numbers = sum(1 for line in running if _PAGE_NUMBER_SHAPE.fullmatch(_shape(line)[0]))
    if running:
        log.warning("%s: %d running header or footer lines, %d page numbers left out",
                    name, len(running) - numbers, numbers)  # fmt: skip
    return [line for page in pages for line in page if line not in running]


def running_lines(pages: Sequence[Sequence[Line]]) -> set[Line]:
    """The lines that repeat at the top or bottom of pages (see the module's docstring)."""
    needed = max(2, min(MIN_REPEATS, sum(1 for page in pages if page)))
    seen: dict[tuple[str, int | None], dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    candidates = [line for page in pages for line in _edge_lines(page)]
    for line in candidates:
        seen[_key(line)][round(line.y)].add(line.page)
    running = set()
    for line in candidates:
        heights = seen[_key(line)]
        near = range(round(line.y - Y_TOLERANCE), round(line.y + Y_TOLERANCE) + 1)
        if len(set().union(*(heights.get(y, set()) for y in near))) >= needed:
            running.add(line)
    return running


def _edge_lines(page: Sequence[Line]) -> set[Line]:
    by_height = sorted(page, key=lambda line: line.y)
    return {*by_height[:HEADER_LINES], *by_height[-HEADER_LINES:]}


def _key(line: Line) -> tuple[str, int | None]:
    """A line's text with its numbers as "#", and its first number less its page's."""
    shape, number = _shape(line)
    return shape, None if number is None else number - line.page


def _shape(line: Line) -> tuple[str, int | None]:
    if _ROMAN.fullmatch(line.text) and line.text.islower():  # front matter's i, ii, iii
        return "#", _roman(line.text)
    numbers = _NUMBER.findall(line.text)
    return _NUMBER.sub("#", line.text), int(numbers[0]) if numbers else None


def _roman(text: str) -> int:
    values = [_ROMAN_VALUES[ch] for ch in text.lower()]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


def _chapters(
    lines: Sequence[Line], outline: Sequence[OutlineEntry]
) -> Iterator[tuple[OutlineEntry | None, Sequence[Line]]]:
    """The lines cut at the outline's entries, in reading order: (entry, lines) pairs, the
    first's entry None (text before the first entry); an entry's own heading lines are left
    out of its run."""
    page_starts: dict[int, int] = {}
    for i, line in enumerate(lines):
        page_starts.setdefault(line.page, i)
    starts = sorted(
        ((_start(lines, entry, page_starts), entry) for entry in outline), key=lambda s: s[0][0]
    )
    position, opened = 0, None
    for (at, length), entry in starts:
        yield opened, lines[position:at]
        position, opened = max(position, at + length), entry
    yield opened, lines[position:]


def _start(
    lines: Sequence[Line], entry: OutlineEntry, page_starts: dict[int, int]
) -> tuple[int, int]:
    """Where `entry`'s chapter starts among `lines` (`page_starts`: the first line of each
    page that has one), and how many lines its heading takes (0 when its title is not the
    text there)."""
    first = page_starts.get(entry.page)
    if first is None:  # a page with no text: the chapter starts with the next one's
        later = (start for page, start in page_starts.items() if page > entry.page)
        return next(later, len(lines)), 0
    end = first
    while end < len(lines) and lines[end].page == entry.page:
        end += 1
    below = [
        i for i in range(first, end) if entry.top is None or lines[i].y <= entry.top + Y_TOLERANCE
    ]
    title = letters_of(entry.title).casefold()
    for i in below:
        length = _heading_length(lines[i : i + 3], title)
        if length:
            return i, length
    return (below[0] if below else end), 0


def _heading_length(lines: Sequence[Line], title: str) -> int:
    """How many of `lines`, from the first, spell `title` (letters and digits, casefolded);
    0 when they do not."""
    joined = ""
    for length, line in enumerate(lines, 1):
        joined += letters_of(line.text).casefold()
        if joined == title:
            return length
        if not title.startswith(joined):
            break
    return 0


def _line_spacing(lines: Sequence[Line]) -> float:
    """The usual space between the baselines of consecutive lines of one size on a page: the
    most frequent, to the point, the smaller of equally frequent ones; 0 with none."""
    steps = Counter(
        round(a.y - b.y)
        for a, b in pairwise(lines)
        if a.page == b.page and a.size == b.size and 0 < a.y - b.y < 4 * a.size
    )
    return float(min(steps, key=lambda step: (-steps[step], step))) if steps else 0.0


def _vocabulary(lines: Sequence[Line]) -> set[str]:
    """The PDF's words, but the halves of words hyphenated across a line end."""
    words: set[str] = set()
    cut = False
    for line in lines:
        found = [w.casefold() for w in _WORD.findall(line.text)]
        hyphenated = _LINE_HYPHEN.search(line.text) is not None
        words.update(found[int(cut) : len(found) - int(hyphenated)])
        cut = hyphenated
    return words


def paragraphs(lines: Sequence[Line], spacing: float, vocabulary: set[str]) -> Iterator[str]:
    """The paragraphs of a run of lines (see the module's docstring)."""
    text = ""
    previous: Line | None = None
    for line in lines:
        if previous is not None and _new_paragraph(previous, line, spacing):
            yield text
            text = ""
        text = join_lines(text, line.text, vocabulary) if text else line.text
        previous = line
    if text:
        yield text


def _new_paragraph(previous: Line, line: Line, spacing: float) -> bool:
    if line.page != previous.page or line.y > previous.y:  # a new page or column
        return _SENTENCE_END.search(previous.text) is not None
    return (
        (spacing > 0 and previous.y - line.y > PARAGRAPH_SPACING * spacing)
        or line.x > previous.x + _INDENT_EMS * line.size
        or abs(line.size - previous.size) > _SIZE_CHANGE
    )


def join_lines(text: str, line: str, vocabulary: set[str]) -> str:
    """`text` and the next `line` of its paragraph, a word hyphenated across them joined
    (see the module's docstring)."""
    end, start = _LINE_HYPHEN.search(text), _WORD.match(line)
    if end is None or start is None or not line[0].islower():
        return f"{text} {line}"
    left, right = end.group(1).casefold(), start.group().casefold()
    if text.endswith("\u00ad"):  # a soft hyphen is only ever a break
        return text[:-1] + line
    compound = {left, right} <= vocabulary and left + right not in vocabulary
    return text + line if compound else text[:-1] + line
