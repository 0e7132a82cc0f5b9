"""Paragraphs kept from one run to the next: after a fix, only its paragraph is made again.

A long MP3 narration (its level decided before the first sample, see shape.levels) is cut at
every seam between paragraphs (see shape.assemble), and each paragraph's MP3 frames go into
the clip cache, keyed by everything they are made from: its clips' keys, the layout, whether
it opens or ends the piece, the encoder's settings and the code that shapes and encodes. A
later run asks for each paragraph's key first and copies the frames of those it finds, with
the tone on either side of the seam given to the encoder, so that a paragraph made again
joins its kept neighbours as if all were made in one run. So fixing one sentence speaks one
clip, shapes and encodes one paragraph, and copies the rest.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import itertools
import json
import struct
from collections.abc import Sequence
from pathlib import Path

from audio_edition.encode import mp3
from audio_edition.encode.formats import MP3, OutputFormat
from audio_edition.encode.segmented import SegmentedEncoder, mp3_codec
from audio_edition.errors import EncodeError
from audio_edition.shape.assemble import (
    SEAM_PAUSE_MS,
    KeptParagraph,
    Layout,
    MadeParagraph,
    RoomTone,
)
from audio_edition.shape.levels import Expected
from audio_edition.speak.cache import ClipCache
from audio_edition.speak.clips import ClipRequest, SynthesisConfig
from audio_edition.speak.ledger import clip_key

KEPT_FORMAT = 1
"""Changes whenever what a kept entry holds changes."""
MADE_BY = ("audio_edition.shape.assemble", "audio_edition.shape.levels",
           "audio_edition.encode.segmented", "audio_edition.encode.mp3")  # fmt: skip
"""The modules whose code makes a paragraph's frames: a change to any makes new keys."""
_HEADER_LENGTH = struct.Struct("<I")


def can_keep(
    output_format: OutputFormat, encoder: object, layout: Layout, expected: Expected
) -> bool:
    """Whether this run's paragraphs can be kept: an MP3 encoded in segments, seams between
    its paragraphs, and its level decided before the first sample."""
    return (
        output_format == MP3
        and isinstance(encoder, SegmentedEncoder)
        and layout.paragraph_pause_ms >= SEAM_PAUSE_MS
        and expected.needs_no_raise()
    )


def paragraph_keys(
    requests: Sequence[ClipRequest], config: SynthesisConfig, layout: Layout
) -> dict[int, str]:
    """Each paragraph's key, by its index."""
    runs = [list(run) for _, run in itertools.groupby(requests, lambda r: r.paragraph)]
    keys = {}
    for position, run in enumerate(runs):
        clips = [clip_key(request, config).digest() for request in run]
        fields = [KEPT_FORMAT, _made_by(), clips, repr(layout), position == 0,
                  position == len(runs) - 1, mp3_codec().ffmpeg_args]  # fmt: skip
        encoded = json.dumps(fields, ensure_ascii=False).encode("utf-8")
        keys[run[0].paragraph] = hashlib.sha256(encoded).hexdigest()
    return keys


def kept_paragraphs(
    requests: Sequence[ClipRequest], keys: dict[int, str], cache: ClipCache
) -> dict[int, KeptParagraph]:
    """The paragraphs the cache holds, by index."""
    kept = {}
    for index, run in itertools.groupby(requests, lambda r: r.paragraph):
        body = cache.get_paragraph(keys[index])
        paragraph = _decoded(index, tuple(run), body) if body is not None else None
        if paragraph is not None:
            kept[index] = paragraph
    return kept


class ParagraphKeeper:
    """assemble()'s sink for a run that keeps paragraphs: PCM to the encoder, a cut at every
    seam (its frames stored under the paragraph's key), kept frames copied in."""

    def __init__(self, encoder: SegmentedEncoder, cache: ClipCache, keys: dict[int, str]):
        self._encoder = encoder
        self._cache = cache
        self._keys = keys
        encoder.keep_paragraphs()

    def write(self, pcm: bytes) -> None:
        self._encoder.write(pcm)

    def seam(self, made: MadeParagraph) -> None:
        key = self._keys.get(made.index)
        keep = functools.partial(self._store, key, made) if key is not None else None
        self._encoder.cut(None if made.last else _tone_after, keep)

    def put(self, kept: KeptParagraph) -> None:
        before = None if kept.made.last else _tone_before
        self._encoder.put(list(kept.audio), kept.made.length, before)

    def _store(self, key: str, made: MadeParagraph, frames: list[bytes]) -> None:
        header = json.dumps({"length": made.length, "speech": made.speech, "last": made.last})
        encoded = header.encode("utf-8")
        body = _HEADER_LENGTH.pack(len(encoded)) + encoded + b"".join(frames)
        self._cache.put_paragraph(key, body)


def _decoded(index: int, requests: tuple[ClipRequest, ...], body: bytes) -> KeptParagraph | None:
    """A kept paragraph from its entry, or None when the entry does not fit its clips."""
    try:
        (size,) = _HEADER_LENGTH.unpack_from(body)
        header = json.loads(body[_HEADER_LENGTH.size : _HEADER_LENGTH.size + size])
        speech = tuple((int(start), int(end)) for start, end in header["speech"])
        made = MadeParagraph(index, int(header["length"]), speech, bool(header["last"]))
    except (struct.error, ValueError, KeyError, TypeError):
        return None
    data = body[_HEADER_LENGTH.size + size :]
    try:
        frames, used = mp3.split_frames(data)
    except EncodeError:
        return None
    if len(speech) != len(requests) or not frames or used != len(data):
        return None
    return KeptParagraph(made, requests, tuple(frames))


def _tone_after(count: int) -> bytes:
    """What follows a seam: the next paragraph's tone from its start."""
    return RoomTone().samples(count).astype("<i2").tobytes()


def _tone_before(count: int) -> bytes:
    """What comes before a seam: the tone that ends every paragraph."""
    return RoomTone().ending(count).astype("<i2").tobytes()


@functools.cache
def _made_by() -> str:
    """A digest of the code in MADE_BY."""
    digest = hashlib.sha256()
    for name in MADE_BY:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None
        digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()
