"""Encoding: formats, ffmpeg, parallel MP3 and AAC segments, MP4, tags, decoding."""
