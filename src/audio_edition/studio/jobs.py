"""Narration jobs: a queue, run by worker threads off the event loop, each with its own
synthesizer (worker processes kept from one job to the next) and the user's clip cache."""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audio_edition.errors import AudioEditionError, UsageError
from audio_edition.narration.plan import NarrationPlan
from audio_edition.narration.render import Progress, open_cache, render
from audio_edition.speak.synthesis import LocalPool

log = logging.getLogger(__name__)

RUNNING_JOBS = 1
"""Narrations made at once: each already speaks with every core."""
MAX_WAITING_JOBS = 20
"""Narrations that may wait in the queue; another is refused until one starts."""
MAX_KEPT_JOBS = 200
"""Finished jobs remembered (the oldest are forgotten)."""
STATES = ("queued", "running", "done", "failed")


@dataclass
class Job:
    """One narration asked for, and how far it has got."""

    id: str
    document: str
    """The id of the document narrated."""
    plan: NarrationPlan
    state: str = "queued"
    progress: float = 0.0
    """Paragraphs done over paragraphs, 0 to 1."""
    seconds_left: float | None = None
    """Estimated from the time taken so far; None until a paragraph is done."""
    error: str | None = None
    synthesized: int | None = None
    cached: int | None = None
    started: float | None = field(default=None, repr=False)
    changes: int = 0
    """Bumped at every change, so a watcher sees one."""
    stopping: threading.Event = field(default_factory=threading.Event, repr=False)
    """Set when the studio stops: the render is abandoned at its next clip."""

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def view(self) -> dict[str, Any]:
        """What GET /api/jobs/{job} answers."""
        return {
            "job": self.id, "document": self.document, "state": self.state,
            "progress": round(self.progress, 4),
            "seconds_left": None if self.seconds_left is None else round(self.seconds_left, 1),
            "error": self.error, "format": self.plan.destination.suffix.lstrip("."),
            "stats": {"synthesized": self.synthesized, "cached": self.cached},
        }  # fmt: skip

    def update(self, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(self, name, value)
        self.changes += 1

    def report(self, progress: Progress) -> None:
        """A Progress of the render, as a fraction and the time left; Stopped when the
        studio stops."""
        if self.stopping.is_set():
            raise Stopped("the studio stopped")
        fraction = progress.paragraphs_done / max(1, progress.paragraphs_total)
        elapsed = time.monotonic() - (self.started or time.monotonic())
        left = elapsed * (1 - fraction) / fraction if fraction > 0 else None
        self.update(progress=fraction, seconds_left=left)


class Stopped(AudioEditionError):
    """The studio stopped while the job ran."""


class Jobs:
    """The queue of narrations and the threads that run them."""

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

    def submit(self, document: str, plan: NarrationPlan) -> Job:
        """A job for the plan, queued; a UsageError when the queue is full."""
        with self._lock:
            job = Job(f"j{next(self._numbers)}", document, plan, stopping=self._stopping)
            try:
                self._waiting.put_nowait(job)
            except queue.Full:
                raise UsageError(
                    f"{MAX_WAITING_JOBS} narrations are waiting already; try again later"
                ) from None
            self._jobs[job.id] = job
            finished = [old for old in self._jobs.values() if old.finished]
            for old in finished[: max(0, len(finished) - MAX_KEPT_JOBS)]:
                del self._jobs[old.id]
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

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
    """Render the job's plan; any failure is the job's, never the thread's."""
    job.update(state="running", started=time.monotonic())
    try:
        edition = render(job.plan, pool, open_cache(cache_dir, True), job.report)
    except AudioEditionError as error:
        job.update(state="failed", error=str(error), seconds_left=None)
    except Exception as error:  # a bug: logged, and the server goes on
        log.exception("narrating %s failed", job.document)
        job.update(state="failed", error=f"internal error: {error}", seconds_left=None)
    else:
        job.update(state="done", progress=1.0, seconds_left=0.0,
                   synthesized=edition.synthesized, cached=edition.cached)  # fmt: skip
