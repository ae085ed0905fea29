"""The two service loops: `watch` (the inbox, for as long as the service runs) and `backfill`
(an archive, until every file of it has a verdict). Each feeds the ledger, hands due jobs to
the queue, keeps its local worker processes alive and stops cleanly on SIGTERM or Ctrl-C:
SIGTERM lets the workers finish the documents in hand, SIGINT hands them back at once."""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..intake.inbox import dossier_of
from ..intake.mounts import needs_polling
from ..intake.watcher import watch
from ..storage import open_store
from .backfill import Progress, batch_of, failed_paths, plan, write_report
from .ledger import open_ledger
from .queue import Reconciler, open_queue
from .service import Workers

log = logging.getLogger("digitizer.watch")


class Stop:
    """SIGTERM and SIGINT set the event; which came first says whether to finish or hand back."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signal: int | None = None
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._handle)

    def _handle(self, signum: int, _frame: object) -> None:
        if self.signal is None:
            self.signal = signum
        self.event.set()

    @property
    def graceful(self) -> bool:
        return self.signal != signal.SIGINT


def local_workers(count: int | None, config: Path | None, settings: Settings) -> Workers | None:
    """The worker processes to start beside a watch or a backfill (0: none here, they run elsewhere)."""
    if count == 0:
        return None
    return Workers(count or settings.worker_count(), config, settings.jobs.shutdown_seconds)


@dataclass
class WatchOptions:
    inbox: Path
    settle: float = 5.0
    polling: bool = False
    workers: int | None = None        # None: one per core; 0: none here
    config: Path | None = None        # passed on to the worker processes


def run_watch(settings: Settings, options: WatchOptions) -> int:
    """The watcher (a thread) puts complete files in the ledger; this loop hands due jobs to
    the queue; the workers (a child process, or other machines) run them. Returns the exit code."""
    inbox = options.inbox.resolve()
    inbox.mkdir(parents=True, exist_ok=True)
    for folder in ("done", "failed"):
        target = (settings.data_dir / folder).resolve()
        if target == inbox or inbox in target.parents:
            print(f"{folder}/ may not lie inside the watched folder {inbox}", file=sys.stderr)
            return 2
    open_store(settings)                      # fail now, clearly, if the store is misconfigured
    stop = Stop()
    ledger, (huey, enqueue) = open_ledger(settings), open_queue(settings)
    reconcile = Reconciler(ledger, huey, enqueue, settings.jobs.lost_after)
    watcher_ledger = open_ledger(settings)    # the watcher thread's own connection
    wake = threading.Event()

    def handle(path: Path) -> None:
        try:
            stat = path.stat()
            watcher_ledger.add(inbox, path.relative_to(inbox).as_posix(), dossier_of(path, inbox),
                               size=stat.st_size, mtime=stat.st_mtime)
        finally:
            wake.set()

    polling = options.polling or needs_polling(inbox)
    if polling and not options.polling:
        log.info("%s is on a network filesystem: polling for changes", inbox)
    watcher = threading.Thread(target=watch, args=(inbox, handle), daemon=True, kwargs={
        "settle_seconds": options.settle, "polling": polling, "stop": stop.event,
        "retry_seconds": min(settings.jobs.retry_seconds, 60.0), "empty_seconds": settings.jobs.empty_seconds})
    workers = local_workers(options.workers, options.config, settings)
    log.info("watching %s (store %s, %s worker(s) here)", inbox, settings.s3.endpoint or settings.store_dir.resolve(),
             workers.count if workers else 0)
    watcher.start()
    try:
        while not stop.event.is_set():
            wake.clear()
            reconcile()
            if workers is not None:
                workers.supervise()
            if not watcher.is_alive():
                log.error("the watcher stopped; exiting so that the service manager restarts the service")
                return 1
            wake.wait(2.0)
    finally:
        stop.event.set()
        if workers is not None:
            workers.stop(graceful=stop.graceful)
        watcher.join(timeout=10)
        ledger.close()
        watcher_ledger.close()
    return 0


@dataclass
class BackfillOptions:
    root: Path
    workers: int | None = None
    config: Path | None = None
    reports: Path | None = None       # default: DATA_DIR/reports
    retry: Path | None = None         # a report whose failed files are queued again
    log_every: float = 30.0           # seconds between progress lines when not on a terminal


def run_backfill(settings: Settings, options: BackfillOptions) -> int:
    """Queue the archive's new files, follow them to their verdicts with a progress line, and
    write the report. Returns the exit code: 0, 1 if any file failed, 130 if stopped."""
    root = options.root.resolve()
    if not root.is_dir():
        print(f"not a folder: {root}", file=sys.stderr)
        return 2
    open_store(settings)
    ledger, (huey, enqueue) = open_ledger(settings), open_queue(settings)
    reconcile = Reconciler(ledger, huey, enqueue, settings.jobs.lost_after)
    batch = batch_of(root)
    stop = Stop()
    workers = local_workers(options.workers, options.config, settings)   # first: they load while we walk
    progress = Progress()
    try:
        if options.retry:
            count = ledger.retry(root, failed_paths(options.retry))
            print(f"{count} failed file(s) from {options.retry.name} queued again", file=sys.stderr)
        else:
            found = plan(ledger, root)
            print(f"{root}: {found.new} new file(s), {found.known} done before (skipped), "
                  f"{found.resumed} left from an interrupted run", file=sys.stderr)
        progress.start(ledger, batch)
        tty, last_line = sys.stderr.isatty(), 0.0
        while not stop.event.is_set():
            reconcile()
            if workers is not None:
                workers.supervise()
            progress.update(ledger, batch)
            if progress.open == 0:
                break
            if tty:
                print("\r" + progress.line(), end="", file=sys.stderr, flush=True)
            elif time.monotonic() - last_line >= options.log_every:
                print(progress.line(), file=sys.stderr, flush=True)
                last_line = time.monotonic()
            stop.event.wait(0.5)
    finally:
        if workers is not None:       # Ctrl-C: jobs in hand go back to the queue at once
            workers.stop(graceful=stop.signal == signal.SIGTERM)
        progress.update(ledger, batch)
        print(("\r" if sys.stderr.isatty() else "") + progress.line(), file=sys.stderr)
        csv_path, json_path = write_report(ledger, root, options.reports or settings.data_dir / "reports", progress,
                                           interrupted=stop.event.is_set())
        ledger.close()
    print(f"report: {csv_path}  {json_path}")
    if stop.event.is_set():
        print("stopped; run the same command again to resume", file=sys.stderr)
        return 130
    return 1 if progress.counts["failed"] else 0
