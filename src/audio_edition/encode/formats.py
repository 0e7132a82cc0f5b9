"""The output formats: what ffmpeg is asked for each, chosen by extension."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audio_edition.errors import UsageError

PEAK_LIMIT_DBFS = -4.0


"""Peaks are limited here, leaving room for the encoder's overshoot (ACX: at most -3 dBFS)."""


@dataclass(frozen=True)
class OutputFormat:
    """An audio format the output can be written in."""

    name: str
    """Short name, e.g. "mp3"."""
    codec_args: tuple[str, ...]
    """ffmpeg options choosing and tuning the codec."""
    muxer: str
    """ffmpeg container format."""
    frame_samples: int = 1
    """The output is made a whole number of these samples long (see assemble.Layout)."""
    peak_limit_dbfs: float = PEAK_LIMIT_DBFS
    """Where speech peaks are held (see levels.limit_peaks), below ACX's -3 dBFS by what
    the codec overshoots."""


MP3 = OutputFormat("mp3", ("-c:a", "libmp3lame", "-b:a", "192k"), "mp3")
DEFAULT_EXTENSION = ".mp3"
"""The format an edition is written in when its output names none (MP3 plays everywhere)."""


AAC = OutputFormat(
    "aac",
    ("-c:a", "aac", "-b:a", "128k"),
    "ipod",
    frame_samples=1024,
    peak_limit_dbfs=-5.0,
)  # AAC overshoots by up to a dB (Piper's review peaked at -2.95 dBFS with -4)


OPUS = OutputFormat("opus", ("-c:a", "libopus", "-b:a", "64k"), "ogg")


FLAC = OutputFormat("flac", ("-c:a", "flac"), "flac")


WAV = OutputFormat("wav", ("-c:a", "pcm_s16le"), "wav")


FORMATS_BY_EXTENSION = {
    ".mp3": MP3,
    ".m4a": AAC,
    ".m4b": AAC,
    ".ogg": OPUS,
    ".opus": OPUS,
    ".flac": FLAC,
    ".wav": WAV,
}


STREAM_FORMATS = (MP3, OPUS, FLAC, WAV)
"""The formats that can be written to a pipe as they are made (MP4 cannot: its index comes
first, written once the file is finished)."""


READ_ALONG_EXTENSIONS = {".epub": "epub", ".html": "html"}


"""Outputs read along with their audio, an MP3: an EPUB 3 with Media Overlays, a web page."""


def format_for(path: Path) -> OutputFormat:
    """The audio format a file name asks for (MP3 for a book or page read along)."""
    if path.suffix.lower() in READ_ALONG_EXTENSIONS:
        return MP3
    try:
        return FORMATS_BY_EXTENSION[path.suffix.lower()]
    except KeyError:
        known = ", ".join([*FORMATS_BY_EXTENSION, *READ_ALONG_EXTENSIONS])
        raise UsageError(
            f"cannot write {path.name!r}: the extension must be one of {known}"
        ) from None
