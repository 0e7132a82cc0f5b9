"""Encoding alone: one ffmpeg process against segments on 1, 2 and 4, and what LAME's quality
setting costs a listener.

    .venv/bin/python bench/encode.py [--words 10000] [--repeat 3] [--output bench/RESULTS.md]

Speed: the floor's WAV of a document of about --words words (`espeak-ng -w`, resampled once to
44.1 kHz mono 16-bit PCM) is encoded to MP3 192 kbps by

  alimiter     one ffmpeg process with `-af alimiter` and LAME's default quality (what
               audio-edition did before segments)
  one          one ffmpeg process, LAME's default quality
  one q7       one ffmpeg process, `-compression_level 7`
  segments xN  audio_edition.encode.segmented on N processes (the shipped settings)

side by side, interleaved, --repeat times; each row is the run with the median wall time.

Quality: the example review with prose up to about 1,000 words is narrated once to WAV with
eSpeak NG, and that PCM is encoded in segments at LAME's default quality and at the shipped
one. For each: the error against the PCM (whole-file SNR, and the worst 26 ms window among
loud ones), the proof model's word error rate, and the ACX check.
The tables replace the "## Encoding" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from run import ESPEAK_VOICE, RATE, ROOT, corpus, document, machine, run, write_sections

SECTION = "## Encoding"
SEGMENTED = """
import sys
from pathlib import Path
from audio_edition.encode.segmented import aac_encoder, mp3_encoder
source, target, encoders, quality = sys.argv[1:5]
if target.endswith(".m4a"):
    made = aac_encoder(Path(target), 44100, int(encoders))
else:
    made = mp3_encoder(Path(target), 44100, int(encoders),
                       quality=None if quality == "default" else int(quality))
with made as encoder:
    with open(source, "rb") as pcm:
        while chunk := pcm.read(1 << 20):
            encoder.write(chunk)
"""


def pcm_command(source: Path, target: Path, *extra: str) -> list[str]:
    return ["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", "44100", "-ac", "1",
            "-i", str(source), *extra, "-c:a", "libmp3lame", "-b:a", "192k",
            str(target)]  # fmt: skip


def segmented_command(source: Path, target: Path, encoders: int, quality: str) -> list[str]:
    return [sys.executable, "-c", SEGMENTED, str(source), str(target), str(encoders), quality]


def speed(
    words: int, repeat: int, aac_minutes: float, work: Path
) -> tuple[list[dict[str, float | str]], float]:
    text = document(corpus(), words)
    (work / "doc.txt").write_text(text, encoding="utf-8")
    run([["espeak-ng", "-v", ESPEAK_VOICE, "-s", str(RATE), "-w", "floor.wav", "-f", "doc.txt"],
         ["ffmpeg", "-v", "error", "-y", "-i", "floor.wav", "-ar", "44100", "-ac", "1",
          "-f", "s16le", "floor.pcm"]], work)  # fmt: skip
    pcm = work / "floor.pcm"
    audio_seconds = pcm.stat().st_size / 2 / 44100
    aac_pcm = work / "aac.pcm"  # AAC encodes at ~30x real time: a shorter stretch of the same
    with pcm.open("rb") as whole:
        aac_pcm.write_bytes(whole.read(int(aac_minutes * 60 * 44100) * 2))
    limit = "alimiter=limit=0.6310:attack=5:release=50:level=0:latency=1"
    cases = {
        "alimiter": [pcm_command(pcm, work / "a.mp3", "-af", limit)],
        "one": [pcm_command(pcm, work / "b.mp3")],
        "one q7": [pcm_command(pcm, work / "c.mp3", "-compression_level", "7")],
        **{f"segments x{n}": [segmented_command(pcm, work / f"s{n}.mp3", n, "7")]
           for n in (1, 2, 4)},
        "aac one": [["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", "44100", "-ac", "1",
                     "-i", str(aac_pcm), "-c:a", "aac", "-b:a", "128k", str(work / "a.m4a")]],
        **{f"aac segments x{n}": [segmented_command(aac_pcm, work / f"s{n}.m4a", n, "-")]
           for n in (1, 2, 4)},
    }  # fmt: skip
    runs: dict[str, list[tuple[float, float, float]]] = {case: [] for case in cases}
    for _ in range(repeat):
        for case, commands in cases.items():
            wall, cpu, peak, _ = run(commands, work)
            print(f"{case:<12} {wall:6.1f} s", file=sys.stderr)
            runs[case].append((wall, cpu, peak))
    rows = []
    for case, measured in runs.items():
        wall, cpu, _ = sorted(measured)[(len(measured) - 1) // 2]
        rows.append({"case": case, "wall": wall, "cpu": cpu})
    return rows, audio_seconds


def quality(work: Path) -> list[dict[str, float | str]]:
    from audio_edition import narrate
    from audio_edition.encode.decode import decode
    from audio_edition.verify.check import check

    review = (ROOT / "examples" / "twilight-serenade.txt").read_text(encoding="utf-8")
    prose = document(corpus(), 1000 - len(review.split()))
    source = work / "quality.txt"
    source.write_text(review.rstrip() + "\n\n" + prose, encoding="utf-8")
    edition = narrate(source, work / "quality.wav", voice="gmw/en-us", rate=RATE,
                      manifest=True, force=True, use_cache=False)  # fmt: skip
    written = " ".join(p.text for p in edition.document.paragraphs)
    original = decode(edition.path, 44100, sample_type="int16").astype(np.float64)
    (work / "quality.pcm").write_bytes(original.astype("<i2").tobytes())
    rows = []
    for label, setting in (("LAME default", "default"), ("-q 7 (shipped)", "7")):
        target = work / f"quality-{setting}.mp3"
        run([segmented_command(work / "quality.pcm", target, 2, setting)], work)
        result = decode(target, 44100, sample_type="int16").astype(np.float64)
        error = result - original
        window = 1152
        worst = 0.0
        for start in range(0, len(original) - window, window):
            signal = np.sqrt(np.mean(original[start : start + window] ** 2))
            if signal > 0.01 * 32768:
                noise = np.sqrt(np.mean(error[start : start + window] ** 2))
                worst = max(worst, noise / signal)
        started = time.monotonic()
        wer = paragraph_wer(target, spans(edition), written)
        print(f"{label}: listened in {time.monotonic() - started:.0f} s", file=sys.stderr)
        report = check(target)
        rows.append({
            "setting": label,
            "snr": 10 * np.log10(np.sum(original**2) / np.sum(error**2)),
            "worst": 20 * np.log10(worst),
            "wer": wer,
            "acx": "pass" if report.passed else "FAIL",
            "rms": report.levels.rms_db, "peak": report.levels.peak_db,
            "true_peak": report.levels.true_peak_db,
        })  # fmt: skip
    rows.append(
        {
            "setting": "the PCM itself (WAV)",
            "wer": paragraph_wer(edition.path, spans(edition), written),
        }
    )
    return rows


def spans(edition) -> list[tuple[int, int]]:
    """Each paragraph's start and end in milliseconds."""
    return [(p.start_ms, p.end_ms) for p in edition.timed_paragraphs]


def paragraph_wer(path: Path, paragraphs: list[tuple[int, int]], written: str) -> float:
    """Word error rate with each paragraph (its start and end in ms) transcribed on its own,
    so one misheard window cannot derail the model for the rest of the file."""
    from audio_edition.encode.decode import decode
    from audio_edition.verify.hearing import WHISPER_RATE, transcribe
    from audio_edition.verify.proof import word_error_rate

    samples = decode(path, WHISPER_RATE)
    heard = []
    for start_ms, end_ms in paragraphs:
        start = max(0, (start_ms - 300) * WHISPER_RATE // 1000)
        end = (end_ms + 300) * WHISPER_RATE // 1000
        heard += [segment.text for segment in transcribe(samples[start:end])]
    return word_error_rate(written, " ".join(heard))


def section(speed_rows, audio_seconds, aac_minutes, words, repeat, quality_rows) -> str:
    walls = {r["case"]: r["wall"] for r in speed_rows}
    lines = [
        SECTION, "",
        f"Run {time.strftime('%Y-%m-%d')} with `bench/encode.py` on {machine()}: the floor's WAV "
        f"of {words} words ({audio_seconds / 60:.1f} min), encoded to MP3 192 kbps, and its "
        f"first {aac_minutes:.0f} min to AAC 128 kbps in MP4; {repeat} runs each, interleaved, "
        "median shown. CPU s includes every process (their peak memory is not shown: it would "
        "be this script's own, inherited at fork). Speed-up is against segments "
        "on one process of the same codec; the last column against the one-process encoder "
        "audio-edition used before (MP3: with alimiter).", "",
        "| case | wall s | CPU s | x real time | speed-up vs x1 | wall / before |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]  # fmt: skip
    for r in speed_rows:
        aac = str(r["case"]).startswith("aac")
        seconds = aac_minutes * 60 if aac else audio_seconds
        base = walls["aac segments x1" if aac else "segments x1"]
        before = walls["aac one" if aac else "alimiter"]
        lines.append(
            f"| {r['case']} | {r['wall']:.1f} | {r['cpu']:.1f} | "
            f"{seconds / r['wall']:.0f} | {base / r['wall']:.2f} | {r['wall'] / before:.2f} |"
        )
    lines += [
        "", "What the quality setting costs a listener: the example review with prose, 1,007 "
        "words narrated by eSpeak NG, encoded in segments on 2 processes. SNR and the worst "
        "window are the error against the PCM; WER is the proof model's word error rate.", "",
        "| LAME setting | SNR dB | worst window dB | WER | ACX | RMS dB | peak dB "
        "| true peak dBTP |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]  # fmt: skip
    for r in quality_rows:
        if "snr" not in r:
            lines.append(f"| {r['setting']} | | | {r['wer']:.3f} | | | | |")
            continue
        lines.append(
            f"| {r['setting']} | {r['snr']:.1f} | {r['worst']:.1f} | {r['wer']:.3f} | "
            f"{r['acx']} | {r['rms']:.1f} | {r['peak']:.1f} | {r['true_peak']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--aac-minutes", type=float, default=15.0, help="audio encoded to AAC")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="audio-edition-encode-") as folder:
        work = Path(folder)
        speed_rows, audio_seconds = speed(args.words, args.repeat, args.aac_minutes, work)
        quality_rows = quality(work)
    table = section(
        speed_rows, audio_seconds, args.aac_minutes, args.words, args.repeat, quality_rows
    )
    write_sections(args.output, table)
    print(table)


if __name__ == "__main__":
    main()
