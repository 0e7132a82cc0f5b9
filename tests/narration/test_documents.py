"""Documents through the whole pipeline (fake engine): headings as chapters, the words spoken,
cover and author in the tags, language and lexicon."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import mutagen
import pytest
from mutagen.flac import FLAC, Picture
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus

from audio_edition import narrate
from audio_edition.engines import load_engine, voice_for_language
from tests.books import png, write_book

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fake(source, output, **options):
    return narrate(source, output, engine="fake", jobs=2, **options)


def test_markdown_headings_become_chapters_at_their_speech(tmp_path):
    edition = fake(FIXTURES / "blog-post.md", tmp_path / "post.mp3", manifest=True)
    assert [c.title for c in edition.chapters] == [
        "Twilight Serenade, Revisited", "What works", "Numbers",
    ]  # fmt: skip
    headings = [p for p in edition.timed_paragraphs if p.heading]
    assert [c.start_ms for c in edition.chapters] == [0] + [p.start_ms for p in headings[1:]]
    assert edition.chapters[-1].end_ms == round(edition.duration_seconds * 1000)
    tags = mutagen.File(edition.path)
    assert str(tags["TPE1"]) == "Jane Critic"
    assert str(tags["TIT2"]) == "Twilight Serenade, Revisited"
    manifest = json.loads(edition.sidecars["json"].read_text(encoding="utf-8"))
    assert (manifest["title"], manifest["author"], manifest["language"]) == (
        "Twilight Serenade, Revisited", "Jane Critic", "en-US",
    )  # fmt: skip
    cast = next(p for p in manifest["paragraphs"] if p["text"].startswith("A cast"))
    assert (cast["text"], cast["spoken"]) == ("A cast of 12 actors.", "A cast of twelve actors.")
    assert cast["sentences"][0]["spoken"] == "A cast of twelve actors."
    assert [p["heading"] for p in manifest["paragraphs"]].count(True) == 3


def test_subtitles_show_the_text_as_written(tmp_path):
    edition = fake(FIXTURES / "blog-post.md", tmp_path / "post.mp3", subtitles=["srt"])
    subtitles = edition.sidecars["srt"].read_text(encoding="utf-8")
    assert "A cast of 12 actors." in subtitles
    assert "twelve" not in subtitles


def test_plain_text_keeps_a_chapter_per_paragraph(tmp_path):
    source = tmp_path / "three.txt"
    source.write_text("One para here.\n\nTwo para here.\n\nThree para here.", encoding="utf-8")
    edition = fake(source, tmp_path / "three.mp3")
    assert [c.title for c in edition.chapters] == ["One para here.", "Two para here.",
                                                   "Three para here."]  # fmt: skip


@pytest.mark.parametrize("suffix", ["mp3", "m4b", "ogg", "flac"])
def test_epub_cover_title_and_author_reach_the_tags(tmp_path, suffix):
    book = write_book(tmp_path / "letters.epub", cover=png())
    edition = fake(book, tmp_path / f"letters.{suffix}")
    assert [c.title for c in edition.chapters] == [
        "Chapter I: The Letter", "Chapter II: The Journey", "Chapter III: Home",
    ]  # fmt: skip
    if suffix == "mp3":
        tags = mutagen.File(edition.path).tags
        cover = tags.getall("APIC")[0]
        assert (cover.mime, cover.data, cover.type) == ("image/png", png(), 3)
        assert str(tags["TPE1"]) == "Ada Writer"
        assert str(tags["TIT2"]) == "The Lighthouse Letters"
    elif suffix == "m4b":
        tags = MP4(edition.path)
        assert bytes(tags["covr"][0]) == png()
        assert tags["\xa9ART"] == ["Ada Writer"]
    elif suffix == "ogg":
        tags = OggOpus(edition.path)
        picture = Picture(base64.b64decode(tags["metadata_block_picture"][0]))
        assert picture.data == png() and picture.mime == "image/png"
        assert tags["artist"] == ["Ada Writer"]
    else:
        tags = FLAC(edition.path)
        assert tags.pictures[0].data == png()
        assert tags["artist"] == ["Ada Writer"]


def test_author_option_wins_over_the_metadata(tmp_path):
    book = write_book(tmp_path / "letters.epub")
    edition = fake(book, tmp_path / "letters.mp3", author="Someone Else", title="Other")
    tags = mutagen.File(edition.path)
    assert (str(tags["TPE1"]), str(tags["TIT2"])) == ("Someone Else", "Other")


def test_lang_picks_a_matching_voice_and_the_numbers_language(tmp_path):
    source = tmp_path / "chats.txt"
    source.write_text("J'ai 3 chats.", encoding="utf-8")
    edition = fake(source, tmp_path / "chats.mp3", lang="fr", manifest=True)
    manifest = json.loads(edition.sidecars["json"].read_text(encoding="utf-8"))
    assert manifest["voice"] == "fake-fr"
    assert manifest["language"] == "fr"
    assert manifest["paragraphs"][0]["spoken"] == "J'ai trois chats."


def test_document_language_picks_the_voice_unless_one_is_given(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html lang='fr-FR'><body><p>Il a 2 chiens.</p></body></html>")
    assert fake(page, tmp_path / "a.mp3", manifest=True).sidecars
    manifest = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert manifest["voice"] == "fake-fr"
    assert manifest["paragraphs"][0]["spoken"] == "Il a deux chiens."
    fake(page, tmp_path / "b.mp3", manifest=True, voice="fake-16k")
    manifest = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert manifest["voice"] == "fake-16k"


def test_lang_with_a_region_no_voice_has_gets_a_voice_of_its_language(run_cli, tmp_path):
    (tmp_path / "chats.txt").write_text("J'ai 3 chats.", encoding="utf-8")
    result = run_cli("narrate", "chats.txt", "--engine", "fake", "--lang", "fr-CA",
                     "-o", "chats.mp3", "--manifest")  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    manifest = json.loads((tmp_path / "chats.json").read_text(encoding="utf-8"))
    assert (manifest["voice"], manifest["language"]) == ("fake-fr", "fr-CA")
    assert manifest["paragraphs"][0]["spoken"] == "J'ai trois chats."


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="lists eSpeak NG's voices")
def test_the_voice_named_after_the_base_language_comes_before_its_regional_voices():
    """eSpeak NG has French voices for fr-BE, fr-CH and fr-FR (roa/fr, listed last)."""
    assert voice_for_language(load_engine("pyttsx3"), "fr-CA").id == "roa/fr"


def test_a_document_language_with_no_voice_gets_the_default_voice_and_a_warning(run_cli, tmp_path):
    (tmp_path / "page.html").write_text(
        "<html lang='ja'><body><p>Konnichiwa, minasan.</p></body></html>", encoding="utf-8"
    )
    result = run_cli("narrate", "page.html", "--engine", "fake", "-o", "page.mp3", "--manifest")
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr.decode().splitlines()[0] == (
        "audio-edition: no fake voice for the document's language 'ja'; using the default"
    )
    manifest = json.loads((tmp_path / "page.json").read_text(encoding="utf-8"))
    assert (manifest["voice"], manifest["language"]) == (None, "ja")


def test_lexicon_replaces_words_in_what_is_spoken(tmp_path):
    source = tmp_path / "names.txt"
    source.write_text("Nguyen met Siobhan in Worcester.", encoding="utf-8")
    lexicon = tmp_path / "words.toml"
    lexicon.write_text('Nguyen = "Win"\nSiobhan = "Shivawn"\nWorcester = "Wuster"\n')
    edition = fake(source, tmp_path / "names.mp3", lexicon=lexicon)
    sentence = edition.document.paragraphs[0].sentences[0]
    assert sentence.text == "Nguyen met Siobhan in Worcester."
    assert sentence.spoken == "Win met Shivawn in Wuster."


def test_standard_input_as_markdown(run_cli, tmp_path):
    result = run_cli(
        "narrate", "-", "--from", "markdown", "--engine", "fake", "-o", "md.mp3", "--manifest",
        stdin=b"# Heading\n\nSome **bold** words.\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    manifest = json.loads((tmp_path / "md.json").read_text(encoding="utf-8"))
    assert [p["text"] for p in manifest["paragraphs"]] == ["Heading", "Some bold words."]
    assert [c["title"] for c in manifest["chapters"]] == ["Heading"]


def test_epub_from_standard_input(run_cli, tmp_path):
    book = write_book(tmp_path / "letters.epub")
    result = run_cli("narrate", "-", "--from", "epub", "--engine", "fake", "-o", "b.mp3",
                     stdin=book.read_bytes())  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    assert len(mutagen.File(tmp_path / "b.mp3").tags.getall("CHAP")) == 3


def test_reading_options_from_the_command_line(run_cli, tmp_path):
    (tmp_path / "post.md").write_text(
        "Intro words.\n\n![A red door](door.png)\n\n| Name | Age |\n| --- | --- |\n| Ann | 30 |\n\n"
        "```\ncode here\n```\n",
        encoding="utf-8",
    )

    def spoken_texts(*options: str) -> list[str]:
        result = run_cli("narrate", "post.md", "--engine", "fake", "-o", "post.mp3", "-f",
                         "--manifest", *options)  # fmt: skip
        assert result.returncode == 0, result.stderr.decode()
        manifest = json.loads((tmp_path / "post.json").read_text(encoding="utf-8"))
        return [p["text"] for p in manifest["paragraphs"]]

    assert spoken_texts() == ["Intro words.", "Name, Age", "Ann, 30"]
    assert spoken_texts("--read-code", "--read-alt-text", "--skip-tables") == [
        "Intro words.", "A red door", "code here",
    ]  # fmt: skip
