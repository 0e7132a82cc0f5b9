"""Shared fixtures: running the real CLI in a subprocess, and the example review."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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
    """Every test (and every CLI it runs) gets its own empty user cache folder, and the fake
    engine's fault words (MUTE, CRASH...) work, a ONCE fault striking once per test, whichever
    worker speaks it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("AUDIO_EDITION_FAKE_FAULTS", "1")
    monkeypatch.setenv("AUDIO_EDITION_FAKE_STATE", str(tmp_path_factory.mktemp("fake-state")))


PROGRESS_LINE = re.compile(
    rb"audio-edition: [\d.]+/\d+ (paragraphs, [\d.]+ min of audio|documents) in \d+:\d\d"
    rb"(, about \d+:\d\d left)?\n"
)
"""The line a run prints every few seconds when stderr is not a terminal (cli.progress)."""


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run `python -m audio_edition ARGS` in tmp_path; returns the CompletedProcess, its stderr
    without the progress lines a slow run (a loaded machine) prints every few seconds."""

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
