"""MP3 and AAC encoded in segments on several ffmpeg processes are one gapless stream that
decodes to exactly the samples that went in, with no dropped or doubled frame at any seam."""

from __future__ import annotations

import os
import signal

import mutagen.mp3
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audio_edition import narrate
from audio_edition.encode import mp3
from audio_edition.encode.segmented import AAC_CODEC, aac_encoder, mp3_encoder
from audio_edition.errors import EncodeError
from tests.audio import decode, probe
from tests.promises.test_interrupt import is_ffmpeg, running_processes

RATE = 44_100
SEGMENT_FRAMES = 40
"""Small segments (1.04 s), so a few seconds of audio have many seams."""


def speechlike(seconds: float, seed: int = 0) -> np.ndarray:
    """A voiced, syllabic signal at about -18 dB RMS with -70 dB noise, as 16-bit samples."""
    count = int(seconds * RATE)
    time = np.arange(count) / RATE
    pitch = 120 + 30 * np.sin(2 * np.pi * 0.7 * time)
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    voice = sum(np.sin(k * phase) / k for k in range(1, 16))
    syllables = np.clip(np.sin(2 * np.pi * 3.3 * time + seed), 0, None) ** 0.5
    signal = voice * syllables
    signal *= 32768 * 10 ** (-18 / 20) / np.sqrt(np.mean(signal**2))
    signal += np.random.default_rng(seed).normal(0, 32768 * 10 ** (-70 / 20), count)
    return np.clip(np.rint(signal), -32768, 32767).astype(np.int16)


def encode(path, samples: np.ndarray, encoders: int, chunk: int = 10_000) -> None:
    """Encode in small segments: MP3 for a .mp3 path, AAC in MP4 for a .m4a one."""
    make = mp3_encoder if path.suffix == ".mp3" else aac_encoder
    with make(path, RATE, encoders, segment_frames=SEGMENT_FRAMES) as encoder:
        for start in range(0, len(samples), chunk):
            encoder.write(samples[start : start + chunk].tobytes())


def seam_samples(path) -> int:
    frame = mp3.FRAME_SAMPLES if path.suffix == ".mp3" else AAC_CODEC.frame_samples
    return SEGMENT_FRAMES * frame


def window_errors(decoded: np.ndarray, original: np.ndarray, window: int = 1152):
    """Per window of loud signal: error RMS over signal RMS."""
    ratios = []
    for start in range(0, len(original) - window, window):
        signal = original[start : start + window].astype(np.float64) / 32768
        if np.sqrt(np.mean(signal**2)) < 0.01:
            continue
        error = decoded[start : start + window] - signal
        ratios.append(np.sqrt(np.mean(error**2)) / np.sqrt(np.mean(signal**2)))
    return np.array(ratios)


def best_lag(decoded: np.ndarray, original: np.ndarray, around: int, reach: int = 200) -> int:
    """The shift of `decoded` against `original` near sample `around` that matches best."""
    span = slice(around - 1152, around + 1152)
    target = original[span].astype(np.float64)
    errors = {
        lag: float(np.sum((decoded[span.start + lag : span.stop + lag] * 32768 - target) ** 2))
        for lag in range(-reach, reach + 1)
    }
    return min(errors, key=errors.__getitem__)


AAC_PACKETS = 1024 * 431  # AAC in whole packets: what narrate writes (see assemble.Layout)


@pytest.mark.parametrize(
    ("name", "length", "encoders"),
    [
        ("one.mp3", RATE // 2, 1),  # one segment, shorter than one
        ("few.mp3", RATE // 2, 3),  # more encoders than segments
        ("ragged.mp3", int(SEGMENT_FRAMES * 1152 * 2.5), 2),  # the last segment absorbs a bit
        ("many.mp3", 9 * RATE, 1),  # several segments on one process
        ("many.mp3", 9 * RATE, 2),
        ("many.mp3", 9 * RATE + 7, 4),
        ("one.m4a", 1024 * 21, 1),
        ("few.m4a", 1024 * 21, 3),
        ("many.m4a", AAC_PACKETS, 1),
        ("many.m4a", AAC_PACKETS, 2),
        ("many.m4a", AAC_PACKETS, 4),
    ],
)
def test_the_joined_stream_decodes_to_the_input_sample_for_sample(tmp_path, name, length, encoders):
    original = speechlike(length / RATE)[:length]
    path = tmp_path / name
    encode(path, original, encoders)
    decoded = decode(path)
    assert len(decoded) == len(original)
    ratios = window_errors(decoded, original)
    assert len(ratios) > 0
    # MP3 at 192 kbps and AAC at 128 kbps: error 25-30 dB under the signal (AAC's first
    # window: 15 dB); a lost or doubled frame is 0 dB or worse
    assert ratios.max() < 0.25, f"worst window error {ratios.max():.3f} of the signal"
    assert np.median(ratios) < 0.07
    seam = seam_samples(path)
    for cut in range(seam, len(original) - 2 * 1152, seam):
        assert best_lag(decoded, original, cut) == 0, f"misaligned at the seam at {cut}"


def test_aac_of_any_length_is_exact_where_the_edit_list_is_read(tmp_path):
    """ffprobe reads the edit list: exact for any length (ffmpeg 5.1's decoder ends on a whole
    packet, which is why narrate writes whole packets)."""
    original = speechlike(3.0)[: 1024 * 100 + 321]
    path = tmp_path / "ragged.m4a"
    encode(path, original, encoders=2)
    stream = probe(path)["streams"][0]
    assert stream["codec_name"] == "aac"
    assert int(stream["duration_ts"]) == len(original)
    decoded = decode(path)
    assert 0 <= len(decoded) - len(original) < 1024
    assert window_errors(decoded[: len(original)], original).max() < 0.25


@pytest.mark.parametrize("name", ["joined.mp3", "joined.m4a"])
def test_every_seam_is_as_good_as_the_rest(tmp_path, name):
    """The error around each seam is no worse than the stream's usual error."""
    original = speechlike(12.0, seed=3)[: 1024 * 516]
    path = tmp_path / name
    encode(path, original, encoders=3, chunk=4096)
    decoded = decode(path)
    seam = seam_samples(path)
    ratios = window_errors(decoded, original)
    seam_errors = []
    for cut in range(seam, len(original) - 2 * 1152, seam):
        signal = original[cut - 1152 : cut + 1152].astype(np.float64) / 32768
        if np.sqrt(np.mean(signal**2)) < 0.01:
            continue  # a pause between syllables: nothing to compare
        error = decoded[cut - 1152 : cut + 1152] - signal
        seam_errors.append(np.sqrt(np.mean(error**2)) / np.sqrt(np.mean(signal**2)))
    assert len(seam_errors) >= 6
    assert max(seam_errors) < 2 * np.median(ratios)


def test_one_cbr_stream_with_the_exact_length(tmp_path):
    original = speechlike(5.0)
    path = tmp_path / "joined.mp3"
    encode(path, original, encoders=2)
    info = mutagen.mp3.MP3(path).info
    assert info.bitrate_mode == mutagen.mp3.BitrateMode.CBR
    # mutagen averages the frames' bytes: each encoder pads frames (626 or 627 bytes) on its
    # own count, so the joined average may be off by a few bits a second
    assert info.bitrate == pytest.approx(192_000, rel=1e-4)
    assert info.length == pytest.approx(len(original) / RATE, abs=1e-9)
    stream = probe(path)["streams"][0]
    assert stream["codec_name"] == "mp3" and int(stream["bit_rate"]) == 192_000
    frames = audio_frame_sizes(path.read_bytes())
    assert set(frames) <= {626, 627}  # every frame at 192 kbps, padded now and then
    # whole frames for the samples after LAME's delay; LAME may flush one frame more
    assert len(frames) - -(-(len(original) + mp3.ENCODER_DELAY) // mp3.FRAME_SAMPLES) in (0, 1)
    # ffprobe counts whole frames: the encoder delay and the padding are inside them
    assert float(stream["duration"]) == pytest.approx(len(frames) * mp3.FRAME_SAMPLES / RATE)


def audio_frame_sizes(data: bytes) -> list[int]:
    """The sizes of the frames after the Info frame, which must end the file exactly."""
    sizes = []
    position = mp3.info_frame_length(192, RATE)
    while position < len(data):
        length = mp3.frame_length(int.from_bytes(data[position : position + 4], "big"))
        sizes.append(length)
        position += length
    assert position == len(data)
    return sizes


def test_the_info_frame_holds_counts_delay_padding_and_crcs(tmp_path):
    original = speechlike(3.0)
    path = tmp_path / "joined.mp3"
    encode(path, original, encoders=2)
    data = path.read_bytes()
    frame_bytes = mp3.info_frame_length(192, RATE)
    audio = data[frame_bytes:]
    frames = len(audio_frame_sizes(data))
    expected = mp3.info_frame(
        bitrate_kbps=192, sample_rate=RATE, frames=frames, audio_bytes=len(audio),
        music_crc=mp3.audio_crc(audio), samples=len(original),
    )  # fmt: skip
    assert data[:frame_bytes] == expected
    xing = 4 + 17
    assert data[xing : xing + 4] == b"Info"
    assert int.from_bytes(data[xing + 8 : xing + 12], "big") == frames
    assert int.from_bytes(data[xing + 12 : xing + 16], "big") == len(data)
    lame = xing + 120
    assert data[lame : lame + 9] == b"LAME3.100"
    delays = int.from_bytes(data[lame + 21 : lame + 24], "big")
    assert delays >> 12 == mp3.ENCODER_DELAY
    assert delays & 0xFFF == frames * 1152 - mp3.ENCODER_DELAY - len(original)
    tag = bytearray(data[:190])
    tag[lame + 34 : lame + 36] = b"\0\0"
    assert int.from_bytes(data[lame + 34 : lame + 36], "big") == mp3.audio_crc(bytes(tag))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 5000), min_size=1, max_size=40))
def test_frames_are_split_whatever_the_pieces(cut_sizes):
    frame = mp3.info_frame(
        bitrate_kbps=192, sample_rate=RATE, frames=1, audio_bytes=0, music_crc=0, samples=1
    )
    stream = frame * 7
    frames, pending, position = [], b"", 0
    for size in [*cut_sizes, len(stream)]:
        found, used = mp3.split_frames(pending + stream[position : position + size])
        frames += found
        pending = (pending + stream[position : position + size])[used:]
        position += size
    assert frames == [frame] * 7
    assert pending == b""


def test_output_that_is_not_mp3_frames_is_an_error():
    with pytest.raises(EncodeError, match="not an MPEG-1 Layer III"):
        mp3.split_frames(b"RIFF" + bytes(700))


def test_a_rate_mp3_cannot_hold_is_refused_before_anything_runs(tmp_path):
    with pytest.raises(EncodeError, match="12345 Hz"):
        mp3_encoder(tmp_path / "bad.mp3", 12_345, 2)
    assert not (tmp_path / "bad.mp3").exists()


def test_an_encoder_that_dies_fails_the_run_and_leaves_no_process(tmp_path):
    samples = speechlike(8.0).tobytes()
    with (
        pytest.raises(EncodeError, match="ffmpeg failed"),
        mp3_encoder(tmp_path / "x.mp3", RATE, 2, segment_frames=40) as encoder,
    ):
        encoder.write(samples[: len(samples) // 2])
        encoders = [p for p in running_processes(parent=os.getpid()) if is_ffmpeg(p)]
        assert len(encoders) == 2
        os.kill(int(encoders[0][0]), signal.SIGKILL)
        encoder.write(samples[len(samples) // 2 :])
    assert not [p for p in running_processes(parent=os.getpid()) if is_ffmpeg(p)]


def test_the_encoder_count_changes_nothing_a_listener_can_measure(tmp_path, example_text):
    """Narrations on one and on three encoder processes: same length and timeline, and
    decoded samples that differ far less than the codec's own error."""
    source = tmp_path / "review.txt"
    source.write_text(example_text, encoding="utf-8")
    one = narrate(source, tmp_path / "one.mp3", engine="fake", encoders=1)
    three = narrate(source, tmp_path / "three.mp3", engine="fake", encoders=3)
    reference = narrate(source, tmp_path / "reference.wav", engine="fake")
    assert one.timeline == three.timeline == reference.timeline
    pcm = decode(reference.path)
    for edition in (one, three):
        decoded = decode(edition.path)
        assert len(decoded) == len(pcm)
        ratios = window_errors(decoded, np.rint(pcm * 32768).astype(np.int16))
        assert ratios.max() < 0.1
