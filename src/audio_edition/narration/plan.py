"""The narration plan: everything decided before any speech is made.

plan_narration() reads, segments and normalizes the document, chooses the voice and checks
every option and destination. It writes nothing and starts nothing, so every usage error is
raised before work begins. The plan it returns is a frozen value that pickles: render() (in
audio_edition.narration.render) turns it into files, on this machine or through a cluster,
and a batch makes one plan per document.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from audio_edition import __version__
from audio_edition.document import Document, Manuscript, language_tag, not_a_language_tag
from audio_edition.editions.subtitles import FORMATS as SUBTITLE_FORMATS
from audio_edition.encode.ffmpeg import ffmpeg_path
from audio_edition.encode.formats import (
    DEFAULT_EXTENSION,
    READ_ALONG_EXTENSIONS,
    OutputFormat,
    format_for,
)
from audio_edition.encode.tags import Tags
from audio_edition.engines import (
    LANGUAGE_TAG,
    Engine,
    Voice,
    VoiceSettings,
    best_voice,
    check_voice_dir,
    engine_for_voice,
    engine_names,
    engine_version,
    load_engine,
    present_voices,
    resolve_voice,
    voice_for_language,
)
from audio_edition.errors import InputError, OptionError, UsageError
from audio_edition.files import check_destination
from audio_edition.narration.cast import (
    NARRATOR,
    Cast,
    cast_from_table,
    load_cast,
    with_dialogue_voice,
)
from audio_edition.narration.chapters import (
    ChapterEntry,
    chapter_entries,
    choose_chapters,
    chosen_chapters,
)
from audio_edition.narration.fixes import Fixes, apply_fixes, load_fixes
from audio_edition.readers import ReadOptions, read
from audio_edition.readers.text import MAX_INPUT_BYTES, STDIN, display_name
from audio_edition.shape.assemble import Layout
from audio_edition.shape.levels import gain_for_volume
from audio_edition.shape.timing import chapter_heads
from audio_edition.speak.clips import SynthesisConfig
from audio_edition.text.normalize import Normalizer
from audio_edition.text.normalize.languages import DEFAULT_LANGUAGE
from audio_edition.text.normalize.lexicon import load_lexicon
from audio_edition.text.segment import segment

log = logging.getLogger(__name__)

DEFAULT_RATE = 160
"""Words per minute; audiobook narration runs at about 155."""
DEFAULT_OUTPUT_FOLDER = Path("output")
CLIP_SECONDS = 25
"""A clip holds at most this many seconds of words at the chosen rate."""
STDIN_STEM = "narration"


@dataclass(frozen=True)
class VoiceOptions:
    """Who speaks, and how fast."""

    engine: str | None = None
    """Registered engine name; None picks the best installed one (see ENGINES_BY_QUALITY)."""
    voice: str | None = None
    """Voice id, name or language, or a voice file's path; None picks one for the language."""
    voice_dir: Path | None = None
    """A folder of voice files (Piper's default: the user data folder)."""
    rate: int = DEFAULT_RATE
    """Words per minute."""
    lang: str | None = None
    """Language to speak in (default: the document's, else English)."""
    lexicon: Path | None = None
    """A TOML file of ``word = "replacement"`` pronunciations."""
    cast: Path | None = None
    """A TOML file of speakers and their voices (see audio_edition.narration.cast); default:
    the document's front matter ``cast:``, if any."""
    dialogue_voice: str | None = None
    """The voice of speech the cast does not give another (with no cast: all speech)."""


@dataclass(frozen=True)
class LayoutOptions:
    """How loud, and how long the pauses are."""

    volume: float = 1.0
    """Output level; 1.0 is ready for audiobook stores, 0.5 is 6 dB quieter."""
    sentence_pause_ms: int = Layout.sentence_pause_ms
    """Room tone between sentences."""
    paragraph_pause_ms: int = Layout.paragraph_pause_ms
    """Room tone between paragraphs."""


@dataclass(frozen=True)
class ReadingOptions:
    """How the source is read."""

    input_format: str | None = None
    """"text", "markdown", "html", "epub" or "pdf"; default: by extension (standard input:
    text)."""
    encoding: str | None = None
    """Of the input (default UTF-8, or what an HTML page or EPUB chapter declares)."""
    read: ReadOptions = field(default_factory=ReadOptions)
    """What is spoken besides the body text (code, alt text, tables)."""
    max_input_bytes: int = MAX_INPUT_BYTES
    """A larger input is refused (an endless standard input stops here)."""
    chapters: str | None = None
    """Narrate only these chapters: numbers and ranges ("2-4,7") as list_chapters() numbers
    them, or titles, each chapter's own with it (see narration.chapters); None: all."""


@dataclass(frozen=True)
class OutputOptions:
    """The tags, and which files are written."""

    title: str | None = None
    """Title tag (default: the document's title, else the file name)."""
    author: str | None = None
    """Artist tag (default: the document's author)."""
    album: str | None = None
    """Album tag (default: the title)."""
    genre: str = "Speech"
    """Genre tag."""
    manifest: bool = False
    """Also write <stem>.json, the timed manifest."""
    subtitles: tuple[str, ...] = ()
    """Also write these subtitle formats beside the audio ("srt", "vtt", "lrc")."""
    embed_audio: bool = False
    """With an .html output, put the audio inside the page (base64) rather than beside it."""
    force: bool = False
    """Replace existing files."""


@dataclass(frozen=True)
class Options:
    """Every choice a narration makes, grouped by purpose."""

    voice: VoiceOptions = field(default_factory=VoiceOptions)
    layout: LayoutOptions = field(default_factory=LayoutOptions)
    reading: ReadingOptions = field(default_factory=ReadingOptions)
    output: OutputOptions = field(default_factory=OutputOptions)

    def digest(self) -> str:
        """What these options make, as a hex digest: `force` aside, every choice, and the
        lexicon's content rather than its name."""
        choices = dataclasses.asdict(dataclasses.replace(
            self, output=dataclasses.replace(self.output, force=False)
        ))  # fmt: skip
        for name in ("lexicon", "cast"):
            path = getattr(self.voice, name)
            choices[name] = _file_digest(path) if path is not None else None
        encoded = json.dumps(choices, sort_keys=True, default=str).encode("utf-8")
        return hashlib.sha256(encoded).hexdigest()


@dataclass(frozen=True)
class NarrationPlan:
    """One narration, decided: what is spoken, by which voice, laid out how, written where."""

    source: str
    """The source as named in messages."""
    destination: Path
    """The audio file to write."""
    sidecars: tuple[tuple[str, Path], ...]
    """Manifest ("json") and subtitle files to write beside it, by kind."""
    output_format: OutputFormat
    """The audio format, from the destination's extension."""
    document: Document
    """The text as segmented and normalized for speech."""
    language: str
    """The language it is spoken in."""
    synthesis: SynthesisConfig
    """The engine, its version and the voice settings, and the other voices (its cast)."""
    layout: Layout
    """Pauses, level and peak ceiling."""
    tags: Tags
    """What the file is tagged with (chapters are added when the timeline is known)."""
    options: Options
    """The options it was made from."""
    read_along: str | None = None
    """"epub" or "html" when the destination is a book or a web page read along with its
    MP3 (inside the book; beside the page as the "mp3" sidecar, or inside it); None for audio."""
    speaker_voices: tuple[tuple[str, int], ...] = ()
    """The voice each speaker of the document speaks in: an index of `synthesis.voices`."""
    fixes_digest: str = ""
    """The content of the document's fix file (narration.fixes) as a digest; "" for none."""

    @property
    def outputs(self) -> tuple[Path, ...]:
        """Every file the render writes: the destination, then the sidecars."""
        return (self.destination, *(path for _, path in self.sidecars))

    @property
    def audio_name(self) -> str:
        """The name of the file the narration's times refer to."""
        return dict(self.sidecars).get("mp3", self.destination).name


def default_output(source: str | os.PathLike[str], extension: str = DEFAULT_EXTENSION) -> Path:
    """output/<input stem>.mp3, or another extension (output/narration.mp3 for standard
    input)."""
    stem = STDIN_STEM if os.fspath(source) == STDIN else Path(source).stem
    return DEFAULT_OUTPUT_FOLDER / f"{stem}{extension}"


def max_clip_words(rate: int) -> int:
    """Most words one clip may hold at `rate` words per minute."""
    return max(8, rate * CLIP_SECONDS // 60)


def check_options(options: Options) -> None:
    """Raise a UsageError for any option out of range (before anything is read)."""
    with_language_tag(options)
    rate, volume = options.voice.rate, options.layout.volume
    if not 60 <= rate <= 500:
        raise OptionError("rate", f" must be between 60 and 500 words per minute, not {rate}")
    if not 0.0 < volume <= 1.0:
        raise OptionError("volume", f" must be above 0 and at most 1.0, not {volume}")
    for name in ("sentence_pause_ms", "paragraph_pause_ms"):
        milliseconds = getattr(options.layout, name)
        if not 0 <= milliseconds <= 10_000:
            raise OptionError(name, f" must be between 0 and 10000 ms, not {milliseconds}")
    unknown = sorted(set(options.output.subtitles) - set(SUBTITLE_FORMATS))
    if unknown:
        raise UsageError(
            f"unknown subtitle format {', '.join(unknown)}; use {','.join(SUBTITLE_FORMATS)}"
        )
    check_voice_dir(options.voice.voice_dir)
    dialogue_voice = options.voice.dialogue_voice
    if dialogue_voice is not None and not dialogue_voice.strip():
        raise OptionError("dialogue_voice", " must name a voice, not ''")


def check_cast(options: Options) -> None:
    """Raise an AudioEditionError in one line when the cast file or the dialogue voice asked
    for cannot be read or is not installed: what a batch checks once, before any document."""
    voice = options.voice
    cast = with_dialogue_voice(load_cast(voice.cast) if voice.cast else None, voice.dialogue_voice)
    if cast is not None:
        _cast_synthesis(voice, None, cast)


def plan_narration(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    options: Options | None = None,
    voices_chosen: Callable[[SynthesisConfig], None] | None = None,
) -> NarrationPlan:
    """Plan the narration of `source` ("-" for standard input) into `output` (default:
    output/<input stem>.mp3). Reads the source; writes nothing; raises an AudioEditionError
    with a one-line message for anything that would stop the render. `voices_chosen` hears
    of the engine and voices as soon as they are chosen, before the text is segmented (a
    LocalPool's prepare(): its engine loads meanwhile)."""
    options = with_language_tag(options or Options())
    check_options(options)
    destination = Path(output) if output is not None else default_output(source)
    output_format = format_for(destination)
    read_along = READ_ALONG_EXTENSIONS.get(destination.suffix.lower())
    if options.output.embed_audio and read_along != "html":
        raise OptionError("embed_audio", f" needs an .html output, not {destination.name!r}")
    sidecars = sidecar_paths(destination, options.output)
    _check_destinations(source, destination, sidecars, options.output.force)
    ffmpeg_path()
    manuscript = _read(source, options.reading)
    cast = _cast(source, manuscript, options.voice)
    synthesis, voice_index = _cast_synthesis(options.voice, manuscript.language, cast)
    if voices_chosen is not None:
        voices_chosen(synthesis)
    phonemes = all(getattr(load_engine(v.engine), "takes_ipa", False) for v in synthesis.voices)
    fixes = _fixes(source)
    document = _speakable(source, manuscript, options, phonemes, cast, fixes)
    return NarrationPlan(
        source=display_name(source), destination=destination, sidecars=sidecars,
        output_format=output_format, document=document,
        language=document.language or DEFAULT_LANGUAGE, synthesis=synthesis,
        layout=_layout(options.layout, output_format),
        tags=_tags(document, options.output, _title_from(source, destination), destination),
        options=options, read_along=read_along,
        speaker_voices=_speaker_voices(document, cast, voice_index),
        fixes_digest=fixes.digest(),
    )  # fmt: skip


def _synthesis(options: VoiceOptions, document_language: str | None) -> SynthesisConfig:
    """The engine and the voice chosen (see _choose_engine_and_voice), with its settings and
    version."""
    engine_class, chosen_voice = _choose_engine_and_voice(options, document_language)
    settings = VoiceSettings(
        voice=chosen_voice.id if chosen_voice else None,
        rate=options.rate,
        voice_file=chosen_voice.file if chosen_voice else None,
    )
    return SynthesisConfig(
        engine=engine_class.name,
        engine_version=engine_version(engine_class, chosen_voice),
        settings=settings,
    )


def _check_destinations(
    source: str | os.PathLike[str],
    destination: Path,
    sidecars: tuple[tuple[str, Path], ...],
    force: bool,
) -> None:
    """Refuse to write over the source, or over an existing file without `force`."""
    for path in (destination, *(path for _, path in sidecars)):
        if os.fspath(source) != STDIN and _same_file(Path(source), path):
            raise UsageError(f"{display_name(source)} would be narrated into itself ({path})")
        check_destination(path, force)


def _layout(options: LayoutOptions, output_format: OutputFormat) -> Layout:
    """The pauses and level asked for, and the format's peak ceiling and frame length."""
    return Layout(
        sentence_pause_ms=options.sentence_pause_ms,
        paragraph_pause_ms=options.paragraph_pause_ms,
        gain_db=gain_for_volume(options.volume),
        peak_dbfs=output_format.peak_limit_dbfs,
        length_multiple=output_format.frame_samples,
    )


def _tags(document: Document, tagging: OutputOptions, file_title: str, destination: Path) -> Tags:
    """The tags asked for, else the document's own, else a title from the file's name."""
    title = tagging.title or document.title or file_title
    return Tags(
        title=title,
        artist=tagging.author or document.author,
        album=tagging.album or title,
        genre=tagging.genre,
        lyrics=document.text,
        audiobook=destination.suffix.lower() == ".m4b",
        cover=document.cover,
    )


def _same_file(source: Path, path: Path) -> bool:
    try:
        return path.exists() and os.path.samefile(source, path)
    except OSError:
        return False


def read_document(source: str | os.PathLike[str], options: Options | None = None) -> Document:
    """`source` read, segmented and normalized as plan_narration() would speak it, checking
    only the reading options (what `audio-edition spoken` prints); a word the lexicon gives in
    IPA is kept in IPA (text.phonemes.shown shows it with its respelling); the document's
    fixes (narration.fixes) made."""
    options = with_language_tag(options or Options())
    manuscript = _read(source, options.reading)
    cast = _cast(source, manuscript, options.voice)
    return _speakable(source, manuscript, options, True, cast, _fixes(source))


def list_chapters(
    source: str | os.PathLike[str], options: Options | None = None
) -> list[ChapterEntry]:
    """The chapters of `source` as read_document() reads it, numbered and nested, each with
    its words and its estimated length at the options' rate and pauses: all of them, or
    those the options' `chapters` choose (with their numbers among all)."""
    options = options or Options()
    check_options(options)
    choice = options.reading.chapters
    every = dataclasses.replace(options.reading, chapters=None)
    document = read_document(source, dataclasses.replace(options, reading=every))
    layout = options.layout
    entries = chapter_entries(
        document, options.voice.rate, layout.sentence_pause_ms, layout.paragraph_pause_ms
    )
    if choice is None:
        return entries
    chosen = chosen_chapters(chapter_heads(document), choice)
    return [entries[index] for index in chosen]


def with_language_tag(options: Options) -> Options:
    """`options` with the language asked for as a BCP 47 tag in its conventional case
    ("en_US" is "en-US"); an OptionError when it is not a language tag."""
    lang = options.voice.lang
    if lang is None:
        return options
    tag = language_tag(lang)
    if tag is None:
        raise OptionError("lang", f" {not_a_language_tag(lang)}")
    return dataclasses.replace(options, voice=dataclasses.replace(options.voice, lang=tag))


def _read(source: str | os.PathLike[str], reading: ReadingOptions) -> Manuscript:
    return read(
        source, reading.input_format, reading.encoding, reading.read, reading.max_input_bytes
    )


def _speakable(
    source: str | os.PathLike[str],
    manuscript: Manuscript,
    options: Options,
    phonemes: bool,
    cast: Cast | None,
    fixes: Fixes,
) -> Document:
    """The manuscript segmented and normalized in its language, with the lexicon's words and
    the fixes' over them (in IPA where they give it, with `phonemes`), with a cast its speech
    found and attributed, and the fixed sentences said as their fixes say."""
    lexicon = options.voice.lexicon
    words = {**(load_lexicon(lexicon) if lexicon is not None else {}), **dict(fixes.words)}
    language = options.voice.lang or manuscript.language or DEFAULT_LANGUAGE
    normalizer = Normalizer(language, words, phonemes)
    max_words = max_clip_words(options.voice.rate)
    document = segment(
        dataclasses.replace(manuscript, language=language),
        max_words,
        normalizer,
        cast.speakers if cast is not None else None,
    )
    document = apply_fixes(document, fixes, normalizer, max_words, display_name(source))
    if options.reading.chapters is not None:
        document = choose_chapters(document, options.reading.chapters)
    if not document.paragraphs:
        raise InputError(
            f"{display_name(source)} has no text to narrate (nothing in it is read aloud)"
        )
    return document


def _fixes(source: str | os.PathLike[str]) -> Fixes:
    """The fixes kept beside the document `source` (none for standard input)."""
    return Fixes() if os.fspath(source) == STDIN else load_fixes(Path(source))


def sidecar_paths(destination: Path, output: OutputOptions) -> tuple[tuple[str, Path], ...]:
    """The files written beside the destination, by kind: a web page's audio ("mp3") unless
    it is embedded, the manifest ("json") and subtitles."""
    page_audio = READ_ALONG_EXTENSIONS.get(destination.suffix.lower()) == "html"
    kinds = (
        (["mp3"] if page_audio and not output.embed_audio else [])
        + (["json"] if output.manifest else [])
        + [kind for kind in SUBTITLE_FORMATS if kind in output.subtitles]
    )
    return tuple((kind, destination.with_suffix(f".{kind}")) for kind in kinds)


def plan_digest(plan: NarrationPlan, source_bytes: bytes) -> str:
    """What decides a plan's output: the source's bytes, the options, the fixes, the engine
    and voice versions and audio-edition's own version, as a hex digest."""
    fields: Sequence[str] = (
        __version__,
        hashlib.sha256(source_bytes).hexdigest(),
        plan.options.digest(),
        *(f"{v.engine_version}\n{v.settings.voice or ''}" for v in plan.synthesis.voices),
        *([plan.fixes_digest] if plan.fixes_digest else []),
    )
    return hashlib.sha256("\n".join(fields).encode("utf-8")).hexdigest()


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"  # load_lexicon reports it


def _title_from(source: str | os.PathLike[str], destination: Path) -> str:
    stem = destination.stem if os.fspath(source) == STDIN else Path(source).stem
    return stem.replace("_", " ").replace("-", " ").strip() or stem


_ENGINE_NAME = re.compile(r"[a-z][a-z0-9_]*")
"""What comes before the colon of a cast's "engine:voice" (a drive letter is upper case)."""


def _choose_engine_and_voice(
    voice: VoiceOptions, document_language: str | None
) -> tuple[type[Engine], Voice | None]:
    """The engine and voice asked for; with no engine named, the best installed one: the first
    of ENGINES_BY_QUALITY with the voice asked for, else with a voice for the language (asked
    for, else the document's, else English), else the system voice as before."""
    if voice.engine is not None:
        engine = load_engine(voice.engine)
        return engine, _choose_voice(engine, voice.voice, voice.lang, document_language,
                                     voice.voice_dir)  # fmt: skip
    if voice.voice is not None and not LANGUAGE_TAG.fullmatch(voice.voice):
        return engine_for_voice(voice.voice, voice.voice_dir)
    if voice.voice is not None:  # a language: its best voice, else a voice that names it
        engine, found = best_voice(voice.voice, voice.voice_dir)
        return (engine, found) if found else engine_for_voice(voice.voice, voice.voice_dir)
    engine, found = best_voice(voice.lang or document_language or DEFAULT_LANGUAGE, voice.voice_dir)
    if found is None:
        return engine, _choose_voice(engine, None, voice.lang, document_language, voice.voice_dir)
    return engine, found


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
        voices = present_voices(engine, voice_dir)
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


def _cast(
    source: str | os.PathLike[str], manuscript: Manuscript, voice: VoiceOptions
) -> Cast | None:
    """The cast file's cast, else the document's front matter's, with --dialogue-voice as its
    default voice; None when there is none (speech is then read by the narrator)."""
    if voice.cast is not None:
        cast: Cast | None = load_cast(voice.cast)
    elif manuscript.cast is not None:
        cast = cast_from_table(manuscript.cast, f"{display_name(source)}: its front matter's cast")
    else:
        cast = None
    return with_dialogue_voice(cast, voice.dialogue_voice)


def _cast_synthesis(
    options: VoiceOptions, document_language: str | None, cast: Cast | None
) -> tuple[SynthesisConfig, dict[str, int]]:
    """The narrator's voice (the cast's when neither --engine nor --voice is given) with the
    cast's other voices, each found installed (else a UsageError in one line, before any
    work); and the index in the config's voices of each voice the cast asks for."""
    if cast is not None and cast.narrator is not None and options.engine is None is options.voice:
        options = _with_voice(options, cast.narrator)
    configs = [_synthesis(options, document_language)]
    index_of = {NARRATOR: 0}
    asked = [*(voice for _, voice in cast.voices), cast.default or NARRATOR] if cast else []
    for spec in (spec for spec in asked if spec not in index_of):
        try:
            config = _synthesis(_with_voice(options, spec), document_language)
        except UsageError as error:
            raise UsageError(f"the voice {spec!r} {_whose(cast, spec)}: {error}") from None
        if config not in configs:
            configs.append(config)
        index_of[spec] = configs.index(config)
    return dataclasses.replace(configs[0], cast=tuple(configs[1:])), index_of


def _whose(cast: Cast | None, spec: str) -> str:
    """Who a cast gives the voice `spec` to, as a message says it: "of Holmes and Watson",
    "of the dialogue"."""
    names = [name for name, voice in cast.voices if voice == spec] if cast else []
    if cast is not None and cast.default == spec:
        names.append("the dialogue" if not cast.voices else "speakers the cast does not name")
    return "of " + " and ".join(names)


def _speaker_voices(
    document: Document, cast: Cast | None, index_of: dict[str, int]
) -> tuple[tuple[str, int], ...]:
    """The voice of every speaker of the document: the cast's for them, else its default."""
    if cast is None:
        return ()
    voices = dict(cast.voices)
    speakers = {
        part.speaker for paragraph in document.paragraphs for sentence in paragraph.sentences
        for part in sentence.parts if part.speaker is not None
    }  # fmt: skip
    default = cast.default or NARRATOR
    return tuple(sorted((name, index_of[voices.get(name, default)]) for name in speakers))


def _with_voice(options: VoiceOptions, spec: str) -> VoiceOptions:
    """`options` with a cast's voice: "engine:voice"; else a voice of the narrator's engine,
    when --engine names one that has it; else a voice as --voice takes it."""
    engine, colon, voice = spec.partition(":")
    if colon and (engine in engine_names() or _ENGINE_NAME.fullmatch(engine)):
        load_engine(engine)  # an unknown engine is a UsageError naming the engines there are
        return dataclasses.replace(options, engine=engine, voice=voice or None)
    if options.engine is not None:
        with contextlib.suppress(UsageError):
            resolve_voice(load_engine(options.engine), spec, options.voice_dir)
            return dataclasses.replace(options, voice=spec)
    return dataclasses.replace(options, engine=None, voice=spec)
