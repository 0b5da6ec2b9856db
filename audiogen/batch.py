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
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from audiogen import storage
from audiogen.errors import AudiogenError
from audiogen.identity import canonical_location, source_key
from audiogen.manifest import CONVERTED, FAILED, NAME, SKIPPED, Entry, Manifest, timestamp
from audiogen.profile import PLAIN, Profile
from audiogen.sources import Failure, Source
from audiogen.voices import DEFAULT_VOICE

# The chunk cache is trimmed to this after each batch, least recently used first: about 13
# hours of Piper's audio, weeks of a newsroom's articles.
CACHE_LIMIT = 2 * 1024**3

# The signals that end a worker at once (see the module's docstring).
_ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))

log = logging.getLogger("audiogen")


@dataclass(frozen=True)
class Settings:
    """What the whole batch shares (a list file may still give one source its own voice)."""

    out_dir: Path | str  # a local folder, or an fsspec URL (storage.py)
    voice: str = DEFAULT_VOICE
    lexicons: tuple[Path, ...] = ()  # the user's, read after each voice's own
    publisher: str | None = None
    language: str | None = None
    url: str | None = None
    force: bool = False
    cache_dir: Path | str | None = None  # None: no chunk cache; a folder or a URL
    profile: Profile = PLAIN  # the publisher's intro, outro, jingles, cover, output
    cluster: str | None = None  # a Dask scheduler's address (cluster.py); None: this machine


@dataclass(frozen=True)
class Spoken:
    """Progress inside one article: `done` of its `total` chunks, `seconds` of audio more."""

    index: int  # the source's place in the batch
    done: int
    total: int
    seconds: float


@dataclass(frozen=True)
class Outcome:
    index: int
    entry: Entry  # what the manifest says about the source


Event = Spoken | Outcome


@dataclass
class _Worker:
    """One process's state: the settings, and what it loaded once for all its articles."""

    settings: Settings
    threads: int | None
    events: Callable[[Event], None]
    stop: object = None  # a multiprocessing Event the parent sets on Ctrl-C
    lexicons: dict = field(default_factory=dict)  # per voice name
    cache: object = None
    earlier: dict | None = None  # identity -> MP3, as the manifest said when first asked

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()


_worker: _Worker | None = None


def workers_for(jobs: int | None, sources: int) -> int:
    """How many processes: what was asked (default: the cores), never more than articles."""
    return max(1, min(jobs or os.cpu_count() or 1, sources))


def convert_all(
    sources: list[Source],
    settings: Settings,
    *,
    jobs: int | None = None,
    unusable: list[Failure] = (),
    on_event: Callable[[Event], None] = lambda event: None,
) -> list[Entry]:
    """Convert every source into `settings.out_dir`; the manifest entry of each, in order,
    after those of `unusable`: arguments that named no article (from expand_sources),
    recorded as failures. `on_event` sees every Spoken and Outcome as it happens, in the caller's
    process and thread. An AudiogenError before any work when the output folder cannot be
    written or the profile would fail every article (`check_output`, `check_profile`).
    """
    from audiogen.publish import remove_stale_parts

    check_profile(settings)
    check_output(settings.out_dir)
    if not storage.is_url(settings.out_dir):
        # Files left by a run that was killed: the chunks it spoke are in the cache, so the
        # article is simply converted again. (An object store never holds half a file.)
        remove_stale_parts(settings.out_dir)
    with storage.manifest_folder(settings.out_dir) as folder:
        entries = _recorded(sources, settings, Manifest(folder), jobs, unusable, on_event)
    if settings.cache_dir is not None:
        storage.chunk_cache(settings.cache_dir).prune(CACHE_LIMIT)
    return entries


def _recorded(sources, settings, manifest, jobs, unusable, on_event) -> list[Entry]:
    """convert_all's work, each result recorded in `manifest` as it comes."""
    failed_arguments: list[Entry] = []
    entries: list[Entry | None] = [None] * len(sources)
    written_by: dict[str, str] = {}  # MP3 -> the source that made it in this batch

    def finish(outcome: Outcome | None) -> None:
        if outcome is None:  # stopped by Ctrl-C: not done, not failed
            return
        entry = outcome.entry
        manifest.record(entry)
        if outcome.index < 0:
            failed_arguments.append(entry)
        else:
            entries[outcome.index] = entry
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
        workers = workers_for(jobs, len(sources))
        cores = os.cpu_count() or 1
        threads = max(1, cores // workers)
        if settings.cluster:
            from audiogen.cluster import on_cluster

            on_cluster(sources, settings, on_event, finish)
        elif workers == 1:
            _in_this_process(sources, settings, None if threads >= cores else threads, on_event,
                             finish)  # fmt: skip
        else:
            _in_workers(sources, settings, workers, threads, on_event, finish)
    finally:
        manifest.close()
    return failed_arguments + [entry for entry in entries if entry is not None]


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
        raise AudiogenError(f"{out_dir}: cannot write there: {error.strerror or error}") from None


def check_profile(settings: Settings) -> None:
    """An AudiogenError, before any work, for a profile that would fail every article."""
    from audiogen import convert
    from audiogen.voices import find_voice

    convert.check_profile(settings.profile, find_voice(settings.voice))


def _in_this_process(sources, settings, threads, on_event, finish) -> None:
    global _worker
    _worker = _Worker(settings, threads, on_event)
    try:
        for index, source in enumerate(sources):
            finish(_convert_one(index, source))
    finally:
        _worker = None


def _in_workers(sources, settings, workers, threads, on_event, finish) -> None:
    """Convert in pools of worker processes.

    A worker that dies (out of memory, killed) takes its pool down with every article not
    finished. Those go to a new pool if this one finished something; if not, they go one at a
    time to a pool of one worker, where the article it dies on is the one it was converting:
    that one fails, and the rest carry on. An article that kills workers fails alone.
    """
    # spawn: a fresh interpreter per worker, whatever threads the parent has running (the
    # progress display has one), and the same on every platform.
    context = multiprocessing.get_context("spawn")
    events, stop = context.SimpleQueue(), context.Event()
    todo, alone = list(range(len(sources))), False
    while todo:
        with _pool(context, 1 if alone else min(workers, len(todo)),
                   (settings, threads, events, stop)) as pool:  # fmt: skip
            running: dict[Future, int] = {}
            lost, finished = [], 0
            try:
                with _sigint_ignored():  # the workers start now, and must inherit it
                    running.update({pool.submit(_convert_one, i, sources[i]): i for i in todo})
                while running:
                    done, _ = wait(running, timeout=0.1, return_when=FIRST_COMPLETED)
                    _drain(events, on_event)
                    for future in done:
                        index = running.pop(future)
                        if isinstance(future.exception(), BrokenProcessPool):
                            lost.append(index)
                            continue
                        finish(_collected(future, index, sources[index], settings))
                        finished += 1
                _drain(events, on_event)
            except BaseException:
                # Ctrl-C, SIGTERM, SIGHUP (or a bug): the workers stop at their next sentence,
                # so that the pool shuts down in order and no process outlives us. What they
                # were writing is dropped; the next run starts from the cache.
                stop.set()
                pool.shutdown(wait=True, cancel_futures=True)
                _finished_meanwhile(running, finish)
                raise
        lost.sort()  # submission order: a lone worker died on the first of them
        if alone and lost:
            finish(_collected(None, lost[0], sources[lost[0]], settings))
            lost = lost[1:]
        todo, alone = lost, bool(lost) and not finished and not alone


def _finished_meanwhile(running: dict[Future, int], finish) -> None:
    """Record the articles finished while the batch was being stopped: an article past its
    last sentence is written whole. A failure then is the stop's doing (an encoder that got
    the signal too), not the article's: not recorded."""
    for future in running:
        if future.done() and not future.cancelled() and future.exception() is None:
            outcome = future.result()
            if outcome is not None and outcome.entry.status != FAILED:
                finish(outcome)


def _pool(context, workers: int, initargs: tuple) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=initargs
    )


@contextlib.contextmanager
def _sigint_ignored():
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


def _drain(events, on_event) -> None:
    while not events.empty():
        event = events.get()
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


def _collected(future: Future | None, index: int, source: Source, settings: Settings) -> Outcome:
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
    voice = source.overrides.get("voice") or settings.voice
    return Outcome(index, Entry(source_key(source), FAILED, voice=voice,
                                error=f"{source.location}: {reason}"))  # fmt: skip


class _Stopped(Exception):
    """The batch was interrupted: drop this article, record nothing."""


def _start_worker(settings: Settings, threads: int, events, stop) -> None:
    global _worker
    # Ctrl-C reaches every process of the terminal's group. A worker ignores it and stops at
    # its parent's word (`stop`) instead: idle in the pool, it would die with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in _ENDING:
        signal.signal(number, _end)
    threading.Thread(target=_exit_with_parent, name="parent-watch", daemon=True).start()
    _worker = _Worker(settings, threads, events.put, stop)
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


def _converted(index: int, source: Source, worker: _Worker | None = None) -> Outcome | None:
    """One source, by `worker` (this process's by default: a Dask task passes its own)."""
    from audiogen.voices import find_voice

    worker = worker or _worker
    settings = worker.settings
    voice_name = source.overrides.get("voice") or settings.voice

    def spoken(done: int, total: int, seconds: float) -> None:
        if worker.stopped():
            raise _Stopped
        worker.events(Spoken(index, done, total, seconds))

    if worker.stopped():
        return None
    try:
        try:
            voice = find_voice(voice_name)
            lexicon = _lexicon(worker, voice)
        except AudiogenError as error:  # a list file's voice: name the source it was for
            raise AudiogenError(f"{source.location}: {error}") from error
        with storage.staged(settings.out_dir) as out:
            result, placed = _convert_into(out, source, voice, worker, spoken, lexicon)
    except _Stopped:
        return None
    except AudiogenError as error:
        if worker.stopped():  # the encoder got the Ctrl-C too: not this article's fault
            return None
        entry = Entry(source_key(source), FAILED, voice=voice_name, error=str(error))
        return Outcome(index, entry)
    return Outcome(index, _entry(source, result, voice_name, *placed))


def _convert_into(out, source, voice, worker, spoken, lexicon):
    """convert() into `out` (storage.staged); the result, and where and when it was placed."""
    from audiogen.convert import convert

    settings = worker.settings
    result = convert(
        source,
        voice,
        out.folder,
        publisher=settings.publisher,
        language=settings.language,
        url=settings.url,
        force=settings.force,
        on_chunk=spoken,
        lexicon=lexicon,
        cache=_cache(worker),
        threads=worker.threads,
        profile=settings.profile,
        earlier=_earlier(worker),
        mirror=out.mirror,
    )
    return result, out.place(result)


def _entry(source: Source, result, voice: str, output: str, made: float) -> Entry:
    """The manifest's line for a source converted (or found up to date) as `result`, its MP3
    at `output` made at `made` (seconds since the epoch)."""
    article = result.article
    return Entry(
        source_key(source),
        SKIPPED if result.skipped else CONVERTED,
        output=output,
        duration=round(result.seconds, 3),
        headline=article.headline,
        date=article.published.isoformat() if article.published else None,
        voice=voice,
        id=result.identity,
        # When the file was made, whether this run made it or found it up to date: one clock
        # for both, so a skipped run names the same second (the manifest also keeps an
        # earlier record's time).
        converted_at=timestamp(made),
    )


def _earlier(worker: _Worker) -> dict:
    """Identity -> the MP3 each article was written to, from the manifest, read once."""
    if worker.earlier is None:
        worker.earlier = storage.manifest_outputs(worker.settings.out_dir)
    return worker.earlier


def _lexicon(worker: _Worker, voice):
    from audiogen.lexicon import load_lexicon

    if voice.name not in worker.lexicons:
        worker.lexicons[voice.name] = load_lexicon((*voice.lexicons, *worker.settings.lexicons))
    return worker.lexicons[voice.name]


def _cache(worker: _Worker):
    if worker.cache is None and worker.settings.cache_dir is not None:
        worker.cache = storage.chunk_cache(worker.settings.cache_dir)
    return worker.cache
