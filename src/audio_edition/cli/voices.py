"""`audio-edition voices`: the installed voices of every engine, as a table."""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from audio_edition.cli.exits import EXIT_OK
from audio_edition.cli.options import add_voice_dir, language, typed
from audio_edition.cli.say import say
from audio_edition.engines import (
    Voice,
    best_voice,
    check_voice_dir,
    engine_names,
    load_engine,
    present_voices,
    speaks,
)
from audio_edition.errors import UsageError, shown
from audio_edition.narration.plan import Options, OutputOptions, VoiceOptions

HELP = "list the installed voices of every engine"
DESCRIPTION = (
    "List the voices of every installed engine: engine, voice id (what --voice takes), "
    "language, gender or quality where known, and name."
)
HEADER = ("ENGINE", "VOICE", "LANGUAGE", "DETAILS", "NAME")
SAMPLE_TEXT = (
    "This is {name}. On the third of March, at half past seven, 1,250 listeners heard the "
    "first chapter; the second follows on Friday."
)
"""What each voice says in its sample (in English, whatever the voice's language)."""


@dataclass(frozen=True)
class VoicesArgs:
    """voices' command line."""

    lang: str | None
    engine: str | None
    voice_dir: Path | None
    sample: Path | None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", type=language, help='only voices for this language, e.g. "en"')
    parser.add_argument(
        "--engine", default=None, choices=engine_names() or None,
        help="only this engine's voices (default: every installed engine)",
    )  # fmt: skip
    add_voice_dir(parser)
    parser.add_argument(
        "--sample", type=Path, metavar="DIR",
        help="also speak a short sample with each voice listed, into DIR/ENGINE-VOICE.mp3 "
        "(choose with --engine and --lang: there are many)",
    )  # fmt: skip


def run(namespace: argparse.Namespace) -> int:
    args = typed(VoicesArgs, namespace)
    check_voice_dir(args.voice_dir)
    listed = _listed(args)
    rows = [HEADER, *_rows(listed, args.voice_dir)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER) - 1)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
              + "  " + row[-1])  # fmt: skip
    if args.sample is not None:
        _speak_samples(listed, args.sample, args.voice_dir)
    return EXIT_OK


def _speak_samples(listed: list[tuple[str, Voice]], folder: Path, voice_dir: Path | None) -> None:
    """SAMPLE_TEXT spoken by each voice into `folder`, a line on standard error for each."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot make the sample folder {folder}: {error.strerror}") from None
    for engine, voice in listed:
        output = folder / f"{engine}-{_file_name(voice.id)}.mp3"
        options = Options(
            voice=VoiceOptions(engine=engine, voice=voice.id, voice_dir=voice_dir),
            output=OutputOptions(title=f"{voice.name} ({engine})", force=True),
        )
        say(SAMPLE_TEXT.format(name=voice.name), output, options)
        print(f"wrote {shown(output)}", file=sys.stderr)


def _file_name(voice_id: str) -> str:
    """A voice id (a Piper voice's may be a path) as part of a file name."""
    return re.sub(r"[^\w.-]+", "-", voice_id).strip("-.") or "voice"


def _listed(args: VoicesArgs) -> list[tuple[str, Voice]]:
    """Each voice asked for, with its engine's name."""
    names = [args.engine] if args.engine else engine_names()
    return [(name, voice) for name in names for voice in _voices(name, args)
            if args.lang is None or speaks(voice, args.lang)]  # fmt: skip


def _rows(listed: list[tuple[str, Voice]], voice_dir: Path | None) -> list[tuple[str, ...]]:
    """A row per voice, as HEADER says; a voice that narrates a language when no voice is
    named says "default for" it."""
    defaults = _defaults({lang.split("-")[0] for _, voice in listed for lang in voice.languages},
                         voice_dir)  # fmt: skip
    return [
        (name, voice.id, ", ".join(voice.languages),
         ", ".join(d for d in (voice.gender, voice.quality, defaults.get((name, voice.id))) if d),
         voice.name)
        for name, voice in listed
    ]  # fmt: skip


def _defaults(languages: set[str], voice_dir: Path | None) -> dict[tuple[str, str], str]:
    """ "default for LANGUAGES" by (engine, voice id): the voice best_voice picks for each."""
    chosen: dict[tuple[str, str], list[str]] = {}
    for lang in sorted(languages):
        engine, voice = best_voice(lang, voice_dir)
        if voice is not None:
            chosen.setdefault((engine.name, voice.id), []).append(lang)
    return {key: f"default for {', '.join(langs)}" for key, langs in chosen.items()}


def _voices(name: str, args: VoicesArgs) -> list[Voice]:
    """The voices of the engine `name`: none for an engine not listed unless asked for; for
    a broken one (a plug-in) a line, unless asked for, so it hides no other."""
    try:
        engine = load_engine(name)
        if not args.engine and not engine.listed:
            return []
        return present_voices(engine, args.voice_dir)
    except Exception as error:
        if args.engine:
            raise
        print(f"audio-edition: {name}: {error}", file=sys.stderr)
        return []
