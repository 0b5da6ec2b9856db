"""How loud and how even is the sample's MP3, and what does levelling and normalising cost?

    .venv/bin/python bench/loudness.py [--runs 5]

Speaks examples/kyiv-independent-2022-12-25.txt with the default voice (Piper, no chunk
cache), then assembles it with and without levelling, normalises it, writes the MP3 with
publish and measures it with ffmpeg's EBU R128 meter (loudness.measure). Times are medians
of --runs runs; the cost is levelling (in assemble) plus normalize, as a share of synthesis.
Goal (issue 5): -16 LUFS integrated, true peak <= -1 dBTP, cost well under 5 %.

Run it on an otherwise idle machine: the timings are wall-clock.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import audiogen.assemble as assemble_module
from audiogen.assemble import assemble
from audiogen.convert import read_article, script_for
from audiogen.loudness import measure, normalize, segment_loudness
from audiogen.publish import publish
from audiogen.speak import speak
from audiogen.voices import find_voice, open_engine

SAMPLE = Path(__file__).parent.parent / "examples" / "kyiv-independent-2022-12-25.txt"
SYNTHESIS_RUNS = 3  # about 6 s each
LEVELLING = ("_samples", "_level_gains", "_levelled")  # what assemble does for issue 5


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
    assemble_module._samples = lambda sound: sound
    assemble_module._level_gains = lambda sounds, rate: [1.0] * len(sounds)
    assemble_module._levelled = lambda sound, gain, rate: sound
    try:
        return assemble(script, audio, pauses)
    finally:
        for name, function in kept.items():
            setattr(assemble_module, name, function)


def spread(levels) -> float:
    return max(levels) - min(levels)


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
    normalizing = median_seconds(lambda: normalize(track), runs)
    extra = levelled - joined + normalizing
    normalized = normalize(track)

    with tempfile.TemporaryDirectory() as folder:
        before = measure(publish(plain, script, article, Path(folder) / "before"))
        after = measure(publish(normalized, script, article, Path(folder) / "after"))
    seconds = normalized.seconds

    print(f"sample: {len(script.segments)} sentences, {seconds:.1f} s of audio; "
          f"medians of {runs} runs (synthesis: {SYNTHESIS_RUNS})\n")  # fmt: skip
    print("| MP3 | integrated | loudness range | true peak | sentence spread |")
    print("| --- | --- | --- | --- | --- |")
    for name, loudness, levels in (
        ("as spoken (no levelling, no normalisation)", before, segment_loudness(plain)),
        ("levelled + normalised", after, segment_loudness(normalized)),
    ):
        print(f"| {name} | {loudness.integrated:.1f} LUFS | {loudness.loudness_range:.1f} LU "
              f"| {loudness.true_peak:.1f} dBTP | {spread(levels):.2f} LU |")  # fmt: skip
    print("\n| step | time | share of synthesis |")
    print("| --- | --- | --- |")
    for name, spent in (
        ("synthesis (Piper)", synthesis),
        ("levelling (in assemble)", levelled - joined),
        ("normalize", normalizing),
        ("levelling + normalize", extra),
    ):
        print(f"| {name} | {spent * 1000:.0f} ms | {spent / synthesis * 100:.2f} % |")
    print(f"\ngoal: -16 LUFS, <= -1 dBTP, cost well under 5 % "
          f"({'met' if extra / synthesis < 0.05 else 'NOT met'})")  # fmt: skip


if __name__ == "__main__":
    main()
