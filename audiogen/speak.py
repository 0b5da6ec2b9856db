"""Speak: one engine call per chunk of the script, in order.

`spoken` hands each segment's audio on as soon as it is made, so that assemble writes it to
the spool while the engine goes on; `speak` keeps it all (for tests and benchmarks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from audiogen.engines import Audio, Engine
from audiogen.script import Script


def spoken(
    script: Script,
    engine: Engine,
    on_chunk: Callable[[int, int, float], None] | None = None,
    *,
    parts: Mapping[str, Engine] | None = None,
) -> Iterator[list[Audio]]:
    """The audio of each segment's chunks, a segment at a time, as they are made.

    `on_chunk(done, total, seconds)` follows progress: chunks spoken so far, chunks in the
    script, and the seconds of audio the latest one made. `parts` gives a part of the script
    ("headline", "intro", ...) an engine of its own; the rest is `engine`'s.
    """
    parts = parts or {}
    total = sum(len(segment.chunks) for segment in script.segments)
    done = 0
    for segment in script.segments:
        audio = []
        for chunk in segment.chunks:
            audio.append(parts.get(segment.part, engine).synthesize(chunk))
            done += 1
            if on_chunk:
                on_chunk(done, total, audio[-1].seconds)
        yield audio


def speak(
    script: Script,
    engine: Engine,
    on_chunk: Callable[[int, int, float], None] | None = None,
    *,
    parts: Mapping[str, Engine] | None = None,
) -> list[list[Audio]]:
    """The audio of every chunk, grouped by segment, all in memory (see `spoken`)."""
    return list(spoken(script, engine, on_chunk, parts=parts))
