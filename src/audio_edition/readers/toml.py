"""TOML parsing on every Python the package supports: the standard library's tomllib from 3.11,
tomli (the same parser, released on its own) before. Lexicons, casts and TOML front matter read
TOML only through here."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from audio_edition.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib as _parser
    from tomllib import TOMLDecodeError
else:
    import tomli as _parser
    from tomli import TOMLDecodeError

__all__ = ["NESTED_TOO_DEEPLY", "TOMLDecodeError", "loads", "read_toml_file"]

NESTED_TOO_DEEPLY = "nesting too deep"
"""What a TOMLDecodeError says of arrays or tables nested deeper than the parser, which
reads them recursively, can go."""


def loads(text: str) -> dict[str, Any]:
    """`text` parsed; a TOMLDecodeError for anything that is not TOML, nesting too deep for
    the parser included (it would be a RecursionError)."""
    try:
        return _parser.loads(text)
    except RecursionError:
        raise TOMLDecodeError(NESTED_TOO_DEEPLY) from None


def read_toml_file(file: Path, kind: str, max_bytes: int) -> dict[str, Any]:
    """The TOML file `file` (a `kind` of file: "lexicon", "cast") parsed; an InputError in one
    line when it cannot be read, is larger than `max_bytes`, or is no UTF-8 TOML."""
    name = str(file)
    if file.is_dir():
        raise InputError(f"{name} is a directory, not a {kind} file")
    try:
        with file.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as error:
        raise InputError(f"cannot read {name}: {error.strerror}") from None
    if len(data) > max_bytes:
        raise InputError(f"{name} is larger than {max_bytes // 1024} KiB, the {kind} file limit")
    try:
        return loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not valid UTF-8 (byte {error.start})") from None
    except TOMLDecodeError as error:
        raise InputError(f"{name}: not valid TOML ({_problem(str(error))})") from None


def _problem(message: str) -> str:
    """ "Invalid value (at line 2, column 5)" -> "line 2: Invalid value"."""
    found = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
    if found:
        return f"line {found.group(1)}: {message[: found.start()]}"
    return message.replace(" (at end of document)", " at the end")
