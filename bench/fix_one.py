"""Fixing one sentence of a 10k-word edition: what it synthesizes and how long it takes, on
the command line and in the studio.

    .venv/bin/python bench/fix_one.py [--words 10000] [--engine hibari] [--voice heart]
        [--section "## Fixing one sentence"] [--output bench/RESULTS.md]

The document is real prose built as bench/run.py builds its sizes. It is narrated cold to MP3
(empty clip cache, the default --jobs, --manifest); then one sentence is fixed with
save_sentence_fix() (its fix file beside it) and the same command runs again: the issue's
target is one clip synthesized and a wall time under 10% of the cold run's. To show where the
fixed run's time goes, the same command runs twice more with nothing changed (every clip from
the cache): to MP3, and to WAV (no MP3 encoding); and `spoken` times reading, segmenting and
normalizing alone. Each case runs once, as its own process tree (wall time around it; CPU
time and peak memory from wait4()).

Then the same in the studio: `audio-edition serve` on a copy of the document (its own clip
cache), the document narrated through the API (POST .../narrations to the job's "done"),
one sentence fixed (PUT .../sentences/{sid}) and narrated again: the server, its imports and
its engine workers are warm, as they are for a person fixing sentences one after another.
The section replaces its namesake in the results file.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import RATE, ROOT, SUMMARY, audio_seconds, corpus, document, machine, run, write_sections

sys.path.insert(0, str(ROOT / "src"))

from audio_edition.narration.fixes import save_sentence_fix
from audio_edition.narration.plan import read_document

SECTION = "## Fixing one sentence"
TARGET = 0.10
"""The fixed run's wall time, as a share of the cold run's, that the issue asks for."""


def sentence_to_fix(source: Path) -> str:
    """The first sentence of 5 to 30 words past the middle of the document, as written."""
    paragraphs = read_document(source).paragraphs
    for paragraph in paragraphs[len(paragraphs) // 2 :]:
        for sentence in paragraph.sentences:
            if 5 <= len(sentence.text.split()) <= 30 and len(sentence.parts) == 1:
                return sentence.text
    raise SystemExit("no short sentence to fix past the middle")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--engine", default="hibari")
    parser.add_argument("--voice", default="heart")
    parser.add_argument("--section", default=SECTION)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = str(ROOT / "src")  # the commands run this tree's code
    with tempfile.TemporaryDirectory(prefix="fix-one-") as folder:
        rows, facts = measure(Path(folder), args)
    text = report(rows, facts, args)
    write_sections(args.output, text)
    print(text)


Row = tuple[str, float, float, float, str]
"""A case: its name, wall s, CPU s, peak MB and clips (synthesized / cached)."""


def measure(work: Path, args: argparse.Namespace) -> tuple[list[Row], dict[str, object]]:
    """Every case, and the document's words, audio minutes and the sentence fixed."""
    source = work / "book.txt"
    source.write_text(document(corpus(), args.words), encoding="utf-8")
    python = [sys.executable, "-m", "audio_edition"]

    def narrate(output: str) -> list[list[str]]:
        return [[*python, "narrate", source.name, "-o", output, "--engine", args.engine,
                 "--voice", args.voice, "--rate", str(RATE), "--cache-dir", "cache",
                 "--manifest", "--force"]]  # fmt: skip

    rows = [("cold, to MP3", *run(narrate("book.mp3"), work))]
    written = sentence_to_fix(source)
    save_sentence_fix(source, written, f"Indeed, {written}")
    rows.append(("one sentence fixed, to MP3", *run(narrate("book.mp3"), work)))
    rows.append(("nothing changed, to MP3", *run(narrate("book.mp3"), work)))
    rows.append(("nothing changed, to WAV", *run(narrate("book.wav"), work)))
    rows.append(("spoken (read, segment, normalize)", *run([[*python, "spoken", source.name]],
                                                           work)))  # fmt: skip
    facts = {"minutes": audio_seconds(work / "book.mp3") / 60, "fixed": written,
             "words": len(source.read_text(encoding="utf-8").split())}  # fmt: skip
    rows = [(case, wall, cpu, peak, _clips(err)) for case, wall, cpu, peak, err in rows]
    return rows + studio(work, source, written, args), facts


def studio(work: Path, source: Path, written: str, args: argparse.Namespace) -> list[Row]:
    """The studio's cold narration and its narration after a fix, as rows (no CPU or
    memory figures: the server is one process for both)."""
    folder = work / "studio"
    folder.mkdir()
    shutil.copy(source, folder / "book.txt")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "audio_edition", "serve", str(folder), "--port", str(port),
               "--voice", f"{args.engine}:{args.voice}"]  # fmt: skip
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "studio-cache")}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        _wait_healthy(port)
        rows = [_studio_narration("studio: cold", port)]
        view = _call(port, "GET", "/api/documents/book.txt")
        sid = next(s["id"] for c in view["chapters"] for p in c["paragraphs"]
                   for s in p["sentences"] if s["written"] == written)  # fmt: skip
        _call(port, "PUT", f"/api/documents/book.txt/sentences/{sid}",
              {"spoken": f"Indeed, {written}"})  # fmt: skip
        rows.append(_studio_narration("studio: one sentence fixed", port))
        return rows
    finally:
        server.terminate()
        server.wait()


def _studio_narration(case: str, port: int) -> Row:
    started = time.monotonic()
    job = _call(port, "POST", "/api/documents/book.txt/narrations",
                {"format": "mp3", "rate": RATE})["job"]  # fmt: skip
    while (state := _call(port, "GET", f"/api/jobs/{job}"))["state"] not in ("done", "failed"):
        time.sleep(0.05)
    if state["state"] != "done":
        raise SystemExit(f"{case}: {state['error']}")
    stats = state["stats"]
    clips = f"{stats['synthesized']} / {stats['cached']}"
    return case, time.monotonic() - started, float("nan"), float("nan"), clips


def _call(port: int, method: str, path: str, body: object = None) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Host": f"127.0.0.1:{port}", "X-Audio-Edition": "1"}
    try:
        connection.request(method, path, json.dumps(body) if body is not None else None, headers)
        return json.loads(connection.getresponse().read())
    finally:
        connection.close()


def _wait_healthy(port: int) -> None:
    for _ in range(600):
        try:
            _call(port, "GET", "/api/health")
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the studio did not start")


def _clips(stderr: str) -> str:
    found = SUMMARY.search(stderr)
    return f"{found[1]} / {found[2]}" if found else ""


def report(rows: list[Row], facts: dict[str, object], args: argparse.Namespace) -> str:
    cold = rows[0][1]
    lines = [
        args.section, "",
        f"Run with `bench/fix_one.py` on {machine()}: {facts['words']} words of real prose "
        f"({facts['minutes']:.1f} min of audio), {args.engine} voice {args.voice} at {RATE} "
        "wpm to MP3 (44.1 kHz mono CBR 192 kbps) with the clip cache on and --manifest. The "
        f"sentence fixed: \"{facts['fixed']}\" (said with \"Indeed, \" before it). Each case ran "
        "once, one after another.", "",
        "| case | wall s | CPU s | peak MB | wall / cold | clips synthesized / cached |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]  # fmt: skip
    for case, wall, cpu, peak, clips in rows:
        lines.append(f"| {case} | {wall:.1f} | {cpu:.1f} | {peak:.0f} | {wall / cold:.2f} "
                     f"| {clips} |".replace("| nan ", "| - "))  # fmt: skip
    cases = dict((row[0], row) for row in rows)
    studio_cold = cases["studio: cold"][1]
    lines.append("")
    for name, fixed in (("command line", cases["one sentence fixed, to MP3"]),
                        ("studio", cases["studio: one sentence fixed"])):  # fmt: skip
        one_clip = re.match(r"1 / ", fixed[4]) is not None
        share = fixed[1] / (cold if name == "command line" else studio_cold)
        lines += [
            f"- {name}: {'met' if one_clip else 'MISSED'}: one clip synthesized for the fix "
            f"(measured: {fixed[4].split(' / ')[0] or '?'})",
            f"- {name}: {'met' if share <= TARGET else 'MISSED'}: the fixed edition ready in "
            f"under {TARGET:.0%} of the cold narration's time (measured: {share:.3f}"
            + (f"; of the command line's cold run: {fixed[1] / cold:.3f})" if name == "studio"
               else ")"),
        ]  # fmt: skip
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
