"""Speak every clip in a worker process, verify it, retry once, and hand clips back in order.

The engine lives in its own process (audio_edition.worker) so that one bad call cannot
retarget another, a crash or hang is caught (the worker is killed and replaced), and nothing
the engine prints reaches the user's stdout. Workers are plain subprocesses, so scripts that
call narrate() need no ``if __name__ == "__main__"`` guard.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

import numpy as np

from .document import Document, count_words
from .engines import Audio, VoiceSettings
from .errors import AudioEditionError, SynthesisError
from .worker import receive_message, send_message

log = logging.getLogger(__name__)

_START_TIMEOUT_SECONDS = 60.0
_BASE_TIMEOUT_SECONDS = 15.0
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
    """What to say."""


@dataclass(frozen=True)
class Clip:
    """A verified clip of speech for one request."""

    request: ClipRequest
    """What was spoken."""
    audio: Audio
    """The engine's audio, unchanged."""


def clip_requests(document: Document) -> list[ClipRequest]:
    """Every clip the document needs, in reading order."""
    return [
        ClipRequest(paragraph.index, s_index, p_index, part)
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
    if np.abs(samples).max(initial=0) < _AUDIBLE_PEAK * 32768:
        return "the engine returned silence"
    expected = expected_seconds(text, rate_wpm)
    low = _MIN_LENGTH_FACTOR * expected - 0.2
    high = _MAX_LENGTH_FACTOR * expected + _LENGTH_SLACK_SECONDS
    if not low <= audio.seconds <= high:
        return (
            f"the clip lasts {audio.seconds:.2f} s where {count_words(text)} words "
            f"at {rate_wpm} wpm take about {expected:.2f} s"
        )
    return None


class _Worker:
    """One worker process (audio_edition.worker) and a thread reading its replies."""

    def __init__(self, engine_name: str, settings: VoiceSettings) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "audio_edition.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._requests = self._process.stdin
        self._replies: queue.Queue[tuple[str, object]] = queue.Queue()
        threading.Thread(target=self._read, args=(self._process.stdout,), daemon=True).start()
        self._send((engine_name, settings))
        kind, detail = self._receive(_START_TIMEOUT_SECONDS, "start")
        if kind == "ready":
            return
        self.stop()
        if isinstance(detail, AudioEditionError):
            raise detail
        raise SynthesisError(f"the speech engine could not start: {detail}")

    def _read(self, replies: IO[bytes]) -> None:
        try:
            while True:
                self._replies.put(receive_message(replies))
        except (EOFError, OSError, pickle.UnpicklingError):
            self._replies.put(("lost", None))

    def _send(self, message: object) -> bool:
        try:
            send_message(self._requests, message)
        except OSError:
            return False
        return True

    def _receive(self, timeout: float, doing: str) -> tuple[str, object]:
        try:
            kind, detail = self._replies.get(timeout=timeout)
        except queue.Empty:
            self._process.kill()
            return "lost", f"the engine did not {doing} within {timeout:.1f} s"
        if kind == "lost":
            code = self._process.wait(5)
            return "lost", f"the engine process died (exit code {code})"
        return kind, detail

    def speak(self, text: str, timeout: float) -> Audio | str:
        """The audio for `text`, or why there is none. A lost worker is stopped."""
        if not self._send(text):
            kind, detail = self._receive(5, "finish")
        else:
            kind, detail = self._receive(timeout, "finish")
        if kind == "ok" and isinstance(detail, Audio):
            return detail
        if kind == "lost":
            self.stop()
        return str(detail)

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self._requests.close()
        try:
            self._process.wait(2)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        assert self._process.stdout is not None
        self._process.stdout.close()


def synthesize(
    requests: Iterable[ClipRequest],
    engine_name: str,
    settings: VoiceSettings,
    base_timeout_seconds: float = _BASE_TIMEOUT_SECONDS,
) -> Iterator[Clip]:
    """Speak each request in order, verified; a clip that fails twice stops the run.

    A clip may take `base_timeout_seconds` plus its expected length before its worker is
    taken for hung, killed and replaced.
    """
    worker = _Worker(engine_name, settings)

    def attempt(request: ClipRequest) -> Clip | str:
        nonlocal worker
        if not worker.alive:
            worker = _Worker(engine_name, settings)
        timeout = base_timeout_seconds + expected_seconds(request.text, settings.rate)
        result = worker.speak(request.text, timeout)
        if isinstance(result, str):
            return result
        return check_clip(request.text, result, settings.rate) or Clip(request, result)

    try:
        for request in requests:
            outcome = attempt(request)
            if isinstance(outcome, str):
                log.warning("retrying paragraph %d: %s", request.paragraph + 1, outcome)
                outcome = attempt(request)
            if isinstance(outcome, str):
                raise SynthesisError(
                    f"paragraph {request.paragraph + 1} ({_opening(request.text)}) "
                    f"could not be spoken: {outcome}"
                )
            yield outcome
    finally:
        worker.stop()


def _opening(text: str, words: int = 6) -> str:
    head = text.split()
    return '"' + " ".join(head[:words]) + ('..."' if len(head) > words else '"')
