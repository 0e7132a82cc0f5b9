"""eSpeak NG through its library, libespeak-ng, every clip spoken from the same state.

libespeak-ng keeps state from one utterance to the next in a process: the index into its
table of pitch flutter (a static variable of AdvanceParameters() in wavegen.c) moves on every
64 samples and is never reset. So the same text spoken twice in one process gave two sample
streams (their lengths up to ~200 samples apart), and a clip depended on what its worker had
said before. A voice variant with no flutter gives the same samples every time in one
process, which is how the state was found. The library exports no data to reset it through;
espeak_Terminate() then espeak_Initialize() hangs or gives yet another stream; and a fixed
text spoken before each clip does not bring the index back (bench/espeak_state.py).

So the process that loads the library initializes it (synchronous output: eSpeak NG's own
audio thread stays idle), sets the voice and rate, and never speaks: each clip is spoken in a
child forked from it, which starts from that same state, sends its samples back through a
pipe and ends. A clip's samples are then those of an `espeak-ng` command run for it alone. The
fork costs 5-11 ms of CPU a clip more than speaking in one process, less than an `espeak-ng`
process a clip (bench/RESULTS.md, "eSpeak NG state").
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import itertools
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from audio_edition.engines.base import Audio, Voice
from audio_edition.errors import MissingDependencyError, SynthesisError

_LIBRARY = "libespeak-ng.so.1"
_SYNCHRONOUS = 2  # AUDIO_OUTPUT_SYNCHRONOUS: espeak_Synth returns when the text is spoken
_UTF8_WITH_END_PAUSE = 1 | 0x1000  # espeakCHARS_UTF8 | espeakENDPAUSE; never SSML or phonemes
_RATE, _VOLUME = 1, 2  # espeak_PARAMETER
_FULL_VOLUME = 100
_GENDERS = (None, "male", "female")
_PR_SET_PDEATHSIG = 1
_Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Voice(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),  # a priority byte, then the language, then more pairs
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


def _missing(error: object) -> str:
    """What to tell a user whose eSpeak NG cannot be loaded."""
    return f"cannot load eSpeak NG ({error}); install it: sudo apt-get install espeak-ng"


def _load() -> ctypes.CDLL:
    try:
        return ctypes.CDLL(_LIBRARY)
    except OSError as error:
        found = ctypes.util.find_library("espeak-ng")  # another name, on another system
        if found is None:
            raise MissingDependencyError(_missing(error)) from None
    try:
        return ctypes.CDLL(found)
    except OSError as error:
        raise MissingDependencyError(_missing(error)) from None


def version() -> str:
    """The library's version, e.g. "1.51"."""
    dll = _load()
    dll.espeak_Info.restype = ctypes.c_char_p
    return str(dll.espeak_Info(None).decode())


class Library:
    """libespeak-ng in this process: initialized once, set to a voice and rate, never
    speaking here (see the module's notes)."""

    def __init__(self) -> None:
        self._dll = _load()
        if self._dll.espeak_Initialize(_SYNCHRONOUS, 0, None, 0) <= 0:
            raise MissingDependencyError(_missing("its data cannot be read"))
        self._dll.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
        self._dll.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self._dll.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint,
                                           ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                                           ctypes.c_void_p, ctypes.c_void_p]  # fmt: skip
        self._chunks: list[bytes] = []
        self._callback = _Callback(self._collect)  # kept: the library holds only a pointer
        self._dll.espeak_SetSynthCallback(self._callback)
        self._settings: tuple[str | None, int] | None = None
        self._die_with_parent = _death_signal_setter()
        self._lock = threading.Lock()  # engines of several voices may share a process

    def _collect(self, samples: Any, count: int, events: Any) -> int:
        if count > 0:
            self._chunks.append(ctypes.string_at(samples, count * 2))
        return 0

    def voices(self) -> list[Voice]:
        """Every installed voice, as pyttsx3 lists them (ids in lower case, the first
        language of each)."""
        listed = self._dll.espeak_ListVoices(None)
        found = []
        for index in itertools.count():
            if not listed[index]:
                break
            voice = listed[index].contents
            language = (voice.languages or b"")[1:].decode("utf-8", "replace")
            found.append(Voice(
                id=voice.identifier.decode("utf-8", "replace").lower(),
                name=voice.name.decode("utf-8", "replace"),
                languages=(language,) if language else (),
                gender=_GENDERS[voice.gender] if voice.gender < len(_GENDERS) else None,
            ))  # fmt: skip
        return found

    def use(self, voice: str | None, rate: int) -> None:
        """Speak with `voice` (None: the library's default) at `rate` words a minute (setting
        them changes no state that later speech depends on: measured)."""
        with self._lock:
            self._use(voice, rate)

    def _use(self, voice: str | None, rate: int) -> None:
        if self._settings == (voice, rate):
            return
        name = (voice or "en").encode("utf-8")
        if self._dll.espeak_SetVoiceByName(name) != 0:
            raise SynthesisError(f"eSpeak NG has no voice {voice!r}")
        self._dll.espeak_SetParameter(_RATE, rate, 0)
        self._dll.espeak_SetParameter(_VOLUME, _FULL_VOLUME, 0)
        self._settings = (voice, rate)

    def sample_rate(self) -> int:
        """The rate the current voice speaks at (MBROLA voices differ from 22,050 Hz)."""
        get_rate = getattr(self._dll, "espeak_ng_GetSampleRate", None)
        return int(get_rate()) if get_rate is not None else 22_050

    def speak(self, text: str, voice: str | None, rate: int) -> Audio:
        """`text` spoken with `voice` at `rate`, by a child of this process."""
        with self._lock:
            self._use(voice, rate)
            work = functools.partial(self._synthesize, text)
            return Audio(_in_child(work, self._die_with_parent), self.sample_rate())

    def _synthesize(self, text: str) -> bytes:
        """The samples of `text`, spoken in this process (which moves its state on)."""
        self._chunks.clear()
        data = text.encode("utf-8", "replace") + b"\0"
        if self._dll.espeak_Synth(data, len(data), 0, 1, 0, _UTF8_WITH_END_PAUSE, None, None):
            raise SynthesisError("eSpeak NG refused the text")
        self._dll.espeak_Synchronize()
        return b"".join(self._chunks)


@functools.cache
def library() -> Library:
    """This process's libespeak-ng (it can be initialized only once in a process)."""
    return Library()


def _death_signal_setter() -> Callable[[], None]:
    """What a child calls to be killed when its parent dies (Linux), so that a worker killed
    for a hung clip leaves no child behind."""
    prctl = getattr(ctypes.CDLL(None), "prctl", None) if sys.platform == "linux" else None
    if prctl is None:
        return lambda: None
    return lambda: prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _in_child(work: Callable[[], bytes], die_with_parent: Callable[[], None]) -> bytes:
    """What `work()` returns, computed in a child forked from this process: the child starts
    from this process's state and leaves it as it was."""
    read_end, write_end = os.pipe()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError as error:  # out of processes or memory
        os.close(read_end)
        os.close(write_end)
        raise SynthesisError(f"cannot start a process to speak with eSpeak NG: {error}") from None
    if pid == 0:  # the child: it must end here, whatever happens, never return to the caller
        status = 1
        try:
            os.close(read_end)
            die_with_parent()
            if os.getppid() == parent:
                with os.fdopen(write_end, "wb") as out:
                    out.write(work())
                status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as replies:
            data = replies.read()
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        _, status = os.waitpid(pid, 0)
    if status != 0:
        raise SynthesisError(f"eSpeak NG failed on the text ({_ended(status)})")
    return data


def _ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
