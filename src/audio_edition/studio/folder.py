"""The folder a studio serves: its documents by id, uploads saved into it, editions written
below it. No path outside it is ever read or served: every id is resolved (links and ``..``
followed) and must still lie inside."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from audio_edition.errors import InputError, UsageError
from audio_edition.many.batch_inputs import find_documents
from audio_edition.readers import DOCUMENT_EXTENSIONS

OUTPUT_FOLDER = "output"
"""The editions of FOLDER/a/b.md are written to FOLDER/output/a/b.<format>, as a batch of the
folder writes them."""
MAX_UPLOAD_BYTES = 50 * 2**20
"""The largest upload taken (50 MiB): a long novel is about 1 MB of text, an illustrated
EPUB some tens of MB."""
MAX_NAME_CHARACTERS = 100
"""An uploaded file's name is cut to this many characters."""
_UNSAFE = re.compile(r"[^\w.-]+")


class NotFound(UsageError):
    """What a request names is not there (or not inside the folder): a 404."""


@dataclass(frozen=True)
class Folder:
    """The folder served, resolved."""

    root: Path

    @classmethod
    def at(cls, path: str | os.PathLike[str]) -> Folder:
        """The folder at `path`; a UsageError when it is no folder."""
        root = Path(path).resolve()
        if not root.is_dir():
            raise UsageError(f"{path}: no such folder")
        return cls(root)

    @property
    def output(self) -> Path:
        return self.root / OUTPUT_FOLDER

    def documents(self) -> list[str]:
        """The ids of the documents in the folder, searched as a batch searches it (hidden
        files, links leading out and the output folder left out)."""
        found = find_documents([str(self.root)], self.output, ".mp3")
        return [item.source.relative_to(self.root).as_posix() for item in found.items]

    def document(self, document_id: str) -> Path:
        """The document file an id names; NotFound unless it is a document inside."""
        path = self.inside(document_id)
        if path.suffix.lower() not in DOCUMENT_EXTENSIONS or not path.is_file():
            raise NotFound(f"no document {document_id!r} in the folder")
        return path

    def inside(self, relative: str, base: Path | None = None) -> Path:
        """`relative` below `base` (default: the folder), resolved; NotFound when it leads
        outside it (``..``, an absolute path, a link out)."""
        base = base or self.root
        try:
            path = (base / relative).resolve()
        except (OSError, RuntimeError):  # a link loop
            raise NotFound(f"no file {relative!r} in the folder") from None
        if "\0" in relative or not path.is_relative_to(base.resolve()):
            raise NotFound(f"no file {relative!r} in the folder")
        return path

    def edition(self, document_id: str, extension: str) -> Path:
        """Where the edition of a document in a format is written."""
        relative = Path(document_id).with_suffix(extension)
        return self.output / relative

    def save_upload(self, name: str, data: bytes) -> str:
        """`data` saved into the folder under a safe form of `name` (never replacing a
        file: a number is added), once it reads as a document; its id."""
        stem, suffix = _safe_name(name)
        with _scratch(self.root, suffix) as scratch:
            scratch.write_bytes(data)
            from audio_edition.narration.plan import read_document

            read_document(scratch)  # an unreadable document is refused, never kept
            for number in range(1, 1000):
                target = self.root / (stem + (f"-{number}" if number > 1 else "") + suffix)
                with contextlib.suppress(FileExistsError):
                    os.link(scratch, target)  # fails, never replaces, when the name is taken
                    return target.name
        raise UsageError(f"too many files named {stem}{suffix} in the folder")


def _safe_name(name: str) -> tuple[str, str]:
    """The stem and extension an upload is saved under: its base name's letters, digits,
    ".", "-" and "_"; an InputError unless its extension is a document's."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    suffix = Path(base).suffix.lower()
    if suffix not in DOCUMENT_EXTENSIONS:
        known = ", ".join(DOCUMENT_EXTENSIONS)
        raise InputError(f"cannot read {base!r}: a document is a {known} file")
    stem = _UNSAFE.sub("-", Path(base).stem).strip(".-")[:MAX_NAME_CHARACTERS] or "document"
    return stem, suffix


@contextlib.contextmanager
def _scratch(folder: Path, suffix: str) -> Iterator[Path]:
    """A hidden temporary file in `folder` (a search skips it), removed after."""
    handle, name = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=suffix)
    os.close(handle)
    os.chmod(name, 0o644)  # mkstemp makes it private; the document should not be
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)
