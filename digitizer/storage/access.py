"""Who looked at which document holding personal data, and when (Decree 13/2023 asks that
processing of personal data be recorded). Kept in the ledger's database; read by an admin."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .database import Database

MIGRATIONS = ["""
CREATE TABLE IF NOT EXISTS access_log (
    at DOUBLE PRECISION NOT NULL, username TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL,
    doc_id TEXT, subject TEXT, address TEXT);
CREATE INDEX IF NOT EXISTS access_log_at ON access_log(at)
"""]


@dataclass
class Access:
    at: float
    user: str
    role: str
    action: str               # the route: "GET /doc/{id}", "PATCH /api/documents/{id}", ...
    doc_id: str | None
    subject: str | None       # a citizen's id number looked up, when that was the request
    address: str | None


class AccessLog:
    def __init__(self, target: str | Path) -> None:
        self.db = Database(target)
        self.db.migrate("access_log", MIGRATIONS)

    def add(self, entry: Access) -> None:
        self.db.execute("INSERT INTO access_log (at, username, role, action, doc_id, subject, address) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)", (entry.at, entry.user, entry.role, entry.action,
                                                         entry.doc_id, entry.subject, entry.address))

    def recent(self, limit: int = 200, doc_id: str | None = None) -> list[Access]:
        where, params = ("WHERE doc_id = ?", [doc_id]) if doc_id else ("", [])
        rows = self.db.execute(f"SELECT at, username, role, action, doc_id, subject, address FROM access_log "
                               f"{where} ORDER BY at DESC LIMIT ?", (*params, limit)).fetchall()
        return [Access(*row) for row in rows]

    def close(self) -> None:
        self.db.close()


def now() -> float:
    return time.time()
