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

    def create_schema(self, sql: str, table: str) -> None:
        """Run the schema statements unless `table` (one of theirs) exists. They run in one
        transaction, so an existing table means a whole schema, and opening costs one read,
        no lock (the web page opens a connection per request). Workers start together: one at
        a time lays it out, as PostgreSQL's CREATE ... IF NOT EXISTS is not safe against a
        concurrent twin (a unique violation in pg_type)."""
        if self.has_table(table):
            return
        with self.transaction():
            if self.postgres:
                self.conn.execute("SELECT pg_advisory_xact_lock(7243)")
            self.script(sql)

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
