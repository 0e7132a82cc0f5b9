"""`audio-edition config` and the config file: your defaults for the options you set every
time; the command line wins over the file, the file over the built-in default."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest


@pytest.fixture
def config_file() -> Path:
    """The config file's place for this test (conftest gives every test its own
    XDG_CONFIG_HOME)."""
    folder = Path(os.environ["XDG_CONFIG_HOME"]) / "audio-edition"
    folder.mkdir(parents=True)
    return folder / "config.toml"


def test_without_a_file_every_value_is_the_built_in_default(run_cli):
    result = run_cli("config")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "audio-edition" / "config.toml"
    assert lines[0] == f"# {path} (not there: every value is the built-in default)"
    assert "rate = 160  # default; words per minute" in lines
    assert 'format = "mp3"  # default; without -o, and batch\'s' in lines
    assert "# engine  # default; unset: the best installed for the voice" in lines


def test_the_file_sets_defaults_and_the_command_line_wins(run_cli, write_text, config_file,
                                                          tmp_path):  # fmt: skip
    config_file.write_text('engine = "fake"\nrate = 120\nformat = "wav"\nparagraph-pause = 900\n')
    shown = run_cli("config").stdout.decode().splitlines()
    assert 'engine = "fake"  # config file; unset: the best installed for the voice' in shown
    assert "rate = 120  # config file; words per minute" in shown
    write_text("a.txt", "One short paragraph here.\n\nAnd a second one after it.")
    assert run_cli("narrate", "a.txt", "--manifest").returncode == 0
    from_file = json.loads((tmp_path / "output" / "a.json").read_text())
    assert (from_file["engine"], from_file["rate"]) == ("fake", 120)
    assert (tmp_path / "output" / "a.wav").is_file()
    given = run_cli("narrate", "a.txt", "-o", "b.mp3", "--rate", "200", "--manifest")
    assert given.returncode == 0, given.stderr
    assert json.loads((tmp_path / "b.json").read_text())["rate"] == 200


def test_batch_takes_the_format_from_the_file(run_cli, write_text, config_file, tmp_path):
    config_file.write_text('engine = "fake"\nformat = "ogg"\n')
    (tmp_path / "docs").mkdir()
    write_text("docs/a.txt", "A document of a few words.")
    result = run_cli("batch", "docs", "--output-dir", "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "a.ogg").is_file()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("speed = 2\n", "unknown setting 'speed' (settings: engine, voice, rate, format,"),
        ('rate = "fast"\n', "rate must be a whole number, not 'fast'"),
        ("rate = true\n", "rate must be a whole number, not True"),
        ("rate = \n", "is not valid TOML"),
        ("rate = " + "[" * 5000 + "]" * 5000 + "\n", "is not valid TOML: nesting too deep"),
        ("rate = 0\n", ": rate must be between 60 and 500 words per minute, not 0"),
        ("paragraph-pause = -5\n", ": paragraph-pause must be between 0 and 10000 ms, not -5"),
        ('format = "xyz"\n', ": format must be one of mp3, "),
        ('engine = "nope"\n', ": unknown engine 'nope'; available: "),
    ],
)
def test_a_bad_file_is_one_line_naming_it(run_cli, write_text, config_file, content, message):
    config_file.write_text(content)
    write_text("a.txt", "Some words.")
    for command in (("config",), ("narrate", "a.txt", "--engine", "fake")):
        result = run_cli(*command)
        assert result.returncode == 2
        (line,) = result.stderr.decode().splitlines()
        assert line.startswith(f"audio-edition: error: config file {config_file}")
        assert message in line


def test_the_files_voice_gives_way_to_another_engine(run_cli, write_text, config_file,
                                                     tmp_path):  # fmt: skip
    config_file.write_text('voice = "heart"\n')
    write_text("a.txt", "A few words to say.")
    result = run_cli("narrate", "a.txt", "--engine", "fake", "-o", "a.wav", "--manifest")
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "a.json").read_text())["engine"] == "fake"


def test_the_files_engine_does_not_filter_voices(run_cli, config_file):
    config_file.write_text('engine = "fake"\n')
    listed = run_cli("voices", "--engine", "fake")
    assert listed.returncode == 0, listed.stderr
    every = run_cli("voices")
    assert "fake" not in {line.split()[0] for line in every.stdout.decode().splitlines()[1:]}


def test_a_bad_file_stops_only_the_commands_it_sets(run_cli, config_file):
    config_file.write_text("rate = \n")
    assert run_cli("--version").returncode == 0
    listed = run_cli("voices", "--engine", "fake")
    assert (listed.returncode, listed.stderr) == (0, b"")
    assert run_cli("narrate", "--help").returncode == 0
