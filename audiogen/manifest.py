"""The manifest: `manifest.jsonl` in the output folder, one line per source ever converted there.

A publisher's record of the batch: which sources became which files, how long each is, and
why the others failed. A run updates the lines of the sources it touched and keeps the rest,
so the manifest of a folder filled over many runs names everything in it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

NAME = "manifest.jsonl"
CONVERTED, SKIPPED, FAILED = "converted", "skipped", "failed"

log = logging.getLogger("audiogen")


@dataclass(frozen=True)
class Entry:
    source: str
    status: str  # CONVERTED, SKIPPED (already up to date) or FAILED
    output: str | None = None
    duration: float | None = None  # seconds
    headline: str | None = None
    date: str | None = None  # ISO 8601, as the article gives it
    voice: str | None = None
    error: str | None = None


class Manifest:
    """The manifest of one output folder.

    Each result is appended as a line (a later line for the same source wins), so recording
    costs the same for the thousandth article as for the first; the file is rewritten whole,
    one line per source, before the first append and by `close`. Rewrites go through a
    temporary file and a rename, and an append is one write: a killed run leaves a manifest
    that reads back whole.
    """

    def __init__(self, out_dir: Path):
        self.path = out_dir / NAME
        self.entries: dict[str, dict] = _read(self.path)
        self._compact = True  # the next record rewrites the file rather than appending

    def record(self, entry: Entry) -> None:
        # Later runs of the same source replace its line; the order of first appearance stays.
        self.entries[entry.source] = asdict(entry)
        if self._compact:
            self._compact = not self._rewrite()
        else:
            self._append(_line(self.entries[entry.source]))

    def close(self) -> None:
        """Leave one line per source."""
        if not self._compact:  # something was recorded
            self._rewrite()

    def _rewrite(self) -> bool:
        lines = "".join(_line(entry) for entry in self.entries.values())
        # Named so that publish.remove_stale_parts clears it if this process is killed.
        temporary = self.path.with_name(f".{NAME}.{os.getpid()}-{secrets.token_hex(4)}.part")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(lines, encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as error:
            with contextlib.suppress(OSError):  # not even a folder to make it in
                temporary.unlink()
            log.warning("cannot write %s: %s", self.path, error.strerror or error)
            return False
        return True

    def _append(self, line: str) -> None:
        try:
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
            try:
                os.write(descriptor, line.encode())
            finally:
                os.close(descriptor)
        except OSError as error:
            log.warning("cannot write %s: %s", self.path, error.strerror or error)


def _line(entry: dict) -> str:
    return json.dumps(entry, ensure_ascii=False) + "\n"


def _read(path: Path) -> dict[str, dict]:
    entries: dict[str, dict] = {}
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return entries
    except OSError as error:
        log.warning("cannot read %s (%s); starting a new one", path, error.strerror or error)
        return entries
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
