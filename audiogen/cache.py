"""The chunk cache: the audio of every chunk spoken, kept under a hash of the voice and text.

A re-run of an unchanged article speaks nothing, and editing one sentence speaks only that
sentence again. The key (`chunk_key`) is a hash of the voice's identity (engine, settings,
model: see `voices.voice_identity`) and the exact text the engine hears, so anything that
changes the audio changes the key, and entries never need invalidating one by one.

One file an entry, in folder/ab/abcdef...: a 16-byte header (magic, sample rate, sample
count) and the raw int16 little-endian samples. Worker processes share the folder: an entry
is written under a temporary name and renamed into place, so a reader sees a whole entry or
none, and a writer killed midway leaves only a temporary file, which `prune` clears later.
A cache that cannot be written costs speed, never a conversion. (storage.RemoteChunkCache
keeps the same entries in a remote folder.)
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import struct
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from audiogen import voices
from audiogen.engines import Audio
from audiogen.files import write_whole

if TYPE_CHECKING:
    from audiogen.engines import Engine
    from audiogen.voices import Voice

# Bump to retire every entry when the file layout changes: it is the files' magic. (An
# engine's code that changes its audio bumps the engine's own `version`, in its identity.)
CACHE_FORMAT = 1

_MAGIC = b"AGC" + bytes([CACHE_FORMAT])
_HEADER = struct.Struct("<4sIQ")  # magic, sample rate, sample count
_KEY = re.compile(r"[0-9a-f]{3,128}")  # a hex digest; the file name, so nothing else
_SHARD = re.compile(r"[0-9a-f]{2}")  # the key's first two characters
# files.write_whole's temporary names (and the .tmp ones that earlier versions wrote).
_TEMPORARY = re.compile(r"\.[0-9a-f]{3,128}\.\d+(?:\.[0-9a-f]+\.tmp|-[0-9a-f]+\.part)")
_STALE_TEMPORARY = 3600  # seconds: no writer takes this long, so its owner was killed

logger = logging.getLogger("audiogen")


def chunk_key(identity: str, text: str) -> str:
    """The cache key of `text` spoken by the voice with `identity` (`voice_identity`)."""
    made_from = f"{identity}\0{text}".encode("utf-8", errors="surrogatepass")
    return hashlib.sha256(made_from).hexdigest()


class ChunkCache:
    """Audio by key, one file an entry under `folder`; safe to share between processes."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.writable = True  # until a write fails: then the run goes on without caching

    @staticmethod
    def default_folder() -> Path:
        """The user's cache folder for audiogen (~/.cache/audiogen/chunks on Linux)."""
        import platformdirs

        return Path(platformdirs.user_cache_dir("audiogen")) / "chunks"

    def get(self, key: str) -> Audio | None:
        """The stored audio, or None when there is none or the entry is damaged."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        audio = decode_entry(data)
        if audio is None:
            _remove(path)  # damaged (a disk fault, a foreign file): the next put rewrites it
            return None
        _touch(path)  # the mtime is the last use, for prune's least recently used first
        return audio

    def put(self, key: str, audio: Audio) -> None:
        """Store `audio` under `key`; on a cache that cannot be written, warn once, go on."""
        path = self._path(key)
        if not self.writable:
            return
        data = encode_entry(audio)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Under a temporary name of this process's own, so concurrent writers of one key
            # never share a file. No fsync: an entry lost to a power cut reads as a miss.
            write_whole(path, data, sync=False)
        except OSError as error:
            self.writable = False
            logger.warning(
                "cannot write the chunk cache at %s: %s; going on without it",
                self.folder,
                error.strerror or error,
            )

    def prune(self, max_bytes: int) -> int:
        """Delete the least recently used entries until the cache holds at most `max_bytes`,
        and temporary files left by killed writers; the bytes freed."""
        freed = 0
        entries = []  # (last used, size, path)
        stale_before = time.time() - _STALE_TEMPORARY
        for path, stat in self._files():
            if _KEY.fullmatch(path.name):
                entries.append((stat.st_mtime, stat.st_size, path))
            elif stat.st_mtime < stale_before and _remove(path):
                freed += stat.st_size
        held = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if held <= max_bytes:
                break
            if _remove(path):
                held -= size
                freed += size
        return freed

    def _path(self, key: str) -> Path:
        check_key(key)
        return self.folder / key[:2] / key

    def _files(self):
        """(path, stat) of every entry and temporary file; nothing else in the folder."""
        try:
            shards = [entry for entry in os.scandir(self.folder) if _is_shard(entry)]
        except OSError:
            return
        for shard in shards:
            try:
                files = list(os.scandir(shard.path))
            except OSError:
                continue
            for file in files:
                if not (_KEY.fullmatch(file.name) or _TEMPORARY.fullmatch(file.name)):
                    continue
                try:
                    stat = file.stat(follow_symlinks=False)
                except OSError:
                    continue  # removed by another process meanwhile
                yield Path(file.path), stat


class CachedEngine:
    """An Engine that answers from the chunk cache and builds the voice's engine only on the
    first chunk it lacks: an unchanged article never loads the neural model.

    `hits` and `misses` count the chunks served from the cache and the chunks synthesised
    (with no cache, every chunk is a miss). `threads` goes to `voices.open_engine`.
    """

    def __init__(self, voice: Voice, cache: ChunkCache | None, threads: int | None = None):
        self.voice = voice
        self.cache = cache
        self.threads = threads
        engine = voices.engine_class(voice)
        self.max_chunk_chars = engine.max_chunk_chars
        self.accepts_phonemes = getattr(engine, "accepts_phonemes", False)
        # Worked out now, so that a voice that cannot run fails before the first chunk.
        self.identity = voices.voice_identity(voice) if cache is not None else None
        self.hits = 0
        self.misses = 0

    def synthesize(self, text: str) -> Audio:
        if self.cache is None:
            self.misses += 1
            return self._engine().synthesize(text)
        key = chunk_key(self.identity, text)
        audio = self.cache.get(key)
        if audio is not None:
            self.hits += 1
            return audio
        self.misses += 1
        audio = self._engine().synthesize(text)
        self.cache.put(key, audio)
        return audio

    def release(self) -> None:
        """Let the engine, if it spoke, give back the memory it keeps between calls (an
        engine with a `release` method: Piper's runtime), until its next call."""
        release = getattr(self._engine(), "release", None) if self.misses else None
        if release is not None:
            release()

    def _engine(self) -> Engine:
        return voices.open_engine(self.voice, self.threads)  # built on first call, then kept


def check_key(key: str) -> None:
    """A ValueError unless `key` is a hex digest: it names a file, so nothing else."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"a chunk cache key is a hex digest, not {key!r}")


def encode_entry(audio: Audio) -> bytes:
    """An entry's bytes (storage.py writes them to a remote cache too)."""
    samples = audio.samples
    if samples.dtype != np.int16 or samples.ndim != 1:
        raise ValueError(f"audio to cache must be int16 mono, not {samples.dtype} {samples.shape}")
    header = _HEADER.pack(_MAGIC, audio.sample_rate, len(samples))
    return header + samples.astype("<i2", copy=False).tobytes()


def decode_entry(data: bytes) -> Audio | None:
    """The audio in an entry's bytes; None when they are not a whole entry."""
    if len(data) < _HEADER.size:
        return None
    magic, rate, count = _HEADER.unpack_from(data)
    if magic != _MAGIC or rate == 0 or len(data) != _HEADER.size + 2 * count:
        return None
    # A copy: the bytes are read-only, and whoever receives the audio may change it.
    samples = np.frombuffer(data, dtype="<i2", offset=_HEADER.size).astype(np.int16)
    return Audio(samples, rate)


def _is_shard(entry: os.DirEntry) -> bool:
    return _SHARD.fullmatch(entry.name) is not None and entry.is_dir(follow_symlinks=False)


def _touch(path: Path) -> None:
    # Fails on a read-only cache, or when another process has just pruned the entry.
    with contextlib.suppress(OSError):
        os.utime(path)


def _remove(path: Path) -> bool:
    """Whether `path` was deleted; errors (gone already, no permission) are not ours to fix."""
    try:
        os.unlink(path)
    except OSError:
        return False
    return True
