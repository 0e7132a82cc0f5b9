"""Progress: reported to the library's callback after every clip; drawn on a terminal only."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

import pytest

from audio_edition import Progress, narrate
from audio_edition.cli import main
from audio_edition.cli import progress as progress_display

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


PROGRESS_LINE = re.compile(
    r"audio-edition: ([\d.]+)/(\d+) (paragraphs, [\d.]+ min of audio|documents) in \d+:\d\d"
    r"(, about \d+:\d\d left)?"
)
SUMMARY = re.compile(
    r"wrote p\.mp3 \(0:\d\d, 6 paragraphs, 12 clips: (\d+) synthesized, (\d+) from cache\)"
)


@pytest.mark.parametrize("jobs", ["1", "2", "4", "16"])
def test_summary_line_counts_every_clip_once_whatever_the_jobs(run_cli, write_text, jobs):
    """Each clip is either spoken or taken from the cache. "And another one." ends every
    paragraph: how often it is spoken depends on how far ahead the workers are, but it, like
    each of the other six sentences, is spoken at least once; a second run speaks nothing."""
    write_text("p.txt", TEXT)
    counts = []
    for _ in range(2):
        result = run_cli("narrate", "p.txt", "--engine", "fake", "-o", "p.mp3", "--force",
                         "--jobs", jobs)  # fmt: skip
        assert result.returncode == 0, result.stderr
        lines = result.stderr.decode().splitlines()  # no bar: stderr is not a terminal
        (line,) = [line for line in lines if not PROGRESS_LINE.fullmatch(line)]  # a slow run's
        summary = SUMMARY.fullmatch(line)
        assert summary is not None, line
        counts.append(tuple(map(int, summary.groups())))
    (synthesized, cached), again = counts
    assert synthesized + cached == 12
    assert 7 <= synthesized <= 12
    assert again == (0, 12)


def test_a_sentence_said_again_long_after_comes_from_the_cache(write_text, tmp_path):
    """Said again long after its first time (far more clips later than the workers speak
    ahead), a sentence is taken from the cache, and counted so."""
    refrain = "The refrain comes back."
    verses = [f"Verse {i} is new." for i in range(80)]
    source = write_text("song.txt", "\n\n".join([refrain, *verses, refrain]))
    edition = narrate(source, tmp_path / "song.wav", engine="fake", jobs=2)
    assert (edition.clips, edition.synthesized, edition.cached) == (82, 81, 1)


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


def test_a_log_gets_a_progress_line_every_few_seconds(write_text, tmp_path, monkeypatch, capsys):
    """Where standard error is not a terminal (a log, CI), a line at most every
    PROGRESS_LOG_SECONDS; here every update, so each paragraph's progress shows."""
    monkeypatch.setattr(progress_display, "PROGRESS_LOG_SECONDS", 0.0)
    write_text("p.txt", TEXT)
    monkeypatch.chdir(tmp_path)
    assert main(["narrate", "p.txt", "--engine", "fake", "-o", "p.mp3"]) == 0
    lines = capsys.readouterr().err.splitlines()
    progress = [PROGRESS_LINE.fullmatch(line) for line in lines[:-1]]
    assert all(progress), lines
    assert [int(match.group(1)) for match in progress if match] == [0, 1, 1, 2, 2, 3, 3, 4, 4,
                                                                     5, 5, 6]  # fmt: skip
    assert lines[-1].startswith("wrote p.mp3")
    assert main(["batch", "p.txt", "--engine", "fake", "--output-dir", "out"]) == 0
    batch_lines = capsys.readouterr().err.splitlines()[:-2]  # then the document, the total
    shown = [PROGRESS_LINE.fullmatch(line) for line in batch_lines]
    assert len(shown) > 1
    assert all(match and match.group(3) == "documents" for match in shown), batch_lines


def test_a_quiet_run_prints_no_progress_lines(write_text, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(progress_display, "PROGRESS_LOG_SECONDS", 0.0)
    write_text("p.txt", TEXT)
    monkeypatch.chdir(tmp_path)
    assert main(["narrate", "p.txt", "--engine", "fake", "-o", "p.mp3", "-q"]) == 0
    assert capsys.readouterr().err == ""
