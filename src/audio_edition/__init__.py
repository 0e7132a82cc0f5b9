"""audio-edition: turn a written piece into a narrated audio edition, offline."""

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    AudioEditionError,
    ClusterError,
    EncodeError,
    InputError,
    MissingDependencyError,
    OutputError,
    SynthesisError,
    UsageError,
)

__version__ = "0.1.0"

_LAZY_NAMES = {
    "Edition": "pipeline", "Progress": "pipeline", "narrate": "pipeline", "render": "pipeline",
    "LayoutOptions": "plan", "NarrationPlan": "plan", "Options": "plan",
    "OutputOptions": "plan", "ReadingOptions": "plan", "VoiceOptions": "plan",
    "plan_narration": "plan", "LocalPool": "synthesis", "ReadOptions": "readers",
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
    "Options",
    "OutputError",
    "OutputOptions",
    "Progress",
    "ReadOptions",
    "ReadingOptions",
    "SynthesisError",
    "UsageError",
    "VoiceOptions",
    "__version__",
    "narrate",
    "plan_narration",
    "render",
]

if TYPE_CHECKING:
    from .pipeline import Edition, Progress, narrate, render
    from .plan import (
        LayoutOptions,
        NarrationPlan,
        Options,
        OutputOptions,
        ReadingOptions,
        VoiceOptions,
        plan_narration,
    )
    from .readers import ReadOptions
    from .synthesis import LocalPool
