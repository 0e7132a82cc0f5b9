"""Inputs are bounded: an endless or huge input is refused in one line at the input size limit,
and a SIGTERM while waiting for standard input ends the run."""

from __future__ import annotations

import signal
import subprocess
import sys
import zipfile

import pytest

from audio_edition.errors import InputError
from audio_edition.readers import read
from audio_edition.readers.text import MAX_INPUT_BYTES
from tests.promises.test_bad_input import assert_refused


@pytest.mark.timeout(60)
def test_dev_zero_is_refused_at_the_default_limit(run_cli, tmp_path):
    result = run_cli("spoken", "/dev/zero")
    assert_refused(
        result, tmp_path, f"/dev/zero is larger than {MAX_INPUT_BYTES // 2**20} MiB",
        "--max-input-mb",
    )  # fmt: skip


@pytest.mark.timeout(60)
def test_endless_standard_input_stops_at_a_raised_or_lowered_limit(tmp_path):
    yes = subprocess.Popen(["yes", "All work and no play."], stdout=subprocess.PIPE)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "audio_edition", "narrate", "-", "--engine", "fake",
             "--max-input-mb", "1", "-o", "out.mp3"],
            stdin=yes.stdout, capture_output=True, cwd=tmp_path, timeout=50,
        )  # fmt: skip
    finally:
        yes.kill()
        yes.wait()
        yes.stdout.close()
    assert_refused(result, tmp_path, "standard input is larger than 1 MiB")


def test_a_file_within_a_raised_limit_is_read(write_text, tmp_path):
    path = write_text("big.txt", "A sentence of words.\n\n" * 60_000)  # about 1.3 MB
    with pytest.raises(InputError, match=r"big\.txt is larger than 1 MiB"):
        read(path, max_bytes=2**20)
    assert read(path, max_bytes=2 * 2**20).sections[0].blocks[0] == "A sentence of words."


def test_an_epub_larger_than_the_limit_is_refused_before_it_is_opened(tmp_path):
    book = tmp_path / "big.epub"
    with zipfile.ZipFile(book, "w") as archive:  # not even a real EPUB: size comes first
        archive.writestr("filler", b"\x01" * 2**20)
    with pytest.raises(InputError, match=r"big\.epub is larger than 0\.5 MiB"):
        read(book, max_bytes=2**19)


@pytest.mark.timeout(60)
def test_sigterm_while_waiting_for_standard_input_ends_the_run(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "audio_edition", "narrate", "-", "--engine", "fake"],
        stdin=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    )  # fmt: skip
    assert process.stdin is not None
    process.stdin.write(b"Some words, and then nothing more for a long while.\n")
    process.stdin.flush()  # the pipe stays open: the reader waits for more
    with pytest.raises(subprocess.TimeoutExpired):
        process.wait(timeout=2)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert stderr.decode().strip().splitlines() == ["audio-edition: interrupted; no file written"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.timeout(60)
def test_dev_zero_read_as_an_epub_is_refused_at_the_limit(run_cli, tmp_path):
    result = run_cli("spoken", "--from", "epub", "/dev/zero", "--max-input-mb", "4")
    assert_refused(result, tmp_path, "/dev/zero is larger than 4 MiB")


def test_the_library_takes_the_limit_too(write_text, tmp_path):
    from audio_edition import narrate

    source = write_text("a.txt", "Some words here.\n\n" * 40_000)  # 720 kB
    with pytest.raises(InputError, match=r"larger than 0\.5 MiB"):
        narrate(source, tmp_path / "a.wav", engine="fake", max_input_bytes=2**19)
