"""Shaping clips into one timeline: levels, pauses, room tone, and exact times."""

OUTPUT_SAMPLE_RATE = 44_100
"""Samples per second of every output: clips are resampled to it, mono 16-bit."""
