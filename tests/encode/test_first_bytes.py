"""A stream's first bytes are out as soon as its first samples are in: the encoders do not
wait for more input (ffmpeg probes a pipe's input before encoding any, unless told not to)."""

from __future__ import annotations

import threading

import pytest

from audio_edition.encode import mp3
from audio_edition.encode.formats import FORMATS_BY_EXTENSION
from audio_edition.encode.segmented import FIRST_SEGMENT_FRAMES, mp3_codec, open_encoder
from audio_edition.shape.assemble import RoomTone

RATE = 44_100
WAIT_SECONDS = 30.0
"""How long the first bytes may take to come out on a busy machine (they take well under a
second); without the fix they never come while the input stays open."""


def first_samples() -> bytes:
    """What the assembler writes before the first clip is spoken: the head's room tone, as
    much as the first MP3 segment takes (its frames and the post-roll after them)."""
    frames = FIRST_SEGMENT_FRAMES + mp3_codec().post_roll_frames
    return RoomTone().samples(frames * mp3.FRAME_SAMPLES).astype("<i2").tobytes()


@pytest.mark.parametrize("extension", [".mp3", ".flac", ".wav", ".opus"])
def test_a_stream_starts_before_its_input_ends(extension):
    arrived = threading.Event()
    received: list[bytes] = []

    def sink(data: bytes) -> None:
        received.append(data)
        arrived.set()

    encoder = open_encoder(None, FORMATS_BY_EXTENSION[extension], RATE, 2, listen=sink)
    try:
        encoder.write(first_samples())
        assert arrived.wait(WAIT_SECONDS), "no encoded bytes while the input is open"
    finally:
        encoder.abort()
        encoder.close()
    if extension == ".mp3":  # the first segment's frames, as one piece
        assert len(mp3.split_frames(received[0])[0]) == FIRST_SEGMENT_FRAMES
