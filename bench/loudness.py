"""How loud and how even is the sample's MP3, and what does levelling and normalising cost?

    .venv/bin/python bench/loudness.py [--runs 5]

Speaks examples/kyiv-independent-2022-12-25.txt with the default voice (Piper, no chunk
cache), then assembles it with and without levelling, writes the MP3 with publish (which
normalises it and checks the written file's true peak) and measures it with ffmpeg's EBU R128
meter (loudness.measure). Times are medians of --runs runs; the cost is levelling (in
assemble), normalize and the check of the written file (decoding it, its true peak), as a
share of synthesis. Goal (issues 5 and 10): -19 LUFS integrated (mono), true peak <= -1 dBTP,
cost well under 5 %.

Run it on an otherwise idle machine: the timings are wall-clock.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

import audiogen.assemble as assemble_module
from audiogen.assemble import assemble
from audiogen.loudness import (
    TRUE_PEAK_DBTP,
    file_true_peak,
    integrated_loudness,
    measure,
)
from audiogen.pipeline import read_article, script_for
from audiogen.publish import publish
from audiogen.speak import speak
from audiogen.track import levelled_samples, segment_loudness
from audiogen.voices import find_voice, open_engine

SAMPLE = Path(__file__).parent.parent / "examples" / "kyiv-independent-2022-12-25.txt"
SYNTHESIS_RUNS = 3  # about 6 s each
LEVELLING = ("_levelled",)  # what assemble does for issue 5


def median_seconds(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def unlevelled(script, audio, pauses):
    """The track as assemble made it before issue 5: trimmed and joined, levels untouched,
    the chunks never leaving pydub."""
    kept = {name: getattr(assemble_module, name) for name in LEVELLING}
    assemble_module._levelled = lambda sound, rate: np.rint(sound * 32768).astype(np.int16)
    try:
        return assemble(script, audio, pauses)
    finally:
        for name, function in kept.items():
            setattr(assemble_module, name, function)


def spread(levels) -> float:
    return max(levels) - min(levels)


def each_segment(track, samples: np.ndarray) -> list[float]:
    """LUFS of each segment of `samples`, laid out as `track`."""
    rate = track.rate
    return [integrated_loudness(samples[round(a * rate) : round(b * rate)], rate)
            for a, b in zip(track.starts, track.ends, strict=True)]  # fmt: skip


def write_wav(path: Path, track) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(track.rate)
        samples = track.spool.read(0, track.spool.length)
        out.writeframes(np.rint(samples * 32768).astype("<i2").tobytes())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    voice = find_voice("joe")
    article = read_article(str(SAMPLE))
    script = script_for(article, voice)
    engine = open_engine(voice)
    engine.synthesize("Warming up.")  # the model loads on the first call: not synthesis time
    audio = speak(script, engine)
    synthesis = median_seconds(lambda: speak(script, engine), SYNTHESIS_RUNS)

    plain = unlevelled(script, audio, voice.pauses)
    track = assemble(script, audio, voice.pauses)
    joined = median_seconds(lambda: unlevelled(script, audio, voice.pauses), runs)
    levelled = median_seconds(lambda: assemble(script, audio, voice.pauses), runs)
    normalizing = median_seconds(lambda: levelled_samples(track), runs)
    normalized = levelled_samples(track)

    with tempfile.TemporaryDirectory() as folder:
        as_spoken = Path(folder) / "as-spoken.wav"
        write_wav(as_spoken, plain)
        before = measure(as_spoken)
        written = publish(track, script, article, Path(folder))
        after = measure(written)
        checking = median_seconds(lambda: file_true_peak(written, 1, TRUE_PEAK_DBTP), runs)
    extra = levelled - joined + normalizing + checking
    seconds = track.seconds

    print(f"sample: {len(script.segments)} sentences, {seconds:.1f} s of audio; "
          f"medians of {runs} runs (synthesis: {SYNTHESIS_RUNS})\n")  # fmt: skip
    print("| MP3 | integrated | loudness range | true peak | sentence spread |")
    print("| --- | --- | --- | --- | --- |")
    for name, loudness, levels in (
        ("as spoken (PCM: no levelling, no normalisation)", before, segment_loudness(plain)),
        ("levelled + normalised", after, each_segment(track, normalized)),
    ):
        print(f"| {name} | {loudness.integrated:.1f} LUFS | {loudness.loudness_range:.1f} LU "
              f"| {loudness.true_peak:.1f} dBTP | {spread(levels):.2f} LU |")  # fmt: skip
    print("\n| step | time | share of synthesis |")
    print("| --- | --- | --- |")
    for name, spent in (
        ("synthesis (Piper)", synthesis),
        ("levelling (in assemble)", levelled - joined),
        ("normalize", normalizing),
        ("the written file's check (decode, true peak)", checking),
        ("levelling + normalize + check", extra),
    ):
        print(f"| {name} | {spent * 1000:.0f} ms | {spent / synthesis * 100:.2f} % |")
    print(f"\ngoal: -19 LUFS, <= -1 dBTP, cost well under 5 % "
          f"({'met' if extra / synthesis < 0.05 else 'NOT met'})")  # fmt: skip


if __name__ == "__main__":
    main()
