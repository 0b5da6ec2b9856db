"""Everything but synthesis, timed on the sample and on articles 4x and 16x its length.

    .venv/bin/python bench/stages.py

Synthesis dominates a conversion; the other stages must stay a small fraction of it and grow
linearly with the article. Engine audio is stood in for by tones of a realistic length (one
second per 15 characters), so the figures are the pipeline's own cost.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from audiogen.assemble import assemble
from audiogen.engines import Audio
from audiogen.narration import build_script
from audiogen.publish import publish
from audiogen.sources.text import extract_article
from audiogen.voices import find_voice

SAMPLE = Path(__file__).parent.parent / "examples" / "kyiv-independent-2022-12-25.txt"
RATE = 22050


def longer_page(times: int) -> str:
    """The sample page with its six body paragraphs repeated `times` times."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("In an address"))
    end = lines.index("News Feed")
    return "\n".join(lines[:start] + lines[start:end] * times + lines[end:])


def tone_for(text: str) -> Audio:
    seconds = max(len(text) / 15, 0.3)
    t = np.arange(int(seconds * RATE)) / RATE
    return Audio((np.sin(2 * np.pi * 180 * t) * 12000).astype(np.int16), RATE)


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, (time.perf_counter() - start) * 1000


def main() -> None:
    pauses = find_voice("joe").pauses
    print(f"{'article':>12} {'words':>6} {'audio s':>8} {'extract':>8} {'script':>8} "
          f"{'assemble':>9} {'publish':>8}  (ms)")  # fmt: skip
    for times in (1, 4, 16):
        page = longer_page(times)
        article, extract_ms = timed(extract_article, page)
        script, script_ms = timed(build_script, article)
        audio = [[tone_for(chunk) for chunk in segment.chunks] for segment in script.segments]
        track, assemble_ms = timed(assemble, script, audio, pauses)
        with tempfile.TemporaryDirectory() as folder:
            _, publish_ms = timed(publish, track, script, article, Path(folder))
        words = len(script.spoken_text.split())
        print(f"{f'sample x{times}':>12} {words:>6} {track.seconds:>8.0f} {extract_ms:>8.1f} "
              f"{script_ms:>8.1f} {assemble_ms:>9.1f} {publish_ms:>8.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
