"""The local pool: clips spoken in worker processes and handed back in order.

Engines live in worker processes (audio_edition.speak.worker) so that one bad call cannot retarget
another, a crash or hang is caught (the worker is killed and replaced), and nothing an engine
prints reaches the user's stdout. Workers are plain subprocesses, so scripts that call
narrate() need no ``if __name__ == "__main__"`` guard. Several workers speak at once while the
caller assembles and encodes; clips come back in document order, and at most a small window
of them waits in memory. A worker builds the engine of every voice of the narration (the
narrator's and its cast's) once, when it starts, and each task names its voice: memory is one
engine per voice per worker, and each engine computes in the worker's whole thread budget, as
they speak one at a time. Whether a clip is good, retried or fails the run is the ClipLedger's
to say (audio_edition.speak.ledger).
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import os
import pickle
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Generator, Iterable, Sequence
from typing import IO, Protocol

from audio_edition.engines import Audio
from audio_edition.errors import AudioEditionError, OptionError, SynthesisError
from audio_edition.speak.cache import ClipCache
from audio_edition.speak.clips import Clip, ClipRequest, SynthesisConfig, SynthesisStats
from audio_edition.speak.ledger import ClipLedger, expected_seconds
from audio_edition.speak.worker import receive_message, send_message

START_TIMEOUT_SECONDS = 60.0
_WINDOW_PER_WORKER = 4


class Synthesizer(Protocol):
    """Clip requests in, verified clips out in document order through a bounded window, the
    run's ClipLedger asked for each clip before it is made and told of every clip made.
    LocalPool speaks on this machine; audio_edition.many.cluster speaks on a Dask cluster."""

    def synthesize(
        self, requests: Sequence[ClipRequest], ledger: ClipLedger
    ) -> Generator[Clip, None, None]:
        """Every request's verified clip, in order; one the ledger fails raises."""
        ...

    def close(self) -> None:
        """Let go of every worker."""
        ...


Reply = tuple["Worker", str, object]


class Worker:
    """One worker process; a thread forwards its replies, tagged with it, to a shared queue."""

    def __init__(self, config: SynthesisConfig, threads: int, replies: queue.Queue[Reply]) -> None:
        self.ready = False
        self.deadline = time.monotonic() + START_TIMEOUT_SECONDS
        self.task: int | None = None
        # the worker's temporary files go in a folder of ours, removed even if it is killed
        self._scratch = tempfile.mkdtemp(prefix="audio-edition-worker-")
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "audio_edition.speak.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "TMPDIR": self._scratch},
            )
        except BaseException:
            shutil.rmtree(self._scratch, ignore_errors=True)
            raise
        assert self._process.stdin is not None and self._process.stdout is not None
        self._requests = self._process.stdin
        try:
            threading.Thread(
                target=self._forward, args=(self._process.stdout, replies), daemon=True
            ).start()
            self._send(
                tuple(
                    (voice.engine, dataclasses.replace(voice.settings, threads=threads))
                    for voice in config.voices
                )
            )
        except BaseException:  # interrupted while starting: leave no process behind
            self._process.kill()
            self._process.wait()
            shutil.rmtree(self._scratch, ignore_errors=True)
            raise

    def _forward(self, stream: IO[bytes], replies: queue.Queue[Reply]) -> None:
        try:
            while True:
                kind, detail = receive_message(stream)
                replies.put((self, kind, detail))
        except (EOFError, OSError, pickle.UnpicklingError):
            replies.put((self, "lost", None))

    def _send(self, message: object) -> None:
        with contextlib.suppress(OSError):  # a dead worker is noticed through its reply thread
            send_message(self._requests, message)

    @property
    def pid(self) -> int:
        """The process's id."""
        return self._process.pid

    def start_task(self, index: int, text: str, timeout: float, voice: int = 0) -> None:
        """Ask for `text` to be spoken in `voice` (an index into the config's voices); the
        reply comes through the shared queue."""
        self.task = index
        self.deadline = time.monotonic() + timeout
        self._send((voice, text))

    def exit_code(self) -> int | None:
        """The process's exit code once it has ended."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            return self._process.wait(5)
        return None

    def stop(self, kill: bool = False) -> None:
        """End the process: politely by closing its input, or at once."""
        with contextlib.suppress(OSError):
            self._requests.close()
        if kill:
            self._process.kill()
        try:
            self._process.wait(2)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        assert self._process.stdout is not None
        self._process.stdout.close()
        shutil.rmtree(self._scratch, ignore_errors=True)


MAX_WORKERS_PER_CORE = 8
"""At most this many worker processes per CPU core (jobs, a local cluster's): more only
share the same cores, and each holds an engine (Piper's holds hundreds of MB)."""


def check_worker_count(count: int, option: str, form: str = "") -> int:
    """`count` worker processes, refused below 1 or above MAX_WORKERS_PER_CORE per core by
    an OptionError naming `option`, then `form` (" local:N")."""
    cores = os.cpu_count() or 1
    most = MAX_WORKERS_PER_CORE * cores
    if count < 1:
        raise OptionError(option, f"{form} must be at least 1, not {count}")
    if count > most:
        raise OptionError(
            option,
            f"{form} {count} is too many worker processes for {cores} CPU cores "
            f"(at most {most}, {MAX_WORKERS_PER_CORE} per core)",
        )
    return count


class LocalPool:
    """Worker processes on this machine, kept from one synthesize() call to the next (a batch
    starts them once), and started again only when the engine or a voice (the narrator's or
    its cast's) changes."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = check_worker_count(jobs if jobs is not None else os.cpu_count() or 1, "jobs")
        self.threads = max(1, (os.cpu_count() or 1) // self.jobs)  # each worker's share
        self.workers: list[Worker] = []
        self.replies: queue.Queue[Reply] = queue.Queue()
        self._config: SynthesisConfig | None = None

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def prepare(self, config: SynthesisConfig) -> None:
        """Start one worker for `config` now, so that its engine loads while the caller
        plans the rest (the first clip needs one; the others start with synthesize(), as
        they would share the core the planning runs on)."""
        if config != self._config:
            self.close()
            self._config = config
        if not self.workers:
            self.workers.append(self.start_worker())

    def start_worker(self) -> Worker:
        """A new worker for the current engines and voices."""
        assert self._config is not None
        return Worker(self._config, self.threads, self.replies)

    def synthesize(
        self, requests: Sequence[ClipRequest], ledger: ClipLedger
    ) -> Generator[Clip, None, None]:
        """Every request's verified clip, in order; a clip that fails twice stops the run."""
        if ledger.config != self._config:
            self.close()
            self._config = ledger.config
        run = _Run(self, list(requests), ledger)
        finished = False
        try:
            for next_out in range(len(run.requests)):
                run.look_ahead(next_out)
                while next_out not in run.done:
                    run.dispatch()
                    run.wait()
                    run.look_ahead(next_out)
                yield run.done.pop(next_out)
            finished = True
        finally:
            if not finished:  # a worker still speaking or starting belongs to the failed run
                for worker in [w for w in self.workers if w.task is not None or not w.ready]:
                    worker.stop(kill=True)
                    self.workers.remove(worker)

    def close(self) -> None:
        """Stop every worker (one still speaking or starting at once)."""
        for worker in self.workers:
            worker.stop(kill=worker.task is not None or not worker.ready)
        self.workers.clear()


class _Run:
    """The state of one synthesis run: pending work and finished clips."""

    def __init__(self, pool: LocalPool, requests: list[ClipRequest], ledger: ClipLedger) -> None:
        self.pool = pool
        self.workers = pool.workers
        self.requests = requests
        self.ledger = ledger
        self.todo: collections.deque[int] = collections.deque()
        self.done: dict[int, Clip] = {}
        self.next_lookup = 0

    def look_ahead(self, next_out: int) -> None:
        """Take the next requests in the window from the cache, or queue them for a worker."""
        window = _WINDOW_PER_WORKER * self.pool.jobs
        while self.next_lookup < min(len(self.requests), next_out + window):
            index = self.next_lookup
            cached = self.ledger.lookup(self.requests[index])
            if cached is not None:
                self.done[index] = cached
            else:
                self.todo.append(index)
            self.next_lookup += 1
        # one at a time, so that close() stops every worker started, even when interrupted
        while self.todo and len(self.workers) < self.pool.jobs:
            self.workers.append(self.pool.start_worker())

    def dispatch(self) -> None:
        """Give queued requests to idle workers."""
        for worker in self.workers:
            if worker.ready and worker.task is None and self.todo:
                index = self.todo.popleft()
                request = self.requests[index]
                timeout = clip_timeout(request.text, self.ledger.config.voice(request.voice))
                worker.start_task(index, request.text, timeout, request.voice)

    def wait(self) -> None:
        """Handle one reply, or the workers whose time has run out."""
        now = time.monotonic()
        waiting = [w for w in self.workers if not w.ready or w.task is not None]
        nearest = min((w.deadline for w in waiting), default=now + 1.0)
        try:
            worker, kind, detail = self.pool.replies.get(timeout=max(nearest - now, 0.001))
        except queue.Empty:
            for worker in waiting:
                if worker.deadline <= time.monotonic():
                    doing = "finish" if worker.ready else "start"
                    self.replace(worker, f"the engine did not {doing} in time", kill=True)
            return
        if worker in self.workers:
            self.handle(worker, kind, detail)

    def handle(self, worker: Worker, kind: str, detail: object) -> None:
        if kind == "ready":
            worker.ready = True
            return
        if kind == "error" and isinstance(detail, AudioEditionError):
            raise detail  # the engine cannot be built at all (missing library, bad voice)
        if kind == "lost":
            self.replace(worker, f"the engine process died (exit code {worker.exit_code()})")
            return
        index, worker.task = worker.task, None
        if index is None:
            return
        if kind != "ok" or not isinstance(detail, Audio):
            self.retry(index, str(detail))
        elif (clip := self.ledger.accept(self.requests[index], detail)) is not None:
            self.done[index] = clip
        else:
            self.todo.appendleft(index)  # rejected: once more, first in line

    def replace(self, worker: Worker, problem: str, kill: bool = False) -> None:
        """Swap a dead or hung worker for a new one; its clip is retried."""
        worker.stop(kill=kill)
        if not worker.ready:
            self.workers.remove(worker)
            raise SynthesisError(f"the speech engine could not start: {problem}")
        self.workers[self.workers.index(worker)] = self.pool.start_worker()
        if worker.task is not None:
            self.retry(worker.task, problem)

    def retry(self, index: int, problem: str) -> None:
        """Tell the ledger of a failed attempt, then try the clip once more, first in line."""
        self.ledger.reject(self.requests[index], problem)
        self.todo.appendleft(index)


def synthesize(
    requests: Iterable[ClipRequest],
    config: SynthesisConfig,
    cache: ClipCache | None = None,
    stats: SynthesisStats | None = None,
    jobs: int = 1,
) -> Generator[Clip, None, None]:
    """Every request's verified clip, in order, from `jobs` worker processes started for
    this call alone."""
    with LocalPool(jobs) as pool:
        yield from pool.synthesize(list(requests), ClipLedger(config, cache, stats))


def clip_timeout(text: str, config: SynthesisConfig) -> float:
    """How long speaking `text` in the voice `config` may take before the engine counts as
    hung."""
    return config.base_timeout_seconds + expected_seconds(text, config.settings.rate)
