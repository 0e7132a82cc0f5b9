"""A local pool's first worker starts as soon as the plan has chosen the voices, so that its
engine loads while the text is segmented: the same worker then speaks, and the audio is the
same as a pool started at the first clip makes."""

from __future__ import annotations

import os
import signal

import pytest

from audio_edition.errors import InputError
from audio_edition.narration.plan import Options, VoiceOptions, plan_narration
from audio_edition.narration.render import render
from audio_edition.speak.clips import SynthesisConfig
from audio_edition.speak.synthesis import LocalPool
from tests.promises.test_interrupt import is_worker, running_processes

FAKE = Options(voice=VoiceOptions(engine="fake"))
CODE_ONLY = "```\nx = 1\n```\n"
"""Markdown that reads, but whose only block (code) is not read aloud."""


def test_the_plan_names_its_voices_before_it_reads_the_text_for_speech(write_text, tmp_path):
    chosen: list[SynthesisConfig] = []
    plan = plan_narration(write_text("a.txt", "Some words."), tmp_path / "a.wav", FAKE,
                          chosen.append)  # fmt: skip
    assert chosen == [plan.synthesis]
    chosen.clear()
    with pytest.raises(InputError, match="no text to narrate"):
        plan_narration(write_text("b.md", CODE_ONLY), tmp_path / "b.wav", FAKE, chosen.append)
    assert chosen == [plan.synthesis]  # told before segmenting found nothing to say


def test_the_prepared_worker_speaks_and_the_audio_is_the_same(write_text, tmp_path):
    source = write_text("story.txt", "\n\n".join(f"Paragraph {i} says this." for i in range(6)))
    with LocalPool(2) as pool:
        plan = plan_narration(source, tmp_path / "prepared.wav", FAKE, pool.prepare)
        prepared = [worker.pid for worker in pool.workers]
        assert len(prepared) == 1  # one: planning has the other core
        render(plan, pool)
        assert [worker.pid for worker in pool.workers][:1] == prepared
    with LocalPool(2) as pool:
        render(plan_narration(source, tmp_path / "later.wav", FAKE), pool)
    prepared_audio = (tmp_path / "prepared.wav").read_bytes()
    assert prepared_audio == (tmp_path / "later.wav").read_bytes()


def test_a_worker_still_starting_is_stopped_at_once(write_text, tmp_path):
    """A plan that fails after the voices are chosen leaves no worker loading an engine."""
    with LocalPool(1) as pool:
        plan_narration(write_text("a.txt", "Words."), tmp_path / "a.wav", FAKE, pool.prepare)
        worker = pool.workers[0]
    assert worker.exit_code() == -signal.SIGKILL
    assert [c for c in running_processes(parent=os.getpid()) if is_worker(c)] == []


def test_the_command_leaves_no_worker_when_the_text_has_nothing_to_say(run_cli, write_text):
    write_text("code.md", CODE_ONLY)
    done = run_cli("narrate", "code.md", "--engine", "fake")
    assert done.returncode != 0
    assert b"no text to narrate" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert [c for c in running_processes(parent=os.getpid()) if is_worker(c)] == []
