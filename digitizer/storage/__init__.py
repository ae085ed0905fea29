"""The only stage that touches the object store and the search index."""

from .archive import documents_of, load_record, records_in, save_outcome
from .backends import open_index, open_store, reindex
from .index import Filters, SearchIndex, SqliteIndex
from .keys import object_keys
from .revisions import revise, revisions_of
from .objects import LocalStore, ObjectStore, StoreConfigError, StoreUnavailable

__all__ = ["Filters", "SearchIndex", "SqliteIndex", "open_index", "records_in", "LocalStore", "ObjectStore",
           "StoreConfigError", "StoreUnavailable", "open_store", "object_keys", "save_outcome",
           "load_record", "documents_of", "revise", "revisions_of", "reindex"]
