"""The cluster path's cost, batches against separate runs, and a model of scaling.

    .venv/bin/python bench/cluster.py [--words 10000] [--documents 20] [--repeat 1]

Measured side by side in one run, each case as its own process tree, with an empty clip cache
(eSpeak NG, the default voice, MP3):

  jobs 2        narrate --jobs 2 of about 10k words of prose (bench/run.py's corpus)
  cluster 2     narrate --cluster local:2 of the same text (a LocalCluster of 2 processes)
  separate      20 short documents, one `narrate` process each
  batch         the same 20 in one `batch`
  batch cluster the same 20 in one `batch --cluster local:2`: each document rendered whole
                on a worker, its files written by the client (documents are the unit)
  clips         the same 20 on a LocalCluster of 2, spoken clip by clip there and laid out
                and encoded here, one after another (clips are the unit)

Then the inputs of a model of throughput against worker count, each measured here: Dask's
round trip per clip task, the bytes a clip brings back, one worker's speed with eSpeak NG
and with Piper, and the client's own speed (read, lay out, encode, write) on a warm cache.
The section "## Cluster" of bench/RESULTS.md is replaced.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from run import ROOT, audio_seconds, corpus, document, machine, run, write_sections

SECTION = "## Cluster"
CLI = [sys.executable, "-m", "audio_edition"]
SUMMARY = re.compile(r"(\d+) clips: (\d+) synthesized")
LINK_MB_PER_S = 117.0
"""What a 1 Gbit/s Ethernet link carries (the model's network)."""


@dataclass(frozen=True)
class Case:
    name: str
    wall: float
    cpu: float
    audio_seconds: float


def measure(name: str, commands: list[list[str]], work: Path, outputs: list[Path]) -> Case:
    shutil.rmtree(work / "cache", ignore_errors=True)
    for output in outputs:
        output.unlink(missing_ok=True)
    shutil.rmtree(work / "batch", ignore_errors=True)
    wall, cpu, _, _ = run(commands, work)
    audio = sum(audio_seconds(path) for path in outputs)
    print(f"{name:<14} {wall:7.1f} s", file=sys.stderr)
    return Case(name, wall, cpu, audio)


def clips_as_unit(sources: list[Path], out: Path) -> None:
    """The other unit of work for a batch: each document spoken clip by clip on a
    LocalCluster of 2 and laid out and encoded here, one after another."""
    from audio_edition import Options, plan_narration, render
    from audio_edition.many.cluster import ClusterSynthesizer
    from audio_edition.narration.render import open_cache

    cache = open_cache(out.parent / "cache", True)
    with ClusterSynthesizer("local:2") as synthesizer:
        for source in sources:
            plan = plan_narration(source, out / f"{source.stem}.mp3", Options())
            render(plan, synthesizer, cache)


def pipeline_speeds(text: str, cache: Path) -> tuple[float, float]:
    """x real time of a worker's own share of a document (layout and MP3 encoding on one
    encoder process, from a warm cache) and of the client's share when documents are the unit
    (reading and planning it)."""
    from audio_edition import LocalPool, Options, plan_narration, render
    from audio_edition.narration.render import open_cache

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "text.txt"
        source.write_text(text, encoding="utf-8")
        started = time.monotonic()
        plan = plan_narration(source, Path(folder) / "out.mp3", Options())
        planning = time.monotonic() - started
        with LocalPool(1) as pool:
            started = time.monotonic()
            edition = render(plan, pool, open_cache(cache, True), encoders=1)
            laying_out = time.monotonic() - started
    assert edition.synthesized == 0, "the cache was not warm"
    return edition.duration_seconds / laying_out, edition.duration_seconds / planning


def task_overhead(clip_bytes: int, tasks: int = 2000) -> tuple[float, float]:
    """Milliseconds of wall per task, empty and bringing back `clip_bytes`, through a
    LocalCluster of 2 with a window of 16 in flight (as the synthesizer keeps)."""
    import distributed

    results = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:  # fmt: skip
        for size in (0, clip_bytes):
            started = time.monotonic()
            window: list = []
            for index in range(tasks):
                window.append(client.submit(bytes, size, key=f"t-{size}-{index}", pure=False))
                if len(window) >= 16:
                    window.pop(0).result()
            for future in window:
                future.result()
            results.append((time.monotonic() - started) * 1000 / tasks)
    return results[0], results[1]


def engine_speed(engine: str, text: str) -> tuple[float, int, int]:
    """One worker's speed (audio seconds per second of wall, engine start excluded), its clips
    and their PCM bytes."""
    from audio_edition import LocalPool, Options, VoiceOptions, plan_narration
    from audio_edition.speak.clips import clip_requests
    from audio_edition.speak.ledger import ClipLedger

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "text.txt"
        source.write_text(text, encoding="utf-8")
        plan = plan_narration(source, Path(folder) / "x.wav",
                              Options(voice=VoiceOptions(engine=engine)))  # fmt: skip
    requests = clip_requests(plan.document)
    with LocalPool(1) as pool:
        warm = list(pool.synthesize(requests[:1], ClipLedger(plan.synthesis)))  # start the engine
        started = time.monotonic()
        clips = list(pool.synthesize(requests, ClipLedger(plan.synthesis)))
        wall = time.monotonic() - started
    del warm
    samples = sum(len(clip.audio.samples) for clip in clips)
    audio = sum(clip.audio.seconds for clip in clips)
    return audio / wall, len(clips), samples


@dataclass(frozen=True)
class ModelInputs:
    """What the model of scaling is made from, each measured here."""

    engine_rates: dict[str, float]
    """One worker's speech, x real time, by engine."""
    client_rate: float
    """The client's layout, encoding and writing (clips as the unit), x real time."""
    worker_pipeline_rate: float
    """One worker's layout and encoding on one process (documents as the unit)."""
    planning_rate: float
    """The client's reading and planning (documents as the unit)."""
    task_ms: float
    """Round trip of one clip task, its PCM included."""
    clip_seconds: float
    """Speech in a mean clip."""


def model_rows(inputs: ModelInputs) -> list[str]:
    """Throughput against worker count, by engine and unit of work: each worker adds its
    measured rate until the client, the scheduler or the link is the limit."""
    pcm_link = LINK_MB_PER_S * 1e6 / (22050 * 2)  # x real time the link carries in PCM
    mp3_link = LINK_MB_PER_S * 1e6 / (192_000 / 8)  # ... and in 192 kbps MP3
    clip_limits = {"client": inputs.client_rate, "link": pcm_link,
                   "scheduler": inputs.clip_seconds / (inputs.task_ms / 1000)}  # fmt: skip
    document_limits = {"client": inputs.planning_rate, "link": mp3_link}
    columns = []
    for engine, rate in inputs.engine_rates.items():
        per_document_worker = 1 / (1 / rate + 1 / inputs.worker_pipeline_rate)
        columns.append((f"{engine}, clips", rate, clip_limits))
        columns.append((f"{engine}, documents", per_document_worker, document_limits))
    lines = ["| workers | " + " | ".join(name for name, _, _ in columns) + " |",
             "| ---: |" + " ---: |" * len(columns)]  # fmt: skip
    for workers in (1, 2, 4, 8, 16, 32, 64, 128, 256):
        cells = []
        for _, rate, limits in columns:
            limit = min(limits, key=lambda name: limits[name])
            value = workers * rate
            cells.append(f"{limits[limit]:.0f} ({limit})" if value >= limits[limit]
                         else f"{value:.0f}")  # fmt: skip
        lines.append(f"| {workers} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=10000)
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=1, help="runs of every timed case")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    paragraphs = corpus()
    long_text = document(paragraphs, args.words)
    with tempfile.TemporaryDirectory(prefix="audio-edition-cluster-") as folder:
        work = Path(folder)
        (work / "long.txt").write_text(long_text, encoding="utf-8")
        docs = work / "docs"
        docs.mkdir()
        rest = paragraphs[len(long_text.split("\n\n")) :]
        for index in range(args.documents):  # short articles of 2 paragraphs each
            (docs / f"doc-{index:02d}.txt").write_text(
                "\n\n".join(rest[2 * index : 2 * index + 2]) + "\n", encoding="utf-8"
            )
        sources = sorted(docs.iterdir())
        cache = ["--cache-dir", str(work / "cache"), "--force"]
        batch_out = [work / "batch" / f"{s.stem}.mp3" for s in sources]
        cases = {
            "jobs 2": ([[*CLI, "narrate", "long.txt", "-o", "long.mp3", "--jobs", "2", *cache]],
                       [work / "long.mp3"]),
            "cluster 2": ([[*CLI, "narrate", "long.txt", "-o", "long.mp3", "--cluster",
                            "local:2", *cache]], [work / "long.mp3"]),
            "separate": ([[*CLI, "narrate", str(s), "-o", str(out), *cache]
                          for s, out in zip(sources, batch_out, strict=True)], batch_out),
            "batch": ([[*CLI, "batch", "docs", "--output-dir", "batch", *cache]], batch_out),
            "batch cluster": ([[*CLI, "batch", "docs", "--output-dir", "batch", "--cluster",
                                "local:2", *cache]], batch_out),
            "clips": ([[sys.executable, __file__, "--clips-as-unit", str(docs),
                        str(work / "batch")]], batch_out),
        }  # fmt: skip
        runs: dict[str, list[Case]] = {name: [] for name in cases}
        for _ in range(args.repeat):
            for name, (commands, outputs) in cases.items():
                runs[name].append(measure(name, commands, work, outputs))
        timed = {
            name: sorted(r, key=lambda c: c.wall)[(len(r) - 1) // 2] for name, r in runs.items()
        }
        # the client alone: the long text again from the cache the cluster run filled
        run([[*CLI, "narrate", "long.txt", "-o", "long.mp3", "--cluster", "local:2",
              "--cache-dir", str(work / "cache"), "--force"]], work)  # fmt: skip
        client_wall, _, _, client_err = run(
            [[*CLI, "narrate", "long.txt", "-o", "long.mp3", "--cache-dir",
              str(work / "cache"), "--force"]], work)  # fmt: skip
        client_audio = audio_seconds(work / "long.mp3")
        worker_pipeline_rate, planning_rate = pipeline_speeds(long_text, work / "cache")
    sample_text = document(paragraphs, 400)
    espeak_rate, clips, pcm = engine_speed("pyttsx3", sample_text)
    piper_rate, _, _ = engine_speed("piper", sample_text)
    clip_bytes = pcm // clips
    empty_ms, clip_ms = task_overhead(clip_bytes)
    inputs = ModelInputs(
        engine_rates={"eSpeak NG": espeak_rate, "Piper": piper_rate},
        client_rate=client_audio / client_wall, worker_pipeline_rate=worker_pipeline_rate,
        planning_rate=planning_rate, task_ms=clip_ms, clip_seconds=clip_bytes / 2 / 22050,
    )  # fmt: skip
    write_sections(args.output, section(timed, args, inputs, client_wall, clip_bytes, empty_ms,
                                        client_err))  # fmt: skip
    print((args.output).read_text(encoding="utf-8").partition(SECTION)[2])


def section(timed, args, inputs: ModelInputs, client_wall, clip_bytes, empty_ms,
            client_err) -> str:  # fmt: skip
    found = SUMMARY.search(client_err)
    lines = [
        SECTION, "",
        f"Run {time.strftime('%Y-%m-%d')} with `bench/cluster.py` on {machine()}; "
        f"eSpeak NG, default voice, MP3, an empty clip cache for every case; "
        f"{args.repeat} run(s) of each, interleaved, the median shown.", "",
        "| case | wall s | CPU s | audio min | x real time | ratio |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]  # fmt: skip
    ratios = {
        "cluster 2": ("jobs 2", "cluster / jobs 2"),
        "batch": ("separate", "batch / separate"),
        "batch cluster": ("batch", "/ local batch"),
        "clips": ("batch cluster", "/ documents as unit"),
    }
    for name, case in timed.items():
        base = ratios.get(name)
        ratio = f"{case.wall / timed[base[0]].wall:.2f} {base[1]}" if base else ""
        lines.append(f"| {name} | {case.wall:.1f} | {case.cpu:.1f} | {case.audio_seconds / 60:.1f}"
                     f" | {case.audio_seconds / case.wall:.0f} | {ratio} |")  # fmt: skip
    rates = ", ".join(f"{name} at {rate:.0f}x" for name, rate in inputs.engine_rates.items())
    lines += [
        "",
        f"Model inputs, measured here. A clip task's round trip through a LocalCluster of 2 with "
        f"16 in flight: {empty_ms:.2f} ms empty, {inputs.task_ms:.2f} ms bringing back a mean "
        f"clip ({clip_bytes / 1000:.0f} kB, {inputs.clip_seconds:.1f} s of speech; 22,050 Hz "
        f"16-bit PCM is {22050 * 2 * 60 / 1e6:.2f} MB a minute). One worker speaks {rates} "
        f"real time. The client's share with clips as the unit (the {args.words:,} words from a "
        f"warm cache" + (f", {found[1]} clips" if found else "") + ": read, lay out, encode MP3 "
        f"on 2 processes, tag, write): {inputs.client_rate:.0f}x real time "
        f"({client_wall:.1f} s). A worker's share with documents as the unit (lay out and "
        f"encode on one process): {inputs.worker_pipeline_rate:.0f}x; the client's (read and "
        f"plan): {inputs.planning_rate:.0f}x. The link is taken as 1 Gbit/s "
        f"({LINK_MB_PER_S:.0f} MB/s).",
        "",
        "Throughput (x real time) against worker count (one core each), with what limits it:",
        "",
        *model_rows(inputs),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--clips-as-unit"]:
        clips_as_unit(sorted(Path(sys.argv[2]).iterdir()), Path(sys.argv[3]))
    else:
        main()
