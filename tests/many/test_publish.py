"""`audio-edition publish`: a folder of documents as a podcast feed, checked with feedparser,
lxml and the episode files themselves."""

from __future__ import annotations

import email.utils
import html
import json
import os
import shutil
import struct
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
import webvtt
from lxml import etree
from PIL import Image

from audio_edition.clock import clock
from audio_edition.errors import UsageError
from audio_edition.many.show import check_category, check_image
from tests.audio import probe

BASE = "https://example.org/quiet films/"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PODCAST = "{https://podcastindex.org/namespace/1.0}"

FIRST = """---
title: First Light
date: 2026-11-20
summary: A review of a quiet film.
---

The film opens at dawn. It is slow and lovely.

## The ending

It ends at night, and the lights go out one by one.
"""
SECOND = "Second piece. It has no front matter at all.\n\nA second paragraph follows it.\n"
THIRD = """---
title: Third Thoughts
id: tag:example.org,2026:third
---

# Third Thoughts

A third piece, with an id of its own.
"""


def image(path: Path, size: tuple[int, int] = (1400, 1400), mode: str = "RGB",
          kind: str = "JPEG") -> Path:  # fmt: skip
    Image.new(mode, size, 128 if mode in ("L", "P") else (200, 120, 40)[: len(mode)]).save(
        path, kind
    )
    return path


@pytest.fixture
def posts(tmp_path: Path) -> Path:
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "first.md").write_text(FIRST, encoding="utf-8")
    (folder / "second note.txt").write_text(SECOND, encoding="utf-8")
    (folder / "more").mkdir()
    (folder / "more" / "third.md").write_text(THIRD, encoding="utf-8")
    image(tmp_path / "cover.jpg")
    return folder


@pytest.fixture
def publish(run_cli):
    def run(*extra: str, env: dict[str, str] | None = None):
        return run_cli("publish", "posts", "--output-dir", "site", "--base-url", BASE,
                       "--title", "Quiet Films", "--author", "Ann Critic", "--image",
                       "cover.jpg", "--category", "Arts/Books", "--engine", "fake", *extra,
                       env=env)  # fmt: skip

    return run


def feed_xml(site: Path) -> etree._Element:
    return etree.parse(str(site / "feed.xml")).getroot()


def site_file(url: str, site: Path) -> Path:
    """The file a feed URL names in the site folder."""
    assert url.startswith(urlsplit(BASE)._replace(path="").geturl())
    path = unquote(urlsplit(url).path)
    prefix = unquote(urlsplit(BASE).path)
    assert path.startswith(prefix), url
    return site / path[len(prefix) :]


def items(site: Path) -> dict[str, etree._Element]:
    return {item.findtext("title"): item for item in feed_xml(site).iter("item")}


def test_the_feed_parses_without_bozo_and_has_apples_tags(publish, posts, tmp_path):
    result = publish("--explicit")
    assert result.returncode == 0, result.stderr.decode()
    site = tmp_path / "site"
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.title == "Quiet Films"
    assert len(parsed.entries) == 3
    channel = feed_xml(site).find("channel")
    for tag in ("title", "link", "description", "language", "lastBuildDate"):
        assert channel.findtext(tag), tag
    assert channel.findtext(f"{ITUNES}author") == "Ann Critic"
    assert channel.findtext(f"{ITUNES}explicit") == "true"
    category = channel.find(f"{ITUNES}category")
    assert category.get("text") == "Arts"
    assert category.find(f"{ITUNES}category").get("text") == "Books"
    cover = site_file(channel.find(f"{ITUNES}image").get("href"), site)
    assert cover.read_bytes() == (tmp_path / "cover.jpg").read_bytes()
    assert email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate")).tzinfo
    for item in channel.iter("item"):
        for tag in ("title", "description", "guid", "pubDate", "enclosure",
                    f"{ITUNES}duration"):  # fmt: skip
            assert item.find(tag) is not None, tag
        assert item.find("guid").get("isPermaLink") == "false"


def test_episodes_carry_their_documents_metadata(publish, posts, tmp_path):
    assert publish().returncode == 0
    episodes = items(tmp_path / "site")
    assert sorted(episodes) == ["First Light", "Third Thoughts", "second note"]
    first, second, third = (
        episodes["First Light"],
        episodes["second note"],
        episodes["Third Thoughts"],
    )
    assert first.findtext("description") == "A review of a quiet film."
    assert second.findtext("description") == "Second piece. It has no front matter at all."
    assert third.findtext("description") == "A third piece, with an id of its own."
    assert first.findtext("pubDate") == "Fri, 20 Nov 2026 00:00:00 +0000"
    assert third.findtext("guid") == "tag:example.org,2026:third"
    guids = [item.findtext("guid") for item in episodes.values()]
    assert len(set(guids)) == 3
    # newest first: the two without a date were first published now, after 20 November
    assert list(items(tmp_path / "site"))[-1] == "First Light"


def test_enclosures_are_the_files_with_their_exact_lengths(publish, posts, tmp_path):
    assert publish().returncode == 0
    site = tmp_path / "site"
    for item in items(site).values():
        enclosure = item.find("enclosure")
        audio = site_file(enclosure.get("url"), site)
        assert int(enclosure.get("length")) == audio.stat().st_size
        assert enclosure.get("type") == "audio/mpeg"
        assert probe(audio)["streams"][0]["codec_name"] == "mp3"
        duration = float(probe(audio)["format"]["duration"])
        assert abs(int(item.findtext(f"{ITUNES}duration")) - duration) <= 0.5
    url = items(site)["second note"].find("enclosure").get("url")
    assert url == "https://example.org/quiet%20films/second%20note.mp3"
    nested = items(site)["Third Thoughts"].find("enclosure").get("url")
    assert nested == "https://example.org/quiet%20films/more/third.mp3"


def test_chapters_and_transcripts_agree_with_the_audio(publish, posts, tmp_path):
    assert publish().returncode == 0
    site = tmp_path / "site"
    item = items(site)["First Light"]
    manifest = json.loads((site / "first.json").read_text(encoding="utf-8"))
    chapters_url = item.find(f"{PODCAST}chapters")
    assert chapters_url.get("type") == "application/json+chapters"
    chapters = json.loads(site_file(chapters_url.get("url"), site).read_text(encoding="utf-8"))
    assert chapters["version"] == "1.2.0"
    assert [c["startTime"] for c in chapters["chapters"]] == [
        c["start_ms"] / 1000 for c in manifest["chapters"]
    ]
    assert [(c["title"], c["parent"]) for c in manifest["chapters"]] == [
        ("First Light", None), ("The ending", 0)
    ]  # fmt: skip
    # the format is flat: a nested chapter is titled by its path, as in M4B and Ogg
    assert [c["title"] for c in chapters["chapters"]] == ["First Light", "First Light: The ending"]
    duration = float(probe(site / "first.mp3")["format"]["duration"])
    assert all(0 <= c["startTime"] < duration for c in chapters["chapters"])
    transcripts = {t.get("type"): t.get("url") for t in item.iter(f"{PODCAST}transcript")}
    assert set(transcripts) == {"text/vtt", "application/x-subrip"}
    cues = webvtt.read(str(site_file(transcripts["text/vtt"], site)))
    sentences = [s for p in manifest["paragraphs"] for s in p["sentences"]]
    assert [cue.start for cue in cues] == [clock(s["start_ms"]) for s in sentences]
    assert cues[-1].end == clock(sentences[-1]["end_ms"])
    assert sentences[-1]["end_ms"] / 1000 <= duration
    assert site_file(transcripts["application/x-subrip"], site).read_text().startswith("1\n")


def test_an_edit_narrates_that_document_alone_and_keeps_its_guid_and_date(publish, posts, tmp_path):
    assert publish().returncode == 0
    site = tmp_path / "site"
    before = {title: (item.findtext("guid"), item.findtext("pubDate"))
              for title, item in items(site).items()}  # fmt: skip
    old_size = (site / "second note.mp3").stat().st_size
    (posts / "second note.txt").write_text(SECOND + "\nA third paragraph, added later.\n",
                                           encoding="utf-8")  # fmt: skip
    result = publish(env={"SOURCE_DATE_EPOCH": "1893456000"})  # 2030: a later build
    assert result.returncode == 0, result.stderr.decode()
    statuses = {
        line.split(" -> ")[0][12:]: line[:11].strip()
        for line in result.stderr.decode().splitlines()
        if " -> " in line
    }
    assert statuses == {
        "posts/first.md": "up to date", "posts/more/third.md": "up to date",
        "posts/second note.txt": "narrated",
    }  # fmt: skip
    after = items(site)
    assert {t: (i.findtext("guid"), i.findtext("pubDate")) for t, i in after.items()} == before
    enclosure = after["second note"].find("enclosure")
    assert int(enclosure.get("length")) == (site / "second note.mp3").stat().st_size != old_size
    duration = float(probe(site / "second note.mp3")["format"]["duration"])
    assert abs(int(after["second note"].findtext(f"{ITUNES}duration")) - duration) <= 0.5
    assert feed_xml(site).findtext("channel/lastBuildDate").endswith("2030 00:00:00 +0000")


def test_the_guid_follows_the_path_not_the_content(publish, posts, tmp_path):
    assert publish().returncode == 0
    guid = items(tmp_path / "site")["second note"].findtext("guid")
    shutil.rmtree(tmp_path / "site")
    (posts / "second note.txt").write_text("Entirely new words.\n", encoding="utf-8")
    assert publish().returncode == 0
    assert items(tmp_path / "site")["second note"].findtext("guid") == guid


def test_read_along_pages_are_linked_from_the_feed_and_the_index(publish, posts, tmp_path):
    result = publish("--read-along")
    assert result.returncode == 0, result.stderr.decode()
    site = tmp_path / "site"
    link = items(site)["First Light"].findtext("link")
    page = site_file(link, site)
    assert page.name == "first.html" and 'src="first.mp3"' in page.read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="first.html">Read along</a>' in index
    assert '<audio controls preload="none" src="second%20note.mp3">' in index
    assert '<a href="feed.xml">' in index


def test_the_index_lists_every_episode_with_a_player(publish, posts, tmp_path):
    assert publish().returncode == 0
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert index.count("<audio controls") == 3
    assert "Read along" not in index
    for title in ("First Light", "second note", "Third Thoughts"):
        assert f"<h2>{title}</h2>" in index
    assert "http" not in index.replace(BASE.replace(" ", "%20"), "").replace(BASE, "")


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: image(p, (1400, 1000)), "is 1400x1000; it must be square"),
        (lambda p: image(p, (1200, 1200)), "is 1200x1200; it must be 1400 to 3000 px"),
        (lambda p: image(p, (3001, 3001)), "is 3001x3001; it must be 1400 to 3000 px"),
        (lambda p: image(p, mode="CMYK"), "is in CMYK color; it must be RGB"),
        (lambda p: image(p, mode="L", kind="PNG"), "is in L color; it must be RGB"),
        (lambda p: image(p, kind="GIF"), "is GIF; it must be JPEG or PNG"),
        (lambda p: p.write_bytes(b"not an image"), "is not a JPEG or PNG image"),
    ],
)
def test_a_bad_image_is_refused_before_any_work(run_cli, posts, tmp_path, make, message):
    make(tmp_path / "bad.img")
    result = run_cli("publish", "posts", "--output-dir", "site", "--base-url", BASE,
                     "--image", "bad.img", "--engine", "fake")  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"audio-edition: error: --image bad.img {message}"
    ]
    assert not (tmp_path / "site").exists()


def test_3000_px_is_the_largest_image_accepted(publish, posts, tmp_path):
    image(tmp_path / "cover.jpg", (3000, 3000))
    assert publish().returncode == 0


@pytest.mark.parametrize("url", ["ftp://example.org/pod/", "example.org/pod", "https://"])
def test_a_base_url_that_is_not_http_is_refused(run_cli, posts, tmp_path, url):
    result = run_cli("publish", "posts", "--output-dir", "site", "--base-url", url,
                     "--engine", "fake")  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"audio-edition: error: --base-url must be an http:// or https:// URL, not {url!r}"
    ]
    assert not (tmp_path / "site").exists()


def test_an_unknown_category_is_refused(run_cli, posts, tmp_path):
    result = run_cli("publish", "posts", "--output-dir", "site", "--base-url", BASE,
                     "--category", "Films", "--engine", "fake")  # fmt: skip
    assert result.returncode == 2
    assert "is not an Apple Podcasts category" in result.stderr.decode()
    assert not (tmp_path / "site").exists()


def test_publish_works_on_a_dask_cluster(publish, posts, tmp_path):
    pytest.importorskip("distributed")
    result = publish("--cluster", "local:1")
    assert result.returncode == 0, result.stderr.decode()
    assert not feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes()).bozo
    assert len(items(tmp_path / "site")) == 3


def test_a_date_that_is_not_one_is_reported_and_first_publication_used(run_cli, tmp_path):
    (tmp_path / "posts").mkdir()
    odd = tmp_path / "posts" / "odd.md"
    odd.write_text("---\ntitle: Odd\ndate: some day soon\n---\n\nWords.\n", encoding="utf-8")
    os.utime(odd, (1_700_000_000, 1_700_000_000))
    result = run_cli("publish", "posts", "--output-dir", "site", "--base-url", BASE,
                     "--engine", "fake", env={"SOURCE_DATE_EPOCH": "1893456000"})  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    assert (
        "audio-edition: site/odd.mp3: date 'some day soon' is not a date; using when it was "
        "first published" in result.stderr.decode().splitlines()
    )
    assert items(tmp_path / "site")["Odd"].findtext("pubDate") == "Tue, 14 Nov 2023 22:13:20 +0000"


def undated(tmp_path: Path, mtimes: dict[str, int]) -> None:
    """posts/NAME.txt for each name, modified at its time."""
    (tmp_path / "posts").mkdir()
    for name, mtime in mtimes.items():
        path = tmp_path / "posts" / f"{name}.txt"
        path.write_text(f"The post called {name}.\n", encoding="utf-8")
        os.utime(path, (mtime, mtime))


def pub_dates(site: Path) -> dict[str, str]:
    return {title: item.findtext("pubDate") for title, item in items(site).items()}


def test_undated_episodes_are_first_published_at_their_files_times_in_order(run_cli, tmp_path):
    """Equal times are ordered by path, a second apart; the feed lists the newest first."""
    undated(tmp_path, {"b": 1_700_000_000, "a": 1_700_000_000, "c": 1_600_000_000})
    result = run_cli("publish", "posts", "--output-dir", "site", "--base-url", BASE,
                     "--engine", "fake")  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    assert list(pub_dates(tmp_path / "site").items()) == [
        ("b", "Tue, 14 Nov 2023 22:13:20 +0000"),
        ("a", "Tue, 14 Nov 2023 22:13:19 +0000"),
        ("c", "Sun, 13 Sep 2020 12:26:40 +0000"),
    ]


def test_first_publication_is_never_after_the_build_time(run_cli, tmp_path):
    """Files changed after SOURCE_DATE_EPOCH (or dated in the future) are published at it,
    still a second apart, in order."""
    undated(tmp_path, {"a": 1_700_000_000, "b": 1_700_000_005, "c": 1_500_000_000})
    result = run_cli("publish", "posts", "--output-dir", "site", "--base-url", BASE,
                     "--engine", "fake", env={"SOURCE_DATE_EPOCH": "1600000000"})  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    assert list(pub_dates(tmp_path / "site").items()) == [
        ("b", "Sun, 13 Sep 2020 12:26:40 +0000"),
        ("a", "Sun, 13 Sep 2020 12:26:39 +0000"),
        ("c", "Fri, 14 Jul 2017 02:40:00 +0000"),
    ]


README = """# audio-edition

[![build](https://example.org/badge.svg)](https://example.org) [![pypi](https://example.org/v.svg)](https://example.org)

**Features**

- [Install](#install)
- [Usage](#usage)

Fast · Small · Offline

It turns a written piece into a narrated audio edition, offline. It reads Markdown.

## Install

Run pip.
"""


def test_the_description_is_the_first_paragraph_of_prose(run_cli, tmp_path):
    """Badges, a bold "Features", a list of links and a line of words without a sentence's end
    are passed over."""
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "README.md").write_text(README, encoding="utf-8")
    result = run_cli("publish", "posts", "--output-dir", "site", "--base-url", BASE,
                     "--engine", "fake")  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    assert items(tmp_path / "site")["audio-edition"].findtext("description") == (
        "It turns a written piece into a narrated audio edition, offline. It reads Markdown."
    )


MARKUP = """---
title: Markup
summary: 'An <svg onload="alert(1)"> in the summary & more.'
---

Words.
"""
VIDEO = "To embed a film, use the `<video>` element. It plays in every browser.\n"


def test_descriptions_are_shown_as_written_never_as_markup(run_cli, tmp_path):
    """RSS descriptions are HTML: the text is escaped, so feedparser (as a podcast app) gets
    HTML that shows the text as written, with no element in it; the index page too."""
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "markup.md").write_text(MARKUP, encoding="utf-8")
    (tmp_path / "posts" / "video.md").write_text(VIDEO, encoding="utf-8")
    show = "Films <b>bold</b> & quiet"
    result = run_cli("publish", "posts", "--output-dir", "site", "--base-url", BASE,
                     "--engine", "fake", "--description", show)  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    site = tmp_path / "site"
    written = {
        "Markup": 'An <svg onload="alert(1)"> in the summary & more.',
        "video": "To embed a film, use the <video> element. It plays in every browser.",
    }
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not parsed.bozo
    got = {entry.title: entry.description for entry in parsed.entries}
    assert {title: html.unescape(text) for title, text in got.items()} == written
    assert not any("<" in text for text in [*got.values(), parsed.feed.description])
    assert html.unescape(parsed.feed.description) == show
    raw = {title: item.findtext("description") for title, item in items(site).items()}
    assert raw == {title: html.escape(text, quote=False) for title, text in written.items()}
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "<svg" not in index and "<video" not in index and "<b>" not in index
    assert "use the &lt;video&gt; element" in index and "An &lt;svg onload=" in index


def test_a_document_that_fails_keeps_its_earlier_episode(publish, posts, tmp_path):
    assert publish().returncode == 0
    site = tmp_path / "site"
    before = {t: etree.tostring(i) for t, i in items(site).items()}
    (posts / "second note.txt").write_text("Now it says CRASH always.\n", encoding="utf-8")
    result = publish()
    assert result.returncode == 1
    assert "failed      posts/second note.txt" in result.stderr.decode()
    assert {t: etree.tostring(i) for t, i in items(site).items()} == before
    result = publish("--voice", "no-such-voice")  # every document fails
    assert result.returncode == 1
    assert {t: etree.tostring(i) for t, i in items(site).items()} == before


def test_characters_xml_cannot_hold_are_left_out_of_the_feed(run_cli, tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "ctl.md").write_text(
        '---\ntitle: Control\nsummary: "Old \\x01 text here."\n---\n\nWords.\n',
        encoding="utf-8",
    )
    result = run_cli("publish", "posts", "--output-dir", "site", "--base-url", BASE,
                     "--engine", "fake")  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    parsed = feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes())
    assert not parsed.bozo
    assert parsed.entries[0].description == "Old  text here."  # U+0001 left out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--base-url", "https://e.org/p?x=1"],
         "--base-url must be a folder's URL, with no ? or #: not 'https://e.org/p?x=1'"),
        (["--base-url", BASE, "--embed-audio"],
         "publish cannot --embed-audio: each episode's MP3 is its enclosure"),
        (["--base-url", BASE, "--output-dir", "posts"],
         "the site folder posts cannot be an input folder too"),
    ],
)  # fmt: skip
def test_usage_errors_stop_before_any_work(run_cli, posts, tmp_path, args, message):
    result = run_cli("publish", "posts", "--output-dir", "site", *args, "--engine", "fake")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [f"audio-edition: error: {message}"]
    assert not (tmp_path / "site").exists()
    assert sorted(p.name for p in posts.iterdir()) == ["first.md", "more", "second note.txt"]


def test_a_document_named_index_cannot_take_the_shows_page(run_cli, posts, tmp_path):
    (posts / "index.md").write_text("The index post.\n", encoding="utf-8")
    result = run_cli("publish", "posts", "--output-dir", "site", "--base-url", BASE,
                     "--image", "cover.jpg", "--engine", "fake", "--read-along")  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "audio-edition: error: posts/index.md would be narrated into site/index.html, the "
        "show's page; rename it"
    ]
    assert not (tmp_path / "site").exists()


def test_a_year_alone_is_its_first_day(run_cli, tmp_path):
    (tmp_path / "posts").mkdir()
    for name, date in (("year", "2020"), ("month", "2021-05")):
        (tmp_path / "posts" / f"{name}.md").write_text(
            f"---\ntitle: {name}\ndate: '{date}'\n---\n\nWords.\n", encoding="utf-8"
        )
    result = run_cli("publish", "posts", "--output-dir", "site", "--base-url", BASE,
                     "--engine", "fake")  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    dates = {t: i.findtext("pubDate") for t, i in items(tmp_path / "site").items()}
    assert dates == {"year": "Wed, 01 Jan 2020 00:00:00 +0000",
                     "month": "Sat, 01 May 2021 00:00:00 +0000"}  # fmt: skip


@pytest.mark.parametrize(
    ("category", "message"),
    [
        ("Arts/Nope", "Arts takes one subcategory of Books, Design, Fashion & Beauty, Food, "
                      "Performing Arts, Visual Arts"),
        ("Arts/Books/Extra", "Arts takes one subcategory of Books, Design, Fashion & Beauty, "
                             "Food, Performing Arts, Visual Arts"),
        ("History/Wars", "History has no subcategories"),
    ],
)  # fmt: skip
def test_a_subcategory_apple_does_not_list_is_refused(run_cli, posts, tmp_path, category,
                                                      message):  # fmt: skip
    result = run_cli("publish", "posts", "--output-dir", "site", "--base-url", BASE,
                     "--category", category, "--engine", "fake")  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"audio-edition: error: --category {category!r} is not an Apple Podcasts category; "
        f"{message}"
    ]
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("category", ["History", "TV & Film/Film Reviews", "Education/How To"])
def test_apples_categories_and_subcategories_are_taken(category):
    assert check_category(category) == category


def png_header(path: Path, size: tuple[int, int]) -> Path:
    """A PNG whose header says `size` and that holds almost no pixels (Pillow reads the
    header; a real one of 20000x20000 would take 1.2 GB to make)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", *size, 8, 2, 0, 0, 0)  # 8 bits, RGB
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))  # fmt: skip
    return path


@pytest.mark.parametrize(
    ("side", "message"),
    [(5_000, "is 5000x5000;"),
     (10_000, "is 10000x10000;"),  # over Pillow's limit: it warns
     (20_000, f"is over {2 * Image.MAX_IMAGE_PIXELS:,} pixels;")],  # over twice: it raises
)  # fmt: skip
def test_an_image_over_3000_px_is_refused_from_its_header(run_cli, posts, tmp_path, side,
                                                          message):  # fmt: skip
    """In one line, however large, and without decoding it."""
    png_header(tmp_path / "huge.png", (side, side))
    result = run_cli("publish", "posts", "--output-dir", "site", "--base-url", BASE,
                     "--image", "huge.png", "--engine", "fake")  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"audio-edition: error: --image huge.png {message} it must be 1400 to 3000 px"
    ]
    assert not (tmp_path / "site").exists()


def test_check_image_reads_only_the_header_of_a_huge_image(tmp_path):
    """In this process, where a DecompressionBombWarning would be an error (filterwarnings)."""
    with pytest.raises(UsageError, match="is 10000x10000; it must be 1400 to 3000 px"):
        check_image(png_header(tmp_path / "huge.png", (10_000, 10_000)))


DAMAGED_FEED_STATES = [
    b"{not json", b"[]", b'{"version": 1}', b'{"version": 1, "episodes": []}',
    b'{"version": 1, "episodes": {"first": 3}}',
    b'{"version": 1, "episodes": {"first": {"guid": "g", "first_published": "2026-01-01", '
    b'"description": "d"}}}',
    b'{"version": 1, "episodes": {"first": {"guid": "g", "first_published": "soon", '
    b'"published": "2026-01-01T00:00:00+00:00", "description": "d"}}}',
    b'{"version": 1, "episodes": {"first": {"guid": "g", "description": "d", '
    b'"first_published": "2026-01-01T00:00:00", "published": "2026-01-01T00:00:00+00:00"}}}',
]  # fmt: skip


@pytest.mark.parametrize("damaged", DAMAGED_FEED_STATES)
def test_a_damaged_feed_state_is_one_line_naming_it_before_any_work(publish, posts, tmp_path,
                                                                    damaged):  # fmt: skip
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / ".audio-edition-feed.json").write_bytes(damaged)
    result = publish()
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "audio-edition: error: site/.audio-edition-feed.json is damaged (not what publish "
        "writes); delete it and the next publish rebuilds it without narrating anything again "
        "(episodes without a date take their files' times again)"
    ]
    assert [p.name for p in (tmp_path / "site").iterdir()] == [".audio-edition-feed.json"]


def test_a_deleted_feed_state_is_rebuilt_without_narrating(publish, posts, tmp_path):
    assert publish().returncode == 0
    before = {
        t: (i.findtext("guid"), i.findtext("pubDate")) for t, i in items(tmp_path / "site").items()
    }
    (tmp_path / "site" / ".audio-edition-feed.json").unlink()
    again = publish()
    assert again.returncode == 0, again.stderr.decode()
    assert "0 narrated, 3 up to date" in again.stderr.decode()
    after = {
        t: (i.findtext("guid"), i.findtext("pubDate")) for t, i in items(tmp_path / "site").items()
    }
    assert after == before


def test_a_glob_through_dotdot_gives_one_episode_and_no_dotdot_in_the_feed(run_cli, posts,
                                                                            tmp_path):  # fmt: skip
    """'posts/*/../*.md' names posts/first.md through posts/more/ and posts/a/: one episode,
    its files in the site's top, its URLs plain."""
    (posts / "a").mkdir()
    result = run_cli("publish", "posts/*/../*.md", "--output-dir", "site", "--base-url", BASE,
                     "--engine", "fake", "--read-along")  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    feed = (tmp_path / "site" / "feed.xml").read_bytes()
    assert b".." not in feed
    (item,) = items(tmp_path / "site").values()
    assert item.find("enclosure").get("url") == "https://example.org/quiet%20films/first.mp3"
    assert item.findtext("link") == "https://example.org/quiet%20films/first.html"
    assert not list(tmp_path.glob("*.mp3")) and not list(posts.rglob("*.mp3"))


def test_a_link_out_of_the_input_folder_is_never_published(run_cli, posts, tmp_path):
    """posts/notes.txt -> ../secret.env: skipped, its words in no file of the site."""
    (tmp_path / "secret.env").write_text("The password is swordfish.\n", encoding="utf-8")
    (posts / "notes.txt").symlink_to("../secret.env")
    result = run_cli("publish", "posts", "--output-dir", "site", "--base-url", BASE,
                     "--engine", "fake", "--read-along")  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr.decode().splitlines()[1] == (
        "skipped     posts/notes.txt: it leads outside posts, the folder searched (name it on "
        "its own to narrate it)"
    )
    site = tmp_path / "site"
    assert len(items(site)) == 3
    for path in site.rglob("*"):
        assert path.is_dir() or b"swordfish" not in path.read_bytes(), path
