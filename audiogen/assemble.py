"""Assemble: trim each chunk, even out its loudness, put the preset's pauses between the
chunks, and write them one after another into a spool (spool.py) as the engine makes them.

Piper peak-normalises every sentence on its own, so one sentence can sound several dB louder
than the next; each chunk is brought to the same loudness (BS.1770, see loudness.py) as it
arrives, and faded in and out over a few milliseconds so no join clicks. Only the spool holds
the audio: a chunk is dropped once written, so memory does not grow with the article. The
track's final level and peaks are publish's job (loudness.plan and levelled, then the written
file measured); the spool measures what they need as it is written.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from audiogen.engines import Audio
from audiogen.jingles import GAP
from audiogen.loudness import integrated_loudness
from audiogen.narration import HEADLINE, Script, Segment
from audiogen.spool import Spool
from audiogen.track import Track
from audiogen.voices import Pauses

with warnings.catch_warnings():
    # pydub looks for ffmpeg on PATH when imported and warns; we only use its silence finder.
    warnings.filterwarnings("ignore", "Couldn't find ffmpeg", RuntimeWarning)
    # pydub's own import of audioop, which Python 3.13 moved to the audioop-lts package.
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    from pydub import AudioSegment
    from pydub.silence import detect_leading_silence

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

# Given the track's sample rate, the sounds to play before and after it (int16, that rate).
Framing = Callable[[int], tuple[np.ndarray | None, np.ndarray | None]]


def assemble(
    script: Script,
    audio: Iterable[Sequence[Audio]],
    pauses: Pauses,
    *,
    sections: frozenset[int] = frozenset(),
    folder: Path | None = None,
    framing: Framing | None = None,
) -> Track:
    """One continuous mono track, and the start and end time of every segment in it.

    `audio`: each segment's chunks, in order; an iterator (speak.spoken) is written as it
    comes. `sections`: the indexes of segments that are section headings, which get the
    preset's section pause before them. `folder`: where the spool goes (None: the system's
    temporary folder). `framing`: the jingles either side of the voice (jingles.py).
    """
    spool: Spool | None = None
    outro = None
    starts, ends = [], []
    previous: Segment | None = None
    for index, (segment, chunks) in enumerate(zip(script.segments, audio, strict=True)):
        if spool is None:  # the first chunk gives the rate, and the jingles are read at it
            rate = chunks[0].sample_rate
            intro, outro = framing(rate) if framing is not None else (None, None)
            spool = _opened(rate, folder, intro)
        if previous is not None:
            spool.silence(_pause_between(previous, segment, pauses, index in sections))
        starts.append(spool.seconds)
        for number, chunk in enumerate(chunks):
            if chunk.sample_rate != spool.rate:
                raise ValueError("every chunk of one track must share a sample rate")
            if number:
                spool.silence(CHUNK_GAP)
            spool.write(_levelled(_samples(_trimmed(chunk)), chunk.sample_rate))
        ends.append(spool.seconds)
        previous = segment
    spool.silence(TAIL)
    if outro is not None:
        spool.silence(GAP)
        spool.write(outro)
    return Track(spool, tuple(starts), tuple(ends))


def _opened(rate: int, folder: Path | None, intro: np.ndarray | None) -> Spool:
    """A new spool, with the intro jingle and the lead-in in it."""
    spool = Spool(rate, folder)
    if intro is not None:
        spool.write(intro)
        spool.silence(GAP)
    spool.silence(LEAD_IN)
    return spool


def _pause_between(
    previous: Segment, following: Segment, pauses: Pauses, section: bool = False
) -> float:
    if section:
        # A heading straight after the headline waits the longer of the two.
        return max(pauses.section, pauses.headline if previous.paragraph == HEADLINE else 0.0)
    if previous.paragraph == following.paragraph:
        return pauses.sentence
    return pauses.headline if previous.paragraph == HEADLINE else pauses.paragraph


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


def _levelled(sound: np.ndarray, rate: int) -> np.ndarray:
    """The chunk brought to CHUNK_LUFS (at most MAX_BOOST_DB up, and never so far up that a
    sample would clip), faded in and out at its ends, as 16-bit PCM."""
    gain = 10 ** (min(CHUNK_LUFS - integrated_loudness(sound, rate), MAX_BOOST_DB) / 20)
    peak = float(np.abs(sound).max()) if len(sound) else 0.0
    gain = min(gain, _FULL_SCALE / peak) if peak > 0 else 1.0
    levelled = _faded(sound * (gain * 32768), rate)
    return np.rint(levelled, out=levelled).astype(np.int16)


def _faded(samples: np.ndarray, rate: int) -> np.ndarray:
    """The samples, changed in place, with a half-cosine fade in and out: the chunk starts
    and ends at zero, as the silence either side of it does."""
    length = min(round(FADE_MS * rate / 1000), len(samples) // 2)
    if length:
        ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(length) / length)
        samples[:length] *= ramp
        samples[len(samples) - length :] *= ramp[::-1]
    return samples
