"""render() turns a narration plan into files; narrate() plans and renders in one call."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from audio_edition.clock import samples_to_ms
from audio_edition.document import Document
from audio_edition.editions.epub3 import BookInfo, write_epub
from audio_edition.editions.manifest import ManifestInfo, write_manifest
from audio_edition.editions.manifest import manifest as build_manifest
from audio_edition.editions.page import page_html
from audio_edition.editions.subtitles import write_subtitles
from audio_edition.encode.ffmpeg import Encoder, EncoderLifecycle, Sink
from audio_edition.encode.formats import AAC, FORMATS_BY_EXTENSION, STREAM_FORMATS, OutputFormat
from audio_edition.encode.mp4 import ENCODER_PRIMING, add_mp4_chapters, set_gapless
from audio_edition.encode.segmented import SegmentedEncoder, default_encoders, open_encoder
from audio_edition.encode.tags import write_tags
from audio_edition.errors import OptionError, UsageError
from audio_edition.files import atomic_outputs, naming, scratch_file
from audio_edition.narration.kept import (
    ParagraphKeeper,
    can_keep,
    kept_paragraphs,
    paragraph_keys,
)
from audio_edition.narration.plan import (
    LayoutOptions,
    NarrationPlan,
    Options,
    OutputOptions,
    ReadingOptions,
    VoiceOptions,
    default_output,
    plan_narration,
)
from audio_edition.readers import ReadOptions
from audio_edition.shape import OUTPUT_SAMPLE_RATE
from audio_edition.shape.assemble import (
    ClipTiming,
    KeptParagraph,
    ParagraphSink,
    PcmSink,
    Timeline,
    assemble,
    expected,
    head_tone,
    paragraphs_of,
)
from audio_edition.shape.levels import Expected
from audio_edition.shape.timing import Chapter, TimedParagraph, chapters, timed_paragraphs
from audio_edition.speak.cache import ClipCache, default_cache_dir
from audio_edition.speak.clips import ClipRequest, SynthesisConfig, SynthesisStats, clip_requests
from audio_edition.speak.ledger import ClipLedger
from audio_edition.speak.synthesis import LocalPool, Synthesizer

STDOUT = "-"
"""The output that is standard output (see plan_stream, stream)."""


@dataclass(frozen=True)
class Edition:
    """What a render made."""

    path: Path
    """The audio file ("-" when it was streamed)."""
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
    kept: int
    """How many of those were not even read: their paragraphs' audio was kept whole."""
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


def narrate(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    engine: str | None = VoiceOptions.engine,
    voice: str | None = None,
    rate: int = VoiceOptions.rate,
    volume: float = LayoutOptions.volume,
    sentence_pause_ms: int = LayoutOptions.sentence_pause_ms,
    paragraph_pause_ms: int = LayoutOptions.paragraph_pause_ms,
    title: str | None = None,
    author: str | None = None,
    album: str | None = None,
    genre: str = OutputOptions.genre,
    input_format: str | None = None,
    encoding: str | None = None,
    lang: str | None = None,
    lexicon: str | os.PathLike[str] | None = None,
    cast: str | os.PathLike[str] | None = None,
    dialogue_voice: str | None = None,
    voice_dir: str | os.PathLike[str] | None = None,
    read_options: ReadOptions | None = None,
    max_input_bytes: int = ReadingOptions.max_input_bytes,
    chapters: str | None = None,
    force: bool = False,
    jobs: int | None = None,
    encoders: int | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    progress: Callable[[Progress], None] | None = None,
    manifest: bool = False,
    subtitles: Sequence[str] = (),
    embed_audio: bool = False,
) -> Edition:
    """Narrate the document `source` ("-" for standard input) into the audio file `output`.

    The format follows the output's extension (.mp3, .m4a, .m4b, .ogg, .opus, .flac, .wav, or
    .epub and .html read along); the default is output/<input stem>.mp3. A keyword named as a
    field of VoiceOptions, LayoutOptions, ReadingOptions (`read_options` is its `read`) or
    OutputOptions is that option. This is plan_narration() then render() on a LocalPool of
    `jobs` workers (the first started while the text is planned), each with a budget of the
    CPU count / `jobs` threads; `encoders` processes
    encode MP3 and AAC (both default to the CPU count). Verified clips are kept in `cache_dir`
    (default: the user cache folder) unless `use_cache` is false; `progress` is called after
    every clip. Raises an AudioEditionError subclass with a one-line message on any failure,
    leaving no file.
    """
    options = Options(
        voice=VoiceOptions(engine=engine, voice=voice, voice_dir=_optional_path(voice_dir),
                           rate=rate, lang=lang, lexicon=_optional_path(lexicon),
                           cast=_optional_path(cast), dialogue_voice=dialogue_voice),
        layout=LayoutOptions(volume, sentence_pause_ms, paragraph_pause_ms),
        reading=ReadingOptions(input_format, encoding, read_options or ReadOptions(),
                               max_input_bytes, chapters),
        output=OutputOptions(title=title, author=author, album=album, genre=genre,
                             manifest=manifest, subtitles=tuple(subtitles),
                             embed_audio=embed_audio, force=force),
    )  # fmt: skip
    if encoders is not None and encoders < 1:
        raise OptionError("encoders", f" must be at least 1, not {encoders}")
    with LocalPool(jobs) as pool:
        plan = plan_narration(source, output, options, pool.prepare)
        return render(plan, pool, open_cache(cache_dir, use_cache), progress, encoders)


def say_line(text: str, destination: Path, options: Options, cache: ClipCache | None) -> None:
    """`text` narrated into `destination` (its extension the format) by one worker: a voice
    heard before a long run."""
    with tempfile.TemporaryDirectory(prefix="audio-edition-say-") as folder:
        source = Path(folder) / "say.txt"
        source.write_text(text, encoding="utf-8")
        plan = plan_narration(source, destination, options)
        with LocalPool(1) as pool:
            render(plan, pool, cache)


def _optional_path(path: str | os.PathLike[str] | None) -> Path | None:
    return Path(path) if path is not None else None


def open_cache(cache_dir: str | os.PathLike[str] | None, use_cache: bool) -> ClipCache | None:
    """The clip cache in `cache_dir` (default: the user cache folder), or None without one."""
    if not use_cache:
        return None
    return ClipCache(Path(cache_dir) if cache_dir else default_cache_dir())


def render(
    plan: NarrationPlan,
    synthesizer: Synthesizer,
    cache: ClipCache | None = None,
    progress: Callable[[Progress], None] | None = None,
    encoders: int | None = None,
    listen: Sink | None = None,
) -> Edition:
    """Synthesize, assemble, encode, tag and write the plan's files; on any failure or
    interruption none of them is left (and an old edition is kept). With `listen`, the MP3's
    frames also go to it as they are made (a UsageError for another format): bare frames
    whose first one starts to play at once; the file gets its header when it is finished."""
    return finish(speak(plan, synthesizer, cache, progress, encoders, listen))


def stream(
    plan: NarrationPlan,
    synthesizer: Synthesizer,
    write: Sink,
    cache: ClipCache | None = None,
    progress: Callable[[Progress], None] | None = None,
    encoders: int | None = None,
    head: StreamHead | None = None,
) -> Edition:
    """render(), with the audio handed to `write` as it is made instead of written to the
    plan's destination (MP3, Opus, FLAC or WAV; see plan_stream): the same samples as the
    file, without its tags, chapters, cover or gapless header, which need a finished file.
    The plan's sidecars (manifest, subtitles) are written as render() writes them. The
    Edition's path is "-"; an error `write` raises (a closed pipe) ends the run with it.
    With a started `head` (writing to `write`), its encoder goes on."""
    spoken = speak(plan, synthesizer, cache, progress, encoders, write, streamed=True, head=head)
    return finish(spoken)


HEAD_WRITTEN_MS = 500
"""How much of a stream's head (room tone, the same in every piece) is encoded before its
text is segmented, so a player starts its clock while the first clip is made."""


class StreamHead:
    """A stream's encoder, opened by start() as soon as the plan has read the text and
    chosen its voices, and given the first `HEAD_WRITTEN_MS` of room tone at once; stream()
    goes on from there. Close it in any case (it is a no-op once stream() has it)."""

    def __init__(self, extension: str, write: Sink, encoders: int | None = None) -> None:
        self._format = _stream_format(extension)
        self._write = write
        self._encoders = encoders or default_encoders()
        self.encoder: Encoder | SegmentedEncoder | None = None
        """The encoder, once started."""
        self.samples = 0
        """How many samples it has been given."""

    def start(self) -> None:
        """Open the encoder and give it the head's first samples."""
        self.encoder = open_encoder(None, self._format, OUTPUT_SAMPLE_RATE, self._encoders,
                                    self._write)  # fmt: skip
        self.samples = OUTPUT_SAMPLE_RATE * HEAD_WRITTEN_MS // 1000
        self.encoder.write(head_tone(self.samples))

    def take(self) -> Encoder | SegmentedEncoder | None:
        """The encoder, now stream()'s to close."""
        encoder, self.encoder = self.encoder, None
        return encoder

    def close(self) -> None:
        """Stop the encoder if stream() never took it."""
        if self.encoder is not None:
            self.encoder.abort()
            self.encoder.close()


def plan_stream(
    source: str | os.PathLike[str],
    extension: str,
    options: Options | None = None,
    voices_chosen: Callable[[SynthesisConfig], None] | None = None,
) -> NarrationPlan:
    """plan_narration() for stream(): the audio in the format of `extension` (".mp3",
    ".opus", ".ogg", ".flac" or ".wav"), the sidecars output/<input stem>.json and so on.
    The destination the plan names is only their stem: it is neither written nor checked."""
    options = options or Options()
    _stream_format(extension)
    destination = default_output(source, extension.lower())
    unchecked = dataclasses.replace(options.output, force=True)  # the sidecars are, by speak()
    plan = plan_narration(
        source, destination, dataclasses.replace(options, output=unchecked), voices_chosen
    )
    return dataclasses.replace(plan, options=options)


def _stream_format(extension: str) -> OutputFormat:
    """The format of `extension` (".mp3"...), when it can be streamed."""
    found = FORMATS_BY_EXTENSION.get(extension.lower())
    if found not in STREAM_FORMATS:
        streamed = ", ".join(e.lstrip(".") for e, f in FORMATS_BY_EXTENSION.items()
                             if f in STREAM_FORMATS)  # fmt: skip
        raise UsageError(f"{extension.lstrip('.')} cannot be written to standard output as it "
                         f"is made; use {streamed}")  # fmt: skip
    assert found is not None
    return found


@dataclass
class Spoken:
    """A render whose speech is all in the encoder: finish() writes its files."""

    plan: NarrationPlan
    timeline: Timeline
    stats: SynthesisStats
    destination: Path | None
    """The destination's temporary file (None for a stream)."""
    sidecars: dict[str, Path]
    """The sidecars' temporary files, by kind."""
    audio: Path | None
    """The temporary file the audio is encoded into: the destination's, but for a book or a
    page read along, its "mp3" sidecar's or a scratch file; None for a stream."""
    encoder: EncoderLifecycle
    cleanup: contextlib.ExitStack
    """Closes the encoder, then renames the temporaries into place (or removes them)."""


def speak(
    plan: NarrationPlan,
    synthesizer: Synthesizer,
    cache: ClipCache | None = None,
    progress: Callable[[Progress], None] | None = None,
    encoders: int | None = None,
    listen: Sink | None = None,
    streamed: bool = False,
    head: StreamHead | None = None,
) -> Spoken:
    """The first half of render() (or of stream(), `streamed` to `listen`): every clip
    spoken (by the synthesizer, through the run's ClipLedger), laid out and handed to the
    encoder. A batch finishes one document while the next one speaks."""
    ledger = ClipLedger(plan.synthesis, cache)
    report = _progress_reporter(plan.document, progress) if progress is not None else None
    outputs = [path for _, path in plan.sidecars] if streamed else plan.outputs
    with contextlib.ExitStack() as cleanup:
        temporaries = cleanup.enter_context(atomic_outputs(outputs, plan.options.output.force))
        destination = None if streamed else temporaries[0]
        kinds = (kind for kind, _ in plan.sidecars)
        sidecars = dict(zip(kinds, temporaries[0 if streamed else 1 :], strict=True))
        audio = None if streamed else _audio_temporary(plan, destination, sidecars, cleanup)
        written = head.samples if head is not None else 0
        encoder = (head.take() if head is not None else None) or open_encoder(
            audio, plan.output_format, OUTPUT_SAMPLE_RATE, encoders or default_encoders(), listen
        )
        cleanup.callback(encoder.close)
        requests = clip_requests(plan.document, dict(plan.speaker_voices))
        whole = expected(requests, plan.layout, plan.synthesis.settings.rate)
        sink, kept = _sink(plan, encoder, requests, whole, cache)
        if written and requests:  # the first paragraph's head is in the encoder already
            kept.pop(requests[0].paragraph, None)
        ledger.stats.kept = sum(len(paragraph.requests) for paragraph in kept.values())
        spoken = [request for request in requests if request.paragraph not in kept]
        clips = synthesizer.synthesize(spoken, ledger)
        try:
            # the clips are closed at once on failure, so no worker outlives a run that raised
            with contextlib.closing(clips), _naming(audio):
                paragraphs = paragraphs_of(requests, clips, kept)
                timeline = assemble(paragraphs, plan.layout, sink, report, whole, written)
        except BaseException:
            encoder.abort()
            raise
        return Spoken(plan, timeline, ledger.stats, destination, sidecars, audio, encoder,
                      cleanup.pop_all())  # fmt: skip
    raise AssertionError("unreachable")  # the block returns or raises


def _sink(
    plan: NarrationPlan,
    encoder: Encoder | SegmentedEncoder,
    requests: Sequence[ClipRequest],
    whole: Expected,
    cache: ClipCache | None,
) -> tuple[ParagraphSink, dict[int, KeptParagraph]]:
    """Where assembly writes, and the paragraphs kept from an earlier run (see
    narration.kept): none without a cache, or for a run whose paragraphs cannot be kept."""
    if cache is None or not can_keep(plan.output_format, encoder, plan.layout, whole):
        return PcmSink(encoder.write), {}
    assert isinstance(encoder, SegmentedEncoder)
    keys = paragraph_keys(requests, plan.synthesis, plan.layout)
    return ParagraphKeeper(encoder, cache, keys), kept_paragraphs(requests, keys, cache)


def _naming(path: Path | None) -> contextlib.AbstractContextManager[None]:
    """files.naming() for a file; nothing for a stream."""
    return naming(path) if path is not None else contextlib.nullcontext()


def _audio_temporary(
    plan: NarrationPlan,
    destination: Path | None,
    sidecars: dict[str, Path],
    cleanup: contextlib.ExitStack,
) -> Path | None:
    """Where the encoder writes: see Spoken.audio."""
    if plan.read_along is None:
        return destination
    if "mp3" in sidecars:
        return sidecars["mp3"]
    return cleanup.enter_context(scratch_file(plan.destination, ".mp3"))


def finish(spoken: Spoken) -> Edition:
    """The second half of render(): the encoder finished, chapters, tags and sidecars
    written, and every file renamed into place."""
    plan, timeline, temporary = spoken.plan, spoken.timeline, spoken.audio
    with spoken.cleanup:
        sidecar_temporaries = dict(spoken.sidecars)
        sidecar_temporaries.pop("mp3", None)  # the audio itself
        duration_ms = samples_to_ms(timeline.total_samples, timeline.sample_rate)
        timed = timed_paragraphs(plan.document, timeline)
        marks = tuple(chapters(plan.document, timed, duration_ms))
        tags = dataclasses.replace(plan.tags, chapters=marks)
        with _naming(temporary):
            spoken.encoder.finish()
            if temporary is not None and plan.output_format == AAC:
                add_mp4_chapters(temporary, marks)  # a remux: the edit list is written again
                set_gapless(temporary, priming=ENCODER_PRIMING, samples=timeline.total_samples)
            if temporary is not None:
                write_tags(temporary, plan.output_format, tags)
        if "json" in sidecar_temporaries:
            settings = plan.synthesis.settings
            info = ManifestInfo(
                audio=plan.audio_name if temporary else STDOUT, title=tags.title,
                author=tags.artist, language=plan.language, duration_ms=duration_ms,
                sample_rate=timeline.sample_rate, engine=plan.synthesis.engine,
                voice=settings.voice, rate=settings.rate, clips=len(timeline.clips),
                synthesized=spoken.stats.synthesized,
                cached=spoken.stats.cached + spoken.stats.kept,
                cast=tuple((v.engine, v.settings.voice) for v in plan.synthesis.cast),
            )  # fmt: skip
            manifest_path = sidecar_temporaries.pop("json")
            with naming(manifest_path):
                write_manifest(manifest_path, build_manifest(info, timed, marks))
        write_subtitles(sidecar_temporaries, timed, tags.title, tags.artist)
        if plan.read_along is not None:
            assert spoken.destination is not None and temporary is not None  # not streamed
            _write_read_along(plan, spoken.destination, temporary, timed, marks, duration_ms)
    return Edition(
        path=plan.destination if temporary is not None else Path(STDOUT),
        title=tags.title,
        duration_seconds=timeline.duration_seconds,
        paragraphs=len(plan.document.paragraphs),
        clips=len(timeline.clips),
        synthesized=spoken.stats.synthesized,
        cached=spoken.stats.cached + spoken.stats.kept,
        kept=spoken.stats.kept,
        document=plan.document,
        timeline=timeline,
        timed_paragraphs=tuple(timed),
        chapters=marks,
        sidecars=dict(plan.sidecars),
    )


def _write_read_along(
    plan: NarrationPlan,
    path: Path,
    audio: Path,
    timed: Sequence[TimedParagraph],
    marks: Sequence[Chapter],
    duration_ms: int,
) -> None:
    """The book (with the audio inside) or the page (the audio beside it or inside it)."""
    tags = plan.tags
    if plan.read_along == "epub":
        info = BookInfo(tags.title, tags.artist, plan.language, plan.document.cover)
        write_epub(path, plan.document, timed, audio, info, duration_ms)
        return
    source = audio.read_bytes() if plan.options.output.embed_audio else plan.audio_name
    page = page_html(
        plan.document, timed, marks, title=tags.title, author=tags.artist,
        language=plan.language, audio=source,
    )  # fmt: skip
    path.write_text(page, encoding="utf-8")


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
