"""Promises the README makes that no other file tests: Opus is 48 kHz, only .m4b is marked as
an audiobook, and an engine from another package is found through the entry-point group."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from mutagen.mp4 import MP4

from audio_edition import narrate
from tests.audio import RATE, decode, dominant_frequency, probe
from tests.plugin_engine.hum_engine import FREQUENCY

HUM_ENGINE = Path(__file__).resolve().parents[1] / "plugin_engine" / "hum_engine.py"
HUM_WHEEL_INFO = {
    "METADATA": "Metadata-Version: 2.1\nName: hum-engine\nVersion: 1.0\n",
    "WHEEL": "Wheel-Version: 1.0\nGenerator: test_promises\nRoot-Is-Purelib: true\n"
    "Tag: py3-none-any\n",
    "entry_points.txt": "[audio_edition.engines]\nhum = hum_engine:HumEngine\n",
    "RECORD": "",  # pip writes the real one as it installs
}
PIECE = "A first paragraph of a few words.\n\nAnd a second paragraph after it."


@pytest.fixture
def piece(write_text) -> Path:
    return write_text("piece.txt", PIECE)


def opus_input_rate(path: Path) -> int:
    """The rate the Opus encoder was given, from the OpusHead packet (RFC 7845, 5.1): ffprobe
    says 48000 for every Opus stream, whatever it was encoded from."""
    data = path.read_bytes()
    return struct.unpack_from("<I", data, data.index(b"OpusHead") + 12)[0]


@pytest.mark.parametrize("suffix", ["opus", "ogg"])
def test_opus_is_48_khz(piece, tmp_path, suffix):
    edition = narrate(piece, tmp_path / f"piece.{suffix}", engine="fake")
    stream = probe(edition.path)["streams"][0]
    assert (stream["codec_name"], stream["sample_rate"], stream["channels"]) == ("opus", "48000", 1)
    assert opus_input_rate(edition.path) == 48_000


@pytest.mark.parametrize(("suffix", "stik"), [("m4b", [2]), ("m4a", None)])
def test_only_m4b_is_marked_as_an_audiobook(piece, tmp_path, suffix, stik):
    edition = narrate(piece, tmp_path / f"piece.{suffix}", engine="fake")
    assert MP4(edition.path).tags.get("stik") == stik


def hum_wheel(folder: Path) -> Path:
    """hum_engine.py as a wheel whose entry point registers HumEngine as the engine "hum"."""
    wheel = folder / "hum_engine-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.write(HUM_ENGINE, "hum_engine.py")
        for name, text in HUM_WHEEL_INFO.items():
            archive.writestr(f"hum_engine-1.0.dist-info/{name}", text)
    return wheel


@pytest.fixture(scope="module")
def hum_path(tmp_path_factory) -> str:
    """A PYTHONPATH holding the hum engine, installed there by pip (not into the virtualenv)."""
    folder = tmp_path_factory.mktemp("hum")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--target", str(folder / "site"), str(hum_wheel(folder))],
                   check=True, timeout=120)  # fmt: skip
    return os.pathsep.join(filter(None, [str(folder / "site"), os.environ.get("PYTHONPATH")]))


def test_an_engine_from_another_package_is_listed_and_speaks(run_cli_process, piece, tmp_path,
                                                              hum_path):  # fmt: skip
    """In a process of its own: the package is found on its PYTHONPATH."""
    run_cli = run_cli_process
    env = {"PYTHONPATH": hum_path}
    listed = run_cli("voices", env=env)
    assert listed.returncode == 0, listed.stderr.decode()
    assert ["hum", "hum-1k", "en"] in [
        line.split()[:3] for line in listed.stdout.decode().splitlines()
    ]
    result = run_cli("narrate", "piece.txt", "--engine", "hum", "-o", "piece.wav", "--manifest",
                     env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    manifest = json.loads((tmp_path / "piece.json").read_text(encoding="utf-8"))
    assert (manifest["engine"], len(manifest["paragraphs"])) == ("hum", 2)
    samples = decode(tmp_path / "piece.wav")
    for paragraph in manifest["paragraphs"]:
        spoken = samples[paragraph["start_ms"] * RATE // 1000 : paragraph["end_ms"] * RATE // 1000]
        assert dominant_frequency(spoken) == pytest.approx(FREQUENCY, abs=5)
    unknown = run_cli("narrate", "piece.txt", "--engine", "hum", "-o", "other.wav")
    assert unknown.returncode == 2  # without the package on the path there is no such engine
    assert "unknown engine 'hum'" in unknown.stderr.decode()
