"""The chunk cache on a real folder: entries written, read back, damaged, raced and pruned.

Engines behind `CachedEngine` are real: `ToneEngine` below is a tiny engine registered the
way a preset names one (it counts how often it is built), and one test runs the Piper voice
"joe" in fresh processes to show that an all-hits run never loads the model.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from audiogen import voices
from audiogen.cache import CachedEngine, ChunkCache, chunk_key
from audiogen.engines import Audio
from audiogen.voices import Voice

KEY = chunk_key("identity", "Hello there.")


def tone(value: int, count: int, rate: int = 22050) -> Audio:
    return Audio(np.full(count, value, dtype=np.int16), rate)


def entry_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


# -- entries --------------------------------------------------------------------------------


def test_round_trip_keeps_every_sample_and_the_rate(tmp_path):
    cache = ChunkCache(tmp_path)
    samples = np.random.default_rng(1).integers(-32768, 32768, 5001).astype(np.int16)
    samples[:2] = (-32768, 32767)
    cache.put(KEY, Audio(samples, 22050))

    audio = ChunkCache(tmp_path).get(KEY)  # another instance: only the files are shared
    assert audio is not None
    assert audio.sample_rate == 22050
    assert audio.samples.dtype == np.int16 and audio.samples.ndim == 1
    np.testing.assert_array_equal(audio.samples, samples)
    audio.samples[0] = 0  # the caller may change what it got; the entry is not affected
    np.testing.assert_array_equal(cache.get(KEY).samples, samples)


def test_empty_audio_is_an_entry_too(tmp_path):
    cache = ChunkCache(tmp_path)
    cache.put(KEY, Audio(np.zeros(0, dtype=np.int16), 24000))
    audio = cache.get(KEY)
    assert audio is not None and len(audio.samples) == 0 and audio.sample_rate == 24000


def test_entries_are_sharded_by_the_keys_first_two_characters(tmp_path):
    ChunkCache(tmp_path).put(KEY, tone(5, 10))
    assert entry_files(tmp_path) == [tmp_path / KEY[:2] / KEY]
    assert (tmp_path / KEY[:2] / KEY).stat().st_size == 16 + 2 * 10


def test_unknown_key_is_a_miss(tmp_path):
    cache = ChunkCache(tmp_path)
    assert cache.get(KEY) is None
    cache.put(KEY, tone(1, 10))
    assert cache.get(chunk_key("identity", "Another sentence.")) is None
    assert ChunkCache(tmp_path / "never-made").get(KEY) is None


@pytest.mark.parametrize("key", ["", "../../etc/passwd", "ABCDEF", "ab/cd", ".abc.1.ff.tmp"])
def test_a_key_is_a_hex_digest_and_nothing_else(tmp_path, key):
    with pytest.raises(ValueError, match="hex digest"):
        ChunkCache(tmp_path).get(key)
    with pytest.raises(ValueError, match="hex digest"):
        ChunkCache(tmp_path).put(key, tone(1, 1))


def damaged(whole: bytes) -> dict[str, bytes]:
    return {
        "empty": b"",
        "short header": whole[:10],
        "cut in the samples": whole[:-3],
        "one sample short": whole[:-2],
        "extra bytes": whole + b"\0\0",
        "garbage": b"this is not an audio entry at all" * 10,
        "other format": b"AGC\x63" + whole[4:],
        "zero rate": whole[:4] + b"\0\0\0\0" + whole[8:],
    }


@pytest.mark.parametrize("damage", list(damaged(b"x" * 40)))
def test_a_damaged_entry_is_a_miss_and_is_removed(tmp_path, damage):
    cache = ChunkCache(tmp_path)
    cache.put(KEY, tone(7, 100))
    path = tmp_path / KEY[:2] / KEY
    path.write_bytes(damaged(path.read_bytes())[damage])

    assert cache.get(KEY) is None
    assert not path.exists()
    cache.put(KEY, tone(7, 100))  # and the next put makes it whole again
    np.testing.assert_array_equal(cache.get(KEY).samples, tone(7, 100).samples)


def test_chunk_key_changes_with_the_identity_and_the_text():
    keys = {
        chunk_key("voice A", "Hello there."),
        chunk_key("voice B", "Hello there."),
        chunk_key("voice A", "Hello there!"),
        chunk_key("voice A", "Hello there. "),
        # The separator keeps identity and text apart: "ab" + "c" is not "a" + "bc".
        chunk_key("voice Ab", "c"),
        chunk_key("voice A", "bc"),
    }
    assert len(keys) == 6
    assert chunk_key("voice A", "Hello there.") == chunk_key("voice A", "Hello there.")
    assert all(len(key) == 64 and int(key, 16) >= 0 for key in keys)


def test_default_folder_is_the_users_cache():
    import platformdirs

    folder = ChunkCache.default_folder()
    assert folder == Path(platformdirs.user_cache_dir("audiogen")) / "chunks"


# -- atomic writes --------------------------------------------------------------------------


def test_put_leaves_no_temporary_file(tmp_path):
    cache = ChunkCache(tmp_path)
    for index in range(20):
        cache.put(chunk_key("identity", f"Sentence {index}."), tone(index, 50 + index))
    cache.put(KEY, tone(1, 10))
    cache.put(KEY, tone(2, 20))  # replacing an entry, too
    files = entry_files(tmp_path)
    assert len(files) == 21
    assert not [path for path in files if path.name.endswith((".tmp", ".part"))]
    np.testing.assert_array_equal(cache.get(KEY).samples, tone(2, 20).samples)


def test_a_killed_writers_temporary_file_is_harmless(tmp_path):
    cache = ChunkCache(tmp_path)
    (tmp_path / KEY[:2]).mkdir()
    leftover = tmp_path / KEY[:2] / f".{KEY}.4242.deadbeef.tmp"
    leftover.write_bytes(b"AGC\x01half an entr")

    assert cache.get(KEY) is None
    cache.put(KEY, tone(3, 30))
    np.testing.assert_array_equal(cache.get(KEY).samples, tone(3, 30).samples)
    assert leftover.exists()  # prune clears it once it is old, see below


def write_forever(folder: str, count: int) -> None:
    """A writer to kill: big entries, so that a kill lands in the middle of one."""
    cache = ChunkCache(Path(folder))
    index = 0
    while True:
        value = index % 4
        cache.put(chunk_key("killed", str(value)), tone(value, count))
        index += 1


def test_kill_9_never_leaves_a_half_entry_under_a_real_key(tmp_path):
    count = 2_000_000  # 4 MB an entry
    context = multiprocessing.get_context("spawn")
    writer = context.Process(target=write_forever, args=(str(tmp_path), count))
    writer.start()
    try:
        deadline = time.monotonic() + 30
        while not any(tmp_path.glob("*/[0-9a-f]*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
    finally:
        writer.kill()  # SIGKILL: no cleanup runs
        writer.join()

    cache = ChunkCache(tmp_path)
    found = 0
    for value in range(4):
        audio = cache.get(chunk_key("killed", str(value)))
        if audio is not None:
            found += 1
            assert len(audio.samples) == count and (audio.samples == value).all()
    assert found >= 1
    for path in tmp_path.glob("*/[0-9a-f]*"):  # every file under a key name is whole
        assert path.stat().st_size == 16 + 2 * count


def hammer(folder: str, writer: int, rounds: int) -> tuple[int, int]:
    """Write and read the same few keys as the other processes; count reads and bad reads.

    Writer w stores for key k the value 100*w + k, repeated 1000 + 100*w + k times, so any
    mix of two writers' bytes shows up as a wrong length or a wrong value.
    """
    cache = ChunkCache(Path(folder))
    reads = bad = 0
    for round_ in range(rounds):
        key_index = (round_ * 7 + writer) % 8
        key = chunk_key("shared", str(key_index))
        value = 100 * writer + key_index
        cache.put(key, tone(value, 1000 + value, rate=16000 + writer))
        for other in range(8):
            audio = cache.get(chunk_key("shared", str(other)))
            if audio is None:
                continue
            reads += 1
            samples = audio.samples
            first = int(samples[0]) if len(samples) else -1
            who = (first - other) // 100
            if (
                first % 100 != other
                or len(samples) != 1000 + first
                or not (samples == first).all()
                or audio.sample_rate != 16000 + who
            ):
                bad += 1
    return reads, bad


def test_processes_sharing_the_cache_never_read_a_broken_entry(tmp_path):
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.starmap(hammer, [(str(tmp_path), writer, 300) for writer in range(4)])
    reads = sum(read for read, _ in results)
    assert reads > 1000
    assert sum(bad for _, bad in results) == 0
    assert not list(tmp_path.rglob("*.tmp")) and not list(tmp_path.rglob("*.part"))
    assert len(entry_files(tmp_path)) == 8


# -- pruning --------------------------------------------------------------------------------


def aged(path: Path, seconds_ago: float) -> None:
    moment = time.time() - seconds_ago
    os.utime(path, (moment, moment))


def test_prune_removes_the_least_recently_used_first(tmp_path):
    cache = ChunkCache(tmp_path)
    keys = [chunk_key("identity", f"Sentence {index}.") for index in range(5)]
    for age, key in zip([500, 400, 300, 200, 100], keys, strict=True):
        cache.put(key, tone(1, 42))  # 16 + 84 = 100 bytes an entry
        aged(tmp_path / key[:2] / key, age)

    assert cache.get(keys[0]) is not None  # the oldest, used just now: the newest now
    assert cache.prune(max_bytes=250) == 300
    assert [cache.get(key) is not None for key in keys] == [True, False, False, False, True]
    assert cache.prune(max_bytes=200) == 0  # already small enough
    assert cache.prune(max_bytes=0) == 200
    assert entry_files(tmp_path) == []


def test_prune_clears_stale_temporary_files_and_nothing_it_did_not_write(tmp_path):
    cache = ChunkCache(tmp_path)
    cache.put(KEY, tone(1, 42))
    shard = tmp_path / KEY[:2]
    stale = shard / f".{KEY}.4242.deadbeef.tmp"
    stale.write_bytes(b"x" * 30)
    aged(stale, 2 * 3600)
    fresh = shard / f".{KEY}.4243.cafebabe.tmp"  # a writer at work right now
    fresh.write_bytes(b"x" * 30)
    foreign = [tmp_path / "notes.txt", shard / "README", tmp_path / "zz" / KEY]
    for path in foreign:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"not ours")
        aged(path, 10 * 3600)

    assert cache.prune(max_bytes=10**9) == 30
    assert not stale.exists() and fresh.exists()
    assert all(path.exists() for path in foreign)
    assert cache.get(KEY) is not None


def test_prune_of_a_cache_never_written_frees_nothing(tmp_path):
    assert ChunkCache(tmp_path / "never-made").prune(0) == 0


# -- CachedEngine ---------------------------------------------------------------------------


class ToneEngine:
    """A small real engine: each character is 10 ms of a tone whose pitch is a setting."""

    max_chunk_chars = 50
    accepts_phonemes = False
    version = 1
    built = 0  # how many were made, across all instances

    def __init__(self, pitch: int = 440):
        type(self).built += 1
        self.pitch = pitch
        self.spoken: list[str] = []

    @classmethod
    def identity(cls, pitch: int = 440) -> str:
        return "tone engine v1"

    def synthesize(self, text: str) -> Audio:
        self.spoken.append(text)
        rate = 16000
        moments = np.arange(len(text) * rate // 100) / rate
        wave = 10000 * np.sin(2 * np.pi * self.pitch * moments)
        return Audio(wave.astype(np.int16), rate)


TONE = Voice(name="tone-test", engine="tone", settings={"pitch": 440})


@pytest.fixture
def tone_voice(monkeypatch) -> Voice:
    """The tone engine, registered as a preset's engine, in a process with no engines yet."""
    monkeypatch.setitem(voices.ENGINES, "tone", f"{__name__}:ToneEngine")
    monkeypatch.setattr(voices, "_engines", {})
    monkeypatch.setattr(ToneEngine, "built", 0)
    return TONE


def test_the_second_time_a_chunk_is_a_hit(tmp_path, tone_voice):
    engine = CachedEngine(tone_voice, ChunkCache(tmp_path))
    assert engine.max_chunk_chars == 50 and engine.accepts_phonemes is False

    first = engine.synthesize("Hello there.")
    again = engine.synthesize("Hello there.")
    other = engine.synthesize("General Kenobi.")

    assert (engine.hits, engine.misses) == (1, 2)
    np.testing.assert_array_equal(first.samples, again.samples)
    assert again.sample_rate == first.sample_rate == 16000
    assert other.seconds == pytest.approx(0.15)
    assert voices._engines["tone-test"].spoken == ["Hello there.", "General Kenobi."]


def test_all_hits_never_build_the_engine(tmp_path, tone_voice):
    texts = ["One.", "Two sentences.", "Three of them."]
    warm = CachedEngine(tone_voice, ChunkCache(tmp_path))
    spoken = [warm.synthesize(text) for text in texts]
    assert ToneEngine.built == 1

    voices._engines.clear()  # as in a new process
    fresh = CachedEngine(tone_voice, ChunkCache(tmp_path))
    replayed = [fresh.synthesize(text) for text in texts]

    assert (fresh.hits, fresh.misses) == (3, 0)
    assert ToneEngine.built == 1 and voices._engines == {}
    for before, after in zip(spoken, replayed, strict=True):
        np.testing.assert_array_equal(before.samples, after.samples)

    fresh.synthesize("A fourth, edited.")  # one new sentence: one synthesis
    assert (fresh.hits, fresh.misses) == (3, 1) and ToneEngine.built == 2


def test_another_setting_is_another_entry(tmp_path, tone_voice):
    cache = ChunkCache(tmp_path)
    CachedEngine(tone_voice, cache).synthesize("Hello.")
    higher = Voice(name="tone-high", engine="tone", settings={"pitch": 880})
    engine = CachedEngine(higher, cache)
    engine.synthesize("Hello.")
    assert (engine.hits, engine.misses) == (0, 1)


def test_without_a_cache_it_forwards_and_builds_lazily(tone_voice):
    engine = CachedEngine(tone_voice, None)
    assert ToneEngine.built == 0
    engine.synthesize("Hello.")
    engine.synthesize("Hello.")
    assert (engine.hits, engine.misses) == (0, 2)
    assert ToneEngine.built == 1 and voices._engines["tone-test"].spoken == ["Hello."] * 2


def test_an_unwritable_cache_warns_once_and_speaks_on(tmp_path, tone_voice, caplog):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should go")
    cache = ChunkCache(blocker / "chunks")
    engine = CachedEngine(tone_voice, cache)

    with caplog.at_level(logging.WARNING, logger="audiogen"):
        spoken = [engine.synthesize(text) for text in ["One.", "Two.", "One.", "Six."]]

    assert [audio.seconds for audio in spoken] == pytest.approx([0.04] * 4)
    assert (engine.hits, engine.misses) == (0, 4)
    warnings = [record for record in caplog.records if record.name == "audiogen"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    message = warnings[0].getMessage()
    assert message.startswith(f"cannot write the chunk cache at {blocker / 'chunks'}: ")
    assert message.endswith("; going on without it")
    assert cache.writable is False


PIPER_RUN = """
import sys
from pathlib import Path

import onnxruntime

from audiogen import voices
from audiogen.cache import CachedEngine, ChunkCache

if sys.argv[2] == "hits-only":
    onnxruntime.InferenceSession = None  # loading the model would fail loudly

engine = CachedEngine(voices.find_voice("joe"), ChunkCache(Path(sys.argv[1])), threads=1)
for text in ["Good evening.", "Here is the news."]:
    audio = engine.synthesize(text)
    print(audio.sample_rate, len(audio.samples), int(abs(audio.samples.astype(int)).sum()))
print(engine.hits, engine.misses, len(voices._engines))
"""


def test_an_unchanged_article_with_piper_never_loads_the_model(tmp_path):
    def run(mode: str) -> list[str]:
        result = subprocess.run(
            [sys.executable, "-c", PIPER_RUN, str(tmp_path), mode],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split("\n")

    first = run("synthesise")
    assert first[-2] == "0 2 1"  # two misses, the engine built
    second = run("hits-only")
    assert second[-2] == "2 0 0"  # two hits, no engine
    assert second[:2] == first[:2]  # the same audio
    rate, count, loudness = (int(word) for word in first[0].split())
    assert rate == 22050 and count > rate // 2 and loudness > 0
