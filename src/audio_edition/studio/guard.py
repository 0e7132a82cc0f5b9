"""What every request to the studio must pass, before any route sees it.

- Host: on a loopback address, only the loopback names (a page of another site that a DNS
  rebinding points at 127.0.0.1 sends its own name, and is refused).
- Token: when the studio has one (any non-loopback --host), each request carries it, as
  ``Authorization: Bearer T``, ``?token=T`` (the page's first load; a strict same-site cookie
  then carries it, for the audio element and the read-along page too) or that cookie.
- A request that changes something (not GET or HEAD) needs the header ``X-Audio-Edition: 1``,
  which a form of another site cannot send (and a script of another site cannot without
  CORS, which the studio never allows), and an Origin, if any, of the studio itself.
"""

from __future__ import annotations

import hmac
import json
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_HEADER = "x-audio-edition"
COOKIE = "audio_edition_token"
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})
_SAFE_METHODS = frozenset({"GET", "HEAD"})


class Guard:
    """The checks above, as ASGI middleware."""

    def __init__(self, app: ASGIApp, token: str | None, loopback: bool) -> None:
        self.app, self.token, self.loopback = app, token, loopback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await _refuse(send, *refusal)
            return
        query_token = _query_token(scope)
        if self.token is not None and query_token is not None:
            send = _with_cookie(send, self.token)
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        """The status and message a request is refused with; None when it passes."""
        host = headers.get("host", "")
        if self.loopback and _host_name(host) not in LOOPBACK_NAMES:
            return 421, f"this studio answers only at 127.0.0.1 or localhost, not {host!r}"
        if self.token is not None and not _carries(scope, headers, self.token):
            return 401, "this studio needs its token: open the address it printed, with ?token="
        if scope["method"] not in _SAFE_METHODS:
            if headers.get(CSRF_HEADER) != "1":
                return 403, f"a request that changes something needs the header {CSRF_HEADER}: 1"
            origin = headers.get("origin")
            if origin is not None and urlsplit(origin).netloc != host:
                return 403, f"requests from {origin!r} are refused: only the studio's own page"
        return None


def _host_name(host: str) -> str:
    """The Host header without its port ("[::1]:8000" gives "[::1]")."""
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.split(":", 1)[0]


def _query_token(scope: Scope) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
    return values[0] if values else None


def _carries(scope: Scope, headers: dict[str, str], token: str) -> bool:
    """Whether the request carries `token`: in its Authorization, its query or its cookie."""
    given = []
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        given.append(value.strip())
    given.append(_query_token(scope) or "")
    cookie: SimpleCookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # a malformed cookie carries no token
        cookie.clear()
    if COOKIE in cookie:
        given.append(cookie[COOKIE].value)
    return any(hmac.compare_digest(value.encode(), token.encode()) for value in given if value)


def _with_cookie(send: Send, token: str) -> Send:
    """`send`, with the token's cookie set on the response."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
            message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
        await send(message)

    return sending


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode("utf-8")
    headers: list[Any] = [(b"content-type", b"application/json"),
                          (b"content-length", str(len(body)).encode())]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
