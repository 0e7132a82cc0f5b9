"""Proof-listening to a narration, sentence by sentence: each paragraph's status as
audio_edition.verify.proof gives it, and the words heard in each sentence's time.

The narration is heard once (verify.hearing) and proofread by paragraph with its times
(verify.proof, as `check --manifest` does). Each word heard goes to the sentence whose speech
is nearest its middle: the cut between two sentences is halfway through the pause between
them. Whisper's word times are often a few tenths of a second off, so a word at a sentence's
edge may be shown with its neighbour.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from audio_edition.editions.page import sentence_id
from audio_edition.narration.render import Edition
from audio_edition.shape.timing import TimedParagraph
from audio_edition.speak.cache import ClipCache
from audio_edition.speak.synthesis import LocalPool
from audio_edition.studio.jobs import Job, Task
from audio_edition.verify.check import audio_file
from audio_edition.verify.hearing import Heard, HeardSegment, hear
from audio_edition.verify.proof import FLAGGED, ParagraphProof, Spans, proofread, require


def proof_task(edition: Edition, language: str, narration: str) -> Task:
    """The task of proof-listening to `edition` (spoken in `language`), made by the job
    `narration`: its view gains "sentences", {sentence id: its proof (see `by_sentence`)},
    and "narration". A MissingDependencyError now when proof-listening cannot run here."""
    model = require(language)

    def task(job: Job, pool: LocalPool, cache: ClipCache | None) -> None:
        paragraphs = edition.timed_paragraphs
        narrated = Spans(tuple((p.start_ms, p.end_ms) for p in paragraphs),
                         round(edition.duration_seconds * 1000))  # fmt: skip
        job.advance(0.0)
        with audio_file(edition.path) as audio:
            heard = hear(Path(audio), language, model)
        job.advance(0.9)
        proofs = proofread([p.text for p in paragraphs], heard, language, narrated)
        sentences = by_sentence(paragraphs, proofs, heard)
        job.update(shown={"sentences": sentences, "narration": narration})

    return task


def by_sentence(
    paragraphs: Sequence[TimedParagraph], proofs: Sequence[ParagraphProof], heard: Heard
) -> dict[str, dict[str, Any]]:
    """Each sentence's proof, by its id: its paragraph's "status" (and "wer"), whether that
    status is "flagged" (fails a check), and what was "heard" in its time."""
    sentences = [(sentence_id(p.index, i), s, proof) for p, proof in zip(paragraphs, proofs,
                 strict=True) for i, s in enumerate(p.sentences)]  # fmt: skip
    if not sentences:
        return {}
    cuts = [(before.end_ms + after.start_ms) / 2
            for (_, before, _), (_, after, _) in itertools.pairwise(sentences)]  # fmt: skip
    words: list[list[HeardSegment]] = [[] for _ in sentences]
    for word in heard.words:
        words[bisect.bisect_right(cuts, (word.start_ms + word.end_ms) / 2)].append(word)
    return {
        sid: {"status": str(proof.status), "flagged": proof.status in FLAGGED,
              "wer": proof.wer, "heard": " ".join(word.text for word in said)}
        for (sid, _, proof), said in zip(sentences, words, strict=True)
    }  # fmt: skip
