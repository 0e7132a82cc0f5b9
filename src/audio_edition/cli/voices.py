"""`audio-edition voices`: the installed voices of every engine, as a table."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from audio_edition.cli.exits import EXIT_OK
from audio_edition.cli.options import add_voice_dir, language, typed
from audio_edition.engines import Voice, check_voice_dir, engine_names, load_engine, speaks

HELP = "list the installed voices of every engine"
DESCRIPTION = (
    "List the voices of every installed engine: engine, voice id (what --voice takes), "
    "language, gender or quality where known, and name."
)
HEADER = ("ENGINE", "VOICE", "LANGUAGE", "DETAILS", "NAME")


@dataclass(frozen=True)
class VoicesArgs:
    """voices' command line."""

    lang: str | None
    engine: str | None
    voice_dir: Path | None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", type=language, help='only voices for this language, e.g. "en"')
    parser.add_argument(
        "--engine", default=None, choices=engine_names() or None,
        help="only this engine's voices (default: every installed engine)",
    )  # fmt: skip
    add_voice_dir(parser)


def run(namespace: argparse.Namespace) -> int:
    args = typed(VoicesArgs, namespace)
    check_voice_dir(args.voice_dir)
    rows = [HEADER, *_rows(args)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER) - 1)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
              + "  " + row[-1])  # fmt: skip
    return EXIT_OK


def _rows(args: VoicesArgs) -> list[tuple[str, ...]]:
    """A row per voice asked for, as HEADER says."""
    names = [args.engine] if args.engine else engine_names()
    return [
        (name, voice.id, ", ".join(voice.languages),
         ", ".join(d for d in (voice.gender, voice.quality) if d), voice.name)
        for name in names for voice in _voices(name, args)
        if args.lang is None or speaks(voice, args.lang)
    ]  # fmt: skip


def _voices(name: str, args: VoicesArgs) -> list[Voice]:
    """The voices of the engine `name`: none for an engine not listed unless asked for; for
    a broken one (a plug-in) a line, unless asked for, so it hides no other."""
    try:
        engine = load_engine(name)
        if not args.engine and not engine.listed:
            return []
        return engine.voices(args.voice_dir)
    except Exception as error:
        if args.engine:
            raise
        print(f"audio-edition: {name}: {error}", file=sys.stderr)
        return []
