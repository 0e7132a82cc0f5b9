"""The exceptions audio-edition raises; the CLI maps them to messages and exit codes."""

from __future__ import annotations

import os
import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def shown(text: str | os.PathLike[str]) -> str:
    """`text` (a file name, a message naming one) fit for one terminal line: control
    characters (C0 with newlines and ESC, DEL, C1) and undecodable bytes written as escapes
    (\\x1b, \\n, \\udcff)."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], os.fspath(text))


EXCERPT_CHARACTERS = 60
"""The most characters of a document's text that a message quotes."""


def excerpt(text: str, limit: int = EXCERPT_CHARACTERS) -> str:
    """`text` on one line, for a message to quote: whole when it is at most `limit`
    characters, else its start ending in "...", `limit` characters in all (cut after a word
    when one ends in its second half)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    head = flat[: limit - 3]
    space = head.rfind(" ")
    return (head[:space] if space >= limit // 2 else head) + "..."


class AudioEditionError(Exception):
    """Base of every error this package raises on purpose. Its message is one line for a user."""

    exit_code = 1


class UsageError(AudioEditionError):
    """The request itself cannot be met: an option value, a voice, a format, an existing output."""

    exit_code = 2


class AbsentVoiceError(UsageError):
    """The voice asked for is known but cannot speak here: its file is not on this machine."""


class OptionError(UsageError):
    """An option's value the request cannot take. The message calls the option by its field
    name (`option`: "rate", "voice_dir"); named() calls it otherwise (the CLI: by its flag)."""

    def __init__(self, option: str, rest: str, lead: str = "") -> None:
        super().__init__(option, rest, lead)  # what a copy is made from (pickling)
        self.option, self.rest, self.lead = option, rest, lead

    def __str__(self) -> str:
        return self.named(self.option)

    def named(self, name: str) -> str:
        """The message, with the option called `name`: `lead`, the name, then `rest`."""
        return f"{self.lead}{name}{self.rest}"


class InputError(AudioEditionError):
    """The input is missing, unreadable, empty, binary or not valid in its encoding."""


class OutputError(AudioEditionError):
    """The destination cannot be written."""


class MissingDependencyError(AudioEditionError):
    """A program or library the run needs is not installed."""


class SynthesisError(AudioEditionError):
    """The engine could not produce a good clip for a piece of text, even after a retry."""


class ClusterError(AudioEditionError):
    """The Dask cluster cannot be reached, went away, or has a worker that cannot speak the
    plan."""


class EncodeError(AudioEditionError):
    """ffmpeg failed; carries the command and what it printed."""

    def __init__(self, message: str, command: list[str] | None = None, stderr: str = "") -> None:
        if command is not None:
            last_line = stderr.strip().splitlines()[-1] if stderr.strip() else "no output"
            message = f"{message}: {last_line}"
        super().__init__(message)
        self.command = command or []
        self.stderr = stderr


class ProofError(AudioEditionError):
    """Proof-listening found paragraphs that did not come out as written."""
