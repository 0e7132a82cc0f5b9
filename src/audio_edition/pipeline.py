"""narrate(): read, segment, synthesize, assemble, encode and tag, in one call."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .assemble import OUTPUT_SAMPLE_RATE, ClipTiming, Layout, Timeline, assemble, gain_for_volume
from .cache import ClipCache, default_cache_dir
from .document import Document
from .encode import (
    AAC,
    add_mp4_chapters,
    atomic_outputs,
    check_destination,
    ffmpeg_path,
    format_for,
)
from .engines import (
    DEFAULT_ENGINE,
    Engine,
    Voice,
    VoiceSettings,
    load_engine,
    resolve_voice,
    voice_for_language,
)
from .errors import InputError, UsageError
from .mp4 import ENCODER_PRIMING, set_gapless
from .normalize import DEFAULT_LANGUAGE, Normalizer, load_lexicon
from .readers import ReadOptions, read
from .readers.text import STDIN, display_name
from .segment import segment
from .segmented import default_encoders, open_encoder
from .subtitles import FORMATS as SUBTITLE_FORMATS
from .subtitles import write_subtitles
from .synthesis import SynthesisConfig, SynthesisStats, clip_requests, synthesize
from .tags import Tags, write_tags
from .timing import (
    Chapter,
    ManifestInfo,
    TimedParagraph,
    chapters,
    samples_to_ms,
    timed_paragraphs,
    write_manifest,
)
from .timing import manifest as build_manifest

log = logging.getLogger(__name__)

DEFAULT_RATE = 160
"""Words per minute; audiobook narration runs at about 155."""
DEFAULT_OUTPUT_FOLDER = Path("output")
CLIP_SECONDS = 25
"""A clip holds at most this many seconds of words at the chosen rate."""
STDIN_STEM = "narration"


@dataclass(frozen=True)
class Edition:
    """What narrate() made."""

    path: Path
    """The audio file."""
    title: str
    """The title it was tagged with."""
    duration_seconds: float
    """Its exact length."""
    paragraphs: int
    """How many paragraphs were narrated."""
    clips: int
    """How many clips the narration holds."""
    synthesized: int
    """How many of them the engine spoke in this run."""
    cached: int
    """How many came from the clip cache."""
    document: Document
    """The text as it was segmented and spoken."""
    timeline: Timeline
    """Where every clip's speech lies in the file, in samples."""
    timed_paragraphs: tuple[TimedParagraph, ...]
    """Where every paragraph and sentence lies, in milliseconds."""
    chapters: tuple[Chapter, ...]
    """The chapter marks written into the file."""
    sidecars: dict[str, Path]
    """Manifest ("json") and subtitle files written beside the audio, by kind."""


@dataclass(frozen=True)
class Progress:
    """How far a narration has got, reported after every clip."""

    paragraphs_done: int
    """Paragraphs whose every clip is in the file."""
    paragraphs_total: int
    """Paragraphs in the document."""
    audio_seconds: float
    """Audio written so far."""


def default_output(source: str | os.PathLike[str]) -> Path:
    """output/<input stem>.mp3 (output/narration.mp3 for standard input)."""
    stem = STDIN_STEM if os.fspath(source) == STDIN else Path(source).stem
    return DEFAULT_OUTPUT_FOLDER / f"{stem}.mp3"


def max_clip_words(rate: int) -> int:
    """Most words one clip may hold at `rate` words per minute."""
    return max(8, rate * CLIP_SECONDS // 60)


def _check_options(rate: int, volume: float, pauses: dict[str, int]) -> None:
    if not 60 <= rate <= 500:
        raise UsageError(f"--rate must be between 60 and 500 words per minute, not {rate}")
    if not 0.0 < volume <= 1.0:
        raise UsageError(f"--volume must be above 0 and at most 1.0, not {volume}")
    for name, milliseconds in pauses.items():
        if not 0 <= milliseconds <= 10_000:
            raise UsageError(f"--{name} must be between 0 and 10000 ms, not {milliseconds}")


def _title_from(source: str | os.PathLike[str], destination: Path) -> str:
    stem = destination.stem if os.fspath(source) == STDIN else Path(source).stem
    return stem.replace("_", " ").replace("-", " ").strip() or stem


def narrate(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    engine: str = DEFAULT_ENGINE,
    voice: str | None = None,
    rate: int = DEFAULT_RATE,
    volume: float = 1.0,
    sentence_pause_ms: int = Layout.sentence_pause_ms,
    paragraph_pause_ms: int = Layout.paragraph_pause_ms,
    title: str | None = None,
    author: str | None = None,
    album: str | None = None,
    genre: str = "Speech",
    input_format: str | None = None,
    encoding: str | None = None,
    lang: str | None = None,
    lexicon: str | os.PathLike[str] | None = None,
    voice_dir: str | os.PathLike[str] | None = None,
    read_options: ReadOptions | None = None,
    force: bool = False,
    jobs: int | None = None,
    encoders: int | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    progress: Callable[[Progress], None] | None = None,
    manifest: bool = False,
    subtitles: Sequence[str] = (),
) -> Edition:
    """Narrate the document `source` ("-" for standard input) into the audio file `output`.

    `source` is plain text, Markdown, HTML or EPUB, by its extension or `input_format`
    ("text", "markdown", "html", "epub"; standard input is text unless given); `encoding`
    applies to text, Markdown and HTML (default UTF-8, or what a page declares). `lang` (default:
    the document's own, else English) picks the voice when `voice` is not given and the
    language numbers and abbreviations are spoken in; `lexicon` is a TOML file of
    ``word = "replacement"`` pronunciations. `voice` may also be a voice file's path (Piper's
    .onnx); `voice_dir` is a folder of voice files (Piper's default: the user data folder).
    The format follows the output's extension (.mp3, .m4a, .m4b, .ogg, .opus, .flac, .wav);
    the default is output/<input stem>.mp3. An existing file is replaced only with `force`.
    `jobs` worker processes speak at once (default: the CPU count), each with a budget of the
    CPU count / `jobs` threads; MP3 and AAC are encoded on
    `encoders` processes at once (default: the CPU count). Verified clips are kept in
    the clip cache (`cache_dir`, default: the user cache folder) unless `use_cache` is false.
    `progress` is called after every clip. With `manifest`, <output stem>.json is written
    beside the audio; `subtitles` names any of "srt", "vtt", "lrc" to write <stem>.srt etc.
    Raises an AudioEditionError subclass with a one-line message on any failure, leaving no
    file.
    """
    jobs = jobs if jobs is not None else os.cpu_count() or 1
    _check_options(
        rate, volume, {"sentence-pause": sentence_pause_ms, "paragraph-pause": paragraph_pause_ms}
    )
    if jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {jobs}")
    if encoders is not None and encoders < 1:
        raise UsageError(f"encoders must be at least 1, not {encoders}")
    destination = Path(output) if output is not None else default_output(source)
    output_format = format_for(destination)
    sidecars = _sidecar_paths(destination, manifest, subtitles)
    manuscript = read(source, input_format, encoding, read_options or ReadOptions())
    words = load_lexicon(lexicon) if lexicon is not None else {}
    for path in (destination, *sidecars.values()):
        check_destination(path, force)
    ffmpeg_path()
    engine_class = load_engine(engine)
    language = lang or manuscript.language or DEFAULT_LANGUAGE
    voice_folder = Path(voice_dir) if voice_dir is not None else None
    if voice_folder is not None and not voice_folder.is_dir():
        raise UsageError(f"--voice-dir {voice_folder}: no such folder")
    chosen_voice = _choose_voice(engine_class, voice, lang, manuscript.language, voice_folder)
    settings = VoiceSettings(
        voice=chosen_voice.id if chosen_voice else None,
        rate=rate,
        voice_file=chosen_voice.file if chosen_voice else None,
        threads=max(1, (os.cpu_count() or 1) // jobs),  # each worker's share of the cores
    )
    document = segment(
        dataclasses.replace(manuscript, language=language),
        max_clip_words(rate),
        Normalizer(language, words),
    )
    if not document.paragraphs:
        raise InputError(
            f"{display_name(source)} has no text to narrate (nothing in it is read aloud)"
        )
    layout = Layout(
        sentence_pause_ms=sentence_pause_ms,
        paragraph_pause_ms=paragraph_pause_ms,
        gain_db=gain_for_volume(volume),
        peak_dbfs=output_format.peak_limit_dbfs,
        length_multiple=output_format.frame_samples,
    )
    tags = Tags(
        title=title or document.title or _title_from(source, destination),
        artist=author or document.author,
        album=album or title or document.title or _title_from(source, destination),
        genre=genre,
        lyrics=document.text,
        audiobook=destination.suffix.lower() == ".m4b",
        cover=document.cover,
    )
    config = SynthesisConfig(
        engine=engine, engine_version=_engine_version(engine_class, chosen_voice),
        settings=settings, jobs=jobs,
    )  # fmt: skip
    cache = ClipCache(Path(cache_dir) if cache_dir else default_cache_dir()) if use_cache else None
    stats = SynthesisStats()
    report = _progress_reporter(document, progress) if progress is not None else None
    with atomic_outputs([destination, *sidecars.values()], force) as temporaries:
        temporary, sidecar_temporaries = (
            temporaries[0],
            dict(zip(sidecars, temporaries[1:], strict=True)),
        )
        clips = synthesize(clip_requests(document), config, cache, stats)
        # the clips are closed at once on failure, so no worker outlives a run that raised
        encoder = open_encoder(
            temporary, output_format, OUTPUT_SAMPLE_RATE, encoders or default_encoders()
        )
        with encoder, contextlib.closing(clips):
            timeline = assemble(clips, layout, encoder.write, report)
        duration_ms = samples_to_ms(timeline.total_samples, timeline.sample_rate)
        timed = timed_paragraphs(document, timeline)
        marks = tuple(chapters(document, timed, duration_ms))
        if output_format == AAC:
            add_mp4_chapters(temporary, marks)  # a remux: the edit list is written again
            set_gapless(temporary, priming=ENCODER_PRIMING, samples=timeline.total_samples)
        write_tags(temporary, output_format, dataclasses.replace(tags, chapters=marks))
        if "json" in sidecar_temporaries:
            info = ManifestInfo(
                audio=destination.name, title=tags.title, author=tags.artist,
                language=language, duration_ms=duration_ms,
                sample_rate=timeline.sample_rate, engine=engine, voice=settings.voice,
                rate=rate, clips=len(timeline.clips), synthesized=stats.synthesized,
                cached=stats.cached,
            )  # fmt: skip
            write_manifest(sidecar_temporaries.pop("json"), build_manifest(info, timed, marks))
        write_subtitles(sidecar_temporaries, timed, tags.title, tags.artist)
    return Edition(
        path=destination,
        title=tags.title,
        duration_seconds=timeline.duration_seconds,
        paragraphs=len(document.paragraphs),
        clips=len(timeline.clips),
        synthesized=stats.synthesized,
        cached=stats.cached,
        document=document,
        timeline=timeline,
        timed_paragraphs=tuple(timed),
        chapters=marks,
        sidecars=sidecars,
    )


def _engine_version(engine: type[Engine], voice: Voice | None) -> str:
    """The engine's version for the cache key, with the voice's fingerprint when it has one."""
    version = engine.version()
    if voice is not None and voice.fingerprint:
        version += f"; voice {voice.fingerprint}"
    return version


def _choose_voice(
    engine: type[Engine],
    voice: str | None,
    lang: str | None,
    document_language: str | None,
    voice_dir: Path | None,
) -> Voice | None:
    """The voice asked for; else one for the language asked for or declared; else the default.

    An engine without a default voice (Piper) gets its voice for the language (English when
    none is known), else its first voice.
    """
    if voice is not None:
        return resolve_voice(engine, voice, voice_dir)
    language = lang or document_language
    if language is None and engine.has_default_voice:
        return None
    found = voice_for_language(engine, language or DEFAULT_LANGUAGE, voice_dir)
    if found is None and lang is not None:
        raise UsageError(
            f"engine {engine.name!r} has no voice for language {lang!r} "
            "(see: audio-edition voices --lang)"
        )
    if found is None and not engine.has_default_voice:
        voices = engine.voices(voice_dir)
        if not voices:
            raise UsageError(
                f"engine {engine.name!r} found no voices (see: audio-edition voices --engine "
                f"{engine.name})"
            )
        found = voices[0]
    if found is None:
        log.warning("no %s voice for the document's language %r; using the default", engine.name,
                    document_language)  # fmt: skip
    return found


def _sidecar_paths(destination: Path, manifest: bool, subtitles: Sequence[str]) -> dict[str, Path]:
    """The files written beside the audio: manifest ("json") and subtitles, by kind."""
    unknown = sorted(set(subtitles) - set(SUBTITLE_FORMATS))
    if unknown:
        raise UsageError(
            f"unknown subtitle format {', '.join(unknown)}; use {','.join(SUBTITLE_FORMATS)}"
        )
    kinds = (["json"] if manifest else []) + [k for k in SUBTITLE_FORMATS if k in subtitles]
    return {kind: destination.with_suffix(f".{kind}") for kind in kinds}


def _progress_reporter(
    document: Document, progress: Callable[[Progress], None]
) -> Callable[[ClipTiming], None]:
    """Turn each placed clip into a Progress report."""
    total = len(document.paragraphs)
    last_parts = {
        (p.index, len(p.sentences) - 1, len(p.sentences[-1].parts) - 1) for p in document.paragraphs
    }

    def report(timing: ClipTiming) -> None:
        request = timing.request
        finished = (request.paragraph, request.sentence, request.part) in last_parts
        done = request.paragraph + 1 if finished else request.paragraph
        progress(Progress(done, total, timing.end / OUTPUT_SAMPLE_RATE))

    return report
