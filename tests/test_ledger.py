"""The durable ledger of jobs, and the watch service surviving kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from digitizer.jobs.ledger import Ledger
from digitizer.model import ErrorInfo, Record, SourceInfo

from .conftest import sample
from .test_watch import wait_for


def rec(status: str = "done", kind: str | None = None, transient: bool = False) -> Record:
    r = Record(id="ab" * 32, source=SourceInfo("a.pdf", 1, "application/pdf"), status=status)
    if kind:
        r.error = ErrorInfo(kind, f"reason {kind}", transient)
    return r


def test_job_life_and_states(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    job = ledger.enqueue("a.pdf")
    assert ledger.enqueue("a.pdf").id == job.id                 # one open job per path
    assert ledger.claim(job.id) and not ledger.claim(job.id)    # taken once
    assert ledger.finish(job.id, rec()).state == "done"
    assert ledger.get(job.id).record_id == "ab" * 32
    assert ledger.enqueue("a.pdf").id != job.id                 # dropped again later: a new job
    bad = ledger.enqueue("b.pdf")
    ledger.claim(bad.id)
    assert ledger.finish(bad.id, rec("failed", "encrypted_pdf")).state == "failed"
    assert ledger.counts() == {"queued": 1, "processing": 0, "done": 1, "failed": 1}
    assert ledger.recent_failures()[0].error_kind == "encrypted_pdf"


def test_transient_failures_back_off_and_are_bounded(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite", max_attempts=3, retry_seconds=0.05)
    job = ledger.enqueue("a.pdf")
    verdicts = []
    for _ in range(3):
        assert wait_for(lambda: ledger.claim(job.id), 5)
        verdicts.append(ledger.finish(job.id, rec("failed", "storage_unavailable", transient=True)))
        if verdicts[-1].state == "queued":
            assert not ledger.claim(job.id)                     # not due before its backoff
    assert [v.state for v in verdicts] == ["queued", "queued", "failed"] and verdicts[-1].give_up


def test_vanished_file_is_recorded(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    job = ledger.enqueue("gone.pdf")
    ledger.claim(job.id)
    assert ledger.finish(job.id, None).state == "failed" and ledger.get(job.id).error_kind == "vanished"


def test_recover_requeues_interrupted_jobs(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    job = ledger.enqueue("a.pdf")
    ledger.claim(job.id)
    ledger.close()
    again = Ledger(tmp_path / "l.sqlite")                       # the service restarted
    assert again.recover() == 1 and again.get(job.id).state == "queued"


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

