"""Exact times of every paragraph, sentence and chapter in the output, from the PCM sample counts
recorded during assembly (never encoded durations)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from audio_edition.clock import samples_to_ms
from audio_edition.document import Document
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


def chapters(
    document: Document, paragraphs: Sequence[TimedParagraph], duration_ms: int
) -> list[Chapter]:
    """The chapter marks, back to back to the end of the file.

    A document with headings has one chapter per section, titled by its heading (text before
    the first heading is titled by the document's title, else its first words); one without
    has one chapter per paragraph, titled by its first words. Each starts where its first
    paragraph's speech starts, except the first, which starts at 0 with the head room tone:
    MP4's QuickTime chapter track cannot begin later, and so every format agrees.
    """
    start_of = {p.index: p.start_ms for p in paragraphs}
    if any(section.heading for section in document.sections):
        marks = [
            (
                section.heading
                or (document.title if number == 0 and document.title else None)
                or chapter_title(section.paragraphs[0].text),
                start_of[section.paragraphs[0].index],
            )
            for number, section in enumerate(document.sections)
        ]
    else:
        marks = [(chapter_title(p.text), p.start_ms) for p in paragraphs]
    marks[0] = (marks[0][0], 0)
    ends = [start for _, start in marks[1:]] + [duration_ms]
    return [Chapter(title, start, end) for (title, start), end in zip(marks, ends, strict=True)]
