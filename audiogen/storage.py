"""Where a batch's files live: a local folder, or a folder at an fsspec URL (`s3://bucket/audio/`,
`gs://`, `file://`, any fsspec protocol), for workers on other machines than the client's.

- `location(value)`: a Path for a local folder (a plain path, or a `file://` URL), else the
  URL as given (a string: a Path would fold its `//`). fsspec is imported only for a URL, and
  its absence is one AudiogenError saying what to install (`needs`).
- `Remote`: a folder on a filesystem fsspec reaches. A file is written whole or not at all:
  one PUT of its finished bytes (`write`), so a reader finds the old object or the new one.
  Credentials and endpoints come from the environment (`AWS_ENDPOINT_URL`, ...), as fsspec's
  filesystems read them.
- `staged(out)`: one article converted into `out`. The pipeline writes into a local folder as
  always (its spool, temporary names and renames); for a remote `out` that folder is a
  temporary one, into which `mirror` first brings the tags of the article's MP3 as the remote
  folder has it (and empty stand-ins for its sidecars, if there), so the up-to-date check reads
  the remote MP3's fingerprint; `place` then PUTs the finished files, sidecars first and the
  MP3 last (as publish renames them locally), and removes an earlier MP3 it replaced.
- `manifest_folder(out)`: a local folder holding the output's manifest: `out` itself, or for a
  remote `out` a temporary copy, PUT back whole when the batch ends. An object store has no
  locks: two batches into one remote folder at once keep the manifest of the one that ends last.
- `chunk_cache(location)`: the chunk cache in a local folder (cache.ChunkCache) or on a remote
  one (`RemoteChunkCache`). Keys are hashes of what was spoken, so concurrent writers of one
  key write the same bytes, and need no lock.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from audiogen.errors import AudiogenError

INSTALL = "pip install 'audiogen[cluster]'"
# An ID3v2 tag's header: "ID3", version (2 bytes), flags, size (4 bytes of 7 bits each).
_ID3_HEADER = 10
_ID3_FOOTER = 0x10  # the flag that says a 10-byte footer follows the tag

log = logging.getLogger("audiogen")


def is_url(value: object) -> bool:
    """Whether `value` names a folder through fsspec rather than a local path."""
    return isinstance(value, str) and "://" in value and not value.startswith("file://")


def location(value: str | Path) -> str | Path:
    """A local folder as a Path (`file://` URLs included), anything else as its URL."""
    text = str(value)
    if text.startswith("file://"):
        return Path(text.removeprefix("file://"))
    return text.rstrip("/") if is_url(text) else Path(value)


def join(folder: str | Path, name: str) -> str:
    """`name` in `folder`, spelt as the user would: a path, or a URL."""
    return f"{folder}/{name}" if is_url(folder) else str(Path(folder) / name)


def needs(module: str, what: str) -> None:
    """An AudiogenError saying what to install if `module` cannot be imported for `what`."""
    import importlib

    try:
        importlib.import_module(module)
    except ImportError:
        raise AudiogenError(f"{what} needs {module}, which is not installed: {INSTALL}") from None


class Remote:
    """A folder on a filesystem fsspec reaches, named by its URL; see the module's docstring."""

    def __init__(self, url: str):
        needs("fsspec", url)
        from fsspec.core import url_to_fs

        self.url = url.rstrip("/")
        try:
            self.fs, self.root = url_to_fs(self.url)
        except ImportError as error:  # the protocol's library (s3fs, gcsfs) is missing
            raise AudiogenError(f"{self.url}: {_reason(error)} ({INSTALL})") from None
        except ValueError as error:  # a protocol fsspec does not know
            raise AudiogenError(f"{self.url}: {_reason(error)}") from None

    def path(self, name: str) -> str:
        return f"{self.root}/{name}"

    def url_of(self, name: str) -> str:
        return f"{self.url}/{name}"

    def write(self, name: str, data: bytes) -> None:
        """One PUT of the finished bytes: whole or not at all."""
        self._call(name, "cannot write it", self.fs.pipe_file, self.path(name), data)

    def read(self, name: str, start: int | None = None, end: int | None = None) -> bytes | None:
        """The file's bytes (from `start` to `end`), None if it is not there."""
        try:
            return self._call(name, "cannot read it", self.fs.cat_file, self.path(name),
                              start=start, end=end, absent=True)  # fmt: skip
        except FileNotFoundError:
            return None

    def exists(self, name: str) -> bool:
        return self._call(name, "cannot look at it", self.fs.exists, self.path(name))

    def mtime(self, name: str) -> float:
        """When the file was last written (seconds since the epoch); now if the store won't say."""
        try:
            return self.fs.modified(self.path(name)).timestamp()
        except Exception:  # noqa: BLE001  # not every filesystem keeps it: the time is a record
            return time.time()

    def remove(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._call(name, "cannot remove it", self.fs.rm_file, self.path(name), absent=True)

    def check(self) -> None:
        """An AudiogenError, before any work, if files cannot be written here."""
        probe = f".audiogen-probe-{secrets.token_hex(4)}"
        try:
            self.write(probe, b"")
        except AudiogenError as error:
            raise AudiogenError(f"{self.url}: cannot write there: {_reason(error)}") from None
        self.remove(probe)

    def _call(self, name: str, doing: str, call, *args, absent: bool = False, **kwargs):
        """call(...), its failure an AudiogenError naming the file; FileNotFoundError stays
        itself if `absent` (a missing file is an answer), else it is a missing bucket."""
        try:
            return call(*args, **kwargs)
        except FileNotFoundError as error:
            if absent:
                raise
            raise AudiogenError(f"{self.url_of(name)}: {doing}: {_reason(error)}") from None
        except Exception as error:  # botocore, aiohttp, gcsfs...: each says it its own way
            raise AudiogenError(f"{self.url_of(name)}: {doing}: {_reason(error)}") from None


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[-1] if text else type(error).__name__


@functools.lru_cache(maxsize=8)
def remote(url: str) -> Remote:
    """The Remote at `url`, made once per process (fsspec keeps its connections)."""
    return Remote(url)


# --- one article into a local or remote output ---------------------------------------------------


class _Local:
    """A local output: the pipeline writes in place."""

    mirror = None

    def __init__(self, folder: Path):
        self.folder = folder

    def place(self, result) -> tuple[str, float]:
        """Where the MP3 is, and when it was made."""
        return str(result.path), result.path.stat().st_mtime


class _Staging:
    """A remote output, converted through the local folder `folder` (see the docstring)."""

    def __init__(self, remote: Remote, folder: Path):
        self.remote = remote
        self.folder = folder

    def mirror(self, *names: str | None) -> None:
        """The remote MP3s `names` (None, or a path or URL whose name is taken), as tags alone,
        with empty stand-ins for the sidecars the remote folder has beside each."""
        from audiogen.publish import sidecar_paths

        for name in {Path(name).name for name in names if name}:
            tag = self._tag(name)
            if tag is None:
                continue
            local = self.folder / name
            local.write_bytes(tag)
            made = self.remote.mtime(name)
            os.utime(local, (made, made))
            for sidecar in sidecar_paths(local):
                if self.remote.exists(sidecar.name):
                    sidecar.touch()

    def _tag(self, name: str) -> bytes | None:
        """The ID3v2 tag at the start of the remote MP3 `name`: fingerprint, identity, length."""
        header = self.remote.read(name, 0, _ID3_HEADER)
        if not header or len(header) < _ID3_HEADER or header[:3] != b"ID3":
            return None
        size = 0
        for byte in header[6:10]:
            size = size << 7 | byte & 0x7F
        size += _ID3_HEADER * (2 if header[5] & _ID3_FOOTER else 1)
        return self.remote.read(name, 0, size)

    def place(self, result) -> tuple[str, float]:
        """PUT what the conversion made (sidecars, then the MP3), remove what it replaced;
        the MP3's URL and when it was made."""
        from audiogen.publish import sidecar_paths

        name = result.path.name
        if not result.skipped:
            for path in (*sidecar_paths(result.path), result.path):
                self.remote.write(path.name, path.read_bytes())
        if result.replaced is not None:
            for path in (result.replaced, *sidecar_paths(result.replaced)):
                self.remote.remove(path.name)  # the MP3 first: never a sidecar without it
        return self.remote.url_of(name), self.remote.mtime(name)


@contextlib.contextmanager
def staged(out: str | Path) -> Iterator[_Local | _Staging]:
    """How one article is converted into `out`: `.folder` for the pipeline, `.mirror` for
    convert (None for a local output), `.place(result)` once it is done."""
    if not is_url(out):
        yield _Local(Path(out))
        return
    with tempfile.TemporaryDirectory(prefix="audiogen-") as folder:
        yield _Staging(remote(out), Path(folder))


def check_output(out: str) -> None:
    """An AudiogenError, before any work, if the remote folder `out` cannot be written."""
    remote(out).check()


@contextlib.contextmanager
def manifest_folder(out: str | Path) -> Iterator[Path]:
    """A local folder holding `out`'s manifest, PUT back to a remote `out` at the end."""
    from audiogen.manifest import NAME

    if not is_url(out):
        yield Path(out)
        return
    folder = remote(out)
    with tempfile.TemporaryDirectory(prefix="audiogen-") as local:
        manifest = Path(local) / NAME
        before = folder.read(NAME)
        if before is not None:
            manifest.write_bytes(before)
        try:
            yield Path(local)
        finally:
            if manifest.exists() and manifest.read_bytes() != before:
                folder.write(NAME, manifest.read_bytes())


def manifest_outputs(out: str | Path) -> dict[str, str]:
    """Identity -> MP3, as the manifest in `out` says (manifest.Manifest.outputs)."""
    from audiogen.manifest import Manifest

    with manifest_folder(out) as folder:
        return Manifest(folder).outputs()


# --- the chunk cache ------------------------------------------------------------------------------


def chunk_cache(folder: str | Path | None):
    """The chunk cache kept in `folder`: a local path or a URL; None: no cache."""
    if folder is None:
        return None
    if is_url(folder):
        return RemoteChunkCache(folder)
    from audiogen.cache import ChunkCache

    return ChunkCache(Path(folder))


class RemoteChunkCache:
    """cache.ChunkCache's entries, in the same layout (ab/abcdef...), in a remote folder.

    An entry is one PUT, so a reader finds it whole or not at all. An object store does not
    update an object's time when it is read: `prune` removes the least recently *written*
    entries first. A cache that cannot be read or written costs speed, never a conversion.
    """

    def __init__(self, url: str):
        self.folder = remote(url)
        self.writable = True

    def get(self, key: str):
        from audiogen.cache import decode_entry

        try:
            data = self.folder.read(_entry_name(key))
        except AudiogenError:
            return None
        return None if data is None else decode_entry(data)

    def put(self, key: str, audio) -> None:
        from audiogen.cache import encode_entry

        if not self.writable:
            return
        try:
            self.folder.write(_entry_name(key), encode_entry(audio))
        except AudiogenError as error:
            self.writable = False
            log.warning("cannot write the chunk cache: %s; going on without it", error)

    def prune(self, max_bytes: int) -> int:
        """Delete the oldest entries until the cache holds at most `max_bytes`; bytes freed."""
        fs, root = self.folder.fs, self.folder.root
        try:
            found = fs.find(root, detail=True)
        except Exception:  # noqa: BLE001  # a cache that cannot be listed is left as it is
            return 0
        entries = sorted((_written_at(info), info.get("size") or 0, path)
                         for path, info in found.items())  # fmt: skip
        held, freed = sum(size for _, size, _ in entries), 0
        for _, size, path in entries:
            if held <= max_bytes:
                break
            with contextlib.suppress(Exception):
                fs.rm_file(path)
                held, freed = held - size, freed + size
        return freed


def _entry_name(key: str) -> str:
    from audiogen.cache import check_key

    check_key(key)
    return f"{key[:2]}/{key}"


def _written_at(info: dict) -> float:
    made = info.get("LastModified") or info.get("mtime") or info.get("updated") or 0
    return made.timestamp() if hasattr(made, "timestamp") else float(made)
