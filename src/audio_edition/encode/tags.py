"""Write title, author, album, genre, the full text (as lyrics), cover and chapters (mutagen)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutagen import MutagenError
from mutagen.flac import FLAC, Picture
from mutagen.id3 import APIC, CHAP, CTOC, TALB, TCON, TIT2, TPE1, TPE2, USLT, CTOCFlags, PictureType
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, MP4Cover
from mutagen.oggopus import OggOpus
from mutagen.wave import WAVE

from audio_edition.clock import clock
from audio_edition.document import Cover
from audio_edition.encode.formats import AAC as AAC_FORMAT
from audio_edition.encode.formats import FLAC as FLAC_FORMAT
from audio_edition.encode.formats import MP3 as MP3_FORMAT
from audio_edition.encode.formats import OPUS as OPUS_FORMAT
from audio_edition.encode.formats import WAV as WAV_FORMAT
from audio_edition.encode.formats import OutputFormat
from audio_edition.errors import OutputError
from audio_edition.shape.timing import Chapter, path_titles

_CTOC_ENTRIES = 255
_ID3_HEADER = 10
"""Bytes in an ID3v2 tag header and in an ID3v2.3 frame header."""


@dataclass(frozen=True)
class Tags:
    """What a player shows about the edition."""

    title: str
    """The piece's title."""
    artist: str | None
    """Its author."""
    album: str
    """The album name; the title unless given."""
    genre: str
    """Genre, "Speech" by default."""
    lyrics: str
    """The full text that was narrated."""
    audiobook: bool = False
    """Mark an MP4 file as an audiobook (for .m4b)."""
    chapters: tuple[Chapter, ...] = ()
    """Chapter marks (MP4 gets them from ffmpeg, see encode.add_mp4_chapters)."""
    cover: Cover | None = None
    """Front cover image (JPEG or PNG)."""


def _write_id3(audio: MP3 | WAVE, info: Tags, with_chapters: bool) -> list[str]:
    """Write the tags; returns the element ids of the chapter frames, in the order they belong."""
    if audio.tags is None:
        audio.add_tags()
    tags: Any = audio.tags
    tags.add(TIT2(encoding=3, text=info.title))
    tags.add(TALB(encoding=3, text=info.album))
    tags.add(TCON(encoding=3, text=info.genre))
    if info.artist:
        tags.add(TPE1(encoding=3, text=info.artist))
        tags.add(TPE2(encoding=3, text=info.artist))
    tags.add(USLT(encoding=3, lang="eng", desc="", text=info.lyrics))
    if info.cover:
        tags.add(APIC(encoding=3, mime=info.cover.mime, type=PictureType.COVER_FRONT,
                      desc="Cover", data=info.cover.data))  # fmt: skip
    element_ids: list[str] = []
    if with_chapters and info.chapters:
        element_ids = _add_tables_of_contents(tags, info)
        chapter_ids = [f"chp{number}" for number in range(len(info.chapters))]
        for element_id, chapter in zip(chapter_ids, info.chapters, strict=True):
            tags.add(CHAP(
                element_id=element_id, start_time=chapter.start_ms, end_time=chapter.end_ms,
                sub_frames=[TIT2(encoding=3, text=chapter.title)],
            ))  # fmt: skip
        element_ids += chapter_ids
    audio.save(v2_version=3)
    return element_ids


def _write_mp3(path: Path, info: Tags) -> None:
    element_ids = _write_id3(MP3(path), info, with_chapters=True)
    if element_ids:
        order_id3_frames(path, element_ids)


def _add_tables_of_contents(tags: Any, info: Tags) -> list[str]:
    """The tables of contents: the top one ("toc") lists the top chapters; a chapter with
    chapters in it stands in its parent's table as a table of its own ("c3toc"), titled by it,
    that lists it and then them. Returns the tables' element ids, top level first."""
    chapters = info.chapters
    inside: list[list[str]] = [[] for _ in chapters]  # each chapter's children, last first
    top: list[str] = []
    tables: list[tuple[str, str, list[str]]] = []  # (element id, title, entries), last first
    for number in reversed(range(len(chapters))):  # children before their parents
        entry = f"chp{number}"
        if inside[number]:
            entry = f"c{number}toc"
            own = [f"chp{number}", *reversed(inside[number])]
            tables.append((entry, chapters[number].title, own))
        parent = chapters[number].parent
        (top if parent is None else inside[parent]).append(entry)
    tables.append(("toc", info.title, top[::-1]))
    return [
        written
        for element_id, title, entries in reversed(tables)
        for written in _add_table(tags, element_id, title, entries)
    ]


def _add_table(tags: Any, element_id: str, title: str, entries: list[str]) -> list[str]:
    """A CTOC frame listing `entries`; a frame lists at most 255, so more go into tables
    nested in it ("toc0", "toc1"). Returns the element ids of the tables added."""
    tables = {element_id: entries}
    if len(entries) > _CTOC_ENTRIES:
        groups = [entries[i : i + _CTOC_ENTRIES] for i in range(0, len(entries), _CTOC_ENTRIES)]
        nested = {f"{element_id}{n}": group for n, group in enumerate(groups)}
        tables = {element_id: list(nested), **nested}
    top = CTOCFlags.TOP_LEVEL if element_id == "toc" else 0
    for table_id, children in tables.items():
        flags = (top if table_id == element_id else 0) | CTOCFlags.ORDERED
        tags.add(CTOC(element_id=table_id, flags=flags, child_element_ids=children,
                      sub_frames=[TIT2(encoding=3, text=title)]))  # fmt: skip
    return list(tables)


def order_id3_frames(path: Path, element_ids: Sequence[str]) -> None:
    """Put the CTOC and CHAP frames of the ID3v2.3 tag at the head of `path` in the order of
    `element_ids`, after all other frames.

    mutagen writes frames sorted by their size, but ffmpeg-based players (mpv, ffplay) and
    other readers list chapters in the order their frames stand in the file. The frames are
    only permuted, so the tag keeps its size and is rewritten in place.
    """
    with open(path, "r+b") as file:
        header = file.read(_ID3_HEADER)
        if header[:3] != b"ID3" or header[3] != 3 or header[5] != 0:
            raise OutputError(f"cannot order the chapters of {path.name}: unexpected ID3 header")
        size = sum(byte << (7 * (3 - n)) for n, byte in enumerate(header[6:10]))
        body = file.read(size)
        frames, end = _id3_frames(body)
        rank = {name.encode("latin-1"): number for number, name in enumerate(element_ids)}

        def position(frame: bytes) -> int:
            if frame[:4] not in (b"CHAP", b"CTOC"):
                return -1
            return rank[frame[_ID3_HEADER:].split(b"\0", 1)[0]]

        frames.sort(key=position)
        file.seek(_ID3_HEADER)
        file.write(b"".join(frames) + body[end:])


def _id3_frames(body: bytes) -> tuple[list[bytes], int]:
    """The frames of an ID3v2.3 tag body, whole, in file order, and where the padding starts."""
    frames = []
    offset = 0
    while offset + _ID3_HEADER <= len(body) and body[offset] != 0:
        length = _ID3_HEADER + int.from_bytes(body[offset + 4 : offset + 8], "big")
        frames.append(body[offset : offset + length])
        offset += length
    return frames, offset


def _write_mp4(path: Path, info: Tags) -> None:
    audio = MP4(path)
    if audio.tags is None:
        audio.add_tags()
    tags: Any = audio.tags
    tags["\xa9nam"] = [info.title]
    tags["\xa9alb"] = [info.album]
    tags["\xa9gen"] = [info.genre]
    tags["\xa9lyr"] = [info.lyrics]
    if info.artist:
        tags["\xa9ART"] = [info.artist]
        tags["aART"] = [info.artist]
    if info.audiobook:
        tags["stik"] = [2]
    if info.cover:
        kind = MP4Cover.FORMAT_PNG if info.cover.mime == "image/png" else MP4Cover.FORMAT_JPEG
        tags["covr"] = [MP4Cover(info.cover.data, imageformat=kind)]
    audio.save()


def _write_vorbis(audio: OggOpus | FLAC, info: Tags) -> None:
    if audio.tags is None:
        audio.add_tags()
    audio["title"] = info.title
    audio["album"] = info.album
    audio["genre"] = info.genre
    audio["lyrics"] = info.lyrics
    if info.artist:
        audio["artist"] = info.artist
        audio["albumartist"] = info.artist
    # a flat list: a nested chapter titled by its path
    titles = path_titles((c.title, c.parent) for c in info.chapters)
    for number, (chapter, title) in enumerate(zip(info.chapters, titles, strict=True)):
        audio[f"CHAPTER{number:03d}"] = clock(chapter.start_ms)
        audio[f"CHAPTER{number:03d}NAME"] = title
    if info.cover:
        picture = Picture()
        picture.type, picture.mime, picture.desc = PictureType.COVER_FRONT, info.cover.mime, "Cover"
        picture.data = info.cover.data
        if isinstance(audio, FLAC):
            audio.add_picture(picture)
        else:
            audio["metadata_block_picture"] = base64.b64encode(picture.write()).decode("ascii")
    audio.save()


_WRITERS = {
    MP3_FORMAT.name: _write_mp3,
    WAV_FORMAT.name: lambda path, info: _write_id3(WAVE(path), info, with_chapters=False),
    AAC_FORMAT.name: _write_mp4,
    OPUS_FORMAT.name: lambda path, info: _write_vorbis(OggOpus(path), info),
    FLAC_FORMAT.name: lambda path, info: _write_vorbis(FLAC(path), info),
}


def write_tags(path: Path, output_format: OutputFormat, info: Tags) -> None:
    """Tag the encoded file at `path` in the way its format allows."""
    try:
        _WRITERS[output_format.name](path, info)
    except (MutagenError, OSError) as error:
        raise OutputError(f"cannot write tags to {path.name}: {error}") from None
