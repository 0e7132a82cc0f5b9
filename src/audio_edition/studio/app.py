"""The studio's routes: the page, its assets and the JSON API (see docs/studio.md)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import importlib.resources
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from audio_edition import __version__
from audio_edition.errors import AudioEditionError, InputError, MissingDependencyError, UsageError
from audio_edition.narration import fixes
from audio_edition.narration.plan import NarrationPlan, Options, OutputOptions, plan_narration
from audio_edition.studio.documents import (
    default_voice,
    document_view,
    narration_options,
    sample,
    voice_options,
    voices,
    written_sentence,
)
from audio_edition.studio.folder import MAX_UPLOAD_BYTES, Folder, NotFound
from audio_edition.studio.guard import Guard
from audio_edition.studio.jobs import Job, Jobs, LiveAudio
from audio_edition.studio.proofs import proof_task
from audio_edition.studio.publishing import publish_task

log = logging.getLogger(__name__)

MAX_JSON_BYTES = 64 * 1024
"""The largest JSON body a request may send."""
MAX_SPOKEN_CHARACTERS = 2_000
"""The longest spoken text a sentence's fix may give."""
EVENT_SECONDS = 0.25
"""How often a job's events stream looks for a change."""
_ASSETS = {"studio.js": "text/javascript", "studio.css": "text/css"}
_PAGE_POLICY = ("default-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'none'; "
                "frame-ancestors 'self'")  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Settings:
    """What a studio serves, and how."""

    folder: Folder
    token: str | None = None
    """Every request must carry it (see guard.py); None on a loopback host."""
    loopback: bool = True
    """Whether the studio listens on a loopback address only (its Host is then checked)."""
    voice: str | None = None
    """The voice narrations use unless they ask for one ("engine:voice")."""
    cache_dir: Path | None = None
    """The clip cache's folder (default: the user's)."""


class Studio:
    """The routes, over one folder and one queue of jobs."""

    def __init__(self, settings: Settings) -> None:
        self.settings, self.folder = settings, settings.folder
        self.options = Options(voice=voice_options(settings.voice, Options().voice),
                               output=OutputOptions(force=True))  # fmt: skip
        self.jobs = Jobs(settings.cache_dir)
        self._voices: list[dict[str, Any]] | None = None
        self._default: str | None = None

    def plan(self, document_id: str, options: Options, extension: str = ".mp3") -> NarrationPlan:
        """The plan of a document's narration into its edition (in the output folder)."""
        source = self.folder.document(document_id)
        destination = self.folder.edition(document_id, extension)
        self.folder.inside(str(destination.relative_to(self.folder.root)))  # no link out
        return plan_narration(source, destination, options)

    async def page(self, request: Request) -> Response:
        text = _asset("index.html")
        return Response(text, media_type="text/html", headers={
            "content-security-policy": _PAGE_POLICY, "cache-control": "no-store"})  # fmt: skip

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _ASSETS:
            raise NotFound(f"no file {name!r}")
        return Response(_asset(name), media_type=_ASSETS[name])

    async def health(self, request: Request) -> Response:
        return JSONResponse({"ok": True, "version": __version__})

    async def documents(self, request: Request) -> Response:
        ids = await run_in_threadpool(self.folder.documents)
        return JSONResponse({"documents": [{"id": i, "name": Path(i).name} for i in ids]})

    async def upload(self, request: Request) -> Response:
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            raise HTTPException(411, "an upload needs a Content-Length")
        if int(length) > MAX_UPLOAD_BYTES:
            raise HTTPException(413, f"an upload may be at most {MAX_UPLOAD_BYTES:,} bytes, "
                                f"not {int(length):,}")  # fmt: skip
        async with request.form(max_files=1, max_fields=1) as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise UsageError("send the document as the multipart field 'file'")
            data = await upload.read()
            name = upload.filename or "document.txt"
        document_id = await run_in_threadpool(self.folder.save_upload, name, data)
        return JSONResponse({"id": document_id}, status_code=201)

    async def document(self, request: Request) -> Response:
        document_id = request.path_params["id"]
        spec = request.query_params.get("voice")
        options = dataclasses.replace(self.options, voice=voice_options(spec, self.options.voice))
        plan = await run_in_threadpool(self.plan, document_id, options)
        return JSONResponse(document_view(document_id, plan, self.proofs(document_id)))

    def proofs(self, document_id: str) -> dict[str, Any] | None:
        """The sentences' proofs of the document's last narration, if it was proof-listened
        to (an older narration's would show what a fix has changed since)."""
        proof = self.jobs.latest("proof", document_id)
        narration = self.jobs.latest("narration", document_id)
        if proof is None or narration is None or proof.shown["narration"] != narration.id:
            return None
        sentences: dict[str, Any] = proof.shown["sentences"]
        return sentences

    async def narrate(self, request: Request) -> Response:
        document_id = request.path_params["id"]
        options, form = narration_options(await _json(request), self.options)
        plan = await run_in_threadpool(self.plan, document_id, options, f".{form}")
        job = self.jobs.narrate(document_id, plan)
        return JSONResponse({"job": job.id}, status_code=202)

    async def proof(self, request: Request) -> Response:
        job, plan = self.narration(request)
        task = await run_in_threadpool(proof_task, job.result, plan.language, job.id)
        proof = self.jobs.submit("proof", task, job.document)
        return JSONResponse({"job": proof.id}, status_code=202)

    async def publish(self, request: Request) -> Response:
        body = await _json(request)
        task = await run_in_threadpool(publish_task, self.folder, body, self.options)
        return JSONResponse({"job": self.jobs.submit("publish", task).id}, status_code=202)

    async def fix_sentence(self, request: Request) -> Response:
        document_id, sid = request.path_params["id"], request.path_params["sid"]
        spoken = (await _json(request)).get("spoken")
        if spoken is not None and not isinstance(spoken, str):
            raise UsageError("spoken must be text, or null to remove the fix")
        if spoken is not None and len(spoken) > MAX_SPOKEN_CHARACTERS:
            raise UsageError(f"spoken may be at most {MAX_SPOKEN_CHARACTERS:,} characters")
        plan = await run_in_threadpool(self.plan, document_id, self.options)
        written = written_sentence(plan, sid)
        source = self.folder.document(document_id)
        await run_in_threadpool(fixes.save_sentence_fix, source, written, spoken or None)
        return JSONResponse({"id": sid, "written": written, "spoken": spoken or None})

    async def fix_word(self, request: Request) -> Response:
        document_id, word = request.path_params["id"], request.path_params["word"]
        say = (await _json(request)).get("say")
        if say is not None and (not isinstance(say, str) or len(say) > MAX_SPOKEN_CHARACTERS):
            raise UsageError("say must be a word's spoken form, or null to remove the fix")
        source = self.folder.document(document_id)
        await run_in_threadpool(fixes.save_word_fix, source, word, say or None)
        return JSONResponse({"word": word, "say": say or None})

    def job(self, request: Request) -> Job:
        job = self.jobs.get(request.path_params["job"])
        if job is None:
            raise NotFound(f"no job {request.path_params['job']!r}")
        return job

    def narration(self, request: Request) -> tuple[Job, NarrationPlan]:
        """The narration a request names, done, and its plan; an HTTP error otherwise."""
        job = self.job(request)
        if job.plan is None:
            raise HTTPException(409, f"job {job.id} is a {job.kind}, not a narration")
        if job.state != "done":
            raise HTTPException(409, f"the narration is {job.state}")
        return job, job.plan

    async def job_state(self, request: Request) -> Response:
        return JSONResponse(self.job(request).view())

    async def job_events(self, request: Request) -> Response:
        job = self.job(request)

        async def events() -> AsyncIterator[str]:
            seen = -1
            while True:
                changes, view = job.changes, job.view()
                if changes != seen:
                    seen = changes
                    yield f"data: {json.dumps(view)}\n\n"
                if view["state"] in ("done", "failed"):
                    return
                await asyncio.sleep(EVENT_SECONDS)

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"cache-control": "no-store"})  # fmt: skip

    async def job_audio(self, request: Request) -> Response:
        """The narration's audio: while it runs (an MP3), what is made so far and then the
        rest as it is made; when done, the edition's file."""
        job = self.job(request)
        live = job.live
        if live is not None and not job.finished:
            return StreamingResponse(_as_made(live, job), media_type="audio/mpeg",
                                     headers={"cache-control": "no-store"})  # fmt: skip
        _, plan = self.narration(request)
        audio = dict(plan.sidecars).get("mp3", plan.destination)
        if plan.read_along == "epub":
            raise HTTPException(409, "an EPUB holds its audio: download it from .../edition")
        return FileResponse(audio, headers={"cache-control": "no-store"})

    async def job_edition(self, request: Request) -> Response:
        path = self.narration(request)[1].destination
        return FileResponse(path, filename=path.name, headers={"cache-control": "no-store"})

    async def edition_file(self, request: Request) -> Response:
        path = self.folder.inside(request.path_params["path"], self.folder.output)
        if not path.is_file():
            raise NotFound(f"no file {request.path_params['path']!r} among the editions")
        return FileResponse(path, headers={"cache-control": "no-store"})

    async def voices(self, request: Request) -> Response:
        if self._voices is None:
            self._default = self.settings.voice or await run_in_threadpool(default_voice)
            self._voices = await run_in_threadpool(voices, self._default)
        return JSONResponse({"voices": self._voices, "default": self._default})

    async def sample(self, request: Request) -> Response:
        spec = (await _json(request)).get("voice")
        if not isinstance(spec, str):
            raise UsageError("voice must name a voice, such as hibari:heart")
        wav = await run_in_threadpool(sample, spec, self.options.voice, self.settings.cache_dir)
        return Response(wav, media_type="audio/wav")


async def _json(request: Request) -> dict[str, Any]:
    """The request's JSON object (an empty body is {})."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_JSON_BYTES:
            raise HTTPException(413, f"a request's JSON may be at most {MAX_JSON_BYTES:,} bytes")
    if not body.strip():
        return {}
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise UsageError("the body is not JSON") from None
    if not isinstance(value, dict):
        raise UsageError("the body must be a JSON object")
    return value


def _asset(name: str) -> bytes:
    return (importlib.resources.files("audio_edition.studio") / "static" / name).read_bytes()


def _error(request: Request, error: Exception) -> Response:
    """Every error as JSON {"error": "..."}: never a traceback page."""
    if isinstance(error, HTTPException):
        status, message = error.status_code, str(error.detail)
    elif isinstance(error, NotFound):
        status, message = 404, str(error)
    elif isinstance(error, MissingDependencyError):
        status, message = 501, str(error)
    elif isinstance(error, (UsageError, InputError)):
        status, message = 400, str(error)
    elif isinstance(error, AudioEditionError):
        status, message = 500, str(error)
    else:
        log.error("%s %s failed", request.method, request.url.path, exc_info=error)
        status, message = 500, f"internal error: {type(error).__name__}"
    return JSONResponse({"error": message}, status_code=status)


def create_app(settings: Settings) -> Starlette:
    """The studio's ASGI app; its jobs stop with the app's lifespan."""
    studio = Studio(settings)
    doc = "/api/documents/{id:path}"
    routes = [
        Route("/", studio.page), Route("/static/{name}", studio.asset),
        Route("/api/health", studio.health),
        Route("/api/documents", studio.documents), Route("/api/documents", studio.upload,
                                                          methods=["POST"]),
        Route(f"{doc}/narrations", studio.narrate, methods=["POST"]),
        Route("/api/publish", studio.publish, methods=["POST"]),
        Route(doc + "/sentences/{sid}", studio.fix_sentence, methods=["PUT"]),
        Route(doc + "/words/{word}", studio.fix_word, methods=["PUT"]),
        Route(doc, studio.document),
        Route("/api/jobs/{job}", studio.job_state),
        Route("/api/jobs/{job}/events", studio.job_events),
        Route("/api/jobs/{job}/audio", studio.job_audio),
        Route("/api/jobs/{job}/proof", studio.proof, methods=["POST"]),
        Route("/api/jobs/{job}/edition", studio.job_edition),
        Route("/api/voices", studio.voices),
        Route("/api/voices/sample", studio.sample, methods=["POST"]),
        Route("/files/{path:path}", studio.edition_file),
    ]  # fmt: skip
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, token=settings.token, loopback=settings.loopback)],
        lifespan=_lifespan(studio),
        exception_handlers=dict.fromkeys((Exception, HTTPException, AudioEditionError), _error),
    )
    app.state.studio = studio
    return app


def _lifespan(studio: Studio) -> Any:
    """Stops the jobs (a narration under way is abandoned, leaving no file) when the server
    stops."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await run_in_threadpool(studio.jobs.close)

    return lifespan


async def _as_made(live: LiveAudio, job: Job) -> AsyncIterator[bytes]:
    """The bytes of `live` from the first on, as they come, until it ends (or the job fails)."""
    offset = 0
    while (chunk := await run_in_threadpool(live.read, offset)) is not None:
        if chunk:
            offset += len(chunk)
            yield chunk
        elif job.state == "failed":
            return
