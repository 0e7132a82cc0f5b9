"""`audio-edition say` speaks one line, into a file or to standard output, and `voices
--sample` a sample of each voice listed: to hear a voice before a long run."""

from __future__ import annotations

import io
import wave

import pytest

from audio_edition.cli.say import MAX_SAY_CHARACTERS


def seconds(wav: bytes) -> float:
    with wave.open(io.BytesIO(wav)) as audio:
        return audio.getnframes() / audio.getframerate()


def test_say_to_standard_output_is_a_wav(run_cli):
    result = run_cli("say", "Hello there, this is a test.", "--engine", "fake")
    assert result.returncode == 0, result.stderr
    assert result.stdout[:4] == b"RIFF"
    assert 0.5 < seconds(result.stdout) < 10


def test_say_into_a_file_and_not_over_one(run_cli, tmp_path):
    result = run_cli("say", "Hello there.", "--engine", "fake", "-o", "hello.wav")
    assert (result.returncode, result.stdout) == (0, b""), result.stderr
    assert seconds((tmp_path / "hello.wav").read_bytes()) > 0.3
    again = run_cli("say", "Something else.", "--engine", "fake", "-o", "hello.wav")
    assert again.returncode == 2
    assert "hello.wav" in again.stderr.decode() and "--force" in again.stderr.decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("  ", "nothing to say: the text has no word"),
        ("... --- !", "nothing to say: the text has no word"),
        (
            "word " * 500,
            f"say speaks at most {MAX_SAY_CHARACTERS:,} characters, not 2,500: "
            "narrate a file instead",
        ),
    ],
)
def test_nothing_or_too_much_to_say_is_one_line(run_cli, text, message):
    result = run_cli("say", text, "--engine", "fake")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [f"audio-edition: error: {message}"]
    assert result.stdout == b""


def test_voices_sample_into_a_file_is_one_line(run_cli, write_text):
    write_text("taken", "a file, not a folder")
    result = run_cli("voices", "--engine", "fake", "--sample", "taken")
    assert result.returncode == 2
    assert (
        result.stderr.decode()
        .splitlines()[-1]
        .startswith("audio-edition: error: cannot make the sample folder taken: ")
    )


def test_voices_sample_speaks_each_voice_listed(run_cli, tmp_path):
    result = run_cli("voices", "--engine", "fake", "--sample", "samples")
    assert result.returncode == 0, result.stderr
    made = sorted(path.name for path in (tmp_path / "samples").iterdir())
    assert made == ["fake-fake-16k.mp3", "fake-fake-fr.mp3", "fake-fake-speechlike.mp3",
                    "fake-fake.mp3"]  # fmt: skip
    assert result.stderr.decode().count("wrote samples/") == 4
