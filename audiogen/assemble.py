"""Assemble: trim each chunk, put the preset's pauses between them, join into one track."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import imageio_ffmpeg

from audiogen.engines import Audio
from audiogen.script import HEADLINE, Script, Segment
from audiogen.voices import Pauses

with warnings.catch_warnings():
    # pydub looks for ffmpeg on PATH when imported and warns; ours comes from imageio-ffmpeg.
    warnings.filterwarnings("ignore", "Couldn't find ffmpeg", RuntimeWarning)
    # pydub's own import of audioop, which Python 3.13 moved to the audioop-lts package.
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    from pydub import AudioSegment
    from pydub.silence import detect_leading_silence

AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()

SILENCE_DBFS = -45.0
EDGE_MS = 10  # keep a sliver of each edge so soft consonants and breaths are not clipped
CHUNK_GAP = 0.15  # seconds between chunks of one sentence (gTTS cuts long ones at clauses)
LEAD_IN = 0.3
TAIL = 0.7


@dataclass(frozen=True)
class Track:
    audio: AudioSegment
    starts: tuple[float, ...]  # seconds from the top: where each script segment begins to speak
    ends: tuple[float, ...] = ()  # ... and where it stops (its pause follows)

    @property
    def seconds(self) -> float:
        return self.audio.frame_count() / self.audio.frame_rate


def assemble(script: Script, audio: Sequence[Sequence[Audio]], pauses: Pauses) -> Track:
    """One continuous mono track, and the start and end time of every segment in it."""
    rate = audio[0][0].sample_rate
    parts: list[AudioSegment] = [_silence(LEAD_IN, rate)]
    frames = parts[0].frame_count()
    starts, ends = [], []
    previous: Segment | None = None
    for segment, chunks in zip(script.segments, audio, strict=True):
        if previous is not None:
            parts.append(_silence(_pause_between(previous, segment, pauses), rate))
            frames += parts[-1].frame_count()
        starts.append(frames / rate)
        for index, chunk in enumerate(chunks):
            if chunk.sample_rate != rate:
                raise ValueError("every chunk of one track must share a sample rate")
            if index:
                parts.append(_silence(CHUNK_GAP, rate))
                frames += parts[-1].frame_count()
            parts.append(_trimmed(chunk))
            frames += parts[-1].frame_count()
        ends.append(frames / rate)
        previous = segment
    parts.append(_silence(TAIL, rate))
    # One join of the raw bytes: adding segments one by one would copy the growing track
    # every time, quadratic in the number of chunks.
    track = parts[0]._spawn(b"".join(part.raw_data for part in parts))
    return Track(track, tuple(starts), tuple(ends))


def _pause_between(previous: Segment, following: Segment, pauses: Pauses) -> float:
    if previous.paragraph == following.paragraph:
        return pauses.sentence
    return pauses.headline if previous.paragraph == HEADLINE else pauses.paragraph


def _silence(seconds: float, rate: int) -> AudioSegment:
    return AudioSegment.silent(duration=seconds * 1000, frame_rate=rate)


def _trimmed(chunk: Audio) -> AudioSegment:
    """The chunk without its leading and trailing silence, so pauses are exactly as set."""
    sound = AudioSegment(
        chunk.samples.tobytes(), frame_rate=chunk.sample_rate, sample_width=2, channels=1
    )
    start = max(detect_leading_silence(sound, SILENCE_DBFS) - EDGE_MS, 0)
    end = len(sound) - max(detect_leading_silence(sound.reverse(), SILENCE_DBFS) - EDGE_MS, 0)
    return sound[start:end] if start < end else sound
