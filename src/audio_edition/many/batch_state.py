"""A batch's state file: what each output was made from, merged by concurrent runs under a lock."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from audio_edition.errors import OutputError, UsageError
from audio_edition.files import atomic_outputs
from audio_edition.narration.plan import NarrationPlan

STATE_FILE = ".audio-edition-batch.json"
LOCK_FILE = ".audio-edition-batch.lock"
"""Beside the state file: held while a run updates the state."""
_STATE_VERSION = 1


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
