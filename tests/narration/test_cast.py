"""A cast: speakers and their voices, from a file, front matter or --dialogue-voice, planned
into the narration's voices before any work."""

from __future__ import annotations

import pytest

from audio_edition import InputError, Options, UsageError, VoiceOptions, plan_narration
from audio_edition.narration import cast as cast_module
from audio_edition.narration.cast import Cast, load_cast, with_dialogue_voice
from audio_edition.text.dialogue import Speaker

CAST = """\
narrator = "fake:fake"
default = "fake:fake-16k"
Watson = "narrator"

[Holmes]
voice = "fake:fake-fr"
pronoun = "he"
names = ["Sherlock Holmes", "Mr. Holmes"]
"""


def test_a_cast_file_names_speakers_their_voices_the_narrator_and_the_default(tmp_path):
    path = tmp_path / "cast.toml"
    path.write_text(CAST, encoding="utf-8")
    assert load_cast(path) == Cast(
        speakers=(Speaker("Watson"), Speaker("Holmes", ("Sherlock Holmes", "Mr. Holmes"), "he")),
        voices=(("Watson", "narrator"), ("Holmes", "fake:fake-fr")),
        narrator="fake:fake",
        default="fake:fake-16k",
    )


def test_the_dialogue_voice_is_the_casts_default():
    assert with_dialogue_voice(None, None) is None
    assert with_dialogue_voice(None, "fake:fake-16k") == Cast(default="fake:fake-16k")
    cast = Cast((Speaker("Ann"),), (("Ann", "fake"),), default="fake:fake-fr")
    assert with_dialogue_voice(cast, "fake:fake-16k") == Cast(
        (Speaker("Ann"),), (("Ann", "fake"),), default="fake:fake-16k"
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("Holmes = 3\n", "Holmes must be a voice (engine:voice, or a voice), not 3"),
        ('Holmes = ""\n', "Holmes must be a voice"),
        ('default = ["a"]\n', "default must be a voice"),
        ('[Holmes]\npronoun = "he"\n', "Holmes needs a voice"),
        (
            '[Holmes]\nvoice = "fake"\ngender = "m"\n',
            "Holmes has no 'gender'; a speaker has voice, pronoun, names",
        ),
        (
            '[Holmes]\nvoice = "fake"\npronoun = "him"\n',
            "Holmes's pronoun must be he, she, they, not 'him'",
        ),
        (
            '[Holmes]\nvoice = "fake"\nnames = "Sherlock"\n',
            "Holmes's names must be a list of at most 16 names",
        ),
        ('[Holmes]\nvoice = "fake"\nnames = [""]\n', "Holmes's names must be names (1 to 60"),
        ('[Holmes]\nvoice = "fake"\nnames = [3]\n', "Holmes's names must be names (1 to 60"),
        ('[Holmes]\nvoice = "fake"\nnames = ["Sherlock!"]\n', "Holmes's names must be names"),
        (
            f'"{"x" * 61}" = "fake"\n',
            "is not a speaker's name (1 to 60 letters, digits, spaces and . ' -)",
        ),
        ("".join(f'S{n} = "fake"\n' for n in range(65)), "names 65 speakers, more than 64"),
        ('Holmes = "fake', "not valid TOML (Unterminated string at the end)"),
        (
            'Holmes = "fake"\n[Watson]\nvoice = "fake"\nnames = ["Holmes"]\n',
            "'holmes' is a name of both Holmes and Watson",
        ),
        (
            '[Holmes]\nvoice = "fake"\nnames = ["I"]\n[Watson]\nvoice = "fake"\nnames = ["i"]\n',
            "'i' is a name of both Holmes and Watson",
        ),
        ("Holmes = " + "[" * 5000 + "]" * 5000 + "\n", "not valid TOML (nesting too deep)"),
    ],
)
def test_a_bad_cast_file_is_one_line_naming_it(tmp_path, content, problem):
    path = tmp_path / "cast.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises((UsageError, InputError)) as raised:
        load_cast(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and problem in message
    assert "\n" not in message


def test_a_cast_file_over_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(cast_module, "MAX_CAST_FILE_BYTES", 1024)
    path = tmp_path / "cast.toml"
    path.write_text('Ann = "fake"\n' + "#" * 1024, encoding="utf-8")
    with pytest.raises(InputError, match=r"cast\.toml is larger than 1 KiB, the cast file limit$"):
        load_cast(path)


STORY = (
    "“I'm here,” said Holmes.\n\nWatson nodded. “Where?” asked Watson.\n\n“Home,” said "
    "Lestrade.\n\nThe door shut.\n\n“Who's there?”\n"
)


def test_a_plan_gives_each_speaker_the_cast_s_voice(write_text, tmp_path):
    source = write_text("story.txt", STORY)
    cast = write_text("cast.toml", CAST)
    plan = plan_narration(source, tmp_path / "story.mp3", Options(voice=VoiceOptions(cast=cast)))
    voices = [(v.engine, v.settings.voice) for v in plan.synthesis.voices]
    assert voices == [("fake", "fake"), ("fake", "fake-fr"), ("fake", "fake-16k")]
    # Holmes his own; Watson the narrator's; Lestrade, whom the cast does not name, the default
    assert dict(plan.speaker_voices) == {"Holmes": 1, "Watson": 0, "Lestrade": 2, "someone": 2}


def test_the_narrator_s_voice_on_the_command_line_wins_over_the_cast_s(write_text, tmp_path):
    source = write_text("story.txt", STORY)
    cast = write_text("cast.toml", CAST)
    options = Options(voice=VoiceOptions(engine="fake", voice="fake-16k", cast=cast))
    plan = plan_narration(source, tmp_path / "story.mp3", options)
    assert plan.synthesis.settings.voice == "fake-16k"
    # the default is the narrator's voice now: one voice fewer
    assert [v.settings.voice for v in plan.synthesis.cast] == ["fake-fr"]
    assert dict(plan.speaker_voices)["Lestrade"] == 0


def test_a_dialogue_voice_of_the_narrator_s_engine_needs_no_engine_name(write_text, tmp_path):
    source = write_text("story.txt", STORY)
    options = Options(voice=VoiceOptions(engine="fake", dialogue_voice="fake-16k"))
    plan = plan_narration(source, tmp_path / "story.mp3", options)
    assert [(v.engine, v.settings.voice) for v in plan.synthesis.cast] == [("fake", "fake-16k")]
    assert set(dict(plan.speaker_voices).values()) == {1}


def test_a_voice_that_is_not_installed_is_one_line_before_any_work(write_text, tmp_path):
    source = write_text("story.txt", STORY)
    options = Options(voice=VoiceOptions(engine="fake", dialogue_voice="fake:no-such-voice"))
    with pytest.raises(
        UsageError,
        match=r"^the voice 'fake:no-such-voice' of the dialogue: unknown voice 'no-such-voice' "
        r"for engine 'fake'",
    ):
        plan_narration(source, tmp_path / "story.mp3", options)
    assert not (tmp_path / "story.mp3").exists()


def test_a_front_matter_cast_is_the_document_s_own_unless_a_cast_file_is_given(
    write_text, tmp_path
):
    source = write_text(
        "story.md",
        "---\ntitle: A story\ncast:\n  default: fake:fake-16k\n  Holmes:\n    voice: fake:fake-fr\n"
        "---\n\n" + STORY,
    )
    plan = plan_narration(
        source, tmp_path / "story.mp3", Options(voice=VoiceOptions(engine="fake"))
    )
    assert [v.settings.voice for v in plan.synthesis.cast] == ["fake-fr", "fake-16k"]
    assert dict(plan.speaker_voices)["Holmes"] == 1
    cast = write_text("cast.toml", 'default = "fake:fake-fr"\n')
    options = Options(voice=VoiceOptions(engine="fake", cast=cast))
    planned = plan_narration(source, tmp_path / "story.mp3", options)
    assert [v.settings.voice for v in planned.synthesis.cast] == ["fake-fr"]
    assert set(dict(planned.speaker_voices).values()) == {1}


def test_a_front_matter_cast_that_means_nothing_is_one_line_naming_the_document(
    write_text, tmp_path
):
    source = write_text("story.md", "---\ncast:\n  Holmes:\n    pronoun: it\n---\n\n" + STORY)
    with pytest.raises(UsageError) as raised:
        plan_narration(source, tmp_path / "story.mp3", Options(voice=VoiceOptions(engine="fake")))
    assert str(raised.value) == f"{source}: its front matter's cast: Holmes needs a voice"


@pytest.mark.parametrize(
    ("cast", "message"),
    [
        (
            'Holmes = "fake:nobody"\nWatson = "fake:nobody"\n',
            "the voice 'fake:nobody' of Holmes and Watson: unknown voice 'nobody' for engine "
            "'fake'",
        ),
        (
            'Holmes = "nosuchengine:xyz"\n',
            "the voice 'nosuchengine:xyz' of Holmes: unknown engine 'nosuchengine'",
        ),
    ],
)
def test_a_cast_voice_not_installed_names_whose_voice_it_is(write_text, tmp_path, cast, message):
    source = write_text("story.txt", STORY)
    written = write_text("cast.toml", cast)
    with pytest.raises(UsageError) as raised:
        plan_narration(source, tmp_path / "a.mp3", Options(voice=VoiceOptions(cast=written)))
    assert str(raised.value).startswith(message)


def test_an_empty_dialogue_voice_is_refused(run_cli, write_text):
    write_text("story.txt", STORY)
    done = run_cli("narrate", "story.txt", "--engine", "fake", "--dialogue-voice", " ")
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "audio-edition: error: --dialogue-voice must name a voice, not ''\n"
    )


@pytest.mark.parametrize(
    ("cast", "code", "message"),
    [
        ('Holmes = "fake:nobody"\n', 2, "the voice 'fake:nobody' of Holmes: unknown voice"),
        (None, 1, "missing.toml: no such file"),
    ],
)
def test_a_batch_checks_its_cast_once_before_any_document(run_cli, tmp_path, cast, code,
                                                          message):  # fmt: skip
    (tmp_path / "docs").mkdir()
    for name in ("a", "b"):
        (tmp_path / "docs" / f"{name}.txt").write_text("“Go,” said Holmes.", encoding="utf-8")
    if cast is not None:
        (tmp_path / "cast.toml").write_text(cast, encoding="utf-8")
    named = "cast.toml" if cast is not None else "missing.toml"
    url = ["--base-url", "https://example.org/"]
    for command, extra in (("batch", []), ("publish", url)):
        done = run_cli(command, "docs", "--output-dir", "out", "--engine", "fake", "--cast",
                       named, *extra)  # fmt: skip
        assert done.returncode == code, done.stderr.decode()
        *before, line = done.stderr.decode().splitlines()  # publish may warn of its feed first
        assert line.startswith("audio-edition: error: ") and message in line
        assert not any("docs" in earlier for earlier in before)
        assert not (tmp_path / "out").exists()
