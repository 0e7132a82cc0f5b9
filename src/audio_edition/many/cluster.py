"""Narration on a Dask cluster (``pip install 'audio-edition[cluster]'``).

Two units of work. `narrate` sends clips: each clip's text goes to the cluster and its PCM
comes back; the client assembles, encodes and writes the file. A clip's task is keyed by the
clip's cache key, so one clip asked for twice is made once, and clips come back in document
order through a bounded window, so the client's memory stays flat for any length. `batch`
sends documents: each is rendered whole on a worker and its files' bytes come back, because
with clips the client's own layout and encoding cap the whole cluster (measured in
bench/cluster.py). Either way the client writes every file, so workers need no shared folder.

Each worker builds each voice's engine once, in a WorkerPlugin per voice (the narrator's and
its cast's; narrations sharing a voice share its plugin), after checking that it runs the
client's audio-edition, engine and voice; each engine speaks one clip at a time, and each clip
is spoken by its own voice's. A worker that dies has its tasks run again elsewhere (Dask's
own rescheduling); a task whose workers died three times fails its clip or its document.
Unlike LocalPool, a cluster cannot kill a hung engine: Dask has no time limit for a task.
Either way each clip goes through the run's ClipLedger (audio_edition.speak.ledger), on the
client or on the worker rendering it.
"""

from __future__ import annotations

import collections
import concurrent.futures
import dataclasses
import hashlib
import itertools
import logging
import os
import struct
import sys
import tempfile
import threading
from collections.abc import Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import dask
import distributed
from distributed import KilledWorker, WorkerPlugin

from audio_edition import __version__
from audio_edition.engines import (
    Audio,
    Engine,
    VoiceSettings,
    engine_version,
    load_engine,
    resolve_voice,
)
from audio_edition.errors import AudioEditionError, ClusterError, OptionError, SynthesisError
from audio_edition.narration.plan import NarrationPlan
from audio_edition.narration.render import Edition
from audio_edition.speak.clips import Clip, ClipRequest, SynthesisConfig
from audio_edition.speak.ledger import ClipLedger, clip_failure, clip_key
from audio_edition.speak.synthesis import check_worker_count
from audio_edition.speak.worker import engine_problem

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = "10s"
_WINDOW_PER_THREAD = 4
_MIN_WINDOW = 8
_RATE = struct.Struct("<I")

_engines: dict[str, tuple[Engine, threading.Lock]] = {}
"""On a worker: the engines its plugins built, by plugin name."""


class EnginePlugin(WorkerPlugin):
    """Builds one voice's engine once on every worker (a Dask WorkerPlugin).

    Its setup fails, naming the worker, when the worker runs another audio-edition version,
    lacks the engine, or has another engine version or voice than the client.
    """

    def __init__(self, name: str, config: SynthesisConfig) -> None:
        self.name = name
        self.config = config
        self.version = __version__

    def setup(self, worker: Any) -> None:
        """Check the worker, then build its engine."""
        where = f"Dask worker {worker.address}"
        if __version__ != self.version:
            raise ClusterError(
                f"{where} runs audio-edition {__version__}, the client {self.version}"
            )
        config = self.config
        try:
            engine_class = load_engine(config.engine)
            settings = _worker_settings(engine_class, config.settings, worker.state.nthreads)
            found = engine_version(engine_class, _worker_voice(engine_class, settings))
        except AudioEditionError as error:
            raise ClusterError(f"{where}: {error}") from None
        if found != config.engine_version:
            raise ClusterError(
                f"{where} has {config.engine} {found!r}, the client {config.engine_version!r}"
            )
        _silence_stdout()
        _engines[self.name] = (engine_class(settings), threading.Lock())

    def teardown(self, worker: Any) -> None:
        """Close the engine."""
        engine, _ = _engines.pop(self.name, (None, None))
        if engine is not None:
            engine.close()


def _silence_stdout() -> None:
    """Send the worker's standard output to the null device, as a synthesis worker does:
    engines print ("Audio saved to ..."), and a local cluster's workers share the user's
    stdout. Dask's own messages go to stderr."""
    if not _engines:
        sys.stdout.flush()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)


def _worker_voice(engine: type[Engine], settings: VoiceSettings) -> Any:
    if settings.voice_file is not None:
        return engine.voice_from_file(settings.voice_file)
    return resolve_voice(engine, settings.voice)


def _worker_settings(engine: type[Engine], settings: VoiceSettings, threads: int) -> VoiceSettings:
    """The client's settings with this worker's thread budget and its own copy of the voice
    file (found by the voice's id when the client's path is not on this machine)."""
    voice_file = settings.voice_file
    if voice_file is not None and not voice_file.is_file():
        voice = resolve_voice(engine, settings.voice)
        voice_file = voice.file if voice is not None else None
    return VoiceSettings(settings.voice, settings.rate, voice_file, threads=max(1, threads))


class _PluginEngine:
    """A Synthesizer inside a worker: the engines its plugins built (one a voice, in the order
    of the config's voices), one clip at a time."""

    def __init__(self, plugins: tuple[str, ...]) -> None:
        self.plugins = plugins

    def synthesize(
        self, requests: Sequence[ClipRequest], ledger: ClipLedger
    ) -> Generator[Clip, None, None]:
        """Every request's clip, in order, from the ledger or spoken here."""
        for request in requests:
            clip = ledger.lookup(request)
            while clip is None:
                clip = self._attempt(request, ledger)
            yield clip

    def _attempt(self, request: ClipRequest, ledger: ClipLedger) -> Clip | None:
        try:
            audio = speak_clip(self.plugins[request.voice], request.text)
        except ClusterError:
            raise
        except Exception as error:  # the engine failed
            ledger.reject(request, engine_problem(error))
            return None
        return ledger.accept(request, audio)

    def close(self) -> None:
        """Nothing to let go of: the plugin owns the engine."""


def render_document(
    plugins: tuple[str, ...], plan: NarrationPlan
) -> tuple[tuple[bytes, ...], Edition]:
    """The task of a batch on a cluster: render the whole plan on this worker (speech in the
    engines of `plugins`, one a voice, layout, encoding, tags, sidecars) into a private folder,
    with the worker's own clip cache; returns
    the bytes of the plan's files, in the order of plan.outputs, and the edition."""
    from audio_edition.narration.render import open_cache, render

    with tempfile.TemporaryDirectory(prefix="audio-edition-") as folder:
        here = Path(folder) / plan.destination.name
        local = dataclasses.replace(
            plan,
            destination=here,
            sidecars=tuple((kind, here.with_suffix(f".{kind}")) for kind, _ in plan.sidecars),
        )
        edition = render(local, _PluginEngine(plugins), open_cache(None, True), encoders=1)
        files = tuple(path.read_bytes() for path in local.outputs)
    return files, dataclasses.replace(edition, path=plan.destination, sidecars=dict(plan.sidecars))


def speak_clip(plugin: str, text: str) -> Audio:
    """Speak `text` with the engine `plugin` built on this worker."""
    try:
        engine, lock = _engines[plugin]
    except KeyError:
        raise ClusterError(f"this worker has no engine {plugin!r}") from None
    with lock:
        return engine.synthesize(text)


def clip_task(plugin: str, text: str) -> bytes:
    """The task of a clip: its sample rate and PCM as bytes, which Dask sends as raw frames
    rather than pickling them."""
    audio = speak_clip(plugin, text)
    return _RATE.pack(audio.sample_rate) + audio.samples


def _audio_from(data: bytes) -> Audio:
    (rate,) = _RATE.unpack_from(data)
    return Audio(data[_RATE.size :], rate)


class ClusterSynthesizer:
    """A Synthesizer whose clips are spoken by the workers of a Dask cluster.

    `address` is a scheduler (``tcp://host:8786``), or ``local`` / ``local:N`` for a
    LocalCluster of N worker processes on this machine (default: the CPU count).
    """

    def __init__(self, address: str) -> None:
        self.address = address
        self._cluster: Any = None
        try:
            if address == "local" or address.startswith("local:"):
                # Dask's statistical profiler samples every worker thread 100 times a second
                with dask.config.set({"distributed.worker.profile.enabled": False}):
                    self._cluster = distributed.LocalCluster(
                        n_workers=_local_workers(address), threads_per_worker=1,
                        processes=True, dashboard_address=None, silence_logs=logging.CRITICAL,
                    )  # fmt: skip
                self.client = distributed.Client(self._cluster)
            else:
                self.client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as error:
            self.close()
            raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}") from None
        self._plugins: set[str] = set()

    def __enter__(self) -> ClusterSynthesizer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def threads(self) -> int:
        """How many clips the cluster's workers speak at once."""
        return sum(self.client.nthreads().values()) or 1

    def plugins_for(self, config: SynthesisConfig) -> tuple[str, ...]:
        """The names of the plugins of the config's voices, in order, each registered once
        and named by its voice alone (not the rest of the cast)."""
        return tuple(self._plugin_for(dataclasses.replace(v, cast=())) for v in config.voices)

    def _plugin_for(self, config: SynthesisConfig) -> str:
        name = f"audio-edition-{hashlib.sha256(repr(config).encode()).hexdigest()[:16]}"
        if name not in self._plugins:
            self.register(EnginePlugin(name, config))
            self._plugins.add(name)
        return name

    def register(self, plugin: EnginePlugin) -> None:
        """Set the plugin up on every worker (and on every worker that joins later); the first
        worker that cannot is a ClusterError naming it."""
        replies = self.client.register_plugin(plugin, name=plugin.name)
        errors = [reply for reply in (replies or {}).values() if reply.get("status") == "error"]
        if errors:
            raise ClusterError(str(errors[0].get("exception", "a worker failed")))
        if not replies:
            raise ClusterError(f"the Dask scheduler at {self.address} has no workers")

    def synthesize(
        self, requests: Sequence[ClipRequest], ledger: ClipLedger
    ) -> Generator[Clip, None, None]:
        """Every request's clip, in order: the ledger's, or one a task spoke (a window of
        tasks at once)."""
        try:
            plugins = self.plugins_for(ledger.config)
            window = max(_MIN_WINDOW, _WINDOW_PER_THREAD * self.threads())
        except (OSError, TimeoutError) as error:
            raise self._lost(error) from None
        # each request in the window, with its clip or the future of its task
        pending: collections.deque[tuple[ClipRequest, Any]] = collections.deque()
        try:
            for request in requests:
                task = ledger.lookup(request) or self._submit(plugins, request, ledger)
                pending.append((request, task))
                if len(pending) == window:
                    yield self._first_clip(pending, plugins, ledger)
            while pending:
                yield self._first_clip(pending, plugins, ledger)
        finally:
            for _, task in pending:
                if not isinstance(task, Clip):
                    task.release()

    def _submit(self, plugins: tuple[str, ...], request: ClipRequest, ledger: ClipLedger) -> Any:
        """A task speaking the request with its voice's plugin, keyed by its cache key (and
        after a failed attempt, their count: an erred key would only give its error again)."""
        key = f"clip-{clip_key(request, ledger.config).digest()}"
        if attempt := ledger.failures(request):
            key += f"-{attempt}"
        plugin = plugins[request.voice]
        return self.client.submit(clip_task, plugin, request.text, key=key, pure=False)

    def _first_clip(
        self,
        pending: collections.deque[tuple[ClipRequest, Any]],
        plugins: tuple[str, ...],
        ledger: ClipLedger,
    ) -> Clip:
        """The first pending request's clip: its task's audio accepted, or asked for again."""
        request, task = pending[0]
        while not isinstance(task, Clip):
            task = self._outcome(request, task, ledger) or self._submit(plugins, request, ledger)
            pending[0] = (request, task)
        pending.popleft()
        return task

    def _outcome(self, request: ClipRequest, future: Any, ledger: ClipLedger) -> Clip | None:
        """The task's audio as the ledger takes it: a clip, or None to speak it again."""
        try:
            audio = _audio_from(future.result())
        except KilledWorker:
            raise clip_failure(request, "the workers speaking it died 3 times") from None
        except AudioEditionError:
            raise
        except (OSError, TimeoutError, concurrent.futures.CancelledError) as error:
            raise self._lost(error) from None
        except Exception as error:  # the engine failed on the worker
            ledger.reject(request, engine_problem(error))
            return None
        return ledger.accept(request, audio)

    def render_documents(
        self, plans: Iterable[NarrationPlan]
    ) -> Iterator[tuple[NarrationPlan, tuple[bytes, ...] | AudioEditionError, Edition | None]]:
        """Render whole documents on the workers, a window of them at a time; yields each plan
        as it finishes with its files' bytes and edition, or the error that failed it. A lost
        scheduler raises."""
        window = max(2, 2 * self.threads())
        waiting = iter(plans)
        running: dict[Any, NarrationPlan] = {}
        done = distributed.as_completed()
        try:
            for plan in itertools.islice(waiting, window):
                future = self._submit_document(plan)
                running[future] = plan
                done.add(future)
            for future in done:
                plan = running.pop(future)
                try:
                    files, edition = future.result()
                    yield plan, files, edition
                except KilledWorker:
                    died = SynthesisError(f"{plan.source}: the workers rendering it died 3 times")
                    yield plan, died, None
                except AudioEditionError as error:
                    yield plan, error, None
                except (OSError, TimeoutError, concurrent.futures.CancelledError) as error:
                    raise self._lost(error) from None
                for following in itertools.islice(waiting, 1):
                    submitted = self._submit_document(following)
                    running[submitted] = following
                    done.add(submitted)
        finally:
            for future in running:
                future.release()

    def _submit_document(self, plan: NarrationPlan) -> Any:
        try:
            plugins = self.plugins_for(plan.synthesis)
        except (OSError, TimeoutError) as error:
            raise self._lost(error) from None
        return self.client.submit(render_document, plugins, plan, pure=False)

    def _lost(self, error: BaseException) -> ClusterError:
        """One line whichever way Dask noticed (a cancelled future, a closed stream, a timeout):
        its own messages name internal connection pools and may run to several lines."""
        log.debug("lost the Dask scheduler: %r", error)
        return ClusterError(f"lost the connection to the Dask scheduler at {self.address}")

    def close(self) -> None:
        """Disconnect, and stop a local cluster."""
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()


def _local_workers(address: str) -> int:
    _, _, count = address.partition(":")
    if not count:
        return os.cpu_count() or 1
    if not count.isdigit() or int(count) < 1:
        raise OptionError("cluster", f" local:N needs a worker count of at least 1, not {count!r}")
    return check_worker_count(int(count), "cluster", " local:N")
