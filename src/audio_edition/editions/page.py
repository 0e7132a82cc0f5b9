"""The read-along page: one self-contained HTML file that plays the narration and shows the text
as written, the sentence being spoken highlighted.

The page works opened from disk (file://), with no network and no server: its style and script
are inline, it loads no font, framework or other file but the audio (beside it, or embedded as
a data: URL so one file can be shared; page_audio() finds it again, for `check`). Every
sentence is a ``<span class="sentence">`` with the id ``s{paragraph}-{sentence}`` (see
sentence_id()) and its start in milliseconds in ``data-start``; the times are also carried
as JSON in ``<script id="timings">``.

The sentence under the playhead (the last one whose speech has begun; the first before any
has) has ``aria-current="true"`` and is highlighted, while playing (updated every animation
frame), when paused and after a seek; while playing, it is scrolled into view when it changes.
Nothing uses aria-live, so a screen reader does not talk over the narration.

A click on a sentence plays from its start; so does a chapter's button, which also scrolls
the chapter into view. A seek keeps the playing state: paused stays paused.

Keys: the text is one Tab stop, so a long book is not thousands of them: Tab into it lands on
the sentence being spoken (a roving tabindex). There, ArrowDown or ArrowRight moves focus to
the next sentence, ArrowUp or ArrowLeft to the previous, Home and End to the first and last;
Enter or Space seeks to the focused sentence. The audio controls, the speed select and the
chapter buttons are reached with Tab.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote, unquote

from audio_edition.clock import short_clock
from audio_edition.document import MAX_HEADING_LEVEL, Document
from audio_edition.errors import InputError
from audio_edition.shape.timing import Chapter, TimedParagraph, nested

AUDIO_DATA_URL = "data:audio/mpeg;base64,"
"""How an embedded MP3's src begins."""
_AUDIO_ELEMENT = '<audio id="audio"'
"""How the page's audio element begins."""
_AUDIO_SRC = re.compile(re.escape(_AUDIO_ELEMENT) + r'[^>]*\ssrc="([^"]*)"')
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
SPEEDS = ("0.75", "1", "1.25", "1.5", "2")
"""The playback rates the speed control offers; "1" is the default."""

_STYLE = """
:root { color-scheme: light dark; --mark: #ffe27a; --mark-text: #000; }
@media (prefers-color-scheme: dark) { :root { --mark: #6b5500; --mark-text: #fff; } }
body { font: 1.125rem/1.6 system-ui, sans-serif; max-width: 42rem; margin: 0 auto;
  padding: 0 1rem 40vh; }
h1 { margin-bottom: 0; }
.author { margin-top: 0.25rem; font-style: italic; }
.player { position: sticky; top: 0; display: flex; flex-wrap: wrap; gap: 0.5rem 1rem;
  align-items: center; padding: 0.5rem 0; background: Canvas; z-index: 1; }
.player audio { flex: 1 1 18rem; }
.hint { font-size: 0.875rem; margin: 0; }
nav ol { padding-left: 1.5rem; }
nav button { font: inherit; background: none; border: 0; padding: 0.1rem 0; color: LinkText;
  text-decoration: underline; cursor: pointer; text-align: left; }
nav .time { color: GrayText; font-variant-numeric: tabular-nums; margin-left: 0.5rem; }
.sentence { cursor: pointer; border-radius: 0.2rem; scroll-margin: 5rem 0 30vh; }
.sentence[aria-current="true"] { background: var(--mark); color: var(--mark-text); }
.sentence:focus-visible { outline: 2px solid Highlight; outline-offset: 1px; }
"""

_SCRIPT = """
(() => {
  "use strict";
  const audio = document.getElementById("audio");
  const text = document.getElementById("text");
  const speed = document.getElementById("speed");
  const timings = JSON.parse(document.getElementById("timings").textContent);
  const byTime = timings.sentences.map((s) => document.getElementById(s.id));
  const starts = timings.sentences.map((s) => s.start);
  const order = Array.from(text.querySelectorAll(".sentence"));
  let current = null;
  let frame = 0;

  // the last sentence whose start is at or before ms; the first before any start
  function indexAt(ms) {
    let lo = 0, hi = starts.length - 1, found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= ms) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function setTabStop(sentence) {
    for (const s of order) { s.tabIndex = s === sentence ? 0 : -1; }
  }

  function update() {
    if (!byTime.length) return;
    const sentence = byTime[indexAt(Math.round(audio.currentTime * 1000))];
    if (sentence === current) return;
    if (current) current.removeAttribute("aria-current");
    sentence.setAttribute("aria-current", "true");
    current = sentence;
    if (!text.contains(document.activeElement)) setTabStop(sentence);
    if (!audio.paused) sentence.scrollIntoView({ block: "nearest" });
  }

  function tick() {
    update();
    frame = audio.paused ? 0 : requestAnimationFrame(tick);
  }

  function seek(ms) {
    audio.currentTime = ms / 1000;
    update();
  }

  for (const type of ["seeking", "seeked", "timeupdate", "loadedmetadata", "pause", "ended"]) {
    audio.addEventListener(type, update);
  }
  audio.addEventListener("play", () => { if (!frame) frame = requestAnimationFrame(tick); });

  text.addEventListener("click", (event) => {
    const sentence = event.target.closest(".sentence");
    if (sentence) seek(Number(sentence.dataset.start));
  });
  text.addEventListener("keydown", (event) => {
    const sentence = event.target.closest(".sentence");
    if (!sentence || event.altKey || event.ctrlKey || event.metaKey) return;
    const at = order.indexOf(sentence);
    let next = null;
    switch (event.key) {
      case "ArrowDown": case "ArrowRight": next = order[Math.min(at + 1, order.length - 1)]; break;
      case "ArrowUp": case "ArrowLeft": next = order[Math.max(at - 1, 0)]; break;
      case "Home": next = order[0]; break;
      case "End": next = order[order.length - 1]; break;
      case "Enter": case " ": seek(Number(sentence.dataset.start)); break;
      default: return;
    }
    event.preventDefault();
    if (next) next.focus();  // focusin makes it the Tab stop
  });
  text.addEventListener("focusin", (event) => {
    const sentence = event.target.closest(".sentence");
    if (sentence) setTabStop(sentence);
  });
  text.addEventListener("focusout", (event) => {
    if (!text.contains(event.relatedTarget) && current) setTabStop(current);
  });

  for (const button of document.querySelectorAll("nav [data-start]")) {
    button.addEventListener("click", () => {
      seek(Number(button.dataset.start));
      if (current) current.scrollIntoView({ block: "nearest" });
    });
  }

  function setSpeed() { audio.defaultPlaybackRate = audio.playbackRate = Number(speed.value); }
  speed.addEventListener("change", setSpeed);
  setSpeed();
  update();
})();
"""


def sentence_id(paragraph: int, sentence: int) -> str:
    """The element id of a sentence: f"s{paragraph}-{sentence}" (also used by the EPUB)."""
    return f"s{paragraph}-{sentence}"


def _script_json(data: object) -> str:
    """JSON safe inside a <script> element: no "<", ">" or "&" can end or bend it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _audio_src(audio: str | bytes) -> str:
    """The audio element's src: the relative URL quoted, or the MP3's bytes as a data: URL."""
    if isinstance(audio, bytes):
        return AUDIO_DATA_URL + base64.b64encode(audio).decode("ascii")
    return quote(audio, safe="/")


def page_html(
    document: Document,
    timed: Sequence[TimedParagraph],
    chapters: Sequence[Chapter],
    *,
    title: str,
    author: str | None,
    language: str,
    audio: str | bytes,
) -> str:
    """The read-along page of a narration, as HTML5 text to write as UTF-8.

    `timed` holds one TimedParagraph per paragraph of `document`, in order; `chapters` become
    the chapter list (omitted when there is none). `audio` is the MP3's URL relative to the
    page (quoted here), or its bytes, embedded so the page stands alone. `language` is the
    BCP 47 tag of the text.
    """
    paragraphs = document.paragraphs
    if len(timed) != len(paragraphs):
        raise ValueError(f"{len(timed)} timed paragraphs for {len(paragraphs)} paragraphs")
    esc = html.escape
    blocks, sentences = _text_blocks(document, timed, title, author)
    sentences.sort(key=lambda s: s[0])  # stable: document order where starts tie
    by_time = [{"id": sid, "start": start, "end": end} for start, end, sid in sentences]
    marks = [{"title": c.title, "start": c.start_ms, "end": c.end_ms} for c in chapters]
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        *_player(audio),
        *_chapter_list(chapters),
        '<main id="text" aria-describedby="hint">',
        *blocks,
        "</main>",
        '<script type="application/json" id="timings">'
        f"{_script_json({'sentences': by_time, 'chapters': marks})}</script>",
        f"<script>{_SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _text_blocks(
    document: Document,
    timed: Sequence[TimedParagraph],
    title: str,
    author: str | None,
) -> tuple[list[str], list[tuple[int, int, str]]]:
    """The title, the author and every paragraph as HTML elements, each sentence a span; and
    each sentence's start, end and id, in document order."""
    esc = html.escape
    paragraphs = document.paragraphs
    # a document opening with its title as a heading shows that heading as the page's title
    opening = paragraphs[0] if paragraphs[0].heading and paragraphs[0].text == title else None
    blocks = [] if opening is not None else [f"<h1>{esc(title)}</h1>"]
    tags = _heading_tags(document, opening is not None)
    sentences: list[tuple[int, int, str]] = []
    for paragraph, timing in zip(paragraphs, timed, strict=True):
        spans = []
        for number, sentence in enumerate(timing.sentences):
            sid = sentence_id(paragraph.index, number)
            stop = "-1" if sentences else "0"  # the first is the Tab stop until the script runs
            sentences.append((sentence.start_ms, sentence.end_ms, sid))
            spans.append(
                f'<span class="sentence" id="{sid}" data-start="{sentence.start_ms}"'
                f' tabindex="{stop}">{esc(sentence.text)}</span>'
            )
        tag = tags.get(paragraph.index, "p")
        blocks.append(f"<{tag}>{' '.join(spans)}</{tag}>")
    if author:
        blocks.insert(1, f'<p class="author">{esc(author)}</p>')  # under the title
    return blocks, sentences


def _heading_tags(document: Document, opening: bool) -> dict[int, str]:
    """The tag of each heading, by its paragraph's index: under the page's h1 (the title, or
    the `opening` heading), h2 for a top heading, h3 for one in it, and so on to h6; the
    opening heading's own are as deep as if it were the page's title."""
    tags: dict[int, str] = {}
    under_opening: list[bool] = []
    places = nested(section.level if section.heading else None for section in document.sections)
    for section, (level, parent) in zip(document.sections, places, strict=True):
        lifted = parent is not None and (parent == 0 or under_opening[parent]) and opening
        under_opening.append(lifted)
        if section.heading:
            depth = 1 if opening and not tags else min(level + 1 - lifted, MAX_HEADING_LEVEL)
            tags[section.paragraphs[0].index] = f"h{depth}"
    return tags


def _player(audio: str | bytes) -> list[str]:
    """The audio element, the speed control and the hint, in a bar that stays in view."""
    options = "".join(
        f'<option value="{rate}"{" selected" if rate == "1" else ""}>{rate}\u00d7</option>'
        for rate in SPEEDS
    )
    return [
        '<div class="player">',
        f'{_AUDIO_ELEMENT} controls preload="auto" src="{html.escape(_audio_src(audio))}"></audio>',
        f'<label>Speed <select id="speed">{options}</select></label>',
        '<p class="hint" id="hint">Click a sentence, or move to it with the arrow keys and'
        " press Enter, to move the playhead there.</p>",
        "</div>",
    ]


def _chapter_list(chapters: Sequence[Chapter]) -> list[str]:
    """The chapters as buttons that play from their start, nested as they are (nothing when
    there is none)."""
    if not chapters:
        return []
    entries = [
        f'<button type="button" data-start="{c.start_ms}">{html.escape(c.title)}'
        f'</button><span class="time">{short_clock(c.start_ms // 1000)}</span>'
        for c in chapters
    ]
    return ['<nav aria-label="Chapters">', nested_list(entries, [c.parent for c in chapters]),
            "</nav>"]  # fmt: skip


def nested_list(entries: Sequence[str], parents: Sequence[int | None]) -> str:
    """An ``<ol>`` of the `entries` (HTML) whose parent is None, each ``<li>`` holding the
    ``<ol>`` of those whose parent it is: `parents` gives each entry's parent's index."""
    inside: dict[int | None, list[int]] = {}
    for index, parent in enumerate(parents):
        inside.setdefault(parent, []).append(index)

    def listed(parent: int | None) -> str:
        items = (f"<li>{entries[i]}{listed(i) if i in inside else ''}</li>" for i in inside[parent])
        return "<ol>\n" + "\n".join(items) + "\n</ol>"

    return listed(None) if entries else ""


def page_audio(page: Path) -> Path | bytes:
    """What a read-along page plays: a file beside it (its src a file name, as page_html
    writes it) or the MP3 embedded as a data: URL. Any other src (a URL of any other scheme,
    a path) is refused, so that no file is read but one beside the page, and no server is
    asked for anything."""
    found = _AUDIO_SRC.search(page.read_text(encoding="utf-8", errors="replace"))
    if found is None:
        raise InputError(f"{page} is not a read-along page: it has no audio")
    src = html.unescape(found.group(1))
    if src.startswith(AUDIO_DATA_URL):
        try:
            return base64.b64decode("".join(src[len(AUDIO_DATA_URL) :].split()), validate=True)
        except binascii.Error:
            raise InputError(f"{page}: its embedded audio is not valid base64") from None
    name = unquote(src)
    if _URL_SCHEME.match(src) or name in ("", ".", "..") or any(c in name for c in "/\\\0"):
        raise InputError(f"{page}: its audio {src[:80]!r} is not a file beside the page (check "
                         f"reads only a file name beside it, or an MP3 embedded as "
                         f"{AUDIO_DATA_URL}...)")  # fmt: skip
    if not (page.parent / name).is_file():
        raise InputError(f"{page}: its audio {name} is not beside it")
    return page.parent / name
