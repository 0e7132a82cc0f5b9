"""`audio-edition batch`: many documents into a folder that mirrors theirs."""

from __future__ import annotations

import argparse
import collections
import contextlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from audio_edition.cli.exits import EXIT_FAILURE, EXIT_OK
from audio_edition.cli.options import (
    Work,
    add_field,
    add_inputs,
    add_narration_options,
    extension,
    narration_args,
)
from audio_edition.cli.progress import documents_shown
from audio_edition.clock import short_clock
from audio_edition.encode.formats import DEFAULT_EXTENSION, FORMATS_BY_EXTENSION
from audio_edition.errors import UsageError, shown
from audio_edition.many.batch import DocumentResult, DocumentStatus, run_batch
from audio_edition.many.batch_inputs import FoundDocuments, find_documents
from audio_edition.narration.plan import Options, OutputOptions, check_cast, check_options

HELP = "narrate many documents into a folder that mirrors theirs"
DESCRIPTION = (
    "Narrate every document the inputs name (files, folders searched recursively for .txt, "
    ".md, .html, .epub and .pdf files, and globs) into OUTPUT-DIR, mirroring their folders: given "
    "docs, docs/more/a.md becomes OUTPUT-DIR/more/a.mp3. One pool of workers serves the whole "
    "batch. A document whose files exist and were made from the same source and options is up "
    "to date and left alone (--force redoes it). What a folder's search or a glob finds that "
    "leads outside it (a link, a ..) is skipped and reported; a file named directly is read. "
    "A document that fails is reported and the batch goes on; the exit code is 1 if any failed."
)


@dataclass(frozen=True)
class BatchArgs:
    """batch's command line."""

    inputs: list[str]
    output_dir: Path
    format: str
    options: Options
    work: Work


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser, "docs/**/*.md", "DIR", "where the audio files go")
    parser.add_argument(
        "--format", default=DEFAULT_EXTENSION, metavar="EXT", type=extension,
        help="format of every file: audio "
        f"{', '.join(e.lstrip('.') for e in FORMATS_BY_EXTENSION)} (mp3 is the default), or "
        "a read-along epub or html",
    )  # fmt: skip
    add_field(parser, OutputOptions, "force", "-f", "--force", action="store_true",
              help="narrate every document again")  # fmt: skip
    add_narration_options(parser)


def run(namespace: argparse.Namespace) -> int:
    args = narration_args(BatchArgs, namespace)
    check_options(args.options)
    check_cast(args.options)
    if args.options.output.embed_audio and args.format != ".html":
        raise UsageError("--embed-audio needs --format html")
    found = find_documents(args.inputs, args.output_dir, args.format)
    results = narrate_all(args.inputs, found, args.output_dir, args.options, args.work)
    return exit_code(results)


def exit_code(results: list[DocumentResult]) -> int:
    """1 when any document failed."""
    return EXIT_FAILURE if any(r.status == DocumentStatus.FAILED for r in results) else EXIT_OK


def narrate_all(
    inputs: list[str], found: FoundDocuments, output_dir: Path, options: Options, work: Work
) -> list[DocumentResult]:
    """Run a batch (batch and publish): a progress bar, then a line per document (and per
    file skipped) and a total, every name shown with its control characters escaped."""
    items = found.items
    if not items:
        some = f" ({len(found.skipped)} skipped, leading outside the folder searched)"
        left_out = some if found.skipped else ""
        raise UsageError(f"no documents found in {', '.join(inputs)}{left_out}")
    cache = work.cache()
    progress = documents_shown(len(items), work.quiet)
    started = time.monotonic()
    with contextlib.closing(work.synthesizer()) as synthesizer:
        results = run_batch(items, output_dir, options, synthesizer, cache,
                            progress.update if progress is not None else None)  # fmt: skip
    if progress is not None:
        progress.close()
    if not work.quiet:
        for line in _report(found, results, time.monotonic() - started):
            print(shown(line), file=sys.stderr)
    return results


def _report(found: FoundDocuments, results: list[DocumentResult], seconds: float) -> list[str]:
    """A batch's report: a line per file skipped and per document, then the total."""
    lines = [f"{DocumentStatus.SKIPPED:<11} {skip.path}: {skip.reason}" for skip in found.skipped]
    for result in results:
        if result.status == DocumentStatus.FAILED:
            lines.append(f"{result.status:<11} {result.item.source}: {result.error}")
        else:
            assert result.duration_seconds is not None
            lines.append(f"{result.status:<11} {result.item.source} -> {result.item.destination} "
                         f"({short_clock(result.duration_seconds)})")  # fmt: skip
    counts = collections.Counter(result.status for result in results)
    audio = sum(result.duration_seconds or 0.0 for result in results)
    outcomes = (DocumentStatus.NARRATED, DocumentStatus.UP_TO_DATE, DocumentStatus.FAILED)
    done = ", ".join(f"{counts[status]} {status}" for status in outcomes)
    left_out = f", {len(found.skipped)} {DocumentStatus.SKIPPED}" if found.skipped else ""
    lines.append(
        f"{len(results)} documents: {done}{left_out}; "
        f"{short_clock(audio)} of audio in {short_clock(seconds)}"
    )
    return lines
