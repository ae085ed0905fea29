"""Clerks' corrections: each change an append-only revision object in the store, then the
record's current values (and, by the caller, the search index) follow.

    revisions/<id[:2]>/<id>/<time>-<random>.json     one revision: who, when, field, old, new

Revisions are written before the record, so a crash between them leaves the history whole;
what OCR read is kept in the record's `original` the first time a value changes.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, replace
from datetime import datetime, timezone

from ..model import Field, Record, Revision
from .archive import put_record
from .keys import object_keys
from .objects import ObjectStore

DOC_TYPE = "doc_type"


def _prefix(doc_id: str) -> str:
    object_keys(doc_id, "bin")        # refuses anything that is not a document id
    return f"revisions/{doc_id[:2]}/{doc_id}/"


def current(record: Record, name: str) -> str | None:
    value = _field(record, name)
    return (value.value or None) if value is not None else None     # a handwritten field not typed in yet: None


def _field(record: Record, name: str) -> Field | None:
    return record.doc_type if name == DOC_TYPE else record.fields.get(name)


def _set_field(record: Record, name: str, value: Field | None) -> None:
    if name == DOC_TYPE:
        record.doc_type = value
    elif value is None:
        record.fields.pop(name, None)
    else:
        record.fields[name] = value


def revise(store: ObjectStore, record: Record, changes: dict[str, str | None], user: str,
           verified: bool = False) -> list[Revision]:
    """Apply `changes` (None or "" removes a value) to the stored record, as `user`; mark it
    checked by a person if `verified`. Returns the revisions written (none for no change)."""
    now = datetime.now(timezone.utc).astimezone()
    at = now.isoformat(timespec="seconds")
    made = []
    for name, new in changes.items():
        new = new or None
        old = current(record, name)
        if new == old:
            continue
        made.append(Revision(at, user, name, old, new))
        record.original.setdefault(name, old)
        before = _field(record, name)
        # Where it was read (page, box, block, handwritten) stays: the crop a person typed it from.
        _set_field(record, name, None if new is None else replace(before, value=new, confidence=1.0) if before
                   else Field(new, 1.0))
    if verified:
        made.append(Revision(at, user, "verified", None, user))
        record.verified = {"by": user, "at": at}
    elif made and record.verified and record.verified.get("by") != user:
        # Changed by someone other than who checked it: the check no longer covers the values.
        made.append(Revision(at, user, "verified", record.verified.get("by"), None))
        record.verified = None
    if not made:
        return []
    stamp = now.strftime("%Y%m%dT%H%M%S%f")
    for i, revision in enumerate(made):
        key = f"{_prefix(record.id)}{stamp}-{i:03d}-{uuid.uuid4().hex[:8]}.json"
        store.put(key, json.dumps(asdict(revision), ensure_ascii=False).encode(), "application/json; charset=utf-8")
    put_record(store, record)
    return made


def carry_corrections(old: Record, new: Record) -> None:
    """A document read again (`process --force`) keeps what people did to it: each value a
    clerk set stays as they set it, with what OCR reads now as its `original` (none where OCR
    now reads it so); the person's check stays only where every value is still what they
    checked. The revisions, objects of their own, are untouched."""
    for name in old.original:
        read_now = current(new, name)
        if current(old, name) != read_now:
            new.original[name] = read_now
        _set_field(new, name, _field(old, name))
    names = {DOC_TYPE, *old.fields, *new.fields}
    if old.verified and all(current(old, name) == current(new, name) for name in names):
        new.verified = old.verified


def revisions_of(store: ObjectStore, doc_id: str) -> list[Revision]:
    """The document's whole history of corrections, oldest first."""
    keys = sorted(store.keys(_prefix(doc_id)))
    return [Revision(**json.loads(store.get(key))) for key in keys]
