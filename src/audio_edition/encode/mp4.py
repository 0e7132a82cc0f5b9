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
tests/encode/test_mp4.py for what fewer cost.
"""

from __future__ import annotations

import contextlib
import os
import struct
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from mutagen import MutagenError
from mutagen.mp4 import MP4, MP4FreeForm

from audio_edition.encode.ffmpeg import ffmpeg_input, ffmpeg_path
from audio_edition.encode.mp4_boxes import (
    Box,
    FullBox,
    Malformed,
    audio_trak,
    clipped_edits,
    media_header_time,
    movie_header_time,
    movie_header_with,
    read_elst,
    read_moov,
    replace_child,
    rescale,
    set_edit_list,
    stts_totals,
    track_header_duration,
    track_header_with,
    write_moov,
)
from audio_edition.errors import EncodeError, OutputError
from audio_edition.shape.timing import Chapter, path_titles

FRAME_SAMPLES = 1024
"""Samples in one AAC-LC packet."""
ENCODER_PRIMING = 1024
"""Priming samples of ffmpeg's native ``aac`` encoder (its initial_padding)."""
SMPB_KEY = "----:com.apple.iTunes:iTunSMPB"
"""The freeform tag in which iTunes keeps the priming, padding and sample count."""

_RATE_ONE = struct.pack(">hh", 1, 0)
"""An edit's media rate of 1.0 (16.16 fixed point)."""
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
        return _audio_track(read_moov(path)[0])


def _audio_track(movie: Box) -> AudioTrack:
    track = audio_trak(movie)
    timescale, _ = media_header_time(FullBox.parse(track.path(b"mdia", b"mdhd")))
    count, duration = stts_totals(track.path(b"mdia", b"minf", b"stbl", b"stts"))
    edts = track.find(b"edts")
    edits: tuple[tuple[int, int], ...] = ()
    if edts is not None and (elst := edts.find(b"elst")) is not None:
        edits = tuple((d, t) for d, t, _ in read_elst(FullBox.parse(elst)))
    movie_timescale, _ = movie_header_time(FullBox.parse(movie.path(b"mvhd")))
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
        movie, moov_offset, moov_size = read_moov(path)
        media = _audio_track(movie)
        if priming + samples > media.duration:
            raise ValueError(
                f"{path.name}: {priming} + {samples} samples are more than the "
                f"{media.duration} its audio track holds"
            )
        audio = audio_trak(movie)
        mvhd = FullBox.parse(movie.path(b"mvhd"))
        old_scale, _ = movie_header_time(mvhd)
        new_scale = media.timescale
        durations = []
        for track in movie.children:
            if track.kind != b"trak":
                continue
            tkhd = FullBox.parse(track.path(b"tkhd"))
            if track is audio:
                duration = samples
                set_edit_list(track, [(samples, priming, _RATE_ONE)])
            else:  # the chapter text track, say: rescaled, and ending with the audio
                duration = min(rescale(track_header_duration(tkhd), old_scale, new_scale), samples)
                edts = track.find(b"edts")
                if edts is not None and (elst := edts.find(b"elst")) is not None:
                    edits = [
                        (rescale(d, old_scale, new_scale), t, rate)
                        for d, t, rate in read_elst(FullBox.parse(elst))
                    ]
                    set_edit_list(track, clipped_edits(edits, samples))
            replace_child(track, b"tkhd", track_header_with(tkhd, duration))
            durations.append(duration)
        replace_child(movie, b"mvhd", movie_header_with(mvhd, new_scale, max(durations)))
        write_moov(path, movie, moov_offset, moov_size)
    return media


@contextlib.contextmanager
def _errors(path: Path) -> Iterator[None]:
    """Report a file that cannot be read or written, or is not MP4 as expected, as OutputError."""
    try:
        yield
    except OSError as error:
        raise OutputError(f"cannot rewrite {path.name}: {error.strerror or error}") from None
    except Malformed as error:
        raise OutputError(f"{path.name} is not a valid MP4 file: {error}") from None


def add_mp4_chapters(path: Path, chapters: Sequence[Chapter]) -> None:
    """Put chapter marks into an MP4 file (ffmpeg remuxes it; the audio is copied untouched):
    a flat list, a nested chapter titled by its path ("Part One: Chapter 2")."""
    if not chapters:
        return
    lines = [";FFMETADATA1"]
    titles = path_titles((c.title, c.parent) for c in chapters)
    for chapter, path_title in zip(chapters, titles, strict=True):
        title = _ffmetadata_escape(path_title)
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
