"""Narration over a Dask cluster: a real LocalCluster of processes, and a real `dask scheduler`
with two `dask worker` processes on 127.0.0.1. The clips, the timeline and the file must be
the same as a run on this machine; faults end in one line and leave no file."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="needs audio-edition[cluster]")

from audio_edition import (  # noqa: E402
    ClusterError,
    LocalPool,
    OptionError,
    Options,
    VoiceOptions,
    plan_narration,
    render,
)
from audio_edition.engines import VoiceSettings  # noqa: E402
from audio_edition.many.cluster import ClusterSynthesizer, EnginePlugin, _PluginEngine  # noqa: E402
from audio_edition.narration.render import open_cache  # noqa: E402
from audio_edition.speak.clips import (  # noqa: E402
    ClipRequest,
    SynthesisConfig,
    SynthesisStats,
    clip_requests,
)
from audio_edition.speak.ledger import ClipLedger  # noqa: E402

DASK = Path(sys.executable).parent / "dask"
FAKE = Options(voice=VoiceOptions(engine="fake"))
SLOW_PIECE = "\n\n".join(f"Paragraph {i} is SLOW to say, on purpose." for i in range(24))
TWO_VOICES = SynthesisConfig(
    "fake", "1", VoiceSettings("fake", 160),
    cast=(SynthesisConfig("fake", "1", VoiceSettings("fake-16k", 160)),),
)  # fmt: skip
"""The fake voice narrating, its 16 kHz voice speaking requests of voice 1."""


@pytest.fixture
def local_cluster():
    """Two worker processes, one thread each, started with this test's environment (its
    cache folder, and the fake engine's fault words)."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster


@pytest.fixture
def on_cluster(local_cluster):
    with ClusterSynthesizer(local_cluster.scheduler_address) as synthesizer:
        yield synthesizer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def plan_for(source: Path, output: Path, options: Options = FAKE):
    return plan_narration(source, output, options)


def local_render(plan, cache=None):
    with LocalPool(2) as pool:
        return render(plan, pool, cache)


def test_cluster_run_gives_the_same_clips_timeline_and_file_as_a_local_run(
    on_cluster, write_text, tmp_path
):
    source = write_text("piece.txt", "\n\n".join(f"Paragraph {i} says this." for i in range(12)))
    here = local_render(plan_for(source, tmp_path / "here.wav"))
    there = render(plan_for(source, tmp_path / "there.wav"), on_cluster)
    assert there.timeline == here.timeline
    assert [c.request for c in there.timeline.clips] == clip_requests(there.document)
    assert (tmp_path / "there.wav").read_bytes() == (tmp_path / "here.wav").read_bytes()
    assert (there.synthesized, there.cached) == (12, 0)


def test_client_cache_is_asked_first_and_filled_with_what_comes_back(
    on_cluster, write_text, tmp_path
):
    source = write_text("piece.txt", "One sentence here. Another one there.\n\nAnd a third.")
    cache = open_cache(tmp_path / "cache", True)
    first = render(plan_for(source, tmp_path / "a.wav"), on_cluster, cache)
    assert (first.synthesized, first.cached) == (3, 0)
    assert cache is not None and cache.info().entries == 3
    again = render(plan_for(source, tmp_path / "b.wav"), on_cluster, cache)
    assert (again.synthesized, again.cached) == (0, 3)
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()


def test_results_come_back_in_order_through_a_bounded_window(on_cluster, write_text):
    requests = [ClipRequest(i, 0, 0, f"Clip number {i} is here.") for i in range(60)]
    config = SynthesisConfig("fake", "1", VoiceSettings("fake", 160))
    in_flight = []
    clips = []
    for clip in on_cluster.synthesize(requests, ClipLedger(config)):
        clips.append(clip.request)
        in_flight.append(len(on_cluster.client.futures))
    assert clips == requests
    window = max(8, 4 * on_cluster.threads())
    assert max(in_flight) <= window < len(requests)


def test_a_clip_the_engine_fails_once_is_retried_and_twice_fails_naming_it(on_cluster):
    config = SynthesisConfig("fake", "1", VoiceSettings("fake", 160))
    flaky = [ClipRequest(0, 0, 0, "A fine one."), ClipRequest(1, 0, 0, "This is FLAKY now.")]
    stats = SynthesisStats()
    ledger = ClipLedger(config, stats=stats)
    assert [c.request for c in on_cluster.synthesize(flaky, ledger)] == flaky
    assert stats.synthesized == 2
    mute = [ClipRequest(0, 0, 0, "A fine one."), ClipRequest(1, 0, 0, "This is MUTE always.")]
    with pytest.raises(Exception, match=r'paragraph 2 \("This is MUTE always\."\).*no audio'):
        list(on_cluster.synthesize(mute, ClipLedger(config)))


def test_worker_with_another_engine_version_is_named(on_cluster, local_cluster):
    config = SynthesisConfig("fake", "999", VoiceSettings("fake", 160))
    with pytest.raises(ClusterError, match=r"Dask worker tcp://127\.0\.0\.1:\d+ has fake '1', "):
        list(on_cluster.synthesize([ClipRequest(0, 0, 0, "Hello there.")], ClipLedger(config)))


def test_worker_lacking_the_engine_is_named(on_cluster):
    config = SynthesisConfig("espeak-x", "1", VoiceSettings(None, 160))
    with pytest.raises(ClusterError, match=r"Dask worker tcp://\S+: unknown engine 'espeak-x'"):
        list(on_cluster.synthesize([ClipRequest(0, 0, 0, "Hello there.")], ClipLedger(config)))


def test_worker_running_another_audio_edition_version_is_named(on_cluster):
    plugin = EnginePlugin("other-version", SynthesisConfig("fake", "1", VoiceSettings("f", 160)))
    plugin.version = "0.0.1"  # as a client of another release would send it
    with pytest.raises(ClusterError, match=r"Dask worker \S+ runs audio-edition .*client 0\.0\.1"):
        on_cluster.register(plugin)


def test_killed_worker_has_its_clips_made_elsewhere_and_nothing_is_lost_or_doubled(
    local_cluster, write_text, tmp_path
):
    source = write_text("slow.txt", SLOW_PIECE)
    here = local_render(plan_for(source, tmp_path / "here.wav"))
    with ClusterSynthesizer(local_cluster.scheduler_address) as synthesizer:
        pids = synthesizer.client.run(os.getpid)
        victim = next(iter(pids.values()))
        killed = []

        def kill_once(progress):
            if progress.paragraphs_done >= 3 and not killed:
                os.kill(victim, signal.SIGKILL)
                killed.append(time.monotonic())

        there = render(plan_for(source, tmp_path / "there.wav"), synthesizer, progress=kill_once)
    assert killed, "the worker was never killed"
    assert there.timeline == here.timeline
    assert there.synthesized == len(clip_requests(there.document))
    assert (tmp_path / "there.wav").read_bytes() == (tmp_path / "here.wav").read_bytes()


def test_local_cluster_through_the_cli_and_the_environment(run_cli, write_text, tmp_path):
    write_text("piece.txt", "A short piece.\n\nWith two paragraphs.")
    done = run_cli("narrate", "piece.txt", "-o", "there.wav", "--engine", "fake",
                   env={"AUDIO_EDITION_CLUSTER": "local:2"})  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    assert run_cli("narrate", "piece.txt", "-o", "here.wav", "--engine", "fake").returncode == 0
    assert (tmp_path / "there.wav").read_bytes() == (tmp_path / "here.wav").read_bytes()
    bad = run_cli("narrate", "piece.txt", "-o", "x.wav", "--engine", "fake", "--cluster", "local:0")
    assert bad.returncode == 2
    assert bad.stderr.decode().strip().splitlines() == [
        "audio-edition: error: --cluster local:N needs a worker count of at least 1, not '0'"
    ]
    many = run_cli("narrate", "piece.txt", "-o", "x.wav", "--engine", "fake",
                   "--cluster", "local:100000")  # fmt: skip
    assert many.returncode == 2
    assert "--cluster local:N 100000 is too many worker processes" in many.stderr.decode()


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("local:0", "cluster local:N needs a worker count of at least 1, not '0'"),
        ("local:100000", "cluster local:N 100000 is too many worker processes for"),
    ],
)
def test_a_local_cluster_of_no_or_too_many_workers_is_refused_in_the_librarys_words(
    address, message
):
    with pytest.raises(OptionError) as raised:
        ClusterSynthesizer(address)
    assert str(raised.value).startswith(message)


def test_unreachable_scheduler_is_one_line_and_no_file(run_cli, write_text, tmp_path):
    write_text("piece.txt", "A short piece.")
    address = f"tcp://127.0.0.1:{free_port()}"
    done = run_cli(
        "narrate", "piece.txt", "-o", "out.mp3", "--engine", "fake", "--cluster", address
    )
    assert done.returncode == 1
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"audio-edition: error: cannot reach the Dask scheduler at {address}"
    ), lines
    assert sorted(p.name for p in tmp_path.iterdir()) == ["piece.txt"]


class DaskProcesses:
    """`dask scheduler` and two `dask worker` processes on 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        self.address = f"tcp://127.0.0.1:{free_port()}"
        port = self.address.rsplit(":", 1)[1]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": folder}
        self.scheduler = subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"], **quiet
        )
        worker = [DASK, "worker", self.address, "--nthreads", "1", "--no-dashboard"]
        self.workers = [
            subprocess.Popen([*worker, "--name", f"worker-{i}"], **quiet) for i in range(2)
        ]
        with distributed.Client(self.address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            process.kill()
            process.wait()


@pytest.fixture
def dask_processes(tmp_path):
    processes = DaskProcesses(tmp_path)
    yield processes
    processes.stop()


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs eSpeak NG")
@pytest.mark.parametrize("engine", ["pyttsx3", "hibari"])
def test_narration_through_dask_scheduler_and_two_workers_is_the_local_one(
    dask_processes, run_cli, write_text, tmp_path, example_text, engine
):
    """eSpeak NG speaks each clip from the same state, and hibari with the same seed, so the
    cluster's two workers give the very samples, timeline and file of a run on this machine,
    and of a run from the cache."""
    write_text("review.txt", example_text)
    there = run_cli("narrate", "review.txt", "-o", "there.wav", "--cluster",
                    dask_processes.address, "--manifest", "--engine", engine)  # fmt: skip
    assert there.returncode == 0, there.stderr.decode()
    assert there.stdout == b""  # the engine's own prints stay on the workers
    assert "14 clips: 14 synthesized" in there.stderr.decode()
    here = run_cli("narrate", "review.txt", "-o", "here.wav", "--no-cache", "--manifest",
                   "--engine", engine)  # fmt: skip
    assert here.returncode == 0, here.stderr.decode()
    there_manifest = json.loads((tmp_path / "there.json").read_text())
    here_manifest = json.loads((tmp_path / "here.json").read_text())
    assert there_manifest["paragraphs"] == here_manifest["paragraphs"]
    assert (tmp_path / "there.wav").read_bytes() == (tmp_path / "here.wav").read_bytes()
    again = run_cli("narrate", "review.txt", "-o", "again.wav", "--manifest", "--engine", engine)
    assert "0 synthesized, 14 from cache" in again.stderr.decode()
    assert (tmp_path / "again.wav").read_bytes() == (tmp_path / "there.wav").read_bytes()


def test_scheduler_that_goes_away_mid_run_is_one_line_and_no_file(
    dask_processes, write_text, tmp_path
):
    write_text("slow.txt", SLOW_PIECE)
    run = subprocess.Popen(
        [sys.executable, "-m", "audio_edition", "narrate", "slow.txt", "-o", "slow.mp3",
         "--engine", "fake", "--cluster", dask_processes.address, "--manifest"],
        cwd=tmp_path, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".slow.mp3.*.part")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # clips are being spoken
    dask_processes.scheduler.kill()
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 1
    lines = stderr.decode().strip().splitlines()
    assert lines == [
        f"audio-edition: error: lost the connection to the Dask scheduler at "
        f"{dask_processes.address}"
    ], lines
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slow.txt"]


def test_batch_over_the_cluster_matches_a_local_batch(local_cluster, run_cli, tmp_path):
    (tmp_path / "docs").mkdir()
    for name in ("a", "b", "c"):
        (tmp_path / "docs" / f"{name}.txt").write_text(f"Document {name}.\n\nIts second part.")
    there = run_cli("batch", "docs", "--output-dir", "there", "--format", "wav", "--engine",
                    "fake", "--cluster", local_cluster.scheduler_address)  # fmt: skip
    assert there.returncode == 0, there.stderr.decode()
    here = run_cli("batch", "docs", "--output-dir", "here", "--format", "wav", "--engine", "fake",
                   "--no-cache")  # fmt: skip
    assert here.returncode == 0, here.stderr.decode()
    for name in ("a", "b", "c"):
        there_file, here_file = (
            tmp_path / "there" / f"{name}.wav",
            tmp_path / "here" / f"{name}.wav",
        )
        assert there_file.read_bytes() == here_file.read_bytes()


def test_batch_on_a_cluster_renders_whole_documents_and_survives_a_killed_worker(
    local_cluster, run_cli, tmp_path
):
    """Documents are the unit of work: a worker killed mid-batch has its document rendered
    again elsewhere, one whose engine always dies fails alone, and every other file is
    whole; a second run finds them up to date."""
    (tmp_path / "docs").mkdir()
    for index in range(6):
        (tmp_path / "docs" / f"d{index}.txt").write_text(
            f"Document {index} is SLOW to say.\n\nIts second part is SLOW too.", encoding="utf-8"
        )
    (tmp_path / "docs" / "z-crash.txt").write_text("This one will CRASH the engine.")
    command = [sys.executable, "-m", "audio_edition", "batch", "docs", "--output-dir", "out",
               "--format", "wav", "--engine", "fake", "--cluster",
               local_cluster.scheduler_address]  # fmt: skip
    process = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE)
    time.sleep(2.0)  # the first documents are being rendered
    assert process.poll() is None
    with distributed.Client(local_cluster.scheduler_address) as client:
        os.kill(next(iter(client.run(os.getpid).values())), signal.SIGKILL)
    _, stderr = process.communicate(timeout=300)
    lines = stderr.decode().splitlines()
    assert process.returncode == 1, lines
    assert any(line.startswith("failed      docs/z-crash.txt: ") for line in lines), lines
    assert lines[-1].startswith("7 documents: 6 narrated, 0 up to date, 1 failed; ")
    local = run_cli("batch", "docs", "--output-dir", "here", "--format", "wav", "--engine",
                    "fake", "--no-cache")  # fmt: skip
    for index in range(6):
        name = f"d{index}.wav"
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "here" / name).read_bytes()
    assert (
        not list((tmp_path / "out").glob("*.part")) and not (tmp_path / "out/z-crash.wav").exists()
    )
    assert local.returncode == 1
    again = subprocess.run(command, cwd=tmp_path, capture_output=True)
    assert (
        again.stderr.decode()
        .splitlines()[-1]
        .startswith("7 documents: 0 narrated, 6 up to date, 1 failed; ")
    )


def test_worker_lacking_the_voice_is_named(on_cluster):
    pytest.importorskip("piper", reason="needs audio-edition[piper]")
    from audio_edition.engines import load_engine

    piper = load_engine("piper")
    config = SynthesisConfig("piper", piper.version(), VoiceSettings("xx_XX-nobody-low", 160))
    with pytest.raises(ClusterError, match=r"Dask worker tcp://\S+: .*xx_XX-nobody-low"):
        list(on_cluster.synthesize([ClipRequest(0, 0, 0, "Hello there.")], ClipLedger(config)))


# Several voices


def exchange(count: int) -> list[ClipRequest]:
    """Requests alternating the narrator and the dialogue voice."""
    return [ClipRequest(i, 0, 0, f"Line {i} of the talk.", i % 2) for i in range(count)]


def local_audio(requests, config):
    with LocalPool(2) as pool:
        return [clip.audio for clip in pool.synthesize(requests, ClipLedger(config))]


def test_clips_in_two_voices_are_the_local_pools(on_cluster):
    requests = exchange(10)
    there = list(on_cluster.synthesize(requests, ClipLedger(TWO_VOICES)))
    assert [clip.request for clip in there] == requests
    here = local_audio(requests, TWO_VOICES)
    assert [clip.audio for clip in there] == here
    assert [audio.sample_rate for audio in here] == [22_050, 16_000] * 5


def test_a_voice_has_one_plugin_whichever_narration_it_is_in(on_cluster):
    narrator, dialogue = on_cluster.plugins_for(TWO_VOICES)
    assert narrator != dialogue
    assert on_cluster.plugins_for(TWO_VOICES.voice(1)) == (dialogue,)
    assert on_cluster.plugins_for(SynthesisConfig("fake", "1", VoiceSettings("fake", 160))) == (
        narrator,
    )


def test_a_document_rendered_on_a_worker_speaks_each_clip_in_its_voice(on_cluster):
    """A batch's document is spoken by _PluginEngine on a worker, with the plugins of all
    its voices."""
    plugins, requests = on_cluster.plugins_for(TWO_VOICES), exchange(6)

    def speak_there():
        engine = _PluginEngine(plugins)
        return [clip.audio for clip in engine.synthesize(requests, ClipLedger(TWO_VOICES))]

    there = on_cluster.client.submit(speak_there, pure=False).result()
    assert there == local_audio(requests, TWO_VOICES)


def test_a_document_whose_cast_voice_the_workers_lack_is_refused_naming_it(
    on_cluster, write_text, tmp_path
):
    source = write_text("piece.txt", "A short piece.")
    lacking = SynthesisConfig("espeak-x", "1", VoiceSettings(None, 160))
    plan = plan_for(source, tmp_path / "piece.wav")
    plan = dataclasses.replace(plan, synthesis=dataclasses.replace(plan.synthesis, cast=(lacking,)))
    with pytest.raises(ClusterError, match=r"Dask worker tcp://\S+: unknown engine 'espeak-x'"):
        list(on_cluster.render_documents([plan]))
    assert not (tmp_path / "piece.wav").exists()


def test_a_narration_with_a_cast_on_the_cluster_is_the_local_one(on_cluster, write_text, tmp_path):
    source = write_text("story.txt", "“I'm here,” said Ann. “Let's go.”\n\nShe left. “Now?”\n")
    cast = write_text("cast.toml", 'default = "fake:fake-16k"\nAnn = "fake:fake-fr"\n')
    options = Options(voice=VoiceOptions(engine="fake", cast=cast))
    here = local_render(plan_for(source, tmp_path / "here.wav", options))
    there = render(plan_for(source, tmp_path / "there.wav", options), on_cluster)
    assert {c.request.voice for c in there.timeline.clips} == {0, 1, 2}
    assert there.timeline == here.timeline
    assert (tmp_path / "there.wav").read_bytes() == (tmp_path / "here.wav").read_bytes()


def test_a_batch_with_a_cast_on_the_cluster_is_the_local_batch(local_cluster, run_cli, tmp_path):
    (tmp_path / "docs").mkdir()
    for name in ("a", "b"):
        (tmp_path / "docs" / f"{name}.txt").write_text(f"“Go {name},” said Ann.\n\nShe went.")
    (tmp_path / "cast.toml").write_text('Ann = "fake:fake-16k"\n')
    common = ("--format", "wav", "--engine", "fake", "--cast", "cast.toml", "--manifest")
    there = run_cli("batch", "docs", "--output-dir", "there", *common, "--cluster",
                    local_cluster.scheduler_address)  # fmt: skip
    assert there.returncode == 0, there.stderr.decode()
    here = run_cli("batch", "docs", "--output-dir", "here", *common, "--jobs", "2", "--no-cache")
    assert here.returncode == 0, here.stderr.decode()
    for name in ("a", "b"):
        assert (tmp_path / "there" / f"{name}.wav").read_bytes() == (
            tmp_path / "here" / f"{name}.wav"
        ).read_bytes()
        manifest = json.loads((tmp_path / "here" / f"{name}.json").read_text(encoding="utf-8"))
        voices = [p["voice"] for p in manifest["paragraphs"][0]["sentences"][0]["parts"]]
        assert voices == ["fake:fake-16k", "fake"]
