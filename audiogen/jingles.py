"""Jingles: a publisher's audio files played before and after the narration.

Decoded by the bundled ffmpeg (any format it reads) to the track's own sample rate and mono;
assemble writes the intro into the spool before the voice and the outro after it, with GAP
of silence between a jingle and the voice, so every segment's time counts from the top.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np

from audiogen.errors import AudiogenError

GAP = 0.5  # seconds of silence between a jingle and the voice


def read_jingle(path: Path, sample_rate: int) -> np.ndarray:
    """The file's sound as mono int16 samples at `sample_rate`; AudiogenError if ffmpeg
    can't."""
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path),
               "-f", "s16le", "-ac", "1", "-ar", str(sample_rate), "pipe:1"]  # fmt: skip
    result = subprocess.run(command, capture_output=True)
    if result.returncode != 0 or not result.stdout:
        reason = result.stderr.decode(errors="replace").strip().splitlines()
        raise AudiogenError(
            f"cannot play {path} as a jingle: {reason[-1] if reason else 'no sound in it'}"
        )
    return np.frombuffer(result.stdout[: len(result.stdout) // 2 * 2], dtype="<i2")
