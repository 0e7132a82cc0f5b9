"""The pyttsx3 engine: markup its drivers would interpret is defused into plain text."""

from __future__ import annotations

import pytest

from audio_edition.engines.pyttsx3 import plain_text_for


@pytest.mark.parametrize(
    ("driver", "text", "spoken"),
    [
        ("espeak", "<speak>a &amp; b</speak>", "<speak>a &amp; b</speak>"),
        ("sapi5", "<break/>", " less than break/ greater than "),
        ("nsss", "[[slnc 9000]] hi", "[ [slnc 9000] ] hi"),
    ],
)
def test_markup_is_defused_per_driver(driver, text, spoken):
    assert plain_text_for(driver, text) == spoken
