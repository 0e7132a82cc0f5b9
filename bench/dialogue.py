"""Dialogue attribution on a real excerpt, against a table made by hand.

    .venv/bin/python bench/dialogue.py [--write]

Reads two excerpts of "The Red-Headed League" in tests/fixtures/dialogue with the Markdown
reader: the opening (paragraphs 1-59), on which the rules were shaped, and paragraphs 91-150,
held out (its table was written before any run). Finds their speech with
audio_edition.text.dialogue and a cast of three (Holmes, Watson who narrates as "I", Jabez
Wilson), and compares every quotation with the hand table beside each (NAME.speakers.toml):
how many were found, the share given to the right speaker, and every miss with how its speaker
was decided. With --write, the section "## Dialogue attribution" of bench/RESULTS.md is
replaced. tests/text/test_dialogue.py holds the shares to what was measured.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from audio_edition.readers import read
from audio_edition.readers.toml import loads
from audio_edition.text.dialogue import Block, Speaker, explain_speech
from audio_edition.text.segment import dialogue_blocks

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "dialogue"
CAST = (
    Speaker("Holmes", ("Sherlock Holmes", "Mr. Holmes"), "he"),
    Speaker("Watson", ("I", "Doctor", "Dr. Watson"), "he"),
    Speaker("Wilson", ("Mr. Jabez Wilson", "Jabez Wilson", "Mr. Wilson"), "he"),
)
"""The cast, written before any run."""
CAST_WITH_EPITHET = (*CAST[:2], Speaker("Wilson", (*CAST[2].names, "our client"), "he"))
"""The cast as a reader completes it after `spoken` shows the misses: Wilson is also "our
client" (the held-out excerpt's "cried our client")."""
RUNS = {
    "opening": ("red-headed-league", CAST),
    "held out": ("red-headed-league-2", CAST),
    "held out, Wilson also “our client”": ("red-headed-league-2", CAST_WITH_EPITHET),
}
"""Each run: the excerpt's file stem in FIXTURES, and the cast."""
OPENING_MARKS = "“\u2018„\u201a«»「『\"'"


@dataclass(frozen=True)
class Score:
    """Found speech against the table."""

    table: int
    """Quotations in the table."""
    found: int
    """Spans of speech found."""
    right: int
    """Table quotations found with the right speaker."""
    misses: tuple[str, ...]
    """One line per table quotation missed or given to the wrong speaker."""
    extra: tuple[str, ...]
    """One line per span found that the table does not have."""

    @property
    def share(self) -> float:
        return self.right / self.table


def excerpt_blocks(name: str) -> list[Block]:
    """An excerpt's blocks as the pipeline gives them: headings marked, lines joined."""
    return dialogue_blocks(read(FIXTURES / f"{name}.md"))


def load_table(name: str) -> list[list[object]]:
    """An excerpt's hand table: rows of [paragraph, begins, speaker]."""
    return list(loads((FIXTURES / f"{name}.speakers.toml").read_text("utf-8"))["quotations"])


def score(blocks: list[Block], table: list[list[object]], cast: Sequence[Speaker] = CAST) -> Score:
    """Compare the speech found in `blocks` with the table's [paragraph, begins, speaker]."""
    found = {}
    for number, (block, spans) in enumerate(
        zip(blocks, explain_speech(blocks, cast), strict=True), 1
    ):
        for speech, how in spans:
            words = block.text[speech.start : speech.end].lstrip(OPENING_MARKS)
            found[(number, speech.start)] = (words, speech.speaker, how)
    right, misses, matched = 0, [], set()
    for number, begins, speaker in table:
        key = next(
            (k for k, v in found.items() if k[0] == number and v[0].startswith(str(begins))),
            None,
        )
        if key is None:
            misses.append(f"{number} “{begins}”: {speaker}, not found as speech")
            continue
        matched.add(key)
        _, got, how = found[key]
        if got == speaker:
            right += 1
        else:
            misses.append(f"{number} “{begins}”: {speaker}, given to {got} ({how})")
    extra = [f"{k[0]} “{v[0][:40]}”: {v[1]} ({v[2]})" for k, v in found.items() if k not in matched]
    return Score(len(table), len(found), right, tuple(misses), tuple(extra))


def measure(name: str, cast: Sequence[Speaker]) -> tuple[Score, float]:
    """An excerpt's score with `cast`, and the seconds find_speech took on it (the best of 5)."""
    blocks, table = excerpt_blocks(name), load_table(name)
    seconds = []
    for _ in range(5):
        started = time.perf_counter()
        explain_speech(blocks, cast)
        seconds.append(time.perf_counter() - started)
    return score(blocks, table, cast), min(seconds)


def report(results: dict[str, tuple[Score, float]], machine: str) -> str:
    lines = [
        "## Dialogue attribution",
        "",
        f"Run {time.strftime('%Y-%m-%d')} with `bench/dialogue.py` on {machine}: two excerpts "
        'of Conan Doyle\'s "The Red-Headed League" (tests/fixtures/dialogue, from Project '
        "Gutenberg's text), speech found and attributed with a cast of three (Holmes; Watson, "
        'who narrates as "I"; Wilson) and compared with a table made by hand. The rules were '
        "shaped on the opening; the held-out excerpt's table was written before any run on it. "
        'The last row is the held-out excerpt with Wilson also named "our client" in the cast, '
        "as a reader who sees the misses in `spoken` would add.",
        "",
        "| excerpt | quotations in the table | spans found | right speaker | share | ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for role, (result, seconds) in results.items():
        lines.append(
            f"| {role} ({RUNS[role][0]}.md) | {result.table} | {result.found} | "
            f"{result.right} | {result.share:.3f} | {seconds * 1000:.1f} |"
        )
    for role, (result, _) in results.items():
        lines += ["", f"Misses, {role}:", "", *(f"- {m}" for m in result.misses or ("none",))]
        lines += ["", f"Found but not in the table, {role}:", ""]
        lines += [f"- {extra}" for extra in result.extra or ("none",)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the section in RESULTS.md")
    args = parser.parse_args()
    results = {role: measure(name, cast) for role, (name, cast) in RUNS.items()}
    from run import ROOT, machine, write_sections

    text = report(results, machine())
    sys.stdout.write(text)
    if args.write:
        write_sections(ROOT / "bench" / "RESULTS.md", text)


if __name__ == "__main__":
    main()
