"""What a worker process does with one job: claim it in the ledger, keep the lease alive
while the pipeline runs, store, index, record the verdict."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from ..config import Settings
from ..errors import DigitizerError
from ..model import Record, SourceInfo
from ..ocr.tesseract import single_thread_env
from ..pipeline import failed_outcome
from ..storage import ObjectStore, open_index, open_store
from ..storage.index import SearchIndex
from .file_job import run_file_job, set_aside
from .ledger import Ledger

log = logging.getLogger("digitizer.worker")


class _Heartbeat:
    """Renews the job's lease from a thread (with its own connection) until closed."""

    def __init__(self, settings: Settings, job_id: int, holder: str) -> None:
        from .queue import open_ledger

        self.stop = threading.Event()
        lease = settings.jobs.lease_seconds

        def beat() -> None:
            ledger = open_ledger(settings)
            try:
                while not self.stop.wait(lease / 3):
                    ledger.renew(job_id, holder, lease)
            finally:
                ledger.close()

        self.thread = threading.Thread(target=beat, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=10)


@dataclass
class WorkerContext:
    settings: Settings
    ledger: Ledger
    store: ObjectStore
    index: SearchIndex
    holder: str

    @classmethod
    def open(cls, settings: Settings) -> "WorkerContext":
        from .queue import holder_id, open_ledger

        single_thread_env()               # one Tesseract thread per worker process
        return cls(settings, open_ledger(settings), open_store(settings), open_index(settings), holder_id())

    def run(self, job_id: int) -> None:
        job = self.ledger.claim(job_id, self.holder, self.settings.jobs.lease_seconds)
        if job is None:
            return                        # done already, held by another worker, or not due
        heartbeat = _Heartbeat(self.settings, job_id, self.holder)
        try:
            record, outcome = run_file_job(job.source, self.settings, self.store, dossier=job.dossier,
                                           settle_source=job.mode == "inbox")
        except KeyboardInterrupt:         # the worker is being stopped: the job goes back, untried
            self.ledger.release(job_id, self.holder)
            raise
        except Exception as exc:          # a bug: an attempt that counts, so it cannot loop forever
            log.exception("job %s (%s) failed unexpectedly", job_id, job.path)
            error = DigitizerError("internal", f"{type(exc).__name__}: {exc}"[:300])
            record = failed_outcome(Record(id="", source=SourceInfo(job.source.name, 0, "")), error, 0.0).record
            outcome = ""
        finally:
            heartbeat.close()
        verdict = self.ledger.finish(job_id, record, outcome)
        if record is None:
            log.warning("%s disappeared before it could be read", job.path)
            return
        self.index.add(record)
        if verdict.give_up and job.mode == "inbox" and job.source.exists():
            set_aside(job.source, self.settings.data_dir / "failed", record.error.message if record.error else "")
        reason = record.error.message if record.error else f"{record.id[:12]} ({outcome})"
        log.info("%s %s %s", verdict.state, job.path, reason)
