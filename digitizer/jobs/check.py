"""`digitizer check`: the store, the search index and the ledger compared, and what disagrees.

The store is the source of truth. A document searchable with nothing behind it (the bucket
was deleted or emptied, an object lost) is taken out of the index by `--repair`; a stored
document the index lacks (a crash between storing and indexing, an index restored from an
old backup) is indexed; a file the ledger says is done whose record the store lacks is
queued again when its source is still where it was read, else named for a person to drop in
again. Listing keys is the only walk over the store: records are read only where they disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..storage import ObjectStore, SearchIndex, load_record
from .ledger import Ledger


@dataclass
class Finding:
    kind: str           # one of KINDS
    id: str             # the document's id, or the ledger job's number
    name: str           # the file's name or path, for a person
    repaired: bool = False


KINDS = {
    "indexed_without_record": "searchable, but the store has no record",
    "indexed_without_pdf": "searchable, but the store has no PDF",
    "indexed_without_original": "searchable, but the store has no original",
    "stored_not_indexed": "stored, but not searchable",
    "stored_without_pdf": "stored, but the store has no PDF (process it again)",
    "done_without_record": "done in the ledger, but the store has no record",
}


@dataclass
class Check:
    stored: int = 0                     # documents with a record in the store
    indexed: int = 0
    done: int = 0                       # files the ledger says are done
    findings: list[Finding] = field(default_factory=list)

    @property
    def unrepaired(self) -> int:
        return sum(not f.repaired for f in self.findings)


def _ids(store: ObjectStore, prefix: str) -> dict[str, str]:
    """id -> key of every object under `prefix` (named <shard>/<id>.<ext>)."""
    return {PurePosixPath(key).name.split(".")[0]: key for key in store.keys(prefix)}


def check(store: ObjectStore, index: SearchIndex, ledger: Ledger, repair: bool = False) -> Check:
    records, pdfs, originals = _ids(store, "records/"), _ids(store, "pdf/"), _ids(store, "originals/")
    indexed = index.ids()
    jobs = ledger.done_records()
    result = Check(stored=len(records), indexed=len(indexed), done=len(jobs))

    original_keys = set(originals.values())
    gone: list[Finding] = []
    for doc_id in sorted(indexed):
        if doc_id not in records:
            kind = "indexed_without_record"
        elif doc_id not in pdfs:
            kind = "indexed_without_pdf"
        elif doc_id in originals:
            continue
        else:
            kind = "indexed_without_original"
        record = index.record(doc_id)
        # A stack's documents share the stack's original, under the stack's id.
        if kind == "indexed_without_original" and (record is None or record.objects.get("original") in original_keys):
            continue
        gone.append(Finding(kind, doc_id, record.source.name if record else ""))
    # Nothing to open behind them: out of the index. A document missing only its original
    # still has its PDF and stays searchable; it is named for a person.
    unopenable = [f for f in gone if f.kind != "indexed_without_original"]
    if repair and unopenable:
        index.remove(f.id for f in unopenable)
        for finding in unopenable:
            finding.repaired = True
        indexed -= {f.id for f in unopenable}     # a record left without its PDF is named below
    result.findings += gone

    for doc_id in sorted(set(records) - indexed):
        record = load_record(store, doc_id)
        if record is None or record.is_stack or record.status != "done":
            continue                    # a stack's own record is not indexed: its documents are
        if doc_id not in pdfs:          # not indexed again: there is nothing to open
            result.findings.append(Finding("stored_without_pdf", doc_id, record.source.name))
            continue
        finding = Finding("stored_not_indexed", doc_id, record.source.name)
        if repair:
            index.add(record)
            finding.repaired = True
        result.findings.append(finding)

    for job in jobs:
        if job.record_id in records:
            continue
        finding = Finding("done_without_record", str(job.id), str(job.source))
        if repair and job.source.is_file():
            finding.repaired = ledger.requeue(job.id)
        result.findings.append(finding)
    return result
