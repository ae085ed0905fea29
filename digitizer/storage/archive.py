"""Write a processed document into the store in the order that makes a record mean 'complete'."""

from __future__ import annotations

import json
import re
from typing import Callable, Iterator

from .. import __version__
from ..errors import DigitizerError
from ..text import fold
from ..model import EXTENSIONS, ErrorKind, Outcome, Record
from .keys import object_keys, record_key
from .objects import ObjectStore, StoreUnavailable


class StorageError(Exception):
    """What was written does not read back as written."""


def _put_verified(store: ObjectStore, key: str, data: bytes, content_type: str, metadata: dict[str, str],
                  peers: Callable[[bytes], bool] = lambda stored: False) -> None:
    """Write, then read back. What reads back otherwise may be a peer's whole write of the same
    document (`peers` tells it): two copies of a scan read at once by two workers store
    under one id, each its own record, and the last write stands."""
    store.put(key, data, content_type, metadata)
    if store.verify(key, data):
        return
    try:
        stored = store.get(key)
    except KeyError:
        stored = None
    if stored is None or not peers(stored):
        raise StoreUnavailable(f"{key} did not verify after writing")


def _whole_pdf(stored: bytes) -> bool:
    return stored.startswith(b"%PDF-") and stored.rstrip().endswith(b"%%EOF")


def _text(stored: bytes) -> bool:
    try:
        stored.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _record_of(doc_id: str) -> Callable[[bytes], bool]:
    def done(stored: bytes) -> bool:
        try:
            found = json.loads(stored)
        except ValueError:
            return False
        return isinstance(found, dict) and found.get("id") == doc_id and found.get("status") == "done"
    return done


def ascii_metadata(record: Record) -> dict[str, str]:
    """Facts safe for HTTP headers; Vietnamese values stay in the record JSON."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(record.doc_type.value)).strip("-") if record.doc_type else "unknown"
    return {"sha256": record.id, "schema": str(record.schema), "pipeline-version": __version__, "doc-type": slug}


def save_outcome(store: ObjectStore, outcome: Outcome, original: bytes, again: bool = False) -> Record:
    """Original, PDF, text, then the record last, each verified after writing. A document
    already complete in the store is not written again, unless read `again` (its PDF, text
    and record then replace the old ones, the record last). Failed outcomes write nothing;
    a store that stays unreachable turns the record into a transient failure.

    A stack: the original once, then each document's PDF, text and record (its original is
    the stack's), then the stack's record, last: its presence means every document is stored."""
    record = outcome.record
    if record.status != "done" or (outcome.pdf is None and not outcome.parts):
        return record
    ext = EXTENSIONS.get(record.source.media_type, "bin")
    keys = object_keys(record.id, ext)
    try:
        existing = None if again else load_record(store, record.id)     # read again: it is there
        if existing is not None and existing.status == "done":
            return existing
        _put_verified(store, keys["original"], original, record.source.media_type, ascii_metadata(record))
        for part in outcome.parts:
            _save_document(store, part, keys["original"])
        if outcome.parts:
            keys = {"original": keys["original"], "record": keys["record"]}
        else:
            _save_document(store, outcome, keys["original"])
            return record
        record.objects = keys
        put_record(store, record)
    except StoreUnavailable as exc:
        record.status = "failed"
        record.objects = {}
        record.error = DigitizerError(ErrorKind.STORAGE_UNAVAILABLE, str(exc)[:300]).info()
    return record


def _save_document(store: ObjectStore, outcome: Outcome, original_key: str) -> None:
    """A document's PDF, text and record, beside an original already stored under `original_key`."""
    record = outcome.record
    keys = object_keys(record.id, "bin")
    meta = ascii_metadata(record)
    _put_verified(store, keys["pdf"], outcome.pdf or b"", "application/pdf", meta, _whole_pdf)
    _put_verified(store, keys["text"], (outcome.text or "").encode("utf-8"), "text/plain; charset=utf-8", meta, _text)
    record.objects = {**keys, "original": original_key}
    put_record(store, record)


def put_record(store: ObjectStore, record: Record) -> None:
    body = json.dumps(record.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")
    _put_verified(store, record.objects["record"], body, "application/json; charset=utf-8", ascii_metadata(record),
                  _record_of(record.id))


def documents_of(store: ObjectStore, record: Record) -> list[Record]:
    """The documents a stored record stands for: a stack's own, or the record itself."""
    if not record.is_stack:
        return [record]
    found = [load_record(store, part.id) for part in record.documents]
    return [doc for doc in found if doc is not None]


def records_in(store: ObjectStore) -> Iterator[Record]:
    """Every record in the store: the source of truth the search index is rebuilt from."""
    for key in store.keys("records/"):
        if key.endswith(".json"):
            yield Record.from_dict(json.loads(store.get(key)))


def load_record(store: ObjectStore, doc_id: str) -> Record | None:
    try:
        return Record.from_dict(json.loads(store.get(record_key(doc_id))))
    except KeyError:
        return None
