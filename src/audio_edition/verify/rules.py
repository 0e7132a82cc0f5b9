"""The profiles an edition is judged against, and their rules: acx (Audible's audiobook
requirements) and podcast (loudness and true peak)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from audio_edition.errors import UsageError
from audio_edition.verify.measure import Levels, StreamInfo


class Profile(str, enum.Enum):
    """What an edition is judged against."""

    ACX = "acx"
    """ACX (Audible): levels, room tone, no digital silence, MP3 CBR 192 kbps, 44.1 kHz."""
    PODCAST = "podcast"
    """Podcasts: -16 LUFS stereo or -19 mono, true peak at most -1 dBTP."""

    def __str__(self) -> str:
        return self.value


PROFILES = tuple(profile.value for profile in Profile)
"""The profiles' names."""


def profile_named(name: str) -> Profile:
    """The profile called `name`; a UsageError naming the others when there is none."""
    if name not in PROFILES:
        raise UsageError(f"unknown profile {name!r}; use {', '.join(PROFILES)}")
    return Profile(name)


@dataclass(frozen=True)
class Rule:
    """One requirement of a profile, and how the file fared."""

    name: str
    """What is checked."""
    requirement: str
    """What the profile asks."""
    measured: str
    """What the file has."""
    passed: bool
    """Whether it meets the requirement."""


def _range(value: float, low: float, high: float) -> bool:
    return low <= value <= high


_BIT_RATE_MODES = {True: "constant", False: "variable", None: "unknown"}


def _acx(info: StreamInfo, levels: Levels) -> list[Rule]:
    rate = info.bit_rate_kbps or 0.0
    minutes = info.duration_s / 60
    return [
        Rule("RMS level", "-23 to -18 dB", f"{levels.rms_db:.1f} dB",
             _range(levels.rms_db, -23, -18)),
        Rule("peak", "at most -3 dB", f"{levels.peak_db:.1f} dB", levels.peak_db <= -3),
        Rule("noise floor", "at most -60 dB", f"{levels.noise_floor_db:.1f} dB",
             levels.noise_floor_db <= -60),
        Rule("room tone at the head", "0.5 to 1 s", f"{levels.head_s:.2f} s",
             _range(levels.head_s, 0.5, 1.0)),
        Rule("room tone at the tail", "1 to 5 s", f"{levels.tail_s:.2f} s",
             _range(levels.tail_s, 1.0, 5.0)),
        Rule("pauses", "room tone, no digital silence",
             f"{levels.digital_silence_s:.2f} s of digital silence",
             levels.digital_silence_s == 0),
        Rule("format", "MP3", info.codec if info.container == info.codec else
             f"{info.codec} in {info.container}", info.codec == info.container == "mp3"),
        Rule("bit rate", "at least 192 kbps, constant",
             f"{rate:.0f} kbps, {_BIT_RATE_MODES[info.constant_bit_rate]}",
             rate >= 191.5 and info.constant_bit_rate is True),
        Rule("sample rate", "44100 Hz", f"{info.sample_rate} Hz", info.sample_rate == 44100),
        Rule("length", "at most 120 min", f"{minutes:.1f} min", minutes <= 120),
    ]  # fmt: skip


def _podcast(info: StreamInfo, levels: Levels) -> list[Rule]:
    target = -19.0 if info.channels == 1 else -16.0
    kind = "mono" if info.channels == 1 else "stereo"
    return [
        Rule("loudness", f"{target:.0f} LUFS +-1 ({kind})", f"{levels.loudness_lufs:.1f} LUFS",
             _range(levels.loudness_lufs, target - 1, target + 1)),
        Rule("true peak", "at most -1 dBTP", f"{levels.true_peak_db:.1f} dBTP",
             levels.true_peak_db <= -1),
    ]  # fmt: skip


_RULES: dict[Profile, Callable[[StreamInfo, Levels], list[Rule]]] = {
    Profile.ACX: _acx,
    Profile.PODCAST: _podcast,
}


def rules(profile: Profile, info: StreamInfo, levels: Levels) -> list[Rule]:
    """The profile's rules, judged."""
    return _RULES[profile](info, levels)


def failed(judged: Sequence[Rule]) -> list[Rule]:
    """The rules not met."""
    return [rule for rule in judged if not rule.passed]
