"""Paragraphs kept from one run to the next: a fix makes one paragraph again, not the book."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from audio_edition import narrate
from audio_edition.narration.fixes import save_sentence_fix
from audio_edition.shape import OUTPUT_SAMPLE_RATE
from audio_edition.shape.assemble import PARAGRAPH_MULTIPLE
from audio_edition.speak.cache import ClipCache
from tests.audio import decode

SENTENCE = "The {0} lantern swung above the {0} door while the rain kept falling on the road."
FIXED = "Lantern number seven swung above the door."
FIXED_SPOKEN = "Indeed, lantern number seven swung above the door."
LEAST_SAMPLE_DIFFERENCE = 16
"""How far a sample of an MP3 remade around a fix may be from a cold run's (-66 dBFS): the
encoder processes' history differs (see encode.segmented), never more."""


def _book() -> str:
    """Twenty paragraphs, each its own (two alike would share their kept frames)."""
    names = ["red", "blue", "green", "grey", "gold", "white", "black", "brown", "pink", "tan"]
    pairs = [(first, second) for first in names[:4] for second in names[4:9]]
    paragraphs = [" ".join(SENTENCE.format(name) for name in pair + pair[:1]) for pair in pairs]
    paragraphs[7] = f"{FIXED} {paragraphs[7]}"
    return "\n\n".join(paragraphs)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A book narrated cold, again unchanged, again with one sentence fixed, and the fixed
    book narrated cold with no cache; all to MP3 with the fake engine."""
    folder = tmp_path_factory.mktemp("kept")
    source = folder / "book.txt"
    source.write_text(_book(), encoding="utf-8")
    cache = folder / "cache"

    def run(name: str, **options: object):
        return narrate(source, folder / f"{name}.mp3", engine="fake", force=True, **options)

    editions = {"cold": run("cold", cache_dir=cache), "again": run("again", cache_dir=cache)}
    save_sentence_fix(source, FIXED, FIXED_SPOKEN)
    editions["fixed"] = run("fixed", cache_dir=cache)
    editions["cold fixed"] = run("cold fixed", use_cache=False)
    return {"folder": folder, "cache": cache, **editions}


def test_an_unchanged_book_is_copied_whole(runs):
    cold, again = runs["cold"], runs["again"]
    assert cold.kept == 0 and cold.synthesized + cold.cached == cold.clips
    assert again.synthesized == 0 and again.kept == again.clips == again.cached
    assert again.path.read_bytes() == cold.path.read_bytes()
    assert ClipCache(runs["cache"]).info().paragraphs == 21  # and the fixed one


def test_a_fix_makes_its_paragraph_again_and_copies_the_rest(runs):
    fixed = runs["fixed"]
    paragraph = [c for c in fixed.timeline.clips if c.request.paragraph == 7]
    assert fixed.synthesized == 1
    assert fixed.kept == fixed.clips - len(paragraph)
    assert fixed.cached == fixed.clips - 1


def test_the_edition_made_around_a_fix_sounds_as_a_cold_one(runs):
    fixed, cold = runs["fixed"], runs["cold fixed"]
    assert [(c.start, c.end) for c in fixed.timeline.clips] == [
        (c.start, c.end) for c in cold.timeline.clips
    ]
    assert len(decode(fixed.path)) == fixed.timeline.total_samples
    _assert_sounds_the_same(fixed.path, cold.path)


def _assert_sounds_the_same(made: Path, expected: Path) -> None:
    made_samples, expected_samples = decode(made), decode(expected)
    assert len(made_samples) == len(expected_samples)
    difference = np.abs(made_samples - expected_samples).max()
    assert difference * 32768 <= LEAST_SAMPLE_DIFFERENCE


def test_the_fixed_paragraph_is_heard_in_its_place(runs):
    """The fix's clip (the fake engine's tone for its text) is in the file where the
    timeline puts it, and the paragraph before it is unchanged."""
    fixed, old = runs["fixed"], runs["cold"]
    clip = next(c for c in fixed.timeline.clips if c.request.text == FIXED_SPOKEN)
    before = next(c for c in old.timeline.clips if c.request.paragraph == 7)
    assert clip.start == before.start and clip.end > before.end  # a longer sentence
    pause = OUTPUT_SAMPLE_RATE * 900 // 1000
    seam = before.start - (pause - pause // 2)  # where paragraph 7's frames start
    assert seam % PARAGRAPH_MULTIPLE == 0
    copied = seam - 2 * PARAGRAPH_MULTIPLE  # what the next frames overlap is not copied
    assert np.array_equal(decode(fixed.path)[:copied], decode(old.path)[:copied])


def test_a_damaged_kept_paragraph_is_made_again(runs, tmp_path, caplog):
    source = runs["folder"] / "book.txt"
    cache = tmp_path / "cache"
    first = narrate(source, tmp_path / "a.mp3", engine="fake", cache_dir=cache)
    entries = sorted(cache.glob("??/*.paragraph"))
    entries[0].write_bytes(entries[0].read_bytes()[:-100])
    with caplog.at_level(logging.WARNING):
        again = narrate(source, tmp_path / "b.mp3", engine="fake", cache_dir=cache)
    assert "damaged" in caplog.text
    assert again.kept == again.clips - 3 and again.synthesized == 0
    _assert_sounds_the_same(again.path, first.path)


@pytest.mark.parametrize(
    ("output", "options"),
    [
        ("book.wav", {}),
        ("book.mp3", {"paragraph_pause_ms": 100}),
        ("book.mp3", {"sentence_pause_ms": 200}),
    ],
    ids=["wav", "no seams", "another layout"],
)
def test_paragraphs_are_kept_only_for_the_same_mp3(runs, tmp_path, output, options):
    source = runs["folder"] / "book.txt"
    edition = narrate(source, tmp_path / output, engine="fake", cache_dir=runs["cache"], **options)
    assert edition.kept == 0 and edition.synthesized == 0


def test_a_short_piece_keeps_nothing(tmp_path: Path):
    """Its level is decided from its speech, so nothing can be written before it is heard."""
    source = tmp_path / "note.txt"
    source.write_text("A short note.\n\nAnother line.", encoding="utf-8")
    for name in ("a", "b"):
        edition = narrate(source, tmp_path / f"{name}.mp3", engine="fake", cache_dir=tmp_path)
    assert edition.kept == 0 and edition.cached == edition.clips
    assert ClipCache(tmp_path).info().paragraphs == 0


def test_a_book_with_dialogue_in_a_second_voice_keeps_its_paragraphs(tmp_path: Path):
    """Clips in the cast's voices are keyed in their own voice, as the clip cache keys them."""
    source = tmp_path / "talk.txt"
    words = ("red", "blue", "green", "grey", "gold", "white", "black", "brown", "pink")
    lines = [f"“The {word} lantern is lit,” she said. {SENTENCE.format(word)}" for word in words]
    source.write_text("\n\n".join(lines), encoding="utf-8")
    options = {"engine": "fake", "dialogue_voice": "fake-16k", "cache_dir": tmp_path / "cache"}
    first = narrate(source, tmp_path / "a.mp3", **options)
    again = narrate(source, tmp_path / "b.mp3", **options)
    assert first.kept == 0 and again.kept == again.clips == 27
    assert again.path.read_bytes() == first.path.read_bytes()
