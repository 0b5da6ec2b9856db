"""Peak resident memory and time of `audiogen convert` by article length (issue 11).

    .venv/bin/python bench/memory.py [--words 500,3000,10000,30000] [--engine piper|tone]
                                     [--batch 40] [--batch-words 500] [--mmap-threshold B]

Each length is an article built at run time from real article text (the dev set's truth.txt
files, their prose paragraphs in order, cycled if need be), converted by a fresh
`python -m audiogen convert FILE -o TMP --no-cache --force -q`; its peak RSS is the kernel's
own figure for that process (os.wait4). `--batch N` converts N different articles of
`--batch-words` words in one process (`--jobs 1`: the batch runs in its worker, the process
itself) and reports its peak after the N-th.

`--engine tone` swaps Piper for a tone of the length Piper would speak (one second per 15
characters): the pipeline's own memory and cost, at lengths Piper would take hours over on a
shared machine. With `--engine piper` (the default) the figure includes the neural voice,
whose own peak is set by the longest sentence it speaks (onnxruntime's buffers), not by the
article's length.

Goal (issue 11): flat, under 400 MB at every length; time per word flat (linear cost).

Issue 11's figures (2 cores shared with other engineers' test runs: times are loose, the
load was 2 to 9; memory is not affected):

    engine  words   peak RSS   wall     per word   audio
    piper     500    523 MB    101 s    202 ms     3.2 min
    piper    3000    685 MB    443 s    148 ms    17.4 min   (before issue 11: 2.1 GB)
    piper   10000   1063 MB   1079 s    108 ms    57.3 min
    after Piper's calls were capped at 200 characters (engines/piper.py):
    piper    3000    488 MB    208 s     69 ms    17.4 min   (quiet machine: 116 s, 38.5 ms)
    piper   10000    652 MB    584 s     58 ms    57.2 min   (not flat yet: ~4 MB a minute
                                                              of audio grows, natively)
    tone      500     78 MB      6 s     11 ms     3.7 min
    tone     3000     97 MB     47 s     16 ms    21.5 min   (before the frames were paged)
    tone     9000    137 MB     85 s      9 ms    62.6 min
    tone    30000    208 MB    226 s      8 ms   208.7 min   (293 MB before the paging)
    tone batch of 40 x 300 words, one process: 129 MB, 126 s, 40 MP3s
    issue 11's second pass: Piper's session without memory patterns (engines/piper.py;
    bench/piper_memory.py has the settings tried), the machine at load 8 to 13:
    piper     500    413 MB    271 s    542 ms     3.1 min
    piper    3000    439 MB   1057 s    352 ms    17.4 min
    piper   10000    461 MB   2269 s    227 ms    57.2 min   (was 652 MB: the growth from
                                                              3,000 words is 0.6 MB a minute
                                                              of audio, was ~4; still over
                                                              400 MB at every length)
    (30,000 words and the 40-article batch with Piper did not fit this session's time on
    the loaded machine: not measured)
    issue 11's third pass: the meter's per-millisecond figures on disk (loudness.Paged), the
    voice's arena given back once everything is spoken (PiperEngine.release), at load 15 to
    31 (five engineers' runs; times are not figures, memory is):
    piper     500    388 MB                         3.1 min   (VmHWM sampled every 0.2 s;
                                                              387 again at 6b7ca1e)
    piper    3000    414 MB   1534 s                17.3 min  (was 439)
    piper   10000    415 MB   stopped at 13 of 57 min of audio (was 461 at the end)
    piper   30000    413 MB   stopped at 12 of ~170 min of audio, 21 min in; VmHWM by
                              time: 383 MB at 1.5 min, 390 at 3, 393 at 5, 403 at 6,
                              409 at 6.5, 410 at 9, 412 at 16.5, 413 at 20.5
    tone      500     81 MB     41 s      3.7 min
    tone    30000    143 MB   2232 s    208.7 min   (was 208 MB)
    piper batch of 40 x 200 words, one process: stopped after 19 articles, 510 MB: each
    article's peak 408-424 MB, between articles 195-220 (the arena given back), but one
    article (a list of photo credits) took 358 -> 503 MB within ten seconds, in one call:
    Piper's buffers grow with the audio a call makes, which 200 characters do not bound.
    With glibc's mmap threshold fixed at 256 KB (MALLOC_MMAP_THRESHOLD_=262144 in the
    environment), 500 words peak at 377 MB, and with MALLOC_ARENA_MAX=1 too at 375 (one
    run each; the speed cost of either was not measured, so neither is set).
    Not met: 388 MB at 500 words, 413-415 MB from 3,000 words on (flat from there, within 3
    MB over 13 minutes of audio), 510 MB for the batch worker. What is left is the voice's
    own: raw Piper peaks at 360-390 MB on the same chunks (bench/piper_memory.py), audiogen
    adds 20-25 MB to it (its imports: 163 MB against raw Piper's 138 with the model loaded;
    a chunk's levelling, 12 MB at most for a 14 s chunk).

Issue 11's fourth pass: glibc's mmap threshold fixed at 256 KB where the voice loads
(engines/piper.py MMAP_THRESHOLD; `--mmap-threshold 0` leaves glibc's own, dynamic one),
`--devset /work/shared/devsets/readability`, one run each, load 2 to 6 (other engineers'
runs and this one's tests: times are loose; MB are ru_maxrss // 1024, i.e. MiB):

    threshold  words   peak RSS   wall     audio
    256 KB       500    370 MB     45 s     3.2 min   (369 in a second run)
    256 KB      3000    392 MB    262 s    17.3 min   (was 414)
    256 KB     10000    398 MB    749 s    57.2 min   (was 415 at 13 min; now to the end)
    glibc's      500    376 MB     64 s     3.1 min   (387-388 in earlier sessions)
    glibc's     3000    400 MB    267 s    17.4 min   (the same session's baseline)
    128 KB       500    367 MB     47 s     3.1 min
    512 KB       500    369 MB     31 s     3.2 min
    Under 400 MB at 500 / 3,000 / 10,000 words, but not flat: 370 -> 392 -> 398, and the
    gain over glibc's own threshold is 6-8 MB in this session, about what runs differ by.
    128 and 512 KB are no better than 256 at 500 words (speed measured for 256 KB only:
    CPU 0.99x, bench/piper_memory.py). 30,000 words and the batch were not run.

With Piper the peak is the voice's own: raw Piper speaking only the longest sentence of the
3,000-word article (468 characters) peaks at 703 MB, of the 10,000-word one (584
characters) at 864 MB; raw Piper speaking the 41 chunks of a 1,000-word article that holds
that sentence peaks at 968 MB, audiogen converting it at 1,016 MB. audiogen's own memory
grows by about 0.6 MB a minute of audio (the loudness meter's 8 bytes a millisecond).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEVSET = Path(__file__).parent.parent.parent / "shared" / "devsets" / "readability"
ROOT = Path(__file__).parent.parent
THRESHOLD: int | None = None  # engines/piper.py's MMAP_THRESHOLD in the child (None: as is)

# The child process when the tone engine stands in for Piper: the voice "joe" unchanged (its
# pauses, lexicon and settings), its engine's class swapped before the command line runs.
TONE_CHILD = f"""
import sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
import audiogen.voices
audiogen.voices.ENGINES["piper"] = "memory:ToneEngine"
from audiogen.cli import main
main()
"""

# The child with Piper's mmap threshold set to another value (engines/piper.py MMAP_THRESHOLD;
# 0: glibc's own, dynamic): the engine's module imported first, so main() runs as usual.
THRESHOLD_CHILD = """
import audiogen.engines.piper
audiogen.engines.piper.MMAP_THRESHOLD = {threshold}
from audiogen.cli import main
main()
"""


class ToneEngine:
    """A stand-in for Piper: a voice-like tone as long as Piper would speak the text."""

    max_chunk_chars = None
    accepts_phonemes = True
    version = 1

    def __init__(self, *args, threads=None, **settings):
        pass

    @classmethod
    def identity(cls, *args, **settings) -> str:
        return "tone"

    def synthesize(self, text: str):
        import numpy as np

        from audiogen.engines import Audio

        rate = 22050
        t = np.arange(int(max(len(text) / 15, 0.3) * rate)) / rate
        syllables = 0.5 - 0.5 * np.cos(2 * np.pi * 3.5 * t)
        voice = np.sin(2 * np.pi * 120 * t) + 0.5 * np.sin(2 * np.pi * 240 * t + 1)
        return Audio((voice * syllables**2 * 16000).astype(np.int16), rate)


def paragraphs(devset: Path | None = None) -> list[str]:
    """The dev set's prose paragraphs: whole sentences of English words, no code or lists."""
    found, devset = [], devset or DEVSET
    for truth in sorted(devset.glob("*/truth.txt")):
        for paragraph in re.split(r"\n\s*\n", truth.read_text(encoding="utf-8")):
            text = " ".join(paragraph.split())
            if len(text.split()) >= 12 and text.isascii() and text[-1] in ".!?\"'":
                found.append(text)
    if not found:
        raise SystemExit(f"no article text in {devset}/*/truth.txt; give --devset")
    return found


def article(words: int, offset: int = 0, devset: Path | None = None) -> str:
    """A headline and paragraphs of real articles adding up to about `words` words."""
    pool = paragraphs(devset)
    chosen, count, index = [], 0, offset
    while count < words:
        paragraph = pool[index % len(pool)]
        chosen.append(paragraph)
        count += len(paragraph.split())
        index += 1
    headline = f"A long read of {words} words, part {offset}"
    return headline + "\n\n" + "\n\n".join(chosen) + "\n"


def run(command: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (MB) of the process (and any it waited for), exit status."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.stderr.write(process.stderr.read().decode(errors="replace"))
    return seconds, usage.ru_maxrss // 1024, process.returncode


def convert_command(engine: str, sources: list[Path], out: Path) -> list[str]:
    start = [sys.executable, "-c", TONE_CHILD] if engine == "tone" else [
        sys.executable, "-m", "audiogen"]  # fmt: skip
    if engine == "piper" and THRESHOLD is not None:
        start = [sys.executable, "-c", THRESHOLD_CHILD.format(threshold=THRESHOLD)]
    return [*start, "convert", *map(str, sources), "-o", str(out), "--no-cache", "--force",
            "-q", "--jobs", "1"]  # fmt: skip


def audio_seconds(out: Path) -> float:
    from mutagen.mp3 import MP3

    return sum(MP3(path).info.length for path in out.glob("*.mp3"))


def one_length(words: int, engine: str, folder: Path) -> None:
    source = folder / f"article-{words}.txt"
    source.write_text(article(words), encoding="utf-8")
    out = folder / f"out-{words}"
    seconds, peak, status = run(convert_command(engine, [source], out))
    audio = audio_seconds(out) if status == 0 else 0.0
    print(f"{words:>7} words  peak {peak:>5} MB  {seconds:>8.1f} s  "
          f"{1000 * seconds / words:>6.2f} ms/word  {audio / 60:>6.1f} min of audio"
          f"{'' if status == 0 else f'  FAILED (exit {status})'}", flush=True)  # fmt: skip


def batch(count: int, words: int, engine: str, folder: Path) -> None:
    sources = []
    for number in range(count):
        source = folder / f"batch-{number:02}.txt"
        source.write_text(article(words, offset=37 * number), encoding="utf-8")
        sources.append(source)
    out = folder / "out-batch"
    seconds, peak, status = run(convert_command(engine, sources, out))
    made = len(list(out.glob("*.mp3")))
    print(f"batch of {count} x {words} words in one process: peak {peak} MB, {seconds:.1f} s, "
          f"{made} MP3s{'' if status == 0 else f', exit {status}'}", flush=True)  # fmt: skip


def main() -> None:
    global DEVSET, THRESHOLD  # the articles are built from it; the child sets it
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", default="500,3000,10000,30000")
    parser.add_argument("--engine", choices=("piper", "tone"), default="piper")
    parser.add_argument("--batch", type=int, default=0, help="articles in a batch (0: none)")
    parser.add_argument("--batch-words", type=int, default=500)
    parser.add_argument("--devset", type=Path, default=DEVSET)
    parser.add_argument("--mmap-threshold", type=int, default=None,
                        help="bytes: Piper's MMAP_THRESHOLD (0: glibc's)")  # fmt: skip
    options = parser.parse_args()
    DEVSET, THRESHOLD = options.devset, options.mmap_threshold
    print(f"engine: {options.engine}; {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        for words in [int(w) for w in options.words.split(",") if w]:
            one_length(words, options.engine, Path(folder))
        if options.batch:
            batch(options.batch, options.batch_words, options.engine, Path(folder))


if __name__ == "__main__":
    main()
