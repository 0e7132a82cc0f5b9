"""The narration plan: decided before any work, frozen, picklable, and rendered the same
wherever it travels."""

from __future__ import annotations

import dataclasses
import os
import pickle

import pytest

from audio_edition import (
    LayoutOptions,
    LocalPool,
    OptionError,
    Options,
    OutputOptions,
    UsageError,
    VoiceOptions,
    narrate,
    plan_narration,
    render,
)
from tests.promises.test_interrupt import is_worker, running_processes

FAKE = Options(voice=VoiceOptions(engine="fake"))


def test_a_plan_pickles_is_frozen_and_renders_as_narrate_does(write_text, tmp_path):
    source = write_text("piece.md", "# A title\n\nOne paragraph here.\n\nAnd another one.")
    options = dataclasses.replace(FAKE, output=OutputOptions(author="A. Critic", manifest=True))
    plan = plan_narration(source, tmp_path / "planned.wav", options)
    travelled = pickle.loads(pickle.dumps(plan))
    assert travelled == plan
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.destination = tmp_path / "elsewhere.wav"  # type: ignore[misc]
    with LocalPool(1) as pool:
        edition = render(travelled, pool)
    narrated = narrate(source, tmp_path / "narrated.wav", engine="fake", author="A. Critic",
                       manifest=True)  # fmt: skip
    assert edition.timeline == narrated.timeline
    assert (tmp_path / "planned.wav").read_bytes() == (tmp_path / "narrated.wav").read_bytes()
    assert edition.sidecars == {"json": tmp_path / "planned.json"}


def test_planning_writes_nothing_and_starts_nothing(write_text, tmp_path):
    source = write_text("piece.txt", "Words to plan.")
    before = sorted(tmp_path.rglob("*"))
    plan = plan_narration(source, tmp_path / "out" / "piece.mp3", FAKE)
    assert sorted(tmp_path.rglob("*")) == before
    assert [c for c in running_processes(parent=os.getpid()) if is_worker(c)] == []
    assert [p.name for p in plan.outputs] == ["piece.mp3"]


@pytest.mark.parametrize(
    ("options", "output", "message"),
    [
        (Options(voice=VoiceOptions(engine="fake", rate=20)), "a.mp3", "^rate must be between"),
        (Options(layout=LayoutOptions(volume=2.0)), "a.mp3", "^volume must be above 0"),
        (Options(output=OutputOptions(subtitles=("ass",))), "a.mp3", "unknown subtitle format"),
        (Options(voice=VoiceOptions(engine="nope")), "a.mp3", "unknown engine 'nope'"),
        (Options(voice=VoiceOptions(engine="fake", voice="klingon")), "a.mp3", "klingon"),
        (FAKE, "a.xyz", "the extension must be one of"),
        (FAKE, "exists.mp3", "already exists; use --force"),
    ],
)
def test_every_usage_error_is_raised_by_the_plan(write_text, tmp_path, options, output, message):
    source = write_text("piece.txt", "Words to plan.")
    write_text("exists.mp3", b"an older edition")
    with pytest.raises(UsageError, match=message):
        plan_narration(source, tmp_path / output, options)
    assert (tmp_path / "exists.mp3").read_bytes() == b"an older edition"


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"rate": 1000}, "rate must be between 60 and 500 words per minute, not 1000"),
        ({"volume": 2.0}, "volume must be above 0 and at most 1.0, not 2.0"),
        ({"sentence_pause_ms": -1}, "sentence_pause_ms must be between 0 and 10000 ms, not -1"),
        ({"voice_dir": "nowhere"}, "voice_dir nowhere: no such folder"),
        ({"lang": "x y"}, "lang 'x y' is not a BCP 47 language tag (such as en, en-US or pt-BR)"),
        ({"embed_audio": True}, "embed_audio needs an .html output, not 'a.mp3'"),
        ({"jobs": 0}, "jobs must be at least 1, not 0"),
        ({"jobs": 100_000}, "jobs 100000 is too many worker processes for"),
        ({"encoders": 0}, "encoders must be at least 1, not 0"),
    ],
)
def test_narrate_calls_an_option_it_refuses_by_its_name(
    write_text, tmp_path, monkeypatch, choices, message
):
    """The library's words, not the command line's: `rate`, never `--rate`."""
    monkeypatch.chdir(tmp_path)
    write_text("piece.txt", "Words to plan.")
    with pytest.raises(OptionError) as raised:
        narrate("piece.txt", "a.mp3", engine="fake", **choices)
    assert str(raised.value).startswith(message)
    assert raised.value.option == next(iter(choices))
    assert pickle.loads(pickle.dumps(raised.value)).named("--flag") == raised.value.named("--flag")
