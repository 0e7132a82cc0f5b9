"""Make docs/read-along.png, the README's picture of the read-along page.

    .venv/bin/python docs/screenshot.py

Narrates a short Markdown piece with eSpeak NG into a page, opens it in headless Chromium
(Debian's chromium and chromium-driver), seeks into the second chapter and saves the window.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from audio_edition import narrate

PIECE = """# The Quiet Harbour

A short read-along piece. Every sentence is highlighted as it is spoken.

## Morning

The fishermen left at dawn. The sea was calm, and the gulls followed them out past the
lighthouse. Nobody spoke until the nets were down.

## Evening

They came home at six. The catch was good, and the harbour lights were on.
"""
PICTURE = Path(__file__).resolve().parent / "read-along.png"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "harbour.md"
        source.write_text(PIECE, encoding="utf-8")
        edition = narrate(source, Path(folder) / "harbour.html", voice="en-us",
                          author="A. Sailor", use_cache=False)  # fmt: skip
        target = edition.timed_paragraphs[3].sentences[1]  # "The sea was calm, ..."
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--window-size=900,700", "--hide-scrollbars"):  # fmt: skip
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        try:
            driver.get(edition.path.as_uri())
            seek = "document.getElementById('audio').currentTime = arguments[0] / 1000;"
            driver.execute_script(seek, target.start_ms + 500)
            time.sleep(1.0)
            driver.save_screenshot(str(PICTURE))
        finally:
            driver.quit()
    print(f"wrote {PICTURE}")


if __name__ == "__main__":
    main()
