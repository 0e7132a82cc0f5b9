"""MPEG-1 Layer III frames, and the one LAME/Info header that makes joined frames one gapless,
CBR MP3.

Segments encoded apart are joined frame by frame; this module splits an encoder's raw output
into frames and writes the header that covers them all: the frame count and byte count, the
encoder delay of the first frame and the padding of the last, so that gapless decoders
(ffmpeg, browsers, iTunes) trim the stream to the exact number of samples.
"""

from __future__ import annotations

import anycrc

from audio_edition.errors import EncodeError

FRAME_SAMPLES = 1152
"""Samples in one MPEG-1 Layer III frame."""
ENCODER_DELAY = 576
"""Samples LAME puts before the first input sample (ENCDELAY in its encoder.h)."""
ENCODER_NAME = b"LAME3.100"
"""The encoder named in the LAME tag: libmp3lame 3.100 is what ffmpeg encodes with here.
Readers such as mutagen only trust the tag's delay and padding under a LAME name."""
_BITRATES_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_SAMPLE_RATES = (44100, 48000, 32000)
_SYNC = 0xFFE0_0000
_MPEG1_LAYER3 = 0x001A_0000  # version bits 11, layer bits 01
_MONO = 0xC0  # channel mode 11, in the header's last byte
_SIDE_INFO_MONO = 17
_TOC_SIZE = 100
_XING_FLAGS = 0x0F  # frames, bytes, TOC and quality fields present
_TAG_CRC_SPAN = 190
"""The LAME tag's CRC covers the frame's first 190 bytes (itself counted as zero)."""
_CRC16 = anycrc.Model("CRC16-ARC")


def frame_length(header: int) -> int:
    """Bytes in the MPEG-1 Layer III frame that starts with this 32-bit header."""
    if header & 0xFFFE_0000 != _SYNC | _MPEG1_LAYER3:
        raise EncodeError(f"not an MPEG-1 Layer III frame header: {header:08x}")
    bitrate_index = (header >> 12) & 0xF
    rate_index = (header >> 10) & 0x3
    if not 0 < bitrate_index < 15 or rate_index == 3:
        raise EncodeError(f"MP3 frame header with a reserved bitrate or rate: {header:08x}")
    padding = (header >> 9) & 1
    return 144_000 * _BITRATES_KBPS[bitrate_index] // _SAMPLE_RATES[rate_index] + padding


def split_frames(data: bytes) -> tuple[list[bytes], int]:
    """The whole frames at the start of `data`, and how many bytes they take (a frame cut
    short at the end is left for the next read)."""
    frames: list[bytes] = []
    start = 0
    while len(data) - start >= 4:
        length = frame_length(int.from_bytes(data[start : start + 4], "big"))
        if len(data) - start < length:
            break
        frames.append(data[start : start + length])
        start += length
    return frames, start


def audio_crc(data: bytes, previous: int = 0) -> int:
    """CRC-16 of audio frames, continued from `previous` (the LAME tag's music CRC)."""
    return int(_CRC16.calc(data, previous))


def info_frame_length(bitrate_kbps: int, sample_rate: int) -> int:
    """Bytes of the Info frame for a stream of this bitrate and rate (unpadded)."""
    return frame_length(_header(bitrate_kbps, sample_rate))


def info_frame(
    *,
    bitrate_kbps: int,
    sample_rate: int,
    frames: int,
    audio_bytes: int,
    music_crc: int,
    samples: int,
) -> bytes:
    """The Info frame (Xing header with a LAME tag) of a mono CBR stream of `frames` audio
    frames holding `audio_bytes` and `samples` real samples, with LAME's encoder delay."""
    header = _header(bitrate_kbps, sample_rate)
    frame = bytearray(frame_length(header))
    total_bytes = len(frame) + audio_bytes
    padding = frames * FRAME_SAMPLES - ENCODER_DELAY - samples
    if not 0 <= padding < 1 << 12:
        raise EncodeError(f"{frames} MP3 frames cannot hold {samples} samples")
    xing = 4 + _SIDE_INFO_MONO
    frame[0:4] = header.to_bytes(4, "big")
    frame[xing : xing + 4] = b"Info"
    frame[xing + 4 : xing + 8] = _XING_FLAGS.to_bytes(4, "big")
    frame[xing + 8 : xing + 12] = frames.to_bytes(4, "big")
    frame[xing + 12 : xing + 16] = total_bytes.to_bytes(4, "big")
    toc = xing + 16  # CBR: the byte offset grows evenly with time
    frame[toc : toc + _TOC_SIZE] = bytes(256 * i // _TOC_SIZE for i in range(_TOC_SIZE))
    lame = toc + _TOC_SIZE + 4  # after the 4-byte quality field
    frame[lame : lame + 9] = ENCODER_NAME
    frame[lame + 21 : lame + 24] = ((ENCODER_DELAY << 12) | padding).to_bytes(3, "big")
    frame[lame + 28 : lame + 32] = total_bytes.to_bytes(4, "big")
    frame[lame + 32 : lame + 34] = music_crc.to_bytes(2, "big")
    tag_crc = audio_crc(bytes(frame[:_TAG_CRC_SPAN]))
    frame[lame + 34 : lame + 36] = tag_crc.to_bytes(2, "big")
    return bytes(frame)


def _header(bitrate_kbps: int, sample_rate: int) -> int:
    """The 32-bit header of an unpadded mono MPEG-1 Layer III frame without CRC."""
    if bitrate_kbps not in _BITRATES_KBPS[1:] or sample_rate not in _SAMPLE_RATES:
        raise EncodeError(f"no MPEG-1 Layer III frame at {bitrate_kbps} kbps, {sample_rate} Hz")
    return (
        _SYNC
        | _MPEG1_LAYER3
        | 0x0001_0000  # no CRC
        | _BITRATES_KBPS.index(bitrate_kbps) << 12
        | _SAMPLE_RATES.index(sample_rate) << 10
        | _MONO
    )
