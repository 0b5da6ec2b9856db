"""Batches: many sources converted on all cores; one bad article never stops the rest.

The parent hands out whole articles to N worker processes. Each worker loads the voice once
and gives the neural engine cores/N threads, so the machine is busy with synthesis, not with
threads waiting on each other. Workers send progress back as small events; the parent records
every result in the output folder's manifest as it arrives.

Stopping: Ctrl-C, SIGTERM and SIGHUP reach the parent (whose caller turns them into an
exception, as Python does Ctrl-C), which tells the workers to stop at their next sentence, so
that the pool shuts down in order, every article finished meanwhile is recorded, and no
temporary file is left. A worker ignores Ctrl-C (the terminal sends it to every process of the
group: the parent decides); SIGTERM or SIGHUP sent to a worker itself (by the pool, to end a
broken one's workers, or by a service manager to every process) ends it at once, its
temporary files removed on the way out. A worker whose parent dies (kill -9) exits at once:
no process outlives the batch.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from audiogen import storage
from audiogen.errors import AudiogenError
from audiogen.manifest import FAILED, NAME, Entry, Manifest
from audiogen.options import Options, lexicon_for, setting, voice_for, voice_name
from audiogen.sources import Source
from audiogen.sources.identity import canonical_location, source_key

# The chunk cache is trimmed to this after each batch, least recently used first: about 13
# hours of Piper's audio, weeks of a newsroom's articles.
CACHE_LIMIT = 2 * 1024**3

# How many of the latest articles cancelled (Workers.cancel) the workers look out for.
CANCELLED = 64

# The signals that end a worker at once (see the module's docstring).
_ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))

log = logging.getLogger("audiogen")


@dataclass(frozen=True)
class Planned:
    """The batch's articles, by their sources' names, in order: said once, before any is
    converted (an Outcome's and a Spoken's `index` is a place in it)."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class Spoken:
    """Progress inside one article: `done` of its `total` chunks, `seconds` of audio more."""

    index: int  # the source's place in the batch
    done: int
    total: int
    seconds: float


@dataclass(frozen=True)
class Outcome:
    """One source's result: `index`, its article's place in the batch (-1: a name that
    gave no article, such as a missing file); `entry`, what the manifest says of it: its
    status (converted, skipped, failed), the MP3, its length, the reason it failed."""

    index: int
    entry: Entry


@dataclass(frozen=True)
class Started:
    """A long-lived pool's worker took up the article at `index` (convert_in_worker)."""

    index: int


Event = Planned | Started | Spoken | Outcome


@dataclass
class _Worker:
    """One process's state: the options, and what it loaded once for all its articles."""

    options: Options
    threads: int | None
    events: Callable[[Event], None]
    stop: object = None  # a multiprocessing Event the parent sets on Ctrl-C
    cancelled: object = None  # a shared Array: the articles (index + 1) to drop (Workers.cancel)
    lexicons: dict = field(default_factory=dict)  # per voice name
    cache: object = None
    earlier: dict | None = None  # identity -> MP3, as the manifest said when first asked

    def stopped(self, index: int | None = None) -> bool:
        """Whether to stop now: the whole pool, or the article at `index`."""
        if self.stop is not None and self.stop.is_set():
            return True
        return index is not None and self.cancelled is not None and index + 1 in self.cancelled[:]


_worker: _Worker | None = None


def workers_for(jobs: int | None, sources: int) -> int:
    """How many processes: what was asked (default: the cores), never more than articles."""
    return max(1, min(jobs or os.cpu_count() or 1, sources))


def threads_for(workers: int) -> int:
    """The neural engine's threads in each of `workers` processes: the cores shared out."""
    return max(1, (os.cpu_count() or 1) // workers)


def convert_all(
    sources: Iterable[str | os.PathLike | Source],
    options: Options | None = None,
    on_event: Callable[[Event], None] | None = None,
) -> list[Outcome]:
    """Convert every article the sources name (paths, addresses, folders, globs, list files,
    feeds, "-", Sources: as the command line takes them) into the options' output folder,
    `options.jobs` at a time; one Outcome per source, in order, after those of names that
    gave no article. Every result is recorded in the folder's manifest as it comes.
    `on_event` sees the Planned articles, then each Spoken and Outcome as it happens, in
    the caller's process and thread. An AudiogenError before any work (and before any source
    is fetched) for what would fail every article: unusable options, or an output folder
    that cannot be written. One article's failure is its Outcome, never an exception.
    """
    from audiogen.pipeline import check_options
    from audiogen.sources import expand_sources

    options = options or Options()
    on_event = on_event or _ignored
    if options.cluster:
        with setting("cluster"):
            storage.needs("distributed", "a Dask cluster")
    check_options(options)
    check_output(options.folder)
    # Resolved once here, so that every worker uses the same folder.
    options = replace(options, cache=options.cache_folder() or False)
    # Folders, globs, list files, feeds and "-" open up into the articles they hold; a name
    # that cannot is a failure, and the rest go on.
    articles, unusable = expand_sources(sources, private_urls=options.private_urls)
    on_event(Planned(tuple(article.location for article in articles)))
    return _batch(articles, options, unusable, on_event)


def _ignored(event: Event) -> None:
    pass


def _batch(sources, options, unusable, on_event) -> list[Outcome]:
    from audiogen.files import remove_stale_parts

    # Files left by a run that was killed: the chunks it spoke are in the cache, so the
    # article is simply converted again. (An object store never holds half a file.)
    if not storage.is_url(options.folder):
        remove_stale_parts(options.folder)
    with storage.manifest_folder(options.folder) as folder:
        outcomes = _recorded(sources, options, Manifest(folder), unusable, on_event)
    cache = storage.chunk_cache(options.cache_folder())
    if cache is not None:
        cache.prune(CACHE_LIMIT)
    return outcomes


def _recorded(sources, options, manifest, unusable, on_event) -> list[Outcome]:
    """The batch's work, each result recorded in `manifest` as it comes."""
    failed_arguments: list[Outcome] = []
    outcomes: list[Outcome | None] = [None] * len(sources)
    written_by: dict[str, str] = {}  # MP3 -> the source that made it in this batch

    def finish(outcome: Outcome | None) -> None:
        if outcome is None:  # stopped by Ctrl-C: not done, not failed
            return
        entry = outcome.entry
        manifest.record(entry)
        if outcome.index < 0:
            failed_arguments.append(outcome)
        else:
            outcomes[outcome.index] = outcome
        if entry.output in written_by:
            # Two copies of one article (a page and its text, say): same date and headline.
            log.warning("%s and %s are the same article (%s); the file is the later one's",
                        written_by[entry.output], entry.source, entry.output)  # fmt: skip
        elif entry.output:
            written_by[entry.output] = entry.source
        on_event(outcome)

    try:
        for argument, reason in unusable:
            entry = Entry(canonical_location(argument), FAILED, error=f"{argument}: {reason}")
            finish(Outcome(-1, entry))
        workers = workers_for(options.jobs, len(sources))
        cores, threads = os.cpu_count() or 1, threads_for(workers)
        if options.cluster:
            from audiogen.cluster import on_cluster

            on_cluster(sources, options, on_event, finish)
        elif workers == 1:
            _in_this_process(sources, options, None if threads >= cores else threads, on_event,
                             finish)  # fmt: skip
        else:
            _in_workers(sources, options, workers, threads, on_event, finish)
    finally:
        manifest.close()
    return failed_arguments + [outcome for outcome in outcomes if outcome is not None]


def check_output(out_dir: Path | str) -> None:
    """An AudiogenError, before any work, if MP3s and the manifest cannot be written into
    `out_dir` (made here if need be)."""
    if storage.is_url(out_dir):
        storage.check_output(out_dir)
        return
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):  # gone when closed, or if we are killed
            pass
        if (out_dir / NAME).exists():
            (out_dir / NAME).open("ab").close()
    except OSError as error:
        message = f"{out_dir}: cannot write there: {error.strerror or error}"
        raise AudiogenError(message, setting="output") from None


def _in_this_process(sources, options, threads, on_event, finish) -> None:
    from audiogen.pipeline import preloading

    global _worker
    _worker = _Worker(options, threads, on_event)
    loading = preloading(options, threads)  # the model loads while the first article is read
    try:
        for index, source in enumerate(sources):
            finish(_convert_one(index, source))
    finally:
        _worker = None
        if loading is not None:
            loading.join()


def _in_workers(sources, options, workers, threads, on_event, finish) -> None:
    """Convert in pools of worker processes.

    A worker that dies (out of memory, killed) takes its pool down with every article not
    finished. Those go to a new pool if this one finished something; if not, they go one at a
    time to a pool of one worker, where the article it dies on is the one it was converting:
    that one fails, and the rest carry on. An article that kills workers fails alone.
    """
    processes = Workers(options, threads)
    todo, alone = list(range(len(sources))), False
    while todo:
        with processes.pool(1 if alone else min(workers, len(todo))) as pool:
            running: dict[Future, int] = {}
            lost, finished = [], 0
            try:
                with sigint_ignored():  # the workers start now, and must inherit it
                    running.update({pool.submit(_convert_one, i, sources[i]): i for i in todo})
                while running:
                    done, _ = wait(running, timeout=0.1, return_when=FIRST_COMPLETED)
                    processes.drain(on_event)
                    for future in done:
                        index = running.pop(future)
                        if isinstance(future.exception(), BrokenProcessPool):
                            lost.append(index)
                            continue
                        finish(_collected(future, index, sources[index], options))
                        finished += 1
                processes.drain(on_event)
            except BaseException:
                # Ctrl-C, SIGTERM, SIGHUP (or a bug): the workers stop at their next sentence,
                # so that the pool shuts down in order and no process outlives us. What they
                # were writing is dropped; the next run starts from the cache.
                processes.stop.set()
                pool.shutdown(wait=True, cancel_futures=True)
                _finished_meanwhile(running, finish)
                raise
        lost.sort()  # submission order: a lone worker died on the first of them
        if alone and lost:
            finish(_collected(None, lost[0], sources[lost[0]], options))
            lost = lost[1:]
        todo, alone = lost, bool(lost) and not finished and not alone


class Workers:
    """Worker processes for one set of options: each a fresh interpreter (spawn: whatever
    threads the parent runs, the progress display's or a web server's, and the same on every
    platform) that loads the voice once for all its articles (_start_worker). They send
    their progress back through one queue (`drain`) and stop at their next sentence when
    `stop` is set. A batch makes a pool of them per round (a round ends when a worker dies);
    the service keeps one pool for its life (service/runner.py)."""

    def __init__(self, options: Options, threads: int | None) -> None:
        self.context = multiprocessing.get_context("spawn")
        self.events = self.context.SimpleQueue()
        self.stop = self.context.Event()
        self.cancelled = self.context.Array("q", CANCELLED)  # index + 1; 0: no article
        self._next = 0  # where the next cancelled article goes (the oldest is forgotten)
        self._initargs = (options, threads, self.events, self.stop, self.cancelled)

    def pool(self, count: int) -> ProcessPoolExecutor:
        """A pool of `count` workers (started as work is submitted to it)."""
        return ProcessPoolExecutor(count, mp_context=self.context, initializer=_start_worker,
                                   initargs=self._initargs)  # fmt: skip

    def cancel(self, index: int) -> None:
        """The worker converting the article at `index` drops it at its next sentence."""
        with self.cancelled.get_lock():
            self.cancelled[self._next] = index + 1
            self._next = (self._next + 1) % CANCELLED

    def drain(self, on_event: Callable[[Event], None]) -> None:
        """Hand on the events the workers sent so far (their warnings to the log)."""
        while not self.events.empty():
            handed(self.events.get(), on_event)


def _finished_meanwhile(running: dict[Future, int], finish) -> None:
    """Record the articles finished while the batch was being stopped: an article past its
    last sentence is written whole. A failure then is the stop's doing (an encoder that got
    the signal too), not the article's: not recorded."""
    for future in running:
        if future.done() and not future.cancelled() and future.exception() is None:
            outcome = future.result()
            if outcome is not None and outcome.entry.status != FAILED:
                finish(outcome)


@contextlib.contextmanager
def sigint_ignored():
    """Ctrl-C ignored while worker processes start: a child that starts with SIGINT ignored
    keeps it so (Python installs no handler of its own then), and cannot die of it
    mid-import with a traceback. The parent's own handler is back afterwards. (SIGTERM and
    SIGHUP stay as they are: a child they reach mid-import dies without a word, and the
    parent, which they reach too, must not miss them.)"""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; a library caller's thread gets none
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def handed(event, on_event: Callable[[Event], None]) -> None:
    """One thing a worker sent: its log record to the log, an event to `on_event`."""
    if isinstance(event, _Logged):
        log.log(event.level, "%s", event.message)  # the parent's handler shows it
    else:
        on_event(event)


@dataclass(frozen=True)
class _Logged:
    """A worker's log record (a warning about an encoding, an unwritable cache)."""

    level: int
    message: str


class _ToParent(logging.Handler):
    def __init__(self, put):
        super().__init__()
        self.put = put

    def emit(self, record: logging.LogRecord) -> None:
        self.put(_Logged(record.levelno, record.getMessage()))


def _collected(future: Future | None, index: int, source: Source, options: Options) -> Outcome:
    """The future's outcome; a crash of ours or of the worker is a failure like any other.
    `future` None: a worker died converting this article."""
    try:
        if future is None:
            raise BrokenProcessPool
        return future.result()
    except BrokenProcessPool:
        reason = "a worker process died converting it (out of memory, or killed)"
    except Exception as error:  # a bug of ours: report it like any failure, batch goes on
        reason = f"unexpected {type(error).__name__}: {error}"
    voice = voice_name(options, source)
    return Outcome(index, Entry(source_key(source), FAILED, voice=voice,
                                error=f"{source.location}: {reason}"))  # fmt: skip


class _Stopped(Exception):
    """The batch was interrupted: drop this article, record nothing."""


def _start_worker(options: Options, threads: int, events, stop, cancelled=None) -> None:
    global _worker
    # Ctrl-C reaches every process of the terminal's group. A worker ignores it and stops at
    # its parent's word (`stop`) instead: idle in the pool, it would die with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in _ENDING:
        signal.signal(number, _end)
    threading.Thread(target=_exit_with_parent, name="parent-watch", daemon=True).start()
    _worker = _Worker(options, threads, events.put, stop, cancelled)
    # A worker's warnings go to the parent, which prints them the way it prints its own.
    logging.getLogger("audiogen").addHandler(_ToParent(events.put))


def _exit_with_parent() -> None:
    """Wait for the parent process to end, then end this one: a parent killed outright
    (kill -9) cannot stop its workers, and they would convert on, unrecorded, and then wait
    for work forever. What this one was writing is left to the next run's cleaning."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        os._exit(1)


class _Ended(SystemExit):
    """SIGTERM or SIGHUP in a worker: what it was writing is removed as this unwinds."""


def _end(number, frame) -> None:
    raise _Ended(128 + number)


def _convert_one(index: int, source: Source) -> Outcome | None:
    """One source, in a worker (or in this process for a batch of one); None if stopped."""
    try:
        return _converted(index, source)
    except _Ended as ended:
        # The pool would take this for the article's failure and give the worker the next;
        # the temporary files are gone now, and so is the worker.
        os._exit(ended.code)


def convert_in_worker(index: int, source: Source) -> Outcome | None:
    """One source in a long-lived pool's worker (the service's): Started said first, and the
    output's manifest read afresh, since other workers wrote articles there meanwhile."""
    _worker.events(Started(index))
    _worker.earlier = None
    return _convert_one(index, source)


def _converted(index: int, source: Source, worker: _Worker | None = None) -> Outcome | None:
    """One source, by `worker` (this process's by default: a Dask task passes its own)."""
    from audiogen.pipeline import convert_into, entry_for

    worker = worker or _worker
    chosen = voice_name(worker.options, source)

    def spoken(done: int, total: int, seconds: float) -> None:
        if worker.stopped(index):
            raise _Stopped
        worker.events(Spoken(index, done, total, seconds))

    if worker.stopped(index):
        return None
    try:
        try:
            voice = voice_for(worker.options, source)
            lexicon = _lexicon(worker, voice)
        except AudiogenError as error:  # a list file's voice: name the source it was for
            raise AudiogenError(f"{source.location}: {error}") from error
        result, placed = convert_into(source, worker.options, voice, lexicon=lexicon,
                                      cache=_cache(worker), threads=worker.threads,
                                      earlier=_earlier(worker), on_chunk=spoken)  # fmt: skip
    except _Stopped:
        return None
    except AudiogenError as error:
        if worker.stopped(index):  # the encoder got the Ctrl-C too: not this article's fault
            return None
        entry = Entry(source_key(source), FAILED, voice=chosen, error=str(error))
        return Outcome(index, entry)
    return Outcome(index, entry_for(source, result, chosen, *placed))


def _earlier(worker: _Worker) -> dict:
    """Identity -> the MP3 each article was written to, from the manifest, read once."""
    if worker.earlier is None:
        worker.earlier = storage.manifest_outputs(worker.options.folder)
    return worker.earlier


def _lexicon(worker: _Worker, voice):
    if voice.name not in worker.lexicons:
        worker.lexicons[voice.name] = lexicon_for(worker.options, voice)
    return worker.lexicons[voice.name]


def _cache(worker: _Worker):
    if worker.cache is None:
        worker.cache = storage.chunk_cache(worker.options.cache_folder())
    return worker.cache
