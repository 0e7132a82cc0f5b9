"""Hostile or broken documents: clear one-line refusals, and nothing expanded or resolved."""

from __future__ import annotations

import io
import re
import shutil
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from audio_edition.errors import InputError
from audio_edition.readers import ReadOptions, read
from tests.books import write_book
from tests.promises.test_bad_input import assert_refused

SECRET = "TOPSECRETWORD"
FONTS_ONLY = (
    '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
    'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
    '<enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>'
    "</enc:EncryptedData></encryption>"
)
"""An encryption.xml that only obfuscates fonts, which is not DRM."""


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
            data = data.replace(b"Ada Writer", b"Ada &xxe;")
            return data.replace(b"The Lighthouse Letters", b"The Lighthouse Letters&xxe;")
        return data

    _rewrite(book, tmp_path / "xxe.epub", inject)
    manuscript = read(tmp_path / "xxe.epub")
    # The reference adds nothing; ebooklib keeps an element's text up to the first reference.
    assert (manuscript.title, manuscript.author) == ("The Lighthouse Letters", "Ada")
    texts = [manuscript.title, manuscript.author, manuscript.language]
    texts += [section.heading for section in manuscript.sections]
    texts += [block for section in manuscript.sections for block in section.blocks]
    assert len(texts) == 3 + 3 + 6
    assert all(SECRET not in (text or "") for text in texts)


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
        archive.writestr("META-INF/encryption.xml", FONTS_ONLY)
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


MiB = 1024 * 1024


def _declare(book: Path, name: str, size: int, crc: int | None = None) -> None:
    """Make the zip directory and local header of member `name` declare `size` uncompressed
    bytes (and `crc` as its CRC-32), whatever the member really holds."""
    data = bytearray(book.read_bytes())
    count, _, entry = struct.unpack_from("<HII", data, len(data) - 12)  # end of central directory
    for _ in range(count):
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, entry + 28)
        if data[entry + 46 : entry + 46 + name_length] == name.encode():
            local = struct.unpack_from("<I", data, entry + 42)[0]
            struct.pack_into("<I", data, entry + 24, size)
            struct.pack_into("<I", data, local + 22, size)
            if crc is not None:
                struct.pack_into("<I", data, entry + 16, crc)
                struct.pack_into("<I", data, local + 14, crc)
        entry += 46 + name_length + extra_length + comment_length
    book.write_bytes(bytes(data))


def _padded(book: Path, padding: dict[str, tuple[int, int]]) -> Path:
    """The test book plus stored members: name -> (bytes really stored, uncompressed size
    declared). A stored member's compressed size is what it really holds."""
    write_book(book)
    with zipfile.ZipFile(book, "a") as archive:
        for name, (stored, _) in padding.items():
            archive.writestr(name, bytes(stored))
    for name, (_, declared) in padding.items():
        _declare(book, name, declared)
    return book


def _declared_total(book: Path) -> int:
    with zipfile.ZipFile(book) as archive:
        return sum(member.file_size for member in archive.infolist())


def _read_at_the_limit_and_refuse_one_over(at_limit: Path, over: Path, refusal: str) -> None:
    assert len(read(at_limit).sections) == 3
    with pytest.raises(InputError, match=re.escape(f"{over.name} is refused: {refusal}")):
        read(over)


def test_more_than_20000_members_is_refused(tmp_path):
    at_limit = write_book(tmp_path / "at.epub")
    with zipfile.ZipFile(at_limit, "a") as archive:
        for number in range(20_000 - len(archive.infolist())):
            archive.writestr(f"EPUB/empty/{number}.txt", b"")
    over = tmp_path / "over.epub"
    shutil.copy(at_limit, over)
    with zipfile.ZipFile(over, "a") as archive:
        archive.writestr("EPUB/one-more.txt", b"")
    _read_at_the_limit_and_refuse_one_over(at_limit, over, "20001 files in the archive is too many")


def test_a_member_above_256_mib_is_refused(tmp_path):
    # 3 MiB stored keeps the member's ratio about 85, under the ratio limit of 100.
    at_limit = _padded(tmp_path / "at.epub", {"EPUB/big.bin": (3 * MiB, 256 * MiB)})
    over = _padded(tmp_path / "over.epub", {"EPUB/big.bin": (3 * MiB, 256 * MiB + 1)})
    _read_at_the_limit_and_refuse_one_over(
        at_limit, over, "EPUB/big.bin would inflate to 256 MiB (a zip bomb?)"
    )


def test_more_than_1_gib_in_all_is_refused(tmp_path):
    last = 256 * MiB - _declared_total(write_book(tmp_path / "plain.epub"))
    padding = {f"EPUB/big{number}.bin": (3 * MiB, 256 * MiB) for number in range(3)}
    at_limit = _padded(tmp_path / "at.epub", {**padding, "EPUB/last.bin": (3 * MiB, last)})
    over = _padded(tmp_path / "over.epub", {**padding, "EPUB/last.bin": (3 * MiB, last + 1)})
    assert _declared_total(at_limit) == 1024 * MiB
    _read_at_the_limit_and_refuse_one_over(
        at_limit, over, "it would inflate to 1024 MiB in all from 12.0 MiB (a zip bomb?)"
    )


def test_a_member_of_1_mib_inflating_more_than_100_times_is_refused(tmp_path):
    at_limit = _padded(tmp_path / "at.epub", {"EPUB/dense.bin": (11_000, 100 * 11_000)})
    over = _padded(tmp_path / "over.epub", {"EPUB/dense.bin": (11_000, 100 * 11_000 + 1)})
    _read_at_the_limit_and_refuse_one_over(
        at_limit, over, "EPUB/dense.bin would inflate to 1 MiB (a zip bomb?)"
    )


def test_the_ratio_of_a_member_is_checked_from_1_mib_on(tmp_path):
    # A member inflating about 1,000 times; the stored filler keeps the whole archive's ratio low.
    filler = {"EPUB/filler.bin": (20_000, 20_000)}
    at_limit = _padded(tmp_path / "at.epub", {**filler, "EPUB/dense.bin": (1_000, MiB - 1)})
    over = _padded(tmp_path / "over.epub", {**filler, "EPUB/dense.bin": (1_000, MiB)})
    _read_at_the_limit_and_refuse_one_over(
        at_limit, over, "EPUB/dense.bin would inflate to 1 MiB (a zip bomb?)"
    )


def test_a_whole_archive_inflating_more_than_100_times_is_refused(tmp_path):
    # Members under 1 MiB escape the member check; together they inflate exactly 100 times.
    padding = {f"EPUB/pad{number}.bin": (4_000, 4_000) for number in range(3)}
    at_limit = _padded(tmp_path / "at.epub", padding)
    with zipfile.ZipFile(at_limit) as archive:
        compressed = sum(member.compress_size for member in archive.infolist())
    share, rest = divmod(100 * compressed - _declared_total(at_limit) + 3 * 4_000, 3)
    for number in range(3):
        _declare(at_limit, f"EPUB/pad{number}.bin", share + (rest if number == 0 else 0))
    over = tmp_path / "over.epub"
    shutil.copy(at_limit, over)
    _declare(over, "EPUB/pad0.bin", share + rest + 1)
    assert _declared_total(at_limit) == 100 * compressed
    _read_at_the_limit_and_refuse_one_over(
        at_limit, over, "it would inflate to 1 MiB in all from 0.0 MiB (a zip bomb?)"
    )


def _inflating_past_its_size(book: Path, target: Path, name: str, content: bytes) -> Path:
    """`book` with member `name` holding `content` and then 64 MiB of deflated zeros (64 KiB on
    disk) that its directory does not declare: it declares only `content`, size and CRC-32."""
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            if info.filename != name:
                out.writestr(info, source.read(info))
        with out.open(name, "w") as member:
            member.write(content + b"<p>Past the declared end.</p>")
            for _ in range(64):
                member.write(bytes(MiB))
    _declare(target, name, len(content), zlib.crc32(content))
    return target


@pytest.mark.parametrize("member", ["EPUB/chapter1.xhtml", "META-INF/encryption.xml"])
def test_no_member_is_read_past_its_declared_size(tmp_path, member):
    book = write_book(tmp_path / "plain.epub")
    with zipfile.ZipFile(book, "a") as archive:
        archive.writestr("META-INF/encryption.xml", FONTS_ONLY)
    with zipfile.ZipFile(book) as archive:
        content = archive.read(member)
    forged = _inflating_past_its_size(book, tmp_path / "forged.epub", member, content)
    expected = words_of(book)  # (and the reader's modules are imported before measuring)
    tracemalloc.start()
    try:
        started = time.perf_counter()
        text = words_of(forged)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert text == expected
    assert "Past the declared end" not in text
    assert peak < 4 * MiB, f"{peak / MiB:.0f} MiB to read a book that declares 10 KiB"
    assert seconds < 2


def test_a_member_failing_its_crc_is_refused_in_one_line(run_cli, tmp_path):
    book = write_book(tmp_path / "plain.epub")
    with zipfile.ZipFile(book) as archive:
        content = archive.read("EPUB/chapter2.xhtml")
    forged = _inflating_past_its_size(
        book, tmp_path / "forged.epub", "EPUB/chapter2.xhtml", content
    )
    _declare(forged, "EPUB/chapter2.xhtml", len(content), zlib.crc32(content) ^ 1)  # CRC is off
    started = time.perf_counter()
    result = run_cli("narrate", "forged.epub", "--engine", "fake")
    assert time.perf_counter() - started < 10
    assert_refused(result, tmp_path, "forged.epub is not a readable EPUB (corrupt zip archive",
                   "EPUB/chapter2.xhtml")  # fmt: skip


def test_empty_html_page(run_cli, tmp_path):
    (tmp_path / "empty.html").write_text("<html><head><title>x</title></head><body></body></html>")
    assert_refused(run_cli("narrate", "empty.html"), tmp_path, "no text to narrate")


def test_binary_data_named_html(run_cli, tmp_path):
    (tmp_path / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    assert_refused(run_cli("narrate", "image.html"), tmp_path, "looks like a binary file")


def test_unknown_input_format_is_a_usage_error(run_cli, tmp_path):
    (tmp_path / "a.txt").write_text("Hello there.")
    result = run_cli("narrate", "a.txt", "--from", "docx")
    assert result.returncode == 2
    assert "invalid choice: 'docx'" in result.stderr.decode()


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


LATIN_1_TEXT = "Café crème brûlée, à la française."


@pytest.mark.parametrize(
    "declaration",
    ['<meta charset="utf-8">', '<?xml version="1.0" encoding="UTF-8"?>',
     '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'],
)  # fmt: skip
def test_html_declaring_utf8_with_latin1_bytes_is_refused_or_read_as_told(
    run_cli, tmp_path, declaration
):
    """lxml used to drop or replace the bytes it could not decode ("Caf cr me br l e")."""
    page = f"{declaration}<html><body><p>{LATIN_1_TEXT}</p></body></html>"
    (tmp_path / "page.html").write_bytes(page.encode("latin-1"))
    byte = page.encode("latin-1").index(b"\xe9")
    assert_refused(run_cli("spoken", "page.html"), tmp_path,
                   f"page.html is not valid utf-8 text, the encoding it declares (byte {byte}); "
                   "give its encoding with --encoding, e.g. --encoding latin-1")  # fmt: skip
    result = run_cli("spoken", "page.html", "--encoding", "latin-1")
    assert result.returncode == 0 and result.stdout.decode().strip() == LATIN_1_TEXT


def test_epub_chapter_declaring_utf8_with_latin1_bytes_is_refused_or_read_as_told(
    run_cli, tmp_path
):
    book = write_book(tmp_path / "plain.epub")

    def latin_1(name: str, data: bytes) -> bytes:
        if name.endswith("chapter2.xhtml"):  # it declares utf-8 in its XML declaration
            return data.replace(b"The sea was calm.", LATIN_1_TEXT.encode("latin-1"))
        return data

    _rewrite(book, tmp_path / "book.epub", latin_1)
    assert_refused(run_cli("spoken", "book.epub"), tmp_path,
                   "book.epub, chapter2.xhtml is not valid utf-8 text, the encoding it "
                   "declares", "give the chapters' encoding with --encoding")  # fmt: skip
    result = run_cli("spoken", "book.epub", "--encoding", "latin-1")
    assert result.returncode == 0 and LATIN_1_TEXT in result.stdout.decode()


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_html_that_declares_no_encoding_is_decoded_whole(tmp_path, encoding):
    """UTF-8 when the bytes are; else chardet's guess or windows-1252, when one decodes them
    all; a byte-order mark says UTF-16."""
    page = tmp_path / "page.html"
    page.write_bytes(f"<html><body><p>{LATIN_1_TEXT} “Quoted.”</p></body></html>".encode(encoding))
    assert words_of(page) == f" {LATIN_1_TEXT} “Quoted.”"


def test_html_whose_encoding_cannot_be_told_is_refused(run_cli, tmp_path):
    (tmp_path / "page.html").write_bytes(b"<p>Caf\xe9 \x81\x8d\x8f\x90\x9d and more " * 2 + b"</p>")
    assert_refused(run_cli("spoken", "page.html"), tmp_path,
                   "page.html: its encoding cannot be told; give its encoding with --encoding",
                   )  # fmt: skip


def test_epub_package_declaring_utf8_with_latin1_bytes_is_refused(run_cli, tmp_path):
    """ebooklib's lenient XML parser read such a title as "Caf\ufffd"."""
    book = write_book(tmp_path / "plain.epub", title="Café Letters")
    _rewrite(book, tmp_path / "book.epub", lambda name, data: data.replace(
        "Café".encode(), "Café".encode("latin-1")) if name.endswith(".opf") else data)  # fmt: skip
    assert_refused(run_cli("spoken", "book.epub"), tmp_path,
                   "book.epub, EPUB/content.opf is not valid utf-8 text, the encoding it declares",
                   "it must be saved in the encoding it declares")  # fmt: skip


def test_epub_navigation_with_latin1_bytes_gives_no_chapter_titles(tmp_path, caplog):
    book = write_book(tmp_path / "plain.epub")

    def latin_1(name: str, data: bytes) -> bytes:
        if name.endswith("chapter2.xhtml"):  # a chapter without a heading takes its TOC title
            return data.replace(b"<h1>Chapter II: The Journey</h1>", b"")
        if name.endswith("nav.xhtml"):
            return data.replace(b"The Journey", "The Journée".encode("latin-1"))
        return data

    _rewrite(book, tmp_path / "book.epub", latin_1)
    sections = read(tmp_path / "book.epub").sections
    assert [s.heading for s in sections] == ["Chapter I: The Letter", None, "Chapter III: Home"]
    with zipfile.ZipFile(tmp_path / "book.epub") as archive:
        byte = archive.read("EPUB/nav.xhtml").index("é".encode("latin-1"))
    assert [r.getMessage() for r in caplog.records] == [
        f"{tmp_path / 'book.epub'}, nav.xhtml is not valid utf-8 text, the encoding it declares "
        f"(byte {byte}); its table of contents is not used"
    ]


@pytest.mark.parametrize(
    ("name", "content", "encoding", "message"),
    [
        ("page.html", b'<meta charset="punycode"><p>Hello world here.</p>', None,
         "page.html is not valid punycode text, the encoding it declares"),
        ("a.txt", b"Hello there.", "undefined", "unknown encoding 'undefined'"),
        ("a.txt", b"Hello there.", "punycode", "a.txt is not valid punycode text"),
    ],
)  # fmt: skip
def test_codecs_that_are_no_text_encoding_are_one_line(
    run_cli, tmp_path, name, content, encoding, message
):
    (tmp_path / name).write_bytes(content)
    given = ["--encoding", encoding] if encoding else []
    result = run_cli("spoken", name, *given)
    assert_refused(result, tmp_path, message, exit_code=result.returncode)
    assert result.returncode in (1, 2)
