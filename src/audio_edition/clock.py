"""Clocks: sample counts as milliseconds, times as text, and the build time."""

from __future__ import annotations

import datetime
import os


def samples_to_ms(samples: int, sample_rate: int) -> int:
    """Samples as whole milliseconds, rounded to the nearest."""
    return (samples * 1000 + sample_rate // 2) // sample_rate


def short_clock(seconds: float) -> str:
    """A length or a moment as M:SS, or H:MM:SS from an hour, to the nearest second."""
    hours, rest = divmod(round(seconds), 3600)
    minutes, seconds_left = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds_left:02d}" if hours else f"{minutes}:{seconds_left:02d}"


def build_time() -> datetime.datetime:
    """Now, to the second, or SOURCE_DATE_EPOCH when it is set (a reproducible build), in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def clock(ms: int, separator: str = ".") -> str:
    """Milliseconds as HH:MM:SS.mmm (with another separator before the milliseconds)."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"
