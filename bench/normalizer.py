"""Text normalization: audio-edition's own against NeMo's WFST grammars.

    .venv/bin/python bench/normalizer.py [--nemo-python /tmp/nemo-venv/bin/python]
    .venv/bin/python bench/normalizer.py --against REV [--rounds 5]

Times audio-edition's Normalizer on the sentences of bench/run.py's 10k-word document (each
timing is a fresh process's best of 5 passes; the best of --rounds such processes is kept).
With --against REV, a git revision of this repository, `git archive REV src` is extracted to a
temporary folder and its Normalizer is timed the same way, its processes interleaved with the
working tree's, and both are reported with their ratio in the section "## Normalizer against a
revision" (issue 29's bound: no more than 2x the time before); nothing else is timed then.

With --nemo-python, the interpreter of a separate virtual environment holding
`nemo-text-processing` (it is not a dependency: `python -m venv /tmp/nemo-venv &&
/tmp/nemo-venv/bin/pip install nemo-text-processing`), it also times NeMo's English
normalizer there: building its grammars with an empty cache, loading them from the cache, and
normalizing the same sentences; and it reports the size of that environment. The section
"## Normalizer" of bench/RESULTS.md is replaced.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from run import ROOT, corpus, document, machine, write_sections

sys.path.insert(0, str(ROOT / "src"))  # this tree's code, whatever the environment installed

SECTION = "## Normalizer"
AGAINST_SECTION = "## Normalizer against a revision"
PASSES = 5
OURS_TIMING = f"""
import json, sys, time
from audio_edition.text.normalize import Normalizer
texts = json.load(sys.stdin)
best = float("inf")
for _ in range({PASSES}):
    normalizer = Normalizer("en")
    started = time.perf_counter()
    for text in texts:
        normalizer.spoken_form(text)
    best = min(best, time.perf_counter() - started)
print(best)
"""
NEMO_TIMING = """
import json, sys, time
sentences = json.load(sys.stdin)
started = time.monotonic()
from nemo_text_processing.text_normalization.normalize import Normalizer
imported = time.monotonic() - started
started = time.monotonic()
normalizer = Normalizer(input_case="cased", lang="en", cache_dir=sys.argv[1])
built = time.monotonic() - started
started = time.monotonic()
for sentence in sentences:
    normalizer.normalize(sentence, punct_post_process=True)
print(json.dumps({"import": imported, "grammars": built, "sentences": time.monotonic() - started}))
"""


def sentences(words: int) -> list[str]:
    from audio_edition.text.segment import join_lines, split_sentences

    text = document(corpus(), words)
    return [s for p in text.split("\n\n") for s in split_sentences(join_lines(p))]


def ours(src: Path, texts: list[str]) -> float:
    """Seconds for the whole list by the Normalizer in `src`, a fresh process's best pass."""
    done = subprocess.run(
        [sys.executable, "-c", OURS_TIMING], input=json.dumps(texts), text=True,
        capture_output=True, check=True, env={**os.environ, "PYTHONPATH": str(src)},
    )  # fmt: skip
    return float(done.stdout)


def against(revision: str, texts: list[str], rounds: int) -> tuple[float, float]:
    """Best seconds of the working tree's code and of `revision`'s, timed in turn."""
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", revision, "src"], capture_output=True,
            check=True,
        ).stdout  # fmt: skip
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        now = before = float("inf")
        for _ in range(rounds):
            now = min(now, ours(ROOT / "src", texts))
            before = min(before, ours(Path(folder) / "src", texts))
    return now, before


def against_table(revision: str, texts: list[str], words: int, rounds: int) -> list[str]:
    now, before = against(revision, texts, rounds)
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
        text=True, check=True,
    ).stdout.strip()  # fmt: skip
    return [
        AGAINST_SECTION, "",
        f"Run {time.strftime('%Y-%m-%d')} with `bench/normalizer.py --against {revision}` on "
        f"{machine()}: the {len(texts)} sentences of the {words:,}-word document, each code in "
        f"its own processes, {rounds} interleaved rounds, each the best of {PASSES} passes; the "
        "best round is kept.", "",
        "| code | all sentences s | per sentence ms |",
        "| --- | ---: | ---: |",
        f"| {revision} | {before:.3f} | {before / len(texts) * 1000:.3f} |",
        f"| working tree ({head}) | {now:.3f} | {now / len(texts) * 1000:.3f} |",
        "",
        f"Working tree / {revision}: {now / before:.2f}x (issue 29 allows at most 2x).",
    ]  # fmt: skip


def nemo(python: str, texts: list[str]) -> tuple[dict[str, float], dict[str, float], int]:
    """NeMo's timings with an empty grammar cache, then with it filled; its venv's size."""
    with tempfile.TemporaryDirectory() as cache:
        runs = []
        for _ in range(2):  # the first builds the grammars into the cache, the second loads them
            done = subprocess.run(
                [python, "-c", NEMO_TIMING, cache], input=json.dumps(texts), text=True,
                capture_output=True, check=True,
            )  # fmt: skip
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    venv = Path(python).resolve().parent.parent
    size = int(subprocess.run(["du", "-sb", str(venv)], capture_output=True, text=True,
                              check=True).stdout.split()[0])  # fmt: skip
    return runs[0], runs[1], size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=10000)
    parser.add_argument("--nemo-python", help="a Python with nemo-text-processing installed")
    parser.add_argument("--against", metavar="REV", help="also time this git revision's code")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (--against)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    texts = sentences(args.words)
    if args.against:
        table = "\n".join(against_table(args.against, texts, args.words, args.rounds)) + "\n"
        write_sections(args.output, table)
        print(table, file=sys.stderr)
        return
    own = min(ours(ROOT / "src", texts) for _ in range(args.rounds))
    lines = [
        SECTION, "",
        f"Run {time.strftime('%Y-%m-%d')} with `bench/normalizer.py` on {machine()}: the "
        f"{len(texts)} sentences of the {args.words:,}-word document.", "",
        "| normalizer | grammars s | per sentence ms | all sentences s | install |",
        "| --- | ---: | ---: | ---: | --- |",
        f"| audio-edition | | {own / len(texts) * 1000:.3f} | {own:.3f} | part of the package |",
    ]  # fmt: skip
    if args.nemo_python:
        cold, warm, size = nemo(args.nemo_python, texts)
        lines += [
            f"| NeMo, empty cache | {cold['grammars']:.1f} | "
            f"{cold['sentences'] / len(texts) * 1000:.1f} | {cold['sentences']:.1f} | "
            f"{size / 1e9:.2f} GB venv |",
            f"| NeMo, cached grammars | {warm['grammars']:.1f} | "
            f"{warm['sentences'] / len(texts) * 1000:.1f} | {warm['sentences']:.1f} | |",
        ]
    table = "\n".join(lines) + "\n"
    write_sections(args.output, table)
    print(table, file=sys.stderr)


if __name__ == "__main__":
    main()
