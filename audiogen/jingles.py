"""Jingles: a publisher's audio files played before and after the narration.

Decoded by the bundled ffmpeg (any format it reads) to the track's own sample rate and mono,
then put either side of the track with a short gap; every segment's time moves with it.
"""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import imageio_ffmpeg

# pydub as assemble sets it up: pointed at the bundled ffmpeg, its import warnings silenced.
from audiogen.assemble import AudioSegment, Track
from audiogen.errors import AudiogenError

GAP = 0.5  # seconds of silence between a jingle and the voice


def read_jingle(path: Path, sample_rate: int) -> AudioSegment:
    """The file's sound as mono 16-bit PCM at `sample_rate`; AudiogenError if ffmpeg can't."""
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path),
               "-f", "s16le", "-ac", "1", "-ar", str(sample_rate), "pipe:1"]  # fmt: skip
    result = subprocess.run(command, capture_output=True)
    if result.returncode != 0 or not result.stdout:
        reason = result.stderr.decode(errors="replace").strip().splitlines()
        raise AudiogenError(
            f"cannot play {path} as a jingle: {reason[-1] if reason else 'no sound in it'}"
        )
    return AudioSegment(result.stdout, frame_rate=sample_rate, sample_width=2, channels=1)


def framed(track: Track, intro: AudioSegment | None, outro: AudioSegment | None) -> Track:
    """The track with `intro` before it and `outro` after it."""
    if intro is None and outro is None:
        return track
    rate = track.audio.frame_rate
    gap = AudioSegment.silent(duration=GAP * 1000, frame_rate=rate)
    before = [intro, gap] if intro is not None else []
    after = [gap, outro] if outro is not None else []
    parts = [*before, track.audio, *after]
    shift = sum(part.frame_count() for part in before) / rate
    # One join of the raw bytes, as assemble does.
    audio = track.audio._spawn(b"".join(part.raw_data for part in parts))
    return replace(
        track,
        audio=audio,
        starts=tuple(start + shift for start in track.starts),
        ends=tuple(end + shift for end in track.ends),
    )
