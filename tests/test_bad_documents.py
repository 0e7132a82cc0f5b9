"""Hostile or broken documents: clear one-line refusals, and nothing expanded or resolved."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from audio_edition.errors import InputError
from audio_edition.readers import ReadOptions, read

from .books import write_book
from .test_bad_input import assert_refused

SECRET = "TOPSECRETWORD"


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def words_of(path) -> str:
    manuscript = read(path, options=ReadOptions())
    return " ".join(
        [s.heading or "" for s in manuscript.sections]
        + [block for s in manuscript.sections for block in s.blocks]
    )


def test_html_external_entity_is_never_resolved(tmp_path, secret_file):
    page = tmp_path / "xxe.html"
    page.write_text(
        f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'
        "<html><body><p>Before &xxe; after.</p></body></html>",
        encoding="utf-8",
    )
    text = words_of(page)
    assert SECRET not in text
    assert "Before" in text and "after." in text


def test_html_entity_expansion_bomb_is_not_expanded(tmp_path):
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)).replace(
        "&lol0;", "lol"
    )
    page = tmp_path / "laughs.html"
    page.write_text(
        f"<!DOCTYPE html [{entities}]><html><body><p>Short &lol9; page.</p></body></html>",
        encoding="utf-8",
    )
    assert len(words_of(page)) < 100


def _rewrite(book, target, change):
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            out.writestr(info, change(info.filename, source.read(info)))
        return out


def test_epub_external_entity_is_never_resolved(tmp_path, secret_file):
    book = write_book(tmp_path / "plain.epub")
    doctype = f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'.encode()

    def inject(name: str, data: bytes) -> bytes:
        if name.endswith("chapter1.xhtml"):
            data = data.replace(b"<html", doctype + b"<html", 1)
            return data.replace(b"Nobody opened it.", b"Nobody opened &xxe; it.")
        return data

    _rewrite(book, tmp_path / "xxe.epub", inject)
    text = words_of(tmp_path / "xxe.epub")
    assert SECRET not in text
    assert "Nobody opened" in text


def test_epub_opf_external_entity_is_never_resolved(tmp_path, secret_file):
    book = write_book(tmp_path / "plain.epub")
    doctype = f'<!DOCTYPE package [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'.encode()

    def inject(name: str, data: bytes) -> bytes:
        if name.endswith("content.opf"):
            data = data.replace(b"<package", doctype + b"<package", 1)
            return data.replace(b"The Lighthouse Letters", b"The &xxe; Letters")
        return data

    _rewrite(book, tmp_path / "xxe.epub", inject)
    manuscript = read(tmp_path / "xxe.epub")
    assert SECRET not in (manuscript.title or "")


def test_corrupt_epub(run_cli, tmp_path):
    (tmp_path / "broken.epub").write_bytes(b"PK\x03\x04 this is not really a zip archive")
    assert_refused(run_cli("narrate", "broken.epub"), tmp_path, "broken.epub", "not a readable")


def test_truncated_epub(run_cli, tmp_path):
    whole = write_book(tmp_path / "whole.epub").read_bytes()
    (tmp_path / "cut.epub").write_bytes(whole[: len(whole) // 2])
    assert_refused(run_cli("narrate", "cut.epub"), tmp_path, "cut.epub", "not a readable")


def test_zip_that_is_not_an_epub(run_cli, tmp_path):
    with zipfile.ZipFile(tmp_path / "photos.epub", "w") as archive:
        archive.writestr("photo.txt", "not a book")
    assert_refused(run_cli("narrate", "photos.epub"), tmp_path, "not an EPUB")


def test_epub_with_a_missing_chapter(run_cli, tmp_path):
    book = write_book(tmp_path / "whole.epub")
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(tmp_path / "gap.epub", "w") as out:
        for info in source.infolist():
            if not info.filename.endswith("chapter2.xhtml"):
                out.writestr(info, source.read(info))
    assert_refused(run_cli("narrate", "gap.epub"), tmp_path, "gap.epub", "not a readable EPUB")


@pytest.mark.parametrize(
    "name, content",
    [
        ("META-INF/encryption.xml",
         '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
         'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
         '<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
         '<enc:CipherData><enc:CipherReference URI="EPUB/chapter1.xhtml"/></enc:CipherData>'
         "</enc:EncryptedData></encryption>"),
        ("META-INF/rights.xml", "<rights>adept</rights>"),
    ],
)  # fmt: skip
def test_drm_protected_epub(run_cli, tmp_path, name, content):
    book = write_book(tmp_path / "whole.epub")
    with zipfile.ZipFile(book, "a") as archive:
        archive.writestr(name, content)
    (tmp_path / "whole.epub").rename(tmp_path / "locked.epub")
    assert_refused(run_cli("narrate", "locked.epub"), tmp_path, "locked.epub is DRM-protected")


def test_font_obfuscation_is_not_drm(tmp_path):
    book = write_book(tmp_path / "fonts.epub")
    with zipfile.ZipFile(book, "a") as archive:
        archive.writestr(
            "META-INF/encryption.xml",
            '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
            'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
            '<enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>'
            "</enc:EncryptedData></encryption>",
        )
    assert "Nobody opened it." in words_of(book)


def test_zip_bomb_is_refused(run_cli, tmp_path):
    book = write_book(tmp_path / "whole.epub")
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("EPUB/padding.xhtml", b"\0" * (64 * 1024 * 1024))
    book.rename(tmp_path / "bomb.epub")
    assert (tmp_path / "bomb.epub").stat().st_size < 1024 * 1024
    assert_refused(run_cli("narrate", "bomb.epub"), tmp_path, "bomb.epub is refused", "zip bomb")


def test_member_whose_declared_size_is_huge_is_refused_before_reading(tmp_path):
    """A forged header claiming 4 GiB is refused from the directory alone."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("META-INF/container.xml", "<container/>")
        out.writestr("EPUB/huge.xhtml", b"small")
    data = bytearray(archive.getvalue())
    entry = data.rfind(b"PK\x01\x02")  # the last central-directory entry: huge.xhtml
    struct.pack_into("<I", data, entry + 24, 0xFFFFFFFE)
    book = tmp_path / "forged.epub"
    book.write_bytes(bytes(data))
    with pytest.raises(
        InputError, match=r"forged\.epub is refused: EPUB/huge\.xhtml would inflate"
    ):
        read(book)


def test_empty_html_page(run_cli, tmp_path):
    (tmp_path / "empty.html").write_text("<html><head><title>x</title></head><body></body></html>")
    assert_refused(run_cli("narrate", "empty.html"), tmp_path, "no text to narrate")


def test_binary_data_named_html(run_cli, tmp_path):
    (tmp_path / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    assert_refused(run_cli("narrate", "image.html"), tmp_path, "looks like a binary file")


def test_unknown_input_format_is_a_usage_error(run_cli, tmp_path):
    (tmp_path / "a.txt").write_text("Hello there.")
    result = run_cli("narrate", "a.txt", "--from", "pdf")
    assert result.returncode == 2
    assert "invalid choice: 'pdf'" in result.stderr.decode()


def test_bad_lexicon_is_one_line(run_cli, tmp_path):
    (tmp_path / "a.txt").write_text("Hello there.")
    (tmp_path / "words.toml").write_text("Nguyen = \n")
    assert_refused(run_cli("narrate", "a.txt", "--lexicon", "words.toml"), tmp_path,
                   "words.toml")  # fmt: skip


def test_language_without_a_voice_is_a_usage_error(run_cli, tmp_path):
    (tmp_path / "a.txt").write_text("Hello there.")
    assert_refused(
        run_cli("narrate", "a.txt", "--engine", "fake", "--lang", "tlh"),
        tmp_path, "no voice for language 'tlh'", exit_code=2,
    )  # fmt: skip


@pytest.mark.parametrize(
    "name, content",
    [
        ("code.md", "```\nonly code here\n```\n"),
        ("badges.md", "[![Build](https://img.shields.io/badge/x.svg)](https://ci.example.com)\n"),
        ("comment.md", "<!-- nothing to say -->\n"),
        ("stars.html", "<html><body><article><h1>***</h1><p>---</p></article></body></html>"),
    ],
)
def test_document_with_nothing_to_read_aloud(run_cli, tmp_path, name, content):
    (tmp_path / name).write_text(content, encoding="utf-8")
    assert_refused(run_cli("narrate", name, "--engine", "fake"), tmp_path, "no text to narrate")


def test_many_members_that_each_stay_under_the_member_check_are_refused(run_cli, tmp_path):
    book = write_book(tmp_path / "whole.epub")
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED) as archive:
        for number in range(20):
            archive.writestr(f"EPUB/pad{number}.xhtml", b"<p>a</p>" * (1024 * 1024 // 8 - 1))
    book.rename(tmp_path / "many.epub")
    assert_refused(run_cli("narrate", "many.epub"), tmp_path, "many.epub is refused", "in all")


def test_doctype_subset_with_a_closing_bracket_inside_a_value_is_removed_whole(tmp_path):
    page = tmp_path / "tricky.html"
    page.write_text('<!DOCTYPE html [<!ENTITY a "b]>c">]><html><body><p>Only this.</p>'
                    "</body></html>", encoding="utf-8")  # fmt: skip
    assert words_of(page) == " Only this."
