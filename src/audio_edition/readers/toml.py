"""TOML parsing on every Python the package supports: the standard library's tomllib from 3.11,
tomli (the same parser, released on its own) before. Lexicons and TOML front matter read TOML
only through here."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    from tomllib import TOMLDecodeError, loads
else:
    from tomli import TOMLDecodeError, loads

__all__ = ["TOMLDecodeError", "loads"]
