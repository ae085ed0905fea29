"""The ledger: every input's job and its state, durable in SQLite (the source of truth).

    queued -> processing -> done | failed
                  \\-> queued again (transient failure, with backoff, a bounded number of times)

A job left `processing` by a crash (kill -9, power cut) is queued again by `recover()`
when the service starts, so nothing is lost; the store's content addressing makes the
second run a no-op for documents that were already stored.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from ..model import Record

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    dossier TEXT,
    state TEXT NOT NULL CHECK (state IN ('queued', 'processing', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try REAL NOT NULL DEFAULT 0,
    record_id TEXT,
    error_kind TEXT,
    error TEXT,
    created REAL NOT NULL,
    updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state, next_try);
CREATE INDEX IF NOT EXISTS jobs_path ON jobs(path);
"""
OPEN_STATES = ("queued", "processing")


@dataclass
class Job:
    id: int
    path: str
    dossier: str | None
    state: str
    attempts: int
    next_try: float
    record_id: str | None
    error_kind: str | None
    error: str | None


@dataclass
class Verdict:
    state: str               # what the job became
    give_up: bool = False    # a transient failure that ran out of attempts


class Ledger:
    def __init__(self, path: Path, max_attempts: int = 5, retry_seconds: float = 30.0) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")      # a power cut must not lose a state change
        self.db.executescript(SCHEMA)
        self.max_attempts = max_attempts
        self.retry_seconds = retry_seconds

    def close(self) -> None:
        self.db.close()

    def _job(self, row: tuple | None) -> Job | None:
        return Job(*row) if row else None

    _COLUMNS = "id, path, dossier, state, attempts, next_try, record_id, error_kind, error"

    def get(self, job_id: int) -> Job | None:
        return self._job(self.db.execute(f"SELECT {self._COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone())

    def open_job(self, path: str) -> Job | None:
        return self._job(self.db.execute(
            f"SELECT {self._COLUMNS} FROM jobs WHERE path = ? AND state IN {OPEN_STATES} ORDER BY id DESC",
            (path,)).fetchone())

    def enqueue(self, path: str, dossier: str | None = None) -> Job:
        """The open job for `path`, or a new queued one."""
        existing = self.open_job(path)
        if existing is not None:
            return existing
        now = time.time()
        cursor = self.db.execute(
            "INSERT INTO jobs (path, dossier, state, created, updated) VALUES (?, ?, 'queued', ?, ?)",
            (path, dossier, now, now))
        job = self.get(cursor.lastrowid)
        assert job is not None
        return job

    def claim(self, job_id: int) -> bool:
        """queued and due -> processing; False if another worker has it or it is not due."""
        cursor = self.db.execute(
            "UPDATE jobs SET state = 'processing', attempts = attempts + 1, updated = ? "
            "WHERE id = ? AND state = 'queued' AND next_try <= ?", (time.time(), job_id, time.time()))
        return cursor.rowcount == 1

    def finish(self, job_id: int, record: Record | None) -> Verdict:
        """Record the outcome. None: the input vanished before it was read."""
        now = time.time()
        job = self.get(job_id)
        assert job is not None
        if record is None:
            self._set(job_id, "failed", now, error_kind="vanished", error="the file disappeared before it was read")
            return Verdict("failed")
        if record.status == "done":
            self._set(job_id, "done", now, record_id=record.id)
            return Verdict("done")
        assert record.error is not None
        if record.error.transient and job.attempts < self.max_attempts:
            delay = self.retry_seconds * 2 ** (job.attempts - 1)
            self.db.execute("UPDATE jobs SET state = 'queued', next_try = ?, error_kind = ?, error = ?, "
                            "updated = ? WHERE id = ?", (now + delay, record.error.kind, record.error.message,
                                                         now, job_id))
            return Verdict("queued")
        self._set(job_id, "failed", now, record_id=record.id or None, error_kind=record.error.kind,
                  error=record.error.message)
        return Verdict("failed", give_up=record.error.transient)

    def _set(self, job_id: int, state: str, now: float, record_id: str | None = None,
             error_kind: str | None = None, error: str | None = None) -> None:
        self.db.execute("UPDATE jobs SET state = ?, record_id = ?, error_kind = ?, error = ?, updated = ? "
                        "WHERE id = ?", (state, record_id, error_kind, error, now, job_id))

    def recover(self) -> int:
        """After a crash: jobs left processing are queued again. Returns how many."""
        return self.db.execute("UPDATE jobs SET state = 'queued', updated = ? WHERE state = 'processing'",
                               (time.time(),)).rowcount

    def due(self, limit: int = 100) -> list[Job]:
        rows = self.db.execute(f"SELECT {self._COLUMNS} FROM jobs WHERE state = 'queued' AND next_try <= ? "
                               "ORDER BY id LIMIT ?", (time.time(), limit)).fetchall()
        return [Job(*r) for r in rows]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("queued", "processing", "done", "failed"), 0)
        counts.update(self.db.execute("SELECT state, count(*) FROM jobs GROUP BY state").fetchall())
        return counts

    def done_since(self, seconds: float) -> int:
        return self.db.execute("SELECT count(*) FROM jobs WHERE state = 'done' AND updated >= ?",
                               (time.time() - seconds,)).fetchone()[0]

    def recent_failures(self, limit: int = 10) -> list[Job]:
        rows = self.db.execute(f"SELECT {self._COLUMNS} FROM jobs WHERE state = 'failed' "
                               "ORDER BY updated DESC LIMIT ?", (limit,)).fetchall()
        return [Job(*r) for r in rows]
