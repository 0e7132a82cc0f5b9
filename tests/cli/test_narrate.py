"""`audio-edition narrate`: its help, its summary line, its sidecars and voices, and its
options' defaults, which are the library's."""

from __future__ import annotations

import argparse

import pytest

from audio_edition import Options
from audio_edition.cli import batch, main, narrate, publish
from audio_edition.cli.options import narration_options


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


def test_summary_line_on_success(write_text, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_text("a.txt", "One short paragraph.\n\nAnd another one here.")
    assert main(["narrate", "a.txt", "--engine", "fake", "-o", "a.mp3"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("wrote a.mp3 (0:0")
    assert "2 paragraphs, 2 clips" in captured.err


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


@pytest.mark.parametrize(
    ("command", "argv"),
    [
        (narrate, ["a.txt"]),
        (batch, ["docs", "--output-dir", "out"]),
        (publish, ["docs", "--output-dir", "site", "--base-url", "https://example.org/"]),
    ],
)
def test_the_options_not_given_are_the_librarys_defaults(command, argv):
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    assert narration_options(parser.parse_args(argv)) == Options()


def test_the_help_says_the_librarys_defaults(capsys):
    defaults = Options()
    with pytest.raises(SystemExit):
        main(["narrate", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert (
        "--engine ENGINE speech engine (default: the best installed for the voice or "
        "language: hibari, piper, pyttsx3, in that order)"
    ) in text
    for flag, default in (
        ("--rate RATE speaking rate in words per minute", defaults.voice.rate),
        ("--sentence-pause MS pause between sentences in milliseconds",
         defaults.layout.sentence_pause_ms),
        ("--genre GENRE genre tag", defaults.output.genre),
    ):  # fmt: skip
        assert f"{flag} (default: {default})" in text
