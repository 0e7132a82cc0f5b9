"""A disk that fills up, or a file that grows too large, mid-run: one line naming the file, exit
1, no temporary file left beside the output or in the system temp folder, an older edition
untouched; for every format, every sidecar and a batch. Never a hang: each test has a timeout."""

from __future__ import annotations

import errno
import os
import queue
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from audio_edition.encode.segmented import aac_encoder, mp3_encoder
from audio_edition.engines import VoiceSettings
from audio_edition.speak.clips import SynthesisConfig
from audio_edition.speak.synthesis import Worker
from tests.conftest import EXAMPLE
from tests.tools import require

MIB = 1 << 20
RUN_SECONDS = 50
"""A run that has not ended by then hangs (the fake engine fills a MiB in a few seconds)."""
PAGE = os.sysconf("SC_PAGE_SIZE")


@pytest.fixture
def small_disk(tmp_path: Path):
    """A function mounting a tmpfs of `size` bytes at tmp_path/`name`; unmounted after the
    test. Skips (fails in CI) where mounting is not allowed."""
    mounted: list[Path] = []

    def mount(size: int, name: str = "disk") -> Path:
        folder = tmp_path / name
        folder.mkdir()
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True,
        )
        require("the right to mount a tmpfs", result.returncode == 0, "run the tests as root")
        mounted.append(folder)
        return folder

    yield mount
    for folder in mounted:
        subprocess.run(["umount", "--lazy", str(folder)], check=True)


@pytest.fixture
def system_temp(tmp_path: Path) -> Path:
    """The system temp folder (TMPDIR) of the runs in a test."""
    folder = tmp_path / "system-temp"
    folder.mkdir()
    return folder


@pytest.fixture
def narrate(tmp_path: Path, system_temp: Path):
    """Run the CLI with the fake engine, without a clip cache unless given a `cache_home`,
    optionally under a file size limit."""

    def run(
        *args: str, cache_home: Path | None = None, limit_bytes: int | None = None
    ) -> subprocess.CompletedProcess[str]:
        def limit() -> None:
            if limit_bytes is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

        env = {**os.environ, "TMPDIR": str(system_temp)}
        if cache_home is not None:
            env["XDG_CACHE_HOME"] = str(cache_home)
        cache = [] if cache_home is not None else ["--no-cache"]
        return subprocess.run(
            [sys.executable, "-m", "audio_edition", *args, "--engine", "fake", *cache],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=env,
            preexec_fn=limit,
            timeout=RUN_SECONDS,
        )

    return run


@pytest.fixture
def long_text(tmp_path: Path) -> Path:
    """The example review twice: 4.5 minutes, several MiB in every format."""
    path = tmp_path / "review.txt"
    review = EXAMPLE.read_text(encoding="utf-8")
    path.write_text(review + "\n\n" + review, encoding="utf-8")
    return path


def assert_failed_writing(result: subprocess.CompletedProcess[str], reason: str, path: Path):
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [f"audio-edition: error: {reason} writing {path}"]
    assert result.stdout == ""


def files_in(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("extension", ["mp3", "m4a", "m4b", "opus", "flac", "wav", "epub", "html"])
def test_a_full_disk_ends_the_run_in_one_line(
    small_disk, narrate, system_temp, long_text, extension
):
    disk = small_disk(MIB)
    destination = disk / f"book.{extension}"
    older = {destination.name: b"an older edition"}
    if extension == "html":  # the page's audio beside it is written first, and fails
        older["book.mp3"] = b"its older audio"
    for name, data in older.items():
        (disk / name).write_bytes(data)
    result = narrate("narrate", str(long_text), "-o", str(destination), "--force", "--quiet")
    failed = destination.with_suffix(".mp3") if extension == "html" else destination
    assert_failed_writing(result, "no space left on device", failed)
    assert files_in(disk) == older  # no .part, no scratch file, the older edition as it was
    assert list(system_temp.iterdir()) == []


SHORT_TEXT = "A short note. It fits on the disk, but nothing else does."


@pytest.fixture(scope="module")
def short_mp3_size(tmp_path_factory) -> int:
    """The size of SHORT_TEXT's MP3 (the fake engine is deterministic)."""
    folder = tmp_path_factory.mktemp("measured")
    (folder / "short.txt").write_text(SHORT_TEXT, encoding="utf-8")
    command = [sys.executable, "-m", "audio_edition", "narrate", "short.txt", "--engine", "fake",
               "--no-cache"]  # fmt: skip
    subprocess.run(command, cwd=folder, check=True, capture_output=True, timeout=RUN_SECONDS)
    return (folder / "output" / "short.mp3").stat().st_size


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("options", "sidecar"),
    [(["--manifest"], "short.json"), (["--subtitles", "srt,vtt,lrc"], "short.srt")],
)
def test_a_sidecar_that_does_not_fit(
    small_disk, narrate, system_temp, short_mp3_size, write_text, options, sidecar
):
    """The disk holds the audio to the last page; the first sidecar written does not fit."""
    text = write_text("short.txt", SHORT_TEXT)
    disk = small_disk(-(-short_mp3_size // PAGE) * PAGE)
    result = narrate("narrate", str(text), "-o", str(disk / "short.mp3"), "--quiet", *options)
    assert_failed_writing(result, "no space left on device", disk / sidecar)
    assert files_in(disk) == {}
    assert list(system_temp.iterdir()) == []


@pytest.mark.timeout(120)
def test_a_batch_onto_a_full_disk(small_disk, narrate, system_temp, tmp_path, long_text):
    documents = tmp_path / "documents"
    documents.mkdir()
    for name in ("one.txt", "two.txt"):
        shutil.copy(long_text, documents / name)
    disk = small_disk(MIB)
    result = narrate("batch", str(documents), "--output-dir", str(disk / "out"))
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith("failed")] == [
        f"failed      {documents / name}.txt: no space left on device writing "
        f"{disk / 'out' / name}.mp3"
        for name in ("one", "two")
    ]
    assert lines[-1].startswith("2 documents: 0 narrated, 0 up to date, 2 failed;")
    assert "Traceback" not in result.stderr
    assert files_in(disk) == {}
    assert list(system_temp.iterdir()) == []


@pytest.mark.timeout(60)
@pytest.mark.parametrize("extension", ["mp3", "m4b", "epub"])
def test_a_file_too_large(narrate, system_temp, tmp_path, long_text, extension):
    """Another write error than a full disk (here the process's file size limit), no mount."""
    destination = tmp_path / "out" / f"book.{extension}"
    result = narrate("narrate", str(long_text), "-o", str(destination), "--quiet", limit_bytes=MIB)
    assert_failed_writing(result, "file too large", destination)
    assert list(destination.parent.iterdir()) == []
    assert list(system_temp.iterdir()) == []


@pytest.mark.timeout(60)
@pytest.mark.parametrize("open_encoder", [mp3_encoder, aac_encoder])
def test_a_write_failing_in_a_reader_thread_reaches_the_caller(small_disk, open_encoder):
    """The segmented encoders join frames on their reader threads: a failed write there must
    fail the caller's next write or finish, not leave every thread waiting on another."""
    disk = small_disk(256 << 10)
    buzz = bytes(range(256)) * 1000  # 2.9 s of a sawtooth, not cheap to encode
    encoder = open_encoder(disk / "out.part", 44100, 2, segment_frames=16)
    try:
        with pytest.raises(OSError) as raised:  # a write or the finish, not the close
            for _ in range(100):
                encoder.write(buzz)
            encoder.finish()
    finally:
        encoder.abort()
        encoder.close()
    assert raised.value.errno == errno.ENOSPC
    assert [path.name for path in disk.iterdir() if path.name != "out.part"] == []  # no .adts


@pytest.mark.timeout(60)
def test_a_full_clip_cache_is_skipped_and_leaves_no_part_file(small_disk, narrate, tmp_path):
    disk = small_disk(64 << 10)
    destination = tmp_path / "review.mp3"
    result = narrate("narrate", str(EXAMPLE), "-o", str(destination), cache_home=disk)
    assert result.returncode == 0, result.stderr
    assert "cannot write the clip cache" in result.stderr
    assert "(No space left on device); going on without it" in result.stderr
    assert destination.stat().st_size > MIB
    assert [path for path in disk.rglob("*") if path.is_file() and path.suffix == ".part"] == []


@pytest.mark.e2e
@pytest.mark.timeout(60)
def test_a_worker_killed_while_it_speaks_leaves_no_temporary_files(tmp_path, monkeypatch):
    """A failed run kills the workers still speaking: whatever their engine keeps in the
    system temp folder (each worker's own TMPDIR, which an engine such as pyttsx3's on other
    systems writes clips to) goes with them."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the worker's, before it has its own
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    replies: queue.Queue = queue.Queue()
    config = SynthesisConfig("pyttsx3", "1", VoiceSettings(None, 175))
    worker = Worker(config, 1, replies)
    try:
        assert replies.get(timeout=30)[1] == "ready"
        assert len(list(tmp_path.iterdir())) == 1  # in use
        worker.start_task(0, "A sentence that takes a while to say. " * 40, 60)
    finally:
        worker.stop(kill=True)
    assert list(tmp_path.iterdir()) == []
