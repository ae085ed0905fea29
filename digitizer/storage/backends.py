"""Which object store and search index the settings name. The backends import only what is
below them (objects, index), never this module, so there is no import cycle between them.
The S3 and PostgreSQL clients are imported only when the settings name them: a local
install starts without them (0.3 s of every command)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from ..config import Settings
from ..model import Record
from .index import SearchIndex, SqliteIndex
from .objects import LocalStore, ObjectStore


def open_store(settings: Settings) -> ObjectStore:
    """S3 when an endpoint is configured, else the local folder under the data directory."""
    if settings.s3.endpoint:
        from .s3 import S3Store
        return S3Store.from_settings(settings.s3)
    return LocalStore(settings.store_dir)


def open_index(settings: Settings) -> SearchIndex:
    """PostgreSQL when `database_url` is set (shared by many machines), else the SQLite file."""
    if settings.database_url:
        from .pg_index import PostgresIndex
        return PostgresIndex(settings.database_url)
    return SqliteIndex(settings.index_path)


def reindex(settings: Settings, records: Iterable[Record]) -> int:
    """The search index rebuilt from `records` (the store), whatever state the old one is in.
    SQLite: built beside it in a new file and swapped in (a damaged or half-migrated file is
    never opened); PostgreSQL: replaced in one transaction. Documents a running worker indexes
    meanwhile go to the old file: run it with the service stopped, or again after."""
    if settings.database_url:
        index = open_index(settings)
        try:
            return index.rebuild(records)
        finally:
            index.close()
    target = settings.index_path
    fresh = target.with_name(target.name + ".rebuild")
    _remove_sqlite(fresh)
    index = SqliteIndex(fresh)
    try:
        count = index.rebuild(records)
    finally:
        index.close()
    for suffix in ("-wal", "-shm"):         # the old file's journal must not be applied to the new one
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(fresh, target)
    return count


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

