"""The obvious loop, for comparison: pyttsx3 save_to_file per paragraph, pydub `+=`, export.

Usage: python bench/naive_loop.py TEXT OUTPUT.mp3 RATE VOICE

This is what most tools in the field do. It is quadratic in the length of the book (every `+=`
copies everything so far) and, with pyttsx3 2.99 on Linux, silently loses the first
paragraph. It is kept only to be measured.
"""

import os
import sys
import tempfile

import pyttsx3
from pydub import AudioSegment


def main() -> None:
    text_path, output, rate, voice = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    with open(text_path, encoding="utf-8") as handle:
        paragraphs = [p for p in handle.read().split("\n\n") if p.strip()]
    engine = pyttsx3.init()
    engine.setProperty("voice", voice)
    engine.setProperty("rate", rate)
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, paragraph in enumerate(paragraphs):
            path = os.path.join(folder, f"{index}.wav")
            engine.save_to_file(paragraph, path)
            engine.runAndWait()
            paths.append(path)
        out = AudioSegment.empty()
        for path in paths:
            if os.path.exists(path):
                out += AudioSegment.from_wav(path) + AudioSegment.silent(900)
    out.export(output, format="mp3", bitrate="192k", parameters=["-ar", "44100", "-ac", "1"])


if __name__ == "__main__":
    main()
