"""The ledger: every input's job and its state, durable in SQL (the source of truth).

    queued -> processing -> done | failed
                  \\-> queued again (transient failure, with backoff, a bounded number of times)

SQLite on one machine, PostgreSQL when many machines share the work. A worker holds a job
under a lease that it renews while it works; a job whose lease ran out, or whose worker
process on this host is gone (kill -9, power cut), is queued again by `expire()`. The
store's content addressing makes a second run a no-op for documents already stored.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..config import Settings
from ..errors import DigitizerError
from ..model import ErrorKind, Record
from ..storage.database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id {id_type} PRIMARY KEY,
    root TEXT NOT NULL,
    path TEXT NOT NULL,
    dossier TEXT,
    mode TEXT NOT NULL DEFAULT 'inbox',
    batch TEXT,
    size BIGINT,
    mtime DOUBLE PRECISION,
    state TEXT NOT NULL CHECK (state IN ('queued', 'processing', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try DOUBLE PRECISION NOT NULL DEFAULT 0,
    enqueued_at DOUBLE PRECISION,
    lease_until DOUBLE PRECISION,
    worker TEXT,
    record_id TEXT,
    outcome TEXT,
    pages INTEGER,
    error_kind TEXT,
    error TEXT,
    created DOUBLE PRECISION NOT NULL,
    updated DOUBLE PRECISION NOT NULL);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state, next_try);
CREATE INDEX IF NOT EXISTS jobs_path ON jobs(root, path);
CREATE INDEX IF NOT EXISTS jobs_batch ON jobs(batch)
"""
# The ledger's schema, one entry per version; a new version appends a step (ALTER TABLE ...),
# never edits an old one.
MIGRATIONS = [SCHEMA]
STATES = ("queued", "processing", "done", "failed")
SETTLING_SECONDS = 60.0     # a worker files its input away within this long after the verdict
# A file's latest job: a file with two rows (a kill after the verdict, before the move, gives
# the same file a second job) counts once, in the state of its latest.
LATEST = "id IN (SELECT max(id) FROM jobs GROUP BY root, path)"


@dataclass
class Job:
    id: int
    root: str
    path: str
    dossier: str | None
    mode: str                 # "inbox": move the source when settled; "archive": never touch it
    batch: str | None
    size: int | None
    mtime: float | None
    state: str
    attempts: int
    next_try: float
    worker: str | None
    record_id: str | None
    outcome: str | None       # "stored", or "duplicate" (the same content was already in the store)
    pages: int | None
    error_kind: str | None
    error: str | None
    updated: float

    @property
    def source(self) -> Path:
        return Path(self.root) / self.path


@dataclass
class Verdict:
    state: str               # what the job became
    give_up: bool = False    # a transient failure that ran out of attempts


_COLUMNS = ("id, root, path, dossier, mode, batch, size, mtime, state, attempts, next_try, worker, "
            "record_id, outcome, pages, error_kind, error, updated")


class Ledger:
    def __init__(self, target: str | Path, max_attempts: int = 5, retry_seconds: float = 30.0) -> None:
        self.db = Database(target)
        id_type = "BIGSERIAL" if self.db.postgres else "INTEGER"
        self.db.migrate("ledger", [step.format(id_type=id_type) for step in MIGRATIONS])
        self.max_attempts = max_attempts
        self.retry_seconds = retry_seconds

    def close(self) -> None:
        self.db.close()

    def _select(self, where: str, params: Iterable = (), tail: str = "") -> list[Job]:
        return [Job(*row) for row in
                self.db.execute(f"SELECT {_COLUMNS} FROM jobs WHERE {where} {tail}", tuple(params)).fetchall()]

    def get(self, job_id: int) -> Job | None:
        jobs = self._select("id = ?", (job_id,))
        return jobs[0] if jobs else None

    def add(self, root: Path, path: str, dossier: str | None = None, mode: str = "inbox",
            batch: str | None = None, size: int | None = None, mtime: float | None = None) -> Job:
        """The open job for root/path, or a new queued one. The same file (size and mtime) whose
        job ended moments ago, by a worker still alive, is that job's: the worker is filing it
        away (a rescan saw it between the verdict and the move). Left there by a worker since
        killed, it gets a new job, which finds it stored and finishes the move."""
        latest = self._select("root = ? AND path = ?", (str(root), path), "ORDER BY id DESC LIMIT 1")
        if latest and (latest[0].state in ("queued", "processing") or (
                size is not None and (latest[0].size, latest[0].mtime) == (size, mtime)
                and latest[0].updated > time.time() - SETTLING_SECONDS
                and holder_state(latest[0].worker or "") in ("alive", "unknown"))):
            return latest[0]
        now = time.time()
        row = self.db.execute(
            "INSERT INTO jobs (root, path, dossier, mode, batch, size, mtime, state, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?) RETURNING id",
            (str(root), path, dossier, mode, batch, size, mtime, now, now)).fetchone()
        job = self.get(row[0])
        assert job is not None
        return job

    def add_many(self, root: Path, items: Iterable[tuple[str, str | None, int, float]], mode: str,
                 batch: str | None) -> int:
        """New queued jobs for (path, dossier, size, mtime) in one transaction (a backfill)."""
        now, count = time.time(), 0
        with self.db.transaction():
            for path, dossier, size, mtime in items:
                self.db.execute(
                    "INSERT INTO jobs (root, path, dossier, mode, batch, size, mtime, state, created, updated) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)",
                    (str(root), path, dossier, mode, batch, size, mtime, now, now))
                count += 1
        return count

    def known(self, root: Path) -> dict[str, tuple[str, int | None, float | None]]:
        """path -> (state, size, mtime) of the latest job of each file under `root`."""
        rows = self.db.execute("SELECT path, state, size, mtime FROM jobs WHERE root = ? ORDER BY id",
                               (str(root),)).fetchall()
        return {path: (state, size, mtime) for path, state, size, mtime in rows}

    def claim(self, job_id: int, worker: str, lease: float) -> Job | None:
        """queued and due -> processing, held by `worker` for `lease` seconds; None if
        another worker has it, it is finished, or it is not due yet."""
        now = time.time()
        cursor = self.db.execute(
            "UPDATE jobs SET state = 'processing', attempts = attempts + 1, worker = ?, lease_until = ?, "
            "updated = ? WHERE id = ? AND state = 'queued' AND next_try <= ?",
            (worker, now + lease, now, job_id, now))
        return self.get(job_id) if cursor.rowcount == 1 else None

    def renew(self, job_id: int, worker: str, lease: float) -> bool:
        return self.db.execute("UPDATE jobs SET lease_until = ? WHERE id = ? AND worker = ? AND state = 'processing'",
                               (time.time() + lease, job_id, worker)).rowcount == 1

    def release(self, job_id: int, worker: str) -> None:
        """The worker was stopped mid-job: queue it again; the try does not count."""
        self.db.execute("UPDATE jobs SET state = 'queued', attempts = attempts - 1, worker = NULL, "
                        "enqueued_at = NULL, updated = ? WHERE id = ? AND worker = ? AND state = 'processing'",
                        (time.time(), job_id, worker))

    def finish(self, job_id: int, holder: str, record: Record | None, outcome: str = "stored") -> Verdict:
        """Record the outcome. None: the input vanished before it was read. A job no longer
        held by `holder` (taken back after its lease ran out, perhaps finished by another
        worker since) is left as it is: Verdict("taken")."""
        now = time.time()
        job = self.get(job_id)
        assert job is not None
        values: dict[str, object]
        if record is None:
            state, values = "failed", {"error_kind": "vanished", "error": DigitizerError(ErrorKind.VANISHED).message}
        elif record.status == "done":
            state, values = "done", {"record_id": record.id, "outcome": outcome, "pages": len(record.pages)}
        else:
            assert record.error is not None
            state, values = "failed", {"record_id": record.id or None, "error_kind": record.error.kind,
                                       "error": record.error.message}
            if record.error.transient and job.attempts < self.max_attempts:
                state, values = "queued", {"error_kind": record.error.kind, "error": record.error.message,
                                           "next_try": now + self.retry_seconds * 2 ** (job.attempts - 1),
                                           "enqueued_at": None}
        # A settled job keeps the holder that settled it: it is filing the input away (see add).
        values = {"record_id": None, "outcome": None, "pages": None, "error_kind": None, "error": None,
                  "worker": None if state == "queued" else holder, **values}
        # Only while `holder` still has it: the reconciler may have taken it back since.
        columns = ", ".join(f"{name} = ?" for name in values)
        cursor = self.db.execute(f"UPDATE jobs SET state = ?, {columns}, updated = ? "
                                 "WHERE id = ? AND worker = ? AND state = 'processing'",
                                 (state, *values.values(), now, job_id, holder))
        if cursor.rowcount != 1:
            return Verdict("taken")
        return Verdict(state, give_up=state == "failed" and record is not None and record.error is not None
                       and record.error.transient)

    def expire(self, holder_state: Callable[[str], str]) -> int:
        """Jobs whose lease ran out or whose holder is gone are queued again; one that has
        used up its attempts this way (it kills its worker: memory, a hang) fails for good.
        A lease that ran out is taken back even from a live holder: its heartbeat renews the
        lease from a thread while the job runs, so a live holder whose lease lapsed is stuck
        (a full disk refused its writes, the process was stopped) or is not the holder at all.
        A holder whose machine has booted since (a power cut) is not the file's fault: its
        job goes back without using an attempt. Returns how many jobs were taken back."""
        now = time.time()
        taken = 0
        for job_id, worker, attempts, lease_until in self.db.execute(
                "SELECT id, worker, attempts, lease_until FROM jobs WHERE state = 'processing'").fetchall():
            state = holder_state(worker) if worker else "unknown"
            if state in ("alive", "unknown") and (lease_until or 0) > now:
                continue
            if state == "restarted":
                self.db.execute("UPDATE jobs SET state = 'queued', attempts = attempts - 1, worker = NULL, "
                                "enqueued_at = NULL, updated = ? WHERE id = ? AND state = 'processing' AND worker = ?",
                                (now, job_id, worker))
            elif attempts >= self.max_attempts:
                self.db.execute(
                    "UPDATE jobs SET state = 'failed', worker = NULL, error_kind = 'worker_died', error = ?, "
                    "updated = ? WHERE id = ? AND state = 'processing' AND worker = ?",
                    (DigitizerError(ErrorKind.WORKER_DIED, f"{attempts} attempts").message, now, job_id, worker))
            else:
                self.db.execute("UPDATE jobs SET state = 'queued', worker = NULL, enqueued_at = NULL, "
                                "updated = ? WHERE id = ? AND state = 'processing' AND worker = ?",
                                (now, job_id, worker))
            taken += 1
        return taken

    def to_enqueue(self, stale_before: float | None = None, limit: int = 1000) -> list[int]:
        """Due queued jobs never handed to the queue, and (when `stale_before` is given)
        those handed to it before then: the queue lost them."""
        condition = "enqueued_at IS NULL" + (" OR enqueued_at < ?" if stale_before is not None else "")
        params = (time.time(), *([stale_before] if stale_before is not None else []), limit)
        return [r[0] for r in self.db.execute(
            f"SELECT id FROM jobs WHERE state = 'queued' AND next_try <= ? AND ({condition}) ORDER BY id LIMIT ?",
            params).fetchall()]

    def handed(self) -> int:
        """Jobs handed to the queue and not claimed yet: each should have a message waiting."""
        return int(self.db.execute("SELECT count(*) FROM jobs WHERE state = 'queued' AND enqueued_at IS NOT NULL")
                   .fetchone()[0])

    def mark_enqueued(self, job_ids: list[int]) -> None:
        with self.db.transaction():
            for job_id in job_ids:
                self.db.execute("UPDATE jobs SET enqueued_at = ? WHERE id = ?", (time.time(), job_id))

    def retry(self, root: Path, paths: Iterable[str]) -> int:
        """Failed jobs of these files are queued again with fresh attempts (a retry after a fix)."""
        count = 0
        with self.db.transaction():
            for path in paths:
                count += self.db.execute(
                    "UPDATE jobs SET state = 'queued', attempts = 0, next_try = 0, enqueued_at = NULL, "
                    "updated = ? WHERE root = ? AND path = ? AND state = 'failed'",
                    (time.time(), str(root), path)).rowcount
        return count

    def requeue(self, job_id: int) -> bool:
        """A done job queued again with fresh attempts (its document is missing from the store)."""
        return self.db.execute("UPDATE jobs SET state = 'queued', attempts = 0, next_try = 0, enqueued_at = NULL, "
                               "record_id = NULL, outcome = NULL, updated = ? WHERE id = ? AND state = 'done'",
                               (time.time(), job_id)).rowcount == 1

    def counts(self, batch: str | None = None) -> dict[str, int]:
        """Files by the state of their latest job."""
        counts = dict.fromkeys(STATES, 0)
        where, params = (" AND batch = ?", (batch,)) if batch else ("", ())
        counts.update(self.db.execute(f"SELECT state, count(*) FROM jobs WHERE {LATEST}{where} GROUP BY state",
                                      params).fetchall())
        return counts

    def progress(self, batch: str) -> tuple[dict[str, int], int, int]:
        """(counts by state, duplicates among the done, pages done) of a batch, in one pass."""
        counts, duplicates, pages = dict.fromkeys(STATES, 0), 0, 0
        for state, n, dup, p in self.db.execute(
                "SELECT state, count(*), count(*) FILTER (WHERE outcome = 'duplicate'), coalesce(sum(pages), 0) "
                "FROM jobs WHERE batch = ? GROUP BY state", (batch,)).fetchall():
            counts[state] = n
            if state == "done":
                duplicates, pages = dup, p
        return counts, duplicates, pages

    def batch_jobs(self, batch: str) -> list[Job]:
        return self._select("batch = ?", (batch,), "ORDER BY path")

    def done_since(self, seconds: float) -> int:
        return self.db.execute(f"SELECT count(*) FROM jobs WHERE {LATEST} AND state = 'done' AND updated >= ?",
                               (time.time() - seconds,)).fetchone()[0]

    def failed_since(self, since: float = 0.0) -> list[tuple[float, str]]:
        """(time, error kind) of every job that ended failed since `since` (for the report)."""
        return self.db.execute("SELECT updated, coalesce(error_kind, 'internal') FROM jobs "
                               "WHERE state = 'failed' AND updated >= ?", (since,)).fetchall()

    def recent_failures(self, limit: int = 10) -> list[Job]:
        return self._select(f"{LATEST} AND state = 'failed'", (), f"ORDER BY updated DESC LIMIT {int(limit)}")

    def done_records(self) -> list[Job]:
        """The latest job of each file that ended done (`digitizer check` looks for their records)."""
        return self._select(f"{LATEST} AND state = 'done' AND record_id IS NOT NULL", (), "ORDER BY id")


def open_ledger(settings: Settings) -> Ledger:
    """The ledger the settings name: PostgreSQL (`database_url`) or the SQLite file. An empty
    ledger file beside stored documents was truncated (a disk fault, a bad copy), not new:
    taken as fresh it would forget every job."""
    path = settings.ledger_path
    if (not settings.database_url and path.is_file() and path.stat().st_size == 0
            and (settings.store_dir / "records").is_dir()):
        raise sqlite3.DatabaseError(f"{path} is empty though the store holds documents")
    return Ledger(settings.database_url or settings.ledger_path, settings.jobs.max_attempts,
                  settings.jobs.retry_seconds)


def boot_id() -> str:
    """This boot of this machine (Linux); '' where the kernel does not say."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()[:8]
    except OSError:
        return ""


def holder_id() -> str:
    """host:boot:pid:start of this worker process: its start time tells it from a later
    process given the same PID (a container restarted in a new PID namespace, same host
    name and boot, hands its first processes the PIDs the old ones had)."""
    return f"{socket.gethostname()}:{boot_id()}:{os.getpid()}:{_start_time(os.getpid())}"


def _start_time(pid: int) -> str:
    """When a process started, in clock ticks since boot (/proc/PID/stat, field 22); '' where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat[stat.rindex(")") + 2:].split()[19]
    except (OSError, ValueError, IndexError):
        return ""


def _process_alive(pid: int) -> bool:
    """A process that exists and is not a zombie (exited, not yet reaped: it holds nothing)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat[stat.rindex(")") + 2] != "Z"
    except FileNotFoundError:
        return False
    except (OSError, ValueError, IndexError):          # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True


def holder_state(holder: str) -> str:
    """'alive'; 'dead' (its process on this machine is gone); 'restarted' (this machine has
    booted since it took the job: a power cut); 'unknown' (another machine: its lease tells)."""
    parts = holder.split(":")            # host:pid, host:boot:pid, host:boot:pid:start (older ones first)
    host, pid = parts[0], parts[2] if len(parts) >= 3 else parts[-1]
    if host != socket.gethostname() or not pid.isdigit():
        return "unknown"
    if len(parts) >= 3 and parts[1] != boot_id():
        return "restarted"
    if not _process_alive(int(pid)):
        return "dead"
    started = parts[3] if len(parts) >= 4 else ""
    if started and _start_time(int(pid)) not in ("", started):
        return "dead"                    # the PID is another process's now
    return "alive"
