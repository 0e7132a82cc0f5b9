"""The studio's jobs (narrations, proof-listening, publishing): a queue, run by worker threads
off the event loop, each with its own synthesizer (worker processes kept from one job to the
next) and the user's clip cache."""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audio_edition.encode.formats import MP3
from audio_edition.errors import AudioEditionError, UsageError
from audio_edition.narration.plan import NarrationPlan
from audio_edition.narration.render import Edition, Progress, open_cache, render
from audio_edition.speak.cache import ClipCache
from audio_edition.speak.synthesis import LocalPool

log = logging.getLogger(__name__)

RUNNING_JOBS = 1
"""Jobs run at once: a narration already speaks with every core, and so does a proof."""
MAX_WAITING_JOBS = 20
"""Jobs that may wait in the queue; another is refused until one starts."""
MAX_KEPT_JOBS = 200
"""Finished jobs remembered (the oldest are forgotten)."""
LIVE_WAIT_SECONDS = 1.0
"""A listener of audio as it is made looks again at least this often (to notice a stop)."""
STATES = ("queued", "running", "done", "failed")


Task = Callable[["Job", LocalPool, ClipCache | None], Any]
"""A job's work, given the job (to report its progress), a synthesizer and the clip cache;
what it returns is the job's result."""


class LiveAudio:
    """A narration's MP3 as it is made: frames appended by the render, read by listeners from
    any offset, waiting for more until it ends."""

    def __init__(self) -> None:
        self._data = bytearray()
        self._ended = False
        self._grown = threading.Condition()

    def append(self, frames: bytes) -> None:
        with self._grown:
            self._data += frames
            self._grown.notify_all()

    def end(self) -> None:
        with self._grown:
            self._ended = True
            self._grown.notify_all()

    def read(self, offset: int, timeout: float = LIVE_WAIT_SECONDS) -> bytes | None:
        """The bytes from `offset` on, waiting up to `timeout` for some; b"" while none has
        come yet, None once it has ended and all were read."""
        with self._grown:
            if len(self._data) <= offset and not self._ended:
                self._grown.wait(timeout)
            if len(self._data) <= offset:
                return None if self._ended else b""
            return bytes(self._data[offset:])


@dataclass
class Job:
    """One job asked for, and how far it has got."""

    id: str
    kind: str
    """"narration", "proof" or "publish"."""
    task: Task = field(repr=False)
    document: str | None = None
    """The id of the document it is about (None for a publish)."""
    plan: NarrationPlan | None = None
    """A narration's plan."""
    state: str = "queued"
    progress: float = 0.0
    """The share done, 0 to 1 (a narration's paragraphs, a publish's documents)."""
    seconds_left: float | None = None
    """Estimated from the time taken so far; None until a paragraph is done."""
    error: str | None = None
    synthesized: int | None = None
    cached: int | None = None
    started: float | None = field(default=None, repr=False)
    result: Any = field(default=None, repr=False)
    """What the task returned: a narration's Edition."""
    shown: dict[str, Any] = field(default_factory=dict)
    """What the task adds to the job's view (a proof's sentences, a publish's feed)."""
    live: LiveAudio | None = field(default=None, repr=False)
    """A narration's MP3 as it is made, while it runs and after."""
    changes: int = 0
    """Bumped at every change, so a watcher sees one."""
    stopping: threading.Event = field(default_factory=threading.Event, repr=False)
    """Set when the studio stops: the render is abandoned at its next clip."""

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def view(self) -> dict[str, Any]:
        """What GET /api/jobs/{job} answers."""
        form = self.plan.destination.suffix.lstrip(".") if self.plan is not None else None
        return {
            "job": self.id, "kind": self.kind, "document": self.document, "state": self.state,
            "progress": round(self.progress, 4),
            "seconds_left": None if self.seconds_left is None else round(self.seconds_left, 1),
            "error": self.error, "format": form,
            "stats": {"synthesized": self.synthesized, "cached": self.cached}, **self.shown,
        }  # fmt: skip

    def update(self, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(self, name, value)
        self.changes += 1

    def report(self, progress: Progress) -> None:
        """A Progress of a render, as a fraction and the time left."""
        self.advance(progress.paragraphs_done / max(1, progress.paragraphs_total))

    def advance(self, fraction: float) -> None:
        """The share done, and the time left it implies; Stopped when the studio stops."""
        if self.stopping.is_set():
            raise Stopped("the studio stopped")
        elapsed = time.monotonic() - (self.started or time.monotonic())
        left = elapsed * (1 - fraction) / fraction if fraction > 0 else None
        self.update(progress=fraction, seconds_left=left)


class Stopped(AudioEditionError):
    """The studio stopped while the job ran."""


class Jobs:
    """The queue of jobs and the threads that run them."""

    def __init__(self, cache_dir: Path | None = None, running: int = RUNNING_JOBS) -> None:
        self._cache_dir = cache_dir
        self._waiting: queue.Queue[Job | None] = queue.Queue(MAX_WAITING_JOBS)
        self._jobs: dict[str, Job] = {}
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._work, name=f"studio-jobs-{n}", daemon=True)
            for n in range(running)
        ]
        for thread in self._threads:
            thread.start()

    def narrate(self, document: str, plan: NarrationPlan) -> Job:
        """A narration of the plan, queued."""
        return self.submit("narration", _narration, document, plan)

    def submit(self, kind: str, task: Task, document: str | None = None,
               plan: NarrationPlan | None = None) -> Job:  # fmt: skip
        """A job for the task, queued; a UsageError when the queue is full."""
        with self._lock:
            live = LiveAudio() if plan is not None and plan.output_format == MP3 else None
            job = Job(f"j{next(self._numbers)}", kind, task, document, plan,
                      stopping=self._stopping, live=live)  # fmt: skip
            try:
                self._waiting.put_nowait(job)
            except queue.Full:
                raise UsageError(
                    f"{MAX_WAITING_JOBS} jobs are waiting already; try again later"
                ) from None
            self._jobs[job.id] = job
            finished = [old for old in self._jobs.values() if old.finished]
            for old in finished[: max(0, len(finished) - MAX_KEPT_JOBS)]:
                del self._jobs[old.id]
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def latest(self, kind: str, document: str) -> Job | None:
        """The job of that kind about the document that was done last, if any."""
        with self._lock:
            done = [job for job in self._jobs.values()
                    if (job.kind, job.document, job.state) == (kind, document, "done")]  # fmt: skip
        return done[-1] if done else None

    def close(self) -> None:
        """Stop the threads, abandoning the jobs under way (they leave no file) and those
        waiting."""
        self._stopping.set()
        for _ in self._threads:
            self._waiting.put(None)
        for thread in self._threads:
            thread.join()

    def _work(self) -> None:
        """Run jobs one at a time, with one synthesizer for all of them."""
        with LocalPool() as pool:
            while (job := self._waiting.get()) is not None:
                if self._stopping.is_set():
                    job.update(state="failed", error="the studio stopped")
                    continue
                _run(job, pool, self._cache_dir)


def _run(job: Job, pool: LocalPool, cache_dir: Path | None) -> None:
    """Do the job's task; any failure is the job's, never the thread's."""
    job.update(state="running", started=time.monotonic())
    try:
        result = job.task(job, pool, open_cache(cache_dir, True))
    except AudioEditionError as error:
        job.update(state="failed", error=str(error), seconds_left=None)
    except Exception as error:  # a bug: logged, and the server goes on
        log.exception("the %s of %s failed", job.kind, job.document or "the folder")
        job.update(state="failed", error=f"internal error: {error}", seconds_left=None)
    else:
        job.update(state="done", progress=1.0, seconds_left=0.0, result=result)


def _narration(job: Job, pool: LocalPool, cache: ClipCache | None) -> Edition:
    """A narration's task: its plan rendered."""
    assert job.plan is not None
    live = job.live
    try:
        edition = render(job.plan, pool, cache, job.report, listen=live.append if live else None)
    finally:
        if live is not None:
            live.end()
            job.live = None  # listeners keep it while they read; the edition is on disk
    job.update(synthesized=edition.synthesized, cached=edition.cached)
    return edition
