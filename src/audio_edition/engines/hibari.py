"""hibari: a small neural English voice (6M parameters, distilled from Kokoro-82M's af_heart)
that runs on numpy and onnxruntime, ``audio-edition[hibari]``.

Its voice ``heart`` ships in the package; its other voices (emma, fenrir, fable, kore) are
files hibari would download on first use: this engine never downloads, and lists a voice only
when its file is already in hibari's folder (``HIBARI_HOME``, else the user cache's
``hibari``). Asking for one that is not there is one line that says where its file goes.
The model is loaded once per worker process, computes in the worker's thread budget, and
speaks every clip with the same seed, so the same text always gives the same samples.
``--rate`` maps to hibari's speed: at speed 1 it reads NATURAL_WPM words a minute. Text is
plain text: hibari's inline ``[word](/phonemes/)`` markup is broken up before it sees it; only
a word the lexicon gives in IPA (text.phonemes) becomes such markup.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from audio_edition.engines.base import Audio, Voice, VoiceSettings
from audio_edition.errors import MissingDependencyError
from audio_edition.text.phonemes import with_ipa_as

NATURAL_WPM = 156
"""Words per minute hibari's heart reads at speed 1 (the example review: 332 words in 127.9 s,
paragraph by paragraph)."""
SEED = 0
"""The seed of hibari's noise for every clip: the same text gives the same samples."""
DEFAULT_VOICE = "heart"
EXTRA = "pip install 'audio-edition[hibari]'"


def _require_hibari() -> str:
    """hibari's version; a clear error naming the extra when it cannot be imported."""
    try:
        import hibari  # noqa: F401  (imports onnxruntime: only when hibari speaks)
    except ImportError:
        raise MissingDependencyError(
            f"the hibari engine needs hibari-tts, which is not installed: {EXTRA}"
        ) from None
    return importlib.metadata.version("hibari-tts")


def _voice(name: str, described: dict[str, Any]) -> Voice:
    from hibari.voices import voice_path

    try:
        path = Path(voice_path(name, download_missing=False))
        absent = None
    except FileNotFoundError as missing:
        path = None
        absent = (
            f"hibari's voice {name!r} is not on this machine (nothing is downloaded): put its "
            f"file {Path(str(missing)).name} in {Path(str(missing)).parent} (or in $HIBARI_HOME)"
        )
    return Voice(
        id=name, name=f"{name.title()} ({described['accent']})",
        languages=(described["language"].lower(),), gender=described["gender"],
        quality="neural", file=path, absent=absent,
    )  # fmt: skip


MISAKI = (
    ("eɪ", "A"),
    ("aɪ", "I"),
    ("ɔɪ", "Y"),
    ("aʊ", "W"),
    ("oʊ", "O"),
    ("əʊ", "Q"),
    ("ɚ", "əɹ"),
    ("ɝ", "ɜɹ"),
    ("g", "\u0261"),
    ("r", "ɹ"),
)  # g as IPA writes it
"""IPA as hibari's phoneme alphabet (misaki's) writes it: a diphthong is one letter."""


def misaki(ipa: str) -> str:
    """`ipa` in hibari's phoneme alphabet."""
    for written, phoneme in MISAKI:
        ipa = ipa.replace(written, phoneme)
    return ipa


def _session(model: str, threads: int) -> Any:
    """hibari's onnxruntime session as hibari makes it, but without the CPU memory arena,
    which keeps the largest input's buffers for good: a worker's memory stays flat however
    long the document (measured in bench/RESULTS.md, "hibari at 10k and 40k words")."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = threads
    options.log_severity_level = 3
    options.enable_cpu_mem_arena = False
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def _plain_text(text: str) -> str:
    """`text` with hibari's `[word](/phonemes/)` markup broken up: read as written."""
    return text.replace("](", "] (")


class HibariEngine:
    """hibari's voices: heart, and those whose files are on this machine."""

    name: ClassVar[str] = "hibari"
    listed: ClassVar[bool] = True
    has_default_voice: ClassVar[bool] = True
    takes_ipa: ClassVar[bool] = True

    def __init__(self, settings: VoiceSettings) -> None:
        _require_hibari()
        from hibari import Hibari

        voice = settings.voice or DEFAULT_VOICE
        self._tts: Any = Hibari(voice=voice, threads=max(1, settings.threads))
        self._tts.sess = _session(self._tts.model_path, max(1, settings.threads))
        _ = self._tts.g2p  # its lexicons load now, while the worker starts, not in a clip
        self._speed = settings.rate / NATURAL_WPM
        self._rate = int(self._tts.sample_rate)

    @classmethod
    def voices(cls, voice_dir: Path | None = None) -> list[Voice]:
        _require_hibari()
        from hibari.voices import VOICES

        return [_voice(name, described) for name, described in VOICES.items()]

    @classmethod
    def voice_from_file(cls, path: Path) -> Voice | None:
        return None  # hibari's voices are named; their files sit in its own folder

    @classmethod
    def version(cls) -> str:
        hibari = _require_hibari()
        onnxruntime = importlib.metadata.version("onnxruntime")
        return f"hibari-tts {hibari}; onnxruntime {onnxruntime}; seed {SEED}"

    def synthesize(self, text: str) -> Audio:
        said = with_ipa_as(
            _plain_text(text), lambda respelling, ipa: f"[{respelling}](/{misaki(ipa)}/)"
        )
        audio = self._tts(said, speed=self._speed, seed=SEED)
        pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2")
        return Audio(pcm.tobytes(), self._rate)

    def close(self) -> None:
        self._tts = None
