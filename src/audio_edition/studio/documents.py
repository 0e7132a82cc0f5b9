"""What the studio shows and asks: a document as it will be spoken, the voices to choose
from, a voice's sample, and the options a narration request gives."""

from __future__ import annotations

import dataclasses
import logging
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from audio_edition.editions.page import sentence_id
from audio_edition.encode.formats import FORMATS_BY_EXTENSION, READ_ALONG_EXTENSIONS
from audio_edition.engines import best_voice, engine_names, load_engine, present_voices
from audio_edition.errors import UsageError
from audio_edition.narration.plan import (
    LayoutOptions,
    NarrationPlan,
    Options,
    OutputOptions,
    VoiceOptions,
)
from audio_edition.narration.render import open_cache, say_line
from audio_edition.speak.clips import SynthesisConfig
from audio_edition.text.normalize.languages import DEFAULT_LANGUAGE
from audio_edition.text.phonemes import shown, with_ipa_as

log = logging.getLogger(__name__)

FORMATS = tuple(extension.lstrip(".") for extension in (*FORMATS_BY_EXTENSION,
                                                        *READ_ALONG_EXTENSIONS))  # fmt: skip
"""What a narration request's "format" may be: an audio format, "epub" or "html" (a page)."""
SAMPLE_TEXT = "This is {name}. On the third of March, at half past seven, the chapter began."
"""What a voice says in its sample."""
_NUMBERS = {"rate": VoiceOptions, "sentence_pause_ms": LayoutOptions,
            "paragraph_pause_ms": LayoutOptions}  # fmt: skip
NARRATION_FIELDS = ("voice", *_NUMBERS)
"""What a request may say of how to narrate (a narration's, a publish's)."""


def voice_options(spec: str | None, base: VoiceOptions) -> VoiceOptions:
    """`base` with a voice as the API names it: "engine:voice", "engine:" (its default), or
    a voice as --voice takes it; None keeps `base`'s."""
    if spec is None:
        return base
    if not isinstance(spec, str) or not spec.strip():
        raise UsageError("voice must be a voice's name, such as hibari:heart")
    engine, colon, voice = spec.partition(":")
    if colon and engine in engine_names():
        load_engine(engine)
        return VoiceOptions(engine=engine, voice=voice or None, rate=base.rate)
    return VoiceOptions(voice=spec, rate=base.rate)


def narration_options(body: Mapping[str, Any], base: Options) -> tuple[Options, str]:
    """The options and the format ("mp3"...) a narration request asks for."""
    unknown = sorted(set(body) - {"format", *NARRATION_FIELDS})
    if unknown:
        raise UsageError(f"unknown field {unknown[0]!r}; use format, {', '.join(NARRATION_FIELDS)}")
    form = body.get("format") or "mp3"
    if form not in FORMATS:
        raise UsageError(f"unknown format {form!r}; use {', '.join(FORMATS)}")
    for name in _NUMBERS:
        value = body.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise UsageError(f"{name} must be a whole number, not {value!r}")
    voice = voice_options(body.get("voice"), base.voice)
    voice = dataclasses.replace(voice, **_given(body, VoiceOptions))
    layout = dataclasses.replace(base.layout, **_given(body, LayoutOptions))
    return dataclasses.replace(base, voice=voice, layout=layout), form


def _given(body: Mapping[str, Any], group: type) -> dict[str, Any]:
    """The numbers of `body` that are fields of `group`."""
    return {name: body[name] for name, of in _NUMBERS.items()
            if of is group and body.get(name) is not None}  # fmt: skip


def voice_name(config: SynthesisConfig) -> str:
    """A voice as the API names it: "engine:voice" ("engine:" for its default)."""
    return f"{config.engine}:{config.settings.voice or ''}"


def default_voice() -> str:
    """The voice narrate picks when none is asked for, as the API names it: the best
    installed for English."""
    engine, voice = best_voice(DEFAULT_LANGUAGE)
    return f"{engine.name}:{voice.id if voice is not None else ''}"


def document_view(
    document_id: str, plan: NarrationPlan, proofs: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The document as it will be spoken: its chapters, their paragraphs, their sentences
    (written, spoken, each part's speaker and voice, and a proof-listening's `proofs` of
    them, by sentence id)."""
    voices = [voice_name(config) for config in plan.synthesis.voices]
    speaker_voices = dict(plan.speaker_voices)
    document = plan.document
    chapters = [
        {"heading": section.heading,
         "paragraphs": [_paragraph(paragraph, voices, speaker_voices, proofs or {})
                        for paragraph in section.paragraphs]}
        for section in document.sections
    ]  # fmt: skip
    return {"id": document_id, "title": plan.tags.title, "author": plan.tags.artist,
            "language": plan.language, "voice": voices[0], "chapters": chapters}  # fmt: skip


def _paragraph(
    paragraph: Any, voices: list[str], speaker_voices: dict[str, int], proofs: dict[str, Any]
) -> Any:
    sentences = []
    for index, sentence in enumerate(paragraph.sentences):
        parts = [{"written": part.text, "spoken": shown(part.spoken), "speaker": part.speaker,
                  "voice": voices[speaker_voices.get(part.speaker or "", 0)]}
                 for part in sentence.parts]  # fmt: skip
        spoken, sid = shown(sentence.spoken), sentence_id(paragraph.index, index)
        sentences.append({"id": sid, "written": sentence.text, "spoken": spoken,
                          "editable": editable(sentence.spoken), "differs": spoken != sentence.text,
                          "parts": parts, "proof": proofs.get(sid)})  # fmt: skip
    return {"index": paragraph.index, "heading": paragraph.heading, "sentences": sentences}


def editable(spoken: str) -> str:
    """Spoken text as its fix is written: a word a lexicon says in IPA as its respelling
    alone (a fix is said as written, so "/IPA/" in it would be read out)."""
    return with_ipa_as(spoken, lambda respelling, ipa: respelling)


def written_sentence(plan: NarrationPlan, sid: str) -> str:
    """The written text of the sentence `sid` ("s{paragraph}-{sentence}")."""
    for paragraph in plan.document.paragraphs:
        for index, sentence in enumerate(paragraph.sentences):
            if sentence_id(paragraph.index, index) == sid:
                return sentence.text
    raise UsageError(f"no sentence {sid!r} in the document")


def voices(extra: str | None = None) -> list[dict[str, Any]]:
    """Every installed voice of the listed engines (and `extra`, the studio's default, first
    unless listed), as {"id": "engine:voice", "name", "languages"}; a broken engine is
    logged and left out."""
    found = []
    for name in engine_names():
        try:
            engine = load_engine(name)
            listed = present_voices(engine) if engine.listed else []
        except Exception as error:  # a plug-in engine that fails must not hide the others
            log.warning("%s: %s", name, error)
            continue
        found += [{"id": f"{name}:{voice.id}", "name": f"{voice.name} ({name})",
                   "languages": list(voice.languages)} for voice in listed]  # fmt: skip
    if extra and extra not in {voice["id"] for voice in found}:
        found.insert(0, {"id": extra, "name": voice_label(extra), "languages": []})
    return found


def voice_label(spec: str) -> str:
    """A voice as a person reads its name: "engine:" is "engine (default voice)"."""
    engine, colon, voice = spec.partition(":")
    return f"{engine} (default voice)" if colon and not voice else spec


def sample(spec: str, base: VoiceOptions, cache_dir: Path | None) -> bytes:
    """SAMPLE_TEXT spoken by the voice `spec`, as WAV bytes."""
    options = Options(voice=voice_options(spec, base), output=OutputOptions(force=True))
    text = SAMPLE_TEXT.format(name=spec.partition(":")[2] or spec)
    with tempfile.TemporaryDirectory(prefix="audio-edition-sample-") as folder:
        destination = Path(folder) / "sample.wav"
        say_line(text, destination, options, open_cache(cache_dir, True))
        return destination.read_bytes()
