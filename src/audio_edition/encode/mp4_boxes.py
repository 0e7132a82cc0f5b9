"""MP4 boxes: the moov box read as a tree, its header and edit-list fields, and written back."""

from __future__ import annotations

import contextlib
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts"}
"""Boxes holding only boxes, on the way to the ones rewritten here (udta, meta... stay raw)."""
_U32 = 0xFFFF_FFFF
_COPY_BYTES = 1 << 20


@dataclass
class Box:
    """An MP4 box: a container's children, or any other box's payload kept as bytes."""

    kind: bytes
    payload: bytes = b""
    children: list[Box] = field(default_factory=list)
    container: bool = False

    def find(self, kind: bytes) -> Box | None:
        return next((child for child in self.children if child.kind == kind), None)

    def path(self, *kinds: bytes) -> Box:
        box = self
        for kind in kinds:
            found = box.find(kind)
            if found is None:
                raise Malformed(f"no {kind.decode('latin-1')} box")
            box = found
        return box

    def serialize(self) -> bytes:
        if not self.kind:
            return self.payload
        body = b"".join(c.serialize() for c in self.children) if self.container else self.payload
        if len(body) + 8 > _U32:
            return struct.pack(">I4sQ", 1, self.kind, len(body) + 16) + body
        return struct.pack(">I4s", len(body) + 8, self.kind) + body


class Malformed(Exception):
    """The file is not an MP4 file as this module knows it."""


def _parse_boxes(data: bytes) -> list[Box]:
    boxes = []
    offset = 0
    while offset < len(data):
        if len(data) - offset < 8 and not any(data[offset:]):
            boxes.append(Box(b"", data[offset:]))  # zero padding at a container's end
            break
        kind, start, end = _box_header(data, offset, len(data))
        payload = data[start:end]
        if kind in _CONTAINERS:
            boxes.append(Box(kind, children=_parse_boxes(payload), container=True))
        else:
            boxes.append(Box(kind, payload))
        offset = end
    return boxes


def _box_header(data: bytes, offset: int, limit: int) -> tuple[bytes, int, int]:
    """A box's type and where its payload starts and ends, within data[offset:limit]."""
    if offset + 8 > limit:
        raise Malformed("a box header is cut short")
    size, kind = struct.unpack_from(">I4s", data, offset)
    start = offset + 8
    if size == 1:
        if offset + 16 > limit:
            raise Malformed("a box header is cut short")
        (size,) = struct.unpack_from(">Q", data, offset + 8)
        start = offset + 16
    elif size == 0:
        size = limit - offset
    if size < start - offset or offset + size > limit:
        raise Malformed(f"the {kind!r} box has a bad size")
    return kind, start, offset + size


@dataclass
class FullBox:
    """A box with a version and flags before its fields."""

    kind: bytes
    version: int
    flags: bytes
    body: bytes

    @classmethod
    def parse(cls, box: Box) -> FullBox:
        if len(box.payload) < 4:
            raise Malformed(f"the {box.kind!r} box is cut short")
        return cls(box.kind, box.payload[0], box.payload[1:4], box.payload[4:])

    def unpack(self, layout: str, offset: int = 0) -> tuple[Any, ...]:
        if offset + struct.calcsize(layout) > len(self.body):
            raise Malformed(f"the {self.kind!r} box is cut short")
        return struct.unpack_from(layout, self.body, offset)

    def box(self, version: int, body: bytes) -> Box:
        return Box(self.kind, bytes([version]) + self.flags + body)


def read_moov(path: Path) -> tuple[Box, int, int]:
    """The moov box of `path`, parsed, with its offset and size in the file."""
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        offset = 0
        while offset < size:
            file.seek(offset)
            kind, start, end = _box_header(file.read(16).ljust(16, b"\0"), 0, size - offset)
            if kind == b"moov":
                file.seek(offset + start)
                payload = file.read(end - start)
                return Box(kind, children=_parse_boxes(payload), container=True), offset, end
            offset += end
    raise Malformed("no moov box")


def audio_trak(movie: Box) -> Box:
    for track in movie.children:
        if track.kind != b"trak":
            continue
        try:
            hdlr = FullBox.parse(track.path(b"mdia", b"hdlr"))
            if hdlr.unpack(">4x4s")[0] == b"soun":
                return track
        except Malformed:
            continue
    raise Malformed("no audio track")


def replace_child(parent: Box, kind: bytes, box: Box) -> None:
    for number, child in enumerate(parent.children):
        if child.kind == kind:
            parent.children[number] = box
            return
    raise Malformed(f"no {kind.decode('latin-1')} box")


def rescale(value: int, old: int, new: int) -> int:
    return (value * new + old // 2) // old


# Header boxes: (v0 layout, v1 layout) of the fields up to the duration


def movie_header_time(mvhd: FullBox) -> tuple[int, int]:
    """mvhd's timescale and duration."""
    return mvhd.unpack(">16xIQ" if mvhd.version == 1 else ">8xII")


def movie_header_with(mvhd: FullBox, timescale: int, duration: int) -> Box:
    if mvhd.version == 1:
        created, modified = mvhd.unpack(">QQ")
        rest = mvhd.body[28:]
    else:
        created, modified = mvhd.unpack(">II")
        rest = mvhd.body[16:]
    if duration > _U32 or mvhd.version == 1:
        return mvhd.box(1, struct.pack(">QQIQ", created, modified, timescale, duration) + rest)
    return mvhd.box(0, struct.pack(">IIII", created, modified, timescale, duration) + rest)


def track_header_duration(tkhd: FullBox) -> int:
    if tkhd.version == 1:
        return tkhd.unpack(">24xQ")[0]
    return tkhd.unpack(">16xI")[0]


def track_header_with(tkhd: FullBox, duration: int) -> Box:
    if tkhd.version == 1:
        created, modified, track_id, reserved = tkhd.unpack(">QQII")
        rest = tkhd.body[32:]
    else:
        created, modified, track_id, reserved = tkhd.unpack(">IIII")
        rest = tkhd.body[20:]
    if duration > _U32 or tkhd.version == 1:
        fields = struct.pack(">QQIIQ", created, modified, track_id, reserved, duration)
        return tkhd.box(1, fields + rest)
    return tkhd.box(
        0, struct.pack(">IIIII", created, modified, track_id, reserved, duration) + rest
    )


def media_header_time(mdhd: FullBox) -> tuple[int, int]:
    """mdhd's timescale and duration."""
    return mdhd.unpack(">16xIQ" if mdhd.version == 1 else ">8xII")


def stts_totals(stts_box: Box) -> tuple[int, int]:
    """The number of samples and the sum of their durations in a time-to-sample table."""
    stts = FullBox.parse(stts_box)
    (entries,) = stts.unpack(">I")
    pairs = stts.unpack(f">{2 * entries}I", 4)
    return sum(pairs[::2]), sum(c * d for c, d in zip(pairs[::2], pairs[1::2], strict=True))


def read_elst(elst: FullBox) -> list[tuple[int, int, bytes]]:
    """An edit list's (segment duration, media time, rate) entries."""
    (entries,) = elst.unpack(">I")
    layout, size = (">Qq4s", 20) if elst.version == 1 else (">Ii4s", 12)
    return [elst.unpack(layout, 4 + n * size) for n in range(entries)]


def set_edit_list(track: Box, edits: list[tuple[int, int, bytes]]) -> None:
    """Give the track these (segment duration, media time, rate) edits, replacing any."""
    wide = any(d > _U32 or not -(1 << 31) <= t < 1 << 31 for d, t, _ in edits)
    layout = ">Qq4s" if wide else ">Ii4s"
    entries = b"".join(struct.pack(layout, d, t, rate) for d, t, rate in edits)
    elst = Box(
        b"elst", bytes([1 if wide else 0, 0, 0, 0]) + struct.pack(">I", len(edits)) + entries
    )
    edts = track.find(b"edts")
    if not edits:
        track.children = [child for child in track.children if child.kind != b"edts"]
        return
    if edts is None:
        edts = Box(b"edts", container=True)
        after_tkhd = next(n for n, c in enumerate(track.children) if c.kind == b"tkhd") + 1
        track.children.insert(after_tkhd, edts)
    edts.children = [elst]


def clipped_edits(edits: list[tuple[int, int, bytes]], limit: int) -> list[tuple[int, int, bytes]]:
    """The edits, cut where their durations add up to `limit`."""
    kept = []
    total = 0
    for duration, time, rate in edits:
        duration = min(duration, limit - total)
        if duration <= 0:
            break
        kept.append((duration, time, rate))
        total += duration
    return kept


# Writing the index back


def _chunk_offset_tables(movie: Box) -> list[Box]:
    tables = []
    for track in movie.children:
        if track.kind == b"trak":
            stbl = track.path(b"mdia", b"minf", b"stbl")
            tables += [box for box in stbl.children if box.kind in (b"stco", b"co64")]
    return tables


def _shift_chunk_offsets(movie: Box, after: int, delta: int) -> None:
    """Move every chunk that starts past `after` by `delta` bytes."""
    for table in _chunk_offset_tables(movie):
        box = FullBox.parse(table)
        (entries,) = box.unpack(">I")
        code = "Q" if table.kind == b"co64" else "I"
        offsets = [o + delta if o > after else o for o in box.unpack(f">{entries}{code}", 4)]
        if code == "I" and offsets and max(offsets) > _U32:
            raise Malformed("a chunk offset overflows 32 bits")
        table.payload = table.payload[:8] + struct.pack(f">{entries}{code}", *offsets)


def write_moov(path: Path, movie: Box, offset: int, size: int) -> None:
    """Put the rewritten moov where the old one was: in place when it is as long or a free box
    after it can take up the difference, else into a new copy of the file, its chunks moved."""
    data = movie.serialize()
    with open(path, "r+b") as file:
        file.seek(offset + size)
        after = file.read(8)
        room = size
        if len(after) == 8:
            free_size, kind = struct.unpack(">I4s", after)
            if kind in (b"free", b"skip") and free_size >= 8:
                room += free_size
        if len(data) == size or len(data) == room or len(data) + 8 <= room:
            rest = room - len(data) if len(data) != size else 0
            filler = struct.pack(">I4s", rest, b"free") + bytes(rest - 8) if rest else b""
            file.seek(offset)
            file.write(data + filler)
            return
    _shift_chunk_offsets(movie, offset, len(data) - size)
    data = movie.serialize()
    with open(path, "rb") as source:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".mp4")
        try:
            with open(handle, "wb") as copy:
                copy.write(source.read(offset))
                copy.write(data)
                source.seek(offset + size)
                shutil.copyfileobj(source, copy, _COPY_BYTES)
            os.chmod(name, os.stat(path).st_mode & 0o7777)
            os.replace(name, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(name)
            raise
