"""`audio-edition check`: measure an edition and judge it against a profile (acx or podcast).

The audio is measured by audio_edition.verify.measure and judged by the profile's rules
(audio_edition.verify.rules). A read-along book or page is checked for the MP3 it holds. With
a text or a manifest, proof-listening (audio_edition.verify.proof) reports every paragraph as
heard: one flagged (missing, truncated, repeated, out-of-order) fails the check; one unclear
(speech heard in its place, too few of its words to confirm it) is shown and does not. The
findings are a Report (audio_edition.verify.report).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from audio_edition.editions.epub3 import copy_book_audio
from audio_edition.editions.manifest import read_manifest
from audio_edition.editions.page import page_audio
from audio_edition.errors import InputError, UsageError
from audio_edition.readers import read
from audio_edition.text.normalize import Normalizer
from audio_edition.text.normalize.languages import DEFAULT_LANGUAGE
from audio_edition.text.segment import segment
from audio_edition.verify.measure import measure, probe
from audio_edition.verify.proof import Spans, listen, require
from audio_edition.verify.report import Report
from audio_edition.verify.rules import profile_named, rules

WHOLE_SENTENCES = sys.maxsize
"""The clip size a text to check is segmented with: only its paragraphs as written are
compared with what is heard, and how sentences are cut into clips never changes them."""


@dataclass(frozen=True)
class Source:
    """What the audio should hold."""

    paragraphs: list[str]
    """The paragraphs as written."""
    language: str | None
    """The language they declare, if any."""
    narrated: Spans | None = None
    """Where a manifest says each paragraph's speech lies."""


def source_paragraphs(
    text: str | os.PathLike[str] | None,
    manifest: str | os.PathLike[str] | None,
    encoding: str | None = None,
) -> Source:
    """The paragraphs the audio should hold, from a document (read in `encoding`, and
    segmented as narrate segments it) or a manifest (with times)."""
    if manifest is not None:
        read_back = read_manifest(Path(manifest))
        paragraphs = read_back.paragraphs
        times = tuple((p.start_ms, p.end_ms) for p in paragraphs)
        return Source([p.text for p in paragraphs], read_back.language,
                      Spans(times, read_back.duration_ms))  # fmt: skip
    assert text is not None
    manuscript = read(text, encoding=encoding)
    normalizer = Normalizer(manuscript.language or DEFAULT_LANGUAGE)
    document = segment(manuscript, WHOLE_SENTENCES, normalizer)
    return Source([paragraph.text for paragraph in document.paragraphs], manuscript.language)


@contextlib.contextmanager
def audio_file(path: Path) -> Iterator[Path]:
    """The audio an edition holds: the file itself; for an EPUB, its MP3 (copied out to a
    temporary file); for a read-along page, the MP3 beside it or embedded in it."""
    suffix = path.suffix.lower()
    audio = page_audio(path) if suffix == ".html" else path
    if isinstance(audio, Path) and suffix != ".epub":
        yield audio
        return
    with tempfile.TemporaryDirectory() as folder:
        copied = Path(folder) / f"{path.stem}.mp3"
        with copied.open("wb") as out:
            if isinstance(audio, bytes):
                out.write(audio)
            else:
                copy_book_audio(path, out)
        yield copied


def check(
    path: str | os.PathLike[str],
    profile: str = "acx",
    text: str | os.PathLike[str] | None = None,
    manifest: str | os.PathLike[str] | None = None,
    language: str | None = None,
    asr_model: str | os.PathLike[str] | None = None,
    encoding: str | None = None,
) -> Report:
    """Measure `path`, judge it against `profile`, and proof-listen to it against `text` (any
    document narrate reads) or `manifest` (whose times also help tell a paragraph the model
    misheard from one that is missing) when one is given, with the Whisper model folder
    `asr_model` (default: the shipped tiny English one); `text` is read in `encoding`."""
    audio = Path(path)
    judged_by = profile_named(profile)
    if text is not None and manifest is not None:
        raise UsageError("give --text or --manifest, not both")
    if not audio.is_file():
        raise InputError(f"{audio}: no such file")
    source, heard_in = None, DEFAULT_LANGUAGE
    if text is not None or manifest is not None:
        source = source_paragraphs(text, manifest, encoding)
        heard_in = language or source.language or DEFAULT_LANGUAGE
        asr_model = require(heard_in, asr_model)
    with audio_file(audio) as sound:
        info = probe(sound)
        levels = measure(sound, info)
        proofs = None
        if source is not None:
            proofs = tuple(listen(sound, source.paragraphs, heard_in, asr_model, source.narrated))
    return Report(audio, judged_by, info, levels, tuple(rules(judged_by, info, levels)), proofs)
