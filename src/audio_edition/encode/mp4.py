"""Put AAC packets into an M4A/M4B that decodes to exactly the samples that were encoded.

An AAC encoder's packets cover more than the real samples: ffmpeg's ``aac`` encoder starts with
1024 samples of priming (its ``initial_padding``) and pads the last packet out to 1024 samples.
An MP4 file says which part of its media is real in the audio track's edit list: one edit
whose media time is the priming and whose duration is the real sample count. This module has
ffmpeg copy the ADTS packets into an ``ipod`` MP4 (``+faststart``) and then writes that edit
list itself, in a movie timescale equal to the sample rate so that the count is exact, with the
movie and track durations to match; it also writes iTunes' ``iTunSMPB`` tag (priming, padding,
sample count), which iTunes-family players read instead.

What reads it how (measured with the review narrated by eSpeak NG, N = 5,653,694 samples):

- ffprobe 5.1 takes the stream duration from the edit: exactly N, and the format duration
  from the movie's: N / rate;
- ffmpeg 9.0 trims the decoded samples to the edit at both ends: exactly N (ffmpeg's own
  edit, in milliseconds, decodes 30 samples short there);
- ffmpeg 5.1 (Debian 12) trims the priming exactly, but at the end drops only whole packets
  past the edit, so it decodes N rounded up to the packet grid (up to 1023 samples more, which
  are the encoder's decoded padding: near silence after a silent ending). It decodes exactly N
  when priming + N is a multiple of 1024, i.e. when the encoder's input starts with
  ``start_padding(N)`` zero samples and the priming given here counts them too;
- mutagen reports the media's length (priming and padding included): it ignores edit lists.

ffmpeg itself writes edit lists only in a movie timescale of 1000, and drops the iTunSMPB tag,
so a remux such as encode.add_mp4_chapters leaves the edit rounded to a millisecond: run
set_gapless again after it (mutagen's tag writing keeps both).

Packets of segments encoded by separate processes join into one encoder's timeline (each
packet decodes on its own; only the MDCT overlap ties neighbours) if every segment starts on a
packet boundary and is fed 32 frames before it and 2 after it, whose packets are dropped: see
tests/test_mp4.py for what fewer cost.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mutagen import MutagenError
from mutagen.mp4 import MP4, MP4FreeForm

from audio_edition.encode.ffmpeg import ffmpeg_input, ffmpeg_path
from audio_edition.errors import EncodeError, OutputError
from audio_edition.shape.timing import Chapter

FRAME_SAMPLES = 1024
"""Samples in one AAC-LC packet."""
ENCODER_PRIMING = 1024
"""Priming samples of ffmpeg's native ``aac`` encoder (its initial_padding)."""
SMPB_KEY = "----:com.apple.iTunes:iTunSMPB"
"""The freeform tag in which iTunes keeps the priming, padding and sample count."""

_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts"}
"""Boxes holding only boxes, on the way to the ones rewritten here (udta, meta... stay raw)."""
_U32 = 0xFFFF_FFFF
_RATE_ONE = struct.pack(">hh", 1, 0)
"""An edit's media rate of 1.0 (16.16 fixed point)."""
_COPY_BYTES = 1 << 20
_ADTS_HEADER = 7


def start_padding(samples: int) -> int:
    """Zero samples to put before `samples` real ones at the encoder's input so that priming
    and samples end on a packet boundary: then ffmpeg 5.1, which trims the end of a track only
    by whole packets, decodes exactly `samples` too (pass ENCODER_PRIMING + this as priming)."""
    return -samples % FRAME_SAMPLES


def smpb_value(priming: int, padding: int, samples: int) -> str:
    """The iTunSMPB tag's text: priming, padding and the real sample count, in hex."""
    return f" 00000000 {priming:08X} {padding:08X} {samples:016X}" + " 00000000" * 8


def adts_packets(data: bytes) -> tuple[list[bytes], int]:
    """The whole ADTS packets at the start of `data`, and how many bytes they take (a packet
    cut short at the end is left for the next read). Raises ValueError where no packet starts."""
    packets = []
    offset = 0
    while offset + _ADTS_HEADER <= len(data):
        if data[offset] != 0xFF or data[offset + 1] & 0xF6 != 0xF0:
            raise ValueError(f"no ADTS packet starts at byte {offset}")
        size = (data[offset + 3] & 0x03) << 11 | data[offset + 4] << 3 | data[offset + 5] >> 5
        if size < _ADTS_HEADER:
            raise ValueError(f"the ADTS packet at byte {offset} has a bad length")
        if offset + size > len(data):
            break
        packets.append(data[offset : offset + size])
        offset += size
    return packets, offset


def write_aac_mp4(
    source: Path | Iterable[bytes],
    destination: Path,
    *,
    priming: int,
    samples: int,
    sample_rate: int,
) -> None:
    """Write the ADTS packets in `source` (a file, or the bytes of one in pieces) as an MP4
    audio file at `destination` whose real audio is `samples` samples after `priming` ones.

    ffmpeg copies the packets (no re-encoding) into an ``ipod`` MP4 with ``+faststart``, then
    set_gapless writes the edit list, the durations and the iTunSMPB tag.
    """
    if sample_rate <= 0:
        raise ValueError(f"sample rate must be positive, not {sample_rate}")
    piped = not isinstance(source, Path)
    command = [
        ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "aac", *(ffmpeg_input(source) if isinstance(source, Path) else ["-i", "pipe:0"]),
        "-map", "0:a:0", "-c", "copy", "-movie_timescale", str(sample_rate),
        "-movflags", "+faststart", "-f", "ipod", str(destination),
    ]  # fmt: skip
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE if piped else subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            if piped:
                assert process.stdin is not None
                with contextlib.suppress(BrokenPipeError), process.stdin:
                    for chunk in source:  # type: ignore[union-attr]
                        process.stdin.write(chunk)
            code = process.wait()
        finally:
            if process.poll() is None:  # the caller's iterator raised, or we were interrupted
                process.kill()
                process.wait()
        stderr.seek(0)
        text = stderr.read().decode("utf-8", "replace")
    if code != 0:
        raise EncodeError("ffmpeg could not put the AAC packets into MP4", command, text)
    media = read_audio_track(destination)
    if media.timescale != sample_rate:
        message = f"the AAC packets are at {media.timescale} Hz, not {sample_rate} Hz"
        raise EncodeError(message, command, text)
    if media.duration < priming + samples:
        message = f"the AAC packets hold {media.duration} samples, not {priming} + {samples}"
        raise EncodeError(message, command, text)
    set_gapless(destination, priming=priming, samples=samples)


def set_gapless(path: Path, *, priming: int, samples: int) -> None:
    """Mark the first audio track of the MP4 file at `path` as `samples` real samples after
    `priming` ones: its edit list, movie and track durations (trim_edit_list) and the iTunSMPB
    tag. Idempotent; run it again after anything that remuxes the file."""
    media = trim_edit_list(path, priming=priming, samples=samples)
    padding = max(media.packets * FRAME_SAMPLES - priming - samples, 0)
    try:
        audio = MP4(path)
        if audio.tags is None:
            audio.add_tags()
        tags = audio.tags
        assert tags is not None
        tags[SMPB_KEY] = [MP4FreeForm(smpb_value(priming, padding, samples).encode("ascii"))]
        audio.save()
    except (MutagenError, OSError) as error:
        raise OutputError(f"cannot write the gapless tag to {path.name}: {error}") from None


@dataclass(frozen=True)
class AudioTrack:
    """What the first audio track's media holds."""

    timescale: int
    """Media time units a second: the sample rate."""
    duration: int
    """The media's length, in its timescale: the sum of its sample durations."""
    packets: int
    """Its number of samples (AAC packets)."""
    edits: tuple[tuple[int, int], ...]
    """Its edit list as (segment duration in the movie timescale, media time) pairs."""
    movie_timescale: int
    """The movie's time units a second."""


def read_audio_track(path: Path) -> AudioTrack:
    """The first audio track of an MP4 file, as its sample table and edit list have it."""
    with _errors(path):
        return _audio_track(_read_moov(path)[0])


def _audio_track(movie: _Box) -> AudioTrack:
    track = _audio_trak(movie)
    timescale, _ = _media_header_time(_FullBox.parse(track.path(b"mdia", b"mdhd")))
    count, duration = _stts_totals(track.path(b"mdia", b"minf", b"stbl", b"stts"))
    edts = track.find(b"edts")
    edits: tuple[tuple[int, int], ...] = ()
    if edts is not None and (elst := edts.find(b"elst")) is not None:
        edits = tuple((d, t) for d, t, _ in _read_elst(_FullBox.parse(elst)))
    movie_timescale, _ = _movie_header_time(_FullBox.parse(movie.path(b"mvhd")))
    return AudioTrack(timescale, duration, count, edits, movie_timescale)


def trim_edit_list(path: Path, *, priming: int, samples: int) -> AudioTrack:
    """Rewrite the MP4 file at `path` so that its first audio track plays `samples` samples
    from media time `priming`: one edit (priming, samples); the movie timescale set to the
    track's sample rate, with every track's durations rescaled to it; the audio track's
    duration `samples` and the movie's the longest track's. The media (samples, sample table)
    is not touched. Chunk offsets follow if the index grows or shrinks. Returns the track as
    it was read."""
    if priming < 0 or samples <= 0:
        raise ValueError(f"need priming >= 0 and samples > 0, not {priming} and {samples}")
    with _errors(path):
        movie, moov_offset, moov_size = _read_moov(path)
        media = _audio_track(movie)
        if priming + samples > media.duration:
            raise ValueError(
                f"{path.name}: {priming} + {samples} samples are more than the "
                f"{media.duration} its audio track holds"
            )
        audio = _audio_trak(movie)
        mvhd = _FullBox.parse(movie.path(b"mvhd"))
        old_scale, _ = _movie_header_time(mvhd)
        new_scale = media.timescale
        durations = []
        for track in movie.children:
            if track.kind != b"trak":
                continue
            tkhd = _FullBox.parse(track.path(b"tkhd"))
            if track is audio:
                duration = samples
                _set_edit_list(track, [(samples, priming, _RATE_ONE)])
            else:  # the chapter text track, say: rescaled, and ending with the audio
                duration = min(
                    _rescale(_track_header_duration(tkhd), old_scale, new_scale), samples
                )
                edts = track.find(b"edts")
                if edts is not None and (elst := edts.find(b"elst")) is not None:
                    edits = [
                        (_rescale(d, old_scale, new_scale), t, rate)
                        for d, t, rate in _read_elst(_FullBox.parse(elst))
                    ]
                    _set_edit_list(track, _clipped(edits, samples))
            _replace(track, b"tkhd", _track_header_with(tkhd, duration))
            durations.append(duration)
        _replace(movie, b"mvhd", _movie_header_with(mvhd, new_scale, max(durations)))
        _write_moov(path, movie, moov_offset, moov_size)
    return media


@contextlib.contextmanager
def _errors(path: Path) -> Iterator[None]:
    """Report a file that cannot be read or written, or is not MP4 as expected, as OutputError."""
    try:
        yield
    except OSError as error:
        raise OutputError(f"cannot rewrite {path.name}: {error.strerror or error}") from None
    except _Malformed as error:
        raise OutputError(f"{path.name} is not a valid MP4 file: {error}") from None


# Boxes


@dataclass
class _Box:
    """An MP4 box: a container's children, or any other box's payload kept as bytes."""

    kind: bytes
    payload: bytes = b""
    children: list[_Box] = field(default_factory=list)
    container: bool = False

    def find(self, kind: bytes) -> _Box | None:
        return next((child for child in self.children if child.kind == kind), None)

    def path(self, *kinds: bytes) -> _Box:
        box = self
        for kind in kinds:
            found = box.find(kind)
            if found is None:
                raise _Malformed(f"no {kind.decode('latin-1')} box")
            box = found
        return box

    def serialize(self) -> bytes:
        if not self.kind:
            return self.payload
        body = b"".join(c.serialize() for c in self.children) if self.container else self.payload
        if len(body) + 8 > _U32:
            return struct.pack(">I4sQ", 1, self.kind, len(body) + 16) + body
        return struct.pack(">I4s", len(body) + 8, self.kind) + body


class _Malformed(Exception):
    """The file is not an MP4 file as this module knows it."""


def _parse_boxes(data: bytes) -> list[_Box]:
    boxes = []
    offset = 0
    while offset < len(data):
        if len(data) - offset < 8 and not any(data[offset:]):
            boxes.append(_Box(b"", data[offset:]))  # zero padding at a container's end
            break
        kind, start, end = _box_header(data, offset, len(data))
        payload = data[start:end]
        if kind in _CONTAINERS:
            boxes.append(_Box(kind, children=_parse_boxes(payload), container=True))
        else:
            boxes.append(_Box(kind, payload))
        offset = end
    return boxes


def _box_header(data: bytes, offset: int, limit: int) -> tuple[bytes, int, int]:
    """A box's type and where its payload starts and ends, within data[offset:limit]."""
    if offset + 8 > limit:
        raise _Malformed("a box header is cut short")
    size, kind = struct.unpack_from(">I4s", data, offset)
    start = offset + 8
    if size == 1:
        if offset + 16 > limit:
            raise _Malformed("a box header is cut short")
        (size,) = struct.unpack_from(">Q", data, offset + 8)
        start = offset + 16
    elif size == 0:
        size = limit - offset
    if size < start - offset or offset + size > limit:
        raise _Malformed(f"the {kind!r} box has a bad size")
    return kind, start, offset + size


@dataclass
class _FullBox:
    """A box with a version and flags before its fields."""

    kind: bytes
    version: int
    flags: bytes
    body: bytes

    @classmethod
    def parse(cls, box: _Box) -> _FullBox:
        if len(box.payload) < 4:
            raise _Malformed(f"the {box.kind!r} box is cut short")
        return cls(box.kind, box.payload[0], box.payload[1:4], box.payload[4:])

    def unpack(self, layout: str, offset: int = 0) -> tuple[Any, ...]:
        if offset + struct.calcsize(layout) > len(self.body):
            raise _Malformed(f"the {self.kind!r} box is cut short")
        return struct.unpack_from(layout, self.body, offset)

    def box(self, version: int, body: bytes) -> _Box:
        return _Box(self.kind, bytes([version]) + self.flags + body)


def _read_moov(path: Path) -> tuple[_Box, int, int]:
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
                return _Box(kind, children=_parse_boxes(payload), container=True), offset, end
            offset += end
    raise _Malformed("no moov box")


def _audio_trak(movie: _Box) -> _Box:
    for track in movie.children:
        if track.kind != b"trak":
            continue
        try:
            hdlr = _FullBox.parse(track.path(b"mdia", b"hdlr"))
            if hdlr.unpack(">4x4s")[0] == b"soun":
                return track
        except _Malformed:
            continue
    raise _Malformed("no audio track")


def _replace(parent: _Box, kind: bytes, box: _Box) -> None:
    for number, child in enumerate(parent.children):
        if child.kind == kind:
            parent.children[number] = box
            return
    raise _Malformed(f"no {kind.decode('latin-1')} box")


def _rescale(value: int, old: int, new: int) -> int:
    return (value * new + old // 2) // old


# Header boxes: (v0 layout, v1 layout) of the fields up to the duration


def _movie_header_time(mvhd: _FullBox) -> tuple[int, int]:
    """mvhd's timescale and duration."""
    return mvhd.unpack(">16xIQ" if mvhd.version == 1 else ">8xII")


def _movie_header_with(mvhd: _FullBox, timescale: int, duration: int) -> _Box:
    if mvhd.version == 1:
        created, modified = mvhd.unpack(">QQ")
        rest = mvhd.body[28:]
    else:
        created, modified = mvhd.unpack(">II")
        rest = mvhd.body[16:]
    if duration > _U32 or mvhd.version == 1:
        return mvhd.box(1, struct.pack(">QQIQ", created, modified, timescale, duration) + rest)
    return mvhd.box(0, struct.pack(">IIII", created, modified, timescale, duration) + rest)


def _track_header_duration(tkhd: _FullBox) -> int:
    if tkhd.version == 1:
        return tkhd.unpack(">24xQ")[0]
    return tkhd.unpack(">16xI")[0]


def _track_header_with(tkhd: _FullBox, duration: int) -> _Box:
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


def _media_header_time(mdhd: _FullBox) -> tuple[int, int]:
    """mdhd's timescale and duration."""
    return mdhd.unpack(">16xIQ" if mdhd.version == 1 else ">8xII")


def _stts_totals(stts_box: _Box) -> tuple[int, int]:
    """The number of samples and the sum of their durations in a time-to-sample table."""
    stts = _FullBox.parse(stts_box)
    (entries,) = stts.unpack(">I")
    pairs = stts.unpack(f">{2 * entries}I", 4)
    return sum(pairs[::2]), sum(c * d for c, d in zip(pairs[::2], pairs[1::2], strict=True))


def _read_elst(elst: _FullBox) -> list[tuple[int, int, bytes]]:
    """An edit list's (segment duration, media time, rate) entries."""
    (entries,) = elst.unpack(">I")
    layout, size = (">Qq4s", 20) if elst.version == 1 else (">Ii4s", 12)
    return [elst.unpack(layout, 4 + n * size) for n in range(entries)]


def _set_edit_list(track: _Box, edits: list[tuple[int, int, bytes]]) -> None:
    """Give the track these (segment duration, media time, rate) edits, replacing any."""
    wide = any(d > _U32 or not -(1 << 31) <= t < 1 << 31 for d, t, _ in edits)
    layout = ">Qq4s" if wide else ">Ii4s"
    entries = b"".join(struct.pack(layout, d, t, rate) for d, t, rate in edits)
    elst = _Box(
        b"elst", bytes([1 if wide else 0, 0, 0, 0]) + struct.pack(">I", len(edits)) + entries
    )
    edts = track.find(b"edts")
    if not edits:
        track.children = [child for child in track.children if child.kind != b"edts"]
        return
    if edts is None:
        edts = _Box(b"edts", container=True)
        after_tkhd = next(n for n, c in enumerate(track.children) if c.kind == b"tkhd") + 1
        track.children.insert(after_tkhd, edts)
    edts.children = [elst]


def _clipped(edits: list[tuple[int, int, bytes]], limit: int) -> list[tuple[int, int, bytes]]:
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


def _chunk_offset_tables(movie: _Box) -> list[_Box]:
    tables = []
    for track in movie.children:
        if track.kind == b"trak":
            stbl = track.path(b"mdia", b"minf", b"stbl")
            tables += [box for box in stbl.children if box.kind in (b"stco", b"co64")]
    return tables


def _shift_chunk_offsets(movie: _Box, after: int, delta: int) -> None:
    """Move every chunk that starts past `after` by `delta` bytes."""
    for table in _chunk_offset_tables(movie):
        box = _FullBox.parse(table)
        (entries,) = box.unpack(">I")
        code = "Q" if table.kind == b"co64" else "I"
        offsets = [o + delta if o > after else o for o in box.unpack(f">{entries}{code}", 4)]
        if code == "I" and offsets and max(offsets) > _U32:
            raise _Malformed("a chunk offset overflows 32 bits")
        table.payload = table.payload[:8] + struct.pack(f">{entries}{code}", *offsets)


def _write_moov(path: Path, movie: _Box, offset: int, size: int) -> None:
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


def add_mp4_chapters(path: Path, chapters: Sequence[Chapter]) -> None:
    """Put chapter marks into an MP4 file (ffmpeg remuxes it; the audio is copied untouched)."""
    if not chapters:
        return
    lines = [";FFMETADATA1"]
    for chapter in chapters:
        title = _ffmetadata_escape(chapter.title)
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={chapter.start_ms}",
                  f"END={chapter.end_ms}", f"title={title}"]  # fmt: skip
    metadata = path.with_name(path.name + ".chapters")
    remuxed = path.with_name(path.name + ".remux")
    metadata.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [
        ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y", *ffmpeg_input(path),
        "-f", "ffmetadata", *ffmpeg_input(metadata), "-map", "0", "-map_chapters", "1",
        "-c", "copy", "-movflags", "+faststart", "-f", "ipod", str(remuxed),
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise EncodeError("ffmpeg could not add chapters", command, result.stderr)
        os.replace(remuxed, path)
    finally:
        metadata.unlink(missing_ok=True)
        remuxed.unlink(missing_ok=True)


def _ffmetadata_escape(text: str) -> str:
    for special in ("\\", "=", ";", "#", "\n"):
        text = text.replace(special, "\\" + special)
    return text
