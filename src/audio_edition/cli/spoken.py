"""`audio-edition spoken`: the document as the engine would be given it, one sentence a line."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from audio_edition.cli.exits import EXIT_OK
from audio_edition.cli.options import (
    add_chapter_options,
    add_rate,
    add_reading_options,
    narration_options,
    print_chapters,
    typed,
)
from audio_edition.document import Sentence
from audio_edition.narration.cast import NARRATOR
from audio_edition.narration.plan import Options, read_document
from audio_edition.text.phonemes import shown

HELP = "print what narrate would speak, one sentence a line"
DESCRIPTION = (
    "Print the document as the engine would be given it (read, with numbers, dates, symbols "
    "and the lexicon's words spoken as words; a word the lexicon gives in IPA as \"respelling "
    '/IPA/"), one sentence a line and a blank line between '
    "paragraphs, without synthesizing anything: a quick proofread of the pronunciations. With a "
    "cast (--cast, --dialogue-voice, or the document's front matter), each speaker's speech "
    'follows their name in brackets: [Holmes] "...", [someone] when the text does not say.'
)


@dataclass(frozen=True)
class SpokenArgs:
    """spoken's command line."""

    input: str
    list_chapters: bool
    options: Options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "input", help='document: .txt, .md, .html, .epub, .pdf ("-" reads standard input)'
    )
    add_reading_options(parser)
    add_chapter_options(parser)
    add_rate(parser)


def run(namespace: argparse.Namespace) -> int:
    args = typed(SpokenArgs, namespace, options=narration_options(namespace))
    if args.list_chapters:
        print_chapters(args.input, args.options)
        return EXIT_OK
    document = read_document(args.input, args.options)
    paragraphs = ("\n".join(_line(s) for s in p.sentences) for p in document.paragraphs)
    print("\n\n".join(paragraphs))
    return EXIT_OK


def _line(sentence: Sentence) -> str:
    """A sentence as spoken, each speaker's speech after their name in brackets (and the
    narrator's after "[narrator]" where it follows speech)."""
    pieces, speaking = [], None
    for part in sentence.parts:
        if part.speaker != speaking:
            pieces.append(f"[{part.speaker or NARRATOR}]")
            speaking = part.speaker
        pieces.append(shown(part.spoken))
    return " ".join(pieces)
