"""The studio's JSON API, through a real server: documents, narrations, jobs and errors."""

from __future__ import annotations

import http.client
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from audio_edition.studio.folder import MAX_UPLOAD_BYTES
from tests.audio import decode
from tests.studio.conftest import Client


def multipart(name: str, data: bytes) -> tuple[bytes, dict[str, str]]:
    """A multipart body with the file `name` as its field "file", and its headers."""
    boundary = "studio-test-boundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + (
            f"\r\n--{boundary}--\r\n").encode()  # fmt: skip
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def test_health(studio: Client) -> None:
    reply = studio.get("/api/health")
    assert reply.status == 200 and reply.json()["ok"] is True


def test_documents_are_the_folders_documents(studio: Client, folder: Path) -> None:
    (folder / "part two").mkdir()
    (folder / "part two" / "chapter.txt").write_text("A second chapter.", encoding="utf-8")
    (folder / ".hidden.md").write_text("Hidden.", encoding="utf-8")
    (folder / "notes.json").write_text("{}", encoding="utf-8")
    (folder / "output").mkdir()
    (folder / "output" / "story.html").write_text("<p>An edition.</p>", encoding="utf-8")
    ids = [document["id"] for document in studio.get("/api/documents").json()["documents"]]
    assert ids == ["part two/chapter.txt", "story.md"]


def test_a_document_as_it_will_be_spoken(studio: Client) -> None:
    document = studio.get("/api/documents/story.md").json()
    assert document["title"] == "The Lighthouse" and document["voice"] == "fake:fake"
    sentences = {sentence["id"]: sentence for chapter in document["chapters"]
                 for paragraph in chapter["paragraphs"]
                 for sentence in paragraph["sentences"]}  # fmt: skip
    first = sentences["s1-0"]
    assert first["written"] == "The keeper climbed 120 steps."
    assert first["spoken"] == "The keeper climbed one hundred and twenty steps."
    assert first["differs"] is True and first["parts"][0]["voice"] == "fake:fake"
    assert sentences["s0-0"]["differs"] is False  # the heading


def test_upload_is_saved_under_a_safe_name_and_listed(studio: Client, folder: Path) -> None:
    body, headers = multipart("../../evil name.md", b"# Uploaded\n\nIt came over the wire.\n")
    reply = studio.request("POST", "/api/documents", body, headers)
    assert reply.status == 201, reply
    assert reply.json() == {"id": "evil-name.md"}
    assert (folder / "evil-name.md").read_bytes().startswith(b"# Uploaded")
    again = studio.request("POST", "/api/documents", body, headers).json()
    assert again == {"id": "evil-name-2.md"}  # never replacing a file
    listed = [d["id"] for d in studio.get("/api/documents").json()["documents"]]
    assert "evil-name.md" in listed and "evil-name-2.md" in listed


@pytest.mark.parametrize(("name", "data", "words"), [
    ("program.exe", b"MZ", "a .txt"),
    ("binary.txt", bytes(range(256)) * 8, "binary"),
    ("empty.md", b"   \n", "no text"),
])  # fmt: skip
def test_an_upload_that_is_no_document_is_refused_and_not_kept(
    studio: Client, folder: Path, name: str, data: bytes, words: str
) -> None:
    body, headers = multipart(name, data)
    reply = studio.request("POST", "/api/documents", body, headers)
    assert reply.status == 400 and words in reply.json()["error"], reply
    assert sorted(p.name for p in folder.iterdir()) == ["story.md"]


def test_an_upload_over_the_limit_is_refused_before_it_is_read(studio: Client) -> None:
    body, headers = multipart("big.txt", b"word " * 10)
    headers["Content-Length"] = str(MAX_UPLOAD_BYTES + 1)
    reply = studio.request("POST", "/api/documents", body, headers)
    assert reply.status == 413 and f"{MAX_UPLOAD_BYTES:,}" in reply.json()["error"]


def test_narrate_reaches_done_and_serves_its_audio(studio: Client, tmp_path: Path) -> None:
    reply = studio.request("POST", "/api/documents/story.md/narrations", {"voice": "fake:fake"})
    job = reply.json()["job"]
    events = studio.get(f"/api/jobs/{job}/events")  # streams until the job is finished
    assert events.headers["content-type"].startswith("text/event-stream")
    states = [line for line in events.body.decode().splitlines() if line.startswith("data: ")]
    assert states and '"state": "done"' in states[-1], states
    state = studio.get(f"/api/jobs/{job}").json()
    assert state["progress"] == 1.0 and state["stats"] == {"synthesized": 4, "cached": 0}
    audio = studio.get(f"/api/jobs/{job}/audio")
    assert audio.status == 200 and audio.headers["content-type"] == "audio/mpeg"
    (tmp_path / "got.mp3").write_bytes(audio.body)
    assert len(decode(tmp_path / "got.mp3")) > 44_100  # seconds of audio
    again = studio.narrate("story.md")
    assert again["stats"] == {"synthesized": 0, "cached": 4}


def test_editions_are_written_below_the_output_folder(studio: Client, folder: Path) -> None:
    (folder / "part").mkdir()
    (folder / "part" / "one.txt").write_text("One short part.", encoding="utf-8")
    for form in ("html", "epub", "wav"):
        assert studio.narrate("part/one.txt", format=form)["state"] == "done"
    made = sorted(p.relative_to(folder).as_posix() for p in (folder / "output").rglob("*"))
    assert made == ["output/part", "output/part/one.epub", "output/part/one.html",
                    "output/part/one.mp3", "output/part/one.wav"]  # fmt: skip
    page = studio.get("/files/part/one.html")
    assert page.status == 200 and b'src="one.mp3"' in page.body


def test_a_failing_narration_fails_its_job_and_the_next_one_runs(
    studio: Client, folder: Path
) -> None:
    (folder / "mute.txt").write_text("This sentence is MUTE every time.", encoding="utf-8")
    failed = studio.narrate("mute.txt")
    assert failed["state"] == "failed" and "MUTE" in failed["error"], failed
    assert studio.narrate("story.md")["state"] == "done"


@pytest.mark.parametrize(("method", "path", "body", "status", "words"), [
    ("POST", "/api/documents/story.md/narrations", {"format": "doc"}, 400, "unknown format"),
    ("POST", "/api/documents/story.md/narrations", {"voice": "fake:nobody"}, 400, "nobody"),
    ("POST", "/api/documents/story.md/narrations", {"rate": 5}, 400, "rate"),
    ("POST", "/api/documents/story.md/narrations", {"rate": "fast"}, 400, "whole number"),
    ("POST", "/api/documents/story.md/narrations", b"{not json", 400, "not JSON"),
    ("POST", "/api/documents/story.md/narrations", [1], 400, "JSON object"),
    ("POST", "/api/documents/story.md/narrations", {"colour": 1}, 400, "unknown field"),
    ("POST", "/api/documents/absent.md/narrations", {}, 404, "absent.md"),
    ("GET", "/api/jobs/j999", None, 404, "j999"),
    ("GET", "/api/nothing", None, 404, "Not Found"),
    ("DELETE", "/api/documents/story.md", None, 405, "Method Not Allowed"),
    ("PUT", "/api/documents/story.md/sentences/s9-9", {"spoken": "x"}, 400, "s9-9"),
])  # fmt: skip
def test_errors_are_one_json_line(
    studio: Client, method: str, path: str, body: object, status: int, words: str
) -> None:
    reply = studio.request(method, path, body)
    assert reply.status == status, reply
    message = reply.json()["error"]
    assert words in message and "\n" not in message and "Traceback" not in message


@pytest.mark.parametrize("path", [
    "/api/documents/../story.md", "/api/documents/..%2f..%2fetc%2fpasswd",
    "/api/documents/%2e%2e/%2e%2e/etc/passwd", "/api/documents/%2Fetc%2Fpasswd",
    "/api/documents/..%2fsecret.md", "/api/documents/outside.md", "/api/documents/out/secret.md",
    "/files/../story.md",
    "/files/%2e%2e%2fstory.md", "/files/..%2F..%2Fsecret.md",
])  # fmt: skip
def test_no_path_outside_the_folder_is_read_or_served(
    studio: Client, folder: Path, tmp_path: Path, path: str
) -> None:
    (tmp_path / "secret.md").write_text("A secret outside the folder.", encoding="utf-8")
    (folder / "outside.md").symlink_to(tmp_path / "secret.md")
    (folder / "out").symlink_to(tmp_path)
    (folder / "output").mkdir()
    reply = studio.get(path)
    assert reply.status == 404, reply
    assert b"secret" not in reply.body.replace(b"secret.md", b"")


def test_a_state_changing_request_needs_the_header_and_its_own_origin(studio: Client) -> None:
    path = "/api/documents/story.md/narrations"
    bare = studio.request("POST", path, {}, guarded=False)
    assert bare.status == 403 and "x-audio-edition" in bare.json()["error"]
    foreign = studio.request("POST", path, {}, {"Origin": "http://evil.example"})
    assert foreign.status == 403 and "evil.example" in foreign.json()["error"]
    own = studio.request("POST", path, {}, {"Origin": f"http://127.0.0.1:{studio.port}"})
    assert own.status == 202, own


def test_another_host_name_is_refused_on_a_loopback_studio(studio: Client) -> None:
    reply = studio.get("/api/health", headers={"Host": f"rebound.example:{studio.port}"})
    assert reply.status == 421 and "rebound.example" in reply.json()["error"]


def test_a_studio_with_a_token_refuses_requests_without_it(folder: Path, tmp_path: Path) -> None:
    from tests.studio.conftest import serving

    for client in serving(folder, tmp_path / "cache", token="s3cret"):
        anonymous = Client(client.port)
        assert anonymous.get("/api/health").status == 401
        assert anonymous.get("/api/health?token=wrong").status == 401
        assert client.get("/api/health").status == 200  # Authorization: Bearer
        first = anonymous.get("/?token=s3cret")
        assert first.status == 200
        cookie = first.headers["set-cookie"].split(";")[0]
        assert "HttpOnly" in first.headers["set-cookie"]
        assert anonymous.get("/api/health", headers={"Cookie": cookie}).status == 200


def test_a_fixed_sentence_is_the_one_clip_synthesized_again(studio: Client, folder: Path) -> None:
    assert studio.narrate("story.md")["stats"]["synthesized"] == 4
    source = (folder / "story.md").read_bytes()
    reply = studio.request("PUT", "/api/documents/story.md/sentences/s1-1",
                           {"spoken": "Doctor Smyth waved from the shore."})  # fmt: skip
    assert reply.status == 200, reply
    assert reply.json()["written"] == "Dr. Smith waved from the shore."
    assert (folder / "story.md").read_bytes() == source  # the fix is kept beside it
    again = studio.narrate("story.md")
    assert again["stats"] == {"synthesized": 1, "cached": 3}


def test_the_page_and_its_assets_are_served_by_the_studio(studio: Client) -> None:
    page = studio.get("/")
    assert page.status == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    for asset in (b"/static/studio.js", b"/static/studio.css"):
        assert asset in page.body
        assert studio.get(asset.decode()).status == 200
    assert b"http" not in page.body  # nothing from another site
    assert studio.get("/static/../app.py").status == 404


def test_serve_makes_a_token_for_another_host_and_prints_its_address(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "audio_edition", "serve", str(tmp_path), "--host",
               "0.0.0.0", "--port", "0"]  # fmt: skip
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as process:  # fmt: skip
        assert process.stdout is not None
        line = process.stdout.readline()
        process.terminate()
    assert line.startswith(f"audio-edition studio for {tmp_path}: http://0.0.0.0:"), line
    assert "?token=" in line and len(line.split("?token=")[1].strip()) >= 24


@pytest.mark.parametrize(("args", "words"), [
    (["serve", "/no/such/folder"], "/no/such/folder: no such folder"),
    (["serve", ".", "--port", "70000"], "--port must be between 0 and 65535, not 70000"),
    (["serve", ".", "--token", " "], "--token must not be empty"),
])  # fmt: skip
def test_bad_serve_arguments_are_one_line(run_cli, args: list[str], words: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stderr.decode() == f"audio-edition: error: {words}\n"


def test_a_port_in_use_is_one_line(run_cli) -> None:
    from audio_edition.studio.server import bind

    with bind("127.0.0.1", 0) as taken:
        result = run_cli("serve", ".", "--port", str(taken.getsockname()[1]))
    assert result.returncode == 2
    message = result.stderr.decode()
    assert message.startswith("audio-edition: error: cannot listen on 127.0.0.1:")
    assert message.count("\n") == 1


def test_the_default_voice_is_the_one_narrate_picks(folder: Path, tmp_path: Path) -> None:
    from audio_edition.narration.plan import Options, plan_narration
    from audio_edition.studio.documents import voice_name
    from tests.studio.conftest import serving

    plan = plan_narration(folder / "story.md", tmp_path / "story.mp3", Options())
    picked = voice_name(plan.synthesis.voices[0])
    for client in serving(folder, tmp_path / "cache", voice=None):
        answer = client.get("/api/voices").json()
        assert answer["default"] == picked, answer["default"]
        assert [v["id"] for v in answer["voices"]].count(picked) == 1


def test_an_engines_default_voice_is_named_as_such(folder: Path, tmp_path: Path) -> None:
    from tests.studio.conftest import serving

    for client in serving(folder, tmp_path / "cache", voice="fake:"):
        answer = client.get("/api/voices").json()
        assert answer["default"] == "fake:"
        assert {"id": "fake:", "name": "fake (default voice)", "languages": []} in answer["voices"]


def test_the_spoken_text_to_edit_leaves_out_a_words_ipa(studio: Client, folder: Path) -> None:
    pytest.importorskip("hibari")
    (folder / "name.md").write_text("Siobhan came home.", encoding="utf-8")
    (folder / "name.audio-edition.toml").write_text(
        '[words]\nSiobhan = { say = "shiv awn", ipa = "ʃɪvˈɔn" }\n', encoding="utf-8")  # fmt: skip
    document = studio.get("/api/documents/name.md?voice=hibari:heart").json()
    sentence = document["chapters"][0]["paragraphs"][0]["sentences"][0]
    assert sentence["spoken"] == "shiv awn /ʃɪvˈɔn/ came home."  # as it will be spoken
    assert sentence["editable"] == "shiv awn came home."  # as a fix would be written


def feed(studio: Client) -> Any:
    """The studio's published feed, parsed by feedparser (strictly: not bozo)."""
    import feedparser

    reply = studio.get("/files/site/feed.xml")
    assert reply.status == 200, reply
    parsed = feedparser.parse(reply.body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_publish_writes_a_feed_of_the_folder(studio: Client, folder: Path) -> None:
    (folder / "part").mkdir()
    (folder / "part" / "two.txt").write_text("A second episode.", encoding="utf-8")
    assert studio.narrate("story.md", format="html")["state"] == "done"  # an edition: no episode
    show = {"base_url": "https://example.org/show/", "title": "The Show"}
    reply = studio.request("POST", "/api/publish", show)
    assert reply.status == 202, reply
    done = studio.wait(reply.json()["job"])
    assert done["state"] == "done", done
    assert done["kind"] == "publish" and done["episodes"] == 2 and done["failed"] == []
    assert done["feed"] == "/files/site/feed.xml" and done["stats"]["synthesized"] == 1
    parsed = feed(studio)
    assert parsed.feed.title == "The Show"
    enclosures = sorted(entry.enclosures[0].href for entry in parsed.entries)
    assert enclosures == ["https://example.org/show/part/two.mp3",
                          "https://example.org/show/story.mp3"]  # fmt: skip
    assert (folder / "output" / "site" / "part" / "two.mp3").is_file()
    again = studio.wait(studio.request("POST", "/api/publish", show).json()["job"])
    assert again["state"] == "done" and again["stats"]["synthesized"] == 0  # up to date
    assert [d["id"] for d in studio.get("/api/documents").json()["documents"]] == [
        "part/two.txt", "story.md"]  # the site is no document  # fmt: skip


@pytest.mark.parametrize(("body", "status", "words"), [
    ({}, 400, "base_url is needed"),
    ({"base_url": "ftp://example.org/"}, 400, "http"),
    ({"base_url": "https://example.org/", "category": "Nonsense"}, 400, "Nonsense"),
    ({"base_url": "https://example.org/", "explicit": "yes"}, 400, "true or false"),
    ({"base_url": "https://example.org/", "image": "../cover.png"}, 404, "cover.png"),
    ({"base_url": "https://example.org/", "colour": 1}, 400, "unknown field"),
])  # fmt: skip
def test_a_bad_publish_request_is_one_json_line(
    studio: Client, body: dict[str, Any], status: int, words: str
) -> None:
    reply = studio.request("POST", "/api/publish", body)
    assert reply.status == status, reply
    message = reply.json()["error"]
    assert words in message and "\n" not in message


def test_only_a_finished_narration_is_proof_listened(studio: Client) -> None:
    published = studio.request("POST", "/api/publish", {"base_url": "https://example.org/"})
    job = published.json()["job"]
    studio.wait(job)
    reply = studio.request("POST", f"/api/jobs/{job}/proof")
    assert reply.status == 409 and "not a narration" in reply.json()["error"]
    assert studio.request("POST", "/api/jobs/j999/proof").status == 404


def test_the_audio_plays_while_it_is_made_and_is_the_editions(studio: Client, folder: Path) -> None:
    """GET /api/jobs/{job}/audio while the narration runs: the MP3 made so far at once, then
    the rest as it is made; its frames are the edition's (behind its tags and Info header)."""
    paragraphs = (f"Paragraph {n} is SLOW to say, a word at a time." for n in range(8))
    (folder / "slow.md").write_text("\n\n".join(paragraphs), encoding="utf-8")
    reply = studio.request("POST", "/api/documents/slow.md/narrations", {"format": "mp3"})
    job = reply.json()["job"]
    connection = http.client.HTTPConnection("127.0.0.1", studio.port, timeout=60)
    connection.request(
        "GET", f"/api/jobs/{job}/audio", headers={"Host": f"127.0.0.1:{studio.port}"}
    )
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("content-type") == "audio/mpeg"
    first = response.read1(1 << 16)
    assert first and studio.get(f"/api/jobs/{job}").json()["state"] == "running"
    heard = first + response.read()
    connection.close()
    assert studio.wait(job)["state"] == "done"
    edition = studio.get(f"/api/jobs/{job}/edition").body
    assert len(heard) > 10_000 and edition.find(heard) > 0
