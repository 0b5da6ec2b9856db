"""Assemble: trim each chunk, even out its loudness, put the preset's pauses between the
chunks, join into one track.

Piper peak-normalises every sentence on its own, so one sentence can sound several dB louder
than the next; each chunk is brought to the same loudness (BS.1770, see loudness.py) before
joining, and faded in and out over a few milliseconds so no join clicks. The track's final
level and peaks are publish's job (loudness.normalize, then the written file measured).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import imageio_ffmpeg
import numpy as np

from audiogen.engines import Audio
from audiogen.loudness import loudness_of_each
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
# bits. publish sets the level the listener hears.
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
    if any(chunk.sample_rate != rate for chunks in audio for chunk in chunks):
        raise ValueError("every chunk of one track must share a sample rate")
    trimmed = [[_samples(_trimmed(chunk)) for chunk in chunks] for chunks in audio]
    gains = iter(_level_gains([sound for sounds in trimmed for sound in sounds], rate))
    parts: list[AudioSegment] = [_silence(LEAD_IN, rate)]
    frames = parts[0].frame_count()
    starts, ends = [], []
    previous: Segment | None = None
    for index, (segment, sounds) in enumerate(zip(script.segments, trimmed, strict=True)):
        if previous is not None:
            pause = _pause_between(previous, segment, pauses, index in sections)
            parts.append(_silence(pause, rate))
            frames += parts[-1].frame_count()
        starts.append(frames / rate)
        for number, sound in enumerate(sounds):
            if number:
                parts.append(_silence(CHUNK_GAP, rate))
                frames += parts[-1].frame_count()
            parts.append(_levelled(sound, next(gains), rate))
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


def _samples(sound: AudioSegment) -> np.ndarray:
    """The 16-bit chunk as floats in [-1, 1]."""
    return np.multiply(np.frombuffer(sound.raw_data, dtype="<i2"), 1 / 32768, dtype=np.float64)


def _level_gains(sounds: list[np.ndarray], rate: int) -> list[float]:
    """The one gain for each chunk that brings it to CHUNK_LUFS: at most MAX_BOOST_DB up, and
    never so far up that a sample would clip. All chunks are measured in one pass."""
    gains = []
    for sound, loudness in zip(sounds, loudness_of_each(sounds, rate), strict=True):
        gain = 10 ** (min(CHUNK_LUFS - loudness, MAX_BOOST_DB) / 20)
        peak = float(np.abs(sound).max()) if len(sound) else 0.0
        gains.append(min(gain, _FULL_SCALE / peak) if peak > 0 else 1.0)
    return gains


def _levelled(sound: np.ndarray, gain: float, rate: int) -> AudioSegment:
    """The chunk times its gain, faded in and out at its ends, as 16-bit PCM."""
    levelled = _faded(sound * (gain * 32768), rate)
    data = np.rint(levelled, out=levelled).astype("<i2").tobytes()
    return AudioSegment(data, frame_rate=rate, sample_width=2, channels=1)


def _faded(samples: np.ndarray, rate: int) -> np.ndarray:
    """The samples, changed in place, with a half-cosine fade in and out: the chunk starts
    and ends at zero, as the silence either side of it does."""
    length = min(round(FADE_MS * rate / 1000), len(samples) // 2)
    if length:
        ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(length) / length)
        samples[:length] *= ramp
        samples[len(samples) - length :] *= ramp[::-1]
    return samples
