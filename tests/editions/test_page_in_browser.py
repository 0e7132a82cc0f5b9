"""The read-along page in real headless Chromium: the highlight follows the playhead (paused,
playing, after a seek), clicks, keys and chapter buttons seek, the page stands alone (embedded
audio, no external resources) and shows the text as written."""

from __future__ import annotations

import bisect
import dataclasses
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from audio_edition import narrate
from audio_edition.editions.page import page_html, sentence_id
from tests.tools import headless_chromium

SOURCE = """\
---
title: The Lighthouse
author: Ada Keeper
---

# The Keeper's Log

The lamp was lit at dusk. The keeper wound the clock. Then he sat down to write.

He wrote about the ships. There were three of them that week.

## The Storm and `</script><!--`

The wind rose after midnight. A \\<b\\>bold\\</b\\> claim about `</script>` tags was made. \
Waves broke over the rocks.

The lamp held. Nobody slept. By morning the sea was calm again.

## The Calm

The gulls came back. The keeper put out the lamp and went to bed.
"""

TITLE = "The Lighthouse <Log> & Co"
LITERAL = "A <b>bold</b> claim about </script> tags was made."
TOLERANCE_MS = 5


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The narration of SOURCE with the fake engine, and its read-along page beside it."""
    folder = tmp_path_factory.mktemp("page")
    source = folder / "lighthouse.md"
    source.write_text(SOURCE, encoding="utf-8")
    edition = narrate(source, folder / "page.mp3", engine="fake", force=True, use_cache=False)
    page = page_html(
        edition.document, edition.timed_paragraphs, edition.chapters,
        title=TITLE, author="Ada Keeper", language="en", audio="page.mp3",
    )  # fmt: skip
    (folder / "page.html").write_text(page, encoding="utf-8")
    return edition


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    with headless_chromium("900,700", 15, "--allow-file-access-from-files") as driver:
        yield driver


def open_page(driver: Any, path: Path) -> None:
    """Load the page from disk and wait until its audio's length is known."""
    driver.get(path.as_uri())
    metadata = driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        const audio = document.getElementById("audio");
        const report = () => done({ready: audio.readyState, error: audio.error?.code ?? null});
        if (audio.readyState >= 1) report();
        else { audio.addEventListener("loadedmetadata", report, {once: true});
               audio.addEventListener("error", report, {once: true}); }"""
    )
    assert metadata["error"] is None and metadata["ready"] >= 1, metadata


@pytest.fixture
def page(browser, edition):
    """The page beside its MP3, loaded and paused at the start."""
    open_page(browser, edition.path.with_name("page.html"))
    return browser


# -- helpers ----------------------------------------------------------------------------------

_SNAPSHOT = """
  const audio = document.getElementById("audio");
  const current = Array.from(document.querySelectorAll('[aria-current="true"]'));
  return {ms: audio.currentTime * 1000, paused: audio.paused, rate: audio.playbackRate,
          current: current.map((e) => e.id || e.tagName)};
"""


def snapshot(driver: Any) -> dict[str, Any]:
    """The playhead (ms), whether paused, the rate, and the ids of all aria-current elements."""
    return driver.execute_script(_SNAPSHOT)


def settled(driver: Any) -> dict[str, Any]:
    """The snapshot once any seek has finished (and its events have been handled)."""
    return driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        const audio = document.getElementById("audio");
        const snap = () => setTimeout(() => done(new Function(arguments[0])()), 0);
        if (audio.seeking) audio.addEventListener("seeked", snap, {once: true}); else snap();""",
        _SNAPSHOT,
    )


def seek(driver: Any, ms: float) -> dict[str, Any]:
    """Set the playhead from outside the page, as the player's own controls do, and settle."""
    driver.execute_script("document.getElementById('audio').currentTime = arguments[0];", ms / 1000)
    return settled(driver)


def sentences(edition) -> list[tuple[str, int]]:
    """Every sentence's id and start, in document order."""
    return [
        (sentence_id(p.index, number), s.start_ms)
        for p in edition.timed_paragraphs
        for number, s in enumerate(p.sentences)
    ]


def expected_at(edition, ms: float) -> str:
    """The sentence under the playhead by the timeline: the last whose start is <= ms (the
    first before any start), at whole milliseconds as the page counts them."""
    timeline = sentences(edition)
    starts = [start for _, start in timeline]
    return timeline[max(bisect.bisect_right(starts, round(ms)) - 1, 0)][0]


def start_of(edition, sid: str) -> int:
    return dict(sentences(edition))[sid]


def press(driver: Any, *keys: str) -> None:
    """Send keys to whatever has focus, as a user would."""
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(*keys).perform()


def press_shift_tab(driver: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()


def focused(driver: Any) -> str:
    """The focused element, as its id, else tag and text."""
    return driver.execute_script(
        "const e = document.activeElement;"
        "return e.id || (e.tagName + ':' + e.textContent.trim()).slice(0, 60);"
    )


# -- the highlight follows the playhead -------------------------------------------------------


def test_one_sentence_is_current_at_every_playhead_position(page, edition):
    timed = [s for p in edition.timed_paragraphs for s in p.sentences]
    first, middle, last = timed[0], timed[len(timed) // 2], timed[-1]
    after = timed[len(timed) // 2 + 1]
    assert middle.end_ms + 100 < after.start_ms  # there is a pause to land in
    positions = {
        "at zero": 0,
        "before the first start": first.start_ms / 2,
        "exactly at the first start": first.start_ms,
        "inside a sentence": (middle.start_ms + middle.end_ms) / 2,
        "in the pause after it": middle.end_ms + 100,
        "a millisecond before the next start": after.start_ms - 1,
        "exactly at the next start": after.start_ms,
        "inside the last sentence": (last.start_ms + last.end_ms) / 2,
        "after the last sentence ends": edition.duration_seconds * 1000 - 20,
        "back to a sentence before": (timed[1].start_ms + timed[1].end_ms) / 2,
    }
    seen = set()
    for label, ms in positions.items():
        state = seek(page, ms)
        expected = expected_at(edition, ms)
        assert state["current"] == [expected], label
        assert state["paused"], label
        seen.add(expected)
    assert len(seen) >= 5  # the positions really do pick different sentences


_PLAY_AND_SAMPLE = """
  const [from, length, done] = arguments;
  const audio = document.getElementById("audio");
  const snap = () => ({ms: audio.currentTime * 1000, paused: audio.paused,
    current: Array.from(document.querySelectorAll('[aria-current="true"]'), (e) => e.id)});
  const samples = [];
  audio.addEventListener("seeked", () => {
    audio.play();
    const timer = setInterval(() => samples.push(snap()), 5);
    setTimeout(() => {
      clearInterval(timer);
      audio.addEventListener("pause", () => setTimeout(() => done([samples, snap()]), 0),
                             {once: true});
      audio.pause();
    }, length);
  }, {once: true});
  audio.currentTime = from / 1000;
"""


def test_the_highlight_follows_while_playing(page, edition):
    """Sampled in the page every 5 ms, the highlight keeps up within a few animation frames
    (timeupdate alone would lag up to 250 ms), and after a pause it is exact."""
    timeline = sentences(edition)
    target, target_start = timeline[4]
    samples, final = page.execute_async_script(_PLAY_AND_SAMPLE, target_start - 400, 1200)
    playing = [s for s in samples if not s["paused"]]
    assert len(playing) > 100, samples
    for state in playing:
        allowed = {expected_at(edition, state["ms"]), expected_at(edition, state["ms"] - 40)}
        assert len(state["current"]) == 1 and state["current"][0] in allowed, state
    assert playing[0]["current"] == [timeline[3][0]]
    assert playing[-1]["ms"] > target_start + 500  # it crossed into the target while playing
    assert any(s["current"] == [target] and s["ms"] < target_start + 40 for s in playing)
    assert final["paused"] and final["ms"] > target_start + 500
    assert final["current"] == [expected_at(edition, final["ms"])]


def test_a_seek_exactly_to_a_start_highlights_that_sentence(page, edition):
    """Starts whose seconds do not round-trip through a float (16275 / 1000 * 1000 <
    16275), on a page with made-up times over the same audio."""
    bad = [ms for ms in range(1000, 40_000) if ms / 1000 * 1000 < ms]
    count = sum(len(p.sentences) for p in edition.timed_paragraphs)
    starts = iter(bad[:: len(bad) // count][:count])
    timed = [
        dataclasses.replace(
            p, sentences=tuple(dataclasses.replace(s, start_ms=next(starts)) for s in p.sentences)
        )
        for p in edition.timed_paragraphs
    ]
    page_path = edition.path.with_name("made-up.html")
    page_path.write_text(
        page_html(
            edition.document, timed, edition.chapters,
            title=TITLE, author=None, language="en", audio="page.mp3",
        ),
        encoding="utf-8",
    )  # fmt: skip
    open_page(page, page_path)
    for paragraph in timed:
        for number, sentence in enumerate(paragraph.sentences):
            state = seek(page, sentence.start_ms)
            assert state["current"] == [sentence_id(paragraph.index, number)], sentence.start_ms
    open_page(page, edition.path.with_name("page.html"))  # and the real starts too
    for sid, start in sentences(edition):
        assert seek(page, start)["current"] == [sid]


def test_the_current_sentence_is_scrolled_into_view_while_playing_only(page, edition):
    page.set_window_size(600, 360)
    try:
        page.execute_script("window.scrollTo(0, 0);")
        last, last_start = sentences(edition)[-1]
        in_view = (
            "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
            "return r.top >= 0 && r.bottom <= window.innerHeight;"
        )
        assert not page.execute_script(in_view, last)
        seek(page, last_start + 10)  # paused: the page stays where the reader left it
        assert page.execute_script("return window.scrollY;") == 0
        page.execute_script("document.getElementById('audio').currentTime -= 0.2;")
        settled(page)
        page.execute_script("document.getElementById('audio').play();")
        page.execute_script("return new Promise((ok) => setTimeout(ok, 600));")
        page.execute_script("document.getElementById('audio').pause();")
        assert settled(page)["current"] == [last]
        assert page.execute_script(in_view, last)
    finally:
        page.set_window_size(900, 700)


# -- clicks, keys and chapters seek -----------------------------------------------------------


def test_a_click_on_a_sentence_seeks_to_its_start(page, edition):
    from selenium.webdriver.common.by import By

    timeline = sentences(edition)
    for sid, start in (timeline[5], timeline[3], timeline[0], timeline[-1]):
        element = page.find_element(By.ID, sid)
        assert int(element.get_attribute("data-start")) == start
        element.click()
        state = settled(page)
        assert abs(state["ms"] - start) <= TOLERANCE_MS, sid
        assert state["current"] == [sid]
        assert state["paused"]  # a seek keeps a paused player paused
    page.execute_script("document.getElementById('audio').play();")
    sid, start = timeline[2]
    page.find_element(By.ID, sid).click()
    state = snapshot(page)
    page.execute_script("document.getElementById('audio').pause();")
    assert not state["paused"]  # and a playing one playing
    assert start - TOLERANCE_MS <= state["ms"] < start + 300
    assert state["current"] == [sid]


def test_the_keyboard_moves_between_sentences_and_seeks(page, edition):
    from selenium.webdriver.common.keys import Keys

    order = [sid for sid, _ in sentences(edition)]
    tab_stops = (
        "return Array.from(document.querySelectorAll('.sentence[tabindex=\"0\"]'), e => e.id);"
    )
    seek(page, 0)
    page.execute_script("document.querySelector('[aria-current=\"true\"]').focus();")
    assert focused(page) == order[0]
    press(page, Keys.ARROW_DOWN)
    assert focused(page) == order[1]
    assert page.execute_script(tab_stops) == [order[1]]  # roving: the focused one is the stop
    assert settled(page)["current"] == [order[0]]  # moving focus alone does not seek
    press(page, Keys.ENTER)
    state = settled(page)
    assert abs(state["ms"] - start_of(edition, order[1])) <= TOLERANCE_MS
    assert state["current"] == [order[1]] and state["paused"]
    press(page, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_LEFT)
    assert focused(page) == order[2]
    scrolled = page.execute_script("return window.scrollY;")
    press(page, Keys.SPACE)
    state = settled(page)
    assert abs(state["ms"] - start_of(edition, order[2])) <= TOLERANCE_MS
    assert state["current"] == [order[2]]
    assert page.execute_script("return window.scrollY;") == scrolled  # Space did not scroll
    press(page, Keys.END)
    assert focused(page) == order[-1]
    press(page, Keys.ARROW_DOWN)
    assert focused(page) == order[-1]  # no wrapping
    press(page, Keys.HOME, Keys.ARROW_UP)
    assert focused(page) == order[0]
    press(page, Keys.ARROW_RIGHT, Keys.ENTER)
    assert settled(page)["current"] == [order[1]]


def test_the_text_is_one_tab_stop_among_the_controls(page, edition):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.select import Select

    order = [sid for sid, _ in sentences(edition)]
    chapter_stops = [f"BUTTON:{c.title}" for c in edition.chapters]
    seek(page, start_of(edition, order[6]) + 10)  # the Tab stop follows the playhead
    page.execute_script("document.activeElement.blur(); window.focus();")
    stops: list[str] = []
    for _ in range(30):
        press(page, Keys.TAB)
        stop = focused(page)
        if not stops or stops[-1] != stop:
            stops.append(stop)
        if stop in order:
            break
    assert stops[0] == "audio"  # the player's own controls come first
    assert stops[1:] == ["speed", *chapter_stops, order[6]], stops
    press_shift_tab(page)
    assert focused(page) == chapter_stops[-1]
    press(page, Keys.TAB)
    assert focused(page) == order[6]
    press(page, Keys.TAB)
    assert focused(page) not in order  # one Tab leaves the text, however long it is
    press_shift_tab(page)
    press(page, Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    assert focused(page) == order[8]
    press_shift_tab(page)
    assert focused(page) == chapter_stops[-1]
    press(page, Keys.TAB)
    assert focused(page) == order[6]  # back in the text, Tab lands where the narration is

    speed = page.find_element(By.ID, "speed")
    assert speed.get_attribute("value") == "1" and snapshot(page)["rate"] == 1
    assert [o.get_attribute("value") for o in Select(speed).options] == [
        "0.75", "1", "1.25", "1.5", "2",
    ]  # fmt: skip
    for value in ("1.5", "0.75", "2"):
        Select(speed).select_by_value(value)
        assert snapshot(page)["rate"] == float(value)


def test_a_chapter_button_seeks_to_the_chapter(page, edition):
    from selenium.webdriver.common.by import By

    nav = page.find_element(By.CSS_SELECTOR, 'nav[aria-label="Chapters"]')
    buttons = nav.find_elements(By.TAG_NAME, "button")
    assert [b.text for b in buttons] == [c.title for c in edition.chapters]
    assert len(buttons) == len(edition.chapters) >= 3
    for index in reversed(range(len(buttons))):
        chapter = edition.chapters[index]
        page.execute_script("window.scrollTo(0, 0);")  # the list is at the top, under the player
        buttons[index].click()
        state = settled(page)
        assert abs(state["ms"] - chapter.start_ms) <= TOLERANCE_MS, chapter.title
        assert state["current"] == [expected_at(edition, chapter.start_ms)]
        assert state["paused"]
    assert state["current"] == [sentences(edition)[0][0]]  # the first chapter starts at 0


# -- the page stands alone --------------------------------------------------------------------


def test_the_embedded_page_plays_with_no_file_beside_it(browser, edition, tmp_path):
    page = page_html(
        edition.document, edition.timed_paragraphs, edition.chapters,
        title=TITLE, author=None, language="en", audio=edition.path.read_bytes(),
    )  # fmt: skip
    assert 'src="data:audio/mpeg;base64,' in page
    (tmp_path / "shared.html").write_text(page, encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["shared.html"]
    open_page(browser, tmp_path / "shared.html")
    duration = browser.execute_script("return document.getElementById('audio').duration;")
    assert duration == pytest.approx(edition.duration_seconds, abs=0.05)
    for sid, start in sentences(edition)[3::4]:
        assert seek(browser, start + 30)["current"] == [sid]


def test_a_relative_audio_name_is_quoted(browser, edition, tmp_path):
    name = "Le phare #1 (100%).mp3"
    shutil.copy(edition.path, tmp_path / name)
    page = page_html(
        edition.document, edition.timed_paragraphs, edition.chapters,
        title=TITLE, author=None, language="fr", audio=name,
    )  # fmt: skip
    assert 'src="Le%20phare%20%231%20%28100%25%29.mp3"' in page
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    open_page(browser, tmp_path / "page.html")
    duration = browser.execute_script("return document.getElementById('audio').duration;")
    assert duration == pytest.approx(edition.duration_seconds, abs=0.05)


class _Links(HTMLParser):
    """Every tag and every attribute that could load something."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[tuple[str, str, str]] = []
        self.ids: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "poster", "action", "data", "xlink:href"):
                self.urls.append((tag, name, value or ""))
            if name == "id":
                self.ids.append(value or "")
        self._in = tag if tag in ("script", "style") else None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in = None


def test_the_page_loads_nothing_but_its_audio(edition):
    embedded = page_html(
        edition.document, edition.timed_paragraphs, edition.chapters,
        title=TITLE, author=None, language="en", audio=edition.path.read_bytes(),
    )  # fmt: skip
    beside = edition.path.with_name("page.html").read_text(encoding="utf-8")
    for markup, audio in ((beside, "page.mp3"), (embedded, "data:audio/mpeg;base64,")):
        parser = _Links()
        parser.feed(markup)
        assert [u for tag, name, u in parser.urls if (tag, name) == ("audio", "src")] != []
        for tag, name, url in parser.urls:
            if (tag, name) == ("audio", "src"):
                assert url.startswith(audio)
            else:
                assert url.startswith("#"), (tag, name, url)
        assert not {"link", "img", "iframe", "object", "embed", "source", "track", "base"} & {
            *parser.tags
        }
        for style in parser.styles:
            assert "url(" not in style and "@import" not in style
        for script in parser.scripts:
            assert not any(word in script for word in ("fetch(", "XMLHttpRequest", "import("))
        assert "aria-live" not in markup
        assert len(parser.ids) == len(set(parser.ids))  # ids are unique


def test_the_page_is_html5_and_shows_the_text_as_written(page, edition):
    from selenium.webdriver.common.by import By

    markup = edition.path.with_name("page.html").read_text(encoding="utf-8")
    assert markup.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in markup
    assert page.title == TITLE
    assert page.find_element(By.TAG_NAME, "h1").text == TITLE
    assert page.find_element(By.CLASS_NAME, "author").text == "Ada Keeper"
    audio = page.find_element(By.ID, "audio")
    assert audio.get_attribute("controls") is not None
    assert audio.get_attribute("preload") == "auto"
    # the title, the author, then one block per paragraph, headings one level under the
    # title by their own level (# an h2, ## an h3), sentences in order with their starts
    blocks = page.find_elements(By.CSS_SELECTOR, "main > *")
    assert [b.tag_name for b in blocks[:2]] == ["h1", "p"]
    assert blocks[1].get_attribute("class") == "author"
    blocks = blocks[2:]
    assert len(blocks) == len(edition.timed_paragraphs)
    headings = {"The Storm and </script><!--": "h3", "The Calm": "h3"}
    for block, paragraph in zip(blocks, edition.timed_paragraphs, strict=True):
        assert block.tag_name == (headings.get(paragraph.text, "h2") if paragraph.heading else "p")
        assert block.get_attribute("textContent") == paragraph.text
        spans = block.find_elements(By.CSS_SELECTOR, "span.sentence")
        assert [(s.get_attribute("id"), int(s.get_attribute("data-start"))) for s in spans] == [
            (sentence_id(paragraph.index, n), s.start_ms) for n, s in enumerate(paragraph.sentences)
        ]
        assert [s.get_attribute("textContent") for s in spans] == [
            s.text for s in paragraph.sentences
        ]
    # markup in the source is text on the page, and cannot end the timing data's script
    literal = [s for s in page.find_elements(By.CLASS_NAME, "sentence") if s.text == LITERAL]
    assert len(literal) == 1
    assert page.find_elements(By.CSS_SELECTOR, "main b") == []
    assert len(page.find_elements(By.TAG_NAME, "script")) == 2
    timings = page.execute_script(
        "return JSON.parse(document.getElementById('timings').textContent);"
    )
    assert [(s["id"], s["start"]) for s in timings["sentences"]] == sentences(edition)
    assert [c["title"] for c in timings["chapters"]] == [c.title for c in edition.chapters]
    assert any("</script><!--" in c.title for c in edition.chapters)
    assert page.find_element(By.XPATH, "//h3[contains(., '</script><!--')]")
    assert "</script>" not in markup.split('id="timings">')[1].split("</script>")[0]
    assert page.find_elements(By.CSS_SELECTOR, "[aria-live]") == []


def test_without_author_or_chapters_the_page_leaves_them_out(edition):
    page = page_html(
        edition.document, edition.timed_paragraphs, (),
        title="T", author=None, language="fr-CA", audio="a.mp3",
    )  # fmt: skip
    assert '<html lang="fr-CA">' in page
    assert 'class="author"' not in page and "<nav" not in page
    with pytest.raises(ValueError):
        page_html(
            edition.document, edition.timed_paragraphs[:-1], edition.chapters,
            title="T", author=None, language="en", audio="a.mp3",
        )  # fmt: skip


def test_sentence_ids():
    assert sentence_id(0, 0) == "s0-0"
    assert sentence_id(12, 3) == "s12-3"


def test_a_screenshot_of_the_page(page, edition, tmp_path):
    sid, start = sentences(edition)[5]
    assert seek(page, start + 50)["current"] == [sid]
    shot = tmp_path / "page.png"
    assert page.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000


def test_a_title_heading_is_the_pages_title_and_is_spoken_once(edition):
    """The document opens with its title as a heading: that heading, highlighted as it is
    spoken, is the page's h1, not shown a second time."""
    opening = edition.timed_paragraphs[0]
    assert opening.heading
    markup = page_html(
        edition.document, edition.timed_paragraphs, edition.chapters, title=opening.text,
        author="Ada Keeper", language="en", audio="page.mp3",
    )  # fmt: skip
    main = markup.split('<main id="text"')[1]
    assert main.count("<h1>") == 1 and markup.count("<h1>") == 1
    assert main.index('<h1><span class="sentence" id="s0-0"') < main.index('class="author"')
    assert main.count(f">{opening.text}</span>") == 1
