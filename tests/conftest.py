"""Shared test material: the bundled sample, and decoding of the MP3s we really wrote."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "kyiv-independent-2022-12-25.txt"
DECODE_RATE = 22050


def decode_mp3(path: Path) -> np.ndarray:
    """The MP3's samples as float mono at DECODE_RATE, decoded by ffmpeg; fails on any error."""
    result = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path),
         "-f", "s16le", "-ac", "1", "-ar", str(DECODE_RATE), "pipe:1"],
        capture_output=True, check=True,
    )  # fmt: skip
    assert result.stderr == b"", result.stderr.decode()
    return np.frombuffer(result.stdout, dtype=np.int16).astype(np.float32) / 32768


def speech_onsets(samples: np.ndarray, min_gap: float, rate: int = DECODE_RATE) -> list[float]:
    """Seconds where sound resumes after at least `min_gap` seconds of silence."""
    window = rate // 100  # about 10 ms
    frames = samples[: len(samples) // window * window].reshape(-1, window)
    loud = np.sqrt((frames**2).mean(axis=1)) > 10 ** (-45 / 20)
    onsets, quiet = [], 0
    for index, is_loud in enumerate(loud):
        if is_loud:
            if quiet * window / rate >= min_gap:
                onsets.append(index * window / rate)
            quiet = 0
        else:
            quiet += 1
    return onsets


def written(out: Path) -> list[str]:
    """The names a conversion left in `out`, apart from its manifest and the subtitle and
    chapter files beside each MP3 (which it checks are there): MP3s, and nothing else."""
    from audiogen.publish import sidecar_paths

    if not out.exists():
        return []
    names = {p.name for p in out.iterdir()} - {"manifest.jsonl"}
    for mp3 in [name for name in names if name.endswith(".mp3")]:
        beside = {path.name for path in sidecar_paths(out / mp3)}
        assert beside <= names, f"{mp3} lacks {beside - names}"
        names -= beside
    return sorted(names)


@pytest.fixture(scope="session", autouse=True)
def chunk_cache(tmp_path_factory) -> Path:
    """One chunk cache for the whole run, never the user's own: the commands the tests run
    find it through the environment, as a user's scripts could."""
    folder = tmp_path_factory.mktemp("chunk-cache")
    os.environ["AUDIOGEN_CACHE_DIR"] = str(folder)
    return folder


def run_in_a_terminal(*args: str) -> tuple[int, str]:
    """`audiogen ARGS` with its standard error on a terminal (a pseudo-terminal 160 columns
    wide), as a person at a terminal runs it: its exit status, and all the terminal got."""
    import fcntl
    import os
    import pty
    import struct
    import termios
    import threading

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160"}
    process = subprocess.Popen([sys.executable, "-m", "audiogen", *args], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=slave, env=env)  # fmt: skip
    os.close(slave)
    screen = bytearray()

    def read() -> None:  # read as it comes, or a full terminal buffer blocks the writer
        while True:
            try:
                block = os.read(master, 65536)
            except OSError:  # the other end closed
                return
            if not block:
                return
            screen.extend(block)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    status = process.wait(timeout=300)
    reader.join(10)
    os.close(master)
    return status, screen.decode(errors="replace")


def on_screen(screen: str) -> list[str]:
    """What a terminal showed, line by line and each state of the live bar on its own line,
    without the control codes."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)
    return [line.strip() for line in re.split(r"[\r\n]+", plain) if line.strip()]


# Short sentences, three words each, all different: quick to speak, and many of them.
_SUBJECTS = ("Boats", "Crews", "Gulls", "Ships", "Tides", "Ferries", "Pilots", "Docks")
_PREDICATES = ("moved slowly", "stayed late", "went north", "came back", "turned east")


def write_long_article(folder: Path, name: str = "long-read") -> Path:
    """An article of 40 three-word sentences and its headline: long enough to have progress
    of its own (progress.LONG sentences), spoken in seconds. 41 chunks in all."""
    sentences = [f"{subject} {predicate}." for predicate in _PREDICATES for subject in _SUBJECTS]
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    path = folder / f"{name}.txt"
    path.write_text("Harbour news in forty short lines\n\n" + "\n\n".join(paragraphs) + "\n")
    return path


def run_cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """`audiogen ARGS` in a fresh process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "audiogen", *args], capture_output=True, text=True, **kwargs
    )


@pytest.fixture(scope="session")
def sample_mp3(tmp_path_factory) -> Path:
    """The sample converted once with the real default voice, for the end-to-end tests."""
    out = tmp_path_factory.mktemp("output")
    result = run_cli("convert", str(SAMPLE), "-o", str(out),
                     "--url", "https://kyivindependent.com/china-strengthens-ties")  # fmt: skip
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip())
