"""The whole pipeline with the deterministic fake engine: layout, order, levels, formats, tags,
retries and output safety."""

from __future__ import annotations

import itertools
import logging
import os
import subprocess
import sys
import zlib

import mutagen
import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode

from audio_edition import SynthesisError, UsageError, narrate
from audio_edition.shape import OUTPUT_SAMPLE_RATE
from audio_edition.shape.assemble import PARAGRAPH_MULTIPLE
from audio_edition.speak.cache import ClipCache
from audio_edition.speak.clips import clip_requests
from tests.audio import (
    decode,
    dominant_frequency,
    longest_zero_run,
    noise_floor_db,
    peak_db,
    probe,
    rms_db,
)
from tests.promises.test_interrupt import is_worker, running_processes
from tests.shape.test_assemble import paragraphs_of_equal_length

FORTY_WORDS = "This paragraph speaks " + "slowly and " * 18 + "well."
THREE_PARAGRAPHS = (
    "The first paragraph has two sentences. This is the second of them.\n\n"
    "The second paragraph is short.\n\n"
    "The third paragraph closes the piece. It has a second sentence too. And a third one."
)


def ms(samples: int) -> float:
    return samples * 1000 / OUTPUT_SAMPLE_RATE


@pytest.fixture
def review(write_text):
    return write_text("review.txt", THREE_PARAGRAPHS)


def fake_narrate(source, output, **options):
    return narrate(source, output, engine="fake", **options)


def test_wav_output_holds_exactly_the_timeline(review, tmp_path):
    edition = fake_narrate(review, tmp_path / "review.wav")
    samples = decode(edition.path)
    assert len(samples) == edition.timeline.total_samples
    assert edition.duration_seconds == pytest.approx(len(samples) / OUTPUT_SAMPLE_RATE)
    assert edition.paragraphs == 3
    assert edition.clips == 6


def test_layout_has_head_pauses_and_tail_of_exact_length(review, tmp_path):
    edition = fake_narrate(
        review, tmp_path / "review.wav", sentence_pause_ms=250, paragraph_pause_ms=1000
    )
    clips = edition.timeline.clips
    assert ms(clips[0].start) == pytest.approx(750, abs=0.1)
    assert ms(edition.timeline.total_samples - clips[-1].end) == pytest.approx(2000, abs=0.1)
    pairs = list(itertools.pairwise(clips))
    within = [ms(b.start - a.end) for a, b in pairs if a.request.paragraph == b.request.paragraph]
    between = [ms(b.start - a.end) for a, b in pairs if a.request.paragraph != b.request.paragraph]
    assert within == pytest.approx([250, 250, 250], abs=0.1)
    assert len(between) == 2
    assert all(1000 <= gap < 1000 + ms(PARAGRAPH_MULTIPLE) for gap in between)


def test_every_paragraph_after_a_seam_starts_on_an_mp3_frame(review, tmp_path):
    """The seam is in the middle of the pause: the paragraph's audio starts there."""
    edition = fake_narrate(review, tmp_path / "review.wav", paragraph_pause_ms=1000)
    clips = edition.timeline.clips
    pairs = itertools.pairwise(clips)
    firsts = [b for a, b in pairs if a.request.paragraph != b.request.paragraph]
    half = OUTPUT_SAMPLE_RATE - OUTPUT_SAMPLE_RATE // 2  # the pause's second half, in samples
    assert len(firsts) == 2
    assert all((clip.start - half) % PARAGRAPH_MULTIPLE == 0 for clip in firsts)


def test_every_clip_is_in_the_output_in_order(review, tmp_path):
    """Each fake clip is a tone whose pitch comes from its text: hear each one in its place."""
    edition = fake_narrate(review, tmp_path / "review.wav")
    samples = decode(edition.path)
    requests = clip_requests(edition.document)
    assert [c.request for c in edition.timeline.clips] == requests
    for timing in edition.timeline.clips:
        expected = 180 + zlib.crc32(timing.request.text.encode()) % 300
        heard = dominant_frequency(samples[timing.start : timing.end])
        assert heard == pytest.approx(expected, abs=3), timing.request.text


def test_clip_length_follows_the_words_and_rate(review, tmp_path):
    slow = fake_narrate(review, tmp_path / "slow.wav", rate=100)
    fast = fake_narrate(review, tmp_path / "fast.wav", rate=200)
    first_slow = slow.timeline.clips[0]
    first_fast = fast.timeline.clips[0]
    words = 6  # "The first paragraph has two sentences."
    assert ms(first_slow.end - first_slow.start) == pytest.approx(words * 600, abs=15)
    assert ms(first_fast.end - first_fast.start) == pytest.approx(words * 300, abs=15)


def test_clips_at_another_sample_rate_are_resampled(review, tmp_path):
    edition = narrate(review, tmp_path / "r.wav", engine="fake", voice="fake-16k", rate=120)
    first = edition.timeline.clips[0]
    assert ms(first.end - first.start) == pytest.approx(6 * 500, abs=15)
    samples = decode(edition.path)
    expected = 180 + zlib.crc32(first.request.text.encode()) % 300
    assert dominant_frequency(samples[first.start : first.end]) == pytest.approx(expected, abs=3)


def test_levels_meet_acx(review, tmp_path):
    edition = fake_narrate(review, tmp_path / "review.mp3")
    samples = decode(edition.path)
    assert -23 <= rms_db(samples) <= -18
    assert peak_db(samples) <= -3
    assert noise_floor_db(samples) <= -60
    assert longest_zero_run(samples) < 50  # pauses are room tone, never digital zero


def test_volume_lowers_the_level(review, tmp_path):
    full = decode(fake_narrate(review, tmp_path / "full.wav").path)
    half = decode(fake_narrate(review, tmp_path / "half.wav", volume=0.5).path)
    assert rms_db(full) - rms_db(half) == pytest.approx(6.0, abs=0.5)


def test_mp3_is_44k_mono_cbr_192(review, tmp_path):
    edition = fake_narrate(review, tmp_path / "review.mp3")
    info = MP3(edition.path).info
    assert (info.sample_rate, info.channels, info.bitrate) == (44_100, 1, 192_000)
    assert info.bitrate_mode == BitrateMode.CBR


FORMATS = {
    ".mp3": ("mp3", "id3"),
    ".m4a": ("aac", "mp4"),
    ".m4b": ("aac", "mp4"),
    ".ogg": ("opus", "vorbis"),
    ".opus": ("opus", "vorbis"),
    ".flac": ("flac", "vorbis"),
    ".wav": ("pcm_s16le", "id3"),
}
TAG_FIELDS = {  # each tag's name in its format, and what it holds
    "id3": {"TIT2": "title", "TPE1": "author", "TPE2": "author", "TALB": "album",
            "TCON": "genre", "USLT": "text"},
    "mp4": {"\xa9nam": "title", "\xa9ART": "author", "aART": "author", "\xa9alb": "album",
            "\xa9gen": "genre", "\xa9lyr": "text"},
    "vorbis": {"title": "title", "artist": "author", "albumartist": "author", "album": "album",
               "genre": "genre",
               "lyrics": "text"},
}  # fmt: skip


def tag_values(tags, name: str) -> list[str]:
    """The text values of one tag, by its name in the file's format."""
    if isinstance(tags, ID3):
        frames = tags.getall(name)
        return [value for f in frames for value in ([f.text] if name == "USLT" else f.text)]
    return list(tags.get(name, []))


@pytest.mark.parametrize(("extension", "codec", "kind"), [(e, *f) for e, f in FORMATS.items()])
def test_format_follows_the_extension_and_each_tag_reads_back(review, tmp_path, extension,
                                                              codec, kind):  # fmt: skip
    edition = fake_narrate(
        review, tmp_path / f"review{extension}", title="A Title", author="An Author",
        album="An Album", genre="Audiobook",
    )  # fmt: skip
    stream = probe(edition.path)["streams"][0]
    assert stream["codec_name"] == codec
    assert int(stream["channels"]) == 1
    duration = len(decode(edition.path)) / OUTPUT_SAMPLE_RATE
    assert duration == pytest.approx(edition.duration_seconds, abs=0.05)
    tags = mutagen.File(edition.path).tags
    given = {"title": "A Title", "author": "An Author", "album": "An Album",
             "genre": "Audiobook", "text": edition.document.text}  # fmt: skip
    for name, field in TAG_FIELDS[kind].items():
        assert tag_values(tags, name) == [given[field]], name
    if kind == "mp4":
        assert tag_values(tags, "stik") == ([2] if extension == ".m4b" else [])  # audiobook


def test_mp3_tags_have_full_text_as_lyrics(review, tmp_path):
    edition = fake_narrate(review, tmp_path / "review.mp3", author="An Author")
    tags = MP3(edition.path).tags
    assert tags["TIT2"].text == ["review"]
    assert tags["TPE1"].text == ["An Author"]
    assert tags["TALB"].text == ["review"]
    assert tags["TCON"].text == ["Speech"]
    assert tags.getall("USLT")[0].text == edition.document.text
    assert edition.document.text.split() == THREE_PARAGRAPHS.split()


def test_title_line_becomes_the_title(write_text, tmp_path):
    source = write_text("piece.txt", "A Night at the Opera\n\nIt was a fine evening.")
    edition = fake_narrate(source, tmp_path / "piece.mp3")
    assert MP3(edition.path).tags["TIT2"].text == ["A Night at the Opera"]


def test_file_name_is_the_title_when_there_is_no_title_line(write_text, tmp_path):
    source = write_text("night_at-the-opera.txt", "It was a fine evening. Really.")
    edition = fake_narrate(source, tmp_path / "x.mp3")
    assert edition.title == "night at the opera"


def test_flaky_clip_is_retried_and_kept(write_text, tmp_path, caplog):
    source = write_text("flaky.txt", "A good start.\n\nThis FLAKY sentence fails once.")
    with caplog.at_level(logging.WARNING, logger="audio_edition.speak.ledger"):
        edition = fake_narrate(source, tmp_path / "flaky.mp3")
    assert edition.clips == 2
    assert "retrying paragraph 2" in caplog.text


def test_clip_that_stays_bad_fails_the_run_naming_the_paragraph(write_text, tmp_path):
    source = write_text("mute.txt", "A good start.\n\nThen a MUTE sentence.\n\nAn end.")
    with pytest.raises(SynthesisError, match=r'paragraph 2 \("Then a MUTE sentence\."\)'):
        fake_narrate(source, tmp_path / "mute.mp3")
    assert list(tmp_path.glob("*.mp3")) == []
    assert list(tmp_path.glob(".*.part")) == []


def test_a_failed_run_stops_its_workers_while_its_error_is_held(write_text, tmp_path):
    """A failure outside synthesis (here the caller's progress callback) while workers are
    still speaking ahead: they are stopped before the error reaches the caller."""
    source = write_text("long.txt", "\n\n".join(paragraphs_of_equal_length(40)))

    def give_up(progress):
        raise KeyboardInterrupt  # as a Ctrl-C in the caller's own code would

    try:
        fake_narrate(source, tmp_path / "long.mp3", jobs=2, progress=give_up)
    except KeyboardInterrupt as error:
        held = error  # a caller that keeps the error keeps the traceback's frames alive
    assert held.__traceback__ is not None
    assert not [c for c in running_processes(parent=os.getpid()) if is_worker(c)]


def test_crashing_engine_is_replaced_then_the_run_fails(write_text, tmp_path):
    source = write_text("crash.txt", "Fine.\n\nThis will CRASH the engine.")
    with pytest.raises(SynthesisError, match=r"paragraph 2 .*process died"):
        fake_narrate(source, tmp_path / "crash.mp3")
    assert list(tmp_path.glob("*.mp3")) == []


EDITION = ("mute.mp3", "mute.json", "mute.srt", "mute.vtt", "mute.lrc")


@pytest.mark.parametrize("existing", [(), EDITION], ids=["new", "over an old edition"])
def test_failed_run_leaves_no_audio_and_no_sidecar(run_cli, write_text, tmp_path_factory,
                                                   existing):  # fmt: skip
    """The run fails at the last paragraph, long after synthesis began; an old edition is
    kept as it was, even with --force."""
    fine = [f"Paragraph {i} is fine." for i in range(30)]
    source = write_text("mute.txt", "\n\n".join([*fine, "Then a MUTE one."]))
    old = {name: f"the old {name}".encode() for name in existing}
    for name, content in old.items():
        write_text(name, content)
    cache = tmp_path_factory.mktemp("clips")
    result = run_cli("narrate", "mute.txt", "--engine", "fake", "-o", "mute.mp3", "--force",
                     "--manifest", "--subtitles", "srt,vtt,lrc",
                     "--cache-dir", str(cache))  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.decode().splitlines()[-1] == (
        'audio-edition: error: paragraph 31 ("Then a MUTE one.") could not be spoken: '
        "the engine returned no audio"
    )
    assert ClipCache(cache).info().entries >= 1  # synthesis had begun
    folder = source.parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(["mute.txt", *old])
    assert {name: (folder / name).read_bytes() for name in old} == old


def test_existing_sidecar_is_not_replaced_without_force(run_cli, write_text, tmp_path):
    write_text("review.txt", THREE_PARAGRAPHS)
    write_text("review.lrc", "the old lyrics")
    result = run_cli("narrate", "review.txt", "--engine", "fake", "-o", "review.mp3",
                     "--manifest", "--subtitles", "srt,vtt,lrc")  # fmt: skip
    assert result.returncode == 2
    assert "review.lrc already exists; use --force" in result.stderr.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.lrc", "review.txt"]
    assert (tmp_path / "review.lrc").read_text() == "the old lyrics"


def test_force_replaces_and_no_force_refuses(review, tmp_path):
    target = tmp_path / "review.mp3"
    target.write_bytes(b"old")
    with pytest.raises(UsageError, match="already exists"):
        fake_narrate(review, target)
    assert target.read_bytes() == b"old"
    fake_narrate(review, target, force=True)
    assert len(decode(target)) > OUTPUT_SAMPLE_RATE


def test_output_file_gets_normal_permissions(review, tmp_path):
    edition = fake_narrate(review, tmp_path / "review.mp3")
    assert edition.path.stat().st_mode & 0o044 == 0o044  # readable by others, unlike mkstemp's


def test_default_output_is_output_folder_named_after_input(run_cli, review, tmp_path):
    result = run_cli("narrate", "review.txt", "--engine", "fake", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stderr == b"" and result.stdout == b""
    assert (tmp_path / "output" / "review.mp3").exists()


def test_stdin_input(run_cli, tmp_path):
    result = run_cli("narrate", "-", "--engine", "fake", "-o", "in.mp3",
                     stdin=THREE_PARAGRAPHS.encode())  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "3 paragraphs, 6 clips" in result.stderr.decode()
    assert (tmp_path / "in.mp3").exists()


def test_pauses_are_quiet_and_speech_is_not(review, tmp_path):
    edition = fake_narrate(review, tmp_path / "review.mp3")
    samples = decode(edition.path)
    clips = edition.timeline.clips
    margin = int(0.02 * OUTPUT_SAMPLE_RATE)
    for a, b in itertools.pairwise(clips):
        assert rms_db(samples[a.end + margin : b.start - margin]) < -60
    for clip in clips:
        assert rms_db(samples[clip.start + margin : clip.end - margin]) > -25


def test_hung_engine_is_killed_and_the_run_fails_naming_the_paragraph():
    """A clip's time limit is the base timeout plus its expected length: the first paragraph
    speaks for 15 s, so only the one-word clip can run out of 0.5 s + 0.4 s."""
    from audio_edition.engines import VoiceSettings
    from audio_edition.readers.text import parse_text
    from audio_edition.speak.clips import SynthesisConfig
    from audio_edition.speak.synthesis import synthesize
    from audio_edition.text.segment import segment

    document = segment(parse_text(f"{FORTY_WORDS}\n\nHANG."), 60)
    config = SynthesisConfig("fake", "1", VoiceSettings("fake", 160), base_timeout_seconds=0.5)
    with pytest.raises(SynthesisError, match=r'paragraph 2 \("HANG\."\).*did not finish in time'):
        list(synthesize(clip_requests(document), config))
    assert [c for c in running_processes(parent=os.getpid()) if is_worker(c)] == []


def test_library_works_from_a_plain_script(write_text, tmp_path):
    """Workers are subprocesses, so a script needs no __main__ guard."""
    write_text("review.txt", THREE_PARAGRAPHS)
    script = write_text(
        "make.py",
        "from audio_edition import narrate\n"
        "edition = narrate('review.txt', 'review.mp3', engine='fake')\n"
        "print(edition.paragraphs, edition.clips, round(edition.duration_seconds))\n",
    )
    result = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()
    paragraphs, clips, _seconds = result.stdout.decode().split()
    assert (paragraphs, clips) == ("3", "6")


def test_clip_edges_are_faded_so_joins_never_click(review, tmp_path):
    edition = fake_narrate(review, tmp_path / "review.wav")
    samples = decode(edition.path)
    edge = int(0.002 * OUTPUT_SAMPLE_RATE)
    for timing in edition.timeline.clips:
        clip = samples[timing.start : timing.end]
        level = np.sqrt(np.mean(clip**2))
        assert np.sqrt(np.mean(clip[:edge] ** 2)) < 0.3 * level
        assert np.sqrt(np.mean(clip[-edge:] ** 2)) < 0.3 * level


def test_encoder_failure_carries_the_ffmpeg_command_and_message(tmp_path):
    from audio_edition.encode.ffmpeg import Encoder
    from audio_edition.encode.formats import MP3
    from audio_edition.errors import EncodeError

    target = tmp_path / "no-such-folder" / "x.mp3"
    with pytest.raises(EncodeError) as failure, Encoder(target, MP3, OUTPUT_SAMPLE_RATE) as encoder:
        for _ in range(200):  # enough to fill the pipes once the encoder has died
            encoder.write(bytes(44_100 * 2))
    assert "ffmpeg failed" in str(failure.value)
    assert "No such file or directory" in failure.value.stderr
    assert str(target) in failure.value.command
