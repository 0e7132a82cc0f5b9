"""Progress: reported to the library's callback after every clip; drawn on a terminal only."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

from audio_edition import Progress, narrate

TEXT = "\n\n".join(f"Paragraph {i} has a sentence. And another one." for i in range(6))


def test_progress_callback_counts_paragraphs_and_audio(write_text, tmp_path):
    source = write_text("p.txt", TEXT)
    reports: list[Progress] = []
    edition = narrate(source, tmp_path / "p.wav", engine="fake", progress=reports.append)
    assert len(reports) == edition.clips == 12
    assert [r.paragraphs_done for r in reports] == [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6]
    assert all(r.paragraphs_total == 6 for r in reports)
    seconds = [r.audio_seconds for r in reports]
    assert seconds == sorted(seconds)
    assert seconds[-1] < edition.duration_seconds < seconds[-1] + 2.5  # then only the tail


def test_no_progress_when_stderr_is_not_a_terminal(run_cli, write_text):
    write_text("p.txt", TEXT)
    result = run_cli("narrate", "p.txt", "--engine", "fake", "-o", "p.mp3")
    assert result.returncode == 0
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("wrote p.mp3 (0:")
    assert "6 paragraphs, 12 clips: 10 synthesized, 2 from cache)" in lines[0]


def _run_on_terminal(args: list[str], cwd) -> str:
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "audio_edition", *args],
        cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal,
    )  # fmt: skip
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(controller)
    assert process.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal(write_text, tmp_path):
    write_text("p.txt", TEXT)
    shown = _run_on_terminal(["narrate", "p.txt", "--engine", "fake", "-o", "p.mp3"], tmp_path)
    assert "/6 [" in shown  # paragraphs done of total, then the times
    assert "paragraph/s" in shown or "s/paragraph" in shown
    assert "min of audio" in shown
    assert "wrote p.mp3" in shown


def test_quiet_shows_nothing_even_on_a_terminal(write_text, tmp_path):
    write_text("p.txt", TEXT)
    shown = _run_on_terminal(["narrate", "p.txt", "--engine", "fake", "-o", "p.mp3", "-q"],
                             tmp_path)  # fmt: skip
    assert shown == ""
