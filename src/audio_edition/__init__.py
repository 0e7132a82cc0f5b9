"""audio-edition: turn a written piece into a narrated audio edition, offline."""

from .errors import (
    AudioEditionError,
    EncodeError,
    InputError,
    MissingDependencyError,
    OutputError,
    SynthesisError,
    UsageError,
)
from .pipeline import Edition, narrate

__version__ = "0.1.0"

__all__ = [
    "AudioEditionError",
    "Edition",
    "EncodeError",
    "InputError",
    "MissingDependencyError",
    "OutputError",
    "SynthesisError",
    "UsageError",
    "__version__",
    "narrate",
]
