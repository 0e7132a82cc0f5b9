"""A read-along book's audio taken out again (for `check`), checked as any zip is."""

from __future__ import annotations

import io
import zipfile

import pytest

from audio_edition import narrate
from audio_edition.editions.epub3 import copy_book_audio
from audio_edition.errors import InputError


def test_the_audio_taken_out_of_a_book_is_the_mp3_it_holds(tmp_path):
    source = tmp_path / "words.txt"
    source.write_text("A few words to hear.\n\nAnd a few more.", encoding="utf-8")
    book = narrate(source, tmp_path / "words.epub", engine="fake").path
    with zipfile.ZipFile(book) as archive:
        held = archive.read("EPUB/audio/book.mp3")
    out = io.BytesIO()
    copy_book_audio(book, out)
    assert out.getvalue() == held and held[:3] in (b"ID3", b"\xff\xfb")


def test_a_book_without_an_mp3_is_one_line(tmp_path):
    book = tmp_path / "silent.epub"
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("EPUB/audio/book.ogg", b"OggS")
    with pytest.raises(InputError, match=r"silent\.epub has no MP3 audio to check$"):
        copy_book_audio(book, io.BytesIO())
