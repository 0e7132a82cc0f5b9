"""Shared fixtures: running the real CLI (in this process, or in a subprocess where a process
is the point), and the example review."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from audio_edition.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "twilight-serenade.txt"


@pytest.fixture(scope="session", autouse=True)
def session_cache(tmp_path_factory):
    """Module-scoped fixtures, made before any test's own cache is set, get a cache folder of
    the session's rather than the user's: no test hears clips an earlier run left there."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("session-cache")))
        yield


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Every test (and every CLI it runs) gets its own empty user cache and config folders
    (no one's config file applies), and the fake
    engine's fault words (MUTE, CRASH...) work, a ONCE fault striking once per test, whichever
    worker speaks it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("AUDIO_EDITION_FAKE_FAULTS", "1")
    monkeypatch.setenv("AUDIO_EDITION_FAKE_STATE", str(tmp_path_factory.mktemp("fake-state")))


PROGRESS_LINE = re.compile(
    rb"audio-edition: [\d.]+/\d+ (paragraphs, [\d.]+ min of audio|documents) in \d+:\d\d"
    rb"(, about \d+:\d\d left)?\n"
)
"""The line a run prints every few seconds when stderr is not a terminal (cli.progress)."""


@dataclass
class CliRun:
    """A finished run of the command line: its exit code and what it wrote."""

    returncode: int
    stdout: bytes
    stderr: bytes


def _exit_code(exit_info: SystemExit) -> int:
    """The exit code argparse's SystemExit carries."""
    return exit_info.code if isinstance(exit_info.code, int) else 0 if exit_info.code is None else 1


@pytest.fixture
def run_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run `audio-edition ARGS` in this process, in tmp_path, as main() runs it, with its own
    standard input, output and error; returns a CliRun, its stderr without the progress lines
    a slow run (a loaded machine) prints every few seconds."""

    def run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None):
        out, err = io.BytesIO(), io.BytesIO()
        stdout = io.TextIOWrapper(out, write_through=True)
        stderr = io.TextIOWrapper(err, "utf-8", "backslashreplace", write_through=True)
        terminate = signal.getsignal(signal.SIGTERM)
        with monkeypatch.context() as patch:
            patch.chdir(tmp_path)
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin or b"")))
            patch.setattr(sys, "stdout", stdout)
            patch.setattr(sys, "stderr", stderr)
            try:
                code = main(list(args))
            except SystemExit as exit_info:
                code = _exit_code(exit_info)
            finally:
                signal.signal(signal.SIGTERM, terminate)
        return CliRun(code, out.getvalue(), PROGRESS_LINE.sub(b"", err.getvalue()))

    return run


@pytest.fixture
def run_cli_process(tmp_path: Path):
    """Run `python -m audio_edition ARGS` in a subprocess in tmp_path, for tests whose point is
    a process (a signal, a pipe, what is left when it dies); returns the CompletedProcess, its
    stderr without the progress lines."""

    def run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None):
        done = subprocess.run(
            [sys.executable, "-m", "audio_edition", *args],
            cwd=tmp_path,
            input=stdin,
            capture_output=True,
            env={**os.environ, **(env or {})},
            timeout=300,
        )
        done.stderr = PROGRESS_LINE.sub(b"", done.stderr)
        return done

    return run


@pytest.fixture
def write_text(tmp_path: Path):
    """Write a text fixture into tmp_path and return its path."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def example_text() -> str:
    """The example film review."""
    return EXAMPLE.read_text(encoding="utf-8")
