"""The Track: a whole episode as assemble wrote it (its audio in a spool, and where each
script segment is in it), and what is measured or levelled on it as a whole.

publish streams the track through loudness.plan and loudness.levelled; the whole-track
readings here (`levelled_samples`, `segment_loudness`) hold it in memory, for tests and
benchmarks. loudness.py knows only samples and frames, never a Track.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from audiogen.loudness import (
    MONO_LUFS,
    TRUE_PEAK_DBTP,
    integrated_loudness,
    levelled_all,
    per_channel,
)
from audiogen.spool import Spool

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Track:
    """A whole episode: its audio in a spool, and where each script segment is in it."""

    spool: Spool
    starts: tuple[float, ...]  # seconds from the top: where each script segment begins to speak
    ends: tuple[float, ...] = ()  # ... and where it stops (its pause follows)

    @property
    def rate(self) -> int:
        return self.spool.rate

    @property
    def seconds(self) -> float:
        return self.spool.seconds


def levelled_samples(
    track: Track,
    target_lufs: float = MONO_LUFS,
    true_peak_dbtp: float = TRUE_PEAK_DBTP,
    *,
    channels: int = 1,
) -> np.ndarray:
    """The track's samples (floats, the whole track in memory: for tests and benchmarks;
    publish streams them) such that a file playing them on `channels` channels alike
    measures `target_lufs` integrated, every true peak at most `true_peak_dbtp`. Silence is
    returned as it is.

    BS.1770 adds up the channels' energies: each of two channels carries the target less
    3 dB. A voice whose peaks stand so far over its loudness that reaching the target would
    take the limiter more than loudness.MAX_MAKEUP_DB of extra gain stays that much under.
    """
    spool = track.spool
    target = per_channel(target_lufs, channels)
    return levelled_all(spool.read, spool.frames(), target, true_peak_dbtp)


def segment_loudness(track: Track) -> tuple[float, ...]:
    """LUFS of each script segment of the track, between its start and its end."""
    rate, read = track.rate, track.spool.read
    return tuple(
        integrated_loudness(read(round(start * rate), round(end * rate)), rate)
        for start, end in zip(track.starts, track.ends, strict=True)
    )
