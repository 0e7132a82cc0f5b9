"""Narrate many documents into a folder that mirrors theirs, with one synthesizer for all.

Each document is planned on its own, so one that fails is reported and the batch goes on.
While a document's files are finished (the encoder's tail, chapters, tags, sidecars) on a
second thread, the next document is already being spoken. A document is up to date when its
files exist and the batch's state file (``.audio-edition-batch.json`` in the output folder)
records that they were made from the same source bytes, options, engine and voice; runs
into one folder at once update it under a lock, each merging its records into the others'
(batch_state). Which documents the inputs name, and where each one's files go: batch_inputs.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Protocol, runtime_checkable

from audio_edition.document import Document
from audio_edition.errors import AudioEditionError, ClusterError, OutputError, UsageError
from audio_edition.files import atomic_outputs
from audio_edition.many.batch_inputs import BatchItem
from audio_edition.many.batch_state import BatchState
from audio_edition.narration.plan import NarrationPlan, Options, plan_digest, plan_narration
from audio_edition.narration.render import Edition, Progress, Spoken, finish, speak
from audio_edition.speak.cache import ClipCache
from audio_edition.speak.synthesis import Synthesizer


class DocumentStatus(str, Enum):
    """What became of a document found, in the words a batch's report uses."""

    NARRATED = "narrated"
    UP_TO_DATE = "up to date"
    FAILED = "failed"
    SKIPPED = "skipped"
    """Found by a search or a glob and left out (see batch_inputs.Skipped)."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class DocumentResult:
    """What became of one document."""

    item: BatchItem
    status: DocumentStatus
    """NARRATED, UP_TO_DATE or FAILED."""
    duration_seconds: float | None = None
    """The audio's length (None when it failed)."""
    error: str | None = None
    """The one-line reason it failed."""
    edition: Edition | None = None
    """What was narrated, in this run."""
    document: Document | None = None
    """The document as read (None when it failed)."""


@runtime_checkable
class DocumentRenderer(Protocol):
    """A synthesizer that can also render whole documents elsewhere (a cluster's workers)."""

    def render_documents(
        self, plans: Iterable[NarrationPlan]
    ) -> Iterator[tuple[NarrationPlan, tuple[bytes, ...] | AudioEditionError, Edition | None]]:
        """Each plan as it finishes, with its files' bytes and edition, or its error."""
        ...


def run_batch(
    items: Sequence[BatchItem],
    output_dir: Path,
    options: Options,
    synthesizer: Synthesizer,
    cache: ClipCache | None = None,
    progress: Callable[[float], None] | None = None,
    encoders: int | None = None,
) -> list[DocumentResult]:
    """Narrate every item; `progress` is given the documents done so far (a fraction for the
    one being spoken). With ``options.output.force`` every document is narrated again;
    otherwise an up-to-date one is left alone, an out-of-date one this batch made is
    replaced, and an existing file it did not make fails that document. A lost cluster
    ends the batch; any other failure is that document's alone.

    On a cluster (a DocumentRenderer) the unit of work is the document: each is rendered
    whole on a worker and its files written here (bench/RESULTS.md, "Cluster", measured why:
    this machine's layout and encoding would otherwise cap the whole cluster). Elsewhere the
    document is spoken here, clip by clip, while the last one is finished."""
    batch = _Batch(items, output_dir, options, progress)
    if isinstance(synthesizer, DocumentRenderer):
        batch.render_remotely(synthesizer)
    else:
        batch.render_here(synthesizer, cache, encoders)
    order = {item: index for index, item in enumerate(items)}
    return sorted(batch.results, key=lambda result: order[result.item])


class _Batch:
    """A batch's documents, what became of them, and its state file."""

    def __init__(
        self,
        items: Sequence[BatchItem],
        output_dir: Path,
        options: Options,
        progress: Callable[[float], None] | None,
    ) -> None:
        self.items = items
        self.state = BatchState(output_dir)
        self.force = options.output.force
        # whether a file may be replaced is decided here, document by document
        self.options = dataclasses.replace(
            options, output=dataclasses.replace(options.output, force=True)
        )
        self.progress = progress
        self.results: list[DocumentResult] = []
        self.digests: dict[Path, str] = {}

    def plans(self) -> Iterator[tuple[int, BatchItem, NarrationPlan]]:
        """The documents to render, with their plans; up-to-date and unplannable ones are
        noted as they pass."""
        for number, item in enumerate(self.items):
            try:
                plan, digest = _plan(item, self.options)
                record = self.state.made(item.destination)
                if not self.force and _up_to_date(plan, record, digest):
                    assert record is not None
                    duration = float(str(record["duration_seconds"]))
                    self.results.append(
                        DocumentResult(
                            item, DocumentStatus.UP_TO_DATE, duration, document=plan.document
                        )
                    )
                    continue
                if not self.force:
                    _refuse_foreign_files(plan, self.state.made_files(item.destination))
            except ClusterError:
                raise
            except AudioEditionError as error:
                self.failed(item, error)
                continue
            self.digests[item.destination] = digest
            yield number, item, plan

    def failed(self, item: BatchItem, error: AudioEditionError) -> None:
        self.results.append(DocumentResult(item, DocumentStatus.FAILED, error=str(error)))

    def narrated(self, item: BatchItem, plan: NarrationPlan, edition: Edition) -> None:
        self.state.record(plan, self.digests[item.destination], edition.duration_seconds)
        self.results.append(DocumentResult(item, DocumentStatus.NARRATED, edition.duration_seconds,
                                           edition=edition, document=plan.document))  # fmt: skip

    def render_here(
        self, synthesizer: Synthesizer, cache: ClipCache | None, encoders: int | None
    ) -> None:
        """Speak each document here; finish one on a second thread while the next speaks."""
        finishing: tuple[BatchItem, NarrationPlan, concurrent.futures.Future[Edition]] | None
        finishing = None

        def collect() -> None:
            nonlocal finishing
            if finishing is None:
                return
            item, plan, future = finishing
            finishing = None
            try:
                self.narrated(item, plan, future.result())
            except AudioEditionError as error:
                self.failed(item, error)

        with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="finish") as finisher:
            try:
                for number, item, plan in self.plans():
                    report = _document_progress(self.progress, number) if self.progress else None
                    try:
                        spoken: Spoken = speak(plan, synthesizer, cache, report, encoders)
                    except ClusterError:
                        raise
                    except AudioEditionError as error:
                        self.failed(item, error)
                        continue
                    collect()
                    finishing = (item, plan, finisher.submit(finish, spoken))
            finally:
                collect()  # a document being finished is finished, even when interrupted

    def render_remotely(self, renderer: DocumentRenderer) -> None:
        """Render the documents on the cluster; write each one's files as they come back."""
        items = {}

        def plans() -> Iterator[NarrationPlan]:
            for _, item, plan in self.plans():
                items[plan.destination] = item
                yield plan

        for plan, outcome, edition in renderer.render_documents(plans()):
            item = items.pop(plan.destination)
            if isinstance(outcome, AudioEditionError):
                self.failed(item, outcome)
                continue
            assert edition is not None
            try:
                with atomic_outputs(list(plan.outputs), force=True) as temporaries:
                    for temporary, data in zip(temporaries, outcome, strict=True):
                        temporary.write_bytes(data)
            except OSError as error:
                self.failed(item, OutputError(f"cannot write {plan.destination}: {error.strerror}"))
                continue
            except AudioEditionError as error:
                self.failed(item, error)
                continue
            self.narrated(item, plan, edition)
            if self.progress is not None:
                self.progress(len(self.results))


def _plan(item: BatchItem, options: Options) -> tuple[NarrationPlan, str]:
    plan = plan_narration(item.source, item.destination, options)
    try:
        source_bytes = item.source.read_bytes()
    except OSError as error:
        raise UsageError(f"{item.source}: {error.strerror}") from None
    return plan, plan_digest(plan, source_bytes)


def _up_to_date(plan: NarrationPlan, record: dict[str, object] | None, digest: str) -> bool:
    return (
        record is not None
        and record.get("digest") == digest
        and all(path.is_file() for path in plan.outputs)
    )


def _refuse_foreign_files(plan: NarrationPlan, made: set[Path]) -> None:
    for path in plan.outputs:
        if path.exists() and path not in made:
            raise UsageError(f"{path} already exists and was not made by this batch; use --force")


def _document_progress(
    progress: Callable[[float], None], number: int
) -> Callable[[Progress], None]:
    def report(done: Progress) -> None:
        progress(number + done.paragraphs_done / max(done.paragraphs_total, 1))

    return report
