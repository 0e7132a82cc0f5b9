"""The manifest read back (for `check --manifest`): what narrate wrote, or one line of error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audio_edition import narrate
from audio_edition.editions.manifest import read_manifest
from audio_edition.errors import InputError


def test_a_manifest_reads_back_as_narrate_wrote_it(tmp_path):
    source = tmp_path / "two.txt"
    source.write_text("The keeper climbed the stairs.\n\nHe lit the lamp.", encoding="utf-8")
    edition = narrate(source, tmp_path / "two.mp3", engine="fake", manifest=True, lang="en-GB")
    written = json.loads(edition.sidecars["json"].read_text(encoding="utf-8"))
    manifest = read_manifest(edition.sidecars["json"])
    assert [(p.text, p.start_ms, p.end_ms) for p in manifest.paragraphs] == [
        (p["text"], p["start_ms"], p["end_ms"]) for p in written["paragraphs"]
    ]
    assert [p.text for p in manifest.paragraphs] == [
        "The keeper climbed the stairs.", "He lit the lamp.",
    ]  # fmt: skip
    assert (manifest.language, manifest.duration_ms) == ("en-GB", written["duration_ms"])


def write(folder: Path, content: str) -> Path:
    path = folder / "m.json"
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "reason"),
    [("[]", "list indices must be integers or slices, not str"),
     ('{"paragraphs": []}', "'duration_ms'"),
     ('{"paragraphs": [{"text": "A."}], "duration_ms": 9}', "'start_ms'"),
     ('{"paragraphs": [], "duration_ms": 9, "language": ["en"]}',
      "its language is ['en'], not a language code"),
     ("{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)")],
)  # fmt: skip
def test_what_is_not_a_manifest_is_one_line(tmp_path, content, reason):
    path = write(tmp_path, content)
    with pytest.raises(InputError) as refused:
        read_manifest(path)
    assert str(refused.value) == f"{path} is not an audio-edition manifest ({reason})"


def test_a_missing_manifest_is_one_line(tmp_path):
    with pytest.raises(InputError, match=r"^.*gone\.json: no such file$"):
        read_manifest(tmp_path / "gone.json")


def test_a_manifest_without_a_language_has_none(tmp_path):
    path = write(tmp_path, '{"paragraphs": [], "duration_ms": 0}')
    assert read_manifest(path).language is None
