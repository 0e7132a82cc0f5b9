"""The documents a batch's inputs name: files, folders searched and globs, each with its output.

Each input has a root: a folder its own, a glob the folder before its first wildcard, a file
named directly its own folder. A document's output path is its real path (links and ``..``
resolved) below its root, so each file is taken once and every output lies inside the output
folder; what a search or a glob finds that leads outside its root (a link, a ``..``) is
skipped. A file named directly is read wherever it leads.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from audio_edition.encode.formats import FORMATS_BY_EXTENSION, READ_ALONG_EXTENSIONS
from audio_edition.errors import UsageError
from audio_edition.many.batch_state import BatchState
from audio_edition.readers import DOCUMENT_EXTENSIONS

_MAGIC = frozenset("*?[")


@dataclass(frozen=True)
class BatchItem:
    """One document of a batch and the audio file it becomes."""

    source: Path
    destination: Path


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
