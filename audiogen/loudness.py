"""Loudness: measure it as ITU-R BS.1770 / EBU R128 do, and set it for a whole track.

- `integrated_loudness`, `loudness_of_each`: LUFS of some samples (BS.1770's gated measure;
  an ungated K-weighted RMS for sounds shorter than its 0.4 s block). assemble evens out
  chunks with them.
- `Meter`, `plan`, `levelled`: a track brought to a target integrated loudness with its true
  peak kept under a ceiling, without ever holding it whole. The Meter keeps two numbers a
  frame (about a millisecond) as the track is written (spool.py): its K-weighted energy and
  its true peak. `plan` solves from them alone for the one gain that, followed by a
  look-ahead limiter that turns down the peaks alone, lands the track on the target;
  `levelled` then reads the track back a block at a time, gained and limited. The target is
  for the file as heard: a track played on both channels of a stereo file measures 3 dB
  louder than the same track in a mono file (`per_channel`). publish picks the target and
  the ceiling's margin for its encoder, and measures what it wrote.
- `levelled_all`, `at_loudness`, `limited`: the same held whole in memory, for tests and
  benchmarks (track.py levels and measures a whole Track with them).
- `default_loudness`: the target for a channel layout, AES TD1004's (-19 LUFS mono, -16 stereo).
- `true_peak_db`, `file_true_peak`: the pieces, for publish, tests and benchmarks.
- `measure`: a written file as ffmpeg's ebur128 filter hears it, independent of our own code:
  what tests and benchmarks check the MP3 with.

Everything here is vectorised numpy and linear in the length of the track, and its memory is
bounded by the block (30 s) plus the per-frame figures (8 bytes a millisecond: 100 MB for
three hours, which the spool's Meter keeps on disk but for half a MB): it must cost a small
fraction of synthesis. numpy alone, on purpose: scipy's
signal module (and pyloudnorm, which imports it) takes a second to import, a sixth of the
time Piper needs to speak a whole article. Tests hold the meter to pyloudnorm's.
"""

from __future__ import annotations

import functools
import math
import os
import re
import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import imageio_ffmpeg
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

# AES TD1004's recommendation for streamed and downloaded speech: -16 LUFS integrated for
# stereo, -19 for mono. A mono file plays the same sound in both ears, which a listener hears
# about 3 dB louder than the meter, summing one channel, reads it: -19 mono sounds as loud as
# -16 stereo. It also leaves the voice's peaks (about 21 dB over its loudness for Piper) room
# under the ceiling: at -16 mono the limiter takes several dB off every stressed syllable.
MONO_LUFS = -19.0
STEREO_LUFS = -16.0
TRUE_PEAK_DBTP = -1.0
BLOCK_SECONDS = 0.4  # BS.1770's gating block: shorter sounds cannot be gated
OVERSAMPLING = 4  # BS.1770-4's true-peak meter: peaks between samples, at 4x the rate
# The limiter keeps its gain down this long either side of a peak: longer than the pitch
# period of a voice (5-10 ms), so it follows syllables rather than chopping every cycle of
# the waveform, which would be heard as distortion. Slower releases (40 to 300 ms) scored
# lower on Piper's voice at -16 LUFS mono (bench/quality.py): held down longer, the limiter
# takes more loudness, which the gain must then make up on every peak. At -19 LUFS mono under
# -1.5 dBTP, nine in ten voiced 10 ms stretches lose at most 0.25 dB, about 7 % over 0.5 dB.
HOLD_SECONDS = 0.015
_FRAME_SECONDS = 0.001  # the limiter's time step: its gain is worked out per millisecond
_STEP_SECONDS = 0.1  # BS.1770's blocks start every 100 ms
_SILENT_LUFS = -70.0  # BS.1770's absolute gate: anything quieter is no programme at all
# Normalising solves for the gain that lands on the target once limited: to within this, in
# at most so many steps, and never asking the limiter for more than MAX_MAKEUP_DB of gain on
# top of what the plain gain gives (past that it would be squashing the voice).
_LOUDNESS_TOLERANCE = 0.02
_MAX_STEPS = 8
MAX_MAKEUP_DB = 10.0
_BATCH_FRAMES = 4096


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS
    loudness_range: float  # LU
    true_peak: float  # dBTP


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """LUFS of float samples in [-1, 1] by ITU-R BS.1770-4; -inf for digital silence.

    The K-weighting filters as pyloudnorm designs them, and the gating (400 ms blocks every
    100 ms, absolute and relative gates) in whole arrays: the same reading as pyloudnorm's
    meter (the tests hold it to that). Sounds shorter than one block ("Yes.", a clause of
    gTTS) get the mean square of the same K-weighted signal, ungated, which reads the same
    for a steady sound.
    """
    frame = _frame(rate)
    return _gated_loudness(_frame_power(samples, rate, frame), rate, frame, len(samples))


def loudness_of_each(sounds: Sequence[np.ndarray], rate: int) -> list[float]:
    """`integrated_loudness` of each of the sounds, filtered in one pass: they are laid end
    to end with enough silence between them for the filter to forget each before the next."""
    frame = _frame(rate)
    gap = -(-round(_K_FORGETS_SECONDS * rate) // frame) * frame
    spans, parts, at = [], [], 0
    for sound in sounds:
        room = -(-len(sound) // frame) * frame + gap  # each sound starts on a frame
        spans.append((at // frame, (at + len(sound) + frame - 1) // frame, len(sound)))
        parts += [np.asarray(sound, dtype=np.float64), np.zeros(room - len(sound))]
        at += room
    power = _frame_power(np.concatenate(parts) if parts else np.zeros(0), rate, frame)
    return [_gated_loudness(power[a:b], rate, frame, length) for a, b, length in spans]


def true_peak_db(samples: np.ndarray, rate: int) -> float:
    """dBTP: the highest peak of float samples oversampled 4x, as BS.1770-4 measures it."""
    if not len(samples):
        return -math.inf
    peak = float(_FramePeaks(np.asarray(samples), _frame(rate)).at_least(0.0).max())
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def file_true_peak(path: Path, channels: int, floor_db: float = -math.inf) -> float:
    """dBTP of an audio file (the highest of its `channels` channels), decoded by ffmpeg.

    Decoded to floats, which a lossy file can take over full scale, and read a block at a
    time, so memory stays flat in the file's length. Only what could pass `floor_db` is
    interpolated: a file whose true peak is under it may read lower than it is.
    """
    with PeakDecoder(None, channels, floor_db, path) as decoder:
        return decoder.result()


class PeakDecoder:
    """`file_true_peak` of an MP3 while it is being written: ffmpeg decodes what it reads from
    `source` (the reading end of a pipe the encoder writes into; None: the file `path`), and
    a thread measures the samples as they come, so that the check takes no time after the
    encode. `result` waits for the end; leaving the `with` stops the decoder if need be."""

    def __init__(self, source, channels: int, floor_db: float, path: Path | None = None):
        what = ["-f", "mp3", "-i", "pipe:0"] if path is None else ["-i", str(path)]
        command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", *what,
                   "-f", "f32le", "-ac", str(channels), "pipe:1"]  # fmt: skip
        self.name = "the MP3 written" if path is None else str(path)
        self.process = subprocess.Popen(command, stdin=source or subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        self._measured: list = []  # the peak (linear), or what measuring it raised
        self._thread = threading.Thread(target=self._measure, args=(channels, _linear(floor_db)),
                                        name="audiogen-peak", daemon=True)  # fmt: skip
        self._thread.start()

    def _measure(self, channels: int, floor: float) -> None:
        try:
            self._measured.append(_streamed_peak(self.process.stdout, channels, floor))
        except BaseException as error:  # raised by `result`, in the caller's thread
            self._measured.append(error)
        finally:
            # Read to the end whatever happened: a decoder left blocked on a full pipe would
            # block the encoder that feeds it.
            while self.process.stdout.read(1 << 16):
                pass

    def result(self) -> float:
        """The dBTP, once the decoder has read everything; ValueError if it could not."""
        self._thread.join()
        failure = self.process.stderr.read().decode(errors="replace").strip()
        if self.process.wait() != 0:
            raise ValueError(f"ffmpeg cannot decode {self.name}: {failure[-300:]}")
        if isinstance(self._measured[0], BaseException):
            raise self._measured[0]
        peak = self._measured[0]
        return 20 * math.log10(peak) if peak > 0 else -math.inf

    def __enter__(self) -> PeakDecoder:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process.poll() is None and exc_info[0] is not None:
            self.process.kill()
        self._thread.join()
        self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()


# file_true_peak's blocks (per channel) and frames: the interpolator reads 5 samples before a
# frame and 7 after it, so each block keeps the last frames of the one before as context.
_DECODE_SAMPLES = 1 << 16
_DECODE_FRAME = 64


def _streamed_peak(stream, channels: int, floor: float) -> float:
    """The highest true peak (linear) of interleaved float32 samples read from `stream`.

    Each block is measured frame by frame, leaving out its first frame when that is the
    context carried over from the block before, and its last two, whose interpolation
    would read past the block: they are measured in the next one, after the carried frame.
    """
    frame, peak = _DECODE_FRAME, 0.0
    carried = np.zeros((0, channels), dtype=np.float32)
    while True:
        data = stream.read(_DECODE_SAMPLES * channels * 4)  # whole blocks until the end
        last = len(data) < _DECODE_SAMPLES * channels * 4
        block = np.frombuffer(data[: len(data) // (4 * channels) * 4 * channels], "<f4")
        samples = np.concatenate([carried, block.reshape(-1, channels)])
        first = 1 if len(carried) else 0
        end = -(-len(samples) // frame) if last else len(samples) // frame - 2
        for channel in samples.T:
            frames = _FramePeaks(channel, frame).at_least(floor)[first:end]
            peak = max(peak, float(frames.max(initial=0.0)))
        if last:
            return peak
        carried = samples[(end - 1) * frame :]


def default_loudness(channels: int) -> float:
    """AES TD1004's integrated loudness for a file of so many channels (see MONO_LUFS)."""
    return MONO_LUFS if channels == 1 else STEREO_LUFS


def levelled_all(read: Reader, frames: Frames, target_lufs: float, true_peak_dbtp: float):
    """All that `read` gives (measured as `frames`), in one array of floats, at
    `target_lufs` with every true peak at most `true_peak_dbtp`: `plan` and `levelled` held
    whole in memory (track.levelled_samples, for tests and benchmarks). Silence is returned
    as it is."""
    levelling = plan(frames, target_lufs, _linear(true_peak_dbtp))
    return _joined(levelled(read, frames, levelling))


def per_channel(target_lufs: float, channels: int) -> float:
    """The loudness each of `channels` channels playing one track carries for the file to
    measure `target_lufs`: BS.1770 adds up the channels' energies."""
    return target_lufs - 10 * math.log10(channels)


def at_loudness(samples: np.ndarray, rate: int, target_lufs: float, ceiling: float) -> np.ndarray:
    """Float samples at `target_lufs` (see normalize), every true peak at most `ceiling`
    (linear): the streamed computation over an array held whole."""
    read = array_reader(samples)
    frames = Meter(rate).frames(read, len(samples))
    levelling = plan(frames, target_lufs, ceiling)
    return samples if levelling is None else _joined(levelled(read, frames, levelling))


def limited(samples: np.ndarray, rate: int, ceiling: float) -> np.ndarray:
    """The samples with every true peak at most `ceiling` (linear), the rest untouched."""
    read = array_reader(samples)
    frames = Meter(rate).frames(read, len(samples))
    return _joined(levelled(read, frames, Levelling(1.0, ceiling)))


# --- the streamed track: measured per frame as it is made, levelled block by block ---------
#
# A whole track's samples are never needed at once. While the track is made (a spool on
# disk, see spool.py), a Meter keeps two numbers a frame (about a millisecond): the frame's
# K-weighted energy and its true peak, 8 bytes where the audio has a hundred or more. From
# them alone `plan` solves the episode's gain; `levelled` then reads the track a block at a
# time through the limiter. Both give what one pass over the whole array gives (the
# limiter's and the meter's windows are a few tens of milliseconds, and every block is
# read with that much of its neighbours).

Reader = Callable[[int, int], np.ndarray]  # samples [start, stop) as floats, zeros outside
_METER_STEPS = 10  # the meter measures a second (ten of BS.1770's 100 ms steps) at a time
_BLOCK_STEPS = 300  # the limiter and the encoder take 30 seconds at a time


class Paged:
    """A float32 array made a piece at a time in pages of 65,536 values (256 KB), never
    copied whole: a slice joins only the pages it spans. With a `file` (an open temporary
    file), every page but the one being filled is written there and read back with pread
    when sliced: a three-hour track's frames are 100 MB, which would otherwise stay resident
    beside the neural voice for the whole conversion (the system's page cache holds them
    instead, and may drop them). Several Paged may share one file."""

    # Small, as the page being filled stays in memory (on disk, the others are read back a
    # block of the limiter's at a time: 30,000 values, a page or two).
    PAGE = 1 << 16

    def __init__(self, file: BinaryIO | None = None):
        self._file = file
        self._pages: list[np.ndarray | int] = []  # in memory, or where in the file
        self._length = 0

    def append(self, values: np.ndarray) -> None:
        while len(values):
            used = self._length % self.PAGE
            if used == 0:
                self._pages.append(np.empty(self.PAGE, dtype=np.float32))
            take = min(self.PAGE - used, len(values))
            self._pages[-1][used : used + take] = values[:take]
            self._length += take
            values = values[take:]
            if take and self._length % self.PAGE == 0:
                self._put_away()

    def _put_away(self) -> None:
        """The last page, now full, into the file (if there is one)."""
        if self._file is None:
            return
        fd = self._file.fileno()
        offset = os.lseek(fd, 0, os.SEEK_END)
        data = memoryview(self._pages[-1].tobytes())
        while data:
            data = data[os.pwrite(fd, data, offset + self.PAGE * 4 - len(data)) :]
        self._pages[-1] = offset

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, key: slice) -> np.ndarray:
        start, stop, _ = key.indices(self._length)
        parts = [
            self._page(index, max(start - index * self.PAGE, 0), stop - index * self.PAGE)
            for index in range(start // self.PAGE, -(-stop // self.PAGE))
        ]
        if len(parts) == 1:
            return parts[0]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)

    def _page(self, index: int, start: int, stop: int) -> np.ndarray:
        """Values `start` to `stop` of page `index` (read-only when read from the file)."""
        page = self._pages[index]
        if isinstance(page, np.ndarray):
            return page[start:stop]
        stop = min(stop, self.PAGE)
        data = os.pread(self._file.fileno(), 4 * (stop - start), page + 4 * start)
        return np.frombuffer(data, dtype=np.float32)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return np.asarray(self[:], dtype=dtype)


@dataclass(frozen=True)
class Frames:
    """Per frame of a track (`_frame` samples): its K-weighted energy and its true peak."""

    power: Paged
    peaks: Paged  # linear
    length: int  # samples in the track
    rate: int


@dataclass(frozen=True)
class Levelling:
    """What `levelled` does to a track: times `gain`, then the limiter's per-frame gains
    that keep every true peak at most `ceiling` (both linear)."""

    gain: float
    ceiling: float


def array_reader(samples: np.ndarray) -> Reader:
    """A Reader of float samples held in memory."""

    def read(start: int, stop: int) -> np.ndarray:
        out = np.zeros(stop - start)
        first, last = max(start, 0), min(stop, len(samples))
        if first < last:
            out[first - start : last - start] = samples[first:last]
        return out

    return read


class Meter:
    """A track's Frames, measured a second at a time as the track grows: `update` measures
    what `read` can give of the first `available` samples, `frames` the rest and all. With
    a `file`, the figures are kept there but for their last pages (Paged)."""

    def __init__(self, rate: int, file: BinaryIO | None = None):
        self.rate = rate
        self.frame = _frame(rate)
        self.hop = round(_STEP_SECONDS * rate) * _METER_STEPS  # whole frames
        # The K-weighting by FFT blocks, as _k_weighted does, each with the filter's memory
        # of the samples before it; the interpolator reads a few samples past a frame.
        self.overlap = round(_K_MEMORY_SECONDS * rate)
        self.measured = 0
        self._power, self._peaks = Paged(file), Paged(file)

    def update(self, read: Reader, available: int) -> None:
        while available - self.measured >= self.hop + _TAPS_PER_PHASE:
            self._measure(read, self.hop)

    def frames(self, read: Reader, length: int) -> Frames:
        """The Frames of the whole track, `length` samples long: nothing may be added."""
        self.update(read, length)
        while self.measured < length:
            self._measure(read, min(self.hop, length - self.measured))
        return Frames(self._power, self._peaks, length, self.rate)

    def _measure(self, read: Reader, length: int) -> None:
        start, frame, size = self.measured, self.frame, self.hop + self.overlap
        window = read(start - self.overlap, start + self.hop).astype(np.float32)
        weighted = np.fft.irfft(np.fft.rfft(window) * _k_response(self.rate, size), size)
        energy = np.square(weighted[self.overlap : self.overlap + length], dtype=np.float64)
        self._power.append(_per_frame(energy, frame, np.add))
        count = -(-length // frame)
        padded = read(start - _BEFORE, start + count * frame + _TAPS_PER_PHASE)
        padded = padded.astype(np.float32)
        peaks = _per_frame(np.abs(padded[_BEFORE : _BEFORE + length]), frame, np.maximum)
        between = _interpolated_peaks(padded, np.arange(count), frame)
        self._peaks.append(np.maximum(peaks, between))
        self.measured += length


def plan(frames: Frames, target_lufs: float, ceiling: float) -> Levelling | None:
    """The gain that brings the track to `target_lufs` once limited under `ceiling`
    (linear); None for a track with nothing to bring up (gain would only raise noise).

    Pass one is the measure; pass two a gain, then the limiter on the peaks it pushed over
    the ceiling. Limiting takes loudness off too (several LU on Piper's voice, whose peaks
    stand 22 dB over its loudness), so the gain is solved for: the loudness of the limited
    result is worked out from the per-frame energies, cheap to ask again and again.
    """
    measured = _limited_loudness(frames, Levelling(1.0, math.inf))  # no gain, no limiting
    if measured < _SILENT_LUFS:
        return None

    def result(gain_db: float) -> float:
        return _limited_loudness(frames, Levelling(_linear(gain_db), ceiling))

    plain = target_lufs - measured  # the gain that would do, were nothing limited
    gain_db, previous = plain, None
    loudness = result(gain_db)
    for _ in range(_MAX_STEPS):
        if abs(loudness - target_lufs) <= _LOUDNESS_TOLERANCE:
            break
        # Secant steps: the loudness grows with the gain, ever more slowly as more is
        # limited; the first step assumes it grows dB for dB.
        slope = 1.0 if previous is None else (loudness - previous[1]) / (gain_db - previous[0])
        if slope < 0.01:
            break  # the limiter takes nearly all of any more gain
        following = min(gain_db + (target_lufs - loudness) / slope, plain + MAX_MAKEUP_DB)
        if following == gain_db:
            break  # as much as the limiter may be asked to take
        previous = (gain_db, loudness)
        gain_db = following
        loudness = result(gain_db)
    return Levelling(_linear(gain_db), ceiling)


def levelled(read: Reader, frames: Frames, levelling: Levelling | None) -> Iterator[np.ndarray]:
    """The track `read` gives (measured as `frames`), levelled, a block of float samples at
    a time; as it is when `levelling` is None."""
    blocks = _blocks(len(frames.peaks), _block_frames(frames.rate))
    if levelling is None:
        frame = _frame(frames.rate)
        for start, stop in blocks:
            yield read(start * frame, min(stop * frame, frames.length))
        return
    trim = _overshoot(read, frames, levelling)
    for start, stop in blocks:
        out = _gained(read, frames, levelling, start, stop)
        yield out / trim if trim > 1.0 else out


def _limited_loudness(frames: Frames, levelling: Levelling) -> float:
    """Integrated loudness of the track levelled so, from its per-frame energies."""
    frame = _frame(frames.rate)
    step = round(_STEP_SECONDS * frames.rate) // frame
    sums, total = [], 0.0
    for start, stop in _blocks(len(frames.power), _block_frames(frames.rate)):
        gains = _frame_gains(frames, levelling, start, stop)
        power = frames.power[start:stop] * np.square(gains)
        sums.append(_step_sums(power, step))  # blocks are whole steps, but for the last
        total += float(power.sum())
    steps = np.concatenate(sums) if sums else np.zeros(0)
    return _gated(steps, total, frames.rate, frame, frames.length)


def _frame_gains(frames: Frames, levelling: Levelling, start: int, stop: int) -> np.ndarray:
    """The gain of each frame from `start` to `stop`: the levelling's gain times the
    limiter's, worked out with as many frames either side as the limiter looks at."""
    hold = _hold(frames.rate, _frame(frames.rate))
    first, last = max(start - 2 * hold, 0), min(stop + 2 * hold, len(frames.peaks))
    # In float64: the limiter's moving mean adds up thousands of gains.
    overs = frames.peaks[first:last].astype(np.float64) * (levelling.gain / levelling.ceiling)
    limiter = _limiter_gains(overs, hold)
    return levelling.gain * limiter[start - first : stop - first]


def _gained(read: Reader, frames: Frames, levelling: Levelling, start: int, stop: int):
    """The samples of frames `start` to `stop` times their gains, one gain a sample: a
    straight line from each frame's gain to the next's, so a frame's samples get gains
    between its own and its successor's (the last frame keeps its own)."""
    count, frame = len(frames.peaks), _frame(frames.rate)
    start, stop = max(start, 0), min(stop, count)
    gains = _frame_gains(frames, levelling, start, min(stop + 1, count))
    following = gains[1:] if stop < count else np.append(gains[1:], gains[-1])
    gains = gains[: stop - start]
    lines = gains[:, None] + (following - gains)[:, None] * (np.arange(frame) / frame)
    samples = read(start * frame, min(stop * frame, frames.length))
    out = lines.reshape(-1)[: len(samples)]
    return np.multiply(out, samples, out=out)


def _overshoot(read: Reader, frames: Frames, levelling: Levelling) -> float:
    """How far over the ceiling the limiter's output peaks (a ratio; at most 1 when not):
    `levelled` divides the track by it.

    The gain changes a little within the interpolator's span, so a peak can come out a hair
    over (hundredths of a dB). Only frames where that is possible are interpolated: a value
    between samples is at most the largest gain in reach times the input's true peak, plus
    what the gain's change in reach can add.
    """
    frame, count = _frame(frames.rate), len(frames.peaks)
    reach, before = _reach(frame), -(-_BEFORE // frame)
    over = 0.0
    for start, stop in _blocks(count, _block_frames(frames.rate)):
        first, last = max(start - reach, 0), min(stop + reach + 1, count)
        gains = _frame_gains(frames, levelling, first, last)
        most = _moving(np.maximum, gains, reach, reach + 1)
        change = most - _moving(np.minimum, gains, reach, reach + 1)
        nearby = _moving(np.maximum, frames.peaks[first:last], reach, reach) * _MAX_GAIN
        bound = (most * frames.peaks[first:last] + change * nearby)[start - first : stop - first]
        todo = np.flatnonzero(bound > levelling.ceiling)
        if not todo.size:
            continue
        # padded[j] is sample start * frame - _BEFORE + j: what frame f (counted from
        # `start`) reads at its i-th tap is padded[f * frame + i]. out[k] is sample
        # around * frame + k.
        padded = np.zeros(_BEFORE + (stop - start + 1) * frame + _TAPS_PER_PHASE, np.float32)
        around = max(start - before, 0)
        out = _gained(read, frames, levelling, around, stop + reach + 1)
        shift = (start - around) * frame - _BEFORE  # padded[j] is out[j + shift]
        first_j, last_j = max(-shift, 0), min(len(padded), len(out) - shift)
        padded[first_j:last_j] = out[first_j + shift : last_j + shift]
        over = max(over, float(_interpolated_peaks(padded, todo, frame).max()))
    return over / levelling.ceiling


def _block_frames(rate: int) -> int:
    """Frames in a block of `_BLOCK_STEPS` whole 100 ms steps."""
    return round(_STEP_SECONDS * rate) // _frame(rate) * _BLOCK_STEPS


def _blocks(count: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def _joined(blocks: Iterator[np.ndarray]) -> np.ndarray:
    parts = list(blocks)
    return np.concatenate(parts) if parts else np.zeros(0)


def _limiter_gains(overs: np.ndarray, hold: int) -> np.ndarray:
    """Per frame, the gain of a look-ahead limiter for frames whose true peaks are `overs`
    times the ceiling.

    The gain each frame needs is held for `hold` frames either side and smoothed with a moving
    average narrower than the hold, so it is already down when a peak arrives and comes back
    up over a few tens of milliseconds. Each frame's gain is then a mean of minima that all
    cover it and its two neighbours: at or under what those frames need, never overshooting.
    """
    needed = 1.0 / np.maximum(overs, 1.0)
    if needed.min(initial=1.0) >= 1.0:
        return needed
    return _moving_mean(_moving(np.minimum, needed, hold, hold), hold - 1)


def _hold(rate: int, frame: int) -> int:
    return max(round(HOLD_SECONDS * rate / frame), 2)


def _frame_power(samples: np.ndarray, rate: int, frame: int) -> np.ndarray:
    """The K-weighted energy of each frame: what BS.1770's blocks add up."""
    return _per_frame(np.square(_k_weighted(samples, rate), dtype=np.float64), frame, np.add)


def _gated_loudness(power: np.ndarray, rate: int, frame: int, length: int) -> float:
    """BS.1770's gated loudness from per-frame K-weighted energies of `length` samples."""
    step = round(_STEP_SECONDS * rate) // frame  # frames per 100 ms
    return _gated(_step_sums(power, step), float(power.sum(dtype=np.float64)), rate, frame, length)


def _step_sums(power: np.ndarray, step: int) -> np.ndarray:
    """The energy of each whole 100 ms step of `step` frames (a last part step is left out)."""
    whole = len(power) // step * step
    return power[:whole].reshape(-1, step).sum(axis=1, dtype=np.float64)


def _gated(steps: np.ndarray, total: float, rate: int, frame: int, length: int) -> float:
    """BS.1770's gated loudness from the energies of each 100 ms step, and of all `length`
    samples (`total`): 400 ms blocks every 100 ms, an absolute gate at -70 LUFS and a
    relative one 10 LU under the blocks that pass it. Under one block: the mean square of
    it all, if over -70 LUFS."""
    step = round(_STEP_SECONDS * rate) // frame
    per_block = round(BLOCK_SECONDS / _STEP_SECONDS)
    if len(steps) < per_block:
        level = _lufs(total / length if length else 0.0)
        return level if level > _SILENT_LUFS else -math.inf  # the absolute gate still holds
    blocks = np.convolve(steps, np.ones(per_block), mode="valid") / (per_block * step * frame)
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(blocks)
    audible = levels > _SILENT_LUFS
    if not audible.any():
        return -math.inf
    relative = _lufs(blocks[audible].mean()) - 10
    return _lufs(blocks[audible & (levels > relative)].mean())


def _lufs(mean_square: float) -> float:
    return -0.691 + 10 * math.log10(mean_square) if mean_square > 0 else -math.inf


def measure(path: Path) -> Loudness:
    """Integrated loudness, loudness range and true peak of an audio file, by ffmpeg's
    ebur128 filter: a meter that shares no code with ours."""
    result = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path),
         "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
        capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0 or "Summary:" not in result.stderr:
        raise ValueError(f"ffmpeg cannot measure {path}: {result.stderr.strip()[-300:]}")
    summary = result.stderr.rsplit("Summary:", 1)[1]
    return Loudness(
        integrated=_summary_value(summary, "I", "LUFS"),
        loudness_range=_summary_value(summary, "LRA", "LU"),
        true_peak=_summary_value(summary, "Peak", "dBFS"),
    )


def _summary_value(summary: str, name: str, unit: str) -> float:
    match = re.search(rf"^\s*{name}:\s*(-?(?:[\d.]+|inf))\s+{unit}\s*$", summary, re.MULTILINE)
    if match is None:
        raise ValueError(f"no {name} in ffmpeg's ebur128 summary: {summary.strip()!r}")
    return float(match.group(1))


def _k_weighted(samples: np.ndarray, rate: int) -> np.ndarray:
    """The samples through BS.1770's K-weighting filter, by FFT blocks (overlap-save): what
    a recursive filter gives to 1e-7 (float32, plenty for a meter read to 0.01 LU), and
    faster than one in numpy."""
    size, overlap, response = _k_weighting(rate, len(samples))
    hop = size - overlap
    count = max(-(-len(samples) // hop), 1)
    padded = np.zeros(overlap + count * hop, dtype=np.float32)  # the filter starts at rest
    padded[overlap : overlap + len(samples)] = samples
    blocks = sliding_window_view(padded, size)[::hop]
    filtered = np.fft.irfft(np.fft.rfft(blocks, axis=1) * response, size, axis=1)
    return filtered[:, overlap:].reshape(-1)[: len(samples)]


# The K-weighting's impulse response (its 38 Hz high-pass rings longest) is under 1e-7 of
# its start after this: the overlap of the FFT blocks, whose wrapped-around part is thrown
# away; and under 1e-9 after the second: silence enough between sounds measured together.
_K_MEMORY_SECONDS = 0.08
_K_FORGETS_SECONDS = 0.1


def _k_weighting(rate: int, length: int) -> tuple[int, int, np.ndarray]:
    """FFT block size, overlap and the filter's response at the block's frequencies."""
    overlap = round(_K_MEMORY_SECONDS * rate)
    # Blocks eight times the overlap waste an eighth; a short sound gets a block its size.
    size = min(_power_of_two(8 * overlap), _power_of_two(length + overlap))
    return size, overlap, _k_response(rate, size)


@functools.cache
def _k_response(rate: int, size: int) -> np.ndarray:
    """BS.1770's two stages as pyloudnorm designs them (RBJ's cookbook biquads): a +4 dB
    shelf above 1.5 kHz for the head, and a high-pass at 38 Hz."""
    delay = np.exp(-2j * np.pi * np.arange(size // 2 + 1) / size)  # z^-1 at each frequency
    response = np.ones(size // 2 + 1, dtype=complex)
    for b, a in (_high_shelf(4.0, 1 / math.sqrt(2), 1500.0, rate), _high_pass(0.5, 38.0, rate)):
        response *= np.polyval(b[::-1], delay) / np.polyval(a[::-1], delay)
    return response.astype(np.complex64)


def _high_shelf(gain_db: float, q: float, corner: float, rate: int) -> tuple[list, list]:
    a, w0 = 10 ** (gain_db / 40), 2 * math.pi * corner / rate
    alpha, cos = math.sin(w0) / (2 * q), math.cos(w0)
    root = 2 * math.sqrt(a) * alpha
    plus, minus = (a + 1) + (a - 1) * cos, (a + 1) - (a - 1) * cos
    b = [a * (plus + root), -2 * a * ((a - 1) + (a + 1) * cos), a * (plus - root)]
    return b, [minus + root, 2 * ((a - 1) - (a + 1) * cos), minus - root]


def _high_pass(q: float, corner: float, rate: int) -> tuple[list, list]:
    w0 = 2 * math.pi * corner / rate
    alpha, cos = math.sin(w0) / (2 * q), math.cos(w0)
    return [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2], [1 + alpha, -2 * cos, 1 - alpha]


def _power_of_two(at_least: int) -> int:
    return 1 << max(at_least - 1, 1).bit_length()


# The 4x interpolator: a windowed sinc cut at the original Nyquist frequency, 12 taps per
# phase like BS.1770-4's. Its phase 0 is the samples themselves; the rows are phases 1-3,
# reversed so that a row times x[n-5 : n+7] is the value at n + phase/4.
_TAPS_PER_PHASE = 12
_HALF = OVERSAMPLING * _TAPS_PER_PHASE // 2
_INTERPOLATOR = np.sinc(np.arange(-_HALF, _HALF + 1) / OVERSAMPLING) * np.kaiser(2 * _HALF + 1, 6.0)
_INTERPOLATOR *= OVERSAMPLING / _INTERPOLATOR.sum()  # passes the signal at unit gain
_PHASES = np.array(
    [_INTERPOLATOR[p::OVERSAMPLING][:_TAPS_PER_PHASE][::-1] for p in range(1, OVERSAMPLING)],
    dtype=np.float32,
)
# No value between samples can exceed the largest nearby sample by more than this factor.
_MAX_GAIN = float(np.abs(_PHASES).sum(axis=1).max())
_BEFORE = _TAPS_PER_PHASE // 2 - 1  # samples before n that the value at n + p/4 reads


class _FramePeaks:
    """The true peak (linear) of each frame of `frame` samples, interpolated 4x only where it
    is asked for: speech spends most of its time well under its peaks, so most frames never
    need it."""

    def __init__(self, samples: np.ndarray, frame: int):
        self.padded = _padded(samples, frame)
        self.frame = frame
        self.peaks = _per_frame(np.abs(samples), frame, np.maximum)
        reach = _reach(frame)
        nearby = _moving(np.maximum, self.peaks, reach, reach)
        self.bound = nearby * _MAX_GAIN  # no value between samples can be higher
        self.exact = np.zeros(len(self.peaks), dtype=bool)

    def at_least(self, floor: float) -> np.ndarray:
        """Per frame: the true peak wherever it could exceed `floor`, elsewhere the sample
        peak (then also under `floor`)."""
        todo = np.flatnonzero((self.bound > floor) & ~self.exact)
        if todo.size:
            found = _interpolated_peaks(self.padded, todo, self.frame)
            self.peaks[todo] = np.maximum(self.peaks[todo], found)
            self.exact[todo] = True
        return self.peaks


def _reach(frame: int) -> int:
    """Frames either side whose samples the interpolator reads for a frame's values: it
    reads 5 samples before and 7 after."""
    return -(-(_TAPS_PER_PHASE - _BEFORE) // frame)


def _interpolated_peaks(padded: np.ndarray, frames: np.ndarray, frame: int) -> np.ndarray:
    """The highest value between samples (at 1/4, 2/4 and 3/4) in each of the frames of the
    samples `_padded` made."""
    peaks = np.empty(len(frames))
    span = np.arange(frame + _TAPS_PER_PHASE - 1)
    for start in range(0, len(frames), _BATCH_FRAMES):  # bounded memory on long tracks
        batch = frames[start : start + _BATCH_FRAMES]
        # One column a frame: the arithmetic below then runs along long rows.
        windows = padded[span[:, None] + batch * frame]
        between = np.zeros((frame, len(batch)), dtype=np.float32)
        for taps in _PHASES:  # 3 phases x 12 taps of whole-array arithmetic
            value = taps[0] * windows[:frame]
            for tap in range(1, _TAPS_PER_PHASE):
                value += taps[tap] * windows[tap : tap + frame]
            np.maximum(between, np.abs(value), out=between)
        peaks[start : start + len(batch)] = between.max(axis=0)
    return peaks


def _padded(samples: np.ndarray, frame: int) -> np.ndarray:
    """The samples as float32, with silence before and after for the interpolator to read:
    padded[f * frame + i] is what a value in frame f reads at its i-th tap."""
    padded = np.zeros(_BEFORE + len(samples) + frame + _TAPS_PER_PHASE, dtype=np.float32)
    padded[_BEFORE : _BEFORE + len(samples)] = samples
    return padded


def _per_frame(values: np.ndarray, frame: int, combine: np.ufunc) -> np.ndarray:
    """`combine` (np.add, np.maximum) over each frame of `frame` values; the last frame may
    be short."""
    whole = len(values) // frame * frame
    combined = combine.reduce(values[:whole].reshape(-1, frame), axis=1)
    if whole < len(values):
        combined = np.append(combined, combine.reduce(values[whole:]))
    return combined.astype(np.float64)


def _moving(ufunc: np.ufunc, values: np.ndarray, before: int, after: int) -> np.ndarray:
    """`ufunc` (np.minimum, np.maximum) over each value and those `before` and `after` it;
    the ends repeat the first and last values. One whole-array step per neighbour: windows
    here are tens of frames wide."""
    padded = np.concatenate([np.repeat(values[:1], before), values, np.repeat(values[-1:], after)])
    out = padded[: len(values)].copy()
    for shift in range(1, before + after + 1):
        ufunc(out, padded[shift : shift + len(values)], out=out)
    return out


def _moving_mean(values: np.ndarray, half: int) -> np.ndarray:
    """The mean of each value and the `half` either side of it; the ends repeat."""
    padded = np.concatenate([np.repeat(values[:1], half + 1), values, np.repeat(values[-1:], half)])
    sums = np.cumsum(padded)
    return (sums[2 * half + 1 :] - sums[: -2 * half - 1]) / (2 * half + 1)


@functools.cache
def _frame(rate: int) -> int:
    """Samples a frame: about a millisecond, and a whole number of them makes the 100 ms
    step of BS.1770's blocks, so frame energies add up to exactly what the meter gates."""
    step = round(_STEP_SECONDS * rate)
    divisors = [d for d in range(1, step + 1) if step % d == 0]
    return min(divisors, key=lambda d: abs(d - rate * _FRAME_SECONDS))


def _linear(db: float) -> float:
    return 10 ** (db / 20)
