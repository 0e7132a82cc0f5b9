"""Narrate many documents into a folder that mirrors theirs, with one synthesizer for all.

Each document is planned on its own, so one that fails is reported and the batch goes on.
While a document's files are finished (the encoder's tail, chapters, tags, sidecars) on a
second thread, the next document is already being spoken. A document is up to date when its
files exist and the batch's state file (``.audio-edition-batch.json`` in the output folder)
records that they were made from the same source bytes, options, engine and voice; runs
into one folder at once update it under a lock, each merging its records into the others'.

Each input has a root: a folder its own, a glob the folder before its first wildcard, a file
named directly its own folder. A document's output path is its real path (links and ``..``
resolved) below its root, so each file is taken once and every output lies inside the output
folder; what a search or a glob finds that leads outside its root (a link, a ``..``) is
skipped. A file named directly is read wherever it leads.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Protocol, runtime_checkable

from audio_edition.document import Document
from audio_edition.encode.formats import FORMATS_BY_EXTENSION, READ_ALONG_EXTENSIONS
from audio_edition.errors import AudioEditionError, ClusterError, OutputError, UsageError
from audio_edition.files import atomic_outputs
from audio_edition.narration.plan import NarrationPlan, Options, plan_digest, plan_narration
from audio_edition.narration.render import Edition, Progress, Spoken, finish, speak
from audio_edition.readers import DOCUMENT_EXTENSIONS
from audio_edition.speak.cache import ClipCache
from audio_edition.speak.synthesis import Synthesizer

STATE_FILE = ".audio-edition-batch.json"
LOCK_FILE = ".audio-edition-batch.lock"
"""Beside the state file: held while a run updates the state."""
_STATE_VERSION = 1
_MAGIC = frozenset("*?[")


class DocumentStatus(str, Enum):
    """What became of a document found, in the words a batch's report uses."""

    NARRATED = "narrated"
    UP_TO_DATE = "up to date"
    FAILED = "failed"
    SKIPPED = "skipped"
    """Found by a search or a glob and left out (see Skipped)."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class BatchItem:
    """One document of a batch and the audio file it becomes."""

    source: Path
    destination: Path


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


@dataclass(frozen=True)
class Skipped:
    """A file, or a link to a folder, that a folder's search or a glob found and left out."""

    path: Path
    """As found."""
    reason: str
    """Why, in one line."""


@dataclass(frozen=True)
class FoundDocuments:
    """What the inputs name."""

    items: list[BatchItem]
    """The documents to narrate, in the inputs' order."""
    skipped: list[Skipped]
    """What was found and left out."""


def find_documents(inputs: Sequence[str], output_dir: Path, extension: str) -> FoundDocuments:
    """Every document the inputs name (files, folders searched recursively for known
    extensions, and globs), each once, with its destination in `output_dir`: its real path
    below its input's root (see above), with `extension`. A folder's search skips what the
    batch made (its state file's record: pages and books are documents too) and an output
    folder inside the folder searched."""
    if extension.lower() not in (*FORMATS_BY_EXTENSION, *READ_ALONG_EXTENSIONS):
        known = ", ".join(
            name.lstrip(".") for name in (*FORMATS_BY_EXTENSION, *READ_ALONG_EXTENSIONS)
        )
        raise UsageError(f"unknown --format {extension.lstrip('.')!r}; use {known}")
    state = BatchState(output_dir)
    made = {path.resolve() for destination in state.documents
            for path in state.made_files(output_dir / destination)}  # fmt: skip
    items: dict[Path, BatchItem] = {}
    skipped: dict[Path, Skipped] = {}
    taken: set[Path] = set()
    for given in inputs:
        root, found = _expand(given, output_dir, made)
        for path in found:
            real = _resolved(path)
            if real is None:
                skipped[path] = Skipped(path, "it is a link that leads round in a loop")
                continue
            if real in taken:
                continue
            relative = _relative(path, real, root)
            if relative is None:
                assert root is not None
                why = f"it leads outside {root}, the folder searched (name it on its own "
                skipped.setdefault(real, Skipped(path, why + "to narrate it)"))
                continue
            skipped.pop(real, None)  # another input takes it
            taken.add(real)
            source = path if root is None else root / relative  # the real file, named plainly
            destination = output_dir / relative.with_suffix(extension)
            _check_inside(destination, output_dir)
            if destination in items:
                raise UsageError(f"{items[destination].source} and {source} would "
                                 f"both be narrated into {destination}")  # fmt: skip
            items[destination] = BatchItem(source, destination)
    return FoundDocuments(list(items.values()), list(skipped.values()))


def _expand(given: str, output_dir: Path, made: set[Path]) -> tuple[Path | None, list[Path]]:
    """An input's root (None for a file named directly) and the paths it names."""
    path = Path(given)
    if path.is_dir():
        return path, _search(path, output_dir, made)
    if path.is_file():
        return None, [path]
    if _MAGIC & set(given):
        parts = path.parts
        fixed = next(i for i, part in enumerate(parts) if _MAGIC & set(part))
        root = Path(*parts[:fixed])
        documents = _glob(root, Path(*parts[fixed:]))
        if not documents:
            raise UsageError(f"{given}: no file matches")
        return root, documents
    raise UsageError(f"{given}: no such file or folder")


def _glob(root: Path, pattern: Path) -> list[Path]:
    """The files below `root` that `pattern` matches, hidden ones left out unless the
    pattern names them; `**` never enters a link to a folder (two links to "." would make
    the search endless)."""
    named = _hidden(pattern.parts)
    matches = sorted(root.glob(str(pattern)))
    return [p for p in matches if _is_file(p) and (named or not _hidden(p.relative_to(root).parts))]


def _hidden(parts: Sequence[str]) -> bool:
    return any(part.startswith(".") and part != ".." for part in parts)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a link loop, a name too long
        return False


def _resolved(path: Path) -> Path | None:
    """`path` with every link resolved; None for a link loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
        return None


def _search(folder: Path, output_dir: Path, made: set[Path]) -> list[Path]:
    """The documents below `folder`, outside hidden files and folders (.git, .venv...), what
    the batch made and an output folder inside it; with its links to folders that lead out
    of it (links to folders are never entered), to be reported."""
    root, outputs = folder.resolve(), output_dir.resolve()
    inside = outputs != root and outputs.is_relative_to(root)
    found = []
    for top, folders, files in os.walk(folder):
        here = Path(top)
        folders[:] = [name for name in folders if not name.startswith(".")]
        links = (here / name for name in folders if (here / name).is_symlink())
        found += [link for link in links if (real := _resolved(link)) is None
                  or not real.is_relative_to(root)]  # fmt: skip
        found += [here / name for name in files if not name.startswith(".")
                  and Path(name).suffix.lower() in DOCUMENT_EXTENSIONS]  # fmt: skip
    return sorted(
        path for path in found
        if (real := _resolved(path)) is None
        or (real not in made and not (inside and real.is_relative_to(outputs))
            and (path.is_file() or path.is_dir()))
    )  # fmt: skip


def _relative(path: Path, real: Path, root: Path | None) -> Path | None:
    """Where a found file goes below the output folder: its real path below its input's real
    root (a file named directly: its name); None when it leads outside that root."""
    if root is None:
        return Path(path.name)
    real_root = root.resolve()
    return real.relative_to(real_root) if real.is_relative_to(real_root) else None


def _check_inside(destination: Path, output_dir: Path) -> None:
    """A UsageError unless `destination` lies inside `output_dir`, links resolved."""
    if not destination.parent.resolve().is_relative_to(output_dir.resolve()):
        raise UsageError(f"{destination} would be written outside {output_dir}, "
                         "through a link in it; remove the link or choose another "
                         "--output-dir")  # fmt: skip


class BatchState:
    """What each output was made from, kept in the output folder and saved after every
    document, so an interrupted batch knows what is finished. Runs into one folder at once
    each merge their records into the file under a lock (LOCK_FILE)."""

    def __init__(self, output_dir: Path) -> None:
        self.path = output_dir / STATE_FILE
        self.documents = self._read()

    def _read(self) -> dict[str, dict[str, object]]:
        """The records in the state file ({} when there is none); a UsageError naming it
        when it is not what a batch writes."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except OSError as error:
            raise UsageError(f"cannot read {self.path}: {error.strerror}") from None
        except ValueError:  # not UTF-8, not JSON
            data = None
        documents = data.get("documents") if isinstance(data, dict) else None
        if (
            not isinstance(data, dict) or data.get("version") != _STATE_VERSION
            or not isinstance(documents, dict) or not all(map(_is_record, documents.values()))
        ):  # fmt: skip
            raise UsageError(
                f"{self.path} is damaged (not what a batch writes); delete it and run "
                "again with --force, which narrates every document again"
            )
        return documents

    def _key(self, destination: Path) -> str:
        return os.path.relpath(destination, self.path.parent)

    def made(self, destination: Path) -> dict[str, object] | None:
        """The record of `destination`, or None when this batch did not make it."""
        return self.documents.get(self._key(destination))

    def made_files(self, destination: Path) -> set[Path]:
        """The files this batch wrote for `destination` (the audio and its sidecars)."""
        record = self.made(destination) or {}
        files = record.get("files", [])
        assert isinstance(files, list)
        return {self.path.parent / name for name in files}

    def record(self, plan: NarrationPlan, digest: str, duration_seconds: float) -> None:
        """Note that the plan's files were made from `digest`, and save: under the lock, the
        file as it is now (other runs may have saved meanwhile) with this record."""
        record = {
            "digest": digest, "duration_seconds": round(duration_seconds, 3),
            "files": sorted(self._key(path) for path in plan.outputs),
        }  # fmt: skip
        with _locked(self.path.with_name(LOCK_FILE)):
            self.documents = {**self._read(), self._key(plan.destination): record}
            data = {"version": _STATE_VERSION, "documents": self.documents}
            with atomic_outputs([self.path], force=True) as (temporary,):
                temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")


def _is_record(record: object) -> bool:
    """Whether `record` is one document's record as BatchState.record writes it."""
    return (
        isinstance(record, dict)
        and isinstance(record.get("digest"), str)
        and type(record.get("duration_seconds")) in (int, float)
        and isinstance(files := record.get("files"), list)
        and all(isinstance(name, str) for name in files)
    )


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the lock file `path` (made if missing) for the block, against other processes:
    fcntl.flock on POSIX; on Windows msvcrt.locking, which waits at most 10 s and then fails
    with an OutputError."""
    try:  # never through a link: the lock file must be the output folder's own
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        handle = os.fdopen(os.open(path, flags, 0o644), "r+b")
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
    with handle:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
            except OSError:
                raise OutputError(f"{path} is held by another run") from None
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
            yield  # closing the file lets the lock go


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
