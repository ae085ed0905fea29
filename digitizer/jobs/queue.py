"""Jobs on Huey. SQLite on one machine (no server); Redis when several machines share the
work; which one is configuration only (`queue_url`).

The queue carries only ledger job ids. The ledger is the source of truth: a task first
claims its job there (atomically), so a duplicate or stale message does nothing, and
`reconcile()` hands the queue every due job it does not hold, which covers new jobs, jobs
lost by the queue (seconds after, read from its messages), jobs of a dead worker, and
transient failures whose backoff has passed.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from typing import Callable

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer, Scheduler, Worker

from ..config import Settings
from .ledger import Ledger, holder_state
from .service import stop_with_parent
from .worker import WorkerContext

log = logging.getLogger(__name__)

Enqueue = Callable[[int], object]


def open_queue(settings: Settings) -> tuple[Huey, Enqueue]:
    """The Huey instance with its tasks registered, and the function that enqueues a job."""
    url = settings.queue_url
    if url.startswith(("redis://", "rediss://", "unix://")):
        huey: Huey = RedisHuey("digitizer", url=url, results=False, blocking=True, read_timeout=1)
    else:                                 # settings allow only a redis URL or none
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey("digitizer", filename=str(settings.data_dir / "queue.sqlite"), results=False,
                          timeout=60)
    context: dict[str, WorkerContext] = {}

    def worker() -> WorkerContext:
        """This worker process's connections, opened on its first task (after the fork)."""
        if "worker" not in context:
            context["worker"] = WorkerContext.open(settings)
        return context["worker"]

    # A task that cannot start (the database restarting) is tried again by Huey; the
    # ledger's claim makes any extra run a no-op.
    @huey.task(name="process_job", retries=5, retry_delay=10)
    def process_job(job_id: int) -> None:
        worker().run(job_id)

    @huey.periodic_task(crontab(minute="*"), name="reconcile")
    def periodic_reconcile() -> None:     # every machine's workers keep the shared ledger honest
        reconcile(worker().ledger, huey, process_job, settings.jobs.lost_after)

    return huey, process_job


# Which jobs the queue holds is read from its messages while it holds at most this many; a
# longer queue (a large backfill) is trusted until it is shorter.
SCAN_MOST = 5000


def reconcile(ledger: Ledger, huey: Huey, enqueue: Enqueue, lost_after: float, most: int = 2000) -> int:
    """Take back jobs of dead workers, then enqueue due jobs the queue does not hold, at
    most `most` per call (a 100k-file backfill is fed over several calls, not in one
    long pause). A job handed to the queue more than `lost_after` seconds ago that the queue no
    longer holds and no worker claimed was lost (a worker killed between taking its message and
    claiming the job: the claim follows within milliseconds) and is sent again, queue busy or
    not; a duplicate message would be harmless (the claim is atomic), a flood not."""
    if taken := ledger.expire(holder_state):
        log.warning("%d job(s) of a stopped worker were queued again", taken)
    sent = 0
    while sent < most and (ids := ledger.to_enqueue(None, limit=min(500, most - sent))):
        _send(ledger, enqueue, ids)       # never handed over: new jobs, retries whose time came
        sent += len(ids)
    # The messages are read (20 ms for 5,000, and this runs every half second) only when fewer
    # of them wait than jobs were handed over and not claimed: then some were lost.
    waiting = huey.pending_count()
    if sent < most and waiting <= SCAN_MOST and ledger.handed() > waiting:
        held = {task.args[0] for task in huey.pending() if task.args}
        handed = ledger.to_enqueue(time.time() - lost_after, limit=len(held) + most - sent)
        lost = [job_id for job_id in handed if job_id not in held][:most - sent]
        if lost:
            log.warning("%d job(s) the queue lost were sent again", len(lost))
            _send(ledger, enqueue, lost)
            sent += len(lost)
    return sent


class Reconciler:
    """`reconcile()` on each turn of a service loop. A database or queue that refuses for a
    while (a full disk, a restart) is said once and tried again next turn: the loop goes on."""

    def __init__(self, ledger: Ledger, huey: Huey, enqueue: Enqueue, lost_after: float) -> None:
        self.ledger, self.huey, self.enqueue, self.lost_after = ledger, huey, enqueue, lost_after
        self.failing = False

    def __call__(self) -> None:
        try:
            reconcile(self.ledger, self.huey, self.enqueue, self.lost_after)
        except Exception as exc:
            if not self.failing:
                log.warning("cannot hand jobs to the queue now (%s: %s); trying again", type(exc).__name__, exc)
            self.failing = True
            return
        if self.failing:
            log.info("handing jobs to the queue again")
        self.failing = False


def _send(ledger: Ledger, enqueue: Enqueue, ids: list[int]) -> None:
    for job_id in ids:
        enqueue(job_id)
    ledger.mark_enqueued(ids)


class _BoundToConsumer:
    """A process the consumer forks ends with the `digitizer worker` that forked it, killed or
    not: else it keeps taking jobs (or scheduling them) beside the set a restarted command
    starts. SIGKILL: an idle Huey worker ignores SIGTERM and SIGINT (it waits for its consumer's
    stop flag); the job in hand goes back at once, its holder being dead."""

    def initialize(self) -> None:
        stop_with_parent(signal.SIGKILL)
        parent = multiprocessing.parent_process()
        if parent is None or not parent.is_alive():      # it died before the kernel was told
            os.kill(os.getpid(), signal.SIGKILL)
        super().initialize()                             # type: ignore[misc]   # Huey's own start-up


class _BoundWorker(_BoundToConsumer, Worker):
    pass


class _BoundScheduler(_BoundToConsumer, Scheduler):
    pass


class BoundConsumer(Consumer):
    worker_class = _BoundWorker
    scheduler_class = _BoundScheduler


def run_consumer(settings: Settings, workers: int) -> None:
    """`digitizer worker`: N worker processes, one document each at a time. SIGTERM lets
    them finish the job in hand (up to jobs.shutdown_seconds); SIGINT stops them at once and
    their jobs go back to the queue."""
    huey, _ = open_queue(settings)
    logging.getLogger("huey").setLevel(logging.WARNING)
    consumer = BoundConsumer(huey, workers=workers, worker_type="process", periodic=True,
                             graceful_signal="TERM", shutdown_timeout=settings.jobs.shutdown_seconds,
                             initial_delay=0.05, backoff=1.3, max_delay=1.0, check_worker_health=True,
                             health_check_interval=5)
    log.info("worker: %d process(es) on queue %s", workers, settings.queue_url or settings.data_dir / "queue.sqlite")
    consumer.run()

