"""Web addresses, for every language: URLs become their host (a bare domain needs a common
top-level domain, ``example.com``), read as the language says a host; e-mail addresses are read
where the language has words for them and otherwise left for the engine."""

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

SayHost = Callable[[str | None], str]
"""A host ("example.com", or None where a URL has none) as a language says it."""
SayEmail = Callable[[str, str], str]
"""An e-mail address (its user name and its domain) as a language says it."""


def host(url: str) -> str | None:
    """ "https://www.example.com/a?b" -> "example.com"; None without a usable host."""
    rest = _URL_SCHEME.sub("", url)
    name = re.split(r"[/?#]", rest, maxsplit=1)[0].rpartition("@")[2]
    name = re.sub(r":[0-9]*$", "", name).lower().rstrip(".")
    name = name.removeprefix("www.")
    return name if _HOST.fullmatch(name) and HAS_WORD.search(name) else None


def web_step(say_host: SayHost, say_email: SayEmail | None) -> Callable[[str], str]:
    """A step reading URLs and bare domains as `say_host` says their host, and e-mail addresses
    as `say_email` says them (None: left for the engine)."""

    def site(match: re.Match[str]) -> str:
        core = match.group().rstrip(_TRAILING_PUNCTUATION)
        return f" {say_host(host(core))}{match.group()[len(core) :]}"

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
    """A host left for the engine to read (nothing without a host)."""
    return name or ""
