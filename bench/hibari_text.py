"""What hibari reads better: audio-edition's normalized text, or the text as written.

    .venv/bin/python bench/hibari_text.py [--output bench/RESULTS.md]

hibari has its own English front end (lexicons and a small model for unknown words), so it
might read "$4.5 million" or "3 March 2024" itself. Each paragraph of bench/texts/numbers.txt
(dates, money, titles, rare names) and of bench/texts/narrators.md (a table, read a row at a
time) is spoken by hibari's heart twice, once as written and once as audio-edition's
Normalizer speaks it, and heard by the proof model (faster-whisper tiny English); the word
error rate is against the written text, both sides in comparable words. The section
"## hibari: normalized or raw text" of bench/RESULTS.md is replaced.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import soxr
from run import ROOT, machine, write_sections

from audio_edition import read_document
from audio_edition.engines import VoiceSettings, load_engine
from audio_edition.verify.hearing import WHISPER_RATE, transcribe
from audio_edition.verify.proof import word_error_rate

SECTION = "## hibari: normalized or raw text"
TEXTS = (ROOT / "bench" / "texts" / "numbers.txt", ROOT / "bench" / "texts" / "narrators.md")


def heard(engine, text: str) -> str:
    """What the proof model hears when hibari says `text`."""
    audio = engine.synthesize(text)
    samples = np.frombuffer(audio.samples, dtype="<i2").astype(np.float32) / 32768
    samples = soxr.resample(samples, audio.sample_rate, WHISPER_RATE)
    return " ".join(segment.text for segment in transcribe(samples))


def measure(path: Path, engine) -> dict[str, float]:
    """Word error rate over every paragraph of `path`, as written and as normalized."""
    document = read_document(path)
    errors = {"as written": [], "normalized": []}
    for paragraph in document.paragraphs:
        words = len(paragraph.text.split())
        for mode, text in (("as written", paragraph.text), ("normalized", paragraph.spoken)):
            rate = word_error_rate(paragraph.text, heard(engine, text))
            errors[mode].append((rate, words))
            print(f"{path.name} {mode:<10} {rate:.3f}  {paragraph.text[:50]}", file=sys.stderr)
    return {mode: sum(r * w for r, w in found) / sum(w for _, w in found)
            for mode, found in errors.items()}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    engine = load_engine("hibari")(VoiceSettings(None, 160))
    lines = [
        SECTION, "",
        f"Run {time.strftime('%Y-%m-%d')} with `bench/hibari_text.py` on {machine()}: each "
        "paragraph spoken by hibari's heart as written and as audio-edition's Normalizer "
        "speaks it, heard by faster-whisper tiny English; word error rate against the written "
        "text, weighted by words.", "",
        "| text | words | WER as written | WER normalized |",
        "| --- | ---: | ---: | ---: |",
    ]  # fmt: skip
    for path in TEXTS:
        rates = measure(path, engine)
        words = len(read_document(path).text.split())
        lines.append(f"| {path.name} | {words} | {rates['as written']:.3f} | "
                     f"{rates['normalized']:.3f} |")  # fmt: skip
    table = "\n".join(lines) + "\n"
    write_sections(args.output, table)
    print(table)


if __name__ == "__main__":
    main()
