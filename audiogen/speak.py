"""Speak: one engine call per chunk of the script, in order.

`spoken` hands each segment's audio on as soon as it is made, so that assemble writes it to
the spool while the engine goes on; `speak` keeps it all (for tests and benchmarks). With
`ahead`, the engine runs in a thread of its own and speaks the next segments while the
caller works on the last one: the neural runtime leaves the interpreter free while it runs.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator, Mapping

from audiogen.engines import Audio, Engine
from audiogen.narration import Script


def spoken(
    script: Script,
    engine: Engine,
    on_chunk: Callable[[int, int, float], None] | None = None,
    *,
    parts: Mapping[str, Engine] | None = None,
    ahead: int = 0,
) -> Iterator[list[Audio]]:
    """The audio of each segment's chunks, a segment at a time, as they are made.

    `on_chunk(done, total, seconds)` follows progress: chunks spoken so far, chunks in the
    script, and the seconds of audio the latest one made; it is called in the caller's
    thread, and may raise to stop. `parts` gives a part of the script ("headline", "intro",
    ...) an engine of its own; the rest is `engine`'s. `ahead`: how many chunks the engine
    may speak before the caller has taken them (0: none, in the caller's thread).
    """
    total = sum(len(segment.chunks) for segment in script.segments)
    chunks = _chunks(script, engine, parts or {})
    audio = []
    for done, (chunk, last) in enumerate(_ahead(chunks, ahead) if ahead else chunks, 1):
        audio.append(chunk)
        if on_chunk:
            on_chunk(done, total, chunk.seconds)
        if last:
            yield audio
            audio = []


def speak(
    script: Script,
    engine: Engine,
    on_chunk: Callable[[int, int, float], None] | None = None,
    *,
    parts: Mapping[str, Engine] | None = None,
) -> list[list[Audio]]:
    """The audio of every chunk, grouped by segment, all in memory (see `spoken`)."""
    return list(spoken(script, engine, on_chunk, parts=parts))


def _chunks(script: Script, engine: Engine, parts: Mapping[str, Engine]) -> Iterator:
    """Each chunk's audio, and whether it is its segment's last."""
    for segment in script.segments:
        for number, chunk in enumerate(segment.chunks, 1):
            audio = parts.get(segment.part, engine).synthesize(chunk)
            yield audio, number == len(segment.chunks)


_END = object()


def _ahead(items: Iterator, size: int) -> Iterator:
    """`items`, made in a thread of their own at most `size` ahead of the caller. What the
    thread raises is raised here; when the caller stops (an error, Ctrl-C, a break), the
    thread stops after the item it is making."""
    made: queue.Queue = queue.Queue(size)
    stop = threading.Event()

    def make() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                made.put((item, None))
            made.put((_END, None))
        except BaseException as error:  # handed to the caller, which raises it
            made.put((None, error))

    thread = threading.Thread(target=make, name="audiogen-speak", daemon=True)
    thread.start()
    try:
        while True:
            item, error = made.get()
            if error is not None:
                raise error
            if item is _END:
                return
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # let it finish its item and see the stop
            with contextlib.suppress(queue.Empty):
                made.get(timeout=0.05)
        thread.join()
