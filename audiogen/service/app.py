"""The service's web application: `make_app(Settings) -> Starlette`.

- The JSON API under /api/articles (POST a URL, an HTML body, a text or an upload: a job;
  GET one, a page of them, their events; DELETE one), /feed.xml (the podcast feed of the
  finished episodes, podcast.py's writer), /audio/NAME (an MP3 and its sidecars, with Range,
  ETag and Cache-Control), /openapi.json and /healthz. The page (page.py) and the speech
  endpoint (speech.py) add their routes to the same list.
- guard.py stands in front of every route: the token on writes (and on reads when private),
  the write rate, the body's size. Errors are `{"error": "one line"}`.
- A file is served only if its name is one the audio folder lists: no request path is
  joined to a folder. Posted bodies and uploads go to the inbox under names the server
  makes.
- Conversions run in the runner's worker processes (or on the cluster), never here.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from audiogen.errors import AudiogenError
from audiogen.service import page, speech
from audiogen.service.guard import MB, Guard, TooLarge, error_response, too_large
from audiogen.service.jobs import Jobs
from audiogen.service.store import ENDED, Job, SQLiteStore, new_id
from audiogen.voices import DEFAULT_VOICE

OVERRIDES = ("headline", "date", "byline", "voice")
# What /audio/ serves, by the end of the name: the episodes, their sidecars and cover art.
# (Never the manifest: it names the server's files.)
MEDIA_TYPES = {
    ".mp3": "audio/mpeg",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".chapters.json": "application/json+chapters",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}
FEED = "feed.xml"
EVENTS_POLL = 0.5  # seconds between looks at a job whose events a client follows

log = logging.getLogger("audiogen")


@dataclass(frozen=True)
class Settings:
    """How the service runs (the `serve` command's flags)."""

    data: Path = Path("audiogen-data")  # jobs.sqlite, audio/, inbox/
    token: str = ""  # the bearer token writes need ("" refuses every write)
    private: bool = False  # reads need the token too
    allow_private_urls: bool = False  # fetch (and call webhooks) on loopback and private nets
    cluster: str | None = None  # a Dask scheduler's address
    jobs: int | None = None  # worker processes (None: the cores)
    max_upload: int = 20 * MB  # bytes of a request's body
    rate: int = 30  # writes a minute per client
    base_url: str | None = None  # the service's public address (default: the request's)
    voice: str = DEFAULT_VOICE
    title: str = "audiogen"  # the podcast's name

    @property
    def audio(self) -> Path:
        return self.data / "audio"

    @property
    def inbox(self) -> Path:
        return self.data / "inbox"

    @property
    def profiles(self) -> Path:
        return self.data / "profiles"  # NAME.toml: the publisher profiles a job may name


class ClientError(Exception):
    """A request that cannot be served as asked: its status and one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def make_app(settings: Settings) -> Starlette:
    """The application; an AudiogenError (one line) for settings that cannot work: a voice
    not known, a data folder that cannot be written. The workers start with the app (its
    lifespan), and stop with it."""
    service = Service(settings)
    handlers = {ClientError: _client_error, HTTPException: _http_error,
                TooLarge: lambda request, error: too_large(settings.max_upload)}  # fmt: skip
    app = Starlette(routes=_routes(service), lifespan=service.lifespan,
                    exception_handlers=handlers,
                    middleware=[Middleware(Guard, settings=settings)])  # fmt: skip
    app.state.service = service
    return app


def _routes(service: Service) -> list:
    return [
        Route("/api/articles", create, methods=["POST"]),
        Route("/api/articles", listing, methods=["GET"]),
        Route("/api/articles/{id}", show, methods=["GET"]),
        Route("/api/articles/{id}", delete, methods=["DELETE"]),
        Route("/api/articles/{id}/events", events, methods=["GET"]),
        Route("/feed.xml", feed, methods=["GET"]),
        Route("/audio/{name}", audio, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        *page.routes(),  # / and /static/ (service/page.py)
        Route("/healthz", health, methods=["GET"]),
        *speech.routes(lambda: service.jobs.runner),  # /v1/ (service/speech.py)
    ]


def run(app: Starlette, host: str, port: int) -> int | None:
    """Serve `app` (from the main thread) until Ctrl-C, SIGTERM or SIGHUP; the signal's
    number. uvicorn stops on each in order: the open requests are answered (an events
    stream holds it up a few seconds at most), then the app's shutdown stops the workers."""
    import signal

    import uvicorn

    class Server(uvicorn.Server):
        stopped_by: int | None = None

        def handle_exit(self, number, frame) -> None:
            self.stopped_by = self.stopped_by or number
            super().handle_exit(number, frame)

    config = uvicorn.Config(app, host=host, port=port, log_level="warning",
                            timeout_graceful_shutdown=5)  # fmt: skip
    server = Server(config)
    if hasattr(signal, "SIGHUP"):  # uvicorn itself stops on SIGINT and SIGTERM only
        signal.signal(signal.SIGHUP, server.handle_exit)
    server.run()  # (uvicorn.run would take a Ctrl-C for a normal end)
    return server.stopped_by


class Service:
    """What the handlers share: the settings, the store, the jobs, the feed last built."""

    def __init__(self, settings: Settings) -> None:
        from audiogen.batch import check_output

        self.settings = settings
        check_output(settings.audio)
        check_output(settings.inbox)
        self.options = worker_options(settings)
        self.store: SQLiteStore | None = None
        self.jobs: Jobs | None = None
        self._feed: tuple[object, bytes] | None = None
        self._feed_lock = threading.Lock()

    @contextlib.asynccontextmanager
    async def lifespan(self, app):
        self.open()  # in the main thread: the workers start with Ctrl-C ignored
        try:
            yield
        finally:
            await run_in_threadpool(self.close)

    def open(self) -> None:
        settings = self.settings
        self.store = SQLiteStore(settings.data / "jobs.sqlite")
        self.jobs = Jobs(self.store, settings.audio, self.options, settings.jobs, self.notify)
        self.jobs.start()

    def close(self) -> None:
        if self.jobs is not None:
            self.jobs.close()
        if self.store is not None:
            self.store.close()
        # Collected now, not left to the interpreter's exit: the workers' queue and stop
        # event are semaphores, which the resource tracker calls leaked if a signal ends
        # the process before its exit handlers run.
        self.jobs = self.store = None
        gc.collect()

    def feed(self, base: str) -> bytes:
        """The podcast feed for `base` (the audio folder's address), built again only when
        an episode came or went; its guids kept in the audio folder's feed.xml."""
        from audiogen.files import write_whole
        from audiogen.podcast import build_feed

        audio = self.settings.audio
        with self._feed_lock:
            key = (base, sorted((p.name, p.stat().st_mtime_ns) for p in audio.glob("*.mp3")))
            if self._feed is None or self._feed[0] != key:
                # A channel with no items before the first episode: a podcast app may
                # subscribe to a new server, and picks the episodes up as they come.
                content = build_feed(audio, title=self.settings.title, base_url=base,
                                     previous=audio / FEED, feed_name=None, empty=True)  # fmt: skip
                write_whole(audio / FEED, content)
                self._feed = (key, content)
            return self._feed[1]

    def notify(self, job: Job) -> None:
        """POST the ended job's JSON to its webhook, once, within fetch's deadline and behind
        its SSRF guard (the rule fetched pages follow)."""
        from audiogen.service.jobs import WEBHOOK_SECONDS
        from audiogen.sources.fetch import post_json

        body = job_json(job, self.settings.base_url or "")
        try:
            post_json(job.webhook, body, private_urls=self.settings.allow_private_urls,
                      deadline=WEBHOOK_SECONDS)  # fmt: skip
        except AudiogenError as error:
            log.warning("job %s: webhook not called: %s", job.id, error)


def worker_options(settings: Settings):
    """The Options every job is converted with (a job's overrides are its Source's)."""
    from audiogen.options import Options
    from audiogen.pipeline import check_options

    options = Options(voice=settings.voice, output=settings.audio, jobs=settings.jobs,
                      cluster=settings.cluster,
                      private_urls=settings.allow_private_urls)  # fmt: skip
    check_options(options)
    return replace(options, cache=options.cache_folder() or False)


# --- the API -------------------------------------------------------------------------------------


async def create(request: Request) -> Response:
    service = _service(request)
    fields, upload = await _fields(request, service.settings)
    jobs = [service.jobs.add(job) for job in _jobs(fields, upload, service.settings)]
    if len(jobs) == 1 and "urls" not in fields:
        return JSONResponse(_created(jobs[0]), status_code=202)
    return JSONResponse({"jobs": [_created(job) for job in jobs]}, status_code=202)


async def listing(request: Request) -> Response:
    limit = _number(request, "limit", 20, 1, 100)
    offset = _number(request, "offset", 0, 0, None)
    jobs, total = _service(request).store.page(limit, offset)
    following = offset + len(jobs)
    next_url = f"/api/articles?limit={limit}&offset={following}" if following < total else None
    return JSONResponse({"items": [job_json(job) for job in jobs], "total": total,
                         "next": next_url})  # fmt: skip


async def show(request: Request) -> Response:
    return JSONResponse(job_json(_job(request)))


async def delete(request: Request) -> Response:
    job = _job(request)
    await run_in_threadpool(_service(request).jobs.delete, job.id)
    return Response(status_code=204)


async def events(request: Request) -> Response:
    """Server-sent events: the job's JSON whenever it changes, until it ends."""
    store = _service(request).store
    job_id = _job(request).id

    async def stream():
        last = None
        while (job := store.get(job_id)) is not None:
            data = json.dumps(job_json(job))
            if data != last:
                yield f"data: {data}\n\n"
                last = data
            if job.status in ENDED or await request.is_disconnected():
                return
            await asyncio.sleep(EVENTS_POLL)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache"})  # fmt: skip


async def feed(request: Request) -> Response:
    service = _service(request)
    base = (service.settings.base_url or str(request.base_url)).rstrip("/") + "/audio/"
    content = await run_in_threadpool(service.feed, base)
    return Response(content, media_type="application/rss+xml; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=60"})  # fmt: skip


async def audio(request: Request) -> Response:
    folder = _service(request).settings.audio
    name = request.path_params["name"]
    media_type = _media_type(name)
    # The name must be one the folder lists: never a path joined from the request.
    if media_type is None or name not in {p.name for p in folder.iterdir() if p.is_file()}:
        raise ClientError(404, f"no file {name!r} here")
    path = folder / name
    response = FileResponse(path, media_type=media_type, stat_result=path.stat(),
                            headers={"Cache-Control": "public, max-age=300"})  # fmt: skip
    if request.headers.get("if-none-match") == response.headers["etag"]:
        return Response(status_code=304, headers={"ETag": response.headers["etag"]})
    return response


async def openapi(request: Request) -> Response:
    from audiogen.service.schema import SCHEMA

    return JSONResponse(SCHEMA)


async def health(request: Request) -> Response:
    runner = _service(request).jobs.runner
    return JSONResponse({"status": "ok", "workers": runner.size, "articles": runner.articles})


# --- what a POST asks for ------------------------------------------------------------------------


async def _fields(request: Request, settings: Settings) -> tuple[dict, UploadFile | None]:
    """What the body says: its fields, and the file uploaded with them."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            fields = await request.json()
        except ValueError:
            raise ClientError(400, "the body is not valid JSON") from None
        if not isinstance(fields, dict):
            raise ClientError(400, 'the body must be a JSON object, such as {"url": "..."}')
        return fields, None
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form(max_files=1, max_fields=20, max_part_size=settings.max_upload)
        upload = form.get("file")
        fields = {key: value for key, value in form.items() if isinstance(value, str)}
        return fields, upload if isinstance(upload, UploadFile) else None
    raise ClientError(415, "send JSON, or a form (multipart/form-data) with a file or URLs")


def _jobs(fields: dict, upload: UploadFile | None, settings: Settings) -> list[Job]:
    """The jobs a POST asks for: one for a file, a page or a text; one a URL."""
    overrides = _overrides(fields)
    if fields.get("profile") is not None:
        overrides["profile"] = str(_profile(fields["profile"], settings))
    webhook = _webhook(fields.get("webhook"))
    common = {"overrides": overrides, "webhook": webhook}
    if upload is not None:
        return [_saved(upload.file.read(), _suffix(upload), f"uploaded {upload.filename or 'file'}",
                       fields, settings, common)]  # fmt: skip
    if isinstance(fields.get("html"), str):
        body = fields["html"].encode()
        return [_saved(body, ".html", "posted HTML", fields, settings, common)]
    if isinstance(fields.get("text"), str):
        return [_saved(fields["text"].encode(), ".txt", "posted text", fields, settings, common)]
    urls = _urls(fields)
    if not urls:
        raise ClientError(400, 'name an article: "url", "urls", "html", "text" or a file')
    return [Job(new_id(), url, url, **common) for url in urls]


def _saved(body: bytes, suffix: str, label: str, fields: dict, settings: Settings,
           common: dict) -> Job:  # fmt: skip
    """A posted body or upload kept in the inbox, under a name the server makes."""
    if not body.strip():
        raise ClientError(400, f"{label}: it is empty")
    job_id = new_id()
    path = settings.inbox / f"{job_id}{suffix}"
    path.write_bytes(body)
    url = fields.get("url") or None
    if url is not None:
        url = _web_address(url)
    return Job(job_id, label, str(path), url=url, **common)


def _suffix(upload: UploadFile) -> str:
    """How the upload is read: a saved page (HTML), else text."""
    name = (upload.filename or "").lower()
    html = name.endswith((".html", ".htm", ".xhtml")) or "html" in (upload.content_type or "")
    return ".html" if html else ".txt"


def _urls(fields: dict) -> list[str]:
    given = fields.get("urls", fields.get("url"))
    if isinstance(given, str):
        given = given.splitlines()
    if not isinstance(given, list) or not all(isinstance(url, str) for url in given):
        raise ClientError(400, '"urls" is a list of addresses, or lines of a text')
    return [_web_address(url.strip()) for url in given if url.strip()]


def _web_address(url: str) -> str:
    from audiogen.urls import web_address

    try:
        return web_address(str(url).strip())
    except ValueError as error:
        raise ClientError(400, str(error)) from None


def _overrides(fields: dict) -> dict[str, str]:
    """headline, date, byline, voice as a list file's row gives them (sources/lists.py)."""
    from audiogen.sources.lists import override_date
    from audiogen.voices import find_voice

    overrides = {}
    for key in OVERRIDES:
        value = fields.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str):
            raise ClientError(400, f'"{key}" must be a string')
        overrides[key] = " ".join(value.split())
    try:
        if "date" in overrides:
            override_date(overrides["date"])
        if "voice" in overrides:
            find_voice(overrides["voice"])
    except (ValueError, AudiogenError) as error:
        raise ClientError(400, str(error)) from None
    return overrides


def _profile(name, settings: Settings) -> Path:
    """The profile a job names: one of the TOML files in the data folder's profiles/, by its
    name alone (never a path from the request)."""
    known = {path.stem: path for path in settings.profiles.glob("*.toml")}
    if not isinstance(name, str) or name not in known:
        names = ", ".join(sorted(known)) or f"none (put NAME.toml files in {settings.profiles})"
        raise ClientError(400, f"profile {name!r} is not one of this server's: {names}")
    return known[name].resolve()


def _webhook(value) -> str | None:
    return _web_address(value) if value else None


# --- the JSON a job is ---------------------------------------------------------------------------


def job_json(job: Job, base: str = "") -> dict:
    """The job as the API shows it; its files' URLs (absolute paths, or under `base`) once
    it is done."""
    done = job.status == "done" and job.output
    files = _file_urls(job.output, base) if done else dict.fromkeys(_SIDECARS)
    return {
        "id": job.id,
        "status": job.status,
        "progress": job.progress,
        "error": job.error,
        "source": job.source,
        "created": job.created,
        "finished": job.finished,
        "headline": job.headline,
        "byline": job.byline,
        "date": job.date,
        "publisher": job.publisher,
        "duration": job.duration,
        **files,
        "chapters": [{"title": title, "start": start} for title, start in job.chapters]
        if done
        else None,
        "feed_url": f"{base}/feed.xml",
    }


_SIDECARS = {"mp3_url": ".mp3", "vtt_url": ".vtt", "srt_url": ".srt",
             "chapters_url": ".chapters.json"}  # fmt: skip


def _file_urls(output: str, base: str) -> dict:
    stem = output.removesuffix(".mp3")
    return {key: f"{base}/audio/{quote(stem + suffix)}" for key, suffix in _SIDECARS.items()}


def _created(job: Job) -> dict:
    return {"id": job.id, "url": f"/api/articles/{job.id}"}


# --- helpers of the handlers ---------------------------------------------------------------------


def _service(request: Request) -> Service:
    return request.app.state.service


def _job(request: Request) -> Job:
    job = _service(request).store.get(request.path_params["id"])
    if job is None:
        raise ClientError(404, f"no job {request.path_params['id']!r}")
    return job


def _number(request: Request, name: str, default: int, low: int, high: int | None) -> int:
    text = request.query_params.get(name)
    try:
        value = default if text is None else int(text)
    except ValueError:
        raise ClientError(400, f"{name} must be a whole number") from None
    if value < low or (high is not None and value > high):
        raise ClientError(400, f"{name} must be from {low}" + (f" to {high}" if high else " up"))
    return value


def _media_type(name: str) -> str | None:
    if name.startswith("."):
        return None
    return next((kind for end, kind in MEDIA_TYPES.items() if name.endswith(end)), None)


async def _client_error(request: Request, error: ClientError) -> Response:
    return error_response(error.status, str(error))


async def _http_error(request: Request, error: HTTPException) -> Response:
    """Starlette's own refusals (no such route, a method not allowed, a malformed form)."""
    return error_response(error.status_code, str(error.detail), error.headers)
