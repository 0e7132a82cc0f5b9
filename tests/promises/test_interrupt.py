"""Runs stopped part-way: Ctrl-C, SIGTERM or a dying encoder end the run with nothing left
running and nothing written, and an existing edition stays as it was."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.tools import as_on_a_terminal

LONG_TEXT = "\n\n".join(f"Paragraph number {i} says a few words here." for i in range(1000))
NARRATE = ["narrate", "long.txt", "--engine", "fake", "-o", "long.mp3", "--jobs", "2",
           "--manifest", "--subtitles", "srt,vtt"]  # fmt: skip
TEMPORARIES = (".long.mp3.*.part", ".long.json.*.part", ".long.srt.*.part", ".long.vtt.*.part")


def running_processes(*, group: int | None = None, parent: int | None = None) -> list[list[str]]:
    """The command lines of the processes in process `group` (or with `parent`) that are still
    running; a zombie has ended and is left out."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
        except OSError:  # it ended meanwhile
            continue
        state, ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if state != "Z" and (int(pgrp) == group or int(ppid) == parent):
            found.append([entry.name, *command.split("\0")[:-1]])
    return found


def is_worker(command: list[str]) -> bool:
    return command[2:4] == ["-m", "audio_edition.speak.worker"]


def is_ffmpeg(command: list[str]) -> bool:
    return Path(command[1]).name == "ffmpeg"


def start_narrate(folder: Path, *options: str) -> subprocess.Popen[bytes]:
    """The CLI narrating long.txt in `folder`, in a process group of its own (as a shell starts
    a command on a terminal)."""
    return subprocess.Popen(
        [sys.executable, "-m", "audio_edition", *NARRATE, *options],
        cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        preexec_fn=as_on_a_terminal,
    )  # fmt: skip


def wait_until_encoding(process: subprocess.Popen[bytes], folder: Path) -> list[list[str]]:
    """Wait until the run is in full swing: every temporary file made, encoded audio in the
    audio's, its workers and ffmpeg running. Returns the processes of its group."""
    while True:
        assert process.poll() is None, f"the run ended first: {process.communicate()[1]!r}"
        temporaries = [list(folder.glob(pattern)) for pattern in TEMPORARIES]
        with contextlib.suppress(FileNotFoundError):
            if all(temporaries) and temporaries[0][0].stat().st_size > 4096:  # past the Info frame
                group = running_processes(group=process.pid)
                if any(map(is_worker, group)) and any(map(is_ffmpeg, group)):
                    return group
        time.sleep(0.02)


@contextlib.contextmanager
def group_ended(process: subprocess.Popen[bytes]):
    """On the way out, kill whatever the test left running in the process's group."""
    try:
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.mark.parametrize("how", ["ctrl-c to the process group", "sigterm to the command"])
def test_interrupted_run_stops_every_process_and_leaves_nothing(write_text, tmp_path, how):
    write_text("long.txt", LONG_TEXT)
    process = start_narrate(tmp_path)
    with group_ended(process):
        wait_until_encoding(process, tmp_path)
        if how.startswith("ctrl-c"):
            os.killpg(process.pid, signal.SIGINT)  # what a terminal does: workers, ffmpeg too
        else:
            process.send_signal(signal.SIGTERM)  # `kill PID`: the command alone
        _, stderr = process.communicate(timeout=120)
        left_running = running_processes(group=process.pid)
    assert process.returncode == 130
    assert stderr.decode().splitlines() == ["audio-edition: interrupted; no file written"]
    assert left_running == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.txt"]


def test_run_whose_encoder_dies_fails_and_keeps_the_existing_edition(write_text, tmp_path):
    write_text("long.txt", LONG_TEXT)
    old = {f"long.{kind}": f"the old {kind}".encode() for kind in ("mp3", "json", "srt", "vtt")}
    for name, content in old.items():
        write_text(name, content)
    process = start_narrate(tmp_path, "--force")
    with group_ended(process):
        group = wait_until_encoding(process, tmp_path)
        ffmpeg = [command for command in group if is_ffmpeg(command)]
        assert ffmpeg  # MP3 is encoded on one process per core
        os.kill(int(ffmpeg[0][0]), signal.SIGKILL)
        _, stderr = process.communicate(timeout=120)
        left_running = running_processes(group=process.pid)
    assert process.returncode == 1
    lines = stderr.decode().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("audio-edition: error: ffmpeg failed (exit code -9)")
    assert left_running == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["long.txt", *old])
    assert {name: (tmp_path / name).read_bytes() for name in old} == old
