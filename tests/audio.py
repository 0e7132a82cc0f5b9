"""Helpers for tests: decode files with the real ffmpeg and measure them with numpy."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np

from audio_edition.encode.decode import decode as decoded

RATE = 44_100


def decode(path: Path, rate: int = RATE) -> np.ndarray:
    """Samples of an audio file as floats in [-1, 1], mono 16-bit, decoded by ffmpeg (gapless)."""
    return decoded(path, rate, sample_type="int16").astype(np.float64) / 32768


def probe(path: Path) -> dict:
    """ffprobe's view of the file's first audio stream and format."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format",
         str(path)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(out)


def ffprobe_chapters(path: Path) -> list[dict]:
    """The chapters ffprobe lists, in the order it lists them."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_chapters", str(path)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(out)["chapters"]


def db(value: float) -> float:
    """Amplitude ratio in dB."""
    return 20 * float(np.log10(max(value, 1e-12)))


def rms_db(samples: np.ndarray) -> float:
    """RMS level in dBFS."""
    return db(float(np.sqrt(np.mean(samples**2))))


def peak_db(samples: np.ndarray) -> float:
    """Sample peak in dBFS."""
    return db(float(np.abs(samples).max()))


def noise_floor_db(samples: np.ndarray, rate: int = RATE, window_s: float = 0.5) -> float:
    """RMS of the quietest half-second: what ACX calls the noise floor."""
    size = int(rate * window_s)
    windows = samples[: len(samples) // size * size].reshape(-1, size)
    return db(float(np.sqrt((windows**2).mean(axis=1)).min()))


def loud_span(samples: np.ndarray, threshold_db: float = -45.0) -> tuple[int, int]:
    """First and one-past-last sample louder than `threshold_db`."""
    loud = np.flatnonzero(np.abs(samples) > 10 ** (threshold_db / 20))
    return int(loud[0]), int(loud[-1]) + 1


def longest_zero_run(samples: np.ndarray) -> int:
    """Length of the longest run of exact digital zero."""
    zero = np.concatenate([[0], (samples == 0).astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(zero))
    return int((edges[1::2] - edges[::2]).max(initial=0))


def dominant_frequency(samples: np.ndarray, rate: int = RATE) -> float:
    """The strongest frequency in `samples`, in Hz."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


ONSET_DBFS = -45.0


def onset_ms(samples: np.ndarray, around_ms: int, window_ms: int = 60) -> float:
    """Where sound first rises above ONSET_DBFS near `around_ms`, in the decoded audio."""
    start = max(0, (around_ms - window_ms) * RATE // 1000)
    stretch = np.abs(samples[start : (around_ms + window_ms) * RATE // 1000])
    loud = np.flatnonzero(stretch > 10 ** (ONSET_DBFS / 20))
    assert loud.size, f"no sound near {around_ms} ms"
    return (start + int(loud[0])) * 1000 / RATE


def assert_starts_match_the_audio(manifest: dict, samples: np.ndarray) -> None:
    for paragraph in manifest["paragraphs"]:
        for timed in [paragraph, *paragraph["sentences"]]:
            heard = onset_ms(samples, timed["start_ms"])
            assert abs(heard - timed["start_ms"]) <= 10, (timed["text"][:40], heard)
