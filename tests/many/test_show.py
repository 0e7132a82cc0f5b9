"""The checks made before publish narrates anything, in the library's words (the command
line's: tests/many/test_publish.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio_edition import OptionError, Options, OutputOptions, UsageError
from audio_edition.many.show import (
    check_base_url,
    check_category,
    check_image,
    check_site,
    episode_options,
    find_episodes,
)


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (lambda: check_base_url("ftp://example.org/"),
         "base_url must be an http:// or https:// URL, not 'ftp://example.org/'"),
        (lambda: check_category("Films"),
         "category 'Films' is not an Apple Podcasts category; use one of Arts, "),
        (lambda: check_image(Path("none.png")), "image none.png: no such file"),
        (lambda: episode_options(Options(output=OutputOptions(embed_audio=True)), "Show"),
         "publish cannot embed_audio: each episode's MP3 is its enclosure"),
    ],
)  # fmt: skip
def test_a_show_option_refused_is_called_by_its_field(tmp_path, monkeypatch, check, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OptionError) as raised:
        check()
    assert str(raised.value).startswith(message)


def test_episodes_are_narrated_under_the_show_with_their_transcripts():
    given = Options(output=OutputOptions(title="Own title", subtitles=("lrc", "vtt")))
    output = episode_options(given, "The Show").output
    assert (output.title, output.album, output.manifest) == (None, "The Show", True)
    assert output.subtitles == ("lrc", "vtt", "srt")


def test_the_site_folder_cannot_be_an_input_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "posts").mkdir()
    check_site(Path("site"), ["posts"])
    with pytest.raises(UsageError, match=r"^the site folder posts cannot be an input folder too$"):
        check_site(Path("posts"), ["posts"])


@pytest.mark.parametrize(("read_along", "refused"), [(False, False), (True, True)])
def test_no_episode_takes_the_shows_page(tmp_path, monkeypatch, read_along, refused):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "index.md").write_text("The index post.\n", encoding="utf-8")
    if not refused:
        (item,) = find_episodes(["posts"], Path("site"), read_along).items
        assert item.destination == Path("site/index.mp3")
        return
    with pytest.raises(UsageError) as raised:
        find_episodes(["posts"], Path("site"), read_along)
    assert str(raised.value) == (
        "posts/index.md would be narrated into site/index.html, the show's page; rename it"
    )
