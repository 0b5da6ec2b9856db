"""Batches on a Dask cluster: one task per article, on worker processes that may be on other
machines; the client records every result as batch.py does for its local pool.

- `on_cluster(sources, options, on_event, finish)` connects a distributed.Client to
  `options.cluster` (a scheduler's address, `tcp://HOST:8786`), submits one task per article
  and hands each Outcome to `finish` in completion order, in the caller's thread: the
  manifest, progress, summary and exit status are those of a local batch.
- Each Dask worker process keeps, for every article of the batch it gets, one batch._Worker:
  the voice (voices.open_engine keeps the engine per process), the lexicons, the chunk cache.
  A voice's neural engine gets the cores of its machine shared among the worker processes
  there.
- Progress: a task's Spoken events and warnings go to a topic of the batch's own
  (Worker.log_event); the client hands them to `on_event` between completions.
- Sources: a file on the client's disk is read here and sent with its task (the workers may
  not see that disk); URLs and feed items are fetched by the worker.
- A worker that dies mid-article has its articles given to other workers by the scheduler;
  one that kills every worker it meets (the scheduler's `allowed-failures`, 3 by default)
  fails alone, with a one-line reason. A task's other exceptions are bugs, tried again once
  (`RETRIES`), then a failure of that article.
- Ctrl-C: the articles not yet started are cancelled; one already converting finishes on its
  worker (Dask cannot stop a running task), and its files are written whole or not at all.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import queue
import uuid
from dataclasses import replace
from pathlib import Path

from audiogen import batch, storage
from audiogen.errors import AudiogenError
from audiogen.manifest import FAILED, Entry
from audiogen.options import voice_name
from audiogen.sources import Source
from audiogen.sources.identity import source_key

RETRIES = 1  # a task that raised (a bug of ours, a store that failed once): once more
POLL = 0.1  # seconds between looks at the progress events while articles are converting

log = logging.getLogger("audiogen")


def on_cluster(sources: list[Source], options, on_event, finish) -> None:
    """Convert `sources` on the cluster at `options.cluster`; see the module's docstring."""
    storage.needs("distributed", "a Dask cluster")
    with _client(options.cluster) as client:
        topic = f"audiogen-{uuid.uuid4().hex}"
        events: queue.SimpleQueue = queue.SimpleQueue()
        client.subscribe_topic(topic, lambda event: events.put(event[1]))
        threads = _threads_by_host(client)
        submitted: list = []

        def submit(indices, attempt: int = 0) -> dict:
            futures = {
                client.submit(_task, i, _shipped(sources[i]), options, threads, topic,
                              key=f"{topic}-{i}-{attempt}", retries=RETRIES, pure=False): i
                for i in indices
            }  # fmt: skip
            submitted.extend(futures)
            return futures

        collect = functools.partial(_collect, sources=sources, options=options, events=events,
                                    on_event=on_event, finish=finish)  # fmt: skip
        try:
            lost = collect(submit(range(len(sources))))
            # The scheduler blames every article on a worker that died, not only the one that
            # killed it: each is tried again alone, and only the culprit fails.
            for index in lost:
                collect(submit([index], attempt=1), alone=True)
        except BaseException:
            client.cancel(submitted)
            raise


def _client(address: str):
    from distributed import Client

    try:
        return Client(address, timeout="20s")
    except (OSError, TimeoutError) as error:
        raise AudiogenError(f"cannot reach the Dask scheduler at {address}: {error}") from None


def _threads_by_host(client) -> dict[str, int]:
    """Host -> how many threads each Dask worker process there may give its voice: the
    machine's cores shared by its worker processes (the workers report their machine's), as
    they are when the batch starts (waiting for the first). A worker that joins later gives
    its voice one thread (`_task`): never more threads than cores."""
    client.wait_for_workers(1)
    hosts = client.run(os.cpu_count)  # worker address -> its machine's cores
    processes: dict[str, int] = {}
    for address in hosts:
        processes[_host(address)] = processes.get(_host(address), 0) + 1
    return {_host(a): max(1, (cores or 1) // processes[_host(a)]) for a, cores in hosts.items()}


def _host(address: str) -> str:
    return address.rsplit("://", 1)[-1].rsplit(":", 1)[0]


def _shipped(source: Source) -> Source:
    """`source` with a local file's bytes in hand: the worker may be on another machine."""
    if source.content is not None or "://" in source.location or source.location == "-":
        return source
    try:
        return replace(source, content=Path(source.location).read_bytes())
    except OSError:
        return source  # the worker says what is wrong with it, as a local batch would


def _collect(futures: dict, *, sources, options, events, on_event, finish, alone=False) -> list:
    """Each outcome to `finish` as its task completes, progress events in between; the
    articles whose workers died (KilledWorker), unless each was `alone` on the cluster."""
    from distributed import as_completed

    done: set[int] = set()
    lost: list[int] = []
    completed = as_completed(list(futures))
    while not completed.is_empty():
        for future in completed.next_batch(block=False):
            index = futures[future]
            if not alone and _killed_worker(future):
                lost.append(index)
                continue
            done.add(index)
            finish(_outcome(future, index, sources[index], options))
        _drain(events, on_event, done, timeout=POLL)
    _drain(events, on_event, done, timeout=0)
    return sorted(lost)


def _killed_worker(future) -> bool:
    from distributed import KilledWorker

    return future.status == "error" and isinstance(future.exception(), KilledWorker)


def _drain(events, on_event, done: set[int], timeout: float) -> None:
    """Hand on the events that came, waiting up to `timeout` for the first."""
    try:
        message = events.get(timeout=timeout) if timeout else events.get_nowait()
        while True:
            _handed(message, on_event, done)
            message = events.get_nowait()
    except queue.Empty:
        return


def _handed(message: dict, on_event, done: set[int]) -> None:
    if "level" in message:
        log.log(message["level"], "%s", message["message"])  # a worker's warning, shown here
    elif message["index"] not in done:  # progress that arrives after the outcome is moot
        # The scheduler adds the worker's address to the message.
        on_event(batch.Spoken(*(message[name] for name in ("index", "done", "total", "seconds"))))


def _outcome(future, index: int, source: Source, options) -> batch.Outcome | None:
    """The task's outcome; a worker-killing article or a bug of ours is that article's
    failure, like any other."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        reason = "every Dask worker converting it died (out of memory, or killed)"
    except Exception as error:  # a bug of ours: report it like any failure, batch goes on
        reason = f"unexpected {type(error).__name__}: {error}"
    entry = Entry(source_key(source), FAILED, voice=voice_name(options, source),
                  error=f"{source.location}: {reason}")  # fmt: skip
    return batch.Outcome(index, entry)


# --- in the Dask worker process ------------------------------------------------------------------


def _task(index: int, source: Source, options, threads: dict, topic: str):
    """One article, converted in a Dask worker process. (It reads the output's manifest
    itself, once per batch, for the articles' earlier MP3s: a dict sent with every task
    would grow with the archive, and one scattered is lost with the workers holding it.)"""
    from distributed import get_worker

    global _topic
    _topic = topic
    worker = _worker_for(options, threads.get(_host(get_worker().address), 1), topic)
    return batch._converted(index, source, worker)


@functools.lru_cache(maxsize=4)
def _worker_for(options, threads: int | None, topic: str) -> batch._Worker:
    """This process's state for the batch `topic`, made at its first article, kept for all."""
    from distributed import get_worker

    def send(event) -> None:
        get_worker().log_event(topic, _message(event))

    _forward_warnings()
    return batch._Worker(options, threads, send)


def _message(event: batch.Spoken) -> dict:
    """A Spoken event as plain data, which the scheduler passes on as it is."""
    return {"index": event.index, "done": event.done, "total": event.total,
            "seconds": event.seconds}  # fmt: skip


_topic: str | None = None  # the batch this process converts for now


@functools.cache
def _forward_warnings() -> None:
    """Once per process: the audiogen logger's warnings go to the current batch's client."""
    logging.getLogger("audiogen").addHandler(_ToClient(logging.WARNING))


class _ToClient(logging.Handler):
    """A worker's warnings (an encoding, an unwritable cache) go to the client's screen."""

    def emit(self, record: logging.LogRecord) -> None:
        from distributed import get_worker

        message = {"level": record.levelno, "message": record.getMessage()}
        with contextlib.suppress(ValueError):  # not in a Dask worker: no batch to tell
            get_worker().log_event(_topic, message)
