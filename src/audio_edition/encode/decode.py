"""Decode an audio file into samples with ffmpeg, for check, proof-listening and the tests.

Samples come out interleaved, as float32 in [-1, 1] or as int16, at the file's own rate and
channel count or at the ones asked for. A file streams through in blocks, so memory stays
flat for a book of any length; ffmpeg's log is kept for filters that report through it
(ebur128). A failed decode raises EncodeError with the command and what ffmpeg printed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from subprocess import PIPE, Popen
from typing import Literal

import numpy as np

from audio_edition.encode.ffmpeg import ffmpeg_input, ffmpeg_path
from audio_edition.errors import EncodeError

SampleType = Literal["float32", "int16"]
_FORMATS: dict[str, tuple[str, str]] = {"float32": ("f32le", "<f4"), "int16": ("s16le", "<i2")}


class Decoder:
    """One decode of the first audio stream of `path` by ffmpeg, through an optional filter."""

    def __init__(
        self,
        path: Path,
        rate: int | None = None,
        channels: int | None = None,
        sample_type: SampleType = "float32",
        audio_filter: str | None = None,
    ) -> None:
        codec, self.dtype = _FORMATS[sample_type]
        self.path = path
        self.command = [ffmpeg_path(), "-hide_banner", "-nostats", "-v", "info",
                        *ffmpeg_input(path), "-map", "0:a:0",
                        *(["-af", audio_filter] if audio_filter else []),
                        *(["-ar", str(rate)] if rate else []),
                        *(["-ac", str(channels)] if channels else []),
                        "-f", codec, "-"]  # fmt: skip
        self.log = ""
        """What ffmpeg printed, once every block is read."""

    def blocks(self, size: int) -> Iterator[np.ndarray]:
        """The interleaved samples, `size` at a time (the last block may be shorter)."""
        with (
            tempfile.TemporaryFile() as stderr,
            Popen(self.command, stdout=PIPE, stderr=stderr) as process,
        ):
            assert process.stdout is not None
            try:
                while block := process.stdout.read(size * np.dtype(self.dtype).itemsize):
                    yield np.frombuffer(block, dtype=self.dtype)
            except GeneratorExit:
                process.kill()  # the caller stopped reading
                raise
            finally:
                process.wait()
                stderr.seek(0)
                self.log = stderr.read().decode("utf-8", "replace")
        if process.returncode != 0:
            raise EncodeError(f"ffmpeg could not decode {self.path}", self.command, self.log)


def decode(
    path: Path,
    rate: int | None = None,
    channels: int | None = 1,
    sample_type: SampleType = "float32",
) -> np.ndarray:
    """Every sample of `path` in one array (mono unless told otherwise)."""
    decoder = Decoder(path, rate, channels, sample_type)
    blocks = list(decoder.blocks(1 << 20))
    return np.concatenate(blocks) if blocks else np.zeros(0, dtype=decoder.dtype)
