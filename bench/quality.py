"""Is the sound processing transparent? Every sentence of the written MP3 scored against the
voice's raw synthesis of it, for the default output and each profile setting.

    .venv/bin/python bench/quality.py [--quick | --defaults] [--jobs 2] [--json FILE]
                                      [--compression-level N]

Needs the bench extra (`pip install -e '.[bench]'`: pesq, pystoi).

1. Speaks the sample (examples/) and three articles of the development set (bench/data/quality/)
   with the default voice, through the user's chunk cache (a second run skips synthesis), and
   assembles each as `audiogen convert` does.
2. For each setting (loudness target, bitrate, channels) writes the MP3 with publish, decodes
   it with ffmpeg and measures it with ffmpeg's EBU R128 meter (loudness.measure: integrated
   loudness and true peak of the written file, a meter that shares no code with ours).
3. Scores each sentence of the decoded MP3 against Piper's own output for it, before any
   processing (only its silent edges trimmed, as assemble trims them, so the two line up):
   PESQ-WB (ITU-T P.862.2, at 16 kHz: both are resampled with the same filter) and STOI.
   "worst tenth" is the 10th percentile of the sentences (a sentence under 0.4 s of speech
   has no STOI). The rows "PCM alone (no codec)" score the track as publish first hands it to
   the encoder: the share of the loudness processing alone. "encodes": how many times
   publish encoded each article's file to hold the true-peak ceiling.

Goal (issue 10): the defaults at PESQ median >= 4.3 and worst tenth >= 4.0, with every written
file at or under -1 dBTP. --quick: the sample article, the default settings only. About 20
minutes on 2 cores after the first synthesis; --json FILE keeps the rows. --defaults: the
four articles, the default settings only. --compression-level N: LAME's level for every
channel layout (-1: LAME's own default) instead of publish's LAME_LEVELS.

Issue 10's figures (4 articles, 138 sentences): default mono 4.57 median, 4.53 worst tenth,
-1.5 dBTP (before: -16 LUFS mono, 3.54 and 3.04); -16 LUFS mono at 64k 4.38 and 3.72, at 96k
4.54 and 4.39.

Issue 11 (`--defaults --compression-level -1`, then `7`; LAME's level, publish.LAME_LEVELS):
default mono 4.57 / 4.54 at LAME's default (3), 4.53 / 4.50 at 7; default stereo 4.48 /
4.42 at 3, 4.42 / 4.32 at 7. Every file one encode, at -1.6 to -1.2 dBTP (3) and -1.8 to
-1.5 (7); one encode a file but for one stereo file at 3 (two). Mono now encodes at 7,
stereo at 3.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import subprocess
import tempfile
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from pesq import NoUtterancesError, pesq
from pystoi import stoi
from scipy.signal import resample_poly

import audiogen.publish as publish_module
from audiogen.assemble import CHUNK_GAP, _trimmed, assemble
from audiogen.cache import CachedEngine, ChunkCache
from audiogen.loudness import TRUE_PEAK_DBTP, measure
from audiogen.pipeline import read_article, script_for
from audiogen.publish import ENCODER_LOSS_DB, OutputFormat, publish
from audiogen.speak import speak
from audiogen.track import levelled_samples
from audiogen.voices import find_voice

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = [ROOT / "examples" / "kyiv-independent-2022-12-25.txt",
            *sorted((ROOT / "bench" / "data" / "quality").glob("*.txt"))]  # fmt: skip
PESQ_RATE = 16000  # PESQ-WB's rate
GOAL_MEDIAN, GOAL_WORST = 4.3, 4.0


@dataclass(frozen=True)
class Setting:
    name: str
    loudness: float | None  # None: the output's default
    bitrate: str = "64k"
    channels: int = 1


DEFAULTS = [Setting("default mono", None), Setting("default stereo", None, channels=2)]
GRID = [
    Setting(f"{target} LUFS {bitrate} {'mono' if channels == 1 else 'stereo'}",
            target, bitrate, channels)
    for channels in (1, 2) for target in (-16.0, -19.0) for bitrate in ("32k", "64k", "96k", "128k")
]  # fmt: skip


@dataclass(frozen=True)
class Spoken:
    """An article as the voice spoke it: the assembled track, and each sentence's raw
    synthesis (its chunks trimmed and joined as assemble joins them) at the voice's rate."""

    name: str
    script: object
    article: object
    track: object
    raw: list[np.ndarray]


def spoken(path: Path) -> Spoken:
    voice = find_voice("joe")
    article = read_article(str(path))
    script = script_for(article, voice)
    audio = speak(script, CachedEngine(voice, ChunkCache(ChunkCache.default_folder())))
    track = assemble(script, audio, voice.pauses)
    rate = track.rate
    raw = [_joined([_trimmed(chunk) for chunk in chunks], rate) for chunks in audio]
    return Spoken(path.stem, script, article, track, raw)


def _joined(sounds, rate: int) -> np.ndarray:
    gap = np.zeros(round(CHUNK_GAP * rate))
    parts = []
    for number, sound in enumerate(sounds):
        parts += [gap] if number else []
        parts.append(np.frombuffer(sound.raw_data, dtype="<i2") / 32768)
    return np.concatenate(parts)


def output(setting: Setting) -> OutputFormat:
    return OutputFormat(
        bitrate=setting.bitrate, channels=setting.channels, loudness=setting.loudness
    )


def written(item: Spoken, setting: Setting, folder: Path) -> Path:
    """The MP3 `audiogen convert` writes for the setting."""
    return publish(item.track, item.script, item.article, folder / setting.name,
                   output=output(setting))  # fmt: skip


def decoded(path: Path) -> np.ndarray:
    """The file's first channel as floats at PESQ_RATE."""
    result = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path),
         "-af", "pan=mono|c0=c0", "-f", "f32le", "-ar", "44100", "pipe:1"],
        capture_output=True, check=True,
    )  # fmt: skip
    return to_pesq_rate(np.frombuffer(result.stdout, dtype=np.float32), 44100)


def to_pesq_rate(samples: np.ndarray, rate: int) -> np.ndarray:
    divisor = np.gcd(PESQ_RATE, rate)
    return resample_poly(samples, PESQ_RATE // divisor, rate // divisor)


def pairs(item: Spoken, heard: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(raw, heard) for every sentence, both at PESQ_RATE, sample for sample."""
    rate = item.track.rate
    found = []
    for raw, start in zip(item.raw, item.track.starts, strict=True):
        reference = to_pesq_rate(raw, rate)
        at = round(start * PESQ_RATE)
        found.append((reference, heard[at : at + len(reference)]))
    return found


def scores(pair: tuple[np.ndarray, np.ndarray]) -> tuple[float, float]:
    reference, degraded = pair
    length = min(len(reference), len(degraded))
    reference, degraded = reference[:length], degraded[:length]
    try:
        quality = pesq(PESQ_RATE, reference, degraded, "wb")
    except NoUtterancesError:
        quality = math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # under 0.4 s of speech: it says so with 1e-5
        intelligibility = stoi(reference, degraded, PESQ_RATE)
    return quality, intelligibility if intelligibility > 1e-5 else math.nan


def pcm(item: Spoken, setting: Setting) -> np.ndarray:
    """The normalised track as publish first hands it to the encoder, at PESQ_RATE."""
    wanted = output(setting)
    ceiling = TRUE_PEAK_DBTP - publish_module._first_margin(wanted)
    normalized = levelled_samples(item.track, wanted.loudness + ENCODER_LOSS_DB, ceiling)
    samples = np.frombuffer(publish_module._pcm16(normalized), dtype="<i2") / 32768
    return to_pesq_rate(samples, item.track.rate)


def summary(name: str, results: list[tuple[float, float]], files=()) -> dict:
    """Median and worst tenth of the sentences' scores; the loudest reading of the files
    (loudness.measure) and how many encodes each took."""
    quality = np.array([q for q, _ in results if not math.isnan(q)])
    intelligibility = np.array([i for _, i in results if not math.isnan(i)])
    row = {
        "setting": name,
        "sentences": len(results),
        "pesq_median": float(np.median(quality)),
        "pesq_worst_tenth": float(np.percentile(quality, 10)),
        "stoi_median": float(np.median(intelligibility)),
        "stoi_worst_tenth": float(np.percentile(intelligibility, 10)),
    }
    if files:
        levels = [level for level, _ in files]
        row |= {
            "integrated": [level.integrated for level in levels],
            "true_peak": max(level.true_peak for level in levels),
            "encodes": [encodes for _, encodes in files],
        }
    return row


def scored(items: list[Spoken], heard: list[np.ndarray], pool) -> list[tuple[float, float]]:
    work = [pair for item, sound in zip(items, heard, strict=True) for pair in pairs(item, sound)]
    return list(pool.map(scores, work, chunksize=8))


@contextlib.contextmanager
def counted_encodes():
    """A list that publish's encoder appends to each time it encodes (publish may encode a
    file again when its true peak is over the ceiling)."""
    calls, encode = [], publish_module._encode_pcm

    def counting(*arguments):
        calls.append(1)
        return encode(*arguments)

    publish_module._encode_pcm = counting
    try:
        yield calls
    finally:
        publish_module._encode_pcm = encode


def file_row(items: list[Spoken], setting: Setting, folder: Path, pool) -> dict:
    files, heard = [], []
    with counted_encodes() as calls:
        for item in items:
            before = len(calls)
            path = written(item, setting, folder / item.name)
            files.append((measure(path), len(calls) - before))
            heard.append(decoded(path))
    return summary(setting.name, scored(items, heard, pool), files)


def pcm_row(items: list[Spoken], target: float | None, pool) -> dict:
    heard = [pcm(item, Setting("", target)) for item in items]
    level = "default" if target is None else f"{target:g} LUFS"
    return summary(f"PCM alone (no codec), {level} mono", scored(items, heard, pool))


def table(rows: list[dict]) -> str:
    lines = ["| setting | PESQ-WB median | worst tenth | STOI median | worst tenth "
             "| integrated (LUFS) | true peak (dBTP) | encodes |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for row in rows:
        files = "- | - | -"
        if "true_peak" in row:
            low, high = min(row["integrated"]), max(row["integrated"])
            span = f"{low:.1f}" if f"{low:.1f}" == f"{high:.1f}" else f"{low:.1f} to {high:.1f}"
            files = f"{span} | {row['true_peak']:.1f} | {' '.join(map(str, row['encodes']))}"
        lines.append(f"| {row['setting']} | {row['pesq_median']:.2f} | "
                     f"{row['pesq_worst_tenth']:.2f} | {row['stoi_median']:.3f} | "
                     f"{row['stoi_worst_tenth']:.3f} | {files} |")  # fmt: skip
    return "\n".join(lines)


def goal(rows: list[dict]) -> str:
    defaults = [row for row in rows if row["setting"] in {s.name for s in DEFAULTS}]
    met = all(r["pesq_median"] >= GOAL_MEDIAN and r["pesq_worst_tenth"] >= GOAL_WORST
              and r["true_peak"] <= -1.0 for r in defaults)  # fmt: skip
    return (f"goal: defaults at PESQ median >= {GOAL_MEDIAN}, worst tenth >= {GOAL_WORST}, "
            f"<= -1 dBTP: {'met' if met else 'NOT met'}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--json", type=Path)
    parser.add_argument("--defaults", action="store_true")
    parser.add_argument("--compression-level", type=int)
    options = parser.parse_args()
    if options.compression_level is not None:
        level = None if options.compression_level < 0 else options.compression_level
        publish_module.LAME_LEVELS = dict.fromkeys(publish_module.LAME_LEVELS, level)
    items = [spoken(path) for path in (ARTICLES[:1] if options.quick else ARTICLES)]
    few = options.quick or options.defaults
    settings = DEFAULTS if few else DEFAULTS + GRID
    targets = [None] if few else [None, -16.0]
    rows = []
    with ProcessPoolExecutor(options.jobs) as pool, tempfile.TemporaryDirectory() as folder:
        for target in targets:
            rows.append(pcm_row(items, target, pool))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
        for setting in settings:
            rows.append(file_row(items, setting, Path(folder), pool))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    count = sum(len(item.raw) for item in items)
    print(f"\n{len(items)} articles, {count} sentences; the default voice (joe)\n")
    print(table(rows))
    print(f"\n{goal(rows)}")
    if options.json:
        options.json.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
