"""Backfills and shared workers on real servers: Redis (the queue), PostgreSQL (the ledger
and the search index) and the S3 server, all on 127.0.0.1. Each worker is a separate
`digitizer worker` process with its own data folder, as on separate machines."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from itertools import count
from pathlib import Path

import boto3
import pytest

from digitizer.storage import Filters
from digitizer.storage.pg_index import PostgresIndex

from samples.quick import small_page_png

from .test_watch import wait_for

_redis_db = count(1)


@pytest.fixture
def cluster(tmp_path, redis_server, database_url, s3):
    """Environment of a machine of the cluster (each gets its own DIGITIZER_DATA_DIR)."""
    bucket = s3.bucket_name()
    base = {**os.environ, "DIGITIZER_QUEUE_URL": f"{redis_server.url.rsplit('/', 1)[0]}/{next(_redis_db) % 16}",
            "DIGITIZER_DATABASE_URL": database_url, "DIGITIZER_S3_ENDPOINT": s3.endpoint,
            "DIGITIZER_S3_ACCESS_KEY": s3.access_key, "DIGITIZER_S3_SECRET_KEY": s3.secret_key,
            "DIGITIZER_S3_BUCKET": bucket, "DIGITIZER_S3_REGION": "us-east-1", "DIGITIZER_S3_VERSIONING": "true",
            "DIGITIZER_JOBS_LEASE_SECONDS": "3"}
    import redis

    redis.Redis.from_url(base["DIGITIZER_QUEUE_URL"]).flushdb()
    client = boto3.client("s3", endpoint_url=f"http://{s3.endpoint}", aws_access_key_id=s3.access_key,
                          aws_secret_access_key=s3.secret_key, region_name="us-east-1")

    def machine(name: str) -> dict[str, str]:
        return {**base, "DIGITIZER_DATA_DIR": str(tmp_path / name)}

    machine.bucket, machine.client, machine.database_url = bucket, client, database_url  # type: ignore[attr-defined]
    return machine


def make_archive(root: Path, n: int) -> list[str]:
    pages = [small_page_png(seed) for seed in range(3)]
    names = []
    for i in range(n):
        path = root / (f"2019/HS-{i % 3:02d}" if i % 2 else "loose") / f"scan-{i:02d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pages[i % 3] + f"#{i}".encode())        # distinct content
        names.append(path.relative_to(root).as_posix())
    return names


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "digitizer.cli", "worker", "--workers", "1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=log.open("w"), start_new_session=True)


def backfill(env: dict[str, str], root: Path, *extra: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run([sys.executable, "-m", "digitizer.cli", "backfill", str(root), "--log-every", "1",
                               *extra], env=env, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired as exc:                      # say what it was doing
        pytest.fail(f"backfill did not finish: {(exc.stderr or b'')[-4000:]!r}")


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=120)


def done_lines(log: Path) -> list[str]:
    return [line for line in log.read_text().splitlines() if "digitizer.worker: done" in line]


def stored_versions(cluster) -> list[dict]:
    return cluster.client.list_object_versions(Bucket=cluster.bucket).get("Versions", [])


def test_two_workers_share_one_queue_exactly_once_and_a_rerun_does_nothing(cluster, tmp_path):
    archive = tmp_path / "archive"
    names = make_archive(archive, 12)
    before = {p: p.stat().st_mtime for p in archive.rglob("*")}
    logs = [tmp_path / "w1.log", tmp_path / "w2.log"]
    workers = [start_worker(cluster(f"machine{i}"), log) for i, log in enumerate(logs, 1)]
    try:
        assert wait_for(lambda: all("process(es) on queue" in log.read_text() for log in logs), 60)
        run = backfill(cluster("coordinator"), archive, "--workers", "0")
        assert run.returncode == 0, run.stderr[-3000:]
        assert "12 new file(s)" in run.stderr and "12/12 documents" in run.stderr
    finally:
        for w in workers:
            stop(w)
    per_worker = [len(done_lines(log)) for log in logs]
    assert sum(per_worker) == 12 and all(per_worker), per_worker        # both took a share, no job twice
    assert len(stored_versions(cluster)) == 4 * 12                       # original, pdf, text, record: once
    assert {p: p.stat().st_mtime for p in archive.rglob("*")} == before  # the archive is only read
    index = PostgresIndex(cluster.database_url)
    assert index.search("").total == 12
    assert index.search("", Filters(dossier="2019/HS-01")).total == 2     # the folder holding the file
    report = json.loads(Path(run.stdout.split()[-1]).read_text())
    assert report["summary"]["done"] == 12 and sorted(f["path"] for f in report["files"]) == sorted(names)

    again = backfill(cluster("coordinator"), archive, "--workers", "1")   # a re-run
    assert again.returncode == 0, again.stderr[-3000:]
    assert "0 new file(s), 12 done before" in again.stderr
    assert len(stored_versions(cluster)) == 4 * 12


def test_a_worker_killed_mid_batch_loses_nothing(cluster, tmp_path):
    archive = tmp_path / "archive"
    make_archive(archive, 10)
    logs = [tmp_path / "w1.log", tmp_path / "w2.log"]
    env = cluster("coordinator")
    doomed = start_worker(cluster("machine1"), logs[0])
    try:
        assert wait_for(lambda: "process(es) on queue" in logs[0].read_text(), 60)
        coordinator = subprocess.Popen([sys.executable, "-m", "digitizer.cli", "backfill", str(archive),
                                        "--workers", "0", "--log-every", "1"], env=env,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert wait_for(lambda: len(done_lines(logs[0])) >= 2, 120)
        os.killpg(doomed.pid, signal.SIGKILL)          # the machine dies, with the job it held
        doomed.wait()
        survivor = start_worker(cluster("machine2"), logs[1])
        out, err = coordinator.communicate(timeout=300)
        assert coordinator.returncode == 0, err[-3000:]
        stop(survivor)
    finally:
        if doomed.poll() is None:
            os.killpg(doomed.pid, signal.SIGKILL)
    assert len(done_lines(logs[0])) + len(done_lines(logs[1])) >= 10
    report = json.loads(Path(out.split()[-1]).read_text())
    assert report["summary"]["done"] == 10 and report["summary"]["failed"] == 0
    keys = {v["Key"] for v in stored_versions(cluster)}
    assert len(keys) == 4 * 10                                         # every document, and no partial one


def test_failures_are_reported_and_a_retry_takes_only_them(tmp_path):
    """On the embedded default (SQLite ledger and queue, local store), workers started by the
    backfill itself."""
    archive = tmp_path / "archive"
    make_archive(archive, 3)
    (archive / "loose" / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")
    (archive / "loose" / "copy.png").write_bytes((archive / "loose" / "scan-00.png").read_bytes())
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(tmp_path / "data")}
    run = backfill(env, archive, "--workers", "2")
    assert run.returncode == 1, run.stderr[-3000:]                     # there were failures
    csv_path = Path(run.stdout.split()[-2])
    rows = {r["path"]: r for r in csv.DictReader(csv_path.open(encoding="utf-8"))}
    assert rows["loose/broken.pdf"]["state"] == "failed" and "PDF" in rows["loose/broken.pdf"]["error"]
    states = sorted(r["state"] for r in rows.values())
    assert states == ["done", "done", "done", "duplicate", "failed"] or states == ["done", "done", "done", "done",
                                                                                    "failed"], states
    retry = backfill(env, archive, "--workers", "1", "--retry", str(csv_path))
    assert "1 failed file(s)" in retry.stderr and retry.returncode == 1
    assert len(list((tmp_path / "data" / "store" / "records").rglob("*.json"))) == 3   # distinct contents


def test_ctrl_c_stops_cleanly_and_the_same_command_resumes(tmp_path):
    archive = tmp_path / "archive"
    make_archive(archive, 8)
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(tmp_path / "data")}
    cmd = [sys.executable, "-m", "digitizer.cli", "backfill", str(archive), "--workers", "2", "--log-every", "0.5"]
    first = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    records = lambda: list((tmp_path / "data" / "store" / "records").rglob("*.json"))  # noqa: E731
    assert wait_for(lambda: len(records()) >= 1, 120)
    os.killpg(first.pid, signal.SIGINT)                 # Ctrl-C in the terminal: the whole process group
    out, err = first.communicate(timeout=120)
    assert first.returncode == 130, err[-2000:]
    report = json.loads(Path(out.split()[-1]).read_text())
    assert report["interrupted"] and report["summary"]["processing"] == 0     # nothing left held
    stopped_with = len(records())
    assert stopped_with < 8
    again = backfill(env, archive, "--workers", "2")
    assert again.returncode == 0, again.stderr[-2000:]
    left = 8 - report["summary"]["done"] - report["summary"]["duplicate"]
    assert f"0 new file(s), {8 - left} done before (skipped), {left} left from an interrupted run" in again.stderr
    final = json.loads(Path(again.stdout.split()[-1]).read_text())
    assert final["summary"]["done"] == 8 and len(records()) == 8
