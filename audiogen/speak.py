"""Speak: one engine call per chunk of the script, in order."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from audiogen.engines import Audio, Engine
from audiogen.script import Script


def speak(
    script: Script,
    engine: Engine,
    on_chunk: Callable[[int, int, float], None] | None = None,
    *,
    parts: Mapping[str, Engine] | None = None,
) -> list[list[Audio]]:
    """The audio of every chunk, grouped by segment.

    `on_chunk(done, total, seconds)` follows progress: chunks spoken so far, chunks in the
    script, and the seconds of audio the latest one made. `parts` gives a part of the script
    ("headline", "intro", ...) an engine of its own; the rest is `engine`'s.
    """
    parts = parts or {}
    total = sum(len(segment.chunks) for segment in script.segments)
    done = 0
    audio = []
    for segment in script.segments:
        spoken = []
        for chunk in segment.chunks:
            spoken.append(parts.get(segment.part, engine).synthesize(chunk))
            done += 1
            if on_chunk:
                on_chunk(done, total, spoken[-1].seconds)
        audio.append(spoken)
    return audio
