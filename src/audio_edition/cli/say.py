"""`audio-edition say`: one line spoken, to hear a voice before a long run."""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from audio_edition.cli.exits import EXIT_OK
from audio_edition.cli.options import (
    add_field,
    add_voice_options,
    language,
    narration_options,
    typed,
)
from audio_edition.errors import UsageError
from audio_edition.narration.plan import Options, OutputOptions, VoiceOptions
from audio_edition.narration.render import open_cache, say_line

HELP = "speak one line, to hear a voice: into a file, or as WAV to standard output"
DESCRIPTION = (
    "Speak one line as narrate would, with the same voice options. The output's extension "
    "picks the format; -o - (the default) writes WAV to standard output, for a player: "
    "audio-edition say 'Hello there.' | aplay"
)
MAX_SAY_CHARACTERS = 2_000
"""The longest text say speaks: a line or two; a document is narrated instead."""
TO_STANDARD_OUTPUT = "-"


@dataclass(frozen=True)
class SayArgs:
    """say's command line."""

    text: str
    output: str
    options: Options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", help=f"what to say (at most {MAX_SAY_CHARACTERS:,} characters)")
    parser.add_argument(
        "-o", "--output", default=TO_STANDARD_OUTPUT, metavar="FILE",
        help="file to write, the extension its format (.wav, .mp3, ...; default: - for WAV on "
        "standard output)",
    )  # fmt: skip
    add_field(parser, OutputOptions, "force", "-f", "--force", action="store_true",
              help="replace the output file if it exists")  # fmt: skip
    add_voice_options(parser)
    add_field(parser, VoiceOptions, "lang", "--lang", type=language,
              help="language to speak in, e.g. en, fr: picks a voice (unless --voice)")  # fmt: skip


def run(namespace: argparse.Namespace) -> int:
    args = typed(SayArgs, namespace, options=narration_options(namespace))
    say(args.text, args.output, args.options)
    return EXIT_OK


def say(text: str, output: str | Path, options: Options) -> None:
    """`text` spoken into the file `output`, or as WAV to standard output for "-"."""
    if not any(character.isalnum() for character in text):
        raise UsageError("nothing to say: the text has no word")
    if len(text) > MAX_SAY_CHARACTERS:
        raise UsageError(f"say speaks at most {MAX_SAY_CHARACTERS:,} characters, not "
                         f"{len(text):,}: narrate a file instead")  # fmt: skip
    to_standard_output = str(output) == TO_STANDARD_OUTPUT
    if to_standard_output and sys.stdout.isatty():
        raise UsageError("standard output is a terminal: give -o FILE (e.g. -o hello.wav), or "
                         "pipe it to a player: audio-edition say 'Hello.' | aplay")  # fmt: skip
    cache = open_cache(None, use_cache=True)
    if not to_standard_output:
        say_line(text, Path(output), options, cache)
        return
    with tempfile.TemporaryDirectory(prefix="audio-edition-say-") as folder:
        destination = Path(folder) / "say.wav"
        say_line(text, destination, options, cache)
        sys.stdout.buffer.write(destination.read_bytes())
