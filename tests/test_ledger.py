"""The durable ledger of jobs, and the watch service surviving kill -9."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digitizer.jobs.ledger import Ledger, boot_id, holder_id, holder_state
from digitizer.model import ErrorInfo, Record, SourceInfo

from .conftest import sample
from .test_watch import wait_for


def rec(status: str = "done", kind: str | None = None, transient: bool = False) -> Record:
    r = Record(id="ab" * 32, source=SourceInfo("a.pdf", 1, "application/pdf"), status=status)
    if kind:
        r.error = ErrorInfo(kind, f"reason {kind}", transient)
    return r


@pytest.fixture(params=["sqlite", "postgres"])
def ledger_at(request, tmp_path):
    """Where a ledger lives: a SQLite file (one machine) or a PostgreSQL database (many)."""
    if request.param == "sqlite":
        return tmp_path / "l.sqlite"
    return request.getfixturevalue("database_url")


ROOT = Path("/srv/inbox")


def test_job_life_and_states(ledger_at):
    ledger = Ledger(ledger_at)
    job = ledger.add(ROOT, "a.pdf")
    assert ledger.add(ROOT, "a.pdf").id == job.id                   # one open job per file
    assert ledger.claim(job.id, "h:1", 60) and not ledger.claim(job.id, "h:2", 60)   # taken once
    assert ledger.finish(job.id, "h:1", rec(), "duplicate").state == "done"
    assert ledger.get(job.id).record_id == "ab" * 32 and ledger.get(job.id).outcome == "duplicate"
    assert ledger.add(ROOT, "a.pdf").id != job.id                   # dropped again later: a new job
    bad = ledger.add(ROOT, "b.pdf")
    ledger.claim(bad.id, "h:1", 60)
    assert ledger.finish(bad.id, "h:1", rec("failed", "encrypted_pdf")).state == "failed"
    assert ledger.counts() == {"queued": 1, "processing": 0, "done": 0, "failed": 1}   # files: a.pdf is queued again
    assert ledger.recent_failures()[0].error_kind == "encrypted_pdf"
    assert ledger.retry(ROOT, ["b.pdf"]) == 1 and ledger.get(bad.id).state == "queued"


def test_transient_failures_back_off_and_are_bounded(ledger_at):
    ledger = Ledger(ledger_at, max_attempts=3, retry_seconds=0.05)
    job = ledger.add(ROOT, "a.pdf")
    verdicts = []
    for _ in range(3):
        assert wait_for(lambda: ledger.claim(job.id, "h:1", 60), 5)
        verdicts.append(ledger.finish(job.id, "h:1", rec("failed", "storage_unavailable", transient=True)))
        if verdicts[-1].state == "queued":
            assert not ledger.claim(job.id, "h:1", 60)              # not due before its backoff
    assert [v.state for v in verdicts] == ["queued", "queued", "failed"] and verdicts[-1].give_up


def test_vanished_file_is_recorded(ledger_at):
    ledger = Ledger(ledger_at)
    job = ledger.add(ROOT, "gone.pdf")
    ledger.claim(job.id, "h:1", 60)
    assert ledger.finish(job.id, "h:1", None).state == "failed" and ledger.get(job.id).error_kind == "vanished"


def test_jobs_of_a_dead_or_silent_worker_are_taken_back(ledger_at):
    ledger = Ledger(ledger_at, max_attempts=2)
    alive, dead, silent = (ledger.add(ROOT, n) for n in ("alive.pdf", "dead.pdf", "silent.pdf"))
    ledger.claim(alive.id, "h:1", 60)
    ledger.claim(dead.id, "h:2", 60)
    ledger.claim(silent.id, "other-host:3", 0.01)                  # its lease runs out, never renewed
    time.sleep(0.05)
    assert ledger.expire(lambda holder: {"h:1": "alive", "h:2": "dead"}.get(holder, "unknown")) == 2
    assert [ledger.get(j.id).state for j in (alive, dead, silent)] == ["processing", "queued", "queued"]
    assert sorted(ledger.to_enqueue()) == sorted([dead.id, silent.id])
    ledger.mark_enqueued([dead.id, silent.id])
    assert ledger.to_enqueue() == [] and len(ledger.to_enqueue(stale_before=time.time() + 1)) == 2
    ledger.claim(dead.id, "h:4", 60)                               # a file that kills its worker every time
    assert ledger.expire(lambda holder: "dead" if holder == "h:4" else "unknown") == 1
    assert ledger.get(dead.id).state == "failed" and ledger.get(dead.id).error_kind == "worker_died"


def test_a_live_holder_whose_lease_ran_out_loses_the_job_and_its_late_verdict(ledger_at):
    # Its heartbeat renews the lease while the job runs: a lapse means the holder is stuck (its
    # writes refused by a full disk, the process stopped) or a stranger with the holder's PID.
    ledger = Ledger(ledger_at)
    job = ledger.add(ROOT, "a.pdf")
    ledger.claim(job.id, "h:1", 0.01)
    time.sleep(0.05)
    assert ledger.expire(lambda holder: "alive") == 1 and ledger.get(job.id).state == "queued"
    assert ledger.claim(job.id, "h:2", 60)
    assert ledger.finish(job.id, "h:1", rec("failed", "encrypted_pdf")).state == "taken"   # the old holder's
    assert ledger.get(job.id).state == "processing" and ledger.get(job.id).worker == "h:2"
    assert ledger.finish(job.id, "h:2", rec()).state == "done"


def test_a_power_cut_does_not_use_up_a_files_attempts(ledger_at):
    ledger = Ledger(ledger_at, max_attempts=2)
    job = ledger.add(ROOT, "good.pdf")
    host = socket.gethostname()
    for boot in ("boot0001", "boot0002", "boot0003"):              # three power cuts mid-job
        ledger.claim(job.id, f"{host}:{boot}:4242", 60)
        assert ledger.expire(holder_state) == 1                    # this machine booted since
        assert (ledger.get(job.id).state, ledger.get(job.id).attempts) == ("queued", 0)


def test_a_zombie_worker_holds_nothing():
    zombie = subprocess.Popen(["true"])
    wait_for(lambda: Path(f"/proc/{zombie.pid}/stat").read_text().split(") ")[1][0] == "Z", 5)
    assert holder_state(f"{socket.gethostname()}:{boot_id()}:{zombie.pid}") == "dead"
    zombie.wait()
    assert holder_state(holder_id()) == "alive"


def test_a_pid_given_to_another_process_is_not_the_holder():
    # After a container restart (new PID namespace, same host name and boot) a new process
    # can have the PID the dead holder had: its start time tells them apart.
    host, boot, pid, started = holder_id().split(":")
    assert started.isdigit()
    assert holder_state(f"{host}:{boot}:{pid}:{int(started) + 1}") == "dead"
    assert holder_state(f"{host}:{boot}:{pid}:{started}") == "alive"
    assert holder_state(f"{host}:{boot}:{pid}") == "alive"              # a holder written before the start time


def test_a_stopped_worker_hands_its_job_back_without_using_an_attempt(ledger_at):
    ledger = Ledger(ledger_at)
    job = ledger.add(ROOT, "a.pdf")
    ledger.claim(job.id, "h:1", 60)
    ledger.release(job.id, "h:1")
    assert ledger.get(job.id).state == "queued" and ledger.get(job.id).attempts == 0


def test_kill_9_mid_batch_loses_and_duplicates_nothing(tmp_path):
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(data), "DIGITIZER_WORKERS": "1"}
    cmd = [sys.executable, "-m", "digitizer.cli", "watch", str(inbox), "--settle", "0.5"]
    docs = [sample("thong_bao", "clean", seed=100 + i, fmt="png") for i in range(6)]
    for d in docs:
        (inbox / d.name).write_bytes(d.data)
    records = lambda: list((data / "store" / "records").rglob("*.json"))  # noqa: E731
    service = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        assert wait_for(lambda: len(records()) >= 2, 120)
    finally:
        os.killpg(service.pid, signal.SIGKILL)                  # a power cut: service and workers at once
        service.wait()
    service = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        done = lambda: sorted(p.name for p in (data / "done").rglob("*") if p.is_file())  # noqa: E731
        assert wait_for(lambda: len(done()) == 6, 180)
    finally:
        service.send_signal(signal.SIGTERM)
        service.communicate(timeout=60)
    assert done() == sorted(d.name for d in docs)
    assert len(records()) == 6 and not list(inbox.iterdir())
    status = subprocess.run([sys.executable, "-m", "digitizer.cli", "status", "--json"], env=env,
                            capture_output=True, text=True, timeout=60)
    counts = json.loads(status.stdout)["counts"]
    assert counts["done"] == 6 and counts["failed"] == 0 and counts["processing"] == 0



def test_reconcile_feeds_the_queue_in_rounds_and_resends_only_what_it_lost(tmp_path):
    from digitizer.config import Settings
    from digitizer.jobs.ledger import open_ledger
    from digitizer.jobs.queue import open_queue, reconcile

    settings = Settings(data_dir=tmp_path / "data")
    ledger, (huey, enqueue) = open_ledger(settings), open_queue(settings)
    for i in range(30):
        ledger.add(ROOT, f"{i}.pdf")
    assert reconcile(ledger, huey, enqueue, lost_after=3600, most=20) == 20       # bounded per call
    assert reconcile(ledger, huey, enqueue, lost_after=3600, most=20) == 10
    assert huey.pending_count() == 30
    assert reconcile(ledger, huey, enqueue, lost_after=0) == 0      # all held by the queue: nothing resent
    huey.flush()                                                    # the queue loses everything
    assert reconcile(ledger, huey, enqueue, lost_after=0) == 30 and huey.pending_count() == 30


def test_a_message_taken_by_a_worker_killed_before_its_claim_is_sent_again_queue_busy_or_not(tmp_path):
    """A worker killed between taking a message and claiming its job: the job is in no message
    and nobody holds it. It is sent again once `lost_after` has passed, while the queue still
    holds the other jobs' messages; those are not sent twice."""
    from digitizer.config import Settings
    from digitizer.jobs.ledger import open_ledger
    from digitizer.jobs.queue import open_queue, reconcile

    settings = Settings(data_dir=tmp_path / "data")
    ledger, (huey, enqueue) = open_ledger(settings), open_queue(settings)
    for i in range(12):
        ledger.add(ROOT, f"{i}.pdf")
    assert reconcile(ledger, huey, enqueue, lost_after=0.5) == 12
    taken = huey.dequeue()                          # the worker took it, and was killed
    assert taken is not None and huey.pending_count() == 11
    assert reconcile(ledger, huey, enqueue, lost_after=60) == 0      # not yet: it may be claiming
    time.sleep(0.6)
    assert reconcile(ledger, huey, enqueue, lost_after=0.5) == 1
    assert sorted(t.args[0] for t in huey.pending() if t.args) == sorted(range(1, 13))
    job = ledger.claim(taken.args[0], "worker-2", 60)                # the resent message is claimable
    assert job is not None
    assert reconcile(ledger, huey, enqueue, lost_after=0.5) == 0      # claimed: not lost


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_workers_starting_together_all_get_their_tables(backend, request, tmp_path):
    """Workers open the ledger and the index at the same moment on a fresh database. A
    concurrent CREATE ... IF NOT EXISTS once failed one of them on PostgreSQL, and that
    worker then ate every task it was given; on SQLite, switching a new file to WAL failed
    about one start in ten. Many rounds, so that a race shows."""
    import threading

    from digitizer.storage import SqliteIndex
    from digitizer.storage.pg_index import PostgresIndex

    from .servers import new_database

    def fresh(round_: int) -> tuple:
        if backend == "sqlite":
            folder = tmp_path / str(round_)
            return folder / "l.sqlite", lambda: SqliteIndex(folder / "index.sqlite")
        url = new_database(request.getfixturevalue("postgres_server"))
        return url, lambda: PostgresIndex(url)

    errors: list[Exception] = []
    for round_ in range(40 if backend == "sqlite" else 4):
        ledger_at, open_index = fresh(round_)
        barrier = threading.Barrier(6)

        def start(barrier=barrier, ledger_at=ledger_at, open_index=open_index) -> None:
            barrier.wait()
            try:
                Ledger(ledger_at).close()
                open_index().close()
            except Exception as exc:  # noqa: BLE001 (collected and shown)
                errors.append(exc)

        threads = [threading.Thread(target=start) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors


def test_schema_versions_adopt_old_ledgers_migrate_once_and_refuse_newer(ledger_at, monkeypatch):
    from digitizer.jobs import ledger as ledger_module
    from digitizer.storage.database import Database, SchemaTooNew

    old = Database(ledger_at)                 # a ledger laid out before versions were kept
    old.script(ledger_module.SCHEMA.format(id_type="BIGSERIAL" if old.postgres else "INTEGER"))
    old.execute("INSERT INTO jobs (root, path, state, created, updated) VALUES ('/r', 'a.pdf', 'done', 0, 0)")
    old.close()
    assert Ledger(ledger_at).counts()["done"] == 1                     # adopted as version 1, data kept
    monkeypatch.setattr(ledger_module, "MIGRATIONS",
                        [*ledger_module.MIGRATIONS, "ALTER TABLE jobs ADD COLUMN checked_by TEXT"])
    for _ in range(2):                                                 # the new step runs once
        ledger = Ledger(ledger_at)
        ledger.db.execute("SELECT checked_by FROM jobs").fetchall()
        assert ledger.db.execute("SELECT version FROM schema_versions WHERE component = 'ledger'").fetchone()[0] == 2
        ledger.close()
    monkeypatch.setattr(ledger_module, "MIGRATIONS", ledger_module.MIGRATIONS[:1])   # an older digitizer
    with pytest.raises(SchemaTooNew, match="version 2, newer than this digitizer knows"):
        Ledger(ledger_at)


def test_a_file_counts_once_whatever_rows_it_has(ledger_at):
    ledger = Ledger(ledger_at)
    first = ledger.add(ROOT, "a.pdf", size=10, mtime=1.0)
    ledger.claim(first.id, "h:1", 60)
    ledger.finish(first.id, "h:1", rec("failed", "encrypted_pdf"))
    # A rescan between the verdict and the move: the same file is still that job's.
    assert ledger.add(ROOT, "a.pdf", size=10, mtime=1.0).id == first.id
    # Killed before the move, found again after a restart: a second job, folded into one file.
    ledger.db.execute("UPDATE jobs SET updated = updated - 3600 WHERE id = ?", (first.id,))
    second = ledger.add(ROOT, "a.pdf", size=10, mtime=1.0)
    assert second.id != first.id
    ledger.claim(second.id, "h:1", 60)
    ledger.finish(second.id, "h:1", rec("failed", "encrypted_pdf"))
    assert ledger.counts()["failed"] == 1 and [j.id for j in ledger.recent_failures()] == [second.id]
    # Killed right after the verdict: its holder is dead, so the file gets a job at once.
    host, boot, pid, started = holder_id().split(":")
    dead = f"{host}:{boot}:{pid}:{int(started) + 1}"
    third = ledger.add(ROOT, "b.pdf", size=5, mtime=2.0)
    ledger.claim(third.id, dead, 60)
    ledger.finish(third.id, dead, rec())
    assert ledger.add(ROOT, "b.pdf", size=5, mtime=2.0).id != third.id
