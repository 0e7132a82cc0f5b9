"""audio-edition: turn a written piece into a narrated audio edition, offline."""

import importlib
from typing import TYPE_CHECKING, Any

from audio_edition.errors import (
    AudioEditionError,
    ClusterError,
    EncodeError,
    InputError,
    MissingDependencyError,
    OptionError,
    OutputError,
    SynthesisError,
    UsageError,
)

__version__ = "0.1.0"

_LAZY_NAMES = {
    "Edition": "narration.render", "Progress": "narration.render",
    "narrate": "narration.render", "render": "narration.render",
    "LayoutOptions": "narration.plan", "NarrationPlan": "narration.plan",
    "Options": "narration.plan", "OutputOptions": "narration.plan",
    "ReadingOptions": "narration.plan", "VoiceOptions": "narration.plan",
    "plan_narration": "narration.plan", "read_document": "narration.plan",
    "LocalPool": "speak.synthesis", "ReadOptions": "readers",
    "check": "verify.check", "Report": "verify.report",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    """Load the pipeline (pydub, numpy, mutagen...) only when it is used: synthesis worker
    processes import this package too, and must start fast."""
    if name in _LAZY_NAMES:
        module = importlib.import_module(f".{_LAZY_NAMES[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AudioEditionError",
    "ClusterError",
    "Edition",
    "EncodeError",
    "InputError",
    "LayoutOptions",
    "LocalPool",
    "MissingDependencyError",
    "NarrationPlan",
    "OptionError",
    "Options",
    "OutputError",
    "OutputOptions",
    "Progress",
    "ReadOptions",
    "ReadingOptions",
    "Report",
    "SynthesisError",
    "UsageError",
    "VoiceOptions",
    "__version__",
    "check",
    "narrate",
    "plan_narration",
    "read_document",
    "render",
]

if TYPE_CHECKING:
    from audio_edition.narration.plan import (
        LayoutOptions,
        NarrationPlan,
        Options,
        OutputOptions,
        ReadingOptions,
        VoiceOptions,
        plan_narration,
        read_document,
    )
    from audio_edition.narration.render import Edition, Progress, narrate, render
    from audio_edition.readers import ReadOptions
    from audio_edition.speak.synthesis import LocalPool
    from audio_edition.verify.check import check
    from audio_edition.verify.report import Report
