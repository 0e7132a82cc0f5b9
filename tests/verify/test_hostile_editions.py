"""`check` on editions made to harm: a zip bomb of an EPUB, a page whose audio points at a
server, another protocol or a file elsewhere, an audio file named like a protocol, and
manifests and pages that are malformed. Each gets one line and exit 2; nothing is fetched,
inflated or read that the edition did not bring."""

from __future__ import annotations

import base64
import json
import shutil
import socket
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from audio_edition.editions.page import AUDIO_DATA_URL
from audio_edition.errors import InputError
from audio_edition.verify.check import check

GiB = 1024 * 1024 * 1024


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """An EPUB of about 5 MB whose MP3 is 1 GiB of zeros, deflated."""
    book = tmp_path_factory.mktemp("bomb") / "bomb.epub"
    zeros = bytes(1024 * 1024)
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        with archive.open("EPUB/audio.mp3", "w", force_zip64=True) as member:
            for _ in range(GiB // len(zeros)):
                member.write(zeros)
    assert book.stat().st_size < 8 * 1024 * 1024
    return book


def test_check_refuses_a_zip_bomb_from_its_directory(bomb, tmp_path, monkeypatch):
    """Issue 23, item 5: nothing is inflated, into memory or a temporary file."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as refused:
            check(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(refused.value) == (
        f"{bomb} is refused: EPUB/audio.mp3 would inflate to 1024 MiB (a zip bomb?)"
    )
    assert peak < 16 * 1024 * 1024
    assert list(temporary.iterdir()) == []


def test_the_command_line_refuses_it_in_one_line(bomb, run_cli, tmp_path):
    shutil.copy(bomb, tmp_path / "bomb.epub")
    result = run_cli("check", "bomb.epub")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "audio-edition: error: bomb.epub is refused: EPUB/audio.mp3 would inflate to 1024 MiB "
        "(a zip bomb?)"
    ]


@pytest.fixture
def mp3(run_cli, tmp_path) -> bytes:
    """A short MP3 narrated by the fake engine, as bytes (the file is removed)."""
    (tmp_path / "words.txt").write_text("A few words to hear.", encoding="utf-8")
    made = run_cli("narrate", "words.txt", "-o", "words.mp3", "--engine", "fake")
    assert made.returncode == 0, made.stderr.decode()
    data = (tmp_path / "words.mp3").read_bytes()
    (tmp_path / "words.mp3").unlink()
    return data


def page(folder: Path, src: str) -> None:
    (folder / "page.html").write_text(
        f'<html><body><audio id="audio" controls src="{src}"></audio></body></html>',
        encoding="utf-8",
    )


class Listener:
    """A TCP port on 127.0.0.1 that takes connections, to tell whether any came."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.server.setblocking(False)
        self.port = self.server.getsockname()[1]

    def connected(self) -> bool:
        try:
            self.server.accept()[0].close()
        except BlockingIOError:
            return False
        return True


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.server.close()


@pytest.mark.parametrize(
    "src",
    ["http://127.0.0.1:PORT/x.mp3", "tcp://127.0.0.1:PORT", "concat:beside.mp3|beside.mp3",
     "file:/etc/passwd", "../outside.mp3", "ABSOLUTE", "sub/beside.mp3", "%2e%2e%2foutside.mp3",
     "data:audio/ogg;base64,AAAA"],
)  # fmt: skip
def test_a_page_whose_audio_is_not_a_file_beside_it_is_refused(
    run_cli, tmp_path, mp3, listener, src
):
    """Issue 23, item 8: the page's src never reaches ffmpeg, which would follow it."""
    folder = tmp_path / "site"
    (folder / "sub").mkdir(parents=True)
    for path in (folder / "beside.mp3", folder / "sub" / "beside.mp3", tmp_path / "outside.mp3"):
        path.write_bytes(mp3)
    port = str(listener.port)
    src = src.replace("PORT", port).replace("ABSOLUTE", str(tmp_path / "outside.mp3"))
    page(folder, src)
    result = run_cli("check", "site/page.html")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"audio-edition: error: site/page.html: its audio {src!r} is not a file beside the page "
        f"(check reads only a file name beside it, or an MP3 embedded as {AUDIO_DATA_URL}...)"
    ]
    assert not listener.connected()


def test_a_page_in_the_current_folder_asks_no_server(run_cli, tmp_path, listener):
    """The case of the issue: `check page.html`, its src an http URL."""
    page(tmp_path, f"http://127.0.0.1:{listener.port}/x.mp3")
    result = run_cli("check", "page.html")
    assert result.returncode == 2 and len(result.stderr.decode().splitlines()) == 1
    assert not listener.connected()


def test_a_file_beside_the_page_or_a_data_url_is_checked(run_cli, tmp_path, mp3):
    (tmp_path / "beside it.mp3").write_bytes(mp3)
    for src in ("beside%20it.mp3", AUDIO_DATA_URL + base64.b64encode(mp3).decode("ascii")):
        page(tmp_path, src)
        result = run_cli("check", "page.html", "--json")
        assert result.returncode in (0, 1), result.stderr.decode()
        assert json.loads(result.stdout)["stream"]["codec"] == "mp3"


@pytest.mark.parametrize(
    "src, message",
    [(AUDIO_DATA_URL + "@@not base64@@", "its embedded audio is not valid base64"),
     (AUDIO_DATA_URL + "QUJ", "its embedded audio is not valid base64"),
     ("gone.mp3", "its audio gone.mp3 is not beside it")],
)  # fmt: skip
def test_a_page_with_broken_audio_is_one_line(run_cli, tmp_path, src, message):
    """Issue 23, item 16: an invalid base64 data: URL was a binascii traceback."""
    page(tmp_path, src)
    result = run_cli("check", "page.html")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [f"audio-edition: error: page.html: {message}"]


@pytest.mark.parametrize("name", ["concat:words.mp3|words.mp3", "http:words.mp3"])
def test_an_audio_file_named_like_a_protocol_is_read_as_a_file(run_cli, tmp_path, mp3, name):
    """ffmpeg and ffprobe are given file: URLs, so a name is never a protocol."""
    (tmp_path / "words.mp3").write_bytes(b"not the audio checked")
    (tmp_path / name).write_bytes(mp3)
    result = run_cli("check", name, "--json")
    assert result.returncode in (0, 1), result.stderr.decode()
    report = json.loads(result.stdout)
    assert report["stream"]["codec"] == "mp3" and report["stream"]["duration_s"] > 0.5


@pytest.mark.parametrize(
    "change, message",
    [({"language": 5}, "its language is 5, not a language code"),
     ({"duration_ms": 1e999}, "cannot convert float infinity to integer")],
)  # fmt: skip
def test_a_manifest_with_a_wrong_field_is_one_line(run_cli, tmp_path, mp3, change, message):
    """Issue 23, item 16: `"language": 5` was an AttributeError traceback."""
    (tmp_path / "words.mp3").write_bytes(mp3)
    manifest = {"paragraphs": [{"text": "A few words.", "start_ms": 0, "end_ms": 900}],
                "duration_ms": 1000, **change}  # fmt: skip
    (tmp_path / "words.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = run_cli("check", "words.mp3", "--manifest", "words.json")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"audio-edition: error: words.json is not an audio-edition manifest ({message})"
    ]
