"""`audio-edition check`: an edition measured and judged for audiobook stores or podcasts."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

from audio_edition.cli.exits import EXIT_FAILURE, EXIT_OK
from audio_edition.cli.options import add_asr_model, language, typed
from audio_edition.errors import InputError, UsageError
from audio_edition.verify.rules import PROFILES

HELP = "measure an edition and judge it for audiobook stores or podcasts"
DESCRIPTION = (
    "Measure an audio file (levels, loudness, room tone, format) and judge it against a "
    "profile; with --text or --manifest, also listen to it (offline speech-to-text) and report "
    "every paragraph: ok, missing, truncated, repeated or out-of-order. Exit 0 when everything "
    "passes, 1 when anything fails, 2 on bad usage."
)


@dataclass(frozen=True)
class CheckArgs:
    """check's command line."""

    audio: str
    text: str | None
    manifest: str | None
    profile: str
    lang: str | None
    encoding: str | None
    asr_model: str | None
    json: bool


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "audio", help="the audio file to check, or a read-along EPUB (its MP3, up to 4 GiB; a "
        "zip bomb is refused) or page (the MP3 it names beside it, or embeds)",
    )  # fmt: skip
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--text", metavar="SOURCE", help="the document the audio should speak")
    source.add_argument("--manifest", metavar="M.json", help="the manifest narrate wrote")
    parser.add_argument(
        "--profile", choices=PROFILES, default="acx",
        help="acx: audiobook store levels and format (default); podcast: loudness and true peak",
    )  # fmt: skip
    parser.add_argument(
        "--lang", type=language, help="language spoken (default: the source's, else en)"
    )
    parser.add_argument(
        "--encoding", default=None,
        help="encoding of a --text document (default: utf-8; HTML: as the page declares)",
    )  # fmt: skip
    add_asr_model(parser)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(namespace: argparse.Namespace) -> int:
    from audio_edition.verify.check import check
    from audio_edition.verify.report import report_data, report_text

    args = typed(CheckArgs, namespace)
    try:
        report = check(args.audio, args.profile, args.text, args.manifest, args.lang,
                       args.asr_model, args.encoding)  # fmt: skip
    except InputError as error:  # exit 1 means "the edition failed"; unusable input is usage
        raise UsageError(str(error)) from None
    if args.json:
        print(json.dumps(report_data(report), indent=2, ensure_ascii=False))
    else:
        print(report_text(report))
    return EXIT_OK if report.passed else EXIT_FAILURE
