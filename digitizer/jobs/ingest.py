"""The one ingest path every entry uses (`digitizer process`, the workers of watch, backfill
and `digitizer worker`):

    read -> already stored? -> process -> store -> index    (ingest)
    then the caller records the verdict in its ledger, and only then the source is filed
    away (file_away): moved to done/ or failed/, the reason written before the move.

Each step's effect is durable before the next starts, so a crash anywhere leaves a state the
next start completes: a document stored but not indexed is indexed when its file is taken
again (it is then a duplicate); a file still in the inbox after its verdict is taken again
and filed away; a file in failed/ always has its reason beside it.
"""

from __future__ import annotations

import errno
import filecmp
import logging
import os
import shutil
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from ..config import Settings
from ..errors import DigitizerError
from ..model import ErrorKind, Outcome, Record
from ..pipeline import PageMap, document_id, failed_record, process
from ..storage import ObjectStore, StoreUnavailable, documents_of, load_record, save_outcome
from ..signing.sign import CentreSigner
from ..storage.index import SearchIndex
from ..storage.revisions import carry_corrections
from .crash import crash_point

log = logging.getLogger(__name__)


@dataclass
class Ingested:
    record: Record | None         # None: the file vanished before it could be read
    outcome: str = ""             # "stored" | "duplicate" (the same content was already stored)
    documents: list[Record] = field(default_factory=list)   # what was indexed: the record, or a stack's documents


def read_input(path: Path) -> bytes | DigitizerError:
    try:
        return path.read_bytes()
    except IsADirectoryError:
        return DigitizerError(ErrorKind.UNSUPPORTED_FORMAT, f"{path} is a folder")
    except OSError as exc:
        return DigitizerError(ErrorKind.TRUNCATED, f"cannot read {path}: {exc.strerror}")


def ingest(path: Path, settings: Settings, store: ObjectStore, index: SearchIndex, dossier: str | None = None,
           page_map: PageMap = map, force: bool = False, signer: CentreSigner | None = None,
           interruptible: Callable[[], AbstractContextManager[None]] = nullcontext) -> Ingested:
    """Read, process unless already stored (with `force`, read again: the new reading replaces
    the stored one, keeping its clerks' corrections), sign (with a `signer`), store, index.
    Never raises for bad input, a store that is down or a signing token that is out: the
    record says what happened. `interruptible`: the context in which a Ctrl-C may abandon the
    work (the pipeline and the signature); storing and indexing, once begun, are finished, so a
    resumed run does not find the file's own result stored and call it a duplicate."""
    if not path.exists():
        return Ingested(None)
    data = read_input(path)
    if isinstance(data, DigitizerError):
        return Ingested(failed_record(path.name, data))
    doc_id = document_id(data)
    try:
        existing = load_record(store, doc_id)
        stored = documents_of(store, existing) if existing is not None and existing.status == "done" else []
    except StoreUnavailable as exc:    # the store is down: the file stays where it is, tried later
        record = failed_record(path.name, DigitizerError(ErrorKind.STORAGE_UNAVAILABLE, str(exc)[:300]))
        record.id = doc_id
        return Ingested(record)
    if existing is not None and existing.status == "done" and not force:
        log.info("%s is already stored as %s", path.name, existing.id[:12])
        for document in stored:   # it may have been stored by a run that died before indexing
            index.add(document)
        return Ingested(existing, "duplicate", stored)
    with interruptible():
        outcome = process(data, path.name, settings, page_map=page_map, dossier=dossier)
        if stored and outcome.record.status == "done":
            _keep_corrections(stored, outcome)
        if signer is not None and outcome.record.status == "done":
            try:
                signer.sign(outcome)
            except DigitizerError as exc:    # nothing unsigned is stored: the file waits for the key
                outcome.record.status, outcome.record.error = "failed", exc.info()
                return Ingested(outcome.record)
    record = save_outcome(store, outcome, data, again=bool(stored))
    if record.status != "done":
        return Ingested(record, "stored", [record])
    crash_point("stored")
    documents = [part.record for part in outcome.parts] if record.is_stack else [record]
    for document in documents:
        index.add(document)
    return Ingested(record, "stored", documents)


def _keep_corrections(stored: list[Record], outcome: Outcome) -> None:
    """A document read again keeps its clerks' corrections and check (a stack's, each of its
    documents that the new split gives again)."""
    before = {document.id: document for document in stored}
    for document in [part.record for part in outcome.parts] or [outcome.record]:
        if document.id in before:
            carry_corrections(before[document.id], document)


def _unique(target: Path) -> Path:
    n, candidate = 1, target
    while candidate.exists():
        candidate = target.with_name(f"{target.stem} ({n}){target.suffix}")
        n += 1
    return candidate


def _move(path: Path, target: Path) -> None:
    """A rename where it can be one; across filesystems (an inbox on a share), a copy under a
    temporary name in the target folder, flushed, renamed into place, and only then the source
    removed: a kill leaves the source whole and at most a `.tmp-` file, never a cut copy."""
    try:
        os.rename(path, target)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    temporary = target.with_name(f".tmp-{target.name}")
    shutil.copyfile(path, temporary)
    with temporary.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(temporary, target)
    crash_point("copied-away")
    path.unlink()


def set_aside(path: Path, folder: Path, reason: str | None = None) -> Path:
    """Move `path` into `folder`, never overwriting; `<name>.error.txt` is written first, so a
    file set aside always has its reason beside it. The same bytes already there under its
    name (a move a kill cut between copy and delete) are not copied twice: the source goes."""
    folder.mkdir(parents=True, exist_ok=True)
    there = folder / path.name
    if there.is_file() and filecmp.cmp(path, there, shallow=False):
        path.unlink()
        return there
    target = _unique(there)
    if reason is not None:
        target.with_name(target.name + ".error.txt").write_text(reason + "\n", encoding="utf-8")
        crash_point("reason-written")
    _move(path, target)
    return target


def file_away(path: Path, record: Record, settings: Settings, give_up: bool = False) -> None:
    """The inbox file after its verdict is recorded: done -> done/DATE/ (or deleted, per
    config), failed -> failed/ with its reason. A transient failure stays in the inbox to be
    tried again, unless the ledger gave up on it (`give_up`)."""
    if not path.exists():
        return
    if record.status == "done":
        if settings.jobs.after_done == "delete":
            path.unlink(missing_ok=True)          # it is in the store, verified
        else:
            set_aside(path, settings.data_dir / "done" / date.today().isoformat())
    elif record.error is not None and (give_up or not record.error.transient):
        set_aside(path, settings.data_dir / "failed", record.error.message)
