"""Write a processed document into the store in the order that makes a record mean 'complete'."""

from __future__ import annotations

import hashlib
import json

from ..intake.detect import EXTENSIONS
from ..model import Record
from ..pipeline import Outcome
from .keys import object_keys, record_key
from .objects import ObjectStore


class StorageError(Exception):
    """What was written does not read back as written."""


def _put_verified(store: ObjectStore, key: str, data: bytes, content_type: str) -> None:
    stored = store.put(key, data, content_type)
    check = store.stat(key)
    digest = hashlib.sha256(data).hexdigest()
    if check is None or check.size != len(data) or check.sha256 != digest or stored.sha256 != digest:
        raise StorageError(f"{key} did not verify after writing")


def save_outcome(store: ObjectStore, outcome: Outcome, original: bytes) -> Record:
    """Original, PDF, text, then the record last. Failed outcomes write nothing."""
    record = outcome.record
    if record.status != "done" or outcome.pdf is None:
        return record
    keys = object_keys(record.id, EXTENSIONS.get(record.source.media_type, "bin"))
    _put_verified(store, keys["original"], original, record.source.media_type)
    _put_verified(store, keys["pdf"], outcome.pdf, "application/pdf")
    _put_verified(store, keys["text"], (outcome.text or "").encode("utf-8"), "text/plain; charset=utf-8")
    record.objects = keys
    body = json.dumps(record.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")
    _put_verified(store, keys["record"], body, "application/json; charset=utf-8")
    return record


def load_record(store: ObjectStore, doc_id: str) -> Record | None:
    key = record_key(doc_id)
    if not store.exists(key):
        return None
    return Record.from_dict(json.loads(store.get(key)))
