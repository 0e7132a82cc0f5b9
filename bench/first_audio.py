"""Time to first audio: how soon `audio-edition narrate DOC -o -` puts its first byte on the
pipe, cold (a new process, no clip cache), on bench/run.py's 40k-word document.

    .venv/bin/python bench/first_audio.py [--words 40000] [--repeat 5] [--output bench/RESULTS.md]

For each engine (hibari, eSpeak NG through pyttsx3) and each run, interleaved:

  cli     the command, timed from just before it starts to its first byte on the pipe, which
          is then closed (the run ends as `| head` ends it);
  parts   the same in one fresh process through the library (plan_stream, then stream() to a
          callable), split into importing audio-edition, planning (read, segment, normalize
          the whole document), and the render up to its first byte (the synthesis workers
          starting, the first clips spoken, shaped and encoded).

The median of the runs is reported, with the least and the most.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import ROOT, corpus, document, machine, write_sections

ENGINES = ("hibari", "pyttsx3")
TARGET_SECONDS = 1.0


def cli_first_byte(source: Path, engine: str) -> float:
    """Seconds from starting the command to its first byte on standard output."""
    command = [sys.executable, "-m", "audio_edition", "narrate", str(source), "-o", "-",
               "--engine", engine, "--no-cache", "-q"]  # fmt: skip
    started = time.monotonic()
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert run.stdout is not None and run.stderr is not None
    first = os.read(run.stdout.fileno(), 1)
    seconds = time.monotonic() - started
    run.stdout.close()
    run.wait()
    if not first:
        raise SystemExit(f"{engine}: no audio: {run.stderr.read().decode()}")
    return seconds


def probe(source: Path, engine: str) -> None:
    """In this (fresh) process: seconds to import, to plan, and from render to first byte."""
    started = time.monotonic()
    from audio_edition.narration.plan import Options, VoiceOptions
    from audio_edition.narration.render import plan_stream, stream
    from audio_edition.speak.synthesis import LocalPool

    imported = time.monotonic()
    plan = plan_stream(source, ".mp3", Options(voice=VoiceOptions(engine=engine)))
    planned = time.monotonic()
    first: list[float] = []

    class FirstByte(Exception):
        pass

    def write(data: bytes) -> None:
        first.append(time.monotonic())
        raise FirstByte

    try:
        with LocalPool(None) as pool:
            stream(plan, pool, write)
    except FirstByte:
        pass
    parts = {"import": imported - started, "plan": planned - imported,
             "render": first[0] - planned}  # fmt: skip
    print(json.dumps(parts))


def parts_first_byte(source: Path, engine: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [sys.executable, __file__, "--probe", str(source), engine],
        check=True, capture_output=True, text=True, env=env, cwd=ROOT / "bench",
    ).stdout  # fmt: skip
    return json.loads(out)


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def section(words: int, repeat: int, cli: dict, parts: dict) -> str:
    lines = [
        "## First audio",
        "",
        f"Run {datetime.date.today().isoformat()} with `bench/first_audio.py` on {machine()}; "
        f"load average {os.getloadavg()[0]:.1f} at the end.",
        f"The {words}-word document of bench/run.py, cold (a new process, `--no-cache`), "
        f"`narrate DOC -o -` in MP3; median of {repeat} runs (least-most), in seconds.",
        "",
        "| engine | first byte on the pipe | import | plan | render to first byte |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for engine in ENGINES:
        split = {name: spread([run[name] for run in parts[engine]]) for name in parts[engine][0]}
        lines.append(f"| {engine} | {spread(cli[engine])} | {split['import']} | "
                     f"{split['plan']} | {split['render']} |")  # fmt: skip
    met = [e for e in ENGINES if statistics.median(cli[e]) < TARGET_SECONDS]
    lines += ["", f"Target: first byte under {TARGET_SECONDS:.0f} s: "
              f"{'met by ' + ', '.join(met) if met else 'not met'}."]  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=40_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--output", type=Path, default=None, help="results file to update")
    parser.add_argument("--probe", nargs=2, metavar=("DOC", "ENGINE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(Path(args.probe[0]), args.probe[1])
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"w{args.words}.txt"
        source.write_text(document(corpus(), args.words), encoding="utf-8")
        cli: dict[str, list[float]] = {engine: [] for engine in ENGINES}
        parts: dict[str, list[dict[str, float]]] = {engine: [] for engine in ENGINES}
        for _ in range(args.repeat):
            for engine in ENGINES:
                cli[engine].append(cli_first_byte(source, engine))
                parts[engine].append(parts_first_byte(source, engine))
    text = section(args.words, args.repeat, cli, parts)
    print(text)
    if args.output is not None:
        write_sections(args.output, text)


if __name__ == "__main__":
    main()
