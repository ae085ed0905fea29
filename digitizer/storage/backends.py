"""Which object store and search index the settings name. The backends import only what is
below them (objects, index), never this module, so there is no import cycle between them.
The S3 and PostgreSQL clients are imported only when the settings name them: a local
install starts without them (0.3 s of every command)."""

from __future__ import annotations

from ..config import Settings
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
