"""The clip cache: hits, misses, one edited sentence, what is applied after it, changed Piper
voice files, damaged entries, sharing between runs and torn writes."""

from __future__ import annotations

import importlib.util
import logging
import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from audio_edition import narrate
from audio_edition.engines import Audio, load_engine
from audio_edition.speak.cache import ClipCache, ClipKey
from tests.audio import decode, probe, rms_db

PIECE = (
    "The first paragraph opens the piece. It has a second sentence.\n\n"
    "The middle paragraph is here. It also has two sentences.\n\n"
    "The last paragraph closes it."
)


@pytest.fixture
def cache_dir(tmp_path):
    return tmp_path / "cache"


def run(source, output, cache_dir, **options):
    return narrate(source, output, engine="fake", cache_dir=cache_dir, force=True, **options)


def entries(cache_dir):
    return sorted(cache_dir.glob("??/*.clip"))


def test_second_run_takes_every_clip_from_the_cache(write_text, tmp_path, cache_dir):
    source = write_text("piece.txt", PIECE)
    first = run(source, tmp_path / "first.wav", cache_dir)
    second = run(source, tmp_path / "second.wav", cache_dir)
    assert (first.synthesized, first.cached) == (5, 0)
    assert (second.synthesized, second.cached) == (0, 5)
    assert len(entries(cache_dir)) == 5
    assert (decode(first.path) == decode(second.path)).all()


def test_editing_one_sentence_synthesizes_exactly_that_clip(write_text, tmp_path, cache_dir):
    source = write_text("piece.txt", PIECE)
    run(source, tmp_path / "a.mp3", cache_dir)
    source.write_text(PIECE.replace("It also has two sentences.", "It has two sentences too."))
    edited = run(source, tmp_path / "b.mp3", cache_dir)
    assert (edited.synthesized, edited.cached) == (1, 4)


def test_rate_and_voice_are_part_of_the_key(write_text, tmp_path, cache_dir):
    source = write_text("piece.txt", PIECE)
    run(source, tmp_path / "a.wav", cache_dir)
    assert run(source, tmp_path / "b.wav", cache_dir, rate=200).synthesized == 5
    assert run(source, tmp_path / "c.wav", cache_dir, voice="fake-16k").synthesized == 5
    assert len(entries(cache_dir)) == 15


@pytest.mark.parametrize(
    ("option", "changed"),
    [
        ({"volume": 0.5}, lambda a, b: rms_db(b) < rms_db(a) - 5),
        ({"sentence_pause_ms": 100}, lambda a, b: len(b) < len(a)),
        ({"paragraph_pause_ms": 2000}, lambda a, b: len(b) > len(a)),
    ],
    ids=["volume", "sentence-pause", "paragraph-pause"],
)
def test_level_and_pauses_are_applied_after_the_cache(
    write_text, tmp_path, cache_dir, option, changed
):
    source = write_text("piece.txt", PIECE)
    first = run(source, tmp_path / "a.wav", cache_dir)
    second = run(source, tmp_path / "b.wav", cache_dir, **option)
    assert (second.synthesized, second.cached) == (0, 5)
    assert changed(decode(first.path), decode(second.path))  # the option took effect


@pytest.mark.parametrize(("suffix", "codec"), [(".mp3", "mp3"), (".flac", "flac"), (".m4a", "aac")])
def test_output_format_is_applied_after_the_cache(write_text, tmp_path, cache_dir, suffix, codec):
    source = write_text("piece.txt", PIECE)
    run(source, tmp_path / "a.wav", cache_dir)
    second = run(source, tmp_path / f"b{suffix}", cache_dir)
    assert (second.synthesized, second.cached) == (0, 5)
    assert probe(second.path)["streams"][0]["codec_name"] == codec


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty"])
def test_damaged_entry_is_detected_and_made_again(write_text, tmp_path, cache_dir, caplog, damage):
    source = write_text("piece.txt", PIECE)
    first = run(source, tmp_path / "a.wav", cache_dir)
    victim = entries(cache_dir)[2]
    data = bytearray(victim.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0xFF
    elif damage == "truncate":
        del data[len(data) // 2 :]
    else:
        data.clear()
    victim.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING, logger="audio_edition.speak.cache"):
        again = run(source, tmp_path / "b.wav", cache_dir)
    assert (again.synthesized, again.cached) == (1, 4)
    assert "damaged" in caplog.text
    assert (decode(first.path) == decode(again.path)).all()
    assert run(source, tmp_path / "c.wav", cache_dir).cached == 5  # the entry is whole again


@pytest.mark.e2e
@pytest.mark.skipif(
    importlib.util.find_spec("piper") is None or not load_engine("piper").voices(),
    reason="piper-tts or a Piper voice is not installed",
)
def test_a_piper_model_with_a_new_time_or_size_is_not_served_from_the_cache(
    write_text, tmp_path, cache_dir
):
    packaged = load_engine("piper").voices()[0].file
    assert packaged is not None
    model = tmp_path / "copy.onnx"
    shutil.copyfile(packaged, model)
    shutil.copyfile(packaged.with_name(packaged.name + ".json"), tmp_path / "copy.onnx.json")
    source = write_text("line.txt", "A short line for the cache.")

    def speak() -> tuple[int, int]:
        edition = narrate(source, tmp_path / "line.wav", engine="piper", voice=str(model),
                          cache_dir=cache_dir, force=True, jobs=1)  # fmt: skip
        return edition.synthesized, edition.cached

    assert speak() == (1, 0)
    assert speak() == (0, 1)
    atime, mtime = model.stat().st_atime_ns, model.stat().st_mtime_ns
    os.utime(model, ns=(atime, mtime + 10**9))
    assert speak() == (1, 0)  # touched
    with model.open("ab") as out:
        out.write(b"\xc2\x3e\x00")  # protobuf field 1000, empty: ONNX skips it
    os.utime(model, ns=(atime, mtime + 10**9))
    assert speak() == (1, 0)  # grown by three bytes, same time
    assert speak() == (0, 1)


def test_no_cache_neither_reads_nor_writes(write_text, tmp_path, cache_dir):
    source = write_text("piece.txt", PIECE)
    run(source, tmp_path / "a.wav", cache_dir)
    edition = narrate(
        source, tmp_path / "b.wav", engine="fake", cache_dir=tmp_path / "other", use_cache=False
    )
    assert (edition.synthesized, edition.cached) == (5, 0)
    assert not (tmp_path / "other").exists()


def test_unwritable_cache_is_skipped_with_a_warning(write_text, tmp_path, caplog):
    source = write_text("piece.txt", PIECE)
    blocker = write_text("not-a-folder", "a file where the cache folder should be")
    with caplog.at_level(logging.WARNING, logger="audio_edition.speak.cache"):
        edition = run(source, tmp_path / "a.wav", blocker / "cache")
    assert edition.synthesized == 5
    assert caplog.text.count("cannot write the clip cache") == 1


def test_two_runs_sharing_the_cache_at_once(write_text, tmp_path, cache_dir):
    write_text("piece.txt", "\n\n".join([PIECE] * 3))
    command = [sys.executable, "-m", "audio_edition", "narrate", "piece.txt", "--engine", "fake",
               "--cache-dir", str(cache_dir)]  # fmt: skip
    runs = [
        subprocess.Popen([*command, "-o", f"run{i}.wav"], cwd=tmp_path, stderr=subprocess.PIPE)
        for i in range(3)
    ]
    started = time.monotonic()
    ended = end_times(runs)
    errors = [process.communicate(timeout=10)[1].decode() for process in runs]
    assert started < min(ended)  # all three were running at once
    for process, stderr in zip(runs, errors, strict=True):
        assert process.returncode == 0, stderr
        assert "damaged" not in stderr  # no run read another's half-written entry
    outputs = [decode(tmp_path / f"run{i}.wav") for i in range(3)]
    assert all((outputs[0] == other).all() for other in outputs[1:])
    cache = ClipCache(cache_dir)
    assert cache.info().entries == 5  # the repeated text shares its clips
    assert list(cache_dir.glob("??/*.part")) == []
    again = run(tmp_path / "piece.txt", tmp_path / "again.wav", cache_dir)
    assert (again.synthesized, again.cached) == (0, 15)


def end_times(processes: list[subprocess.Popen[bytes]]) -> list[float]:
    """When each process ended, by the monotonic clock (to 10 ms)."""
    ended: dict[int, float] = {}
    deadline = time.monotonic() + 120
    while len(ended) < len(processes) and time.monotonic() < deadline:
        for number, process in enumerate(processes):
            if number not in ended and process.poll() is not None:
                ended[number] = time.monotonic()
        time.sleep(0.01)
    return list(ended.values())


STRESS_KEYS = [ClipKey(f"Entry {i}.", "fake", "1", None, 160) for i in range(3)]
STRESS_ROUNDS = 12


def stress_audio(index: int) -> Audio:
    """A big clip (2 MB), so that writing it takes a while."""
    return Audio(bytes([index + 1]) * 2_000_000, 16_000)


def put_repeatedly(folder: Path, writers: int) -> list[tuple[int, float, float]]:
    """Once all `writers` are ready, put every stress entry again and again; returns (entry,
    start, end) of every put."""
    (folder / f"ready-{os.getpid()}").touch()
    while len(list(folder.glob("ready-*"))) < writers:
        time.sleep(0.001)
    cache = ClipCache(folder / "cache")
    puts = []
    for _ in range(STRESS_ROUNDS):
        for index, key in enumerate(STRESS_KEYS):
            start = time.monotonic()
            cache.put(key, stress_audio(index))
            puts.append((index, start, time.monotonic()))
    return puts


def get_until(stop: threading.Event, folder: Path) -> list[tuple[int, float, float, str]]:
    """Get every stress entry until `stop`; returns (entry, start, end, what was read)."""
    cache = ClipCache(folder)
    expected = [stress_audio(index) for index in range(len(STRESS_KEYS))]
    reads = []
    while not stop.is_set():
        for index, key in enumerate(STRESS_KEYS):
            start = time.monotonic()
            audio = cache.get(key)
            seen = "absent" if audio is None else "whole" if audio == expected[index] else "wrong"
            reads.append((index, start, time.monotonic(), seen))
    return reads


def test_readers_never_see_half_an_entry_while_processes_write_it(tmp_path, caplog):
    """Three processes put the same big entries over and over while two threads get them: a
    get overlapping a put finds the whole entry (the old one or the new), never a torn one."""
    stop = threading.Event()
    spawn = multiprocessing.get_context("spawn")
    with (
        ThreadPoolExecutor(2) as readers,
        ProcessPoolExecutor(3, mp_context=spawn) as writers,
        caplog.at_level(logging.WARNING, logger="audio_edition.speak.cache"),
    ):
        writing = [writers.submit(put_repeatedly, tmp_path, 3) for _ in range(3)]
        reading = [readers.submit(get_until, stop, tmp_path / "cache") for _ in range(2)]
        puts = [future.result(timeout=120) for future in writing]
        stop.set()
        reads = [future.result() for future in reading]
    assert "damaged" not in caplog.text
    for reader in reads:
        assert {seen for *_, seen in reader} <= {"absent", "whole"}
        for index in range(len(STRESS_KEYS)):
            seen = [what for entry, *_, what in reader if entry == index]
            assert "absent" not in seen[seen.index("whole") :]  # once there, always there
    overlapping = [
        read
        for reader in reads
        for read in reader
        if read[3] == "whole"
        and any(entry == read[0] and start < read[2] and read[1] < end
                for writer in puts for entry, start, end in writer)
    ]  # fmt: skip
    assert len(overlapping) >= 10  # readers got the entry while a writer was writing it
    first, second = puts[0], puts[1]
    assert first[0][1] < second[-1][2] and second[0][1] < first[-1][2]  # writers overlapped


def test_cache_round_trip_keeps_samples_and_rate(tmp_path):
    cache = ClipCache(tmp_path)
    key = ClipKey("Hello.", "fake", "1", None, 160)
    audio = Audio(bytes(range(256)) * 10, 16_000)
    assert cache.get(key) is None
    cache.put(key, audio)
    assert cache.get(key) == audio
    assert cache.get(ClipKey("Hello.", "fake", "2", None, 160)) is None


def test_cache_info_and_clear_commands(run_cli, write_text, tmp_path, cache_dir):
    write_text("piece.txt", PIECE)
    assert run_cli("narrate", "piece.txt", "--engine", "fake", "--cache-dir", str(cache_dir),
                   "-q").returncode == 0  # fmt: skip
    info = run_cli("cache", "info", "--cache-dir", str(cache_dir))
    assert info.returncode == 0
    assert info.stdout.decode().startswith(f"{cache_dir}: 5 clips, ")
    cleared = run_cli("cache", "clear", "--cache-dir", str(cache_dir))
    assert cleared.stdout.decode().strip() == f"removed 5 clips from {cache_dir}"
    assert "0 clips" in run_cli("cache", "info", "--cache-dir", str(cache_dir)).stdout.decode()


def test_default_cache_is_the_user_cache_folder(run_cli, write_text, tmp_path):
    write_text("piece.txt", PIECE)
    first = run_cli("narrate", "piece.txt", "--engine", "fake", "-o", "a.mp3")
    second = run_cli("narrate", "piece.txt", "--engine", "fake", "-o", "b.mp3")
    assert "5 synthesized, 0 from cache" in first.stderr.decode()
    assert "0 synthesized, 5 from cache" in second.stderr.decode()
