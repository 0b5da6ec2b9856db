"""Even levels, loudness normalisation and true peaks, checked on the MP3 we really write with
ffmpeg's own EBU R128 meter (loudness.measure), which shares no code with ours."""

from __future__ import annotations

import os
import subprocess
import sys
import wave
from datetime import datetime
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pyloudnorm
import pytest

import audiogen.loudness as loudness_module
from audiogen.article import Article
from audiogen.assemble import CHUNK_LUFS, MAX_BOOST_DB, assemble
from audiogen.engines import Audio
from audiogen.loudness import (
    MONO_LUFS,
    at_loudness,
    file_true_peak,
    integrated_loudness,
    limited,
    loudness_of_each,
    measure,
    true_peak_db,
)
from audiogen.narration import Script
from audiogen.publish import OutputFormat, publish
from audiogen.track import levelled_samples, segment_loudness
from tests.conftest import DECODE_RATE, SAMPLE, decode_mp3, run_cli
from tests.test_assemble import PAUSES, RATE, samples, segment, tone

ARTICLE = Article(
    headline="Levels even out",
    paragraphs=("One. Two. Three.", "Four. Five."),
    published=datetime(2024, 5, 6),
    language="en",
)
# Headline, three sentences, two sentences: paragraphs 0, 1, 1, 1, 2, 2.
SCRIPT = Script(tuple(segment(p) for p in (0, 1, 1, 1, 2, 2)))
# Peak levels (dBFS) of the six sentences, as uneven as a real engine's and then some.
PEAKS = (0.0, -9.0, -3.0, -15.0, -1.0, -6.0)


def voiced(seconds: float, peak_db: float, harmonics: int = 30, seed: int = 0) -> np.ndarray:
    """Speech-like float samples peaking at `peak_db`: a gliding 120 Hz voice, its harmonics
    falling off as a voice's do (in no fixed phase: the mouth shifts them), under a syllable
    rhythm whose loud syllables stand out as a newsreader's stresses do."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    pitch = 120 + 15 * np.sin(2 * np.pi * (0.5 + 0.1 * seed) * t)
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    k = np.arange(1, harmonics + 1)[:, None]
    offsets = rng.uniform(0, 2 * np.pi, (harmonics, 1))
    sound = (np.cos(k * phase + offsets) / k).sum(axis=0)
    syllables = 0.5 - 0.5 * np.cos(2 * np.pi * (3.5 + 0.3 * seed) * t)
    stress = 1 + 2 * (np.sin(2 * np.pi * (0.7 + 0.1 * seed) * t) > 0.8)
    sound *= syllables**2 * stress
    return sound / np.abs(sound).max() * 10 ** (peak_db / 20)


def sentence(seconds: float, peak_db: float, harmonics: int = 30, seed: int = 0) -> Audio:
    """`voiced` as an engine returns a sentence: 16-bit, with silence either side."""
    silence = np.zeros(int(0.2 * RATE))
    sound = np.concatenate([silence, voiced(seconds, peak_db, harmonics, seed), silence])
    return Audio(np.round(sound * 32767).astype(np.int16), RATE)


def sentences() -> list[list[Audio]]:
    # Different lengths and brightness too: loudness is not the peak level.
    return [
        [sentence(1.2 + 0.3 * index, peak, harmonics=15 + 5 * index, seed=index)]
        for index, peak in enumerate(PEAKS)
    ]


def written(track, folder: Path, output: OutputFormat | None = None) -> Path:
    return publish(track, SCRIPT, ARTICLE, folder, output=output)


def test_every_sentence_is_brought_to_the_same_loudness():
    before = [integrated_loudness(chunk.samples / 32768, RATE) for [chunk] in sentences()]
    track = assemble(SCRIPT, sentences(), PAUSES)
    after = segment_loudness(track)
    assert max(before) - min(before) > 10
    assert after == pytest.approx([CHUNK_LUFS] * len(after), abs=0.2)


def test_a_short_chunk_is_levelled_too():
    # 0.25 s: shorter than one of BS.1770's 0.4 s blocks, measured by its RMS instead.
    audio = [[sentence(1.5, -2.0)], [sentence(0.25, -20.0)]]
    track = assemble(Script((segment(0), segment(1))), audio, PAUSES)
    assert segment_loudness(track) == pytest.approx([CHUNK_LUFS] * 2, abs=0.5)


def test_a_near_silent_chunk_is_raised_no_more_than_the_cap():
    hush = sentence(1.0, -40.0)
    quiet = integrated_loudness(hush.samples / 32768, RATE)
    track = assemble(Script((segment(0), segment(1))), [[sentence(1.0, 0.0)], [hush]], PAUSES)
    assert segment_loudness(track)[1] == pytest.approx(quiet + MAX_BOOST_DB, abs=0.3)


def test_levelling_never_clips():
    # A click at half scale in a faint hiss: the chunk wants 12 dB more, its click has room
    # for 6 dB.
    hiss = np.random.default_rng(0).normal(0, 10 ** (-40 / 20), RATE)
    hiss[RATE // 2 : RATE // 2 + 20] = 0.5
    chunk = Audio(np.round(hiss * 32767).astype(np.int16), RATE)
    track = assemble(Script((segment(0),)), [[chunk]], PAUSES)
    assert np.abs(samples(track)).max() == pytest.approx(32767 / 32768, abs=1e-4)


@pytest.mark.parametrize("target", [-16.0, -19.0])
def test_the_mp3_meets_its_loudness_and_true_peak(tmp_path, target):
    track = assemble(SCRIPT, sentences(), PAUSES)
    rate = track.rate
    plain_gain = 10 ** ((target - integrated_loudness(samples(track), rate)) / 20)
    # The voice's peaks stand so far over its loudness that a gain alone would pass the
    # ceiling: the limiter has work to do.
    assert true_peak_db(samples(track) * plain_gain, rate) > -1.0 + 2

    normalized = levelled_samples(track, target_lufs=target)
    assert len(normalized) == track.spool.length
    assert integrated_loudness(normalized, rate) == pytest.approx(target, abs=0.05)
    assert true_peak_db(normalized, rate) <= -1.0 + 1e-4
    loudness = measure(written(track, tmp_path, OutputFormat(loudness=target)))
    assert loudness.integrated == pytest.approx(target, abs=0.5)
    assert loudness.true_peak <= -1.0
    assert 0 <= loudness.loudness_range < 10


def test_normalising_an_even_sound_is_a_gain_alone(tmp_path):
    # A steady tone's peaks stay far under the ceiling: every sample is scaled alike.
    audio = [[tone(1.0 + 0.2 * index)] for index in range(len(SCRIPT.segments))]
    track = assemble(SCRIPT, audio, PAUSES)
    before, after = samples(track), levelled_samples(track)
    loud = np.abs(before) > 0.01
    ratios = after[loud] / before[loud]
    assert ratios == pytest.approx(np.median(ratios), rel=0.01)
    assert measure(written(track, tmp_path)).integrated == pytest.approx(MONO_LUFS, abs=0.5)


def test_two_channels_each_carry_the_target_less_3_db():
    track = assemble(SCRIPT, sentences(), PAUSES)
    stereo = levelled_samples(track, -16.0, channels=2)
    assert integrated_loudness(stereo, RATE) == pytest.approx(-19.01, abs=0.05)


def test_silence_is_left_alone():
    silent = Audio(np.zeros(RATE, dtype=np.int16), RATE)
    track = assemble(Script((segment(0),)), [[silent]], PAUSES)
    assert np.array_equal(levelled_samples(track), samples(track))


def test_the_limiter_holds_the_ceiling_and_leaves_quiet_passages_be():
    quiet, loud = voiced(1.0, -20.0), voiced(1.0, 0.0, seed=1)
    gap = np.zeros(RATE)
    sound = np.concatenate([quiet, gap, loud])
    ceiling = 10 ** (-6 / 20)
    out = limited(sound, RATE, ceiling)
    assert true_peak_db(out, RATE) <= -6.0 + 1e-4
    # A second from the nearest peak over the ceiling: as it was (but for a last trim that
    # makes the ceiling exact, hundredths of a dB at most).
    assert out[: len(quiet)] == pytest.approx(quiet, rel=0.002, abs=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_the_limiter_never_lets_a_peak_through(seed):
    # Bursts of white noise: the hardest case, with most of their peaks between samples.
    rng = np.random.default_rng(seed)
    bursts = [rng.normal(0, rng.uniform(0.05, 0.6), rng.integers(50, 3000)) for _ in range(40)]
    sound = np.concatenate([np.concatenate([b, np.zeros(rng.integers(0, 500))]) for b in bursts])
    out = limited(sound, RATE, 10 ** (-3 / 20))
    assert true_peak_db(sound, RATE) > 0
    assert true_peak_db(out, RATE) <= -3.0 + 1e-4  # to float32's precision


def test_true_peaks_between_samples_are_found():
    # A quarter-rate sine sampled 45 degrees off its crests: every sample 3 dB under the peak.
    n = np.arange(RATE)
    sine = 0.5 * np.sin(np.pi / 2 * n + np.pi / 4)
    taper = np.minimum(1, np.minimum(n, n[::-1]) / 2000)  # no step at either end to ring
    sine *= taper
    assert 20 * np.log10(np.abs(sine).max()) == pytest.approx(-9.03, abs=0.01)
    assert true_peak_db(sine, RATE) == pytest.approx(-6.02, abs=0.1)


@pytest.mark.parametrize("rate", [22050, 44100])
def test_our_meter_reads_as_pyloudnorms(rate):
    rng = np.random.default_rng(1)
    for seconds in (0.5, 1.37, 4.0):
        sound = np.concatenate(
            [voiced(seconds, -6.0, seed=3), np.zeros(rate // 3), voiced(seconds, -20.0, seed=4)]
        )
        sound = np.interp(np.arange(len(sound) * rate // RATE) * RATE / rate,
                          np.arange(len(sound)), sound)  # fmt: skip
        sound += rng.normal(0, 1e-4, len(sound))  # a noise floor for the gates to drop
        reference = pyloudnorm.Meter(rate).integrated_loudness(sound)
        assert integrated_loudness(sound, rate) == pytest.approx(reference, abs=0.05)


def test_sounds_measured_together_read_as_each_alone():
    sounds = [voiced(1.3, -3.0, seed=5), np.zeros(500), voiced(0.2, -12.0), voiced(2.5, -30.0)]
    alone = [integrated_loudness(sound, RATE) for sound in sounds]
    assert loudness_of_each(sounds, RATE) == pytest.approx(alone, abs=1e-6)


def test_our_meter_and_ffmpegs_agree(tmp_path):
    sound = np.concatenate([voiced(2.0, -3.0), np.zeros(RATE // 2), voiced(1.5, -12.0, seed=2)])
    path = tmp_path / "speech.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(np.round(sound * 32767).astype("<i2").tobytes())
    theirs = measure(path)
    assert theirs.integrated == pytest.approx(integrated_loudness(sound, RATE), abs=0.2)
    assert theirs.true_peak == pytest.approx(true_peak_db(sound, RATE), abs=0.2)


def test_levelling_imports_no_scipy():
    # scipy.signal (and pyloudnorm, which imports it) takes about a second to import: a sixth
    # of what it takes Piper to speak the sample. numpy does the work instead.
    code = "import sys, audiogen.assemble, audiogen.loudness; print(sorted(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    assert "scipy.signal" not in loaded.stdout and "pyloudnorm" not in loaded.stdout


def test_measure_names_a_file_it_cannot_read(tmp_path):
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"not audio")
    with pytest.raises(ValueError, match="broken.mp3"):
        measure(broken)


@pytest.fixture(scope="module")
def spoken_sample(chunk_cache):
    """The sample article spoken by the real default voice (from the run's chunk cache when
    another test spoke it first)."""
    from audiogen.cache import CachedEngine, ChunkCache
    from audiogen.pipeline import read_article, script_for
    from audiogen.speak import speak
    from audiogen.voices import find_voice

    voice = find_voice("joe")
    article = read_article(str(SAMPLE))
    script = script_for(article, voice)
    audio = speak(script, CachedEngine(voice, ChunkCache(chunk_cache)))
    return article, script, audio, voice


def test_the_sample_is_even_and_meets_the_target(spoken_sample, tmp_path):
    article, script, audio, voice = spoken_sample
    # How uneven Piper leaves it: every sentence peak-normalised on its own.
    # (A sentence too long for one call is spoken in chunks: measured together.)
    raw = [
        integrated_loudness(
            np.concatenate([c.samples for c in chunks]) / 32768, chunks[0].sample_rate
        )
        for chunks in audio
    ]

    track = assemble(script, audio, voice.pauses)
    path = publish(track, script, article, tmp_path)
    loudness = measure(path)
    assert loudness.integrated == pytest.approx(MONO_LUFS, abs=0.5)
    assert loudness.true_peak <= -1.0

    decoded = decode_mp3(path)
    heard = [
        integrated_loudness(decoded[round(start * DECODE_RATE) : round(end * DECODE_RATE)],
                            DECODE_RATE)
        for start, end in zip(track.starts, track.ends, strict=True)
    ]  # fmt: skip
    spread_before, spread_after = max(raw) - min(raw), max(heard) - min(heard)
    print(f"sentence loudness spread: {spread_before:.2f} LU as spoken, "
          f"{spread_after:.2f} LU in the MP3; {loudness}")  # fmt: skip
    assert spread_after < 2.0
    assert spread_after < spread_before


# --- what a conversion writes, decoded and measured ------------------------------------------


def test_the_default_conversion_is_mono_at_minus_19_lufs(sample_mp3):
    loudness = measure(sample_mp3)  # ffmpeg's meter
    assert loudness.integrated == pytest.approx(-19.0, abs=0.5)
    assert loudness.true_peak <= -1.0
    assert file_true_peak(sample_mp3, 1) <= -1.0  # ours


@pytest.mark.parametrize(
    ("output", "target", "channels"),
    [
        ("channels = 2", -16.0, 2),  # AES TD1004's for stereo
        ('bitrate = "32k"', -19.0, 1),
        ('bitrate = "128k"', -19.0, 1),
        ("loudness = -16", -16.0, 1),  # a profile's own target
        ('loudness = -16\nbitrate = "32k"', -16.0, 1),
    ],
)
def test_a_profiles_conversion_meets_its_target_under_the_ceiling(
    tmp_path, output, target, channels
):
    profile = tmp_path / "profile.toml"
    profile.write_text(f"[output]\n{output}\n", encoding="utf-8")
    result = run_cli("convert", str(SAMPLE), "-o", str(tmp_path / "out"), "--profile", str(profile))
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    loudness = measure(path)
    assert loudness.integrated == pytest.approx(target, abs=0.5)
    assert loudness.true_peak <= -1.0
    assert file_true_peak(path, channels) <= -1.0


def test_stereo_plays_the_voice_on_both_channels_at_full_level(tmp_path):
    profile = tmp_path / "profile.toml"
    profile.write_text("[output]\nchannels = 2\n", encoding="utf-8")
    result = run_cli("convert", str(SAMPLE), "-o", str(tmp_path), "--profile", str(profile))
    assert result.returncode == 0, result.stderr
    left, right = decoded_channels(Path(result.stdout.strip()), 2)
    assert np.abs(left - right).max() < 0.01
    # Each channel at -19, the two at -16: BS.1770 adds up the channels' energies.
    assert integrated_loudness(left, DECODE_RATE) == pytest.approx(-19.0, abs=0.5)


def decoded_channels(path: Path, channels: int) -> np.ndarray:
    """Each channel of the file, decoded by ffmpeg at DECODE_RATE."""
    result = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path),
         "-f", "f32le", "-ar", str(DECODE_RATE), "pipe:1"],
        capture_output=True, check=True,
    )  # fmt: skip
    return np.frombuffer(result.stdout, dtype=np.float32).reshape(-1, channels).T


def wav(path: Path, *channels: np.ndarray) -> list[np.ndarray]:
    """The channels written as 16-bit WAV; what a decoder reads back from it."""
    pcm = np.round(np.stack(channels, axis=1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(len(channels))
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm.tobytes())
    return list(pcm.T / 32768)


@pytest.mark.parametrize("at", [1 << 16, 2 << 16])
def test_the_file_meter_reads_across_its_blocks_as_the_array_meter(tmp_path, at):
    # Longer than two of its blocks, the loudest peak where one block ends and the next
    # begins, between two samples: the context carried between blocks must be right.
    rng = np.random.default_rng(7)
    speech = np.concatenate([voiced(2.0, -12.0, seed=seed) for seed in range(3)])
    speech += rng.normal(0, 0.01, len(speech))
    loud = 0.5 * speech[::-1]
    loud[at - 3 : at + 3] = [0.3, -0.6, 0.9, 0.9, -0.6, 0.3]
    decoded = wav(tmp_path / "two.wav", speech, loud)
    expected = true_peak_db(decoded[1], RATE)
    assert expected > 20 * np.log10(0.9) + 1  # the peak lies between samples
    assert file_true_peak(tmp_path / "two.wav", 2) == pytest.approx(expected, abs=1e-4)
    assert file_true_peak(tmp_path / "two.wav", 2, floor_db=-3.0) == pytest.approx(
        expected, abs=1e-4
    )
    decoded = wav(tmp_path / "one.wav", loud)
    assert file_true_peak(tmp_path / "one.wav", 1) == pytest.approx(expected, abs=1e-4)


# --- the streamed track: measured as it is written, levelled a block at a time ---------------


def test_the_spools_meter_reads_as_the_whole_track_does():
    # The spool measures a second at a time as chunks arrive; the whole-array code (the
    # K-weighting in one pass, every frame's true peak) must read the same.
    track = assemble(SCRIPT, sentences(), PAUSES)
    whole, frames = samples(track), track.spool.frames()
    frame = loudness_module._frame(RATE)
    power = loudness_module._frame_power(whole, RATE, frame)
    peaks = loudness_module._FramePeaks(whole, frame).at_least(0.0)
    assert frames.length == len(whole) and len(frames.power) == len(power)
    assert np.asarray(frames.power) == pytest.approx(power, rel=1e-3, abs=1e-9)
    assert np.asarray(frames.peaks) == pytest.approx(peaks, rel=1e-5)


@pytest.mark.parametrize("on_disk", [False, True])
def test_frames_are_kept_in_pages_and_read_across_them(monkeypatch, tmp_path, on_disk):
    monkeypatch.setattr(loudness_module.Paged, "PAGE", 7)
    values = np.arange(40, dtype=np.float32)
    with open(tmp_path / "frames", "w+b") as file:
        paged = loudness_module.Paged(file if on_disk else None)
        other = loudness_module.Paged(file if on_disk else None)  # sharing the file
        for start in range(0, 40, 3):  # pieces that straddle the pages
            paged.append(values[start : start + 3])
            other.append(-values[start : start + 3])
        assert len(paged) == 40 and np.array_equal(np.asarray(paged), values)
        assert np.array_equal(np.asarray(other), -values)
        for start, stop in ((0, 7), (5, 9), (6, 22), (13, 40), (39, 40), (20, 20), (35, 99)):
            assert np.array_equal(paged[start:stop], values[start:stop])
        # On disk: the five full pages of each, the last page (5 values) still in memory.
        on_file = np.fromfile(tmp_path / "frames", dtype=np.float32)
        assert len(on_file) == (2 * 35 if on_disk else 0)
        assert sorted(on_file) == sorted([*values[:35], *-values[:35]][: len(on_file)])


def one_block(monkeypatch, seconds: float) -> None:
    """The streamed code with blocks longer than the track: the whole-track computation."""
    steps = int(seconds * 10) + 2  # BS.1770's steps are 100 ms
    monkeypatch.setattr(loudness_module, "_BLOCK_STEPS", steps)
    monkeypatch.setattr(loudness_module, "_METER_STEPS", steps)


def test_levelling_block_by_block_is_the_whole_track_computation(spoken_sample, monkeypatch):
    # The sample as the real voice reads it, levelled in blocks of 0.7 s (so that the limiter
    # and the last trim work across many joins) and in one block of the whole track.
    _, script, audio, voice = spoken_sample
    monkeypatch.setattr(loudness_module, "_BLOCK_STEPS", 7)
    monkeypatch.setattr(loudness_module, "_METER_STEPS", 3)
    track = assemble(script, audio, voice.pauses)
    streamed = levelled_samples(track)
    one_block(monkeypatch, track.seconds)
    rate = track.rate
    whole = at_loudness(samples(track), rate, MONO_LUFS, 10 ** (-1 / 20))
    assert len(streamed) == len(whole)
    assert integrated_loudness(streamed, rate) == pytest.approx(MONO_LUFS, abs=0.05)
    assert integrated_loudness(streamed, rate) == pytest.approx(
        integrated_loudness(whole, rate), abs=0.01
    )
    assert true_peak_db(streamed, rate) == pytest.approx(true_peak_db(whole, rate), abs=0.01)
    assert np.abs(streamed - whole).max() < 1e-4


def test_the_spool_is_on_the_output_disk_and_leaves_nothing_there(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()

    def chunks():
        yield [sentence(1.0, -3.0)]
        assert list(folder.iterdir()) == []  # it has no name: nothing to clean up, ever
        raise KeyboardInterrupt

    script = Script((segment(0), segment(1)))
    with pytest.raises(KeyboardInterrupt):
        assemble(script, chunks(), PAUSES, folder=folder)
    track = assemble(script, [[sentence(1.0, -3.0)], [sentence(0.5, -6.0)]], PAUSES, folder=folder)
    assert os.fstat(track.spool.file.fileno()).st_dev == folder.stat().st_dev
    assert list(folder.iterdir()) == []
