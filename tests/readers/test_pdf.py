"""The PDF reader: a three-page book made here with fpdf2 (a running header, page numbers,
words hyphenated across line ends, a nested outline), and the PDFs it refuses."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from audio_edition import narrate
from audio_edition.errors import InputError
from audio_edition.readers import pdf, read
from audio_edition.verify.hearing import transcribe
from tests.audio import ffprobe_chapters

HEADER = "The Lighthouse Keeper"
PAGES = [
    [
        ("heading", "Part One", 0),
        ("heading", "The First Night", 1),
        "The keeper climbed the stairs every evening to light",
        "the lamp and to watch the slow narra-",
        "tion of the sea unfold below him, wave on wave.",
        None,
        "A second paragraph begins here, and it is well-",
        "known along this coast that the light of the well",
        "never failed, as every known sailor will tell you.",
    ],
    [
        "The morning came slowly over the grey water, and he",
        "wrote in his log that the night had been quiet.",
        None,
        ("heading", "The Second Night", 1),
        "Ships passed in the dark without a sound, and the",
        "keeper counted them as he always did, one by one,",
    ],
    [
        "until the last of them was gone. The end of the story",
        "was calm, and so was the sea, and a well-known gull.",
    ],
]


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path, monkeypatch):
    """Messages name the files as given: here, by their names."""
    monkeypatch.chdir(tmp_path)


def make_book(path, pages=PAGES, title=HEADER, author="Ada Quill", **encryption):
    """A PDF of `pages`: lines of text (None: a paragraph's space; ("heading", text, depth):
    a heading in the outline), with a running header and a page number on every page."""
    book = FPDF(format=(420, 595), unit="pt")
    book.set_title(title)
    book.set_author(author)
    book.set_auto_page_break(False)
    for number, lines in enumerate(pages, 1):
        book.add_page()
        book.set_font("Helvetica", size=10)
        book.set_xy(40, 24)
        book.cell(340, 12, HEADER, align="C")
        book.set_xy(40, 560)
        book.cell(340, 12, str(number), align="C")
        book.set_xy(40, 70)
        for line in lines:
            if line is None:
                book.ln(14)
            elif isinstance(line, tuple):
                book.set_font("Helvetica", "B", 16)
                book.start_section(line[1], level=line[2])
                book.cell(340, 24, line[1], new_x="LMARGIN", new_y="NEXT")
                book.set_font("Helvetica", size=11)
            else:
                book.set_x(40)
                book.cell(340, 14, line, new_x="LMARGIN", new_y="NEXT")
    if encryption:
        book.set_encryption(**encryption)
    book.output(str(path))
    return path


def test_a_pdf_is_read_without_its_headers_and_page_numbers_in_its_outline_chapters(
    tmp_path, caplog
):
    with caplog.at_level(logging.WARNING):
        manuscript = read(make_book(Path("book.pdf")))
    assert (manuscript.title, manuscript.author) == (HEADER, "Ada Quill")
    assert [section.heading for section in manuscript.sections] == [
        "Part One", "The First Night", "The Second Night"
    ]  # fmt: skip
    part, first, second = manuscript.sections
    assert part.blocks == ()
    assert first.blocks == (
        "The keeper climbed the stairs every evening to light the lamp and to watch the slow "
        "narration of the sea unfold below him, wave on wave.",
        "A second paragraph begins here, and it is well-known along this coast that the light "
        "of the well never failed, as every known sailor will tell you.",
        "The morning came slowly over the grey water, and he wrote in his log that the night "
        "had been quiet.",
    )
    assert second.blocks == (
        "Ships passed in the dark without a sound, and the keeper counted them as he always "
        "did, one by one, until the last of them was gone. The end of the story was calm, and "
        "so was the sea, and a well-known gull.",
    )
    assert [r.getMessage() for r in caplog.records] == [
        "book.pdf: 3 running header or footer lines, 3 page numbers left out"
    ]


def test_a_hyphen_at_a_line_end_is_kept_only_between_two_words_of_the_text():
    words = {"well", "known", "every", "narration"}
    assert pdf.join_lines("the slow narra-", "tion of", words) == "the slow narration of"
    assert pdf.join_lines("it is well-", "known", words) == "it is well-known"
    assert pdf.join_lines("to every-", "one", words | {"one", "everyone"}) == "to everyone"
    assert pdf.join_lines("Smith-", "Jones", words) == "Smith- Jones"
    assert pdf.join_lines("a soft nar\u00ad", "ration", words) == "a soft narration"


def test_a_number_at_the_top_of_pages_is_a_page_number_only_when_it_follows_the_pages():
    def line(page, y, text):
        return pdf.Line(page, 40.0, y, 11.0, text)

    pages = [
        [line(0, 560, "Chapter 1"), line(0, 500, "Some text."), line(0, 30, "ix")],
        [line(1, 560, "Chapter 2"), line(1, 500, "More text."), line(1, 30, "x")],
        [line(2, 560, "Chapter 7"), line(2, 500, "Last text."), line(2, 31, "xi")],
    ]
    assert pdf.running_lines(pages) == {pages[0][2], pages[1][2], pages[2][2]}


def test_the_format_is_pdf_by_extension_or_as_given():
    path = make_book(Path("book.bin"))
    with pytest.raises(InputError, match=r"^book\.bin is not valid utf-8 text"):
        read(path)
    assert read(path, "pdf").title == HEADER


def test_a_pdf_whose_pages_are_only_images_says_it_has_no_text_layer(tmp_path):
    scan = FPDF()
    scan.add_page()
    scan.image(Image.new("L", (200, 300), 255), x=10, y=10, w=100)
    scan.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(InputError, match=r"^scan\.pdf has no text layer \(a scanned PDF"):
        read("scan.pdf")


def test_a_pdf_that_needs_a_password_is_refused_one_that_opens_without_is_read(tmp_path):
    locked = make_book(Path("locked.pdf"), owner_password="o", user_password="secret")
    with pytest.raises(InputError, match=r"^locked\.pdf is encrypted with a password; only"):
        read(locked)
    restricted = make_book(Path("restricted.pdf"), owner_password="o")
    assert read(restricted).sections[1].heading == "The First Night"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 8, "^bad.pdf is not a PDF \\(its first 1024 bytes have no %PDF-\\)$"),
        (None, "^bad.pdf is not a readable PDF \\(.+\\)$"),
    ],
    ids=["garbage", "cut-in-half"],
)
def test_a_damaged_pdf_is_refused_in_one_line(tmp_path, content, message):
    if content is None:
        whole = make_book(tmp_path / "whole.pdf").read_bytes()
        content = whole[: len(whole) // 2]
    (tmp_path / "bad.pdf").write_bytes(content)
    with pytest.raises(InputError, match=message):
        read("bad.pdf")


def test_a_pdf_of_more_pages_than_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PDF_PAGES", 2)
    with pytest.raises(InputError, match=r"^big\.pdf has 3 pages, more than 2, the most a PDF"):
        read(make_book(Path("big.pdf")))


def test_narrate_a_pdf(run_cli, tmp_path):
    make_book(tmp_path / "book.pdf")
    done = run_cli("narrate", "book.pdf", "--engine", "fake", "-o", "book.mp3")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "book.mp3").stat().st_size > 0
    err = done.stderr.decode()
    assert "book.pdf: 3 running header or footer lines, 3 page numbers left out" in err
    assert "7 paragraphs" in err  # 3 headings, 4 paragraphs
    spoken = run_cli("spoken", "book.pdf")
    assert "narration of the sea" in spoken.stdout.decode()
    assert HEADER not in spoken.stdout.decode()


@pytest.mark.e2e
def test_the_pdf_is_heard_without_its_header_and_page_numbers_in_its_outline_chapters():
    """Proof-listening: eSpeak NG reads the PDF; the speech-to-text model hears its text and
    not its running header ("The Lighthouse Keeper") or its page numbers; ffprobe finds the
    outline's chapters in the MP3."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs eSpeak NG")
    edition = narrate(make_book(Path("book.pdf")), Path("book.mp3"), engine="pyttsx3",
                      voice="en-us")  # fmt: skip
    heard = re.findall(r"[a-z]+", " ".join(s.text for s in transcribe(edition.path)).lower())
    for word in ("keeper", "narration", "sailor", "morning", "dark", "story"):
        assert word in heard, " ".join(heard)
    for word in ("lighthouse", "two", "three"):
        assert word not in heard, (word, heard)
    titles = [c["tags"]["title"] for c in ffprobe_chapters(edition.path)]
    assert titles == ["Part One", "The First Night", "The Second Night"]
