"""The service's jobs, and where they are kept.

A `Job` is a frozen record of one conversion asked for over HTTP: what to read, how, and
what came of it. A `Store` keeps them; `SQLiteStore` is the embedded default (`jobs.sqlite`
in the data folder, WAL so that readers never wait for the writer). A server database can
replace it by implementing the same few methods.

Every job has two names: `id`, the opaque string clients see, and `seq`, its place in the
order jobs were asked for (the queue's order, and the index its worker's events carry).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ENDED = (DONE, FAILED)


@dataclass(frozen=True)
class Job:
    id: str
    source: str  # what the client named: the URL, "uploaded NAME", "posted HTML", "posted text"
    location: str  # what the worker reads: the URL, or the file saved in the inbox
    url: str | None = None  # the article's address when known (an HTML body's `url`)
    overrides: dict[str, str] = field(default_factory=dict)  # headline, date, byline, voice
    webhook: str | None = None
    seq: int = 0  # given by the store
    status: str = QUEUED
    progress: float = 0.0  # 0..1: the chunks spoken
    error: str | None = None  # one line, when failed
    created: str = ""  # ISO 8601, UTC; given by the store
    finished: str | None = None
    output: str | None = None  # the MP3's name in the audio folder, once done
    duration: float | None = None  # seconds
    headline: str | None = None
    byline: str | None = None
    date: str | None = None
    publisher: str | None = None
    chapters: tuple[tuple[str, float], ...] = ()  # (title, start in seconds), once done


def new_id() -> str:
    """An id no client can guess or choose (12 URL-safe characters)."""
    return secrets.token_urlsafe(9)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store(Protocol):
    def add(self, job: Job) -> Job: ...  # the job with its seq and created
    def get(self, job_id: str) -> Job | None: ...
    def page(self, limit: int, offset: int) -> tuple[list[Job], int]: ...  # newest first, total
    def update(self, job_id: str, **changes) -> Job | None: ...  # None: no such job
    def delete(self, job_id: str) -> bool: ...
    def waiting(self) -> list[Job]: ...  # queued jobs, oldest first
    def requeue_running(self) -> int: ...  # running -> queued (after a restart); how many


_COLUMNS = [f.name for f in fields(Job)]
_SCHEMA = f"""CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    {", ".join(f"{name} TEXT" for name in _COLUMNS if name != "seq")},
    UNIQUE (id))"""


class SQLiteStore:
    """Jobs in one SQLite file. One connection, shared by the server's threads under a lock:
    a job is a few hundred bytes and each statement takes microseconds."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)

    def add(self, job: Job) -> Job:
        row = _row(replace(job, created=job.created or now()))
        del row["seq"]
        names = ", ".join(row)
        with self._lock:
            cursor = self._db.execute(
                f"INSERT INTO jobs ({names}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
            return self._one("seq = ?", cursor.lastrowid)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._one("id = ?", job_id)

    def page(self, limit: int, offset: int) -> tuple[list[Job], int]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM jobs ORDER BY seq DESC LIMIT ? OFFSET ?", (limit, offset)
            ).fetchall()
            total = self._db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0]
        return [_job(row) for row in rows], total

    def update(self, job_id: str, **changes) -> Job | None:
        row = _row(replace(Job("", "", ""), **changes))
        assignments = ", ".join(f"{name} = ?" for name in changes)
        with self._lock:
            self._db.execute(
                f"UPDATE jobs SET {assignments} WHERE id = ?",
                [*(row[name] for name in changes), job_id],
            )
            return self._one("id = ?", job_id)

    def delete(self, job_id: str) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM jobs WHERE id = ?", (job_id,)).rowcount > 0

    def waiting(self) -> list[Job]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM jobs WHERE status = ? ORDER BY seq", (QUEUED,)
            ).fetchall()
        return [_job(row) for row in rows]

    def requeue_running(self) -> int:
        with self._lock:
            cursor = self._db.execute(
                "UPDATE jobs SET status = ?, progress = ? WHERE status = ?",
                (QUEUED, "0.0", RUNNING),
            )
            return cursor.rowcount

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _one(self, where: str, value) -> Job | None:
        row = self._db.execute(f"SELECT * FROM jobs WHERE {where}", (value,)).fetchone()
        return _job(row) if row else None


# Every column is TEXT but seq; these are read back as what the Job holds.
_NUMBERS = {"progress", "duration"}
_JSON = {"overrides", "chapters"}


def _row(job: Job) -> dict[str, object]:
    row = asdict(job)
    for name in _JSON:
        row[name] = json.dumps(getattr(job, name))
    for name in _NUMBERS:
        row[name] = None if row[name] is None else repr(float(row[name]))
    return row


def _job(row: sqlite3.Row) -> Job:
    values = dict(row)
    values["overrides"] = json.loads(values["overrides"] or "{}")
    values["chapters"] = tuple(tuple(pair) for pair in json.loads(values["chapters"] or "[]"))
    for name in _NUMBERS:
        values[name] = None if values[name] is None else float(values[name])
    return Job(**values)
