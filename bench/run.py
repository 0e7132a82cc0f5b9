"""Speed and memory of audio-edition beside the obvious loop and the encoding floor.

    .venv/bin/python bench/run.py [--sizes 1000,10000,40000] [--output bench/RESULTS.md]

Documents of about 1k, 10k and 40k words are built from real prose that every Debian system
ships: the license texts in /usr/share/common-licenses (base-files), topped up with the prose
paragraphs of /usr/share/doc/*/copyright; repeated paragraphs are dropped. Each size is
measured side by side in one run:

  naive   pyttsx3 save_to_file per paragraph, pydub `+=`, one export (bench/naive_loop.py)
  floor   `espeak-ng -w` on the whole text, then one ffmpeg encode
  cold    audio-edition with an empty clip cache
  edited  audio-edition again after one sentence was changed

All use the same voice, rate, and MP3 settings (44.1 kHz mono CBR 192 kbps, ffmpeg's LAME
defaults). Every case runs as its own process tree; wall time is measured around it, CPU
time and peak memory come from wait4() (the largest process of the tree). The machines here
are shared and noisy, so floor, cold and edited run several times, interleaved, and the
median run is reported. Results go to a Markdown table with the targets of issues 3 and 13
checked.
"""

from __future__ import annotations

import argparse
import datetime
import glob
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATE = 160
VOICE = "gmw/en-us"
ESPEAK_VOICE = "en-us"
SUMMARY = re.compile(r"(\d+) synthesized, (\d+) from cache")


@dataclass(frozen=True)
class Measurement:
    """One case at one size."""

    case: str
    words: int
    wall: float
    cpu: float
    peak_mb: float
    audio_seconds: float
    synthesized: int | None = None
    cached: int | None = None


def corpus() -> list[str]:
    """Paragraphs of real prose, each once, in a fixed order."""
    seen: set[str] = set()
    paragraphs: list[str] = []
    licenses = sorted({os.path.realpath(p) for p in glob.glob("/usr/share/common-licenses/*")})
    copyrights = sorted(glob.glob("/usr/share/doc/*/copyright"))
    for path in licenses + copyrights:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        for block in re.split(r"\n\s*\n", text):
            words = block.split()
            key = " ".join(words).lower()
            if key in seen or not _is_prose(block, words, path in licenses):
                continue
            seen.add(key)
            paragraphs.append(block.strip("\n"))
    return paragraphs


def _is_prose(block: str, words: list[str], from_license: bool) -> bool:
    if from_license:
        return len(words) > 0
    # copyright files also hold machine-readable fields ("Files: *", "Copyright: 2001 ...")
    return len(words) >= 20 and block.rstrip().endswith(".") and not re.match(r"^\S+:", block)


def document(paragraphs: list[str], target_words: int) -> str:
    """The first paragraphs of the corpus up to about `target_words` words."""
    chosen: list[str] = []
    count = 0
    for paragraph in paragraphs:
        if count >= target_words:
            break
        chosen.append(paragraph)
        count += len(paragraph.split())
    if count < target_words * 0.95:
        raise SystemExit(f"the corpus has only {count} words, short of {target_words}")
    return "\n\n".join(chosen) + "\n"


def edit_one_sentence(text: str) -> str:
    """Change the first sentence of a paragraph past the middle (a short one, so one clip)."""
    from audio_edition.text.segment import join_lines, split_sentences

    paragraphs = text.split("\n\n")
    for index in range(len(paragraphs) // 2, len(paragraphs)):
        sentences = split_sentences(join_lines(paragraphs[index]))
        if 5 <= len(sentences[0].split()) <= 30:
            paragraphs[index] = "Indeed, " + paragraphs[index]
            return "\n\n".join(paragraphs)
    raise SystemExit("no paragraph with a short first sentence to edit")


def run(commands: list[list[str]], cwd: Path) -> tuple[float, float, float, str]:
    """Run commands one after another; wall, CPU seconds, peak MB of any process, stderr."""
    wall = cpu = peak_kb = 0.0
    stderr_text = ""
    for command in commands:
        with tempfile.TemporaryFile() as stderr:
            started = time.monotonic()
            process = subprocess.Popen(
                command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=stderr,
            )  # fmt: skip
            _, status, usage = os.wait4(process.pid, 0)
            wall += time.monotonic() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            stderr.seek(0)
            stderr_text += stderr.read().decode("utf-8", "replace")
        if process.returncode != 0:
            raise SystemExit(f"{command[0]} failed ({process.returncode}):\n{stderr_text}")
        cpu += usage.ru_utime + usage.ru_stime
        peak_kb = max(peak_kb, usage.ru_maxrss)
    return wall, cpu, peak_kb / 1024, stderr_text


def audio_seconds(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
         str(path)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return float(out)


def measure_size(
    words: int, text: str, work: Path, with_naive: bool, repeat: int
) -> list[Measurement]:
    """Every case at one size; floor, cold and edited `repeat` times, interleaved."""
    source = work / f"doc-{words}.txt"
    source.write_text(text, encoding="utf-8")
    edited = work / f"doc-{words}-edited.txt"
    edited.write_text(edit_one_sentence(text), encoding="utf-8")
    cache = work / f"cache-{words}"
    cli = [sys.executable, "-m", "audio_edition", "narrate"]
    options = ["--voice", VOICE, "--rate", str(RATE), "--cache-dir", str(cache), "--force"]
    cases: dict[str, list[list[str]]] = {
        "floor": [
            ["espeak-ng", "-v", ESPEAK_VOICE, "-s", str(RATE), "-w", f"floor-{words}.wav",
             "-f", source.name],
            ["ffmpeg", "-v", "error", "-y", "-i", f"floor-{words}.wav", "-ar", "44100", "-ac",
             "1", "-c:a", "libmp3lame", "-b:a", "192k", f"floor-{words}.mp3"],
        ],
        "cold": [[*cli, source.name, "-o", f"cold-{words}.mp3", *options]],
        "edited": [[*cli, edited.name, "-o", f"edited-{words}.mp3", *options]],
    }  # fmt: skip
    runs: dict[str, list[Measurement]] = {case: [] for case in cases}
    if with_naive:
        naive = [sys.executable, str(ROOT / "bench" / "naive_loop.py"), source.name,
                 f"naive-{words}.mp3", str(RATE), VOICE]  # fmt: skip
        runs = {"naive": [_measure("naive", words, [naive], work)], **runs}
    for _ in range(repeat):
        for case, commands in cases.items():
            if case == "cold":
                shutil.rmtree(cache, ignore_errors=True)
            runs[case].append(_measure(case, words, commands, work))
    return [_median(measurements) for measurements in runs.values()]


def _measure(case: str, words: int, commands: list[list[str]], work: Path) -> Measurement:
    wall, cpu, peak, stderr = run(commands, work)
    print(f"{words:>6} words  {case:<7} {wall:7.1f} s", file=sys.stderr)
    return _result(case, words, wall, cpu, peak, work / f"{case}-{words}.mp3", stderr)


def _median(measurements: list[Measurement]) -> Measurement:
    """The run with the median wall time (all its figures come from that one run)."""
    ordered = sorted(measurements, key=lambda m: m.wall)
    return ordered[(len(ordered) - 1) // 2]


def _result(case, words, wall, cpu, peak, output, stderr) -> Measurement:
    found = SUMMARY.search(stderr)
    synthesized, cached = (int(found[1]), int(found[2])) if found else (None, None)
    return Measurement(case, words, wall, cpu, peak, audio_seconds(output), synthesized, cached)


def _sections(text: str) -> dict[str, str]:
    """A Markdown file's parts by "## " heading ("" for what comes before the first)."""
    parts: dict[str, str] = {}
    heading = ""
    for line in text.splitlines(keepends=True):
        if line.startswith("## "):
            heading = line.strip()
        parts[heading] = parts.get(heading, "") + line
    return parts


def write_sections(path: Path, text: str) -> None:
    """Put the sections of `text` in place of the same sections of the results file `path`,
    keeping the others (each bench script writes its own)."""
    old = _sections(path.read_text(encoding="utf-8")) if path.exists() else {}
    new = _sections(text)
    merged = {**old, **new}
    path.write_text(
        "".join(part.rstrip("\n") + "\n\n" for part in merged.values()).rstrip("\n") + "\n",
        encoding="utf-8",
    )


def machine() -> str:
    model = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    espeak = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True).stdout
    ffmpeg = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True).stdout
    return (
        f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, "
        f"{espeak.split('Data')[0].strip()}, {ffmpeg.splitlines()[0].split(' Copyright')[0]}"
    )


def report(results: list[Measurement], repeat: int) -> str:
    floors = {r.words: r for r in results if r.case == "floor"}
    colds = {r.words: r for r in results if r.case == "cold"}
    lines = [
        "# Benchmark results",
        "",
        f"Run {datetime.date.today().isoformat()} with `bench/run.py` on {machine()}.",
        f"Voice {VOICE} at {RATE} wpm; MP3 44.1 kHz mono CBR 192 kbps for every case. "
        f"floor, cold and edited ran {repeat} times each, interleaved; each row is the run "
        "with the median wall time."
        + (" The naive loop ran once." if any(r.case == "naive" for r in results) else ""),
        "",
        "| words | case | wall s | CPU s | peak MB | audio min | x real time | wall / floor "
        "| clips synthesized / cached |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        clips = f"{r.synthesized} / {r.cached}" if r.synthesized is not None else ""
        lines.append(
            f"| {r.words} | {r.case} | {r.wall:.1f} | {r.cpu:.1f} | {r.peak_mb:.0f} | "
            f"{r.audio_seconds / 60:.1f} | {r.audio_seconds / r.wall:.0f} | "
            f"{r.wall / floors[r.words].wall:.2f} | {clips} |"
        )
    lines += ["", "## Targets", ""]
    sizes = sorted(colds)
    if len(sizes) >= 2:
        mid, big = sizes[-2], sizes[-1]
        checks = [
            (f"cold wall time at {mid} words <= 0.6x the floor",
             colds[mid].wall / floors[mid].wall, colds[mid].wall <= 0.6 * floors[mid].wall),
            (f"peak memory at {big} words <= 200 MB",
             colds[big].peak_mb, colds[big].peak_mb <= 200),
            (f"peak memory at {big} words <= 1.25x its {mid}-word value",
             colds[big].peak_mb / colds[mid].peak_mb,
             colds[big].peak_mb <= 1.25 * colds[mid].peak_mb),
            (f"time at {big} words no worse than linear (time ratio / word ratio <= 1)",
             (colds[big].wall / colds[mid].wall) / (big / mid),
             colds[big].wall / colds[mid].wall <= big / mid),
        ]  # fmt: skip
        for words in sizes:
            edited = next(r for r in results if r.case == "edited" and r.words == words)
            checks.append((f"editing one sentence at {words} words synthesizes one clip",
                           edited.synthesized, edited.synthesized == 1))  # fmt: skip
        for text, value, ok in checks:
            shown = f"{value:.2f}" if isinstance(value, float) else str(value)
            lines.append(f"- {'met' if ok else 'MISSED'}: {text} (measured: {shown})")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,40000", help="word counts")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--no-naive", action="store_true", help="skip the obvious loop")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of floor, cold and edited per size"
    )
    args = parser.parse_args()
    paragraphs = corpus()
    results: list[Measurement] = []
    with tempfile.TemporaryDirectory(prefix="audio-edition-bench-") as folder:
        for words in (int(size) for size in args.sizes.split(",")):
            text = document(paragraphs, words)
            actual = len(text.split())
            results += measure_size(
                actual, text, Path(folder), with_naive=not args.no_naive, repeat=args.repeat
            )
    table = report(results, args.repeat)
    write_sections(args.output, table)
    print(table)


if __name__ == "__main__":
    main()
