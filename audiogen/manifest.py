"""The manifest: `manifest.jsonl` in the output folder, one line per source ever converted there.

A publisher's record of the batch: which sources became which files, when, how long each is,
and why the others failed. A run updates the lines of the sources it touched and keeps the
rest, so the manifest of a folder filled over many runs names everything in it.

- Each line is keyed by the source's canonical form (identity.source_key: an absolute path, a
  web address), so a file named by a relative path one day and an absolute one the next has
  one line. `id` is the article's identity, by which a re-conversion under a new headline
  finds the MP3 it replaces (`outputs`).
- `converted_at` says when the MP3 was made; a run that finds it up to date ("skipped")
  keeps it, so the line still says when and how the file was made.
- Runs into one folder at the same time share it: every write is made under an advisory lock
  on the file (filelock's lock_descriptor: flock on POSIX), and a run rewrites the file from
  what is in it then, other runs' lines included, never from what it read when it started.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

NAME = "manifest.jsonl"
CONVERTED, SKIPPED, FAILED = "converted", "skipped", "failed"

log = logging.getLogger("audiogen")


@dataclass(frozen=True)
class Entry:
    source: str  # the source's canonical form (identity.source_key)
    status: str  # CONVERTED, SKIPPED (already up to date) or FAILED
    output: str | None = None
    duration: float | None = None  # seconds
    headline: str | None = None
    date: str | None = None  # ISO 8601, as the article gives it
    voice: str | None = None
    error: str | None = None
    id: str | None = None  # the article's identity (identity.article_identity)
    converted_at: str | None = None  # when `output` was made: ISO 8601, UTC


def timestamp(seconds: float) -> str:
    """An instant (seconds since the epoch, a file's mtime) as `converted_at` says it."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


class Manifest:
    """The manifest of one output folder.

    Each result is appended as a line (a later line for the same source wins), so recording
    costs the same for the thousandth article as for the first; `close` rewrites the file
    whole, one line per source. The rewrite goes through a temporary file and a rename, and
    an append is one write: a killed run leaves a manifest that reads back whole.
    """

    def __init__(self, out_dir: Path):
        self.path = out_dir / NAME
        # What the file said when this run began, and what it has recorded since.
        self.entries: dict[str, dict] = _read(self.path)
        self._recorded = False

    def record(self, entry: Entry) -> None:
        entry = self._kept(entry)
        # Later runs of the same source replace its line; the order of first appearance stays.
        self.entries[entry.source] = asdict(entry)
        self._recorded = True
        try:
            with self._locked() as descriptor:
                _append(descriptor, _line(self.entries[entry.source]))
        except OSError as error:
            log.warning("cannot write %s: %s", self.path, error.strerror or error)

    def close(self) -> None:
        """Leave one line per source: every run's, as the file holds them now."""
        if not self._recorded:
            return
        from audiogen.files import write_whole

        try:
            with self._locked():
                entries = _parsed(self.path.read_bytes())
                write_whole(self.path, "".join(map(_line, entries.values())).encode())
        except OSError as error:  # appended lines stay: the file still reads back whole
            log.warning("cannot write %s: %s", self.path, error.strerror or error)

    def outputs(self) -> dict[str, str]:
        """Identity -> the MP3 the article was last written to, as far as the file knows."""
        known = [e for e in self.entries.values() if e.get("id") and e.get("output")]
        return {str(entry["id"]): str(entry["output"]) for entry in known}

    def _kept(self, entry: Entry) -> Entry:
        """`entry`, with when its MP3 was made taken from the line before if it is the same
        file, up to date: a skipped run does not make it new."""
        before = self.entries.get(entry.source, {})
        made = before.get("converted_at")
        if entry.status == SKIPPED and made and before.get("output") == entry.output:
            return replace(entry, converted_at=made)
        return entry

    @contextlib.contextmanager
    def _locked(self) -> Iterator[int]:
        """The manifest open for appending, locked: other runs wait (files.locked)."""
        from audiogen.files import locked

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with locked(self.path) as descriptor:
            yield descriptor


def _append(descriptor: int, line: str) -> None:
    # After a killed writer's last line, cut short: a line of its own, not glued to it.
    size = os.fstat(descriptor).st_size
    if size and os.pread(descriptor, 1, size - 1) != b"\n":
        line = "\n" + line
    os.write(descriptor, line.encode())


def _line(entry: dict) -> str:
    return json.dumps(entry, ensure_ascii=False) + "\n"


def _read(path: Path) -> dict[str, dict]:
    try:
        return _parsed(path.read_bytes())
    except FileNotFoundError:
        return {}
    except OSError as error:
        log.warning("cannot read %s (%s); starting a new one", path, error.strerror or error)
        return {}


def _parsed(data: bytes) -> dict[str, dict]:
    """Source -> its line, the last for each source, in the order of their first lines."""
    entries: dict[str, dict] = {}
    # Line by line: a line cut short (inside a character, even) or edited into nonsense by
    # hand costs that line, not the history.
    for line in data.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:  # JSONDecodeError and UnicodeDecodeError both
            continue
        if isinstance(entry, dict) and isinstance(entry.get("source"), str):
            entries[entry["source"]] = entry
    return entries
