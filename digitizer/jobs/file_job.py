"""One inbox file: process, store, then move it to done/ or failed/ with its reason."""

from __future__ import annotations

import logging
import shutil
from datetime import date
from pathlib import Path

from ..config import Settings
from ..model import Record, SourceInfo
from ..errors import DigitizerError
from ..pipeline import document_id, failed_outcome, process
from ..storage import ObjectStore, StoreUnavailable, load_record, save_outcome

log = logging.getLogger(__name__)


def _unique(target: Path) -> Path:
    n, candidate = 1, target
    while candidate.exists():
        candidate = target.with_name(f"{target.stem} ({n}){target.suffix}")
        n += 1
    return candidate


def set_aside(path: Path, folder: Path, reason: str | None = None) -> Path:
    """Move `path` into `folder`, never overwriting; write `<name>.error.txt` beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    target = _unique(folder / path.name)
    shutil.move(str(path), target)
    if reason is not None:
        target.with_name(target.name + ".error.txt").write_text(reason + "\n", encoding="utf-8")
    return target


def run_file_job(path: Path, settings: Settings, store: ObjectStore, dossier: str | None = None,
                 settle_source: bool = True) -> tuple[Record | None, str]:
    """(record, "stored" | "duplicate"); the record is None when the file vanished before it
    could be read. With `settle_source` (an inbox) the file then moves to done/ or failed/
    (or is deleted, per config); an archive's files are never touched."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, ""
    outcome, doc_id = "stored", document_id(data)
    try:
        existing = load_record(store, doc_id)
    except StoreUnavailable as exc:   # the store is down: leave the file where it is, try later
        record = Record(id=doc_id, source=SourceInfo(path.name, len(data), ""))
        return failed_outcome(record, DigitizerError("storage_unavailable", str(exc)[:300]), 0.0).record, outcome
    if existing is not None and existing.status == "done":
        record, outcome = existing, "duplicate"
        log.info("%s is already stored as %s", path.name, record.id[:12])
    else:
        record = save_outcome(store, process(data, path.name, settings, dossier=dossier), data)
    if not settle_source:
        return record, outcome
    if record.status == "done":
        if settings.jobs.after_done == "delete":
            path.unlink(missing_ok=True)          # it is in the store, verified
        else:
            set_aside(path, settings.data_dir / "done" / date.today().isoformat())
    elif record.error is not None and not record.error.transient:
        set_aside(path, settings.data_dir / "failed", record.error.message)
    # Transient failures stay in the inbox and are tried again on a later pass.
    return record, outcome
