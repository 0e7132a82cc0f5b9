"""Language tags: every reader's and --lang's, as BCP 47 in its conventional case, or refused."""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree

import pytest

from audio_edition import narrate
from audio_edition.document import language_tag
from audio_edition.narration.plan import Options, VoiceOptions, read_document
from audio_edition.readers import read
from tests.books import write_book
from tests.editions.test_epub_output import DC, epubcheck, package
from tests.promises.test_bad_input import assert_refused


@pytest.mark.parametrize(
    "written, tag",
    [
        ("en_US", "en-US"), ("EN-us", "en-US"), (" fr ", "fr"), ("pt_br", "pt-BR"),
        ("zh_hant_tw", "zh-Hant-TW"), ("SR-latn", "sr-Latn"), ("es-419", "es-419"),
        ("de-CH-1996", "de-CH-1996"), ("en-US-x-Twain", "en-US-x-twain"),
        ("x-Klingon", "x-klingon"), ("en-a-BB-x-CC", "en-a-bb-x-cc"), ("zh-min-nan", "zh-min-nan"),
        ("no", "no"),
    ],
)  # fmt: skip
def test_language_tags_take_their_conventional_case(written, tag):
    assert language_tag(written) == tag


@pytest.mark.parametrize(
    "written",
    ["x y", "5", "", "en-", "en--US", "english", "False", "e", "en_US.UTF-8", "en,fr", "i-klingon",
     "en-\u212a"],  # the Kelvin sign lowers to an ASCII k
)  # fmt: skip
def test_what_is_not_a_language_tag_is_refused(written):
    assert language_tag(written) is None


def write(tmp_path, name: str, content: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_every_reader_normalizes_its_documents_language(tmp_path):
    markdown = write(tmp_path, "post.md", "---\nlang: en_US\n---\n\nHello.\n")
    page = write(tmp_path, "page.html", "<html lang='EN_gb'><body><p>Hello.</p></body></html>")
    header = write(tmp_path, "old.html", "<html><head><meta http-equiv='content-language' "
                   "content='de_at, en'></head><p>Hallo.</p></html>")  # fmt: skip
    book = write_book(tmp_path / "book.epub", language="pt_br")
    languages = [read(path).language for path in (markdown, page, header, book)]
    assert languages == ["en-US", "en-GB", "de-AT", "pt-BR"]


@pytest.mark.parametrize(
    "name, content, written",
    [
        ("post.md", "---\nlang: 5\n---\n\nHello.\n", "'5'"),
        ("post.md", "+++\nlang = 'English'\n+++\n\nHello.\n", "'English'"),
        ("page.html", "<html lang='x y'><body><p>Hello.</p></body></html>", "'x y'"),
        ("page.html", "<html lang='en_US.UTF-8'><body><p>Hello.</p></body></html>",
         "'en_US.UTF-8'"),
    ],
)  # fmt: skip
def test_a_document_language_that_is_not_a_tag_is_ignored_with_a_warning(
    run_cli, tmp_path, name, content, written
):
    """Real files say "english": the text is still read, in --lang's language or English."""
    write(tmp_path, name, content)
    result = run_cli("spoken", name, "--lang", "en-GB")
    assert result.returncode == 0, result.stderr
    assert result.stderr.decode().splitlines() == [
        f"audio-edition: {name}: its language {written} is not a BCP 47 language tag "
        "(such as en, en-US or pt-BR); ignored"
    ]
    assert result.stdout.decode().strip() == "Hello."
    assert read_document(tmp_path / name).language == "en"


def test_an_epub_whose_language_is_not_a_tag_is_read_with_a_warning(run_cli, tmp_path):
    write_book(tmp_path / "book.epub", language="en US")
    result = run_cli("spoken", "book.epub")
    assert result.returncode == 0, result.stderr
    assert "book.epub: its language 'en US' is not a BCP 47 language tag" in result.stderr.decode()


def test_lang_option_is_normalized_or_refused(run_cli, tmp_path):
    path = write(tmp_path, "a.txt", "Hello there.")
    document = read_document(path, Options(voice=VoiceOptions(lang="en_gb")))
    assert document.language == "en-GB"
    for command in (["spoken"], ["narrate", "--engine", "fake"]):
        assert_refused(run_cli(*command, "a.txt", "--lang", "x y"), tmp_path,
                       "--lang 'x y' is not a BCP 47 language tag", exit_code=2)  # fmt: skip


def test_batch_refuses_a_bad_lang_before_reading_any_document(run_cli, tmp_path):
    write(tmp_path, "a.txt", "Hello there.")
    result = run_cli("batch", "a.txt", "--output-dir", "out", "--engine", "fake", "--lang", "en us")
    assert_refused(result, tmp_path,
                   "--lang 'en us' is not a BCP 47 language tag", exit_code=2)  # fmt: skip


def test_an_epub_edition_of_lang_en_us_passes_epubcheck(tmp_path):
    """`lang: en_US` used to go raw into the book's package and pages (EPUBCheck's OPF-092)."""
    source = write(tmp_path, "post.md", "---\ntitle: Tags\nlang: en_US\n---\n\nHello there.\n")
    edition = narrate(source, tmp_path / "post.epub", engine="fake")
    assert epubcheck(edition.path) == []
    with zipfile.ZipFile(edition.path) as book:
        opf = package(book)
        assert opf.findtext(f".//{DC}language") == "en-US"
        assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-US"
        page = ElementTree.fromstring(book.read("EPUB/" + _first_page(opf)))
        assert page.get("lang") == "en-US"


def _first_page(opf: ElementTree.Element) -> str:
    opf_ns = "{http://www.idpf.org/2007/opf}"
    items = {item.get("id"): item.get("href") for item in opf.iter(f"{opf_ns}item")}
    return items[next(opf.iter(f"{opf_ns}itemref")).get("idref")]
