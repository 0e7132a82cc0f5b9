"""Writing files safely: refuse to overwrite, scratch files, outputs renamed into place together,
and a failed write as one line."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from audio_edition.errors import EncodeError, OutputError, UsageError

WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS})


"""A write failing with one of these (a full disk, a quota, a file too large, a failing or
read-only disk) fails the run with one line naming the file (see atomic_outputs)."""


def check_destination(destination: Path, force: bool) -> None:
    """Refuse to replace an existing file without `force`, or to write over a directory."""
    if destination.is_dir():
        raise UsageError(f"{destination} is a directory; give a file name with -o")
    if destination.exists() and not force:
        raise UsageError(f"{destination} already exists; use --force to replace it")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def scratch_file(destination: Path, suffix: str) -> Iterator[Path]:
    """A temporary file beside `destination`, removed when the block ends."""
    try:
        handle, name = tempfile.mkstemp(
            dir=destination.parent, prefix=f".{destination.name}.", suffix=f"{suffix}.part"
        )
    except OSError as error:
        raise OutputError(f"cannot write to {destination.parent}: {error.strerror}") from None
    os.close(handle)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


@contextlib.contextmanager
def naming(path: Path) -> Iterator[None]:
    """Name `path` in an OSError raised in the block that names no file (a failed write to
    an open file names none), so atomic_outputs can tell which output failed."""
    try:
        yield
    except OSError as error:
        if error.filename is None:
            error.filename = str(path)
        raise


def _failed_write(error: BaseException) -> OSError | None:
    """The failed write (an errno of WRITE_ERRNOS) behind `error`: itself, what it was
    raised from or while handling, or what ffmpeg said on its way out (it prints strerror)."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, OSError) and cause.errno in WRITE_ERRNOS:
            return cause
        if isinstance(cause, EncodeError):
            for code in sorted(WRITE_ERRNOS):
                if cause.command and os.strerror(code) in cause.stderr:
                    # ffmpeg's output is its last argument
                    return OSError(code, os.strerror(code), cause.command[-1])
        cause = cause.__cause__ or cause.__context__
    return None


def _write_error(
    error: OSError, temporaries: Sequence[Path], destinations: Sequence[Path]
) -> OutputError:
    """One line for a failed write, naming its file: the destination whose temporary, or a
    scratch file named after it, it was; the first destination when it names no file."""
    named = os.fsdecode(error.filename) if error.filename is not None else ""
    path = Path(named) if named else destinations[0]
    for temporary, destination in zip(temporaries, destinations, strict=True):
        if temporary.name in path.name or path.name.startswith(f".{destination.name}."):
            path = destination
            break
    reason = error.strerror or str(error)
    return OutputError(f"{reason[:1].lower()}{reason[1:]} writing {path}")


@contextlib.contextmanager
def atomic_outputs(destinations: Sequence[Path], force: bool) -> Iterator[list[Path]]:
    """Temporary files beside each destination, all renamed into place only if the block
    succeeds; on any failure or interruption none of them is left. A failed write (see
    _failed_write) in the block, in any thread or ffmpeg process, becomes one OutputError."""
    for destination in destinations:
        check_destination(destination, force)
    temporaries: list[Path] = []
    try:
        for destination in destinations:
            try:
                destination.parent.mkdir(parents=True, exist_ok=True)
                handle, name = tempfile.mkstemp(
                    dir=destination.parent, prefix=f".{destination.name}.", suffix=".part"
                )
            except OSError as error:
                raise OutputError(
                    f"cannot write to {destination.parent}: {error.strerror}"
                ) from None
            os.close(handle)
            temporaries.append(Path(name))
            # mkstemp makes the file private; the result should not be
            os.chmod(name, 0o666 & ~_umask())
        try:
            yield temporaries
        except Exception as error:
            failure = _failed_write(error)
            if failure is None:
                raise
            raise _write_error(failure, temporaries, destinations) from error
        for destination in destinations:
            check_destination(destination, force)
        for temporary, destination in zip(temporaries, destinations, strict=True):
            os.replace(temporary, destination)
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
