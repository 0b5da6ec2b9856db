"""Assemble: trim each chunk, even out its loudness, put the preset's pauses between the
chunks, join into one track.

Piper peak-normalises every sentence on its own, so one sentence can sound several dB louder
than the next; each chunk is brought to the same loudness (BS.1770, see loudness.py) before
joining, and faded in and out over a few milliseconds so no join clicks. The track's final
level and peaks are loudness.normalize's job.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import imageio_ffmpeg
import numpy as np

from audiogen.engines import Audio
from audiogen.loudness import integrated_loudness
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
# Every chunk is brought to this loudness. Low on purpose: Piper's sentences peak at full
# scale 20-25 dB above their loudness, and a quiet one must be raised without clipping 16
# bits. loudness.normalize sets the level the listener hears.
CHUNK_LUFS = -26.0
MAX_BOOST_DB = 12.0  # a near-silent chunk (a breath, a failed call) is not blown up to speech
FADE_MS = 8  # in and out, inside the EDGE_MS kept at each end: the join is silent, no click
_FULL_SCALE = 32767 / 32768


@dataclass(frozen=True)
class Track:
    audio: AudioSegment
    starts: tuple[float, ...]  # seconds from the top: where each script segment begins to speak
    ends: tuple[float, ...] = ()  # ... and where it stops (its pause follows)

    @property
    def seconds(self) -> float:
        return self.audio.frame_count() / self.audio.frame_rate


def assemble(
    script: Script,
    audio: Sequence[Sequence[Audio]],
    pauses: Pauses,
    *,
    sections: frozenset[int] = frozenset(),
) -> Track:
    """One continuous mono track, and the start and end time of every segment in it.

    `sections`: the indexes of segments that are section headings, which get the preset's
    section pause before them.
    """
    rate = audio[0][0].sample_rate
    parts: list[AudioSegment] = [_silence(LEAD_IN, rate)]
    frames = parts[0].frame_count()
    starts, ends = [], []
    previous: Segment | None = None
    for index, (segment, chunks) in enumerate(zip(script.segments, audio, strict=True)):
        if previous is not None:
            pause = _pause_between(previous, segment, pauses, index in sections)
            parts.append(_silence(pause, rate))
            frames += parts[-1].frame_count()
        starts.append(frames / rate)
        for number, chunk in enumerate(chunks):
            if chunk.sample_rate != rate:
                raise ValueError("every chunk of one track must share a sample rate")
            if number:
                parts.append(_silence(CHUNK_GAP, rate))
                frames += parts[-1].frame_count()
            parts.append(_levelled(_trimmed(chunk)))
            frames += parts[-1].frame_count()
        ends.append(frames / rate)
        previous = segment
    parts.append(_silence(TAIL, rate))
    # One join of the raw bytes: adding segments one by one would copy the growing track
    # every time, quadratic in the number of chunks.
    track = parts[0]._spawn(b"".join(part.raw_data for part in parts))
    return Track(track, tuple(starts), tuple(ends))


def _pause_between(
    previous: Segment, following: Segment, pauses: Pauses, section: bool = False
) -> float:
    if section:
        # A heading straight after the headline waits the longer of the two.
        return max(pauses.section, pauses.headline if previous.paragraph == HEADLINE else 0.0)
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


def _levelled(sound: AudioSegment) -> AudioSegment:
    """The chunk at CHUNK_LUFS, faded in and out at its ends."""
    samples = np.frombuffer(sound.raw_data, dtype="<i2").astype(np.float64) / 32768
    levelled = _faded(samples * _level_gain(samples, sound.frame_rate), sound.frame_rate)
    return sound._spawn(np.rint(levelled * 32768).astype("<i2").tobytes())


def _level_gain(samples: np.ndarray, rate: int) -> float:
    """The one gain that brings a chunk to CHUNK_LUFS: at most MAX_BOOST_DB up, and never so
    far up that a sample would clip."""
    loudness = integrated_loudness(samples, rate)
    gain = 10 ** (min(CHUNK_LUFS - loudness, MAX_BOOST_DB) / 20)
    peak = float(np.abs(samples).max()) if len(samples) else 0.0
    return min(gain, _FULL_SCALE / peak) if peak > 0 else 1.0


def _faded(samples: np.ndarray, rate: int) -> np.ndarray:
    """The samples with a half-cosine fade in and out: the chunk starts and ends at zero,
    as the silence either side of it does."""
    length = min(round(FADE_MS * rate / 1000), len(samples) // 2)
    if length == 0:
        return samples
    ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(length) / length)
    faded = samples.copy()
    faded[:length] *= ramp
    faded[len(faded) - length :] *= ramp[::-1]
    return faded
