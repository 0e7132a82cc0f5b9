"""The read-along outputs through the command line: `-o page.html` (its MP3 beside it, or
inside it with --embed-audio) and `-o book.epub`, with narrate's other options."""

from __future__ import annotations

import base64
import json
import re
import zipfile

import pytest
from mutagen.id3 import ID3

from tests.audio import probe
from tests.verify.test_check import needs_listening

PIECE = "# Harbour\n\nThe boats left at dawn. The sea was calm.\n\n## Night\n\nThey came home.\n"


def test_a_page_has_its_mp3_beside_it_with_every_sidecar(run_cli, write_text, tmp_path):
    write_text("harbour.md", PIECE)
    result = run_cli("narrate", "harbour.md", "-o", "out/page.html", "--engine", "fake",
                     "--author", "A. Sailor", "--manifest", "--subtitles", "vtt")  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["page.html", "page.json", "page.mp3",
                                                     "page.vtt"]  # fmt: skip
    page = (out / "page.html").read_text(encoding="utf-8")
    assert '<audio id="audio" controls preload="auto" src="page.mp3">' in page
    manifest = json.loads((out / "page.json").read_text(encoding="utf-8"))
    assert manifest["audio"] == "page.mp3"
    stream = probe(out / "page.mp3")
    assert stream["streams"][0]["codec_name"] == "mp3"
    assert abs(float(stream["format"]["duration"]) * 1000 - manifest["duration_ms"]) < 60
    tags = ID3(out / "page.mp3")
    assert tags["TIT2"].text == ["Harbour"] and tags["TPE1"].text == ["A. Sailor"]
    starts = [s["start_ms"] for p in manifest["paragraphs"] for s in p["sentences"]]
    assert [int(n) for n in re.findall(r'data-start="(\d+)"', page)][-len(starts) :] == starts


def test_embed_audio_puts_the_mp3_inside_the_page(run_cli, write_text, tmp_path):
    write_text("harbour.md", PIECE)
    beside = run_cli("narrate", "harbour.md", "-o", "beside.html", "--engine", "fake")
    alone = run_cli("narrate", "harbour.md", "-o", "alone.html", "--engine", "fake",
                    "--embed-audio")  # fmt: skip
    assert beside.returncode == 0 and alone.returncode == 0, alone.stderr.decode()
    assert not (tmp_path / "alone.mp3").exists()
    page = (tmp_path / "alone.html").read_text(encoding="utf-8")
    data = re.search(r'src="data:audio/mpeg;base64,([A-Za-z0-9+/=]+)"', page)
    assert data is not None
    assert base64.b64decode(data.group(1)) == (tmp_path / "beside.mp3").read_bytes()


def test_a_failed_page_or_book_leaves_nothing(run_cli, write_text, tmp_path):
    write_text("bad.txt", "Fine words. CRASH always here.")
    for output in ("bad.html", "bad.epub"):
        result = run_cli("narrate", "bad.txt", "-o", output, "--engine", "fake", "--manifest",
                         env={"AUDIO_EDITION_FAKE_FAULTS": "1"})  # fmt: skip
        assert result.returncode == 1
        errors = [line for line in result.stderr.decode().splitlines() if "error" in line]
        assert errors == [
            'audio-edition: error: paragraph 1 ("CRASH always here.") could not be spoken: '
            "the engine process died (exit code 70)"
        ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt"]


def test_an_existing_page_is_kept_without_force(run_cli, write_text, tmp_path):
    write_text("harbour.md", PIECE)
    (tmp_path / "page.mp3").write_bytes(b"mine")
    result = run_cli("narrate", "harbour.md", "-o", "page.html", "--engine", "fake")
    assert result.returncode != 0
    assert "page.mp3" in result.stderr.decode()
    assert (tmp_path / "page.mp3").read_bytes() == b"mine"
    assert not (tmp_path / "page.html").exists()


def test_embed_audio_needs_a_page(run_cli, write_text, tmp_path):
    write_text("a.txt", "One sentence.")
    result = run_cli("narrate", "a.txt", "-o", "a.epub", "--engine", "fake", "--embed-audio")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "audio-edition: error: --embed-audio needs an .html output, not 'a.epub'"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_a_book_takes_the_voice_and_rate(run_cli, write_text, tmp_path):
    write_text("harbour.md", PIECE)
    for rate in ("120", "240"):
        result = run_cli("narrate", "harbour.md", "-o", f"r{rate}.epub", "--engine", "fake",
                         "--voice", "fake-16k", "--rate", rate)  # fmt: skip
        assert result.returncode == 0, result.stderr.decode()
    lengths = []
    for rate in ("120", "240"):
        with zipfile.ZipFile(tmp_path / f"r{rate}.epub") as book:
            (tmp_path / f"r{rate}.mp3").write_bytes(book.read("EPUB/audio/book.mp3"))
        lengths.append(float(probe(tmp_path / f"r{rate}.mp3")["format"]["duration"]))
    assert lengths[0] > lengths[1] * 1.3  # half the rate, much longer speech


def test_a_page_is_never_narrated_into_itself(run_cli, write_text, tmp_path):
    source = write_text("post.html", "<html><body><p>Words on a page.</p></body></html>")
    before = source.read_bytes()
    result = run_cli("narrate", "post.html", "-o", "post.html", "--engine", "fake", "--force")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "audio-edition: error: post.html would be narrated into itself (post.html)"
    ]
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["post.html"]


def test_check_measures_the_audio_inside_a_book_or_a_page(run_cli, write_text, tmp_path):
    write_text("harbour.md", PIECE)
    for output, extra in (("a.mp3", ()), ("b.epub", ()), ("c.html", ()),
                          ("d.html", ("--embed-audio",))):  # fmt: skip
        made = run_cli("narrate", "harbour.md", "-o", output, "--engine", "fake", *extra)
        assert made.returncode == 0, made.stderr.decode()
    reports = {}
    for name in ("a.mp3", "b.epub", "c.html", "d.html"):
        result = run_cli("check", name, "--json")
        assert result.returncode == 0, result.stderr.decode()
        reports[name] = json.loads(result.stdout)
    levels = {name: report["levels"] for name, report in reports.items()}
    assert levels["b.epub"] == levels["c.html"] == levels["d.html"] == levels["a.mp3"]
    assert all(report["stream"]["codec"] == "mp3" for report in reports.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a.mp3",
        "b.epub",
        "c.html",
        "c.mp3",
        "d.html",
        "harbour.md",
    ]  # nothing copied out is left behind


def test_check_of_a_page_or_book_without_audio_is_one_line(run_cli, write_text):
    write_text("plain.html", "<html><body><p>No audio.</p></body></html>")
    write_text("fake.epub", "not a zip")
    for name, message in (("plain.html", "plain.html is not a read-along page: it has no audio"),
                          ("fake.epub", "fake.epub is not a readable EPUB (corrupt zip archive: "
                                        "File is not a zip file)")):  # fmt: skip
        result = run_cli("check", name)
        assert result.returncode == 2
        assert result.stderr.decode().splitlines() == [f"audio-edition: error: {message}"]


@needs_listening
@pytest.mark.e2e
def test_proof_listens_to_the_audio_inside_a_book_or_a_page(run_cli, tmp_path, example_text):
    (tmp_path / "review.txt").write_text(example_text, encoding="utf-8")
    for output, extra in (("review.epub", ()), ("review.html", ("--embed-audio",))):
        result = run_cli("narrate", "review.txt", "-o", output, "--proof", *extra)
        assert result.returncode == 0, result.stderr.decode()
        assert "proof-listening: all 7 paragraphs heard in order" in result.stderr.decode()
