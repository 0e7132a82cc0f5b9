"""What an edition is and what it sounds like, in numbers: its stream (ffprobe, and mutagen for
an MP3's bit-rate mode) and its levels, in one streamed ffmpeg pass.

The pass decodes the file and, through ffmpeg's ebur128 filter, measures integrated loudness
(ITU-R BS.1770) and true peak; the decoded samples stream through here in blocks of BLOCK_S
for RMS, sample peak, noise floor, room tone at the head and tail, and digital silence, so
memory stays flat for a book of any length.

Definitions:
- RMS: over the whole file, all channels. Noise floor: the quietest FLOOR_WINDOW_S window that
  is not digital silence. Speech: SPEECH_WINDOW_S windows louder than SPEECH_DBFS; room tone
  at the head is what precedes the first speech, at the tail what follows the last.
- Digital silence: a run of at least SILENCE_RUN_S of samples that are exactly zero.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from audio_edition.encode.decode import Decoder
from audio_edition.encode.ffmpeg import ffmpeg_input
from audio_edition.errors import InputError, MissingDependencyError

SPEECH_DBFS = -45.0
"""A window of SPEECH_WINDOW_S louder than this holds speech (for room tone, and for the
speech proof-listening's model did not hear)."""
SPEECH_WINDOW_S = 0.01
FLOOR_WINDOW_S = 0.5
SILENCE_RUN_S = 0.05
BLOCK_S = 1.0
"""Samples are measured this many seconds at a time."""
_LOUDNESS = re.compile(r"I:\s+(-?[\d.]+|-inf) LUFS")
_TRUE_PEAK = re.compile(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS")


@dataclass(frozen=True)
class StreamInfo:
    """What the file is."""

    codec: str
    """ffprobe's codec name ("mp3", "aac", "opus", "flac", "pcm_s16le")."""
    container: str
    """ffprobe's format name ("mp3", "mov,mp4,m4a,3gp,3g2,mj2", "ogg", "wav")."""
    sample_rate: int
    """Samples per second."""
    channels: int
    """1 for mono."""
    bit_rate_kbps: float | None
    """The audio's bit rate, when the format states one."""
    constant_bit_rate: bool | None
    """Whether every frame has the same bit rate (known for MP3 only)."""
    duration_s: float
    """Length in seconds."""


@dataclass(frozen=True)
class Levels:
    """What the file sounds like, in numbers."""

    rms_db: float
    """RMS over the whole file, dBFS."""
    peak_db: float
    """Highest sample, dBFS."""
    true_peak_db: float
    """Highest inter-sample peak (4x oversampled by ffmpeg's ebur128), dBTP."""
    loudness_lufs: float
    """Integrated loudness, ITU-R BS.1770."""
    noise_floor_db: float
    """RMS of the quietest 0.5 s that is not digital silence, dBFS."""
    head_s: float
    """Room tone before the first speech."""
    tail_s: float
    """Room tone after the last speech."""
    digital_silence_s: float
    """Total length of runs of exact zeros of 50 ms or more."""
    longest_digital_silence_s: float
    """The longest such run."""


def _db(value: float) -> float:
    return 20 * math.log10(value) if value > 0 else -math.inf


def probe(path: Path) -> StreamInfo:
    """The file's first audio stream, by ffprobe (and mutagen for MP3 bit-rate mode)."""
    stream, container = _first_audio_stream(path)
    bit_rate = stream.get("bit_rate") or container.get("bit_rate")
    mp3 = stream.get("codec_name") == "mp3"
    return StreamInfo(
        codec=str(stream.get("codec_name", "unknown")),
        container=str(container.get("format_name", "unknown")),
        sample_rate=int(stream.get("sample_rate", 0)),
        channels=int(stream.get("channels", 0)),
        bit_rate_kbps=float(bit_rate) / 1000 if bit_rate else None,
        constant_bit_rate=_constant_bit_rate(path) if mp3 else None,
        duration_s=float(stream.get("duration") or container.get("duration") or 0.0),
    )


def _first_audio_stream(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """ffprobe's facts of the file's first audio stream, and of its container."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        raise MissingDependencyError("ffprobe is not installed (it comes with ffmpeg)")
    command = [ffprobe, "-v", "error", "-select_streams", "a:0", "-show_streams",
               "-show_format", "-of", "json", *ffmpeg_input(path)]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    data = json.loads(result.stdout or "{}") if result.returncode == 0 else {}
    streams = data.get("streams") or []
    if not streams:
        raise InputError(f"{path} is not an audio file ffmpeg can read")
    return streams[0], data.get("format", {})


def _constant_bit_rate(mp3_path: Path) -> bool | None:
    """Whether an MP3's frames all have one bit rate (None when mutagen finds no frame)."""
    from mutagen.mp3 import MP3, BitrateMode, HeaderNotFoundError

    try:
        mp3: Any = MP3(mp3_path)
    except HeaderNotFoundError:
        return None
    # No Xing/VBRI header (UNKNOWN) means constant: variable-rate encoders write one.
    return bool(mp3.info.bitrate_mode in (BitrateMode.CBR, BitrateMode.UNKNOWN))


class _Meter:
    """Running measurements over blocks of interleaved float samples."""

    def __init__(self, rate: int, channels: int) -> None:
        self.rate, self.channels = rate, channels
        self.squares = 0.0
        self.count = 0
        self.peak = 0.0
        self.floor = math.inf
        self.first_speech: int | None = None
        self.last_speech = 0
        self.zero_run = 0
        self.silence_samples = 0
        self.longest_silence = 0
        self.frames = 0
        self.speech_window = max(1, round(rate * SPEECH_WINDOW_S))
        self.floor_window = max(1, round(rate * FLOOR_WINDOW_S))
        self.silence_run = max(1, round(rate * SILENCE_RUN_S))
        self.carry = np.zeros(0, dtype=np.float32)

    def add(self, block: np.ndarray) -> None:
        """Take the next samples (any length; a partial frame is kept for the next block)."""
        samples = np.concatenate([self.carry, block])
        usable = len(samples) - len(samples) % self.channels
        frames = samples[:usable].reshape(-1, self.channels)
        self.carry = samples[usable:]
        if not len(frames):
            return
        self.squares += float(np.sum(frames.astype(np.float64) ** 2))
        self.count += frames.size
        self.peak = max(self.peak, float(np.max(np.abs(frames))))
        mono = np.max(np.abs(frames), axis=1)
        self._speech(mono)
        self._silence(mono)
        self._noise_floor(frames)
        self.frames += len(frames)

    def _speech(self, mono: np.ndarray) -> None:
        windows = len(mono) // self.speech_window
        if not windows:
            return
        shaped = mono[: windows * self.speech_window].reshape(windows, self.speech_window)
        loud = np.flatnonzero(np.sqrt(np.mean(shaped**2, axis=1)) > 10 ** (SPEECH_DBFS / 20))
        if loud.size:
            if self.first_speech is None:
                self.first_speech = self.frames + int(loud[0]) * self.speech_window
            self.last_speech = self.frames + (int(loud[-1]) + 1) * self.speech_window

    def _silence(self, mono: np.ndarray) -> None:
        """Count runs of exact zeros, a run carried over from block to block."""
        sound = np.flatnonzero(mono != 0)
        if not sound.size:
            self.zero_run += len(mono)
            return
        self.zero_run += int(sound[0])
        self._end_zero_run()
        gaps = np.diff(sound) - 1
        long_gaps = gaps[gaps >= self.silence_run]
        if long_gaps.size:
            self.silence_samples += int(long_gaps.sum())
            self.longest_silence = max(self.longest_silence, int(long_gaps.max()))
        self.zero_run = len(mono) - 1 - int(sound[-1])

    def _count_zero_run(self, length: int) -> None:
        if length >= self.silence_run:
            self.silence_samples += length
            self.longest_silence = max(self.longest_silence, length)

    def _end_zero_run(self) -> None:
        self._count_zero_run(self.zero_run)
        self.zero_run = 0

    def _noise_floor(self, frames: np.ndarray) -> None:
        windows = len(frames) // self.floor_window
        if not windows:
            return
        shaped = frames[: windows * self.floor_window].reshape(windows, -1)
        rms = np.sqrt(np.mean(shaped.astype(np.float64) ** 2, axis=1))
        sounding = rms[np.any(shaped != 0, axis=1)]
        if sounding.size:
            self.floor = min(self.floor, float(sounding.min()))

    def levels(self, loudness: float, true_peak: float) -> Levels:
        self._end_zero_run()
        first = self.first_speech if self.first_speech is not None else self.frames
        last = self.last_speech if self.first_speech is not None else self.frames
        return Levels(
            rms_db=_db(math.sqrt(self.squares / self.count)) if self.count else -math.inf,
            peak_db=_db(self.peak),
            true_peak_db=true_peak,
            loudness_lufs=loudness,
            noise_floor_db=_db(self.floor) if self.floor != math.inf else -math.inf,
            head_s=first / self.rate,
            tail_s=(self.frames - last) / self.rate,
            digital_silence_s=self.silence_samples / self.rate,
            longest_digital_silence_s=self.longest_silence / self.rate,
        )


def _figure(pattern: re.Pattern[str], log: str) -> float:
    found = pattern.search(log)
    return -math.inf if found is None or found.group(1) == "-inf" else float(found.group(1))


def measure(path: Path, info: StreamInfo) -> Levels:
    """Levels of the whole file, in one streamed ffmpeg pass."""
    decoder = Decoder(path, audio_filter="ebur128=peak=true:framelog=verbose")
    meter = _Meter(info.sample_rate, info.channels)
    for block in decoder.blocks(info.channels * max(1, round(info.sample_rate * BLOCK_S))):
        meter.add(block)
    return meter.levels(_figure(_LOUDNESS, decoder.log), _figure(_TRUE_PEAK, decoder.log))
