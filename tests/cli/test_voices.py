"""`audio-edition voices`: the voices of every engine, or of one, for a language."""

from __future__ import annotations

import shutil

import pytest

from audio_edition.cli import main


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
