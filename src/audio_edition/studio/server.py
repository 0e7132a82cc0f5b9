"""Running the studio on uvicorn: on a socket bound here (a port in use is one line, and port
0 picks a free one), in this thread (the command) or in another (tests, scripts)."""

from __future__ import annotations

import ipaddress
import secrets
import socket
import threading
import time

import uvicorn
from starlette.applications import Starlette

from audio_edition.errors import UsageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
START_TIMEOUT_SECONDS = 30.0
"""How long start() waits for the server to listen."""
SHUTDOWN_SECONDS = 5
"""How long a stopping server waits for its open requests (an events stream) to end."""


def is_loopback(host: str) -> bool:
    """Whether `host` is a loopback address or "localhost": only this machine can reach it."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """A token no one can guess."""
    return secrets.token_urlsafe(24)


def bind(host: str, port: int) -> socket.socket:
    """A socket listening on host:port; a UsageError in one line when it cannot."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, not {port}")
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except OSError as error:
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    sock = socket.socket(info[0], socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return sock


def address(sock: socket.socket, host: str, token: str | None) -> str:
    """The studio's URL (with its token, which the page then keeps in a cookie)."""
    port = sock.getsockname()[1]
    name = f"[{host}]" if ":" in host else host
    return f"http://{name}:{port}/" + (f"?token={token}" if token else "")


class Server:
    """The app served on a bound socket."""

    def __init__(self, app: Starlette, sock: socket.socket) -> None:
        self.sock = sock
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                                timeout_graceful_shutdown=SHUTDOWN_SECONDS)  # fmt: skip
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        """Serve until interrupted (Ctrl-C, SIGTERM)."""
        self.server.run(sockets=[self.sock])

    def start(self) -> None:
        """Serve in another thread; return once it listens."""
        self._thread = threading.Thread(target=self.run, name="studio-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the studio's server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop serving (and the jobs), and wait for it."""
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join()
        self.sock.close()
