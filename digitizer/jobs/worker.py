"""What a worker process does with one job: claim it in the ledger, keep the lease alive
while the one ingest path runs (process, store, index), record the verdict, file the input
away. Only the ingest may be cut short by Ctrl-C (the job then goes back, untried); the
claim and the bookkeeping after it always finish."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from ..config import Settings
from ..errors import DigitizerError
from ..model import ErrorKind
from ..extract import load_vocabularies
from ..ocr.tesseract import sweep_stale
from ..parallel import page_worker
from ..pipeline import failed_record
from ..signing.sign import CentreSigner, centre_signer
from ..storage import ObjectStore, open_index, open_store
from ..storage.index import SearchIndex
from .ingest import Ingested, file_away, ingest
from .crash import crash_point
from .interrupts import Interrupts
from .ledger import Ledger, holder_id, open_ledger

log = logging.getLogger("digitizer.worker")

STALE_WRITE_SECONDS = 3600.0     # an object's temporary file this old was left by a kill (writes take seconds)


class _Heartbeat:
    """Renews the job's lease from a thread until closed. The thread uses a connection of
    its own (`ledger`), opened once per worker process, never at the same time as another."""

    def __init__(self, ledger: Ledger, job_id: int, holder: str, lease: float) -> None:
        self.stop = threading.Event()

        def beat() -> None:
            while not self.stop.wait(lease / 3):
                ledger.renew(job_id, holder, lease)

        self.thread = threading.Thread(target=beat, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=10)


@dataclass
class WorkerContext:
    settings: Settings
    ledger: Ledger
    lease_ledger: Ledger                  # the heartbeat thread's connection
    store: ObjectStore
    index: SearchIndex
    holder: str
    signer: CentreSigner | None             # the centre's key, opened at the first job that needs it

    @classmethod
    def open(cls, settings: Settings) -> "WorkerContext":
        page_worker()                 # one Tesseract thread per worker process, memory reused
        # What a killed command-line OCR left behind; a page running now is younger than its timeout.
        sweep_stale(older_than=settings.ocr.page_timeout + 60)
        load_vocabularies()
        store = open_store(settings)
        # An object write a kill cut short; one going on now (another worker's) is seconds old.
        store.sweep(older_than=STALE_WRITE_SECONDS)
        return cls(settings, open_ledger(settings), open_ledger(settings), store,
                   open_index(settings), holder_id(), centre_signer(settings.sign))

    def run(self, job_id: int) -> None:
        with Interrupts() as interrupts:
            job = self.ledger.claim(job_id, self.holder, self.settings.jobs.lease_seconds)
            if job is None:
                return                    # done already, held by another worker, or not due
            heartbeat = _Heartbeat(self.lease_ledger, job_id, self.holder, self.settings.jobs.lease_seconds)
            try:
                result = ingest(job.source, self.settings, self.store, self.index, dossier=job.dossier,
                                signer=self.signer, interruptible=interrupts.allowed)
            except KeyboardInterrupt:     # the worker is being stopped: the job goes back, untried
                self.ledger.release(job_id, self.holder)
                raise
            except Exception as exc:      # a bug: an attempt that counts, so it cannot loop forever
                log.exception("job %s (%s) failed unexpectedly", job_id, job.path)
                bug = DigitizerError(ErrorKind.INTERNAL, f"{type(exc).__name__}: {exc}"[:300])
                result = Ingested(failed_record(job.source.name, bug))
            finally:
                heartbeat.close()
            record = result.record
            crash_point("ingested")
            try:
                verdict = self.ledger.finish(job_id, self.holder, record, result.outcome)
            except Exception:             # the ledger refused the write (a full disk): let it go for a later try
                self._release_quietly(job_id)
                raise
            crash_point("recorded")
            if verdict.state == "taken":
                log.warning("%s was taken back while it ran (its lease ran out); left to its new holder", job.path)
                return
            if record is None:
                log.warning("%s disappeared before it could be read", job.path)
                return
            if job.mode == "inbox":       # an archive's files are never touched
                file_away(job.source, record, self.settings, give_up=verdict.give_up)
            reason = record.error.message if record.error else f"{record.id[:12]} ({result.outcome})"
            log.info("%s %s %s", verdict.state, job.path, reason)

    def _release_quietly(self, job_id: int) -> None:
        """Give the job back; if the ledger refuses this write too, its lease runs out and the
        reconciler takes it back (the heartbeat has stopped)."""
        try:
            self.ledger.release(job_id, self.holder)
        except Exception as exc:
            log.warning("job %s could not be given back now (%s); its lease will run out", job_id, exc)
