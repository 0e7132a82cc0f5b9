"""audio-edition: turn a written piece into a narrated audio edition, offline."""

from typing import TYPE_CHECKING, Any

from .errors import (
    AudioEditionError,
    EncodeError,
    InputError,
    MissingDependencyError,
    OutputError,
    SynthesisError,
    UsageError,
)

__version__ = "0.1.0"

_PIPELINE_NAMES = ("Edition", "Progress", "narrate")


def __getattr__(name: str) -> Any:
    """Load the pipeline (pydub, numpy, mutagen...) only when it is used: synthesis worker
    processes import this package too, and must start fast."""
    if name in _PIPELINE_NAMES:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AudioEditionError",
    "Edition",
    "EncodeError",
    "InputError",
    "MissingDependencyError",
    "OutputError",
    "Progress",
    "SynthesisError",
    "UsageError",
    "__version__",
    "narrate",
]

if TYPE_CHECKING:
    from .pipeline import Edition, Progress, narrate
