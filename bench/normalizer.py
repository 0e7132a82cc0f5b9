"""Text normalization: audio-edition's own against NeMo's WFST grammars.

    .venv/bin/python bench/normalizer.py [--nemo-python /tmp/nemo-venv/bin/python]

Times audio-edition's Normalizer on the sentences of bench/run.py's 10k-word document (the
best of 5 passes). With --nemo-python, the interpreter of a separate virtual environment
holding `nemo-text-processing` (it is not a dependency: `python -m venv /tmp/nemo-venv &&
/tmp/nemo-venv/bin/pip install nemo-text-processing`), it also times NeMo's English
normalizer there: building its grammars with an empty cache, loading them from the cache, and
normalizing the same sentences; and it reports the size of that environment. The section
"## Normalizer" of bench/RESULTS.md is replaced.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import ROOT, corpus, document, machine, write_sections

SECTION = "## Normalizer"
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


def ours(texts: list[str]) -> float:
    """Seconds for the whole list, best of 5."""
    from audio_edition.text.normalize import Normalizer

    best = float("inf")
    for _ in range(5):
        normalizer = Normalizer("en")
        started = time.perf_counter()
        for text in texts:
            normalizer.spoken_form(text)
        best = min(best, time.perf_counter() - started)
    return best


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
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    texts = sentences(args.words)
    own = ours(texts)
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
