"""`audio-edition check`: measure an edition and judge it against a profile (acx or podcast).

One ffmpeg pass decodes the file and, through its ebur128 filter, measures integrated loudness
(ITU-R BS.1770) and true peak; the decoded samples stream through here in one-second blocks
for RMS, sample peak, noise floor, room tone at the head and tail, and digital silence, so
memory stays flat for a book of any length. Stream facts come from ffprobe and, for MP3,
from mutagen (constant bit rate). With a text or a manifest, proof-listening
(audio_edition.verify.proof) reports every paragraph as heard: one flagged (missing, truncated,
repeated, out-of-order) fails the check; one unclear (speech heard in its place, too few of
its words to confirm it) is shown and does not.

Definitions:
- RMS: over the whole file, all channels. Noise floor: the quietest 0.5 s window that is not
  digital silence. Speech: 10 ms windows louder than -45 dBFS; room tone at the head is what
  precedes the first speech, at the tail what follows the last.
- Digital silence: a run of at least 50 ms of samples that are exactly zero.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import html
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote

import numpy as np

from audio_edition.editions.page import AUDIO_DATA_URL
from audio_edition.encode.decode import Decoder
from audio_edition.encode.ffmpeg import ffmpeg_input
from audio_edition.errors import InputError, MissingDependencyError, UsageError
from audio_edition.readers import read
from audio_edition.safezip import copy_member, open_zip
from audio_edition.shape.timing import chapter_title
from audio_edition.text.normalize import Normalizer
from audio_edition.text.normalize.languages import DEFAULT_LANGUAGE
from audio_edition.text.segment import segment
from audio_edition.verify.proof import (
    FLAGGED,
    SPEECH_DBFS,
    SPEECH_WINDOW_S,
    ParagraphProof,
    Spans,
    listen,
    require,
)

PROFILES = ("acx", "podcast")
_FLOOR_WINDOW_S = 0.5
_SILENCE_RUN_S = 0.05
_BLOCK_S = 1.0
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


def _db(value: float) -> float:
    return 20 * math.log10(value) if value > 0 else -math.inf


def probe(path: Path) -> StreamInfo:
    """The file's first audio stream, by ffprobe (and mutagen for MP3 bit-rate mode)."""
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
    stream, container = streams[0], data.get("format", {})
    bit_rate = stream.get("bit_rate") or container.get("bit_rate")
    constant = None
    if stream.get("codec_name") == "mp3":
        from mutagen.mp3 import MP3, BitrateMode, HeaderNotFoundError

        try:
            mp3: Any = MP3(path)
            # No Xing/VBRI header (UNKNOWN) means constant: variable-rate encoders write one.
            constant = mp3.info.bitrate_mode in (BitrateMode.CBR, BitrateMode.UNKNOWN)
        except HeaderNotFoundError:
            constant = None
    return StreamInfo(
        codec=str(stream.get("codec_name", "unknown")),
        container=str(container.get("format_name", "unknown")),
        sample_rate=int(stream.get("sample_rate", 0)),
        channels=int(stream.get("channels", 0)),
        bit_rate_kbps=float(bit_rate) / 1000 if bit_rate else None,
        constant_bit_rate=constant,
        duration_s=float(stream.get("duration") or container.get("duration") or 0.0),
    )


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
        self.floor_window = max(1, round(rate * _FLOOR_WINDOW_S))
        self.silence_run = max(1, round(rate * _SILENCE_RUN_S))
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
    for block in decoder.blocks(info.channels * max(1, round(info.sample_rate * _BLOCK_S))):
        meter.add(block)
    return meter.levels(_figure(_LOUDNESS, decoder.log), _figure(_TRUE_PEAK, decoder.log))


def _range(value: float, low: float, high: float) -> bool:
    return low <= value <= high


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
             f"{rate:.0f} kbps, " + {True: "constant", False: "variable", None: "unknown"}[
                 info.constant_bit_rate],
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


_RULES: dict[str, Callable[[StreamInfo, Levels], list[Rule]]] = {"acx": _acx, "podcast": _podcast}


def rules(profile: str, info: StreamInfo, levels: Levels) -> list[Rule]:
    """The profile's rules, judged."""
    if profile not in _RULES:
        raise UsageError(f"unknown profile {profile!r}; use {', '.join(PROFILES)}")
    return _RULES[profile](info, levels)


def failed(judged: Sequence[Rule]) -> list[Rule]:
    """The rules not met."""
    return [rule for rule in judged if not rule.passed]


@dataclass(frozen=True)
class Report:
    """Everything `check` found about one file."""

    path: Path
    """The file checked."""
    profile: str
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
        return [p for p in self.paragraphs or () if p.status == "unclear"]

    @property
    def passed(self) -> bool:
        """Every rule met and no paragraph flagged."""
        return not failed(self.rules) and not self.flagged


@dataclass(frozen=True)
class Source:
    """What the audio should hold."""

    paragraphs: list[str]
    """The paragraphs as written."""
    language: str | None
    """The language they declare, if any."""
    narrated: Spans | None = None
    """Where a manifest says each paragraph's speech lies."""


def source_paragraphs(
    text: str | os.PathLike[str] | None,
    manifest: str | os.PathLike[str] | None,
    encoding: str | None = None,
) -> Source:
    """The paragraphs the audio should hold, from a document (read in `encoding`) or a
    manifest (with times)."""
    if manifest is not None:
        path = Path(manifest)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            paragraphs, language = data["paragraphs"], data.get("language")
            if not isinstance(language, str | None):
                raise ValueError(f"its language is {language!r}, not a language code")
            times = tuple((int(p["start_ms"]), int(p["end_ms"])) for p in paragraphs)
            return Source([str(p["text"]) for p in paragraphs], language,
                          Spans(times, int(data["duration_ms"])))  # fmt: skip
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except (OSError, ValueError, KeyError, TypeError, OverflowError) as error:
            raise InputError(f"{path} is not an audio-edition manifest ({error})") from None
    assert text is not None
    manuscript = read(text, encoding=encoding)
    document = segment(manuscript, 60, Normalizer(manuscript.language or DEFAULT_LANGUAGE))
    return Source([paragraph.text for paragraph in document.paragraphs], manuscript.language)


_PAGE_AUDIO = re.compile(r'<audio id="audio"[^>]*\ssrc="([^"]*)"')
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
MAX_EDITION_AUDIO_BYTES = 4 * 1024 * 1024 * 1024
"""The most an EPUB's MP3 may inflate to (about 48 hours at 192 kbps): it is copied out to a
temporary file in steps, never held in memory; safezip's other limits hold as for any zip."""


@contextlib.contextmanager
def audio_file(path: Path) -> Iterator[Path]:
    """The audio an edition holds: the file itself; for an EPUB, its MP3 (copied out to a
    temporary file); for a read-along page, the MP3 beside it or embedded in it."""
    suffix = path.suffix.lower()
    if suffix not in (".epub", ".html"):
        yield path
        return
    source = _page_audio(path) if suffix == ".html" else None
    if isinstance(source, Path):
        yield source
        return
    with tempfile.TemporaryDirectory() as folder:
        audio = Path(folder) / f"{path.stem}.mp3"
        with audio.open("wb") as out:
            if source is None:
                _copy_book_audio(path, out)
            else:
                out.write(source)
        yield audio


def _page_audio(page: Path) -> Path | bytes:
    """What a read-along page plays: a file beside it (its src a file name, as narrate writes
    it) or the MP3 embedded as a data: URL. Any other src (a URL of any other scheme, a path)
    is refused: check reads no file but one beside the page, and asks no server for
    anything."""
    found = _PAGE_AUDIO.search(page.read_text(encoding="utf-8", errors="replace"))
    if found is None:
        raise InputError(f"{page} is not a read-along page: it has no audio")
    src = html.unescape(found.group(1))
    if src.startswith(AUDIO_DATA_URL):
        try:
            return base64.b64decode("".join(src[len(AUDIO_DATA_URL) :].split()), validate=True)
        except binascii.Error:
            raise InputError(f"{page}: its embedded audio is not valid base64") from None
    name = unquote(src)
    if _URL_SCHEME.match(src) or name in ("", ".", "..") or any(c in name for c in "/\\\0"):
        raise InputError(f"{page}: its audio {src[:80]!r} is not a file beside the page (check "
                         f"reads only a file name beside it, or an MP3 embedded as "
                         f"{AUDIO_DATA_URL}...)")  # fmt: skip
    if not (page.parent / name).is_file():
        raise InputError(f"{page}: its audio {name} is not beside it")
    return page.parent / name


def _copy_book_audio(book: Path, out: IO[bytes]) -> None:
    """Write an EPUB's (first) MP3 to `out`, the archive checked as any zip is (safezip)."""
    with open_zip(book, str(book), MAX_EDITION_AUDIO_BYTES) as archive:
        names = [n for n in archive.namelist() if n.lower().endswith(".mp3")]
        if not names:
            raise InputError(f"{book} has no MP3 audio to check")
        copy_member(archive, names[0], out)


def check(
    path: str | os.PathLike[str],
    profile: str = "acx",
    text: str | os.PathLike[str] | None = None,
    manifest: str | os.PathLike[str] | None = None,
    language: str | None = None,
    asr_model: str | os.PathLike[str] | None = None,
    encoding: str | None = None,
) -> Report:
    """Measure `path`, judge it against `profile`, and proof-listen to it against `text` (any
    document narrate reads) or `manifest` (whose times also help tell a paragraph the model
    misheard from one that is missing) when one is given, with the Whisper model folder
    `asr_model` (default: the shipped tiny English one); `text` is read in `encoding`."""
    audio = Path(path)
    if profile not in PROFILES:
        raise UsageError(f"unknown profile {profile!r}; use {', '.join(PROFILES)}")
    if text is not None and manifest is not None:
        raise UsageError("give --text or --manifest, not both")
    if not audio.is_file():
        raise InputError(f"{audio}: no such file")
    source = None
    if text is not None or manifest is not None:
        source = source_paragraphs(text, manifest, encoding)
        language = language or source.language
        asr_model = require(language or DEFAULT_LANGUAGE, asr_model)
    with audio_file(audio) as sound:
        info = probe(sound)
        levels = measure(sound, info)
        judged = tuple(rules(profile, info, levels))
        proofs = None
        if source is not None:
            proofs = tuple(listen(sound, source.paragraphs, language or DEFAULT_LANGUAGE,
                                  asr_model, source.narrated))  # fmt: skip
    return Report(audio, profile, info, levels, judged, proofs)


def _finite(value: float) -> float | None:
    return round(value, 2) if math.isfinite(value) else None


def report_data(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data (infinite levels, as of digital silence, are null)."""
    levels = {key: _finite(value) for key, value in dataclasses.asdict(report.levels).items()}
    data: dict[str, Any] = {
        "file": str(report.path),
        "profile": report.profile,
        "passed": report.passed,
        "stream": dataclasses.asdict(report.info),
        "levels": levels,
        "rules": [dataclasses.asdict(rule) for rule in report.rules],
    }
    if report.paragraphs is not None:
        data["paragraphs"] = [
            {"index": p.index, "status": p.status, "wer": p.wer} for p in report.paragraphs
        ]
    return data


def report_text(report: Report) -> str:
    """The report as a terminal table."""
    info, levels = report.info, report.levels
    minutes, seconds = divmod(round(info.duration_s), 60)
    rate = f"{info.bit_rate_kbps:.0f} kbps" if info.bit_rate_kbps else "bit rate unknown"
    kind = {True: " constant", False: " variable", None: ""}[info.constant_bit_rate]
    channels = {1: "mono", 2: "stereo"}.get(info.channels, f"{info.channels} channels")
    lines = [
        f"{report.path}: {info.codec}, {info.sample_rate} Hz, {channels}, {rate}{kind}, "
        f"{minutes}:{seconds:02d}",
        f"levels: RMS {levels.rms_db:.1f} dB, peak {levels.peak_db:.1f} dB, true peak "
        f"{levels.true_peak_db:.1f} dBTP, loudness {levels.loudness_lufs:.1f} LUFS, noise floor "
        f"{levels.noise_floor_db:.1f} dB, room tone {levels.head_s:.2f} s head / "
        f"{levels.tail_s:.2f} s tail, digital silence {levels.digital_silence_s:.2f} s",
        "",
    ]
    bad = failed(report.rules)
    lines.append(f"profile {report.profile}: {'FAIL' if bad else 'pass'} "
                 f"({len(report.rules) - len(bad)} of {len(report.rules)} rules met)")  # fmt: skip
    name_width = max(len(rule.name) for rule in report.rules)
    measured_width = max(len(rule.measured) for rule in report.rules)
    for rule in report.rules:
        lines.append(f"  {'ok  ' if rule.passed else 'FAIL'}  {rule.name:<{name_width}}  "
                     f"{rule.measured:<{measured_width}}  (needs {rule.requirement})")  # fmt: skip
    if report.paragraphs is not None:
        mean = sum(p.wer for p in report.paragraphs) / max(len(report.paragraphs), 1)
        lines += ["", f"proof-listening: {len(report.paragraphs)} paragraphs, "
                  f"{len(report.flagged)} flagged, {len(report.unclear)} unclear, "
                  f"mean word error rate {mean:.2f}"]  # fmt: skip
        for p in report.paragraphs:
            mark = "FAIL" if p.status in FLAGGED else "?   " if p.status == "unclear" else "    "
            lines.append(f"  {mark}  {p.index + 1:>4}  {p.status:<12}  WER {p.wer:.2f}  "
                         f"{chapter_title(p.text)}")  # fmt: skip
    if not report.passed:
        lines += ["", "FAIL"]
    elif report.unclear:
        lines += ["", f"PASS: within the profile; {len(report.unclear)} paragraph(s) heard "
                  "but not confirmed (unclear), worth a listen"]  # fmt: skip
    else:
        lines += ["", "PASS: complete and within the profile"]
    return "\n".join(lines)
