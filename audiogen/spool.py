"""Spool: a track's audio on disk while it is made, so memory stays flat in its length.

16-bit mono PCM appended a piece at a time (each chunk as the engine makes it, the pauses,
the jingles) to an anonymous temporary file, and measured as it grows (loudness.Meter: two
numbers a millisecond, themselves kept in a second such file), so that when the last piece
is in, the episode's gain is worked out without reading it again. Publish then reads it
back a block at a time (`read`).

The file is made in the folder given (the output folder: the disk the MP3 goes to, where a
long read's hundreds of megabytes have room, rather than a /tmp that may be memory) and has
no name there: the system removes it when it is closed or when the process ends, however
it ends (Ctrl-C, a signal, kill -9), so a failed run leaves nothing behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from audiogen.loudness import Frames, Meter


class Spool:
    """A growing 16-bit mono track at `rate`, on disk in `folder` (None: the system's
    temporary folder). `write` and `silence` add to its end; `frames` ends it."""

    def __init__(self, rate: int, folder: Path | None = None):
        self.rate = rate
        # Kept open for the spool's life, closed by `close` (or with the object).
        self.file = tempfile.TemporaryFile(dir=folder, prefix=".audiogen-", suffix=".pcm")  # noqa: SIM115
        # The meter's figures (8 bytes a millisecond of audio) go to disk too, but for their
        # last pages: resident, a three-hour read's would be 100 MB beside the voice.
        self._figures = tempfile.TemporaryFile(dir=folder, prefix=".audiogen-", suffix=".frames")  # noqa: SIM115
        self.length = 0  # samples written
        self._meter = Meter(rate, self._figures)
        self._frames: Frames | None = None

    @classmethod
    def silent(cls, seconds: float, rate: int, folder: Path | None = None) -> Spool:
        """A spool of `seconds` of silence (a stand-in track for timing tests)."""
        spool = cls(rate, folder)
        spool.silence(seconds)
        return spool

    def write(self, samples: np.ndarray) -> None:
        """Add int16 samples to the end."""
        if self._frames is not None:
            raise ValueError("the spool is complete: nothing can be added")
        data = memoryview(samples.astype("<i2", copy=False).tobytes())
        while data:
            data = data[os.write(self.file.fileno(), data) :]
        self.length += len(samples)
        self._meter.update(self.read, self.length)

    def silence(self, seconds: float) -> None:
        # As many samples as pydub's AudioSegment.silent made: tracks time as before.
        self.write(np.zeros(int(self.rate * seconds), dtype=np.int16))

    def read(self, start: int, stop: int) -> np.ndarray:
        """Samples `start` to `stop` as floats in [-1, 1]; zeros outside the track."""
        out = np.zeros(max(stop - start, 0))
        first, last = max(start, 0), min(stop, self.length)
        if first < last:
            data = os.pread(self.file.fileno(), 2 * (last - first), 2 * first)
            np.multiply(np.frombuffer(data, dtype="<i2"), 1 / 32768,
                        out=out[first - start : last - start])  # fmt: skip
        return out

    def frames(self) -> Frames:
        """What loudness needs of the whole track (see loudness.Meter). Ends the spool."""
        if self._frames is None:
            self._frames = self._meter.frames(self.read, self.length)
        return self._frames

    @property
    def seconds(self) -> float:
        return self.length / self.rate

    def close(self) -> None:
        """Remove the files now (the system does, too, when the process ends)."""
        self.file.close()
        self._figures.close()
