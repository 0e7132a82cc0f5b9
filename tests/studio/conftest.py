"""A real studio server on a free port of 127.0.0.1, in a thread of the test's process, over
a folder of the test's, speaking with the fake engine; and a client that sends requests
exactly as written (no path cleaned up)."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from audio_edition.studio.app import Settings, create_app
from audio_edition.studio.folder import Folder
from audio_edition.studio.server import Server, bind

STORY = """# The Lighthouse

The keeper climbed 120 steps. Dr. Smith waved from the shore.

It was 5 p.m. on the 3rd of May, and the lamp was lit.
"""
JOB_SECONDS = 120
"""A narration of a few sentences with the fake engine takes well under a second; a loaded
machine gets this long."""


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        assert self.headers.get("content-type", "").startswith("application/json"), self
        return json.loads(self.body)


@dataclass
class Client:
    """Requests to the studio at `port`."""

    port: int
    token: str | None = None

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None
                = None, guarded: bool = True) -> Reply:  # fmt: skip
        """`path` sent as written; JSON `body` (bytes as they are); the header a state
        changing request needs unless not `guarded`."""
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if guarded and method not in ("GET", "HEAD"):
            sent.setdefault("X-Audio-Edition", "1")
        if self.token is not None:
            sent.setdefault("Authorization", f"Bearer {self.token}")
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=JOB_SECONDS)
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()},
                         response.read())  # fmt: skip
        finally:
            connection.close()

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)

    def narrate(self, document: str, **body: Any) -> dict[str, Any]:
        """Narrate and wait for the job to finish; its last state."""
        reply = self.request("POST", f"/api/documents/{document}/narrations", body)
        assert reply.status == 202, reply
        return self.wait(reply.json()["job"])

    def wait(self, job: str) -> dict[str, Any]:
        deadline = time.monotonic() + JOB_SECONDS
        while time.monotonic() < deadline:
            state = self.get(f"/api/jobs/{job}").json()
            if state["state"] in ("done", "failed"):
                return state
            time.sleep(0.05)
        raise AssertionError(f"job {job} did not finish in {JOB_SECONDS} s")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The folder served: one story in it."""
    root = tmp_path / "folder"
    root.mkdir()
    (root / "story.md").write_text(STORY, encoding="utf-8")
    return root


def serving(
    folder: Path, cache: Path, token: str | None = None, voice: str | None = "fake:fake"
) -> Iterator[Client]:
    """A studio on a free port, stopped after."""
    sock = bind("127.0.0.1", 0)
    settings = Settings(Folder.at(folder), token, True, voice, cache)
    server = Server(create_app(settings), sock)
    server.start()
    try:
        yield Client(sock.getsockname()[1], token)
    finally:
        server.stop()


@pytest.fixture
def studio(folder: Path, tmp_path: Path) -> Iterator[Client]:
    yield from serving(folder, tmp_path / "cache")
