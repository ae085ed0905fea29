"""Who saw which citizen's data, and when (Decree 13/2023 asks that processing of personal
data be recorded). One row per answer that shows it: a search's hits, a dossier, a document,
a citizen's papers, a download. Kept in the ledger's database; read by an admin.

A request does not wait for its row: `AccessWriter` hands rows to a thread that writes them
in batches, and writes what is left when the server stops.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .database import Database

log = logging.getLogger(__name__)

MIGRATIONS = ["""
CREATE TABLE IF NOT EXISTS access_log (
    at DOUBLE PRECISION NOT NULL, username TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL,
    doc_id TEXT, subject TEXT, address TEXT);
CREATE INDEX IF NOT EXISTS access_log_at ON access_log(at)
""", """
ALTER TABLE access_log ADD COLUMN query TEXT;
ALTER TABLE access_log ADD COLUMN shown TEXT;
CREATE INDEX IF NOT EXISTS access_log_user ON access_log(username, at);
CREATE INDEX IF NOT EXISTS access_log_subject ON access_log(subject, at)
"""]
_COLUMNS = "at, username, role, action, doc_id, subject, address, query, shown"


@dataclass
class Access:
    at: float
    user: str
    role: str
    action: str               # the route: "GET /doc/{id}", "GET /api/search", ...
    doc_id: str | None        # the one document shown, when it was one
    subject: str | None       # a citizen's id number asked for (a filter, the citizen page)
    address: str | None
    query: str | None = None  # what was asked: the query string as sent
    shown: list[str] = field(default_factory=list)    # the documents in the answer


@dataclass
class AccessFilter:
    user: str | None = None
    subject: str | None = None
    doc_id: str | None = None
    since: float | None = None
    until: float | None = None


class AccessLog:
    def __init__(self, target: str | Path) -> None:
        self.db = Database(target)
        self.db.migrate("access_log", MIGRATIONS)

    def add_many(self, entries: list[Access]) -> None:
        with self.db.transaction():
            for e in entries:
                self.db.execute(f"INSERT INTO access_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                (e.at, e.user, e.role, e.action, e.doc_id, e.subject, e.address, e.query,
                                 json.dumps(e.shown) if e.shown else None))

    def page(self, where: AccessFilter, limit: int = 100, offset: int = 0) -> tuple[int, list[Access]]:
        """(how many match, the rows from `offset`), newest first."""
        conditions, params = ["1=1"], []
        for condition, value in (("username = ?", where.user), ("subject = ?", where.subject),
                                 ("(doc_id = ? OR shown LIKE ?)", where.doc_id), ("at >= ?", where.since),
                                 ("at < ?", where.until)):
            if value:
                conditions.append(condition)
                params += [value, f'%"{value}"%'] if "shown" in condition else [value]
        sql = " AND ".join(conditions)
        total = int(self.db.execute(f"SELECT count(*) FROM access_log WHERE {sql}", params).fetchone()[0])
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM access_log WHERE {sql} ORDER BY at DESC LIMIT ? OFFSET ?",
                               (*params, limit, offset)).fetchall()
        return total, [Access(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7],
                              json.loads(row[8]) if row[8] else []) for row in rows]

    def close(self) -> None:
        self.db.close()


class AccessWriter:
    """Rows handed over without waiting; one thread writes them, up to BATCH at a time. A
    failed write (the database restarting) keeps its rows for the next try; `close()` writes
    the rest before the server exits."""

    BATCH = 500

    def __init__(self, target: str | Path) -> None:
        self.target = target
        self.rows: queue.Queue[Access | None] = queue.Queue()
        self.idle = threading.Condition()
        self.pending = 0
        self.thread = threading.Thread(target=self._run, name="access-log", daemon=True)
        self.thread.start()

    def add(self, entry: Access) -> None:
        with self.idle:
            self.pending += 1
        self.rows.put(entry)

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until every row handed over so far is written (the admin reads a whole log)."""
        with self.idle:
            self.idle.wait_for(lambda: self.pending == 0, timeout)

    def close(self) -> None:
        self.rows.put(None)
        self.thread.join(timeout=30)

    def _run(self) -> None:
        book = AccessLog(self.target)
        batch: list[Access] = []
        stopping, tries_left = False, 3
        try:
            while True:
                if not stopping:
                    stopping = self._collect(batch)
                if batch:
                    try:
                        book.add_many(batch)
                    except Exception as exc:      # kept for the next try
                        log.warning("access log not written yet (%s); %d row(s) kept", exc, len(batch))
                        tries_left -= stopping
                        if not tries_left:
                            log.error("access log: %d row(s) could not be written at shutdown", len(batch))
                            return
                        time.sleep(1.0)
                        continue
                    with self.idle:
                        self.pending -= len(batch)
                        self.idle.notify_all()
                    batch = []
                if stopping:
                    return
        finally:
            book.close()

    def _collect(self, batch: list[Access]) -> bool:
        """Add waiting rows to `batch` (waiting for one when it is empty); True once told to stop."""
        while len(batch) < self.BATCH:
            try:
                item = self.rows.get(block=not batch)
            except queue.Empty:
                return False
            if item is None:
                return True
            batch.append(item)
        return False
