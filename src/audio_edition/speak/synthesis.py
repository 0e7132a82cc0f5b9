"""Speak every clip in worker processes, verify it, retry once, and hand clips back in order.

Engines live in worker processes (audio_edition.speak.worker) so that one bad call cannot retarget
another, a crash or hang is caught (the worker is killed and replaced), and nothing an engine
prints reaches the user's stdout. Workers are plain subprocesses, so scripts that call
narrate() need no ``if __name__ == "__main__"`` guard. Several workers speak at once while the
caller assembles and encodes; clips come back in document order, and at most a small window
of them waits in memory.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import logging
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
from dataclasses import dataclass
from typing import IO, Protocol

import numpy as np

from audio_edition.document import Document, script_counts, spoken_words
from audio_edition.engines import Audio, VoiceSettings
from audio_edition.errors import AudioEditionError, OptionError, SynthesisError, excerpt
from audio_edition.speak.cache import ClipCache, ClipKey
from audio_edition.speak.worker import receive_message, send_message

log = logging.getLogger(__name__)

START_TIMEOUT_SECONDS = 60.0
BASE_TIMEOUT_SECONDS = 15.0
_WINDOW_PER_WORKER = 4
_LENGTH_SLACK_SECONDS = 3.0
_AUDIBLE_PEAK = 0.01  # -40 dBFS: a clip quieter than this holds no speech
LETTERS_PER_WORD = 5
"""The fewest letters said in a word's time, for the longest a clip may last: eSpeak NG spells
an unpronounceable run of consonants at 0.21-0.24 s a letter at 160 wpm, 1.6-1.8 letters a
word's time, and the upper bound's factor of 4 covers that."""
LENGTH_FACTORS = (0.3, 4.0)
"""A clip may last this many times its expected length (see check_clip)."""


@dataclass(frozen=True)
class ClipRequest:
    """One piece of text to speak, and where it sits in the document."""

    paragraph: int
    """Index of its paragraph."""
    sentence: int
    """Index of its sentence within the paragraph."""
    part: int
    """Index of this part within the sentence."""
    text: str
    """What to say (the part as normalized for speech)."""


@dataclass(frozen=True)
class Clip:
    """A verified clip of speech for one request."""

    request: ClipRequest
    """What was spoken."""
    audio: Audio
    """The engine's audio, unchanged."""


@dataclass(frozen=True)
class SynthesisConfig:
    """How to run synthesis."""

    engine: str
    """Registered engine name."""
    engine_version: str
    """The engine's version, part of every cache key."""
    settings: VoiceSettings
    """Voice and rate (the thread budget is set by whoever runs the engine)."""
    base_timeout_seconds: float = BASE_TIMEOUT_SECONDS
    """A clip may take this plus its expected length before its worker counts as hung."""


@dataclass
class SynthesisStats:
    """How the clips of a run were obtained."""

    synthesized: int = 0
    """Clips the engine spoke in this run."""
    cached: int = 0
    """Clips taken from the cache."""


class Synthesizer(Protocol):
    """Clip requests in, verified clips out in document order through a bounded window, the
    cache consulted before any clip is made and filled with what is made. LocalPool speaks on
    this machine; audio_edition.many.cluster speaks on a Dask cluster."""

    def synthesize(
        self,
        requests: Sequence[ClipRequest],
        config: SynthesisConfig,
        cache: ClipCache | None = None,
        stats: SynthesisStats | None = None,
    ) -> Generator[Clip, None, None]:
        """Every request's verified clip, in order; one that fails twice raises."""
        ...

    def close(self) -> None:
        """Let go of every worker."""
        ...


def clip_requests(document: Document) -> list[ClipRequest]:
    """Every clip the document needs, in reading order."""
    return [
        ClipRequest(paragraph.index, s_index, p_index, part.spoken)
        for paragraph in document.paragraphs
        for s_index, sentence in enumerate(paragraph.sentences)
        for p_index, part in enumerate(sentence.parts)
    ]


def expected_seconds(text: str, rate_wpm: int) -> float:
    """How long `text` should take at `rate_wpm` words per minute."""
    return spoken_words(text) * 60.0 / rate_wpm


def check_clip(text: str, audio: Audio, rate_wpm: int) -> str | None:
    """Why this clip is not plausible speech of `text`, or None when it is: it must hold sound,
    and last between LENGTH_FACTORS times its expected length (less 0.2 s, plus 3 s)."""
    if not audio.samples:
        return "the engine returned no audio"
    samples = np.frombuffer(audio.samples, dtype="<i2")
    if np.abs(samples.astype(np.int32)).max(initial=0) < _AUDIBLE_PEAK * 32768:
        return "the engine returned silence"
    expected = expected_seconds(text, rate_wpm)
    low = LENGTH_FACTORS[0] * expected - 0.2
    # symbols are spoken too ("* * *", "&"), and a long word may be spelled letter by letter
    letters = sum(character.isalnum() for character in text)
    tokens = max(spoken_words(text), len(text.split()), letters / LETTERS_PER_WORD)
    high = LENGTH_FACTORS[1] * tokens * 60.0 / rate_wpm + _LENGTH_SLACK_SECONDS
    if not low <= audio.seconds <= high:
        return (
            f"the clip lasts {audio.seconds:.2f} s where {_amount(text)} "
            f"at {rate_wpm} wpm take about {expected:.2f} s"
        )
    return None


def _amount(text: str) -> str:
    """How much there is to say: "6 words", "63 characters", "2 words and 63 characters"."""
    words, syllables, letters = script_counts(text)
    characters = syllables + letters
    parts = [f"{words} words"] if words or not characters else []
    return " and ".join([*parts, f"{characters} characters"] if characters else parts)


Reply = tuple["_Worker", str, object]


class _Worker:
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
            self._send((config.engine, dataclasses.replace(config.settings, threads=threads)))
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

    def start_task(self, index: int, text: str, timeout: float) -> None:
        """Ask for `text` to be spoken; the reply comes through the shared queue."""
        self.task = index
        self.deadline = time.monotonic() + timeout
        self._send(text)

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
    starts them once), and started again only when the engine or voice changes."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = check_worker_count(jobs if jobs is not None else os.cpu_count() or 1, "jobs")
        self.threads = max(1, (os.cpu_count() or 1) // self.jobs)  # each worker's share
        self.workers: list[_Worker] = []
        self.replies: queue.Queue[Reply] = queue.Queue()
        self._config: SynthesisConfig | None = None

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start_worker(self) -> _Worker:
        """A new worker for the current engine and voice."""
        assert self._config is not None
        return _Worker(self._config, self.threads, self.replies)

    def synthesize(
        self,
        requests: Sequence[ClipRequest],
        config: SynthesisConfig,
        cache: ClipCache | None = None,
        stats: SynthesisStats | None = None,
    ) -> Generator[Clip, None, None]:
        """Every request's verified clip, in order; a clip that fails twice stops the run."""
        if config != self._config:
            self.close()
            self._config = config
        run = _Run(self, list(requests), config, cache, stats or SynthesisStats())
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
        """Stop every worker."""
        for worker in self.workers:
            worker.stop(kill=worker.task is not None)
        self.workers.clear()


class _Run:
    """The state of one synthesis run: pending work and finished clips."""

    def __init__(
        self,
        pool: LocalPool,
        requests: list[ClipRequest],
        config: SynthesisConfig,
        cache: ClipCache | None,
        stats: SynthesisStats,
    ) -> None:
        self.pool = pool
        self.workers = pool.workers
        self.requests = requests
        self.config = config
        self.cache = cache
        self.stats = stats
        self.todo: collections.deque[int] = collections.deque()
        self.done: dict[int, Clip] = {}
        self.failures: collections.Counter[int] = collections.Counter()
        self.next_lookup = 0

    def look_ahead(self, next_out: int) -> None:
        """Take the next requests in the window from the cache, or queue them for a worker."""
        window = _WINDOW_PER_WORKER * self.pool.jobs
        while self.next_lookup < min(len(self.requests), next_out + window):
            index = self.next_lookup
            key = clip_key(self.requests[index], self.config)
            cached = self.cache.get(key) if self.cache is not None else None
            if cached is not None:
                self.done[index] = Clip(self.requests[index], cached)
                self.stats.cached += 1
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
                text = self.requests[index].text
                worker.start_task(index, text, clip_timeout(text, self.config))

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

    def handle(self, worker: _Worker, kind: str, detail: object) -> None:
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
        if kind == "ok" and isinstance(detail, Audio):
            request = self.requests[index]
            problem = check_clip(request.text, detail, self.config.settings.rate)
            if problem is None:
                self.done[index] = Clip(request, detail)
                self.stats.synthesized += 1
                if self.cache is not None:
                    self.cache.put(clip_key(request, self.config), detail)
                return
        else:
            problem = str(detail)
        self.retry(index, problem)

    def replace(self, worker: _Worker, problem: str, kill: bool = False) -> None:
        """Swap a dead or hung worker for a new one; its clip is retried."""
        worker.stop(kill=kill)
        if not worker.ready:
            self.workers.remove(worker)
            raise SynthesisError(f"the speech engine could not start: {problem}")
        self.workers[self.workers.index(worker)] = self.pool.start_worker()
        if worker.task is not None:
            self.retry(worker.task, problem)

    def retry(self, index: int, problem: str) -> None:
        """Try a failed clip once more (first in line); a second failure ends the run."""
        request = self.requests[index]
        self.failures[index] += 1
        if self.failures[index] > 1:
            raise clip_failure(request, problem)
        log.warning("retrying paragraph %d: %s", request.paragraph + 1, problem)
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
        yield from pool.synthesize(list(requests), config, cache, stats)


def clip_key(request: ClipRequest, config: SynthesisConfig) -> ClipKey:
    """The cache key of a request's clip."""
    settings = config.settings
    return ClipKey(
        text=request.text,
        engine=config.engine,
        engine_version=config.engine_version,
        voice=settings.voice,
        rate=settings.rate,
    )


def clip_timeout(text: str, config: SynthesisConfig) -> float:
    """How long speaking `text` may take before the engine counts as hung."""
    return config.base_timeout_seconds + expected_seconds(text, config.settings.rate)


def clip_failure(request: ClipRequest, problem: str) -> SynthesisError:
    """The error that ends a run whose clip failed twice."""
    return SynthesisError(
        f'paragraph {request.paragraph + 1} ("{excerpt(request.text)}") '
        f"could not be spoken: {problem}"
    )
