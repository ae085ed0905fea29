"""The only stage that touches the object store (and, later, the search index)."""

from .archive import save_outcome, load_record
from .keys import object_keys
from .objects import LocalStore, ObjectStore, open_store

__all__ = ["LocalStore", "ObjectStore", "open_store", "object_keys", "save_outcome", "load_record"]
