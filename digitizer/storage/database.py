"""One small SQL connection type over SQLite (a file, the embedded default) and PostgreSQL
(a URL, shared by many machines), so that the ledger's SQL is written once.

Statements use `?` placeholders; for PostgreSQL they become `%s`. Every statement commits
on its own (autocommit) unless it runs inside `transaction()`.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence


class SchemaTooNew(Exception):
    """The database was migrated by a newer digitizer."""


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def _connect_sqlite(path: Path, timeout: float = 60.0, **options: Any) -> sqlite3.Connection:
    """A connection in WAL mode. Switching a fresh file to WAL needs its exclusive lock, and
    SQLite does not wait for that lock (a shared lock cannot wait on another's without risking
    deadlock: "database is locked" at once), so processes opening a new file together retry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=timeout, **options)
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return conn
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                conn.close()
                raise
            time.sleep(0.01)


class Database:
    def __init__(self, target: str | Path) -> None:
        self.postgres = is_postgres(str(target))
        self.where = "PostgreSQL" if self.postgres else str(target)      # for messages: never the URL's password
        if self.postgres:
            import psycopg

            self.conn: Any = psycopg.connect(str(target), autocommit=True)
        else:
            # One user at a time per connection is the caller's promise (a thread may hand it on).
            self.conn = _connect_sqlite(Path(target), isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA synchronous=FULL")     # a power cut must not lose a state change

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.postgres else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The cursor: fetchone(), fetchall(), rowcount."""
        return self.conn.execute(self._sql(sql), tuple(params))

    def script(self, sql: str) -> None:
        for statement in filter(str.strip, sql.split(";")):
            self.conn.execute(statement)

    def has_table(self, name: str) -> bool:
        sql = ("SELECT to_regclass(?) IS NOT NULL" if self.postgres else
               "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?")
        return bool(self.execute(sql, (name,)).fetchone()[0])

    def migrate(self, component: str, steps: list[str]) -> int:
        """Bring `component`'s tables to version len(steps): each step's statements run once,
        in order, recorded in `schema_versions` in the same transaction. Opening a database
        that is up to date costs one read and no lock (the web page opens one per request).
        Workers start together: one at a time migrates, as PostgreSQL's CREATE ... IF NOT
        EXISTS is not safe against a concurrent twin (a unique violation in pg_type). Step 1
        of an existing component is its layout from before versions were kept (IF NOT EXISTS),
        so such a database is adopted as version 1. Returns the version."""
        target = len(steps)
        if self.has_table("schema_versions") and self._version(component) == target:
            return target
        with self.transaction():
            if self.postgres:
                self.conn.execute("SELECT pg_advisory_xact_lock(7243)")
            self.script("CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, "
                        "version INTEGER NOT NULL)")
            current = self._version(component)
            if current > target:
                raise SchemaTooNew(f"the {component} tables ({self.where}) are at schema version {current}, newer "
                                   f"than this digitizer knows ({target}): upgrade digitizer on this machine")
            for sql in steps[current:]:
                self.script(sql)
            self.execute("DELETE FROM schema_versions WHERE component = ?", (component,))
            self.execute("INSERT INTO schema_versions (component, version) VALUES (?, ?)", (component, target))
        return target

    def _version(self, component: str) -> int:
        if not self.has_table("schema_versions"):
            return 0
        row = self.execute("SELECT version FROM schema_versions WHERE component = ?", (component,)).fetchone()
        return int(row[0]) if row else 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self.postgres:
            with self.conn.transaction():
                yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()
