"""The command line: version, help, summary line, and the engines' plain-text guard."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from audio_edition import __version__
from audio_edition.cli import main
from audio_edition.engines.pyttsx3 import plain_text_for


def test_version(run_cli):
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"audio-edition {__version__}"


def test_help_shows_examples_and_options(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["narrate", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "examples:" in text
    assert "audio-edition narrate examples/twilight-serenade.txt" in text
    for option in ("--voice", "--rate", "--volume", "--sentence-pause", "--paragraph-pause",
                   "--title", "--author", "--encoding", "--force", "--quiet"):  # fmt: skip
        assert option in text
    output_help = " ".join(text.split("--output OUTPUT", 1)[1].split("--title", 1)[0].split())
    for extension in (".mp3", ".m4a", ".m4b", ".ogg", ".opus", ".flac", ".wav", ".epub", ".html"):
        assert extension in output_help


def test_missing_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2


def test_summary_line_on_success(write_text, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_text("a.txt", "One short paragraph.\n\nAnd another one here.")
    assert main(["narrate", "a.txt", "--engine", "fake", "-o", "a.mp3"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("wrote a.mp3 (0:0")
    assert "2 paragraphs, 2 clips" in captured.err


def test_errors_become_one_line_and_exit_code(write_text, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["narrate", "missing.txt"]) == 1
    assert capsys.readouterr().err == "audio-edition: error: missing.txt: no such file\n"


def test_fake_engine_voices_listed(capsys):
    assert main(["voices", "--engine", "fake"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ENGINE", "VOICE", "LANGUAGE", "DETAILS", "NAME"]
    assert [line.split()[:2] for line in lines[1:]] == [
        ["fake", "fake"], ["fake", "fake-16k"], ["fake", "fake-fr"], ["fake", "fake-speechlike"],
    ]  # fmt: skip
    assert main(["voices", "--engine", "fake", "--lang", "fr"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[1] == "fake-fr"


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="lists eSpeak NG's voices")
def test_voices_of_every_listed_engine_without_test_engines(capsys):
    assert main(["voices", "--lang", "en-us"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[1:]]
    engines = {row[0] for row in rows}
    assert "fake" not in engines
    assert ["pyttsx3", "gmw/en-us"] in [row[:2] for row in rows]


@pytest.mark.parametrize(
    ("driver", "text", "spoken"),
    [
        ("espeak", "<speak>a &amp; b</speak>", "<speak>a &amp; b</speak>"),
        ("sapi5", "<break/>", " less than break/ greater than "),
        ("nsss", "[[slnc 9000]] hi", "[ [slnc 9000] ] hi"),
    ],
)
def test_markup_is_defused_per_driver(driver, text, spoken):
    assert plain_text_for(driver, text) == spoken


def test_manifest_and_subtitles_from_the_command_line(run_cli, write_text, tmp_path):
    write_text("a.txt", "One paragraph here.\n\nAnd a second one.")
    result = run_cli("narrate", "a.txt", "--engine", "fake", "-o", "out/a.m4a", "--manifest",
                     "--subtitles", "srt,VTT,lrc")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "a.json", "a.lrc", "a.m4a", "a.srt", "a.vtt"
    ]  # fmt: skip
    bad = run_cli("narrate", "a.txt", "--engine", "fake", "-o", "b.mp3", "--subtitles", "ass")
    assert bad.returncode == 2
    assert "unknown subtitle format ass" in bad.stderr.decode()


def test_a_file_named_like_a_voice_id_is_not_taken_for_a_voice_file(run_cli, tmp_path):
    (tmp_path / "fake-fr").write_text("not a voice")
    (tmp_path / "a.txt").write_text("Bonjour.")
    result = run_cli("narrate", "a.txt", "--engine", "fake", "--voice", "fake-fr")
    assert result.returncode == 0, result.stderr.decode()


def test_missing_voice_dir_is_a_usage_error(run_cli, tmp_path):
    (tmp_path / "a.txt").write_text("Hello.")
    result = run_cli("narrate", "a.txt", "--engine", "fake", "--voice-dir", "nowhere")
    assert result.returncode == 2
    assert "--voice-dir nowhere: no such folder" in result.stderr.decode()


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
        (["narrate", "a.txt", "--from", "pdf"], "argument --from: invalid choice: 'pdf'"),
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


def test_publish_language_is_written_as_bcp_47(write_text, tmp_path, monkeypatch):
    import feedparser

    write_text("a.txt", "A short episode about nothing much.")
    monkeypatch.chdir(tmp_path)
    argv = ["publish", "a.txt", "--output-dir", "site", "--base-url", "https://example.org/",
            "--language", "en_us", "--engine", "fake", "-q"]  # fmt: skip
    assert main(argv) == 0
    assert feedparser.parse(str(tmp_path / "site" / "feed.xml")).feed.language == "en-US"


def test_an_error_naming_a_file_escapes_its_control_characters(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["narrate", "evil\x1b[31m\nname.txt", "--engine", "fake"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line == "audio-edition: error: evil\\x1b[31m\\nname.txt: no such file"


def test_a_warning_naming_a_file_escapes_its_control_characters(tmp_path):
    name = "x\x1b[2Jy\nz.md"
    (tmp_path / name).write_text("---\ntitle: [a, b]\n---\n\nBody text.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "audio_edition", "spoken", name],
                          cwd=tmp_path, capture_output=True, timeout=120)  # fmt: skip
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
