"""The command line as a whole: version, usage errors, every error as one line and its exit
code, an option's error called by its flag, closed pipes and standard output."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from audio_edition import __version__
from audio_edition.cli import main


def test_version(run_cli):
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"audio-edition {__version__}"


def test_missing_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2


def test_errors_become_one_line_and_exit_code(write_text, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["narrate", "missing.txt"]) == 1
    assert capsys.readouterr().err == "audio-edition: error: missing.txt: no such file\n"


@pytest.mark.parametrize("command", [("voices", "--engine", "fake"), ("spoken", "piece.txt")])
def test_a_closed_output_pipe_ends_quietly(write_text, tmp_path, command):
    write_text("piece.txt", "A first sentence.\n\n" * 2000)
    process = subprocess.Popen(
        [sys.executable, "-m", "audio_edition", *command],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    )  # fmt: skip
    assert process.stdout is not None
    process.stdout.close()  # as `| head` does once it has its lines
    _, stderr = process.communicate(timeout=120)
    assert stderr == b""
    assert process.returncode == 141


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["narrate", "a.txt", "--from", "docx"], "argument --from: invalid choice: 'docx'"),
        (["narrate"], "the following arguments are required: input"),
        (["narrate", "a.txt", "--max-input-mb", "0"], "must be a whole number of at least 1"),
        (["voices", "--lang", "x y"], "'x y' is not a BCP 47 language tag"),
        (["check", "a.mp3", "--lang", "english"], "'english' is not a BCP 47 language tag"),
        (
            [
                "publish",
                "a.txt",
                "--output-dir",
                "site",
                "--base-url",
                "https://example.org/",
                "--language",
                "5",
            ],
            "'5' is not a BCP 47 language tag",
        ),
    ],
)
def test_argument_errors_are_one_line(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("audio-edition: error: ")
    assert message in line
    assert line.endswith(f"(see: audio-edition {argv[0]} --help)")


def test_an_error_naming_a_file_escapes_its_control_characters(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["narrate", "evil\x1b[31m\nname.txt", "--engine", "fake"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line == "audio-edition: error: evil\\x1b[31m\\nname.txt: no such file"


def test_a_warning_naming_a_file_escapes_its_control_characters(run_cli, tmp_path):
    name = "x\x1b[2Jy\nz.md"
    (tmp_path / name).write_text("---\ntitle: [a, b]\n---\n\nBody text.\n", encoding="utf-8")
    done = run_cli("spoken", name)
    assert done.returncode == 0
    assert done.stderr.decode().splitlines() == [
        "audio-edition: x\\x1b[2Jy\\nz.md: front matter 'title' ignored: it is not a single value"
    ]


def test_a_run_started_with_standard_output_closed_succeeds(write_text, tmp_path):
    write_text("a.txt", "Hello there.")
    done = subprocess.run(
        [sys.executable, "-m", "audio_edition", "narrate", "a.txt", "--engine", "fake"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120,
        preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    assert "Traceback" not in done.stderr.decode()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["narrate", "a.txt", "--rate", "1000"],
         "--rate must be between 60 and 500 words per minute, not 1000"),
        (["narrate", "a.txt", "--paragraph-pause", "20000"],
         "--paragraph-pause must be between 0 and 10000 ms, not 20000"),
        (["narrate", "a.txt", "-o", "a.mp3", "--embed-audio"],
         "--embed-audio needs an .html output, not 'a.mp3'"),
        (["spoken", "a.txt", "--lang", "x y"],
         "--lang 'x y' is not a BCP 47 language tag (such as en, en-US or pt-BR)"),
        (["voices", "--voice-dir", "nowhere"], "--voice-dir nowhere: no such folder"),
        (["publish", "a.txt", "--output-dir", "site", "--base-url", "ftp://example.org/"],
         "--base-url must be an http:// or https:// URL, not 'ftp://example.org/'"),
        (["publish", "a.txt", "--output-dir", "site", "--base-url", "https://example.org/",
          "--category", "Films"],
         "--category 'Films' is not an Apple Podcasts category; use one of Arts, Business"),
        (["publish", "a.txt", "--output-dir", "site", "--base-url", "https://example.org/",
          "--image", "none.png"],
         "--image none.png: no such file"),
    ],
)  # fmt: skip
def test_an_option_the_library_refuses_is_called_by_its_flag(
    write_text, tmp_path, monkeypatch, capsys, argv, message
):
    """The library calls an option by its field ("rate"); the command line by its flag."""
    monkeypatch.chdir(tmp_path)
    write_text("a.txt", "Hello there.")
    assert main([*argv, "--engine", "fake"] if argv[0] == "narrate" else argv) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"audio-edition: error: {message}")
