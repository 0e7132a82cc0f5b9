"""The normalizer as a listener hears it: the share of cases eSpeak NG reads right, per class.

    .venv/bin/python bench/normalizer_heard.py [--misses] [--languages en,de,fr,es]
        [--set tuned|held-out|both]

The cases come in two sets, each scored in its own table. The tuned set,
bench/texts/normalizer_cases/{en,de,fr,es}.tsv, is the one the normalizer's rules were improved
against, so its figures flatter them. The held-out set, bench/texts/normalizer_cases/held-out/, was
written after the rules (as of 6ea63f7) by someone who had not read them, their tests or the tuned
cases, and is never used to change them: its figures are the fair ones (add cases, never fix a rule
for one). Both sets have the same format, one case a line: class <TAB> written <TAB> reference, the
reference being the words a careful narrator reads, spelled so that eSpeak NG pronounces them right
("AM" for a.m., "eigh" for the letter A); where narrators read a text two ways equally well, the
reference gives both, parted by " | ". `\\n` in the written text is a line break. Lines that are
empty or start with `#` are skipped. Each written text is joined as the pipeline joins a
paragraph's lines (text.segment.join_lines), then:

  ours         Normalizer(language).spoken_form of it, spoken by eSpeak NG
  eSpeak alone the joined text as written, spoken by eSpeak NG

A case is heard right when the phonemes equal the reference's. Phonemes come from `espeak-ng -q
-x -v VOICE` (one process per language and text kind; eSpeak NG breaks a line into a line per
clause, so the texts are parted by a separator word on its own paragraph). Before comparing,
what a listener does not hear as a difference is removed: stress marks (' , % =), pauses and
word-boundary marks (`_` with its `:`, `!`, `^` or `|`), language-switch tags such as `(en)`, and
the spaces between words and clauses (so clause breaks from punctuation do not count). The
letter case of the written text counts only through what eSpeak NG makes of it (phoneme symbols
are case-sensitive: `T` is not `t`). Everything else (each phoneme and its length) must match.

With --misses, every miss is listed: written | ours | reference. The section "## Normalizer:
heard right" of bench/RESULTS.md is replaced. The code measured is this tree's src/, whatever the
environment has installed. After issue 29's rules are merged, both of its figures are re-run by
one command from the repository's root:

    .venv/bin/python bench/normalizer_heard.py --misses \\
        && .venv/bin/python bench/normalizer.py --against 4fc1029
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from run import ROOT, machine, write_sections

sys.path.insert(0, str(ROOT / "src"))  # this tree's code, whatever the environment installed

SECTION = "## Normalizer: heard right"
CASES = ROOT / "bench" / "texts" / "normalizer_cases"
SETS = {"tuned": CASES, "held-out": CASES / "held-out"}
VOICES = {"en": "en-us", "de": "de", "fr": "fr", "es": "es"}
SEPARATOR = "qjxv"  # a made-up word, spelled out by every voice, on a paragraph of its own
UNHEARD = re.compile(r"_[:!^|]*|\([a-z-]+\)|['\s,%=]")


@dataclass(frozen=True)
class Case:
    """One line of a cases file."""

    kind: str
    written: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """One case, read three ways."""

    case: Case
    ours: str
    ours_right: bool
    alone_right: bool


def load_cases(language: str, folder: Path = CASES) -> list[Case]:
    cases = []
    path = folder / f"{language}.tsv"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise SystemExit(f"{path}:{number}: expected class, written, reference")
        kind, written, reference = (f.strip() for f in fields)
        readings = tuple(r.strip() for r in reference.split(" | "))
        cases.append(Case(kind, written.replace("\\n", "\n"), readings))
    return cases


def heard(raw: str) -> str:
    """eSpeak NG's -x phonemes with what a listener does not hear as a difference removed."""
    return UNHEARD.sub("", raw)


def sounds(texts: list[str], voice: str) -> list[str]:
    """What a listener hears of each text (see heard), from one espeak-ng process."""
    marker = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", voice], input=SEPARATOR, text=True, capture_output=True,
        check=True,
    ).stdout.strip()  # fmt: skip
    joined = "".join(f"{text}\n\n{SEPARATOR}\n\n" for text in texts)
    out = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", voice], input=joined, text=True, capture_output=True,
        check=True,
    ).stdout  # fmt: skip
    parts: list[list[str]] = [[]]
    for line in out.splitlines():
        if line.strip() == marker:
            parts.append([])
        else:
            parts[-1].append(line)
    if len(parts) != len(texts) + 1 or any(parts[-1]):
        raise SystemExit(f"espeak-ng gave {len(parts) - 1} texts back for {len(texts)}")
    return [heard(" ".join(part)) for part in parts[:-1]]


def score(language: str, cases: list[Case]) -> list[Outcome]:
    from audio_edition.text.normalize import Normalizer
    from audio_edition.text.segment import join_lines

    normalizer = Normalizer(language)
    written = [join_lines(c.written) for c in cases]
    ours = [normalizer.spoken_form(text) for text in written]
    voice = VOICES[language]
    heard_ours, heard_alone = sounds(ours, voice), sounds(written, voice)
    heard_readings = iter(sounds([r for c in cases for r in c.references], voice))
    outcomes = []
    for case, spoken, a, b in zip(cases, ours, heard_ours, heard_alone, strict=True):
        right = {next(heard_readings) for _ in case.references}
        outcomes.append(Outcome(case, spoken, a in right, b in right))
    return outcomes


def table(label: str, outcomes: list[Outcome]) -> list[str]:
    lines = [
        f"| {label} | class | cases | heard right | eSpeak NG alone |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    kinds = list(dict.fromkeys(o.case.kind for o in outcomes))
    for kind in [*kinds, "all"]:
        chosen = [o for o in outcomes if kind in ("all", o.case.kind)]
        ours = sum(o.ours_right for o in chosen) / len(chosen)
        alone = sum(o.alone_right for o in chosen) / len(chosen)
        name = f"**{kind}**" if kind == "all" else kind
        lines.append(f"| | {name} | {len(chosen)} | {ours:.0%} | {alone:.0%} |")
    return lines


def misses(label: str, outcomes: list[Outcome]) -> list[str]:
    return [
        f"{label} {o.case.kind}: {o.case.written!r} | {o.ours!r} | {o.case.references[0]!r}"
        for o in outcomes
        if not o.ours_right
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--languages", default=",".join(VOICES))
    parser.add_argument("--misses", action="store_true", help="list every case not heard right")
    parser.add_argument("--set", choices=[*SETS, "both"], default="both", help="cases to score")
    parser.add_argument("--note", default="", help="a sentence added to the section")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    revision = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
        text=True, check=True,
    ).stdout.strip()  # fmt: skip
    lines = [
        SECTION, "",
        f"Run {time.strftime('%Y-%m-%d')} with `bench/normalizer_heard.py` on {machine()}, code "
        f"at {revision}. A case is heard right when eSpeak NG's phonemes of the spoken form equal "
        "those of a narrator's reading (stress, pauses and word breaks aside); eSpeak NG alone "
        "reads the written text. Cases: bench/texts/normalizer_cases. The rules were improved "
        "against its tuned set; the held-out set (held-out/) was written after them, blind to "
        "them, and is never used to change them, so its figures are the fair ones. " + args.note,
        "",
    ]  # fmt: skip
    listed = []
    names = list(SETS) if args.set == "both" else [args.set]
    for language in args.languages.split(","):
        for name in names:
            label = f"{language} {name}"
            outcomes = score(language, load_cases(language, SETS[name]))
            lines += [*table(label, outcomes), ""]
            listed += misses(label, outcomes)
    text = "\n".join(lines).rstrip() + "\n"
    write_sections(args.output, text)
    print(text, file=sys.stderr)
    if args.misses:
        print("\n".join(listed))


if __name__ == "__main__":
    main()
