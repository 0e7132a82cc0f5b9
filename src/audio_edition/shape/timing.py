"""Exact times of every paragraph, sentence and chapter in the output, from the PCM sample counts
recorded during assembly (never encoded durations)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from audio_edition.clock import samples_to_ms
from audio_edition.document import Document, Paragraph
from audio_edition.shape.assemble import Timeline

_CHAPTER_TITLE_WORDS = 7


@dataclass(frozen=True)
class TimedText:
    """A clip's text and where its speech lies, in milliseconds from the start of the file."""

    text: str
    """As written."""
    spoken: str
    """As the engine was given it."""
    start_ms: int
    """Where its speech begins."""
    end_ms: int
    """Where its speech ends."""
    voice: int = 0
    """The voice it was spoken in (see speak.clips.ClipRequest.voice)."""
    speaker: str | None = None
    """Who says it (None: the narrator)."""


@dataclass(frozen=True)
class TimedSentence:
    """A sentence, with the clips (parts) it was spoken in."""

    text: str
    """As written."""
    spoken: str
    """As the engine was given it."""
    start_ms: int
    """Where its speech begins."""
    end_ms: int
    """Where its speech ends."""
    parts: tuple[TimedText, ...]
    """Its clips, each timed exactly."""


@dataclass(frozen=True)
class TimedParagraph:
    """A paragraph and its sentences, timed."""

    index: int
    """Position in the document, from 0."""
    text: str
    """As written."""
    spoken: str
    """As the engine was given it."""
    heading: bool
    """Whether it is its section's heading."""
    start_ms: int
    """Where its first sentence begins."""
    end_ms: int
    """Where its last sentence ends."""
    sentences: tuple[TimedSentence, ...]
    """Its sentences."""


@dataclass(frozen=True)
class Chapter:
    """A chapter mark: from where its first paragraph's speech begins to the next chapter."""

    title: str
    """What players show."""
    start_ms: int
    """Where its first paragraph's speech begins."""
    end_ms: int
    """Where the next chapter begins (the end of the file for the last)."""
    level: int = 1
    """How deep it is nested: 1 for a top chapter, 2 for one in it, and so on."""
    parent: int | None = None
    """The index of the chapter it is in; None for a top chapter."""


@dataclass(frozen=True)
class ChapterHead:
    """A chapter of a document, before it is timed."""

    title: str
    """What players show."""
    level: int
    """How deep it is nested (see Chapter.level)."""
    parent: int | None
    """The index of the chapter it is in (see Chapter.parent)."""
    paragraphs: tuple[Paragraph, ...]
    """Its own paragraphs (not its children's)."""


def timed_paragraphs(document: Document, timeline: Timeline) -> list[TimedParagraph]:
    """Every paragraph and sentence with its times, from the timeline's sample counts.

    The timeline holds one clip per part, in document order; anything else is a bug, and
    raises rather than mistiming the text.
    """
    rate = timeline.sample_rate
    clips = iter(timeline.clips)
    paragraphs = []
    for paragraph in document.paragraphs:
        sentences = []
        for s_index, sentence in enumerate(paragraph.sentences):
            parts = []
            for p_index, part in enumerate(sentence.parts):
                clip = next(clips)
                request = clip.request
                if (request.paragraph, request.sentence, request.part) != (
                    paragraph.index, s_index, p_index,
                ):  # fmt: skip
                    raise AssertionError(f"clip {request} is out of place in the timeline")
                start, end = samples_to_ms(clip.start, rate), samples_to_ms(clip.end, rate)
                parts.append(
                    TimedText(part.text, part.spoken, start, end, request.voice, part.speaker)
                )
            sentences.append(TimedSentence(
                sentence.text, sentence.spoken, parts[0].start_ms, parts[-1].end_ms, tuple(parts)
            ))  # fmt: skip
        paragraphs.append(TimedParagraph(
            paragraph.index, paragraph.text, paragraph.spoken, paragraph.heading,
            sentences[0].start_ms, sentences[-1].end_ms, tuple(sentences),
        ))  # fmt: skip
    if next(clips, None) is not None:
        raise AssertionError("the timeline holds more clips than the document has parts")
    return paragraphs


def chapter_title(text: str) -> str:
    """A paragraph's first words, as a chapter title."""
    words = text.split()
    title = " ".join(words[:_CHAPTER_TITLE_WORDS])
    if len(words) > _CHAPTER_TITLE_WORDS:
        title = title.rstrip(",;:.!?-\u2014") + "\u2026"
    return title


def chapter_heads(document: Document) -> list[ChapterHead]:
    """The document's chapters, nested.

    A document with headings has one chapter per section, titled by its heading (text before
    the first heading is titled by the document's title, else its first words); one without
    has one chapter per paragraph, titled by its first words. Chapters nest by their
    headings' relative levels: a heading is in the nearest heading before it of a lower
    level, so a document whose top headings are h2 nests as one whose are h1, and text before
    the first heading is in no chapter and holds none.
    """
    if not any(section.heading for section in document.sections):
        return [ChapterHead(chapter_title(p.text), 1, None, (p,)) for p in document.paragraphs]
    places = nested(section.level if section.heading else None for section in document.sections)
    return [
        ChapterHead(
            section.heading
            or (document.title if number == 0 and document.title else None)
            or chapter_title(section.paragraphs[0].text),
            level,
            parent,
            section.paragraphs,
        )
        for number, (section, (level, parent)) in enumerate(
            zip(document.sections, places, strict=True)
        )
    ]


def nested(heading_levels: Iterable[int | None]) -> list[tuple[int, int | None]]:
    """Each heading's level in the tree and the index of the heading it is in (None for a
    top one), from the headings' levels as written (None: no heading, at the top, holding
    nothing): a heading is in the nearest one before it of a lower level as written."""
    places: list[tuple[int, int | None]] = []
    open_headings: list[tuple[int, int]] = []  # (level as written, index), outermost first
    for index, written in enumerate(heading_levels):
        while open_headings and (written is None or open_headings[-1][0] >= written):
            open_headings.pop()
        places.append((len(open_headings) + 1, open_headings[-1][1] if open_headings else None))
        if written is not None:
            open_headings.append((written, index))
    return places


def path_titles(chapters: Iterable[tuple[str, int | None]]) -> list[str]:
    """Each chapter's title after those of the chapters it is in ("Part One: Chapter 2"), from
    (title, parent's index) pairs: what a flat list of chapters (MP4, Ogg, JSON chapters)
    shows."""
    paths: list[str] = []
    for title, parent in chapters:
        paths.append(title if parent is None else f"{paths[parent]}: {title}")
    return paths


def chapters(
    document: Document, paragraphs: Sequence[TimedParagraph], duration_ms: int
) -> list[Chapter]:
    """The chapter marks of chapter_heads(), back to back to the end of the file.

    Each starts where its first paragraph's speech starts, except the first, which starts at
    0 with the head room tone: MP4's QuickTime chapter track cannot begin later, and so every
    format agrees.
    """
    start_of = {p.index: p.start_ms for p in paragraphs}
    heads = chapter_heads(document)
    starts = [0] + [start_of[head.paragraphs[0].index] for head in heads[1:]]
    ends = [*starts[1:], duration_ms]
    return [
        Chapter(head.title, start, end, head.level, head.parent)
        for head, start, end in zip(heads, starts, ends, strict=True)
    ]
