"""The audio-edition command: a module per command parses its arguments and calls the library;
main() runs it and maps every error to one line and an exit code, here alone."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from types import FrameType
from typing import NoReturn, Protocol

from audio_edition import __version__
from audio_edition.cli import (
    batch,
    cache,
    check,
    config,
    narrate,
    publish,
    say,
    serve,
    spoken,
    voices,
)
from audio_edition.cli.config import CONFIGURED_COMMANDS, apply_config, settle
from audio_edition.cli.exits import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, EXIT_USAGE
from audio_edition.errors import AudioEditionError, OptionError, UsageError, shown

__all__ = ["main"]


class _Command(Protocol):
    """What a command's module holds."""

    @property
    def HELP(self) -> str:
        """A line for the command in the list of commands."""

    @property
    def DESCRIPTION(self) -> str | None:
        """What the command does, atop its help."""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, namespace: argparse.Namespace) -> int: ...


_COMMANDS: dict[str, _Command] = {
    "narrate": narrate, "batch": batch, "publish": publish, "spoken": spoken, "check": check,
    "voices": voices, "say": say, "config": config, "cache": cache, "serve": serve,
}  # fmt: skip
_KEEPING_FINISHED = ("batch", "publish")
"""The commands whose finished documents stay when they are interrupted."""


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error as one line like every other error (and the exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"audio-edition: error: {message} (see: {self.prog} --help)\n")


class _OneLineFormatter(logging.Formatter):
    """A warning on one line, whatever file names it quotes (their controls escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        return shown(super().format(record))


def _parsers() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The command line's parser, and each command's."""
    parser = _Parser(
        prog="audio-edition",
        description="Turn a written piece into a narrated audio edition, offline.",
        epilog=narrate.EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"audio-edition {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands: dict[str, argparse.ArgumentParser] = {}
    for name, command in _COMMANDS.items():
        commands[name] = subparsers.add_parser(
            name, help=command.HELP, description=command.DESCRIPTION
        )
        command.add_arguments(commands[name])
    return parser, commands


def _flag(parser: argparse.ArgumentParser, option: str) -> str:
    """The flag (its long form) of the parser's option whose destination is `option`, the
    name of the library's field it sets; `option` itself when none is."""
    flags = (action.option_strings[-1] for action in parser._actions
             if action.dest == option and action.option_strings)  # fmt: skip
    return next(flags, option)


def _message(error: AudioEditionError, parser: argparse.ArgumentParser) -> str:
    """The error's one line; an option is called by its flag."""
    if isinstance(error, OptionError):
        return error.named(_flag(parser, error.option))
    return str(error)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _warnings_shown(quiet: bool) -> Iterator[None]:
    """Warnings (errors alone with --quiet) on standard error, each on one line, for the run;
    the logging setup is put back after, so main() can run again in one process."""
    root = logging.getLogger()
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLineFormatter("audio-edition: %(message)s"))
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.ERROR if quiet else logging.WARNING)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser, commands = _parsers()
    try:
        configured, config_error = apply_config(commands), None
    except UsageError as error:  # the config file's: it stops only the commands it sets
        configured, config_error = {}, error
    namespace = parser.parse_args(argv)
    if config_error is not None and namespace.command in (*CONFIGURED_COMMANDS, "config"):
        _print_error(str(config_error))
        return config_error.exit_code
    settle(namespace, configured)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    with _warnings_shown(getattr(namespace, "quiet", False)):
        try:
            return _run(namespace)
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
            return EXIT_BROKEN_PIPE
        except AudioEditionError as error:
            _print_error(_message(error, commands[namespace.command]))
            return error.exit_code
        except KeyboardInterrupt:
            kept = "finished documents kept" if namespace.command in _KEEPING_FINISHED else (
                "no file written")  # fmt: skip
            print(f"audio-edition: interrupted; {kept}", file=sys.stderr)
            return EXIT_INTERRUPTED


def _print_error(message: str) -> None:
    print(f"audio-edition: error: {shown(message)}", file=sys.stderr)


def _run(namespace: argparse.Namespace) -> int:
    """The command's exit code, its output flushed (so a closed pipe is met here)."""
    code = _COMMANDS[namespace.command].run(namespace)
    if sys.stdout is not None:  # None when started with standard output closed
        sys.stdout.flush()
    return code
