"""Bad input: one clear line on stderr, a non-zero exit, no traceback, no output file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from audio_edition.errors import InputError
from audio_edition.readers import read


def assert_refused(result, tmp_path: Path, *fragments: str, exit_code: int = 1) -> None:
    stderr = result.stderr.decode()
    assert result.returncode == exit_code, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("audio-edition: error: ")
    assert "Traceback" not in stderr
    for fragment in fragments:
        assert fragment in lines[0]
    assert result.stdout == b""
    leftovers = [p for p in tmp_path.rglob("*") if p.suffix in {".mp3", ".part"}]
    assert leftovers == []


def test_missing_file(run_cli, tmp_path):
    assert_refused(run_cli("narrate", "nope.txt"), tmp_path, "nope.txt: no such file")


def test_directory(run_cli, tmp_path):
    (tmp_path / "folder").mkdir()
    assert_refused(run_cli("narrate", "folder"), tmp_path, "is a directory")


@pytest.mark.parametrize("content", ["", "   \n\n\t \r\n", "***\n\n---\n"])
def test_empty_or_wordless_file(run_cli, write_text, tmp_path, content):
    write_text("empty.txt", content)
    assert_refused(run_cli("narrate", "empty.txt"), tmp_path, "no text to narrate")


def test_binary_file(run_cli, write_text, tmp_path):
    write_text("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert_refused(run_cli("narrate", "picture.txt"), tmp_path, "looks like a binary file")


def test_text_not_valid_in_the_chosen_encoding(run_cli, write_text, tmp_path):
    write_text("latin.txt", "Caf\u00e9 cr\u00e8me, tr\u00e8s bien.".encode("latin-1"))
    assert_refused(run_cli("narrate", "latin.txt"), tmp_path, "not valid utf-8", "--encoding")


def test_the_right_encoding_reads_the_same_file(write_text):
    path = write_text("latin.txt", "Caf\u00e9 cr\u00e8me.".encode("latin-1"))
    assert read(path, encoding="latin-1").sections[0].blocks == ("Caf\u00e9 cr\u00e8me.",)


def test_unknown_encoding_is_a_usage_error(run_cli, write_text, tmp_path):
    write_text("a.txt", "Hello.")
    assert_refused(
        run_cli("narrate", "a.txt", "--encoding", "klingon"), tmp_path, "unknown encoding",
        exit_code=2,
    )  # fmt: skip


def test_read_raises_input_error_for_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "missing.txt")


def test_unwritable_destination(run_cli, write_text, tmp_path):
    write_text("a.txt", "Hello there.")
    write_text("not-a-folder", "a file where a folder should be")
    result = run_cli("narrate", "a.txt", "--engine", "fake", "-o", "not-a-folder/a.mp3")
    assert_refused(result, tmp_path, "cannot write to not-a-folder")


def test_unsupported_extension_is_a_usage_error(run_cli, write_text, tmp_path):
    write_text("a.txt", "Hello there.")
    result = run_cli("narrate", "a.txt", "--engine", "fake", "-o", "a.xyz")
    assert_refused(result, tmp_path, "extension must be one of", exit_code=2)
    assert not (tmp_path / "a.xyz").exists()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--rate", "5", "--rate must be between"),
        ("--volume", "3", "--volume must be"),
        ("--sentence-pause", "-1", "--sentence-pause must be"),
        ("--jobs", "0", "--jobs must be at least 1"),
        ("--jobs", "100000", "--jobs 100000 is too many worker processes"),
    ],
)
def test_bad_option_values_are_usage_errors(run_cli, write_text, tmp_path, option, value, message):
    write_text("a.txt", "Hello there.")
    result = run_cli("narrate", "a.txt", "--engine", "fake", option, value)
    assert_refused(result, tmp_path, message, exit_code=2)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="lists eSpeak NG's voices")
def test_unknown_voice_suggests_close_matches(run_cli, write_text, tmp_path):
    write_text("a.txt", "Hello there.")
    result = run_cli("narrate", "a.txt", "--voice", "en-uss")
    assert_refused(result, tmp_path, "unknown voice 'en-uss'", "gmw/en-us", exit_code=2)


def test_unknown_engine_names_the_available_ones(run_cli, write_text, tmp_path):
    write_text("a.txt", "Hello there.")
    result = run_cli("narrate", "a.txt", "--engine", "nope")
    assert_refused(result, tmp_path, "unknown engine 'nope'", "pyttsx3", exit_code=2)


def test_existing_output_is_kept_without_force(run_cli, write_text, tmp_path):
    write_text("a.txt", "Hello there.")
    existing = write_text("a.mp3", b"precious")
    result = run_cli("narrate", "a.txt", "--engine", "fake", "-o", "a.mp3")
    assert result.returncode == 2
    assert "already exists; use --force" in result.stderr.decode()
    assert existing.read_bytes() == b"precious"


def test_missing_ffmpeg_names_the_package(run_cli, write_text, tmp_path):
    write_text("a.txt", "Hello there.")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    assert shutil.which("ffmpeg", path=str(bin_dir)) is None
    result = run_cli("narrate", "a.txt", "--engine", "fake", env={"PATH": str(bin_dir)})
    assert_refused(result, tmp_path, "ffmpeg is not installed", "apt-get install ffmpeg")


def _espeak_library() -> Path | None:
    for folder in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"):
        candidate = Path(folder) / "libespeak-ng.so.1"
        if candidate.exists():
            return candidate.resolve()
    return None


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0 or shutil.which("unshare") is None,
    reason="hiding a system library needs root and unshare on Linux",
)
@pytest.mark.skipif(_espeak_library() is None, reason="needs eSpeak NG installed, to hide it")
def test_missing_espeak_names_the_package(write_text, tmp_path):
    library = _espeak_library()
    write_text("a.txt", "Hello there.")
    # A private mount namespace where the eSpeak NG library is an empty file: really missing.
    script = (
        f'mount --bind /dev/null "{library}" && '
        f'exec "{sys.executable}" -m audio_edition narrate a.txt --engine pyttsx3 --voice en-us'
    )
    result = subprocess.run(
        ["unshare", "--mount", "sh", "-c", script], cwd=tmp_path, capture_output=True, timeout=120
    )
    assert_refused(result, tmp_path, "eSpeak NG", "apt-get install espeak-ng")
