"""audio-edition batch: which documents it finds, the mirrored tree it writes, what is up to
date, how failures are reported, and one pool of workers for the whole batch."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from audio_edition.errors import shown
from audio_edition.many.batch import DocumentStatus, run_batch
from audio_edition.many.batch_inputs import BatchItem, find_documents
from audio_edition.many.batch_state import LOCK_FILE, STATE_FILE, BatchState
from audio_edition.narration.plan import Options, OutputOptions, VoiceOptions, plan_narration
from audio_edition.speak.synthesis import LocalPool
from tests.audio import RATE, decode, probe
from tests.tools import as_on_a_terminal

DOCUMENTS = {
    "a.txt": "The first document is short.",
    "more/b.md": "# Second\n\nThe second document has a heading.",
    "more/c.html": "<html><body><p>A third document, in HTML.</p></body></html>",
}
FAKE = Options(voice=VoiceOptions(engine="fake"))
KEPT = [STATE_FILE, LOCK_FILE]
"""The batch's own files in its output folder, as all_files sorts them."""


@pytest.fixture
def docs(write_text, tmp_path) -> Path:
    """docs/ holding a.txt, more/b.md and more/c.html."""
    (tmp_path / "docs" / "more").mkdir(parents=True)
    for name, text in DOCUMENTS.items():
        write_text(f"docs/{name}", text)
    return tmp_path / "docs"


@pytest.fixture
def batch(run_cli):
    """Run `audio-edition batch ARGS` with the fake engine and two workers."""

    def run(*args: str):
        return run_cli("batch", *args, "--engine", "fake", "--jobs", "2")

    return run


def statuses(result) -> dict[str, str]:
    """Each document's status, by source, from the lines on stderr."""
    found = {}
    for line in result.stderr.decode().splitlines():
        status = line[:11].strip()
        if status in ("narrated", "up to date", "failed"):
            found[re.split(r" -> |: ", line[12:], maxsplit=1)[0]] = status
    return found


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every audio file below `folder` with its bytes and modification time."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*.mp3"))
    }


def all_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def touch(path: Path, text: str = "Some words.") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def minutes(path: Path) -> str:
    """An audio file's length as the summary prints it, m:ss."""
    return f"0:{round(float(probe(path)['format']['duration'])):02d}"


# Inputs


def test_a_folder_is_searched_for_documents_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ["a.txt", "b.md", "c.HTML", "d.epub", "sub/e.markdown", "f.text",
                 "notes.csv", "cover.png", "data.json", ".hidden.txt"]:  # fmt: skip
        touch(Path("in") / name)
    items = find_documents(["in"], Path("out"), ".mp3").items
    assert [(str(i.source), str(i.destination)) for i in items] == [
        ("in/a.txt", "out/a.mp3"), ("in/b.md", "out/b.mp3"), ("in/c.HTML", "out/c.mp3"),
        ("in/d.epub", "out/d.mp3"), ("in/f.text", "out/f.mp3"),
        ("in/sub/e.markdown", "out/sub/e.mp3"),
    ]  # fmt: skip


def test_a_folder_search_skips_hidden_folders(tmp_path, monkeypatch):
    """A file inside .git/, .venv/ or .drafts/ is as hidden as a file named .notes.txt."""
    monkeypatch.chdir(tmp_path)
    touch(Path("in/a.txt"))
    touch(Path("in/.drafts/draft.txt"))
    touch(Path("in/.venv/lib/site-packages/pkg.dist-info/top_level.txt"), "pkg")
    assert [str(i.source) for i in find_documents(["in"], Path("out"), ".mp3").items] == [
        "in/a.txt"
    ]


def test_read_along_pages_are_made_and_not_taken_for_inputs_again(batch, docs, tmp_path):
    """Pages written inside the searched folder are outputs: a second run finds none of them."""
    for _ in range(2):
        result = batch("docs", "--output-dir", "docs/pages", "--format", "html")
        assert result.returncode == 0, result.stderr.decode()
    assert all_files(tmp_path / "docs" / "pages") == [
        *KEPT, "a.html", "a.mp3", "more/b.html", "more/b.mp3", "more/c.html", "more/c.mp3",
    ]  # fmt: skip
    page = (tmp_path / "docs" / "pages" / "more" / "b.html").read_text(encoding="utf-8")
    assert 'src="b.mp3"' in page


def test_the_input_folder_itself_may_be_the_output_dir(batch, docs, tmp_path):
    """Pages beside their sources: the second run finds the sources again, not the pages, and
    a page's source is never narrated into itself, even with --force."""
    source = (docs / "more" / "c.html").read_bytes()
    for _ in range(2):  # forced both times: the pages of the first run are outputs, not inputs
        result = batch("docs", "--output-dir", "docs", "--format", "html", "--force")
        assert result.returncode == 1
        lines = result.stderr.decode().splitlines()
        assert [line.split(" -> ")[0] for line in lines[:2]] == [
            f"narrated    docs/{name}" for name in ("a.txt", "more/b.md")
        ]
        assert lines[2] == (
            "failed      docs/more/c.html: docs/more/c.html would be narrated into itself "
            "(docs/more/c.html)"
        )
        assert len(lines) == 4  # the pages made the first time are not documents
    assert (docs / "more" / "c.html").read_bytes() == source


def test_a_folder_is_mirrored_into_the_output_dir(batch, docs, tmp_path):
    (docs / "notes.csv").write_text("not, a, document", encoding="utf-8")
    result = batch("docs", "--output-dir", "out")
    assert result.returncode == 0, result.stderr.decode()
    assert all_files(tmp_path / "out") == [*KEPT, "a.mp3", "more/b.mp3", "more/c.mp3"]
    assert probe(tmp_path / "out" / "more" / "b.mp3")["streams"][0]["codec_name"] == "mp3"


def test_a_single_file_goes_to_the_top_of_the_output_dir(batch, docs, tmp_path):
    result = batch("docs/more/b.md", "--output-dir", "out")
    assert result.returncode == 0, result.stderr.decode()
    assert all_files(tmp_path / "out") == [*KEPT, "b.mp3"]


def test_a_glob_is_expanded_by_the_tool_and_mirrored_below_its_wildcard(batch, docs, tmp_path):
    (docs / "top.md").write_text("A Markdown file at the top.", encoding="utf-8")
    result = batch("docs/**/*.md", "--output-dir", "out")
    assert result.returncode == 0, result.stderr.decode()
    assert all_files(tmp_path / "out") == [*KEPT, "more/b.mp3", "top.mp3"]


@pytest.mark.parametrize("given", ["m4a", ".M4A"])
def test_format_changes_the_extension(batch, docs, tmp_path, given):
    result = batch("docs/more", "--output-dir", "out", "--format", given)
    assert result.returncode == 0, result.stderr.decode()
    assert all_files(tmp_path / "out") == [*KEPT, "b.m4a", "c.m4a"]
    assert probe(tmp_path / "out" / "b.m4a")["streams"][0]["codec_name"] == "aac"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["docs", "--format", "xyz"], "unknown --format 'xyz'; use mp3, m4a"),
        (["docs", "missing.txt"], "missing.txt: no such file or folder"),
        (["docs/**/*.rst"], "docs/**/*.rst: no file matches"),
        (["docs", "--embed-audio"], "--embed-audio needs --format html"),
    ],
)
def test_bad_usage_is_exit_2_with_one_line_and_nothing_written(batch, docs, tmp_path, args,
                                                               message):  # fmt: skip
    result = batch(*args, "--output-dir", "out")
    assert result.returncode == 2
    (line,) = result.stderr.decode().splitlines()
    assert line.startswith("audio-edition: error: ") and message in line
    assert not (tmp_path / "out").exists()


def test_two_documents_with_one_output_is_exit_2(batch, docs, tmp_path):
    (docs / "a.md").write_text("The same name as a.txt.", encoding="utf-8")
    result = batch("docs", "--output-dir", "out")
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and "would both be narrated into out/a.mp3" in lines[0]
    assert not (tmp_path / "out").exists()


OUTSIDE = "it leads outside {}, the folder searched (name it on its own to narrate it)"


def test_a_glob_through_dotdot_writes_only_inside_the_output_dir_once_per_file(batch, tmp_path):
    """'work/*/../*.txt' names work/w.txt twice (through a/ and b/): one document, out/w.mp3;
    'work/*/../../*.txt' leads out of work, the glob's folder: skipped, and the file outside
    out it would have made is left alone, even with --force."""
    for folder in ("work/a", "work/b"):
        (tmp_path / folder).mkdir(parents=True)
    touch(tmp_path / "work" / "w.txt", "Inside the glob's folder.")
    touch(tmp_path / "top.txt", "Outside the glob's folder.")
    (tmp_path / "top.mp3").write_bytes(b"not the batch's")
    result = batch("work/*/../*.txt", "work/*/../../*.txt", "--output-dir", "out", "--force")
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stderr.decode().splitlines()
    assert lines[:2] == [
        f"skipped     work/a/../../top.txt: {OUTSIDE.format('work')}",
        f"narrated    work/w.txt -> out/w.mp3 ({minutes(tmp_path / 'out' / 'w.mp3')})",
    ]
    assert lines[2].startswith("1 documents: 1 narrated, 0 up to date, 0 failed, 1 skipped; ")
    assert len(lines) == 3
    assert all_files(tmp_path / "out") == [*KEPT, "w.mp3"]
    assert (tmp_path / "top.mp3").read_bytes() == b"not the batch's"
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.mp3")) == [
        "out/w.mp3", "top.mp3",
    ]  # fmt: skip


def test_a_glob_leading_only_outside_is_no_documents(batch, tmp_path):
    (tmp_path / "work" / "a").mkdir(parents=True)
    touch(tmp_path / "top.txt", "Outside the glob's folder.")
    result = batch("work/*/../../*.txt", "--output-dir", "out", "--force")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "audio-edition: error: no documents found in work/*/../../*.txt (1 skipped, leading "
        "outside the folder searched)"
    ]
    assert not (tmp_path / "out").exists() and not (tmp_path / "top.mp3").exists()


def test_an_output_through_a_link_out_of_the_output_dir_is_refused(batch, docs, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "more").symlink_to(tmp_path / "elsewhere")
    result = batch("docs", "--output-dir", "out", "--force")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "audio-edition: error: out/more/b.mp3 would be written outside out, through a link in "
        "it; remove the link or choose another --output-dir"
    ]
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert all_files(tmp_path / "out") == []


@pytest.fixture
def linked(tmp_path) -> Path:
    """posts/ holding post.txt, latest.txt -> post.txt, and two links out of it:
    notes.txt -> ../secret.env and linked/ -> ../elsewhere/ (holding far.txt)."""
    touch(tmp_path / "secret.env", "The password is swordfish.")
    touch(tmp_path / "elsewhere" / "far.txt", "Far away words.")
    touch(tmp_path / "posts" / "post.txt", "A post of its own.")
    (tmp_path / "posts" / "notes.txt").symlink_to("../secret.env")
    (tmp_path / "posts" / "latest.txt").symlink_to("post.txt")
    (tmp_path / "posts" / "linked").symlink_to("../elsewhere")
    return tmp_path / "posts"


@pytest.mark.parametrize(
    ("given", "left_out"),
    [("posts", ["posts/linked", "posts/notes.txt"]),
     ("posts/**/*.txt", ["posts/notes.txt"])],
)  # fmt: skip
def test_links_out_of_the_folder_searched_are_skipped_and_reported(batch, linked, tmp_path,
                                                                   given, left_out):  # fmt: skip
    """A folder's search or a glob takes a link only when it leads inside its folder (then
    as the file it leads to, once); what leads out is reported and never read. Neither
    enters a link to a folder: the search reports one that leads out, `**` passes it by."""
    result = batch(given, "--output-dir", "out")
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stderr.decode().splitlines()
    assert lines[:-1] == [
        *(f"skipped     {path}: {OUTSIDE.format('posts')}" for path in left_out),
        f"narrated    posts/post.txt -> out/post.mp3 ({minutes(tmp_path / 'out' / 'post.mp3')})",
    ]
    assert lines[-1].startswith(
        f"1 documents: 1 narrated, 0 up to date, 0 failed, {len(left_out)} skipped; "
    )
    assert all_files(tmp_path / "out") == [*KEPT, "post.mp3"]
    assert b"swordfish" not in (tmp_path / "out" / "post.mp3").read_bytes()


def test_a_link_named_on_its_own_is_read(batch, linked, tmp_path):
    result = batch("posts/notes.txt", "--output-dir", "out")
    assert result.returncode == 0, result.stderr.decode()
    assert statuses(result) == {"posts/notes.txt": "narrated"}
    assert all_files(tmp_path / "out") == [*KEPT, "notes.mp3"]


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("plain é 中 ½.txt", "plain é 中 ½.txt"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("new\nline\ttab\rreturn", "new\\nline\\ttab\\rreturn"),
        ("del\x7f c1\x85\x9b nul\x00", "del\\x7f c1\\x85\\x9b nul\\x00"),
        (os.fsdecode(b"bad\xff"), "bad\\udcff"),
    ],
)
def test_shown_escapes_control_characters(raw, escaped):
    assert shown(raw) == escaped


def test_file_names_are_reported_with_control_characters_escaped(batch, tmp_path):
    """Every line of the report: skipped, failed, narrated, up to date."""
    odd = "\x1b[31mred\nline\x9b.txt"
    touch(tmp_path / "docs" / odd, "Words in a strangely named file.")
    touch(tmp_path / "docs" / "empty\x07.txt", "")
    touch(tmp_path / "outside.txt", "Words outside.")
    (tmp_path / "docs" / "link\x1b.txt").symlink_to(tmp_path / "outside.txt")
    for status in ("narrated   ", "up to date "):
        result = batch("docs", "--output-dir", "out")
        stderr = result.stderr.decode()
        assert result.returncode == 1
        assert not set("\x1b\x07\x9b") & set(stderr)
        lines = stderr.splitlines()
        assert len(lines) == 4
        assert lines[0] == f"skipped     docs/link\\x1b.txt: {OUTSIDE.format('docs')}"
        assert lines[1].startswith(
            f"{status} docs/\\x1b[31mred\\nline\\x9b.txt -> out/\\x1b[31mred\\nline\\x9b.mp3 ("
        )
        assert lines[2].startswith(
            "failed      docs/empty\\x07.txt: docs/empty\\x07.txt has no text to narrate"
        )
    assert (tmp_path / "out" / "\x1b[31mred\nline\x9b.mp3").is_file()


def test_two_batches_into_one_folder_at_once_keep_each_others_records(tmp_path):
    """Two real batch processes at once, on documents of their own, into one folder: every
    record survives (each merges its own into the file under a lock), and a rerun of both
    finds every document up to date and narrates nothing."""
    names = [f"{group}/{group}{index}.txt" for group in ("one", "two") for index in range(3)]
    for name in names:
        touch(tmp_path / name, f"The document {Path(name).stem} is SLOW to say.")
    command = [sys.executable, "-m", "audio_edition", "batch", "--output-dir", "out",
               "--engine", "fake", "--jobs", "1"]  # fmt: skip
    runs = [subprocess.Popen([*command, group], cwd=tmp_path, stderr=subprocess.PIPE)
            for group in ("one", "two")]  # fmt: skip
    for run in runs:
        _, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stderr.decode()
    state = json.loads((tmp_path / "out" / STATE_FILE).read_text(encoding="utf-8"))
    assert sorted(state["documents"]) == [f"{Path(name).stem}.mp3" for name in names]
    again = subprocess.run([*command, "one", "two"], cwd=tmp_path, capture_output=True)
    assert again.returncode == 0, again.stderr.decode()
    assert statuses(again) == {name: "up to date" for name in names}


# Up to date


def test_a_second_run_leaves_every_file_alone(batch, docs, tmp_path):
    assert batch("docs", "--output-dir", "out").returncode == 0
    before = snapshot(tmp_path / "out")
    again = batch("docs", "--output-dir", "out")
    assert again.returncode == 0, again.stderr.decode()
    assert set(statuses(again).values()) == {"up to date"} and len(statuses(again)) == 3
    assert snapshot(tmp_path / "out") == before


def test_changing_a_source_redoes_only_that_document(batch, docs, tmp_path):
    assert batch("docs", "--output-dir", "out").returncode == 0
    before = snapshot(tmp_path / "out")
    (docs / "more" / "b.md").write_text("# Second\n\nNow with other words.", encoding="utf-8")
    again = batch("docs", "--output-dir", "out")
    assert statuses(again) == {
        "docs/a.txt": "up to date", "docs/more/b.md": "narrated", "docs/more/c.html": "up to date",
    }  # fmt: skip
    after = snapshot(tmp_path / "out")
    assert after["a.mp3"] == before["a.mp3"] and after["more/c.mp3"] == before["more/c.mp3"]
    assert after["more/b.mp3"][0] != before["more/b.mp3"][0]


@pytest.mark.parametrize("change", [["--rate", "170"], ["--force"]])
def test_another_option_or_force_redoes_every_document(batch, docs, tmp_path, change):
    assert batch("docs", "--output-dir", "out").returncode == 0
    before = snapshot(tmp_path / "out")
    again = batch("docs", "--output-dir", "out", *change)
    assert again.returncode == 0, again.stderr.decode()
    assert list(statuses(again).values()) == ["narrated"] * 3
    after = snapshot(tmp_path / "out")
    assert all(after[name][1] != before[name][1] for name in before)


def test_a_deleted_output_is_narrated_again_alone(batch, docs, tmp_path):
    assert batch("docs", "--output-dir", "out").returncode == 0
    (tmp_path / "out" / "a.mp3").unlink()
    again = batch("docs", "--output-dir", "out")
    assert statuses(again) == {
        "docs/a.txt": "narrated", "docs/more/b.md": "up to date", "docs/more/c.html": "up to date",
    }  # fmt: skip
    assert (tmp_path / "out" / "a.mp3").is_file()


def test_a_missing_manifest_makes_a_document_out_of_date(batch, docs, tmp_path):
    assert batch("docs/more", "--output-dir", "out", "--manifest").returncode == 0
    (tmp_path / "out" / "c.json").unlink()
    again = batch("docs/more", "--output-dir", "out", "--manifest")
    assert statuses(again) == {"docs/more/b.md": "up to date", "docs/more/c.html": "narrated"}
    manifest = json.loads((tmp_path / "out" / "c.json").read_text(encoding="utf-8"))
    assert manifest["audio"] == "c.mp3"


def test_the_state_file_records_every_output_and_survives_a_reload(tmp_path, write_text):
    source = write_text("b.txt", "A piece to plan.")
    plan = plan_narration(source, tmp_path / "more" / "b.mp3",
                          Options(voice=VoiceOptions(engine="fake"),
                                  output=OutputOptions(manifest=True)))  # fmt: skip
    state = BatchState(tmp_path)
    state.record(plan, "abc", 4.25049)
    assert BatchState(tmp_path).made(tmp_path / "more" / "b.mp3") == {
        "digest": "abc", "duration_seconds": 4.25, "files": ["more/b.json", "more/b.mp3"],
    }  # fmt: skip
    assert BatchState(tmp_path).made_files(tmp_path / "more" / "b.mp3") == set(plan.outputs)
    assert BatchState(tmp_path).made(tmp_path / "b.mp3") is None


DAMAGED_STATES = [
    b"{not json", b"\xff\xfe", b"[]", b'{"version": 1}', b'{"version": 2, "documents": {}}',
    b'{"version": 1, "documents": 3}', b'{"version": 1, "documents": {"a.mp3": 3}}',
    b'{"version": 1, "documents": {"a.mp3": {"digest": "x", "duration_seconds": 1}}}',
    b'{"version": 1, "documents": {"a.mp3": {"digest": "x", "duration_seconds": "1", '
    b'"files": []}}}',
    b'{"version": 1, "documents": {"a.mp3": {"digest": "x", "duration_seconds": 1, '
    b'"files": [3]}}}',
]  # fmt: skip


@pytest.mark.parametrize("damaged", DAMAGED_STATES)
def test_a_damaged_state_file_is_one_line_naming_it_before_any_work(batch, docs, tmp_path,
                                                                    damaged):  # fmt: skip
    """Whatever is in it that a batch does not write (wrong types, missing keys, not JSON)."""
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / STATE_FILE).write_bytes(damaged)
    result = batch("docs", "--output-dir", "out")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"audio-edition: error: out/{STATE_FILE} is damaged (not what a batch writes); delete "
        "it and run again with --force, which narrates every document again"
    ]
    assert all_files(tmp_path / "out") == [STATE_FILE]


# Failures


def test_failed_documents_are_reported_and_the_others_narrated(batch, docs, tmp_path):
    (docs / "empty.txt").write_bytes(b"")
    (docs / "crash.txt").write_text("This paragraph will CRASH the engine.", encoding="utf-8")
    result = batch("docs", "--output-dir", "out")
    assert result.returncode == 1
    assert statuses(result) == {
        "docs/a.txt": "narrated", "docs/crash.txt": "failed", "docs/empty.txt": "failed",
        "docs/more/b.md": "narrated", "docs/more/c.html": "narrated",
    }  # fmt: skip
    stderr = result.stderr.decode()
    assert "failed      docs/empty.txt: docs/empty.txt has no text to narrate" in stderr
    assert re.search(r"^failed      docs/crash\.txt: paragraph 1 .* could not be spoken: the "
                     r"engine process died", stderr, re.MULTILINE)  # fmt: skip
    assert all_files(tmp_path / "out") == [*KEPT, "a.mp3", "more/b.mp3", "more/c.mp3"]
    state = json.loads((tmp_path / "out" / STATE_FILE).read_text(encoding="utf-8"))
    assert sorted(state["documents"]) == ["a.mp3", "more/b.mp3", "more/c.mp3"]


def test_a_file_the_batch_did_not_make_fails_its_document(batch, docs, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.mp3").write_bytes(b"someone else's file")
    result = batch("docs", "--output-dir", "out")
    assert result.returncode == 1
    assert statuses(result)["docs/a.txt"] == "failed"
    assert "a.mp3 already exists and was not made by this batch; use --force" in (
        result.stderr.decode()
    )
    assert (tmp_path / "out" / "a.mp3").read_bytes() == b"someone else's file"
    assert (tmp_path / "out" / "more" / "b.mp3").is_file()
    forced = batch("docs", "--output-dir", "out", "--force")
    assert forced.returncode == 0 and statuses(forced)["docs/a.txt"] == "narrated"
    assert (tmp_path / "out" / "a.mp3").read_bytes() != b"someone else's file"


def test_a_sidecar_the_batch_did_not_make_fails_its_document(batch, docs, tmp_path):
    """Asking for --manifest later must not overwrite a .json the batch never wrote."""
    assert batch("docs/more", "--output-dir", "out").returncode == 0
    (tmp_path / "out" / "b.json").write_text('{"mine": true}', encoding="utf-8")
    result = batch("docs/more", "--output-dir", "out", "--manifest")
    assert (tmp_path / "out" / "b.json").read_text(encoding="utf-8") == '{"mine": true}'
    assert statuses(result)["docs/more/b.md"] == "failed"
    assert result.returncode == 1


# Summary


def test_the_summary_has_a_line_per_document_and_a_total(batch, docs, tmp_path):
    (docs / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    first = batch("docs", "--output-dir", "out").stderr.decode().splitlines()
    assert first[:-1] == [
        f"narrated    docs/a.txt -> out/a.mp3 ({minutes(out / 'a.mp3')})",
        "failed      docs/empty.txt: docs/empty.txt has no text to narrate (it is empty or has "
        "no words)",
        f"narrated    docs/more/b.md -> out/more/b.mp3 ({minutes(out / 'more/b.mp3')})",
        f"narrated    docs/more/c.html -> out/more/c.mp3 ({minutes(out / 'more/c.mp3')})",
    ]
    assert re.fullmatch(r"4 documents: 3 narrated, 0 up to date, 1 failed; 0:1\d of audio in "
                        r"0:0\d", first[-1])  # fmt: skip
    again = batch("docs", "--output-dir", "out").stderr.decode().splitlines()
    assert again[0] == f"up to date  docs/a.txt -> out/a.mp3 ({minutes(out / 'a.mp3')})"
    assert again[-1].startswith("4 documents: 0 narrated, 3 up to date, 1 failed; 0:1")


def test_quiet_prints_nothing_but_the_batch_still_fails(batch, docs, tmp_path):
    (docs / "empty.txt").write_bytes(b"")
    result = batch("docs", "--output-dir", "out", "--quiet")
    assert (result.returncode, result.stderr) == (1, b"")
    assert (tmp_path / "out" / "a.mp3").is_file()


# Same output as narrate


def test_batch_makes_the_same_samples_as_narrate(batch, run_cli, docs, tmp_path):
    assert batch("docs", "--output-dir", "out", "--format", "wav").returncode == 0
    alone = run_cli("narrate", "docs/more/b.md", "-o", "b.wav", "--engine", "fake")
    assert alone.returncode == 0, alone.stderr.decode()
    batched, narrated = decode(tmp_path / "out" / "more" / "b.wav"), decode(tmp_path / "b.wav")
    assert len(batched) > RATE
    assert np.array_equal(batched, narrated)


# Through the library


class CountingPool(LocalPool):
    """A LocalPool that counts the worker processes it starts."""

    def __init__(self, jobs: int) -> None:
        super().__init__(jobs)
        self.started = 0

    def start_worker(self):
        self.started += 1
        return super().start_worker()


def three_paragraphs(word: str) -> str:
    return "\n\n".join(f"The {word} document, paragraph {n}." for n in ("one", "two", "three"))


def test_run_batch_keeps_one_pool_and_returns_results_in_input_order(tmp_path, write_text):
    sources = [write_text("c.txt", three_paragraphs("third")), write_text("empty.txt", ""),
               write_text("a.txt", three_paragraphs("first"))]  # fmt: skip
    items = find_documents([str(p) for p in sources], tmp_path / "out", ".wav").items
    seen: dict[int, set[int]] = {}
    with CountingPool(jobs=2) as pool:

        def progress(done: float) -> None:
            pids = {worker.pid for worker in pool.workers}
            seen.setdefault(int(done), set()).update(pids)

        results = run_batch(items, tmp_path / "out", FAKE, pool, progress=progress)
        final = {worker.pid for worker in pool.workers}
    assert [r.item.source for r in results] == sources
    assert [r.status for r in results] == ["narrated", "failed", "narrated"]
    assert pool.started == 2 and len(final) == 2
    assert seen[0] == seen[2] == final


def test_a_narrated_result_carries_its_edition(tmp_path, write_text):
    source = write_text("piece.txt", three_paragraphs("only"))
    destination = tmp_path / "out" / "piece.wav"
    with LocalPool(jobs=1) as pool:
        (result,) = run_batch([BatchItem(source, destination)], tmp_path / "out", FAKE, pool)
    assert result.status == "narrated" and result.error is None
    assert result.edition is not None and result.edition.path == destination
    assert result.duration_seconds == result.edition.duration_seconds
    assert result.edition.duration_seconds == pytest.approx(len(decode(destination)) / RATE,
                                                            abs=1 / RATE)  # fmt: skip
    assert result.edition.paragraphs == 3


def test_the_same_file_named_twice_is_one_document(docs, monkeypatch):
    monkeypatch.chdir(docs.parent)
    found = find_documents(["docs/a.txt", str(docs / "a.txt")], Path("out"), ".mp3")
    assert found.items == [BatchItem(Path("docs/a.txt"), Path("out/a.mp3"))]


def test_an_interrupted_batch_keeps_finished_files_whole_and_leaves_no_partial_one(tmp_path):
    """Ctrl-C while the third of six slow documents is spoken: the finished ones are whole and
    recorded, nothing else is left, and a second run narrates only what is missing."""
    (tmp_path / "docs").mkdir()
    for index in range(6):
        (tmp_path / "docs" / f"d{index}.txt").write_text(
            f"Document {index} is SLOW to say.\n\nIts second paragraph is SLOW as well.",
            encoding="utf-8",
        )
    command = [sys.executable, "-m", "audio_edition", "batch", "docs", "--output-dir", "out",
               "--engine", "fake", "--jobs", "1", "--manifest"]  # fmt: skip
    process = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE,
                               start_new_session=True, preexec_fn=as_on_a_terminal)  # fmt: skip
    state = tmp_path / "out" / STATE_FILE
    while not (state.exists() and len(json.loads(state.read_text())["documents"]) >= 2):
        assert process.poll() is None, process.communicate()[1]
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    assert stderr.decode().splitlines()[-1] == "audio-edition: interrupted; finished documents kept"
    recorded = json.loads(state.read_text())["documents"]
    left = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").iterdir())
    assert left == sorted([*KEPT, *(f for r in recorded.values() for f in r["files"])])
    assert 2 <= len(recorded) < 6
    for name, record in recorded.items():
        seconds = len(decode(tmp_path / "out" / name)) / RATE
        assert seconds == pytest.approx(record["duration_seconds"], abs=0.03)
    again = subprocess.run(command, cwd=tmp_path, capture_output=True)
    assert again.returncode == 0
    assert statuses(again) == {
        f"docs/d{i}.txt": "up to date" if f"d{i}.mp3" in recorded else "narrated" for i in range(6)
    }


@pytest.mark.timeout(60)
def test_link_loops_are_skipped_and_never_searched_forever(batch, tmp_path):
    touch(tmp_path / "docs" / "a.txt", "Hello there, world.")
    (tmp_path / "docs" / "loop.md").symlink_to("loop.md")
    (tmp_path / "docs" / "l1").symlink_to(".")
    (tmp_path / "docs" / "l2").symlink_to(".")
    for given in ("docs", "docs/**/*.txt", "docs/**/*.md"):
        result = batch(given, "--output-dir", f"out-{given.count('*')}{given[-2:]}")
        lines = result.stderr.decode().splitlines()
        if given.endswith(".md"):  # the loop is the only match: no file to narrate
            assert result.returncode == 2
            assert lines == [f"audio-edition: error: {given}: no file matches"]
            continue
        assert result.returncode == 0, lines
        assert "narrated    docs/a.txt" in lines[-2]
        skipped = ["skipped     docs/loop.md: it is a link that leads round in a loop"]
        assert lines[:-2] == (skipped if given == "docs" else [])


def test_a_file_a_search_skipped_is_narrated_when_named_on_its_own(batch, linked, tmp_path):
    """The skip message says to name the file on its own: doing so, after or before the
    folder, narrates it."""
    touch(tmp_path / "other" / "real.txt", "Real words from elsewhere.")
    (tmp_path / "posts" / "elsewhere.txt").symlink_to("../other/real.txt")
    for order in (["posts", "other/real.txt"], ["other/real.txt", "posts"]):
        result = batch(*order, "--output-dir", "out", "--force")
        assert result.returncode == 0, result.stderr.decode()
        assert (tmp_path / "out" / "real.mp3").is_file()
        assert "elsewhere.txt" not in result.stderr.decode()


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_record_waits_while_another_run_holds_the_lock(tmp_path):
    import fcntl

    source = tmp_path / "a.txt"
    touch(source, "Hello there, world.")
    out = tmp_path / "out"
    out.mkdir()
    plan = plan_narration(source, out / "a.mp3", Options(voice=VoiceOptions(engine="fake")))
    state = BatchState(out)
    saving = threading.Thread(target=state.record, args=(plan, "the digest", 1.0))
    with open(out / LOCK_FILE, "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        saving.start()
        saving.join(timeout=2)
        assert saving.is_alive()  # it waits for the lock (unlocked, it saves in milliseconds)
        assert not (out / STATE_FILE).exists()
    saving.join(timeout=60)
    assert not saving.is_alive()
    assert BatchState(out).made(out / "a.mp3")["digest"] == "the digest"


def test_a_lock_file_that_is_a_link_is_not_followed(batch, tmp_path):
    touch(tmp_path / "docs" / "a.txt", "Hello there, world.")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / LOCK_FILE).symlink_to(tmp_path / "elsewhere.lock")
    result = batch("docs", "--output-dir", "out")
    assert result.returncode == 1
    assert not (tmp_path / "elsewhere.lock").exists()


def test_statuses_print_compare_and_serialize_as_their_words():
    """str-valued, so every report line and JSON document reads as before the enum."""
    padded = [f"{status:<11}|" for status in DocumentStatus]
    assert padded == ["narrated   |", "up to date |", "failed     |", "skipped    |"]
    assert DocumentStatus.FAILED == "failed" and str(DocumentStatus.UP_TO_DATE) == "up to date"
    assert json.dumps([DocumentStatus.NARRATED]) == '["narrated"]'
