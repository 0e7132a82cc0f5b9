"""eSpeak NG speaks each clip in a child process forked from the same state: a child that fails
or dies is a SynthesisError and its parent goes on; a child dies with its parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from audio_edition import SynthesisError
from audio_edition.engines.espeak_ng import _in_child


def test_a_child_that_fails_or_dies_is_a_synthesis_error_and_its_parent_goes_on():
    def fails() -> bytes:
        raise RuntimeError("inside the child")

    def dies() -> bytes:
        os.kill(os.getpid(), signal.SIGKILL)
        return b""

    failed = r"^eSpeak NG failed on the text \({}\)$"
    with pytest.raises(SynthesisError, match=failed.format("exit status 1")):
        _in_child(fails, lambda: None)
    with pytest.raises(SynthesisError, match=failed.format("killed by signal 9")):
        _in_child(dies, lambda: None)
    assert _in_child(lambda: b"samples", lambda: None) == b"samples"


def test_a_child_dies_with_its_parent(tmp_path):
    """A worker killed for a hung clip leaves no eSpeak NG child behind."""
    script = (
        "import os, sys, time\n"
        "from audio_edition.engines.espeak_ng import _death_signal_setter, _in_child\n"
        "def hang():\n"
        "    print(os.getpid(), flush=True)\n"
        "    time.sleep(600)\n"
        "    return b''\n"
        "_in_child(hang, _death_signal_setter())\n"
    )
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE) as parent:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        parent.kill()
    deadline = time.monotonic() + 30
    while Path(f"/proc/{child}").exists() and _state(child) != "Z":
        assert time.monotonic() < deadline, "the child outlived its parent"
        time.sleep(0.05)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"
