"""The long-lived worker pool every conversion of the service runs in.

- `Runner.call(fn, *args) -> concurrent.futures.Future` runs a picklable top-level function
  in one of the worker processes (batch.Workers: spawned fresh, each loads the voice once,
  for all the work it gets); app code awaits it with `asyncio.wrap_future`. Nothing heavy
  runs in the server's process or its event loop.
- `Runner.convert(index, source)` converts one article there (batch.convert_in_worker), or
  on the Dask cluster when the options name one (cluster.on_cluster, one article a task);
  the future's result is the batch's Outcome (None: stopped).
- The workers' events (batch.Started, batch.Spoken) go to `on_event`, in a thread of the
  runner's own, as they come.
- A worker that dies (killed, out of memory) breaks its pool: the next call gets a new one,
  and the futures of the broken pool fail with BrokenProcessPool (jobs.py decides).
- `close()` sets the workers' stop event (they stop at their next sentence), cancels what
  has not started and waits for the processes to end: none outlives the service. A worker
  whose server is killed outright ends with it (batch._exit_with_parent).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from audiogen import batch
from audiogen.options import Options
from audiogen.sources import Source

log = logging.getLogger("audiogen")

_END = None  # put on the events queue by close(): the drain thread ends


class Runner:
    def __init__(self, options: Options, jobs: int | None, on_event: Callable) -> None:
        self.options = options
        self.size = batch.workers_for(jobs, os.cpu_count() or 1)
        self._workers = batch.Workers(options, batch.threads_for(self.size))
        self._lock = threading.Lock()
        self._pool = self._workers.pool(self.size)
        self._on_event = on_event
        self._articles: set[Future] = set()
        self._drainer = threading.Thread(target=self._drain, name="runner-events", daemon=True)
        self._drainer.start()
        # On a cluster: one thread per article waits for its task (the cluster does the work).
        self._cluster = ThreadPoolExecutor(4, "cluster") if options.cluster else None

    def call(self, fn: Callable, *args) -> Future:
        """`fn(*args)` in a worker process; see the module's docstring."""
        with self._lock:
            try:
                return self._submitted(fn, args)
            except BrokenProcessPool:
                log.warning("a worker process died; starting new ones")
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._workers.pool(self.size)
                return self._submitted(fn, args)

    def convert(self, index: int, source: Source) -> Future:
        """One article, its events under `index`; the future's result is its Outcome."""
        if self._cluster is not None:
            future = self._cluster.submit(self._on_cluster, index, source)
        else:
            future = self.call(batch.convert_in_worker, index, source)
        self._articles.add(future)
        future.add_done_callback(self._articles.discard)
        return future

    @property
    def articles(self) -> int:
        """How many articles are queued or converting."""
        return len(self._articles)

    def cancel(self, index: int) -> None:
        """The article at `index` is dropped at its next sentence (a local worker's; a task on
        the cluster runs to its end)."""
        self._workers.cancel(index)

    def start(self) -> None:
        """Start every worker now (from the main thread: see batch.sigint_ignored), so that
        the first article does not wait for a voice to load."""
        with self._lock:
            for _ in range(self.size):
                self._submitted(_ready, ())

    def close(self) -> None:
        self._workers.stop.set()
        with self._lock:
            self._pool.shutdown(wait=True, cancel_futures=True)
        if self._cluster is not None:
            self._cluster.shutdown(wait=False, cancel_futures=True)
        self._workers.events.put(_END)
        self._drainer.join(timeout=5)

    def _submitted(self, fn: Callable, args: tuple) -> Future:
        with batch.sigint_ignored():  # a worker started now inherits it
            return self._pool.submit(fn, *args)

    def _drain(self) -> None:
        while (event := self._workers.events.get()) is not _END:
            try:
                batch.handed(event, self._on_event)
            except Exception:  # a bug in a handler must not end the events for all jobs
                log.exception("handling a worker's event")

    def _on_cluster(self, index: int, source: Source) -> batch.Outcome | None:
        from audiogen.cluster import on_cluster

        outcomes: list[batch.Outcome] = []
        self._on_event(batch.Started(index))
        on_cluster([source], self.options, self._reindexed(index), outcomes.append)
        return batch.Outcome(index, outcomes[0].entry) if outcomes else None

    def _reindexed(self, index: int) -> Callable:
        """The cluster's batch of one calls its article 0: its events are the job's."""

        def on_event(event) -> None:
            if isinstance(event, batch.Spoken):
                self._on_event(batch.Spoken(index, event.done, event.total, event.seconds))

        return on_event


def _ready() -> None:
    """Nothing: a worker that ran it has started (and so has its initializer)."""
