"""Files written whole or not at all, and files shared between runs under a lock.

Every file audiogen writes (an MP3 and its sidecars, the manifest, the podcast feed, a cached
chunk) is written under a temporary name in its own folder, `.NAME.PID-HEX.part`, made on
disk (fsync) and renamed into place (`write_whole`; `owned_temporary` and `put_in_place` for
a writer that fills the file itself): a reader, or a run after a crash, finds the old file
or the new one, never half of one. The writer holds an advisory lock on its temporary file
while it exists, so a later run tells a dead writer's leftover from a live one's by trying
that lock (`remove_stale_parts`): a lock dies with its process however the process ended,
and cannot be fooled by a process id used again. `locked` is how runs share one file (the
manifest) that each appends to.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def owned_temporary(folder: Path, name: str, suffix: str = ".part") -> Iterator[Path]:
    """A new empty file `.NAME.PID-HEX` + suffix in `folder`, locked by this process until
    the block ends, and removed if the block raises (Ctrl-C included); OSError if it cannot
    be made. The block renames it into place when it is whole."""
    path, descriptor = _new_temporary(folder, name, suffix)
    with _owning(path, descriptor):
        yield path


def _new_temporary(folder: Path, name: str, suffix: str) -> tuple[Path, int]:
    """owned_temporary's file, and the descriptor that holds its lock."""
    # A name of our own rather than mkstemp's: mkstemp makes the file private (0600), and
    # the finished file should get the usual permissions of the user's umask.
    while True:
        path = folder / f".{name}.{os.getpid()}-{secrets.token_hex(4)}{suffix}"
        descriptor = _locked_new(path)
        if descriptor is not None:
            return path, descriptor


@contextlib.contextmanager
def _owning(path: Path, descriptor: int) -> Iterator[None]:
    try:
        yield
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    finally:
        os.close(descriptor)  # and with it the lock


def _locked_new(path: Path) -> int | None:
    """A descriptor of the new file `path`, locked; None if a cleaner removed the file
    between its making and its locking (it took it for a dead writer's)."""
    from filelock import lock_descriptor

    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o666)
    try:
        lock_descriptor(descriptor)  # a cleaner holds it only for as long as it takes to look
        if _same_file(descriptor, path):
            return descriptor
    except BaseException:
        os.close(descriptor)
        path.unlink(missing_ok=True)
        raise
    os.close(descriptor)
    return None


@contextlib.contextmanager
def locked(path: Path) -> Iterator[int]:
    """`path` (made if missing) open for appending, under an exclusive advisory lock that
    other processes asking for it wait for: the way runs share a file such as the manifest.

    The file is its own lock, and may be replaced by a rename (write_whole) while locked: a
    process that waited for the old file checks it holds the one at the path now, else waits
    anew.
    """
    from filelock import lock_descriptor

    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
        try:
            lock_descriptor(descriptor)
            if _same_file(descriptor, path):
                yield descriptor
                return
        finally:
            os.close(descriptor)  # and with it the lock


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(descriptor), os.stat(path))
    except FileNotFoundError:  # removed, or renamed away and not yet replaced
        return False


def put_in_place(temporary: Path, path: Path, *, sync: bool = True) -> None:
    """The whole file `temporary` renamed to `path`, which a reader then finds whole.
    `sync`: on disk first, so that after a power cut the name never points at missing data
    (a cache, which can lose an entry, skips it)."""
    if sync:
        with open(temporary, "rb+") as file:
            os.fsync(file.fileno())
    os.replace(temporary, path)


def write_whole(path: Path, data: bytes, *, sync: bool = True) -> None:
    """`data` in `path`, written under a temporary name and renamed into place: a reader
    (or a run after a crash) finds the old file or the new one, never half of one. OSError
    when it cannot be written."""
    with owned_temporary(path.parent, path.name) as temporary:
        temporary.write_bytes(data)
        put_in_place(temporary, path, sync=sync)


def remove_stale_parts(out_dir: Path) -> list[Path]:
    """Delete the temporary files of writers that died (kill -9, power loss); return them.

    Every writer in an output folder names its temporary file `.NAME.PID-HEX.part` (or
    `.NAME.PID-HEX.mp3.part`) and holds a lock on it (owned_temporary); a file whose lock
    can be taken has no writer left, in this process or another.
    """
    removed = []
    for part in out_dir.glob(".*.part") if out_dir.is_dir() else ():
        if re.fullmatch(r"\..*\.\d+-[0-9a-f]+(\.mp3)?\.part", part.name) and _abandoned(part):
            removed.append(part)
    return removed


def _abandoned(part: Path) -> bool:
    """Remove `part` if no process holds its lock; whether it did."""
    from filelock import lock_descriptor

    try:
        descriptor = os.open(part, os.O_RDWR)
    except OSError:  # gone meanwhile, or not ours to touch
        return False
    try:
        if not lock_descriptor(descriptor, blocking=False):
            return False  # its writer is at work
        # Removed while locked: a writer that made it a moment ago and locks it only now
        # finds it gone, and makes another (owned_temporary).
        part.unlink(missing_ok=True)
        return True
    except OSError:
        return False
    finally:
        os.close(descriptor)
