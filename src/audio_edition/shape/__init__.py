"""Shaping clips into one timeline: levels, pauses, room tone, and exact times."""
