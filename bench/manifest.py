"""The manifest's cost per article, now that every write is made under a lock (issue 10).

    .venv/bin/python bench/manifest.py [--lines 10000] [--runs 2]

1. One run records `--lines` results into a folder whose manifest already has as many lines
   (an archive), then closes (the rewrite): microseconds per record, milliseconds for close.
2. `--runs` processes record `--lines` results each into one folder at the same time: the
   lines left (all of them, or the lock is broken) and the time per record under contention.

A record is an append under an flock, so it should cost tens of microseconds whatever the size
of the manifest; a batch of articles that take seconds each never notices it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audiogen.manifest import CONVERTED, NAME, Entry, Manifest, timestamp  # noqa: E402


def entry(name: str, number: int) -> Entry:
    return Entry(f"/articles/{name}-{number}.txt", CONVERTED, output=f"{name}-{number}.mp3",
                 duration=61.5, headline="A headline of some length", voice="joe",
                 id=f"https://example.org/{name}/{number}", converted_at=timestamp())  # fmt: skip


def one_run(folder: Path, lines: int) -> dict:
    earlier = Manifest(folder)
    for number in range(lines):
        earlier.record(entry("earlier", number))
    earlier.close()
    manifest = Manifest(folder)
    started = time.perf_counter()
    for number in range(lines):
        manifest.record(entry("now", number))
    recorded = time.perf_counter() - started
    started = time.perf_counter()
    manifest.close()
    closed = time.perf_counter() - started
    left = len((folder / NAME).read_text().splitlines())
    return {"record_us": round(recorded / lines * 1e6, 1), "close_ms": round(closed * 1e3, 1),
            "lines_left": left, "lines_expected": 2 * lines}  # fmt: skip


def record(folder: Path, name: str, lines: int) -> float:
    """One run's part in runs_at_once: the seconds its records took."""
    manifest = Manifest(folder)
    started = time.perf_counter()
    for number in range(lines):
        manifest.record(entry(name, number))
    seconds = time.perf_counter() - started
    manifest.close()
    return seconds


def runs_at_once(folder: Path, lines: int, runs: int) -> dict:
    command = [sys.executable, __file__, "--lines", str(lines), "--record", str(folder)]
    processes = [
        subprocess.Popen([*command, f"run{n}"], stdout=subprocess.PIPE, text=True)
        for n in range(runs)
    ]
    seconds = [float(process.communicate()[0]) for process in processes]
    left = len((folder / NAME).read_text().splitlines())
    return {"record_us": round(max(seconds) / lines * 1e6, 1), "lines_left": left,
            "lines_expected": runs * lines}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--record", nargs=2, metavar=("FOLDER", "NAME"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.record:
        print(record(Path(options.record[0]), options.record[1], options.lines))
        return
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as many:
        results = {
            "one_run": one_run(Path(one), options.lines),
            "runs_at_once": runs_at_once(Path(many), options.lines, options.runs),
        }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
