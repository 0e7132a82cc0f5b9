"""Time to first audio: how soon `audio-edition narrate DOC -o -` puts its first byte on the
pipe, and the studio its first byte of the growing audio, cold, on bench/run.py's 40k-word
document.

    .venv/bin/python bench/first_audio.py [--words 40000] [--repeat 5] [--output bench/RESULTS.md]

Two moments are timed in each MP3 stream: its first byte, and its first byte that holds
speech (the first byte past the head's room tone: once more frames have come than the
head's 750 ms fill). The head's room tone is encoded as soon as the level is decided, before
any clip is spoken, so the first comes before the second. For each engine (hibari, eSpeak NG
through pyttsx3) and each run, interleaved:

  cli     the command (`--no-cache`), timed from just before it starts until its first
          byte of speech on the pipe, which is then closed (the run ends as `| head` ends it);
  parts   the same in one fresh process through the library, as the command does it (a
          LocalPool whose first worker is prepared while plan_stream plans, then stream() to
          a callable), split into importing audio-edition, planning (read, choose the voice,
          segment and normalize the whole document) and the render up to each moment;
  studio  `audio-edition serve` started afresh (an empty clip cache) and ready, then timed
          from the POST of a narration of the document (which plans it) through GET
          /api/jobs/{job}/audio (asked again while the job is queued).

The median of the runs is reported, with the least and the most.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from run import ROOT, corpus, document, machine, write_sections

ENGINES = ("hibari", "pyttsx3")
TARGET_SECONDS = 1.0
MOMENTS = ("first", "speech")
"""The first byte, and the first byte that holds speech."""


class Arrival:
    """When an MP3 stream's first byte came, and its first byte past the head's room tone."""

    def __init__(self, started: float) -> None:
        from audio_edition.encode import mp3
        from audio_edition.shape import OUTPUT_SAMPLE_RATE
        from audio_edition.shape.assemble import Layout

        self._split = mp3.split_frames
        head_samples = Layout.head_ms * OUTPUT_SAMPLE_RATE // 1000
        self._head_frames = -(-head_samples // mp3.FRAME_SAMPLES)
        self._started = started
        self._data = b""
        self.seconds: dict[str, float] = {}

    def add(self, data: bytes) -> bool:
        """Note `data`'s arrival; True once speech has come."""
        now = time.monotonic() - self._started
        self.seconds.setdefault("first", now)
        self._data += data
        if len(self._split(self._data)[0]) > self._head_frames:
            self.seconds.setdefault("speech", now)
        return "speech" in self.seconds


def cli_run(source: Path, engine: str) -> dict[str, float]:
    """Seconds from starting the command to its first byte, and to its first of speech."""
    command = [sys.executable, "-m", "audio_edition", "narrate", str(source), "-o", "-",
               "--engine", engine, "--no-cache", "-q"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = time.monotonic()
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert run.stdout is not None and run.stderr is not None
    arrival = Arrival(started)
    while data := os.read(run.stdout.fileno(), 1 << 16):
        if arrival.add(data):
            break
    run.stdout.close()
    run.wait()
    if "speech" not in arrival.seconds:
        raise SystemExit(f"{engine}: no speech: {run.stderr.read().decode()}")
    return arrival.seconds


def probe(source: Path, engine: str) -> None:
    """In this (fresh) process, as the command does it: seconds to import, to plan, and from
    the plan to the first byte and to the first byte of speech."""
    started = time.monotonic()
    from audio_edition.narration.plan import Options, VoiceOptions
    from audio_edition.narration.render import plan_stream, stream
    from audio_edition.speak.synthesis import LocalPool

    imported = time.monotonic()

    class Heard(Exception):
        pass

    def write(data: bytes) -> None:
        if arrival.add(data):
            raise Heard

    try:
        with LocalPool(None) as pool:
            options = Options(voice=VoiceOptions(engine=engine))
            plan = plan_stream(source, ".mp3", options, pool.prepare)
            planned = time.monotonic()
            arrival = Arrival(planned)
            stream(plan, pool, write)
    except Heard:
        pass
    parts = {"import": imported - started, "plan": planned - imported,
             **{f"render_{moment}": arrival.seconds[moment] for moment in MOMENTS}}  # fmt: skip
    print(json.dumps(parts))


def parts_run(source: Path, engine: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [sys.executable, __file__, "--probe", str(source), engine],
        check=True, capture_output=True, text=True, env=env, cwd=ROOT / "bench",
    ).stdout  # fmt: skip
    return json.loads(out)


def studio_run(folder: Path, source: Path, engine: str) -> dict[str, float]:
    """A fresh `serve` on FOLDER, ready: seconds from the POST of a narration of `source` to
    the first byte of its growing audio, and to its first byte of speech."""
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        port = probe_socket.getsockname()[1]
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "XDG_CACHE_HOME": cache}
        server = subprocess.Popen(
            [sys.executable, "-m", "audio_edition", "serve", str(folder), "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
        )  # fmt: skip
        try:
            _wait_for(port)
            return _narration_heard(port, source.name, engine)
        finally:
            server.terminate()
            server.wait()


def _wait_for(port: int, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _request(port, "GET", "/api/health")[0] == 200:
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"the studio did not start on port {port}")


def _request(port: int, method: str, path: str, body: object = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"x-audio-edition": "1", "content-type": "application/json"}
    connection.request(method, path, json.dumps(body) if body is not None else None, headers)
    response = connection.getresponse()
    return response.status, response.read()


def _narration_heard(port: int, name: str, engine: str) -> dict[str, float]:
    document = urllib.parse.quote(name, safe="")
    started = time.monotonic()
    status, body = _request(port, "POST", f"/api/documents/{document}/narrations",
                            {"voice": f"{engine}:"})  # fmt: skip
    if status != 202:
        raise SystemExit(f"studio, {engine}: {status} {body.decode()}")
    job = json.loads(body)["job"]
    arrival = Arrival(started)
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("GET", f"/api/jobs/{job}/audio")
        response = connection.getresponse()
        if response.status == 409:  # still queued
            response.read()
            time.sleep(0.005)
            continue
        while data := response.read1(1 << 16):
            if arrival.add(data):
                connection.close()
                return arrival.seconds
        raise SystemExit(f"studio, {engine}: the audio ended before any speech")


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def section(words: int, repeat: int, runs: dict[str, dict[str, list[dict[str, float]]]]) -> str:
    lines = [
        "## First audio",
        "",
        f"Run {datetime.date.today().isoformat()} with `bench/first_audio.py` on {machine()}; "
        f"load average {os.getloadavg()[0]:.1f} at the end.",
        f"The {words}-word document of bench/run.py, cold (a new process, an empty clip "
        f"cache), in MP3; median of {repeat} runs (least-most), in seconds. First: the first "
        "byte (the head's room tone); speech: the first byte past it.",
        "",
        "| engine | `-o -` first | `-o -` speech | studio first | studio speech "
        "| import | plan | render to first | render to speech |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for engine in ENGINES:
        cells = [spread([run[name] for run in runs[kind][engine]])
                 for kind, names in (("cli", MOMENTS), ("studio", MOMENTS),
                                     ("parts", ("import", "plan", "render_first",
                                                "render_speech")))
                 for name in names]  # fmt: skip
        lines.append(f"| {engine} | " + " | ".join(cells) + " |")
    verdicts = [
        f"{place} {said}: {_under_target(runs[kind], moment)}"
        for kind, place in (("cli", "`-o -`"), ("studio", "studio"))
        for moment, said in (("first", "first byte"), ("speech", "first byte of speech"))
    ]
    lines += ["", f"Under {TARGET_SECONDS:.0f} s: {'; '.join(verdicts)}."]
    return "\n".join(lines) + "\n"


def _under_target(runs: dict[str, list[dict[str, float]]], moment: str) -> str:
    """The engines whose median time to `moment` is under the target, or "none"."""
    met = [e for e in ENGINES if statistics.median(r[moment] for r in runs[e]) < TARGET_SECONDS]
    return ", ".join(met) or "none"


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
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"w{args.words}.txt"
        source.write_text(document(corpus(), args.words), encoding="utf-8")
        runs: dict[str, dict[str, list[dict[str, float]]]] = {
            kind: {engine: [] for engine in ENGINES} for kind in ("cli", "parts", "studio")
        }
        for _ in range(args.repeat):
            for engine in ENGINES:
                runs["cli"][engine].append(cli_run(source, engine))
                runs["parts"][engine].append(parts_run(source, engine))
                runs["studio"][engine].append(studio_run(Path(folder), source, engine))
    text = section(args.words, args.repeat, runs)
    print(text)
    if args.output is not None:
        write_sections(args.output, text)


if __name__ == "__main__":
    main()
