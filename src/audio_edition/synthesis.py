"""Speak every clip in worker processes, verify it, retry once, and hand clips back in order.

Engines live in worker processes (audio_edition.worker) so that one bad call cannot retarget
another, a crash or hang is caught (the worker is killed and replaced), and nothing an engine
prints reaches the user's stdout. Workers are plain subprocesses, so scripts that call
narrate() need no ``if __name__ == "__main__"`` guard. Several workers speak at once while the
caller assembles and encodes; clips come back in document order, and at most a small window
of them waits in memory.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import pickle
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import IO

import numpy as np

from .cache import ClipCache, ClipKey
from .document import Document, count_words
from .engines import Audio, VoiceSettings
from .errors import AudioEditionError, SynthesisError
from .worker import receive_message, send_message

log = logging.getLogger(__name__)

START_TIMEOUT_SECONDS = 60.0
BASE_TIMEOUT_SECONDS = 15.0
_WINDOW_PER_WORKER = 4
_MIN_LENGTH_FACTOR = 0.3
_MAX_LENGTH_FACTOR = 4.0
_LENGTH_SLACK_SECONDS = 3.0
_AUDIBLE_PEAK = 0.01  # -40 dBFS: a clip quieter than this holds no speech


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
    """Voice and rate."""
    jobs: int = 1
    """How many worker processes speak at once."""
    base_timeout_seconds: float = BASE_TIMEOUT_SECONDS
    """A clip may take this plus its expected length before its worker counts as hung."""


@dataclass
class SynthesisStats:
    """How the clips of a run were obtained."""

    synthesized: int = 0
    """Clips the engine spoke in this run."""
    cached: int = 0
    """Clips taken from the cache."""


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
    return count_words(text) * 60.0 / rate_wpm


def check_clip(text: str, audio: Audio, rate_wpm: int) -> str | None:
    """Why this clip is not plausible speech of `text`, or None when it is."""
    if not audio.samples:
        return "the engine returned no audio"
    samples = np.frombuffer(audio.samples, dtype="<i2")
    if np.abs(samples.astype(np.int32)).max(initial=0) < _AUDIBLE_PEAK * 32768:
        return "the engine returned silence"
    expected = expected_seconds(text, rate_wpm)
    low = _MIN_LENGTH_FACTOR * expected - 0.2
    # symbols are spoken too ("* * *", "&"): the upper bound counts every token
    tokens = max(count_words(text), len(text.split()))
    high = _MAX_LENGTH_FACTOR * tokens * 60.0 / rate_wpm + _LENGTH_SLACK_SECONDS
    if not low <= audio.seconds <= high:
        return (
            f"the clip lasts {audio.seconds:.2f} s where {count_words(text)} words "
            f"at {rate_wpm} wpm take about {expected:.2f} s"
        )
    return None


Reply = tuple["_Worker", str, object]


class _Worker:
    """One worker process; a thread forwards its replies, tagged with it, to a shared queue."""

    def __init__(self, config: SynthesisConfig, replies: queue.Queue[Reply]) -> None:
        self.ready = False
        self.deadline = time.monotonic() + START_TIMEOUT_SECONDS
        self.task: int | None = None
        self._process = subprocess.Popen(
            [sys.executable, "-m", "audio_edition.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._requests = self._process.stdin
        try:
            threading.Thread(
                target=self._forward, args=(self._process.stdout, replies), daemon=True
            ).start()
            self._send((config.engine, config.settings))
        except BaseException:  # interrupted while starting: leave no process behind
            self._process.kill()
            self._process.wait()
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


class _Run:
    """The state of one synthesis run: workers, pending work, finished clips."""

    def __init__(
        self,
        requests: list[ClipRequest],
        config: SynthesisConfig,
        cache: ClipCache | None,
        stats: SynthesisStats,
    ) -> None:
        self.requests = requests
        self.config = config
        self.cache = cache
        self.stats = stats
        self.replies: queue.Queue[Reply] = queue.Queue()
        self.workers: list[_Worker] = []
        self.todo: collections.deque[int] = collections.deque()
        self.done: dict[int, Clip] = {}
        self.failures: collections.Counter[int] = collections.Counter()
        self.next_lookup = 0

    def key(self, index: int) -> ClipKey:
        settings = self.config.settings
        return ClipKey(
            text=self.requests[index].text,
            engine=self.config.engine,
            engine_version=self.config.engine_version,
            voice=settings.voice,
            rate=settings.rate,
        )

    def look_ahead(self, next_out: int) -> None:
        """Take the next requests in the window from the cache, or queue them for a worker."""
        window = _WINDOW_PER_WORKER * self.config.jobs
        while self.next_lookup < min(len(self.requests), next_out + window):
            index = self.next_lookup
            cached = self.cache.get(self.key(index)) if self.cache is not None else None
            if cached is not None:
                self.done[index] = Clip(self.requests[index], cached)
                self.stats.cached += 1
            else:
                self.todo.append(index)
            self.next_lookup += 1
        # one at a time, so that close() stops every worker started, even when interrupted
        while self.todo and len(self.workers) < self.config.jobs:
            self.workers.append(_Worker(self.config, self.replies))

    def dispatch(self) -> None:
        """Give queued requests to idle workers."""
        for worker in self.workers:
            if worker.ready and worker.task is None and self.todo:
                index = self.todo.popleft()
                text = self.requests[index].text
                timeout = self.config.base_timeout_seconds + expected_seconds(
                    text, self.config.settings.rate
                )
                worker.start_task(index, text, timeout)

    def wait(self) -> None:
        """Handle one reply, or the workers whose time has run out."""
        now = time.monotonic()
        waiting = [w for w in self.workers if not w.ready or w.task is not None]
        nearest = min((w.deadline for w in waiting), default=now + 1.0)
        try:
            worker, kind, detail = self.replies.get(timeout=max(nearest - now, 0.001))
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
            problem = check_clip(self.requests[index].text, detail, self.config.settings.rate)
            if problem is None:
                self.done[index] = Clip(self.requests[index], detail)
                self.stats.synthesized += 1
                if self.cache is not None:
                    self.cache.put(self.key(index), detail)
                return
        else:
            problem = str(detail)
        self.retry(index, problem)

    def replace(self, worker: _Worker, problem: str, kill: bool = False) -> None:
        """Swap a dead or hung worker for a new one; its clip is retried."""
        worker.stop(kill=kill)
        if not worker.ready:
            raise SynthesisError(f"the speech engine could not start: {problem}")
        self.workers[self.workers.index(worker)] = _Worker(self.config, self.replies)
        if worker.task is not None:
            self.retry(worker.task, problem)

    def retry(self, index: int, problem: str) -> None:
        """Try a failed clip once more (first in line); a second failure ends the run."""
        request = self.requests[index]
        self.failures[index] += 1
        if self.failures[index] > 1:
            raise SynthesisError(
                f"paragraph {request.paragraph + 1} ({_opening(request.text)}) "
                f"could not be spoken: {problem}"
            )
        log.warning("retrying paragraph %d: %s", request.paragraph + 1, problem)
        self.todo.appendleft(index)

    def close(self) -> None:
        for worker in self.workers:
            worker.stop(kill=worker.task is not None)


def synthesize(
    requests: Iterable[ClipRequest],
    config: SynthesisConfig,
    cache: ClipCache | None = None,
    stats: SynthesisStats | None = None,
) -> Generator[Clip, None, None]:
    """Every request's verified clip, in order; a clip that fails twice stops the run."""
    run = _Run(list(requests), config, cache, stats if stats is not None else SynthesisStats())
    try:
        for next_out in range(len(run.requests)):
            run.look_ahead(next_out)
            while next_out not in run.done:
                run.dispatch()
                run.wait()
                run.look_ahead(next_out)
            yield run.done.pop(next_out)
    finally:
        run.close()


def _opening(text: str, words: int = 6) -> str:
    head = text.split()
    return '"' + " ".join(head[:words]) + ('..."' if len(head) > words else '"')
