"""The clip cache: hits, misses, one edited sentence, damaged entries, sharing between runs."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from audio_edition import narrate
from audio_edition.cache import ClipCache, ClipKey
from audio_edition.engines import Audio

from .audio import decode

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
    with caplog.at_level(logging.WARNING, logger="audio_edition.cache"):
        again = run(source, tmp_path / "b.wav", cache_dir)
    assert (again.synthesized, again.cached) == (1, 4)
    assert "damaged" in caplog.text
    assert (decode(first.path) == decode(again.path)).all()
    assert run(source, tmp_path / "c.wav", cache_dir).cached == 5  # the entry is whole again


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
    with caplog.at_level(logging.WARNING, logger="audio_edition.cache"):
        edition = run(source, tmp_path / "a.wav", blocker / "cache")
    assert edition.synthesized == 5
    assert caplog.text.count("cannot write the clip cache") == 1


def test_two_runs_sharing_the_cache_at_once(write_text, tmp_path, cache_dir):
    write_text("piece.txt", "\n\n".join([PIECE] * 3))
    command = [sys.executable, "-m", "audio_edition", "narrate", "piece.txt", "--engine", "fake",
               "--cache-dir", str(cache_dir), "-q"]  # fmt: skip
    runs = [
        subprocess.Popen([*command, "-o", f"run{i}.wav"], cwd=tmp_path, stderr=subprocess.PIPE)
        for i in range(3)
    ]
    for process in runs:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr.decode()
    outputs = [decode(tmp_path / f"run{i}.wav") for i in range(3)]
    assert all((outputs[0] == other).all() for other in outputs[1:])
    cache = ClipCache(cache_dir)
    assert cache.info().entries == 5  # the repeated text shares its clips
    assert list(cache_dir.glob("??/*.part")) == []
    again = run(tmp_path / "piece.txt", tmp_path / "again.wav", cache_dir)
    assert (again.synthesized, again.cached) == (0, 15)


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
