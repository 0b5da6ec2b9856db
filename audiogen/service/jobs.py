"""A job's life, from the request that asks for it to its MP3 (or its one-line failure).

- `Jobs.add(job)` keeps it in the store (queued) and hands it to the runner; jobs start in
  the order they were asked for. `Jobs.start()` (the server starting) puts the jobs a
  stopped server was running back in the queue and queues them all again, oldest first.
- A worker's Started event makes the job running, its Spoken events its progress (the
  chunks spoken of its total); its Outcome makes it done, with the article's metadata, or
  failed, with the reason (AudiogenError's line, the client's name for the source in place
  of the server's file). Every outcome is recorded in the audio folder's manifest, as a
  batch records it, so that an article converted again keeps one file.
- A worker that dies takes its pool's articles with it: each is tried once more, and fails
  the second time, with the reason.
- The job's webhook, if any, is POSTed the job's JSON when it ends: once, within a deadline
  (WEBHOOK_SECONDS), in a thread of its own; a failure is logged.
- `Jobs.delete(id)` forgets the job and removes its MP3, sidecars and inbox file; a queued
  one never starts, a running one stops at its next sentence (one that ends meanwhile has
  its files removed then).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from audiogen import batch
from audiogen.manifest import FAILED as FAILED_ENTRY
from audiogen.manifest import Entry, Manifest
from audiogen.options import Options
from audiogen.publish import sidecar_paths
from audiogen.service.runner import Runner
from audiogen.service.store import DONE, FAILED, QUEUED, RUNNING, Job, Store, now
from audiogen.sources import Source

WEBHOOK_SECONDS = 10  # a webhook's whole call: connect, send, answer
DIED = "a worker process died converting it (out of memory, or killed)"

log = logging.getLogger("audiogen")


class Jobs:
    def __init__(
        self,
        store: Store,
        audio: Path,
        options: Options,
        workers: int | None,
        notify: Callable[[Job], None],
    ) -> None:
        self.store = store
        self.audio = audio
        self.runner = Runner(options, workers, self._event)
        self._notify = notify  # the webhook's caller (app.py: it knows the URLs)
        self._lock = threading.Lock()  # the manifest, and the maps below
        self._running: dict[str, Future] = {}
        self._ids: dict[int, str] = {}  # seq -> id: the workers' events name the seq
        self._retried: set[str] = set()
        self._webhooks = ThreadPoolExecutor(2, "webhook")

    def start(self) -> None:
        """Start the workers; jobs a stopped server was running run again, then the queue."""
        requeued = self.store.requeue_running()
        if requeued:
            log.info("%d interrupted job(s) queued again", requeued)
        self.runner.start()
        for job in self.store.waiting():
            self._submit(job)

    def add(self, job: Job) -> Job:
        job = self.store.add(job)
        self._submit(job)
        return job

    def delete(self, job_id: str) -> bool:
        job = self.store.get(job_id)
        if job is None:
            return False
        with self._lock:
            future = self._running.pop(job_id, None)
        if future is not None and not future.cancel():  # running: stopped at a sentence
            self.runner.cancel(job.seq)  # (or, if it ends first, its files go then)
        self.store.delete(job_id)
        self._remove_files(job.output, job.location)
        return True

    def close(self) -> None:
        self.runner.close()
        self._webhooks.shutdown(wait=True)

    def _submit(self, job: Job) -> None:
        source = Source(job.location, url=job.url, overrides=dict(job.overrides))
        with self._lock:
            self._ids[job.seq] = job.id
            future = self.runner.convert(job.seq, source)
            self._running[job.id] = future
        future.add_done_callback(lambda done: self._ended(job, done))

    def _event(self, event) -> None:
        with self._lock:
            job_id = self._ids.get(event.index)
        if job_id is None:
            return
        if isinstance(event, batch.Started):
            self.store.update(job_id, status=RUNNING, progress=0.0)
        elif isinstance(event, batch.Spoken) and event.total:
            self.store.update(job_id, status=RUNNING, progress=round(event.done / event.total, 3))

    def _ended(self, job: Job, future: Future) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if isinstance(error, BrokenProcessPool) and job.id not in self._retried:
            self._retried.add(job.id)
            self.store.update(job.id, status=QUEUED, progress=0.0)
            self._submit(job)
            return
        with self._lock:
            self._running.pop(job.id, None)
            self._ids.pop(job.seq, None)
        if error is None and future.result() is None:
            return  # stopped with the server: still running, so queued again at start
        entry = _entry(future, job)
        self._record(entry)
        if self.store.get(job.id) is None:  # deleted while it ran
            self._remove_files(_name(entry.output), None)
            return
        ended = self.store.update(job.id, **self._result(job, entry))
        if ended is not None and ended.webhook:
            self._webhooks.submit(self._notify, ended)

    def _record(self, entry: Entry) -> None:
        with self._lock:
            manifest = Manifest(self.audio)
            try:
                manifest.record(entry)
            finally:
                manifest.close()

    def _result(self, job: Job, entry: Entry) -> dict:
        """What the store keeps of the outcome."""
        if entry.status == FAILED_ENTRY:
            return {"status": FAILED, "error": _reason(entry.error, job), "finished": now()}
        name = _name(entry.output)
        return {"status": DONE, "progress": 1.0, "finished": now(), "output": name,
                "duration": entry.duration, "headline": entry.headline, "date": entry.date,
                "chapters": _chapters(self.audio / name), **_tags(self.audio / name)}  # fmt: skip

    def _remove_files(self, name: str | None, location: str | None) -> None:
        paths = []
        if name:
            paths = [self.audio / name, *sidecar_paths(self.audio / name)]
        if location and Path(location).parent == self.audio.parent / "inbox":
            paths.append(Path(location))
        for path in paths:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def _entry(future: Future, job: Job) -> Entry:
    """The outcome's manifest entry; a dead worker or a bug of ours is the job's failure."""
    error = future.exception()
    if error is None:
        return future.result().entry
    reason = DIED if isinstance(error, BrokenProcessPool) else f"unexpected {error!r}"
    return Entry(job.location, FAILED_ENTRY, error=f"{job.location}: {reason}")


def _reason(error: str | None, job: Job) -> str:
    """The failure's line, naming the source as the client did (not the inbox file)."""
    error = error or "failed"
    if job.location != job.source and error.startswith(job.location):
        return job.source + error[len(job.location) :]
    return error


def _name(output: str | None) -> str | None:
    return Path(output).name if output else None


def _tags(mp3: Path) -> dict:
    """The byline and publisher the MP3's tags say (the manifest keeps neither)."""
    from mutagen.id3 import ID3, ID3NoHeaderError

    try:
        tags = ID3(mp3)
    except (ID3NoHeaderError, OSError):
        return {}
    return {"byline": _text(tags, "TPE1"), "publisher": _text(tags, "TALB")}


def _text(tags, frame: str) -> str | None:
    found = tags.get(frame)
    return str(found.text[0]) if found and found.text else None


def _chapters(mp3: Path) -> tuple[tuple[str, float], ...]:
    """(title, start) of each chapter, from the episode's JSON chapters (Podcasting 2.0)."""
    import json

    from audiogen.sidecars import CHAPTERS_JSON

    try:
        document = json.loads(mp3.with_name(mp3.stem + CHAPTERS_JSON).read_text("utf-8"))
    except (OSError, ValueError):
        return ()
    return tuple((chapter["title"], chapter["startTime"]) for chapter in document["chapters"])
