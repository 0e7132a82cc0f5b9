"""hibari's engine is ready to speak once it is built: its G2P's lexicons (about 0.6 s of
JSON) load in the worker's start, which overlaps the planning, rather than in the first clip."""

from __future__ import annotations

import importlib.util

import pytest

from audio_edition.engines import VoiceSettings, load_engine

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(importlib.util.find_spec("hibari") is None, reason="hibari-tts missing"),
]


def test_the_g2p_is_loaded_when_the_engine_is_built():
    engine = load_engine("hibari")(VoiceSettings(None, 160))
    try:
        assert engine._tts._g2p is not None  # hibari's lazy G2P, made already
    finally:
        engine.close()
