"""Speak: one engine call per chunk of the script, in order."""

from __future__ import annotations

from collections.abc import Callable

from audiogen.engines import Audio, Engine
from audiogen.script import Script


def speak(
    script: Script, engine: Engine, on_chunk: Callable[[int, int], None] | None = None
) -> list[list[Audio]]:
    """The audio of every chunk, grouped by segment; `on_chunk(done, total)` reports progress."""
    total = sum(len(segment.chunks) for segment in script.segments)
    done = 0
    audio = []
    for segment in script.segments:
        spoken = []
        for chunk in segment.chunks:
            spoken.append(engine.synthesize(chunk))
            done += 1
            if on_chunk:
                on_chunk(done, total)
        audio.append(spoken)
    return audio
