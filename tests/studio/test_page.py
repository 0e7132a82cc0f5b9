"""The studio's page in real headless Chromium: open a document, narrate it, watch the
progress reach done and the audio play; what a document says is shown as text, never run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.studio.conftest import JOB_SECONDS, Client, serving
from tests.tools import headless_chromium

HOSTILE_TITLE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    with headless_chromium("1100,900", JOB_SECONDS) as driver:
        yield driver


@pytest.fixture
def page(browser: Any, folder: Path, tmp_path: Path) -> Iterator[tuple[Any, Client]]:
    """The studio's page open in the browser, its documents listed."""
    (folder / "hostile.md").write_text(f"---\ntitle: '{HOSTILE_TITLE}'\n---\n\nA plain line.\n",
                                       encoding="utf-8")  # fmt: skip
    for client in serving(folder, tmp_path / "cache"):
        browser.get(f"http://127.0.0.1:{client.port}/")
        wait_for(browser, "return document.querySelectorAll('#documents button').length === 2")
        yield browser, client


def wait_for(driver: Any, condition: str) -> None:
    """Wait (up to JOB_SECONDS) until the script `condition` returns true."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, JOB_SECONDS, 0.05).until(lambda d: d.execute_script(condition))


def open_document(driver: Any, document_id: str) -> None:
    driver.execute_script(
        "document.querySelector(`#documents button[data-id='${arguments[0]}']`).click()",
        document_id,
    )
    wait_for(driver, "return !document.getElementById('main').hidden && "
             "document.querySelectorAll('.sentence').length > 0")  # fmt: skip


def test_narrate_in_the_page_progress_reaches_done_and_the_audio_plays(page) -> None:
    driver, _ = page
    open_document(driver, "story.md")
    assert driver.find_element("id", "title").text == "The Lighthouse"
    spoken = driver.find_element("css selector", "#s1-0 .spoken").text
    assert "one hundred and twenty" in spoken
    driver.find_element("id", "narrate").click()
    wait_for(driver, "return document.getElementById('progress').value === 1 && "
             "document.getElementById('status').textContent.startsWith('done')")  # fmt: skip
    assert "4 synthesized, 0 from the cache" in driver.find_element("id", "status").text
    wait_for(driver, "const a = document.getElementById('player'); "
             "return a.readyState >= 2 && !a.paused && a.currentTime > 0")  # fmt: skip
    start = driver.execute_script("return document.getElementById('player').currentTime")
    wait_for(driver, f"return document.getElementById('player').currentTime > {start} + 0.3")


def test_a_sentence_clicked_opens_its_editor(page) -> None:
    driver, _ = page
    open_document(driver, "story.md")
    driver.find_element("id", "s1-1").click()
    assert not driver.find_element("id", "editor").get_attribute("hidden")
    assert driver.find_element("id", "edit-written").text == "Dr. Smith waved from the shore."
    assert driver.find_element("id", "edit-spoken").get_attribute("value") == (
        "Doctor Smith waved from the shore.")  # fmt: skip


def test_a_hostile_title_is_shown_as_text_and_never_run(page) -> None:
    driver, _ = page
    open_document(driver, "hostile.md")
    assert driver.find_element("id", "title").text == HOSTILE_TITLE
    assert driver.execute_script("return document.querySelectorAll('#main script, #main img')"
                                 ".length") == 0  # fmt: skip
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        _ = driver.switch_to.alert.text


def test_publish_in_the_page_links_a_feed_that_parses(page) -> None:
    import feedparser

    driver, client = page
    driver.find_element("id", "publish-url").send_keys("https://example.org/show/")
    driver.find_element("id", "publish-title").send_keys("The Show")
    driver.find_element("css selector", "#publish button[type=submit]").click()
    wait_for(driver, "return document.getElementById('feed-link') !== null")
    link = driver.find_element("id", "feed-link")
    assert link.text == "Feed (2 episodes)"
    path = link.get_attribute("href").removeprefix(f"http://127.0.0.1:{client.port}")
    parsed = feedparser.parse(client.get(path).body)
    assert not parsed.bozo and parsed.feed.title == "The Show" and len(parsed.entries) == 2


def test_the_chooser_starts_on_the_default_voice_named_as_such(
    browser: Any, folder: Path, tmp_path: Path
) -> None:
    for client in serving(folder, tmp_path / "cache", voice="fake:"):
        browser.get(f"http://127.0.0.1:{client.port}/")
        wait_for(browser, "return document.querySelectorAll('#documents button').length === 1")
        assert browser.execute_script("return document.getElementById('voice').value") == "fake:"
        open_document(browser, "story.md")
        assert browser.find_element("id", "byline").text.endswith("voice fake (default voice)")


@pytest.mark.e2e
def test_a_missing_sentence_stands_out_after_proof_listening_and_opens_its_editor(
    browser: Any, folder: Path, tmp_path: Path
) -> None:
    from tests.studio.test_proof import CAN_LISTEN, PARAGRAPHS, narrate_without

    if not CAN_LISTEN:
        pytest.skip("needs eSpeak NG and the proof extra")
    (folder / "review.txt").write_text("\n\n".join(PARAGRAPHS), encoding="utf-8")
    for client in serving(folder, tmp_path / "cache", voice="pyttsx3:"):
        browser.get(f"http://127.0.0.1:{client.port}/")
        wait_for(browser, "return document.querySelectorAll('#documents button').length === 2")
        open_document(browser, "review.txt")
        browser.find_element("id", "narrate").click()
        wait_for(browser, "return !document.getElementById('proof').disabled")
        narrate_without(1, folder / "output" / "review.mp3", tmp_path)
        browser.find_element("id", "proof").click()
        wait_for(browser, "return document.querySelectorAll('.sentence.flagged').length > 0")
        flagged = browser.execute_script(
            "return [...document.querySelectorAll('.sentence.flagged')].map((s) => s.id)"
        )
        assert flagged and all(sid.startswith("s1-") for sid in flagged), flagged
        browser.find_element("id", flagged[0]).click()
        assert browser.find_element("id", "edit-proof-status").text == "missing"
