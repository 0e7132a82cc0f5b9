"""`audio-edition publish` on the command line (the feed itself: tests/many/test_publish.py)."""

from __future__ import annotations

from audio_edition.cli import main


def test_publish_language_is_written_as_bcp_47(write_text, tmp_path, monkeypatch):
    import feedparser

    write_text("a.txt", "A short episode about nothing much.")
    monkeypatch.chdir(tmp_path)
    argv = ["publish", "a.txt", "--output-dir", "site", "--base-url", "https://example.org/",
            "--language", "en_us", "--engine", "fake", "-q"]  # fmt: skip
    assert main(argv) == 0
    assert feedparser.parse(str(tmp_path / "site" / "feed.xml")).feed.language == "en-US"
