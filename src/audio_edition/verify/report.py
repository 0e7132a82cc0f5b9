"""What `check` found about one file, and its two forms: a terminal table and JSON-ready data."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audio_edition.shape.timing import chapter_title
from audio_edition.verify.measure import Levels, StreamInfo
from audio_edition.verify.proof import FLAGGED, ParagraphProof, ParagraphStatus
from audio_edition.verify.rules import Profile, Rule, failed


@dataclass(frozen=True)
class Report:
    """Everything `check` found about one file."""

    path: Path
    """The file checked."""
    profile: Profile
    """The profile judged against."""
    info: StreamInfo
    """What the file is."""
    levels: Levels
    """What it sounds like."""
    rules: tuple[Rule, ...]
    """The profile's rules, judged."""
    paragraphs: tuple[ParagraphProof, ...] | None = None
    """Each source paragraph as heard, when a text or manifest was given."""

    @property
    def flagged(self) -> list[ParagraphProof]:
        """Paragraphs that did not come out as written (a status in proof.FLAGGED)."""
        return [p for p in self.paragraphs or () if p.status in FLAGGED]

    @property
    def unclear(self) -> list[ParagraphProof]:
        """Paragraphs whose speech was heard but not confirmed: shown, not failed."""
        return [p for p in self.paragraphs or () if p.status == ParagraphStatus.UNCLEAR]

    @property
    def passed(self) -> bool:
        """Every rule met and no paragraph flagged."""
        return not failed(self.rules) and not self.flagged


def _finite(value: float) -> float | None:
    return round(value, 2) if math.isfinite(value) else None


def report_data(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data (infinite levels, as of digital silence, are null)."""
    levels = {key: _finite(value) for key, value in dataclasses.asdict(report.levels).items()}
    data: dict[str, Any] = {
        "file": str(report.path),
        "profile": str(report.profile),
        "passed": report.passed,
        "stream": dataclasses.asdict(report.info),
        "levels": levels,
        "rules": [dataclasses.asdict(rule) for rule in report.rules],
    }
    if report.paragraphs is not None:
        data["paragraphs"] = [
            {"index": p.index, "status": str(p.status), "wer": p.wer} for p in report.paragraphs
        ]
    return data


def report_text(report: Report) -> str:
    """The report as a terminal table."""
    lines = [*_stream_lines(report.path, report.info, report.levels), ""]
    lines += _rule_lines(report.profile, report.rules)
    if report.paragraphs is not None:
        lines += ["", *_paragraph_lines(report)]
    return "\n".join([*lines, "", _verdict(report)])


_BIT_RATE_MODES = {True: " constant", False: " variable", None: ""}


def _stream_lines(path: Path, info: StreamInfo, levels: Levels) -> list[str]:
    """What the file is and its levels, a line each."""
    minutes, seconds = divmod(round(info.duration_s), 60)
    rate = f"{info.bit_rate_kbps:.0f} kbps" if info.bit_rate_kbps else "bit rate unknown"
    channels = {1: "mono", 2: "stereo"}.get(info.channels, f"{info.channels} channels")
    return [
        f"{path}: {info.codec}, {info.sample_rate} Hz, {channels}, {rate}"
        f"{_BIT_RATE_MODES[info.constant_bit_rate]}, {minutes}:{seconds:02d}",
        f"levels: RMS {levels.rms_db:.1f} dB, peak {levels.peak_db:.1f} dB, true peak "
        f"{levels.true_peak_db:.1f} dBTP, loudness {levels.loudness_lufs:.1f} LUFS, noise floor "
        f"{levels.noise_floor_db:.1f} dB, room tone {levels.head_s:.2f} s head / "
        f"{levels.tail_s:.2f} s tail, digital silence {levels.digital_silence_s:.2f} s",
    ]


def _rule_lines(profile: Profile, rules: tuple[Rule, ...]) -> list[str]:
    """The profile's verdict, then a line per rule."""
    bad = failed(rules)
    lines = [f"profile {profile}: {'FAIL' if bad else 'pass'} "
             f"({len(rules) - len(bad)} of {len(rules)} rules met)"]  # fmt: skip
    name_width = max(len(rule.name) for rule in rules)
    measured_width = max(len(rule.measured) for rule in rules)
    for rule in rules:
        lines.append(f"  {'ok  ' if rule.passed else 'FAIL'}  {rule.name:<{name_width}}  "
                     f"{rule.measured:<{measured_width}}  (needs {rule.requirement})")  # fmt: skip
    return lines


def _paragraph_lines(report: Report) -> list[str]:
    """The proof-listening summary, then a line per paragraph, flagged or unclear marked."""
    paragraphs = report.paragraphs or ()
    mean = sum(p.wer for p in paragraphs) / max(len(paragraphs), 1)
    lines = [f"proof-listening: {len(paragraphs)} paragraphs, {len(report.flagged)} flagged, "
             f"{len(report.unclear)} unclear, mean word error rate {mean:.2f}"]  # fmt: skip
    for p in paragraphs:
        mark = (
            "FAIL"
            if p.status in FLAGGED
            else "?   "
            if p.status == ParagraphStatus.UNCLEAR
            else "    "
        )
        lines.append(f"  {mark}  {p.index + 1:>4}  {p.status:<12}  WER {p.wer:.2f}  "
                     f"{chapter_title(p.text)}")  # fmt: skip
    return lines


def _verdict(report: Report) -> str:
    if not report.passed:
        return "FAIL"
    if report.unclear:
        return (f"PASS: within the profile; {len(report.unclear)} paragraph(s) heard but not "
                "confirmed (unclear), worth a listen")  # fmt: skip
    return "PASS: complete and within the profile"
