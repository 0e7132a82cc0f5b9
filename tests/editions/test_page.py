"""A read-along page's audio found again (for `check`): the file beside it that the page
names, or the MP3 embedded in it; nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio_edition import narrate
from audio_edition.editions.page import page_audio
from audio_edition.errors import InputError


@pytest.fixture
def source(tmp_path) -> Path:
    path = tmp_path / "words.txt"
    path.write_text("A few words to hear.", encoding="utf-8")
    return path


def test_the_audio_a_page_plays_is_the_file_narrate_put_beside_it(source, tmp_path):
    narrate(source, tmp_path / "read along.html", engine="fake")
    assert page_audio(tmp_path / "read along.html") == tmp_path / "read along.mp3"


def test_the_audio_a_page_embeds_is_the_mp3_narrate_embedded(source, tmp_path):
    narrate(source, tmp_path / "words.mp3", engine="fake")
    narrate(source, tmp_path / "page.html", engine="fake", embed_audio=True)
    assert page_audio(tmp_path / "page.html") == (tmp_path / "words.mp3").read_bytes()
    assert not (tmp_path / "page.mp3").exists()


def test_a_page_whose_audio_is_elsewhere_is_refused(source, tmp_path):
    narrate(source, tmp_path / "page.html", engine="fake")
    (tmp_path / "sub").mkdir()
    moved = tmp_path / "sub" / "page.html"
    moved.write_text((tmp_path / "page.html").read_text(encoding="utf-8").replace(
        'src="page.mp3"', 'src="../page.mp3"'), encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError, match=r"its audio '\.\./page\.mp3' is not a file beside"):
        page_audio(moved)
