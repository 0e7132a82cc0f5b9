"""Web addresses, for every language: URLs become their host with its port (a bare domain needs a
common top-level domain, ``example.com``), read as the language says a host (one that leaves it
to the engine drops "www." and the port); e-mail addresses are read where the language has words
for them and otherwise left for the engine.

Where the language has words for a path, a short plain one is read after the host, as a narrator
reads it (``example.com/getting-started`` "example dot com slash getting dash started"): a path
of at most `MAX_SPOKEN_PATH` characters, of letters, digits, ``-``, ``_``, ``.`` and ``/`` only,
in a URL with no query, fragment or user name. A longer or query-laden address, which no
listener could note down, is its host alone."""

from __future__ import annotations

import re
from collections.abc import Callable

from audio_edition.text.normalize.common import HAS_WORD

_BARE_DOMAIN_ENDINGS = "com|org|net|edu|gov|mil|io|dev|app|info|biz|uk|de|fr|eu"
_URL_CHARS = r"[\w\-.~:/?#\[\]@!$&'()*+,;=%]"  # what RFC 3986 allows, and letters
_URL = re.compile(r"(?<![\w@/.])(?:(?:https?|ftp)://|www\.(?=\w))" + _URL_CHARS + "*", re.I)
_URL_SCHEME = re.compile(r"^(?:https?|ftp)://", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)")
_DOMAIN = re.compile(
    r"(?<![\w@./-])((?:[\w-]+\.)+(?:"
    + _BARE_DOMAIN_ENDINGS
    + r"))(?:/"
    + _URL_CHARS
    + r"*)?(?![\w-])"
)
_DOMAIN_GATE = re.compile(r"\.(?:" + _BARE_DOMAIN_ENDINGS + r")\b")
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)*")
_TRAILING_PUNCTUATION = ".,;:!?'\")]}"
_PLAIN_PATH = re.compile(r"(?:/[\w.-]+)+/?", re.ASCII)
_AUTHORITY = re.compile(r"[\w.-]+(?::[0-9]+)?")

MAX_SPOKEN_PATH = 30
"""Characters of a URL's path read aloud; a longer path is left out (the host alone is said)."""

SayHost = Callable[[str | None], str]
"""A host ("www.example.com", "localhost:8080", or None where a URL has none) as a language says
it."""
SayEmail = Callable[[str, str], str]
"""An e-mail address (its user name and its domain) as a language says it."""
SayPath = Callable[[str], str]
"""A short plain path ("/getting-started") as a language says it."""


def host(url: str) -> str | None:
    """ "https://www.example.com:8080/a?b" -> "www.example.com:8080" (with its port, if any);
    None without a usable host."""
    rest = _URL_SCHEME.sub("", url)
    name = re.split(r"[/?#]", rest, maxsplit=1)[0].rpartition("@")[2].lower()
    name, colon, port = name.partition(":")
    name = name.rstrip(".")
    if not _HOST.fullmatch(name) or not HAS_WORD.search(name):
        return None
    return f"{name}:{port}" if colon and port.isdigit() else name


def spoken_path(url: str) -> str | None:
    """ "https://example.com/a-b/" -> "/a-b"; None when the path is empty, long or not plain, or
    the URL has a query, a fragment or a user name."""
    authority, slash, path = _URL_SCHEME.sub("", url).partition("/")
    path = (slash + path).rstrip("/")
    if not path or len(path) > MAX_SPOKEN_PATH or not _AUTHORITY.fullmatch(authority):
        return None
    return path if _PLAIN_PATH.fullmatch(path) else None


def web_step(
    say_host: SayHost, say_email: SayEmail | None, say_path: SayPath | None = None
) -> Callable[[str], str]:
    """A step reading URLs and bare domains as `say_host` says their host, with a short plain
    path as `say_path` says it (None: the host alone), and e-mail addresses as `say_email` says
    them (None: left for the engine)."""

    def site(match: re.Match[str]) -> str:
        core = match.group().rstrip(_TRAILING_PUNCTUATION)
        name = host(core)
        said = say_host(name)
        path = spoken_path(core) if say_path is not None and name else None
        if path is not None and say_path is not None:
            said += " " + say_path(path)
        return f" {said}{match.group()[len(core) :]}"

    def read_web(text: str) -> str:
        if "://" in text or "www." in text.lower():
            text = _URL.sub(site, text)
        if say_email is not None and "@" in text:
            text = _EMAIL.sub(lambda m: f" {say_email(m.group(1), m.group(2))}", text)
        if _DOMAIN_GATE.search(text):
            text = _DOMAIN.sub(site, text)
        return text

    return read_web


def host_as_written(name: str | None) -> str:
    """A host left for the engine to read, without "www." and its port (nothing without a
    host)."""
    return (name or "").partition(":")[0].removeprefix("www.")
