"""What it costs to give every eSpeak NG clip the same starting state, candidate by candidate.

    .venv/bin/python bench/espeak_state.py [--repeat 3] [--output bench/RESULTS.md]

libespeak-ng keeps state from one utterance to the next in a process (the pitch flutter
index, a static inside wavegen.c), so the same text spoken twice in one process gives two
sample streams. Each candidate speaks two sets of clips, one clip at a time as a synthesis
worker does: the example review's 14 clips, then the first 200 clips of bench/run.py's prose
corpus; then it speaks every clip again, in reverse order. Candidates:

  before     the pyttsx3 engine as it was (commit BEFORE): pyttsx3's eSpeak driver, one
             process for every clip
  in-process libespeak-ng through ctypes, synchronous, one process for every clip, nothing
             reset (what pyttsx3's driver does underneath, without its waiting)
  warm-up    the same, with a fixed sentence spoken before each clip
  process    an `espeak-ng` process for each clip
  shipped    the pyttsx3 engine as it is now: libespeak-ng initialized once in a process
             that never speaks, a fork of it for each clip

Each candidate runs in its own process, --repeat times, interleaved; its row is the run with
the median wall time. "same as fresh" counts the clips whose samples equal those of an
`espeak-ng` process started for that clip alone; "same twice" the clips whose two renditions
are equal. The section "## eSpeak NG state" of bench/RESULTS.md is replaced.
"""

from __future__ import annotations

import argparse
import ctypes
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

from run import RATE, ROOT, VOICE, corpus, document, machine, run, write_sections

BEFORE = "a5aed21"
CASES = ("before", "in-process", "warm-up", "process", "shipped")
SETS = (("review", 14), ("prose", 200))
WARM_UP = "This fixed sentence is spoken before every clip."
SECTION = "## eSpeak NG state"


def documents(folder: Path) -> dict[str, Path]:
    """The example review, and prose from the corpus with at least 200 clips, by set name."""
    prose = folder / "prose.txt"
    prose.write_text(document(corpus(), 6000), encoding="utf-8")
    return {"review": ROOT / "examples" / "twilight-serenade.txt", "prose": prose}


def clip_texts(sources: dict[str, Path], folder: Path) -> dict[str, list[str]]:
    """Every clip of each document."""
    sys.path.insert(0, str(ROOT / "src"))
    from audio_edition import Options, VoiceOptions, plan_narration
    from audio_edition.speak.clips import clip_requests

    options = Options(voice=VoiceOptions(engine="pyttsx3", voice=VOICE, rate=RATE))
    texts = {}
    for name, source in sources.items():
        plan = plan_narration(source, folder / f"{name}.mp3", options)
        texts[name] = [request.text for request in clip_requests(plan.document)]
    return texts


def narrations(sources: dict[str, Path], folder: Path, repeat: int) -> dict[tuple, list]:
    """Each document narrated cold to WAV (--jobs 2) by the code before and as it is now,
    `repeat` times, interleaved: (set, version) -> [(wall, CPU), ...]."""
    before = folder / "before"
    before.mkdir()
    archive = subprocess.run(["git", "archive", BEFORE, "src"], cwd=ROOT, check=True,
                             capture_output=True).stdout  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
    trees = {"before": before / "src", "shipped": ROOT / "src"}
    options = ["-o", str(folder / "out.wav"), "-f", "-q", "--no-cache", "--jobs", "2",
               "--voice", VOICE, "--rate", str(RATE)]  # fmt: skip
    times: dict[tuple, list] = {}
    for _ in range(repeat):
        for name, source in sources.items():
            for version, tree in trees.items():
                python = ["env", f"PYTHONPATH={tree}", sys.executable, "-m", "audio_edition"]
                wall, cpu, _, _ = run([[*python, "narrate", str(source), *options]], folder)
                times.setdefault((name, version), []).append((wall, cpu))
    return times


class Espeak:
    """libespeak-ng through ctypes, synchronous (no thread of its own), as pyttsx3 sets it."""

    def __init__(self) -> None:
        self.lib = ctypes.CDLL("libespeak-ng.so.1")
        callback_type = ctypes.CFUNCTYPE(
            ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
        )
        self.chunks: list[bytes] = []
        self.callback = callback_type(self._collect)
        self.lib.espeak_Initialize(2, 1000, None, 0)  # AUDIO_OUTPUT_SYNCHRONOUS
        self.lib.espeak_SetSynthCallback(self.callback)
        self.lib.espeak_SetVoiceByName(VOICE.encode())
        self.lib.espeak_SetParameter(1, RATE, 0)  # espeakRATE
        self.lib.espeak_SetParameter(2, 100, 0)  # espeakVOLUME, pyttsx3's 1.0

    def _collect(self, wav: object, count: int, events: object) -> int:
        if count > 0:
            self.chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def speak(self, text: str) -> bytes:
        self.chunks.clear()
        data = text.encode("utf-8") + b"\0"
        self.lib.espeak_Synth(data, len(data), 0, 0, 0, 0x1001, None, None)  # UTF8, ENDPAUSE
        self.lib.espeak_Synchronize()
        return b"".join(self.chunks)


def engine_at(commit: str) -> object:
    """The pyttsx3 engine class as it was at `commit`."""
    sys.path.insert(0, str(ROOT / "src"))
    import audio_edition.engines

    path = "src/audio_edition/engines/pyttsx3.py"
    source = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout  # fmt: skip
    module = types.ModuleType("audio_edition.engines.pyttsx3_before")
    module.__package__ = audio_edition.engines.__name__
    exec(compile(source, f"{commit}:{path}", "exec"), module.__dict__)
    return module.Pyttsx3Engine


def speaker(case: str) -> object:
    """A function text -> PCM bytes for the case, everything it needs already loaded."""
    if case in ("before", "shipped"):
        sys.path.insert(0, str(ROOT / "src"))
        from audio_edition.engines import VoiceSettings, load_engine

        engine_class = engine_at(BEFORE) if case == "before" else load_engine("pyttsx3")
        engine = engine_class(VoiceSettings(VOICE, RATE))  # type: ignore[operator]
        return lambda text: engine.synthesize(text).samples
    if case == "process":
        return espeak_ng_alone
    espeak = Espeak()
    if case == "in-process":
        return espeak.speak
    return lambda text: (espeak.speak(WARM_UP), espeak.speak(text))[1]


def run_case(case: str, texts: dict[str, list[str]], result_path: Path) -> None:
    """Speak every set, then every set again in reverse; write timings and hashes as JSON."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # the engine before printed "Audio saved to ..."
    speak = speaker(case)
    results = {}
    for name, clips in texts.items():
        cpu_before = _cpu()
        started = time.perf_counter()
        first = [speak(text) for text in clips]  # type: ignore[operator]
        wall = time.perf_counter() - started
        cpu = _cpu() - cpu_before
        again = [speak(text) for text in reversed(clips)][::-1]  # type: ignore[operator]
        results[name] = {"wall": wall, "cpu": cpu, "first": [_digest(s) for s in first],
                         "again": [_digest(s) for s in again]}  # fmt: skip
    result_path.write_text(json.dumps(results))


def _cpu() -> float:
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def _digest(samples: bytes) -> str:
    return hashlib.sha256(samples).hexdigest()


def espeak_ng_alone(text: str) -> bytes:
    """The samples of an `espeak-ng` process run for `text` alone (its WAV header dropped)."""
    command = ["espeak-ng", "-v", VOICE, "-s", str(RATE), "--stdin", "--stdout"]
    out = subprocess.run(command, input=text.encode() + b"\n", capture_output=True, check=True)
    return out.stdout[44:]


def fresh(texts: list[str]) -> list[str]:
    """Each clip's samples from an `espeak-ng` process of its own (the header dropped)."""
    digests = []
    for text in texts:
        digests.append(_digest(espeak_ng_alone(text)))
    return digests


def report(runs: dict[str, list[dict]], reference: dict[str, list[str]], repeat: int) -> str:
    lines = [
        SECTION, "",
        f"Run {time.strftime('%Y-%m-%d')} with `bench/espeak_state.py` on {machine()}. Voice "
        f"{VOICE} at {RATE} wpm, one clip at a time in one process per candidate, each "
        f"candidate {repeat} times interleaved (the median run by wall time).", "",
        "| candidate | clips | wall s | ms a clip | CPU ms a clip | same as fresh | same twice |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]  # fmt: skip
    for case in CASES:
        for name, count in SETS:
            row = sorted(runs[case], key=lambda r: r[name]["wall"])[len(runs[case]) // 2][name]
            fresh_same = sum(a == b for a, b in zip(row["first"], reference[name], strict=True))
            twice = sum(a == b for a, b in zip(row["first"], row["again"], strict=True))
            wall, cpu = row["wall"], row["cpu"]
            lines.append(
                f"| {case} | {count} ({name}) | {wall:.2f} | {wall / count * 1000:.1f} "
                f"| {cpu / count * 1000:.1f} | {fresh_same} / {count} | {twice} / {count} |"
            )
    spread = {case: [r["prose"]["wall"] for r in runs[case]] for case in CASES}
    lines += [
        "",
        "Wall seconds of every run of the 200 clips: "
        + "; ".join(
            f"{case} {', '.join(f'{w:.2f}' for w in walls)}" for case, walls in spread.items()
        )
        + ".",
    ]
    return "\n".join(lines) + "\n"


def narration_report(times: dict[tuple, list], every_clip: dict[str, list[str]]) -> str:
    lines = [
        "", "The whole narration, cold, to WAV with --jobs 2, by the code before and as it is now "
        "(the median run of each by wall time; CPU of every process):", "",
        "| document | code | wall s | CPU s |", "| --- | --- | ---: | ---: |",
    ]  # fmt: skip
    for (name, version), runs in times.items():
        wall, cpu = sorted(runs)[len(runs) // 2]
        clips = len(every_clip[name])
        lines.append(f"| {name} ({clips} clips) | {version} | {wall:.2f} | {cpu:.2f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        run_case(args.case, json.loads(args.texts.read_text()), args.result)
        return
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        sources = documents(work)
        every_clip = clip_texts(sources, work)
        texts = {name: every_clip[name][:count] for name, count in SETS}
        reference = {name: fresh(clips) for name, clips in texts.items()}
        runs: dict[str, list[dict]] = {case: [] for case in CASES}
        texts_path, result_path = work / "texts.json", work / "result.json"
        texts_path.write_text(json.dumps(texts))
        for _ in range(args.repeat):
            for case in CASES:
                command = [sys.executable, __file__, "--case", case]
                paths = ["--texts", str(texts_path), "--result", str(result_path)]
                subprocess.run([*command, *paths], check=True)
                runs[case].append(json.loads(result_path.read_text()))
        times = narrations(sources, work, args.repeat)
    table = report(runs, reference, args.repeat) + narration_report(times, every_clip)
    print(table)
    write_sections(args.output, table)


if __name__ == "__main__":
    main()
