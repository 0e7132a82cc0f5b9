"""Subtitles that follow the voice: SRT, WebVTT and LRC, at least one cue per sentence.

A clip's time is exact (a sentence said by several speakers counts as one clip); a clip too
long for one cue (more than two lines of 42 characters, or about 7 s) is split at a clause end
where one is near, else between words, and its time shared out by characters.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from audio_edition.clock import clock
from audio_edition.files import naming
from audio_edition.shape.timing import TimedParagraph, TimedSentence, TimedText

LINE_CHARS = 42
MAX_LINES = 2
MAX_CUE_MS = 7000
FORMATS = ("srt", "vtt", "lrc")
_CLAUSE_END = (",", ";", ":", "\u2014", "\u2013")


@dataclass(frozen=True)
class Cue:
    """One subtitle."""

    start_ms: int
    """When it appears."""
    end_ms: int
    """When it goes."""
    lines: tuple[str, ...]
    """At most two lines of at most 42 characters (a longer word stands alone)."""


def _fits(words: list[str]) -> bool:
    return len(textwrap.wrap(" ".join(words), LINE_CHARS, break_long_words=False)) <= MAX_LINES


def _chunks(text: str, duration_ms: int) -> Iterator[list[str]]:
    """Word groups of `text` that each fit a cue."""
    words = text.split()
    ms_per_char = duration_ms / max(len(text), 1)
    chunk: list[str] = []
    for word in words:
        candidate = [*chunk, word]
        too_long = len(" ".join(candidate)) * ms_per_char > MAX_CUE_MS
        if chunk and (not _fits(candidate) or too_long):
            cut = next(
                (i for i in range(len(chunk) - 1, len(chunk) // 2 - 1, -1)
                 if chunk[i].endswith(_CLAUSE_END)),
                len(chunk) - 1,
            ) + 1  # fmt: skip
            yield chunk[:cut]
            chunk = chunk[cut:]
        chunk.append(word)
    if chunk:
        yield chunk


def cues_for(part: TimedText) -> list[Cue]:
    """The cues of one clip, its time shared out by characters."""
    duration = part.end_ms - part.start_ms
    chunks = [" ".join(words) for words in _chunks(part.text, duration)]
    total = sum(len(c) for c in chunks) + len(chunks) - 1  # characters, with the spaces
    cues = []
    position = 0
    for chunk in chunks:
        start = part.start_ms + round(duration * position / total)
        position += len(chunk)
        end = part.start_ms + round(duration * position / total)
        position += 1
        lines = tuple(textwrap.wrap(chunk, LINE_CHARS, break_long_words=False))
        cues.append(Cue(start, end, lines))
    return cues


def cues(paragraphs: Sequence[TimedParagraph]) -> list[Cue]:
    """Every cue of the narration, in order."""
    return [
        cue
        for paragraph in paragraphs
        for sentence in paragraph.sentences
        for part in _cue_parts(sentence)
        for cue in cues_for(part)
    ]


def _cue_parts(sentence: TimedSentence) -> tuple[TimedText, ...]:
    """The clips of a sentence, as cues are made from them: a sentence said by several
    speakers whole, as if one clip (a subtitle does not change at a change of voice)."""
    if len({part.speaker for part in sentence.parts}) == 1:
        return sentence.parts
    return (TimedText(sentence.text, sentence.spoken, sentence.start_ms, sentence.end_ms),)


def srt(all_cues: Sequence[Cue]) -> str:
    """SubRip: numbered cues, `00:00:01,250 --> 00:00:03,000`."""
    blocks = [
        f"{n}\n{clock(c.start_ms, ',')} --> {clock(c.end_ms, ',')}\n" + "\n".join(c.lines)
        for n, c in enumerate(all_cues, start=1)
    ]
    return "\n\n".join(blocks) + "\n"


def vtt(all_cues: Sequence[Cue]) -> str:
    """WebVTT: a `WEBVTT` header, then `00:00:01.250 --> 00:00:03.000` cues."""
    blocks = [f"{clock(c.start_ms)} --> {clock(c.end_ms)}\n" + "\n".join(c.lines) for c in all_cues]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def _lrc_time(ms: int) -> str:
    centis = (ms + 5) // 10
    minutes, centis = divmod(centis, 6000)
    return f"[{minutes:02d}:{centis // 100:02d}.{centis % 100:02d}]"


def lrc(all_cues: Sequence[Cue], title: str, artist: str | None) -> str:
    """LRC: `[ti:]` and `[ar:]` headers, `[mm:ss.xx]` lines; an empty line clears each pause."""
    lines = [f"[ti:{title}]"]
    if artist:
        lines.append(f"[ar:{artist}]")
    for cue, following in zip(all_cues, [*all_cues[1:], None], strict=True):
        lines.append(_lrc_time(cue.start_ms) + " ".join(cue.lines))
        if following is None or following.start_ms > cue.end_ms:
            lines.append(_lrc_time(cue.end_ms))
    return "\n".join(lines) + "\n"


def write_subtitles(
    paths: dict[str, Path],
    paragraphs: Sequence[TimedParagraph],
    title: str,
    artist: str | None,
) -> None:
    """Write each requested format ("srt", "vtt", "lrc") to its path."""
    all_cues = cues(paragraphs)
    texts = {
        "srt": lambda: srt(all_cues),
        "vtt": lambda: vtt(all_cues),
        "lrc": lambda: lrc(all_cues, title, artist),
    }
    for name, path in paths.items():
        with naming(path):
            path.write_text(texts[name](), encoding="utf-8")
