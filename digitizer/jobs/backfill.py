"""Backfill of an archive: find what is new, follow the batch in the ledger, report.

The archive is only read. A file is known by its path, size and modification time, so a
re-run skips what was done (or failed) without reading it again; the workers skip content
already in the store by its sha256 (reported as duplicates).
"""

from __future__ import annotations

import csv
import json
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterator

from ..intake.inbox import candidates
from .ledger import STATES, Job, Ledger

REPORT_COLUMNS = ["path", "state", "outcome", "record_id", "pages", "error_kind", "error"]


def batch_of(root: Path) -> str:
    return f"backfill:{root}"


def dossier_in_archive(path: Path, root: Path) -> str | None:
    """In an archive a dossier is the folder that holds the file (archives nest by year)."""
    parent = path.parent.relative_to(root).as_posix()
    return None if parent == "." else parent


@dataclass
class Plan:
    new: int = 0          # files queued by this run
    known: int = 0        # done or failed before, unchanged: skipped without reading
    resumed: int = 0      # still queued from an interrupted run


def plan(ledger: Ledger, root: Path) -> Plan:
    """Queue every file of the archive the ledger has not seen in this size and version."""
    known = ledger.known(root)
    result = Plan()

    def new_files() -> Iterator[tuple[str, str | None, int, float]]:
        for path in candidates(root):
            rel = path.relative_to(root).as_posix()
            st = path.stat()
            seen = known.get(rel)
            if seen is not None and (seen[0] in ("queued", "processing") or seen[1:] == (st.st_size, st.st_mtime)):
                result.known += seen[0] in ("done", "failed")
                result.resumed += seen[0] in ("queued", "processing")
                continue
            result.new += 1
            yield rel, dossier_in_archive(path, root), st.st_size, st.st_mtime

    ledger.add_many(root, new_files(), mode="archive", batch=batch_of(root))
    return result


def failed_paths(report: Path) -> list[str]:
    """The failed files listed in a report (.csv or .json) of an earlier run."""
    if report.suffix == ".json":
        rows = json.loads(report.read_text(encoding="utf-8"))["files"]
    else:
        with report.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    return [row["path"] for row in rows if row["state"] == "failed"]


@dataclass
class Progress:
    """What a run has done, for the progress line and the ETA."""
    started: float = field(default_factory=time.monotonic)
    done0: int = 0
    pages0: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    duplicates: int = 0
    pages: int = 0

    def update(self, ledger: Ledger, batch: str) -> None:
        self.counts, self.duplicates, self.pages = ledger.progress(batch)

    def start(self, ledger: Ledger, batch: str) -> None:
        self.update(ledger, batch)
        self.done0 = self.counts["done"] + self.counts["failed"]
        self.pages0 = self.pages

    @property
    def open(self) -> int:
        return self.counts["queued"] + self.counts["processing"]

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        finished = self.counts["done"] + self.counts["failed"]
        total = finished + self.open
        rate = (finished - self.done0) / elapsed
        eta = _duration(self.open / rate) if rate > 0 else "?"
        width = 24
        filled = int(width * finished / total) if total else width
        return (f"[{'#' * filled}{'.' * (width - filled)}] {finished}/{total} documents  "
                f"{(self.pages - self.pages0) * 60 / elapsed:.1f} pages/min  "
                f"{self.counts['failed']} failed  {self.duplicates} duplicate  ETA {eta}")


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 86400:
        return f"{seconds // 86400}d {seconds % 86400 // 3600}h"
    if seconds >= 3600:
        return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m {seconds % 60:02d}s"


def _row(job: Job) -> dict:
    state = "duplicate" if job.state == "done" and job.outcome == "duplicate" else job.state
    return {"path": job.path, "state": state, "outcome": job.outcome, "record_id": job.record_id,
            "pages": job.pages, "error_kind": job.error_kind, "error": job.error}


def write_report(ledger: Ledger, root: Path, folder: Path, progress: Progress, interrupted: bool) -> tuple[Path, Path]:
    """REPORT.csv and REPORT.json of every file of the archive the ledger knows."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"backfill-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    rows = [_row(job) for job in ledger.batch_jobs(batch_of(root))]
    summary = {state: sum(r["state"] == state for r in rows)
               for state in ("done", "duplicate", "failed", "queued", "processing")}
    with stem.with_suffix(".csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, REPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    stem.with_suffix(".json").write_text(json.dumps({
        "root": str(root), "finished": datetime.now().astimezone().isoformat(timespec="seconds"),
        "interrupted": interrupted, "summary": summary, "progress": asdict(progress), "files": rows},
        ensure_ascii=False, indent=1), encoding="utf-8")
    return stem.with_suffix(".csv"), stem.with_suffix(".json")
