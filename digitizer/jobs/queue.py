"""Jobs on Huey: the watch service enqueues, worker processes run the pipeline.

The ledger is the source of truth and the queue only carries job ids: a task first claims
its job in the ledger (atomically), so a duplicate or stale task does nothing, and a
reconciler re-enqueues every ledger job that is due, which covers tasks the queue lost,
jobs interrupted by a crash, and transient failures whose backoff has passed.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Callable

from huey import SqliteHuey

from ..config import Settings
from ..storage import SqliteIndex, open_store
from .file_job import run_file_job, set_aside
from .ledger import Ledger

log = logging.getLogger(__name__)


def make_queue(settings: Settings, inbox: Path) -> tuple[SqliteHuey, Callable[[int], object]]:
    """A Huey on SQLite (no server) and the task that processes one ledger job."""
    huey = SqliteHuey("digitizer", filename=str(settings.data_dir / "queue.sqlite"))

    @huey.task()
    def process_job(job_id: int) -> str:
        ledger = Ledger(settings.ledger_path, settings.jobs.max_attempts, settings.jobs.retry_seconds)
        try:
            if not ledger.claim(job_id):
                return "skipped"                 # done, taken by another worker, or not due yet
            job = ledger.get(job_id)
            assert job is not None
            path = inbox / job.path
            record = run_file_job(path, inbox, settings, open_store(settings), dossier=job.dossier)
            verdict = ledger.finish(job_id, record)
            if record is None:
                log.warning("%s disappeared before it could be read", job.path)
                return verdict.state
            index = SqliteIndex(settings.index_path)
            index.add(record)
            index.close()
            if verdict.give_up and path.exists():
                set_aside(path, settings.data_dir / "failed", record.error.message if record.error else "")
            log.info("%s %s %s", verdict.state, job.path, record.error.message if record.error else record.id[:12])
            return verdict.state
        finally:
            ledger.close()

    return huey, process_job


def reconcile(settings: Settings, enqueue: Callable[[int], object], stop: threading.Event,
              wake: threading.Event, every: float = 5.0) -> None:
    """Until `stop`: hand the ledger's due jobs to the queue (at once when woken)."""
    ledger = Ledger(settings.ledger_path, settings.jobs.max_attempts, settings.jobs.retry_seconds)
    try:
        while not stop.is_set():
            wake.clear()
            for job_id in ledger.to_enqueue():
                enqueue(job_id)
                ledger.mark_enqueued(job_id)
            wake.wait(every)
    finally:
        ledger.close()
