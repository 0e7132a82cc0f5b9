"""`narrate ... -o -` writes the audio to standard output as it is made: piped into ffmpeg it
decodes to the samples of the same narration written to a file; messages stay on standard
error; a reader that stops reading ends the run quietly, leaving no process behind."""

from __future__ import annotations

import contextlib
import os
import pty
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np
import pytest

from audio_edition.cli.exits import EXIT_BROKEN_PIPE, EXIT_USAGE
from audio_edition.encode.mp3 import ENCODER_DELAY
from audio_edition.narration.plan import Options, VoiceOptions, plan_narration
from audio_edition.narration.render import StreamHead, plan_stream, render, stream
from audio_edition.speak.synthesis import LocalPool

MP3_DECODER_DELAY = 529
"""Samples ffmpeg's MP3 decoder adds, trimmed only from a file with an Info header."""
TEXT = (
    "The stream starts at once. It keeps growing while the voice speaks.\n\n"
    "A second paragraph follows, and then the piece ends.\n"
)
MAGIC = {"mp3": b"\xff\xfb", "opus": b"OggS", "flac": b"fLaC", "wav": b"RIFF"}
NARRATE = [sys.executable, "-m", "audio_edition", "narrate"]


def _pcm(command: list[str], cwd) -> tuple[bytes, bytes]:
    """What ffmpeg decodes from `command`'s standard output through a pipe, and the first
    bytes that went into it."""
    with (
        tempfile.TemporaryFile() as decoded,
        subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE) as producer,
    ):
        assert producer.stdout is not None
        head = producer.stdout.read(4)
        decoder = [
            "ffmpeg", "-v", "error", "-f", _demuxer(head), "-i", "pipe:0", "-ac", "1", "-f",
            "s16le", "pipe:1",
        ]  # fmt: skip
        with subprocess.Popen(decoder, stdin=subprocess.PIPE, stdout=decoded) as decoding:
            assert decoding.stdin is not None
            decoding.stdin.write(head)
            shutil.copyfileobj(producer.stdout, decoding.stdin)
            decoding.stdin.close()
            assert decoding.wait(timeout=60) == 0
        assert producer.wait(timeout=60) == 0
        decoded.seek(0)
        return decoded.read(), head


def _demuxer(head: bytes) -> str:
    return {b"OggS": "ogg", b"fLaC": "flac", b"RIFF": "wav"}.get(head[:4], "mp3")


def _file_pcm(path) -> bytes:
    return subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-ac", "1", "-f", "s16le", "pipe:1"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip


def _assert_same_samples(streamed: bytes, written: bytes, kind: str) -> None:
    stream_samples = np.frombuffer(streamed, "<i2")
    file_samples = np.frombuffer(written, "<i2")
    if kind == "mp3":  # no Info header on a pipe: LAME's delay is played, and some padding
        stream_samples = stream_samples[ENCODER_DELAY + MP3_DECODER_DELAY :]
        assert 0 <= len(stream_samples) - len(file_samples) < 2 * 1152
        stream_samples = stream_samples[: len(file_samples)]
    assert len(file_samples) > 44_100
    assert np.array_equal(stream_samples, file_samples)


@pytest.mark.parametrize("kind", ["mp3", "opus", "flac", "wav"])
def test_the_stream_decodes_to_the_files_samples(tmp_path, kind):
    (tmp_path / "piece.txt").write_text(TEXT, encoding="utf-8")
    common = ["piece.txt", "--engine", "fake", "--no-cache"]
    streamed, head = _pcm([*NARRATE, *common, "-o", "-", "--format", kind], tmp_path)
    assert head.startswith(MAGIC[kind])
    written = subprocess.run([*NARRATE, *common, "-o", f"piece.{kind}"], cwd=tmp_path,
                             capture_output=True, check=True)  # fmt: skip
    assert written.stdout == b""
    _assert_same_samples(streamed, _file_pcm(tmp_path / f"piece.{kind}"), kind)


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="eSpeak NG is not installed")
def test_the_espeak_stream_decodes_to_the_files_samples(tmp_path):
    (tmp_path / "piece.txt").write_text(TEXT, encoding="utf-8")
    common = ["piece.txt", "--engine", "pyttsx3", "--no-cache", "--jobs", "1"]
    streamed, _ = _pcm([*NARRATE, *common, "-o", "-"], tmp_path)
    subprocess.run([*NARRATE, *common, "-o", "piece.mp3"], cwd=tmp_path, check=True)
    _assert_same_samples(streamed, _file_pcm(tmp_path / "piece.mp3"), "mp3")


def test_messages_go_to_standard_error_and_sidecars_beside(run_cli_process, write_text):
    write_text("piece.txt", TEXT)
    done = run_cli_process("narrate", "piece.txt", "--engine", "fake", "-o", "-", "--manifest",
                           "--subtitles", "vtt")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(MAGIC["mp3"])
    assert b"wrote standard output (" in done.stderr
    output = write_text("x", "").parent / "output"
    assert sorted(p.name for p in output.iterdir()) == ["piece.json", "piece.vtt"]
    assert b'"audio": "-"' in (output / "piece.json").read_bytes()


@pytest.mark.parametrize("kind", ["mp3", "wav"])  # in segments, on one encoder
def test_a_closed_pipe_ends_the_run_quietly_leaving_no_process(tmp_path, kind):
    (tmp_path / "long.txt").write_text(TEXT * 300, encoding="utf-8")
    command = [*NARRATE, "long.txt", "--engine", "fake", "--no-cache", "-o", "-", "--format",
               kind, "-q"]  # fmt: skip
    with subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          start_new_session=True) as run:  # fmt: skip
        assert run.stdout is not None and run.stderr is not None
        try:
            assert len(run.stdout.read(1000)) == 1000
            run.stdout.close()  # as `| head -c 1000` does
            assert run.wait(timeout=120) in (0, EXIT_BROKEN_PIPE)
        finally:  # a run that hangs fails the test, leaving nothing behind
            with contextlib.suppress(ProcessLookupError):
                os.killpg(run.pid, signal.SIGKILL)
        assert run.stderr.read() == b""
    with pytest.raises(ProcessLookupError):  # no worker, no ffmpeg left in its session
        os.killpg(run.pid, signal.SIG_DFL)


@pytest.mark.parametrize("kind", ["m4b", "m4a", "epub", "html"])
def test_what_cannot_be_streamed_is_one_usage_line(run_cli, write_text, kind):
    write_text("piece.txt", TEXT)
    done = run_cli("narrate", "piece.txt", "--engine", "fake", "-o", "-", "--format", kind)
    assert done.returncode == EXIT_USAGE
    assert done.stdout == b""
    assert done.stderr.decode().count("\n") == 1
    assert f"{kind} cannot be written to standard output" in done.stderr.decode()


def test_a_terminal_is_refused(tmp_path):
    (tmp_path / "piece.txt").write_text(TEXT, encoding="utf-8")
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([*NARRATE, "piece.txt", "--engine", "fake", "-o", "-"],
                              cwd=tmp_path, stdout=follower, stderr=subprocess.PIPE,
                              timeout=120)  # fmt: skip
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == EXIT_USAGE
    assert done.stderr.count(b"\n") == 1 and b"pipe it into a player" in done.stderr


def test_the_library_streams_to_a_callable_and_listens_beside_a_file(tmp_path):
    """stream() hands the MP3's frames to a callable; render(listen=) hands the same frames
    while it writes the file, which holds them behind its Info header."""
    source = tmp_path / "piece.txt"
    source.write_text(TEXT, encoding="utf-8")
    streamed: list[bytes] = []
    heard: list[bytes] = []
    fake = Options(voice=VoiceOptions(engine="fake"))
    with LocalPool(1) as pool:
        edition = stream(plan_stream(source, ".mp3", fake), pool, streamed.append)
        plan = plan_narration(source, tmp_path / "piece.mp3", fake)
        written = render(plan, pool, listen=heard.append)
    assert str(edition.path) == "-" and edition.clips == written.clips
    frames = b"".join(heard)
    assert b"".join(streamed) == frames
    data = written.path.read_bytes()
    assert data.endswith(frames)
    assert b"Info" in data[-len(frames) - 1152 : -len(frames)]  # the header, after the tags


@pytest.mark.parametrize("kind", ["mp3", "flac"])
def test_the_head_is_streamed_before_the_text_is_planned(tmp_path, kind):
    """StreamHead starts the encoder with the head's first room tone (the same in every
    piece): its first bytes come out before the text is planned, and the whole stream is
    the one stream() makes without it."""
    source = tmp_path / "piece.txt"
    source.write_text(TEXT, encoding="utf-8")
    fake = Options(voice=VoiceOptions(engine="fake"))
    early: list[bytes] = []
    plain: list[bytes] = []
    head = StreamHead(f".{kind}", early.append)
    with contextlib.closing(head), LocalPool(1) as pool:
        head.start()
        for _ in range(600):  # the encoder's first bytes, with no plan made yet
            if early:
                break
            time.sleep(0.05)
        assert early, "nothing came out of the head"
        stream(plan_stream(source, f".{kind}", fake), pool, early.append, head=head)
        stream(plan_stream(source, f".{kind}", fake), pool, plain.append)
    assert b"".join(early) == b"".join(plain)
