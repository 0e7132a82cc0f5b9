"""A folder of narrated documents as a podcast: `feed.xml` and `index.html` in the site folder.

The feed is RSS 2.0 with the iTunes and Podcasting 2.0 namespaces, written with lxml. Each
episode is one document that `batch` narrated into the site (its MP3, its WebVTT and SRT
transcripts, its manifest, and with read-along its page) plus `<stem>.chapters.json`
(JSON chapters 1.2.0) written here from its manifest.

- guid: the document's own id (front matter `id`, EPUB `dc:identifier`), else a UUID made
  from its path relative to the inputs: never from its content, so an edit keeps it.
- pubDate: the document's date (front matter `date`, EPUB `dc:date`), else when it was first
  published, remembered in `.audio-edition-feed.json` in the site folder: its file's
  modification time (at most the build time), made distinct, in order (see
  `_first_publications`).
- description: the summary (front matter `summary` or `description`, EPUB `dc:description`),
  else its first paragraph of prose (see `_first_prose`). Descriptions are HTML in RSS, so
  the text is written HTML-escaped: an app shows "<video>" as written, never as an element.
- The feed lists the documents given in this run whose files exist; one that fails this time
  keeps the episode its earlier files hold, and one removed from the inputs leaves the feed
  (its files stay).
"""

from __future__ import annotations

import datetime
import email.utils
import html
import json
import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lxml import etree

from audio_edition.clock import build_time, short_clock
from audio_edition.document import Document, count_words
from audio_edition.editions.epub3 import xml_safe
from audio_edition.errors import UsageError
from audio_edition.files import atomic_outputs
from audio_edition.many.batch import DocumentResult
from audio_edition.many.show import INDEX_FILE, TRANSCRIPTS, Channel, check_image
from audio_edition.shape.timing import path_titles

log = logging.getLogger(__name__)

FEED_FILE = "feed.xml"
FEED_STATE = ".audio-edition-feed.json"
_STATE_VERSION = 1
PROSE_MIN_WORDS = 3
"""A paragraph shorter than this is not taken for the first paragraph of prose."""

_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\]]*$")
_YEAR_OR_MONTH = re.compile(r"[0-9]{4}(?:-(?:0[1-9]|1[0-2]))?")
_ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
_PODCAST = "https://podcastindex.org/namespace/1.0"
_ATOM = "http://www.w3.org/2005/Atom"
_TRANSCRIPT_TYPES = {"vtt": "text/vtt", "srt": "application/x-subrip"}


@dataclass(frozen=True)
class Episode:
    """One narrated document, as the feed lists it."""

    guid: str
    title: str
    description: str
    published: datetime.datetime
    audio: Path
    duration_seconds: int
    transcripts: dict[str, Path]
    chapters: Path
    chapters_json: bytes
    """Its chapters in JSON chapters 1.2.0, from its manifest, to write to `chapters`."""
    page: Path | None
    """The read-along page, when one was made."""


def publish(
    results: Sequence[DocumentResult],
    site: Path,
    channel: Channel,
    state: dict[str, Any] | None = None,
) -> list[Episode]:
    """Write the feed, the index page and each episode's chapters into `site`, from what the
    batch made there; returns the episodes, newest first. `state` is what load_feed_state
    gave before the batch (read now when None)."""
    now = build_time()
    state = load_feed_state(site) if state is None else state
    first_dates = _first_publications(results, now)
    episodes = []
    for result in results:
        episode = _episode(result, site, state, first_dates.get(result.item.source, now))
        if episode is not None:
            episodes.append(episode)
    episodes.sort(key=lambda e: e.published, reverse=True)
    files: dict[Path, bytes] = {}
    for episode in episodes:
        files[episode.chapters] = episode.chapters_json
    image_url = None
    if channel.image is not None:
        _, extension = check_image(channel.image)
        cover = site / f"cover.{extension}"
        files[cover] = channel.image.read_bytes()
        image_url = channel.base_url + cover.name
    files[site / FEED_FILE] = _feed(episodes, site, channel, image_url, now)
    files[site / INDEX_FILE] = _index(episodes, site, channel).encode("utf-8")
    files[site / FEED_STATE] = json.dumps(state, indent=1, sort_keys=True).encode("utf-8")
    with atomic_outputs(list(files), force=True) as temporaries:
        for temporary, data in zip(temporaries, files.values(), strict=True):
            temporary.write_bytes(data)
    return episodes


def load_feed_state(site: Path) -> dict[str, Any]:
    """What the feed said of each episode before, by its path in the site without extension:
    {"guid", "first_published", "published", "description"}; a UsageError naming the file
    when it is not what publish writes."""
    path = site / FEED_STATE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"version": _STATE_VERSION, "episodes": {}}
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    except ValueError:  # not UTF-8, not JSON
        data = None
    episodes = data.get("episodes") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict) or data.get("version") != _STATE_VERSION
        or not isinstance(episodes, dict) or not all(map(_is_record, episodes.values()))
    ):  # fmt: skip
        raise UsageError(
            f"{path} is damaged (not what publish writes); delete it and the next "
            "publish rebuilds it without narrating anything again (episodes without a date "
            "take their files' times again)"
        )
    return data


def _is_record(record: object) -> bool:
    """Whether `record` is one episode's record as _episode writes it."""
    keys = ("guid", "first_published", "published", "description")
    return (
        isinstance(record, dict)
        and all(isinstance(record.get(key), str) for key in keys)
        and all(map(_is_moment, (record["first_published"], record["published"])))
    )


def _is_moment(text: str) -> bool:
    """Whether `text` is an ISO 8601 date and time with its offset from UTC."""
    try:
        return datetime.datetime.fromisoformat(text).tzinfo is not None
    except ValueError:
        return False


def _first_publications(
    results: Sequence[DocumentResult], now: datetime.datetime
) -> dict[Path, datetime.datetime]:
    """When each document read in this run would be first published: its file's modification
    time, at most `now` (the build time); in the order of those times (then of the paths),
    each at least a second before the next, so no two share a date."""
    latest = int(now.timestamp())
    times = []
    for result in results:
        if result.document is not None:
            try:
                mtime = int(result.item.source.stat().st_mtime)
            except OSError:
                mtime = latest
            times.append((min(mtime, latest), str(result.item.source), result.item.source))
    dates: dict[Path, datetime.datetime] = {}
    later = latest + 1
    for moment, _, source in sorted(times, reverse=True):
        later = min(moment, later - 1)
        dates[source] = datetime.datetime.fromtimestamp(later, datetime.timezone.utc)
    return dates


def _episode(
    result: DocumentResult, site: Path, state: dict[str, Any], first_date: datetime.datetime
) -> Episode | None:
    """The document's episode; for one that failed this time, the episode its files still
    hold, as the feed listed it before (none if it never was). `first_date` is when it is
    first published, unless the feed published it before."""
    destination = result.item.destination
    audio = destination.with_suffix(".mp3")
    transcripts = {kind: destination.with_suffix(f".{kind}") for kind in TRANSCRIPTS}
    key = destination.relative_to(site).with_suffix("").as_posix()
    record = state["episodes"].get(key)
    if result.document is None and record is None:
        return None
    if not all(path.is_file() for path in [audio, audio.with_suffix(".json"),
                                           *transcripts.values()]):  # fmt: skip
        log.warning("%s: its episode files are missing; left out of the feed", destination)
        return None
    if result.document is not None:
        document = result.document
        made_up = uuid.uuid5(uuid.NAMESPACE_URL, "audio-edition:" + key)
        guid = document.identifier or f"urn:uuid:{made_up}"
        first = record["first_published"] if record and record["guid"] == guid else None
        first = first or first_date.isoformat()
        published = _date(document, destination) or datetime.datetime.fromisoformat(first)
        description = document.summary or _first_prose(document)
        record = {"guid": guid, "first_published": first, "published": published.isoformat(),
                  "description": description}  # fmt: skip
        state["episodes"][key] = record
    assert record is not None
    manifest = json.loads(audio.with_suffix(".json").read_text(encoding="utf-8"))
    return Episode(
        guid=record["guid"],
        title=manifest["title"],
        description=record["description"],
        published=datetime.datetime.fromisoformat(record["published"]),
        audio=audio,
        duration_seconds=round(manifest["duration_ms"] / 1000),
        transcripts=transcripts,
        chapters=destination.with_name(destination.stem + ".chapters.json"),
        chapters_json=_chapters_json(manifest),
        page=destination if destination.suffix == ".html" else None,
    )


def _date(document: Document, destination: Path) -> datetime.datetime | None:
    """The document's own date, in UTC (a date alone is midnight UTC); None when it has none
    or it cannot be read (logged)."""
    if document.date is None:
        return None
    if _YEAR_OR_MONTH.fullmatch(document.date):  # "2020" or "2020-05": its first day
        year, _, month = document.date.partition("-")
        return datetime.datetime(int(year), int(month or 1), 1, tzinfo=datetime.timezone.utc)
    try:
        moment = datetime.datetime.fromisoformat(document.date.replace(" ", "T", 1))
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(document.date)
        except (TypeError, ValueError):
            log.warning("%s: date %s is not a date; using when it was first published",
                        destination, repr(document.date))  # fmt: skip
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc)


def _first_prose(document: Document) -> str:
    """The first paragraph of prose: not a heading, at least PROSE_MIN_WORDS words, and ending
    a sentence (. ! ? or …, maybe inside quotes or brackets); so a README's badges, "Features"
    and lists of links are passed over. Failing that, the first paragraph that is not a
    heading; failing that, the first."""
    body = [paragraph.text for paragraph in document.paragraphs if not paragraph.heading]
    prose = (text for text in body
             if _SENTENCE_END.search(text) and count_words(text) >= PROSE_MIN_WORDS)  # fmt: skip
    return next(prose, body[0] if body else document.paragraphs[0].text)


def _chapters_json(manifest: dict[str, Any]) -> bytes:
    """JSON chapters 1.2.0 (podcastindex.org) from the manifest's chapters: a flat list, as the
    format has no nesting, a nested chapter titled by its path ("Part One: Chapter 2")."""
    titles = path_titles((c["title"], c.get("parent")) for c in manifest["chapters"])
    chapters = [
        {"startTime": chapter["start_ms"] / 1000, "title": title}
        for chapter, title in zip(manifest["chapters"], titles, strict=True)
    ]
    return json.dumps({"version": "1.2.0", "chapters": chapters}, indent=1).encode("utf-8")


def url_of(path: Path, site: Path, base_url: str) -> str:
    """A site file's URL: its path under the site, percent-encoded, after the base URL."""
    return base_url + quote(path.relative_to(site).as_posix(), safe="/")


def _feed(
    episodes: Sequence[Episode],
    site: Path,
    channel: Channel,
    image_url: str | None,
    now: datetime.datetime,
) -> bytes:
    itunes, podcast = f"{{{_ITUNES}}}", f"{{{_PODCAST}}}"
    rss = etree.Element(
        "rss", version="2.0", nsmap={"itunes": _ITUNES, "podcast": _PODCAST, "atom": _ATOM}
    )
    show = etree.SubElement(rss, "channel")
    _text(show, "title", channel.title)
    _text(show, "link", channel.base_url)
    _text(show, "description", html.escape(channel.description, quote=False))
    _text(show, "language", channel.language)
    _text(show, "generator", "audio-edition")
    _text(show, "lastBuildDate", email.utils.format_datetime(now))
    etree.SubElement(show, f"{{{_ATOM}}}link", href=channel.base_url + FEED_FILE, rel="self",
                     type="application/rss+xml")  # fmt: skip
    if channel.author:
        _text(show, f"{itunes}author", channel.author)
    if image_url is not None:
        etree.SubElement(show, f"{itunes}image", href=image_url)
        image = etree.SubElement(show, "image")
        _text(image, "url", image_url)
        _text(image, "title", channel.title)
        _text(image, "link", channel.base_url)
    top, _, sub = (part.strip() for part in channel.category.partition("/"))
    category = etree.SubElement(show, f"{itunes}category", text=top)
    if sub:
        etree.SubElement(category, f"{itunes}category", text=sub)
    _text(show, f"{itunes}explicit", "true" if channel.explicit else "false")
    for episode in episodes:
        item = etree.SubElement(show, "item")
        _text(item, "title", episode.title)
        _text(item, "description", html.escape(episode.description, quote=False))
        if episode.page is not None:
            _text(item, "link", url_of(episode.page, site, channel.base_url))
        _text(item, "guid", episode.guid).set("isPermaLink", "false")
        _text(item, "pubDate", email.utils.format_datetime(episode.published))
        etree.SubElement(item, "enclosure", url=url_of(episode.audio, site, channel.base_url),
                         length=str(episode.audio.stat().st_size), type="audio/mpeg")  # fmt: skip
        _text(item, f"{itunes}duration", str(episode.duration_seconds))
        for kind, path in episode.transcripts.items():
            etree.SubElement(item, f"{podcast}transcript", url=url_of(path, site, channel.base_url),
                             type=_TRANSCRIPT_TYPES[kind], language=channel.language)  # fmt: skip
        etree.SubElement(item, f"{podcast}chapters",
                         url=url_of(episode.chapters, site, channel.base_url),
                         type="application/json+chapters")  # fmt: skip
    return bytes(etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _text(parent: etree._Element, tag: str, text: str) -> etree._Element:
    """A child element holding `text`, without the characters XML cannot hold."""
    element = etree.SubElement(parent, tag)
    element.text = xml_safe(text)
    return element


def _index(episodes: Sequence[Episode], site: Path, channel: Channel) -> str:
    """The site's front page: the show, its feed, and each episode with a player."""
    esc = html.escape
    items = []
    for episode in episodes:
        links = []
        if episode.page is not None:
            links.append(f'<a href="{esc(url_of(episode.page, site, ""))}">Read along</a>')
        transcript = url_of(episode.transcripts["vtt"], site, "")
        links.append(f'<a href="{esc(transcript)}">Transcript</a>')
        items.append(
            "<article>"
            f"<h2>{esc(episode.title)}</h2>"
            f'<p class="date"><time datetime="{episode.published.isoformat()}">'
            f"{episode.published:%d %B %Y}</time> · {short_clock(episode.duration_seconds)}</p>"
            f"<p>{esc(episode.description)}</p>"
            f'<audio controls preload="none" src="{esc(url_of(episode.audio, site, ""))}"></audio>'
            f'<p class="links">{" · ".join(links)}</p>'
            "</article>"
        )
    return f"""<!DOCTYPE html>
<html lang="{esc(channel.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(channel.title)}</title>
<link rel="alternate" type="application/rss+xml" title="{esc(channel.title)}" href="{FEED_FILE}">
<style>
body {{ font: 1.0625rem/1.5 system-ui, sans-serif; max-width: 42rem; margin: 0 auto;
  padding: 1rem; color-scheme: light dark; }}
article {{ border-top: 1px solid GrayText; padding: 0.5rem 0 1rem; }}
audio {{ width: 100%; }}
.date {{ color: GrayText; margin: 0; }}
</style>
</head>
<body>
<h1>{esc(channel.title)}</h1>
<p>{esc(channel.description)}</p>
<p>Subscribe in a podcast app: <a href="{FEED_FILE}">{esc(channel.base_url + FEED_FILE)}</a></p>
{chr(10).join(items)}
</body>
</html>
"""
