"""Fixes kept beside the document (NAME.audio-edition.toml): a sentence said otherwise, a word
said otherwise everywhere; read by narrate, spoken and batch, written by the studio's calls."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from audio_edition import Options, VoiceOptions, narrate, read_document
from audio_edition.narration.fixes import (
    MAX_FIXES_BYTES,
    fixes_path,
    load_fixes,
    save_sentence_fix,
    save_word_fix,
)
from audio_edition.readers import toml

STORY = (
    "Nguyen opened the door. The hall was dark.\n\n"
    "She called out twice. Nobody answered her.\n\n"
    "Then Nguyen lit a lamp at 10:30 p.m. and waited."
)
FIX_FILE = """\
# How sentences and words of story.txt are spoken (made by the studio or by hand).
# Kept by hand too.
[sentences]
"Nobody answered her." = "Nobody  answered her at all."
"A sentence cut from the story." = "Gone."

[words]
Nguyen = "Win"                       # a lexicon entry, as --lexicon takes
"""
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
"""Any text a file can hold: every character but unpaired surrogates."""


@pytest.fixture
def story(write_text) -> Path:
    return write_text("story.txt", STORY)


def spoken_sentences(source: Path, **voice) -> dict[str, str]:
    document = read_document(source, Options(voice=VoiceOptions(**voice)))
    return {s.text: s.spoken for p in document.paragraphs for s in p.sentences}


def manifest_spoken(path: Path) -> dict[str, str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {s["text"]: s["spoken"] for p in data["paragraphs"] for s in p["sentences"]}


def test_the_fix_file_is_the_stem_beside_the_document(tmp_path):
    assert fixes_path(tmp_path / "story.md") == tmp_path / "story.audio-edition.toml"
    assert fixes_path(tmp_path / "story.txt") == tmp_path / "story.audio-edition.toml"
    assert fixes_path(Path("a.b.html")) == Path("a.b.audio-edition.toml")


def test_a_sentence_fix_synthesizes_only_its_clip_and_changes_only_its_spoken(story, tmp_path):
    source_bytes, source_time = story.read_bytes(), story.stat().st_mtime_ns
    cache = tmp_path / "cache"
    first = narrate(story, tmp_path / "out.wav", engine="fake", manifest=True, cache_dir=cache)
    before = manifest_spoken(tmp_path / "out.json")
    save_sentence_fix(story, "Nobody answered her.", "Nobody answered her at all.")
    second = narrate(
        story, tmp_path / "out.wav", engine="fake", manifest=True, cache_dir=cache, force=True
    )
    assert (first.synthesized, first.cached) == (5, 0)
    assert (second.synthesized, second.cached) == (1, 4)
    after = manifest_spoken(tmp_path / "out.json")
    assert after.pop("Nobody answered her.") == "Nobody answered her at all."
    assert before.pop("Nobody answered her.") == "Nobody answered her."
    assert after == before
    assert (story.read_bytes(), story.stat().st_mtime_ns) == (source_bytes, source_time)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cache", "out.json", "out.wav", "story.audio-edition.toml", "story.txt",
    ]  # fmt: skip


def test_a_word_fix_applies_everywhere_over_the_lexicon(story, write_text):
    lexicon = write_text("words.toml", 'nguyen = "Nwen"\nlamp = "lantern"\n')
    assert spoken_sentences(story, lexicon=lexicon)["Nguyen opened the door."] == (
        "Nwen opened the door."
    )
    save_word_fix(story, "NGUYEN", "Win")
    spoken = spoken_sentences(story, lexicon=lexicon)
    assert spoken["Nguyen opened the door."] == "Win opened the door."
    assert spoken["Then Nguyen lit a lamp at 10:30 p.m. and waited."] == (
        "Then Win lit a lantern at ten thirty PM and waited."
    )
    save_word_fix(story, "nguyen", None)
    assert load_fixes(story).words == ()
    assert spoken_sentences(story, lexicon=lexicon)["Nguyen opened the door."] == (
        "Nwen opened the door."
    )


def test_a_word_fix_may_give_ipa_as_a_lexicon_does(story):
    fixes_path(story).write_text(
        '[words]\nNguyen = { say = "win", ipa = "wɪn" }\n', encoding="utf-8"
    )
    spoken = spoken_sentences(story, engine="fake")
    assert spoken["Nguyen opened the door."].startswith("\ue000win\ue001wɪn\ue002 opened")


def test_spoken_shows_the_fixes_and_warns_once_of_a_sentence_no_longer_there(
    run_cli, story, tmp_path
):
    fixes_path(story).write_text(FIX_FILE, encoding="utf-8")
    done = run_cli("spoken", "story.txt")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().split("\n\n") == [
        "Win opened the door.\nThe hall was dark.",
        "She called out twice.\nNobody answered her at all.",
        "Then Win lit a lamp at ten thirty PM and waited.\n",
    ]
    assert done.stderr.decode() == (
        "audio-edition: story.txt: its fix file fixes 1 sentence it no longer holds "
        "(kept, unused): 'A sentence cut from the story.'\n"
    )
    assert fixes_path(story).read_text(encoding="utf-8") == FIX_FILE


def test_a_fixed_sentence_too_long_for_a_clip_is_cut_in_its_first_parts_voice(write_text):
    source = write_text("talk.txt", '"Come here now," said Ann with a smile.')
    options = Options(voice=VoiceOptions(engine="fake", dialogue_voice="fake:fake-fr", rate=60))
    (sentence,) = read_document(source, options).paragraphs[0].sentences
    assert [part.speaker for part in sentence.parts] == ["Ann", None]
    long_text = " ".join(f"word{n}" for n in range(1, 61)).replace("0", "o")
    save_sentence_fix(source, sentence.text, long_text)
    (fixed,) = read_document(source, options).paragraphs[0].sentences
    assert len(fixed.parts) > 1
    assert {part.speaker for part in fixed.parts} == {"Ann"}
    assert " ".join(part.text for part in fixed.parts) == sentence.text == fixed.text
    assert all(part.text for part in fixed.parts)


def test_a_fix_is_normalized_like_any_text(story):
    save_sentence_fix(story, "The hall was dark.", "The hall was dark at 9 p.m.")
    assert spoken_sentences(story)["The hall was dark."] == "The hall was dark at nine PM."


@settings(max_examples=60, deadline=None)
@given(written=ANY_TEXT, spoken=ANY_TEXT, word=ANY_TEXT)
@example(
    written='say "hi" \\ now\n\t\x00\x7f\x1f', spoken="\\u0041 '''\"\"\" # [words]", word="a=b"
)
@example(written="naïve café ß 日本語 😀", spoken="\u2028\u0085 e\u0301", word="İstanbul")
def test_saved_fixes_read_back_whatever_their_text(written, spoken, word):
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "story.md"
        save_sentence_fix(source, f"A {written}", f"B {spoken}")
        save_word_fix(source, f"w{word}", f"s{word}")
        fixes = load_fixes(source)
        collapsed = (" ".join(f"A {written}".split()), " ".join(f"B {spoken}".split()))
        assert fixes.sentences == (collapsed,)
        assert fixes.words == ((f"w{word}".strip(), f"s{word}".strip()),)
        assert os.listdir(folder) == ["story.audio-edition.toml"]


def test_saving_keeps_the_top_comments_and_other_entries_and_replaces_a_fix(story):
    fixes_path(story).write_text(FIX_FILE, encoding="utf-8")
    save_sentence_fix(story, "Nobody  answered\nher.", "No one answered.")
    save_word_fix(story, "Kinsale", "kin sail")
    save_sentence_fix(story, "A sentence cut from the story.", None)
    text = fixes_path(story).read_text(encoding="utf-8")
    assert text.startswith(FIX_FILE[: FIX_FILE.index("[sentences]")])
    assert toml.loads(text) == {
        "sentences": {"Nobody answered her.": "No one answered."},
        "words": {"Nguyen": "Win", "Kinsale": "kin sail"},
    }


def test_a_new_fix_file_says_what_it_is(story):
    save_word_fix(story, "Nguyen", "Win")
    assert fixes_path(story).read_text(encoding="utf-8") == (
        "# How sentences and words of story.txt are spoken (made by the studio or by hand).\n"
        '\n[sentences]\n\n[words]\nNguyen = "Win"\n'
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: save_sentence_fix(s, " * * ", "x"), "a sentence to fix must have a word"),
        (lambda s: save_sentence_fix(s, "The hall was dark.", "..."), "must have a word to say"),
        (lambda s: save_word_fix(s, " ", "x"), "a word to fix must not be empty"),
        (lambda s: save_word_fix(s, "Nguyen", " "), "what to say for 'Nguyen' must not be"),
        (lambda s: save_word_fix(s, "Nguyen", "W\udcffn"), "holds an unpaired surrogate"),
    ],
)
def test_a_fix_that_cannot_be_kept_is_one_line_and_writes_nothing(story, call, message):
    with pytest.raises(Exception, match=re.escape(message)) as raised:
        call(story)
    assert "\n" not in str(raised.value) and raised.value.exit_code == 2
    assert not fixes_path(story).exists()


BAD_FILES = [
    ('[sentences\n"A." = "B."\n', "story.audio-edition.toml: not valid TOML (line 1: "),
    ('[voices]\nx = "y"\n', "unknown key 'voices'; a fix file has [sentences] and [words]"),
    ('sentences = "Nobody answered her."\n', "sentences must be a table ([sentences])"),
    ('[sentences]\n"Nobody answered her." = 3\n', "'Nobody answered her.' must map to a text"),
    ('[sentences]\n"A b." = "x"\n"A  b." = "y"\n', "the sentence 'A b.' is fixed twice"),
    ('[words]\nNguyen = ""\n', "'Nguyen' must not map to an empty string"),
    ("[words]\nNguyen = 'Win'\nNGUYEN = 'Wen'\n", "'NGUYEN' is given twice"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_a_bad_fix_file_is_one_line_naming_it_and_nothing_is_written(
    run_cli, story, tmp_path, content, message
):
    fixes_path(story).write_text(content, encoding="utf-8")
    done = run_cli("narrate", "story.txt", "--engine", "fake")
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 1
    assert len(lines) == 1 and message in lines[0] and "story.audio-edition.toml" in lines[0]
    assert not (tmp_path / "output").exists()
    with pytest.raises(Exception, match=re.escape(message)):
        save_word_fix(story, "Kinsale", "kin sail")
    assert fixes_path(story).read_text(encoding="utf-8") == content


def test_a_fix_file_over_its_limit_is_refused_and_never_written(story):
    fixes_path(story).write_bytes(b"# " + b"x" * MAX_FIXES_BYTES + b"\n")
    with pytest.raises(Exception, match="larger than 8192 KiB, the fix file limit"):
        load_fixes(story)
    fixes_path(story).unlink()
    with pytest.raises(Exception, match="would be larger than 8192 KiB, the fix file limit"):
        save_sentence_fix(story, "The hall was dark.", "dark " * (MAX_FIXES_BYTES // 5))
    assert not fixes_path(story).exists()


FAILED_WRITE = """
import resource, signal, sys
from pathlib import Path
from audio_edition.errors import AudioEditionError
from audio_edition.narration.fixes import save_sentence_fix
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
try:
    save_sentence_fix(Path(sys.argv[1]), "The hall was dark.", "dark " * 2000)
except AudioEditionError as error:
    print(error)
"""


def test_a_write_that_fails_leaves_the_old_file_whole_and_no_partial_one(story, tmp_path):
    fixes_path(story).write_text(FIX_FILE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", FAILED_WRITE, str(story)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"file too large writing {fixes_path(story)}\n"
    assert fixes_path(story).read_text(encoding="utf-8") == FIX_FILE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.audio-edition.toml", "story.txt"]


def batch_statuses(run_cli) -> dict[str, str]:
    done = run_cli("batch", "docs", "--output-dir", "out", "--engine", "fake", "--jobs", "2")
    assert done.returncode == 0, done.stderr.decode()
    lines = [line for line in done.stderr.decode().splitlines() if " -> " in line]
    return {line[12:].split(" -> ")[0]: line[:11].strip() for line in lines}


def test_batch_narrates_again_a_document_whose_fixes_changed_and_only_it(run_cli, tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "docs" / "b.txt").write_text("Another story. It is short.", encoding="utf-8")
    assert batch_statuses(run_cli) == {"docs/a.txt": "narrated", "docs/b.txt": "narrated"}
    audio = (tmp_path / "out" / "a.mp3").read_bytes()
    save_sentence_fix(tmp_path / "docs" / "a.txt", "The hall was dark.", "The hall was black.")
    assert batch_statuses(run_cli) == {"docs/a.txt": "narrated", "docs/b.txt": "up to date"}
    assert (tmp_path / "out" / "a.mp3").read_bytes() != audio
    fix_file = fixes_path(tmp_path / "docs" / "a.txt")
    fix_file.write_text("# A comment changes nothing.\n" + fix_file.read_text(), encoding="utf-8")
    assert batch_statuses(run_cli) == {"docs/a.txt": "up to date", "docs/b.txt": "up to date"}
