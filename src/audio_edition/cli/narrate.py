"""`audio-edition narrate`: one document into one audio file (or a read-along book or page)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable
from dataclasses import dataclass

from audio_edition.cli.exits import EXIT_OK
from audio_edition.cli.options import (
    Work,
    add_asr_model,
    add_chapter_options,
    add_field,
    add_narration_options,
    extension,
    narration_args,
    print_chapters,
)
from audio_edition.cli.progress import paragraphs_shown
from audio_edition.clock import short_clock
from audio_edition.encode.ffmpeg import Sink
from audio_edition.encode.formats import DEFAULT_EXTENSION, FORMATS_BY_EXTENSION, STREAM_FORMATS
from audio_edition.errors import ProofError, UsageError
from audio_edition.narration.plan import (
    NarrationPlan,
    Options,
    OutputOptions,
    default_output,
    plan_narration,
)
from audio_edition.narration.render import (
    STDOUT,
    Edition,
    StreamHead,
    plan_stream,
    render,
    stream,
)
from audio_edition.speak.clips import SynthesisConfig
from audio_edition.speak.synthesis import LocalPool, Synthesizer

EXAMPLES = """\
examples: (files from the repository's examples folder)
  audio-edition narrate examples/twilight-serenade.txt
      -> output/twilight-serenade.mp3
  audio-edition narrate examples/twilight-serenade.txt -o output/review.m4b --title "My Review"
  audio-edition narrate examples/post.md --lexicon examples/words.toml   (headings: chapters)
  audio-edition narrate examples/book.epub -o output/book.m4b    (chapters, cover, author)
  cat examples/twilight-serenade.txt | audio-edition narrate - -o output/piped.ogg
  audio-edition narrate examples/post.md --manifest --subtitles srt,vtt,lrc
  audio-edition narrate examples/book.epub -o output/read-along.epub   (sentences highlighted)
  audio-edition narrate examples/post.md -o output/post.html   (a read-along page, post.mp3 beside)
  audio-edition narrate examples/post.md --proof               (listen back: nothing lost)
  audio-edition narrate examples/book.epub -o - | mpv -    (plays as it is made: --format opus ...)
  audio-edition check output/twilight-serenade.mp3 --text examples/twilight-serenade.txt
  audio-edition spoken examples/post.md --lexicon examples/words.toml   (what would be said)
  audio-edition batch examples --output-dir output/audio   (a folder: its tree mirrored)
  audio-edition publish examples/posts --output-dir output/site --base-url https://example.org/pod/
  audio-edition voices --lang en
  audio-edition cache info
"""
HELP = "narrate a text, Markdown, HTML or EPUB file into one audio file"
DESCRIPTION = (
    "Narrate a document into one audio file. Plain text paragraphs are separated by blank "
    "lines (hard-wrapped lines are joined); Markdown, HTML and EPUB headings become chapters. "
    "Numbers, dates, abbreviations, URLs and symbols are spoken as words."
)


@dataclass(frozen=True)
class NarrateArgs:
    """narrate's command line."""

    input: str
    output: str | None
    format: str
    proof: bool
    asr_model: str | None
    list_chapters: bool
    options: Options
    work: Work


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXAMPLES
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "input",
        help='document to narrate: .txt, .md, .html, .epub, .pdf ("-" reads standard input)',
    )
    parser.add_argument(
        "-o", "--output",
        help="file to write; the extension picks the format: audio "
        f"{', '.join(FORMATS_BY_EXTENSION)} (.mp3 is the default), or a read-along EPUB 3 "
        "book (.epub) or web page (.html) with its audio (default: output/INPUT-STEM.mp3, or "
        "the format of your config file: see audio-edition config); - writes the audio to "
        "standard output as it is made, in --format (no tags, chapters, cover or gapless "
        "header: they need a finished file; --manifest and --subtitles go to "
        "output/INPUT-STEM.json and so on)",
    )  # fmt: skip
    streamed = ", ".join(sorted({f.name for f in STREAM_FORMATS}))
    parser.add_argument(
        "--format", type=extension, metavar="EXT",
        help="format when -o names none: without -o, output/INPUT-STEM.EXT; with -o -, "
        f"{streamed} (default: mp3, or the format of your config file; with -o FILE, "
        "FILE's extension decides)",
    )  # fmt: skip
    parser.set_defaults(format=DEFAULT_EXTENSION)  # the config file's format sets it
    add_field(parser, OutputOptions, "title", "--title",
              help="title tag (default: the text's title line, else the file name)")  # fmt: skip
    add_field(parser, OutputOptions, "album", "--album", help="album tag (default: the title)")
    add_field(parser, OutputOptions, "force", "-f", "--force", action="store_true",
              help="replace the output file if it exists")  # fmt: skip
    add_narration_options(parser)
    add_chapter_options(parser)
    parser.add_argument(
        "--proof", action="store_true",
        help="listen to the finished file with offline speech-to-text and fail the run when a "
        "paragraph is missing, truncated, repeated or out of order (the file is kept)",
    )  # fmt: skip
    add_asr_model(parser)


def run(namespace: argparse.Namespace) -> int:
    args = narration_args(NarrateArgs, namespace)
    if args.list_chapters:
        print_chapters(args.input, args.options)
        return EXIT_OK
    if args.output == STDOUT and args.proof:
        raise UsageError("--proof listens to a file; it cannot be used with -o -")
    if args.proof:  # fail before narrating, not after, when listening back cannot work
        from audio_edition.verify.proof import require

        require(args.options.voice.lang or "en", args.asr_model)
    with contextlib.ExitStack() as resources:
        synthesizer = resources.enter_context(contextlib.closing(args.work.synthesizer()))
        # a local pool's first worker loads its engine while the text is planned
        prepare = synthesizer.prepare if isinstance(synthesizer, LocalPool) else None
        head = None
        if args.output == STDOUT:
            sink = _standard_output()
            head = resources.enter_context(contextlib.closing(StreamHead(args.format, sink)))
            plan = plan_stream(args.input, args.format, args.options, _started(prepare, head))
        else:
            output = args.output or default_output(args.input, args.format)
            plan, sink = plan_narration(args.input, output, args.options, prepare), None
        edition = _narrate(plan, args.work, synthesizer, sink, head)
    if not args.work.quiet:
        where = "standard output" if sink is not None else str(edition.path)
        print(
            f"wrote {where} ({short_clock(edition.duration_seconds)}, "
            f"{edition.paragraphs} paragraphs, {edition.clips} clips: "
            f"{edition.synthesized} synthesized, {edition.cached} from cache)",
            file=sys.stderr,
        )
    if args.proof:
        _proof_listen(edition, args.work.quiet, args.asr_model)
    return EXIT_OK


def _started(
    prepare: Callable[[SynthesisConfig], None] | None, head: StreamHead
) -> Callable[[SynthesisConfig], None]:
    """Once the voices are chosen: the first worker started, and the stream's head."""

    def chosen(config: SynthesisConfig) -> None:
        if prepare is not None:
            prepare(config)
        head.start()

    return chosen


def _narrate(
    plan: NarrationPlan,
    work: Work,
    synthesizer: Synthesizer,
    sink: Sink | None,
    head: StreamHead | None = None,
) -> Edition:
    """Render the plan (stream it to `sink`, when given, going on from `head`), its progress
    on standard error."""
    shown = paragraphs_shown(work.quiet)
    report = shown.update if shown is not None else None
    cache = work.cache()
    if sink is not None:
        edition = stream(plan, synthesizer, sink, cache, report, head=head)
    else:
        edition = render(plan, synthesizer, cache, report)
    if shown is not None:
        shown.close()
    return edition


def _standard_output() -> Sink:
    """Standard output as a sink, flushed after every write so a player hears each piece as
    it is made; refused when it is a terminal (or closed)."""
    out = sys.stdout.buffer if sys.stdout is not None else None
    if out is None or out.isatty():
        raise UsageError("-o - writes audio to standard output: pipe it into a player "
                         "(| mpv -) or a file, or give -o FILE")  # fmt: skip

    def write(data: bytes) -> None:
        out.write(data)
        out.flush()

    return write


def _proof_listen(edition: Edition, quiet: bool, model: str | None) -> None:
    """Listen to the edition, with its exact paragraph times; a flagged paragraph fails the
    run (the file is kept), an unclear one is named."""
    from audio_edition.verify.check import audio_file
    from audio_edition.verify.proof import FLAGGED, Spans, listen, require

    language = edition.document.language or "en"
    texts = [paragraph.text for paragraph in edition.document.paragraphs]
    narrated = Spans(
        tuple((p.start_ms, p.end_ms) for p in edition.timed_paragraphs),
        round(edition.duration_seconds * 1000),
    )
    with audio_file(edition.path) as audio:
        heard = listen(audio, texts, language, require(language, model), narrated)
    flagged = [p for p in heard if p.status in FLAGGED]
    if flagged:
        listed = ", ".join(f"{p.index + 1} {p.status}" for p in flagged)
        raise ProofError(f"proof-listening flagged {len(flagged)} paragraph(s) of "
                         f"{edition.path} (kept for inspection): {listed}")  # fmt: skip
    if not quiet:
        unclear = [str(p.index + 1) for p in heard if p.status == "unclear"]
        heard_all = f"proof-listening: all {len(texts)} paragraphs heard in order"
        note = f"; not confirmed (unclear): {', '.join(unclear)}" if unclear else ""
        print(heard_all + note, file=sys.stderr)
