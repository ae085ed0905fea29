"""The clerks' login sessions, kept on the server so that they can be ended.

The browser's cookie holds a random token; this table holds its sha256 (a copy of the
database gives nobody a cookie), who it is, and a fingerprint of the user's role and password
hash at login. A session ends at logout, when the user's password or role changes (the
fingerprint no longer matches the settings), when an admin ends it, after `idle` seconds
without a request and `absolute` seconds after login. Kept in the ledger's database, beside
the access log.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .database import Database

MIGRATIONS = ["""
CREATE TABLE IF NOT EXISTS web_sessions (
    id TEXT PRIMARY KEY, username TEXT NOT NULL, credential TEXT NOT NULL, address TEXT,
    created DOUBLE PRECISION NOT NULL, seen DOUBLE PRECISION NOT NULL, ended DOUBLE PRECISION);
CREATE INDEX IF NOT EXISTS web_sessions_user ON web_sessions(username)
"""]
TOUCH_SECONDS = 60.0      # `seen` is written at most this often per session: a page's images are one visit


@dataclass
class Session:
    username: str
    address: str | None
    created: float
    seen: float


def fingerprint(role: str, password_hash: bytes) -> str:
    """What a session remembers of its user's credential: a change of either ends it."""
    return hashlib.sha256(role.encode() + b"\0" + password_hash).hexdigest()[:32]


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    def __init__(self, target: str | Path) -> None:
        self.db = Database(target)
        self.db.migrate("web_sessions", MIGRATIONS)

    def close(self) -> None:
        self.db.close()

    def start(self, username: str, credential: str, address: str | None) -> str:
        """A new session; the token for the cookie."""
        token, now = secrets.token_urlsafe(32), time.time()
        self.db.execute("INSERT INTO web_sessions (id, username, credential, address, created, seen) "
                        "VALUES (?, ?, ?, ?, ?, ?)", (_key(token), username, credential, address, now, now))
        return token

    def check(self, token: str, credential_of: Callable[[str], str | None], idle: float,
              absolute: float) -> str | None:
        """The session's user while it is valid, else None."""
        row = self.db.execute("SELECT username, credential, created, seen, ended FROM web_sessions WHERE id = ?",
                              (_key(token),)).fetchone()
        if row is None:
            return None
        username, credential, created, seen, ended = row
        now = time.time()
        if ended is not None or now - created > absolute or now - seen > idle or credential_of(username) != credential:
            return None
        if now - seen > TOUCH_SECONDS:
            self.db.execute("UPDATE web_sessions SET seen = ? WHERE id = ?", (now, _key(token)))
        return str(username)

    def end(self, token: str) -> None:
        self.db.execute("UPDATE web_sessions SET ended = ? WHERE id = ? AND ended IS NULL", (time.time(), _key(token)))

    def end_all(self, username: str | None = None) -> int:
        """End every open session (of one user); how many were open."""
        where, params = ("AND username = ?", (username,)) if username else ("", ())
        return int(self.db.execute(f"UPDATE web_sessions SET ended = ? WHERE ended IS NULL {where}",
                                   (time.time(), *params)).rowcount)

    def open_sessions(self, idle: float, absolute: float) -> list[Session]:
        """Sessions not ended nor timed out, latest first (the admin's view)."""
        now = time.time()
        rows = self.db.execute("SELECT username, address, created, seen FROM web_sessions WHERE ended IS NULL "
                               "AND created > ? AND seen > ? ORDER BY seen DESC", (now - absolute, now - idle))
        return [Session(*row) for row in rows.fetchall()]
