"""MP3 chapters stand in the file in time order, as players that read frames in order see them."""

from __future__ import annotations

import subprocess
from pathlib import Path

from audio_edition import narrate
from audio_edition.encode.formats import MP3
from audio_edition.encode.tags import Tags, write_tags
from audio_edition.shape.timing import Chapter
from tests.audio import ffprobe_chapters


def raw_frames(path: Path) -> list[tuple[str, bytes]]:
    """(frame id, frame body) of the ID3v2.3 tag at the head of `path`, in file order."""
    data = path.read_bytes()
    assert data[:3] == b"ID3" and data[3] == 3
    size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
    frames, offset = [], 10
    while offset < 10 + size and data[offset] != 0:
        length = int.from_bytes(data[offset + 4 : offset + 8], "big")
        frames.append(
            (data[offset : offset + 4].decode(), data[offset + 10 : offset + 10 + length])
        )
        offset += 10 + length
    return frames


def element_id(body: bytes) -> str:
    return body.split(b"\0", 1)[0].decode()


def chap_starts(frames: list[tuple[str, bytes]]) -> list[int]:
    """Start times (ms) of the CHAP frames, in file order."""
    starts = []
    for name, body in frames:
        if name == "CHAP":
            times = body[len(element_id(body)) + 1 :]
            starts.append(int.from_bytes(times[:4], "big"))
    return starts


def test_a_narrated_document_lists_its_chapters_in_time_order(tmp_path):
    titles = [f"Paragraph number {n} has {'many ' * (n % 5)}words." for n in range(14)]
    source = tmp_path / "many.txt"
    source.write_text("\n\n".join(titles), encoding="utf-8")
    edition = narrate(source, tmp_path / "many.mp3", engine="fake", jobs=2)
    assert len(edition.chapters) == 14

    frames = raw_frames(edition.path)
    starts = chap_starts(frames)
    assert starts == [c.start_ms for c in edition.chapters]
    assert starts == sorted(starts) and len(set(starts)) == 14
    probed = ffprobe_chapters(edition.path)
    assert [c["tags"]["title"] for c in probed] == [c.title for c in edition.chapters]
    assert [c["start"] for c in probed] == starts


def test_more_than_255_chapters_nest_their_tables_and_keep_time_order(tmp_path):
    path = tmp_path / "long.mp3"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono", "-t", "30",
         "-c:a", "libmp3lame", "-b:a", "192k", str(path)],
        check=True,
    )  # fmt: skip
    # Titles of falling length, so a writer that orders frames by size gets them backwards.
    chapters = tuple(
        Chapter(f"Chapter {n} {'x' * (300 - n)}", n * 100, (n + 1) * 100) for n in range(300)
    )
    tags = Tags(title="Long", artist=None, album="Long", genre="Speech", lyrics="",
                chapters=chapters)  # fmt: skip
    write_tags(path, MP3, tags)

    frames = raw_frames(path)
    names = [name for name, _ in frames]
    first_toc, last_toc = names.index("CTOC"), len(names) - names[::-1].index("CTOC") - 1
    assert names[first_toc : last_toc + 1] == ["CTOC"] * 3
    assert names[last_toc + 1 :] == ["CHAP"] * 300
    tables = [element_id(body) for name, body in frames if name == "CTOC"]
    assert tables == ["toc", "toc0", "toc1"]
    assert chap_starts(frames) == [n * 100 for n in range(300)]
    probed = ffprobe_chapters(path)
    assert [c["start"] for c in probed] == [n * 100 for n in range(300)]
    assert [c["tags"]["title"] for c in probed] == [c.title for c in chapters]
