"""The synthesis worker process: ``python -m audio_edition.speak.worker``.

It reads the engine name and voice settings of every voice of the narration (the narrator's
first), builds each voice's engine once, then answers each (voice index, text) with audio.
Messages are length-prefixed pickles over its stdin and a private copy of its stdout; the
real stdout goes to the null device, so nothing an engine prints is ever seen. Only the parent
process (audio_edition.speak.synthesis) talks to it.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from typing import IO, Any

from audio_edition.engines import Engine, load_engine
from audio_edition.errors import AudioEditionError

_LENGTH = struct.Struct("<Q")


def send_message(stream: IO[bytes], message: Any) -> None:
    """Write one message."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def receive_message(stream: IO[bytes]) -> Any:
    """Read one message; EOFError when the other side has gone."""
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        raise EOFError
    (size,) = _LENGTH.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def engine_problem(error: Exception) -> str:
    """What an engine's exception says of the clip it was speaking: its class and message."""
    return f"{type(error).__name__}: {error}"


def main() -> None:
    """Serve synthesis requests until the parent closes stdin."""
    replies = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # engines and their drivers print; the user's stdout stays clean
    requests = sys.stdin.buffer
    engines: list[Engine] = []
    try:
        for engine_name, settings in receive_message(requests):
            try:
                engines.append(load_engine(engine_name)(settings))
            except AudioEditionError as error:
                send_message(replies, ("error", error))
                return
        send_message(replies, ("ready", None))
        while True:
            try:
                voice, text = receive_message(requests)
            except EOFError:
                return
            try:
                audio = engines[voice].synthesize(text)
            except Exception as error:  # reported to the parent, which retries or fails the run
                send_message(replies, ("failed", engine_problem(error)))
            else:
                send_message(replies, ("ok", audio))
    finally:
        for engine in engines:
            engine.close()


if __name__ == "__main__":
    main()
