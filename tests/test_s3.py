"""The pipeline into a real S3 server process over HTTP (moto's server mode, or MinIO when
DIGITIZER_TEST_S3_ENDPOINT is set), read back with an independent client (boto3)."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
import sys
import threading
import urllib.request
from dataclasses import replace

import boto3
import pytest

from digitizer.config import S3Settings, Settings
from digitizer.jobs.ingest import file_away, ingest
from digitizer.storage import open_index
from digitizer.model import Outcome
from digitizer.pipeline import process
from digitizer.storage import StoreConfigError, load_record, save_outcome
from digitizer.storage.s3 import S3Store
from samples.score import cer

from .conftest import sample
from .helpers import pdftotext, write
from .s3server import Proxy


def s3_settings(server, bucket: str, endpoint: str | None = None, **extra) -> S3Settings:
    return S3Settings(endpoint=endpoint or server.endpoint, access_key=server.access_key,
                      secret_key=server.secret_key, bucket=bucket, region="us-east-1", **extra)


def boto(server):
    return boto3.client("s3", endpoint_url=f"http://{server.endpoint}", aws_access_key_id=server.access_key,
                        aws_secret_access_key=server.secret_key, region_name="us-east-1")


@pytest.fixture(scope="module")
def outcome() -> tuple[Outcome, bytes]:
    s = sample("quyet_dinh", "clean", seed=61, fmt="png")
    return process(s.data, s.name, Settings(workers=1)), s.data


def variant(base: tuple[Outcome, bytes], i: int) -> tuple[Outcome, bytes]:
    """The same processed document under another original (another id), for storage tests."""
    out, original = base
    data = original + f"#{i}".encode()
    record = copy.deepcopy(out.record)
    record.id = hashlib.sha256(data).hexdigest()
    record.source = replace(record.source, name=f"doc{i:02d}.png", size=len(data))
    return Outcome(record, out.pdf, out.text), data


def test_pipeline_into_s3_read_back_with_another_client(s3, tmp_path):
    bucket = s3.bucket_name()                                      # missing: the store creates it
    docs = [sample("giay_xac_nhan", "sealed", seed=62), sample("don_de_nghi", "lowres", seed=63)]
    paths = [write(tmp_path, d.name, d.data) for d in docs]
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(tmp_path / "data"), "DIGITIZER_WORKERS": "2",
           "DIGITIZER_S3_ENDPOINT": s3.endpoint, "DIGITIZER_S3_ACCESS_KEY": s3.access_key,
           "DIGITIZER_S3_SECRET_KEY": s3.secret_key, "DIGITIZER_S3_BUCKET": bucket,
           "DIGITIZER_S3_REGION": "us-east-1"}
    proc = subprocess.run([sys.executable, "-m", "digitizer.cli", "process", "--json", *map(str, paths)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    client = boto(s3)
    types = {"original": {"image/jpeg", "image/tiff"}, "pdf": {"application/pdf"},
             "text": {"text/plain; charset=utf-8"}, "record": {"application/json; charset=utf-8"}}
    for line, doc in zip(proc.stdout.splitlines(), docs):
        record = json.loads(line)
        for kind, key in record["objects"].items():
            head = client.head_object(Bucket=bucket, Key=key)
            assert head["ContentType"] in types[kind]
            assert head["Metadata"]["sha256"] == record["id"]
        original = client.get_object(Bucket=bucket, Key=record["objects"]["original"])["Body"].read()
        assert original == doc.data
        pdf = client.get_object(Bucket=bucket, Key=record["objects"]["pdf"])["Body"].read()
        assert cer(doc.truth["lines"][0], pdftotext(pdf)) < 0.02
        stored = json.loads(client.get_object(Bucket=bucket, Key=record["objects"]["record"])["Body"].read())
        assert stored == record and stored["fields"]["person_name"]["value"] == doc.truth["fields"]["person_name"]
    assert not (tmp_path / "data" / "store").exists()              # nothing went to the local folder


def test_same_scan_twice_is_stored_once(s3, outcome):
    bucket = s3.bucket_name()
    store = S3Store.from_settings(s3_settings(s3, bucket, versioning=True))
    first = save_outcome(store, *outcome)
    again = save_outcome(store, *outcome)
    assert first.status == again.status == "done" and again.objects == first.objects
    versions = boto(s3).list_object_versions(Bucket=bucket)["Versions"]
    assert len(versions) == 4                                      # one of each object, never rewritten


def test_server_going_away_mid_batch_loses_and_duplicates_nothing(s3, outcome, caplog):
    bucket = s3.bucket_name()
    proxy = Proxy(s3.endpoint)
    store = S3Store.from_settings(s3_settings(s3, bucket, endpoint=proxy.endpoint, versioning=True,
                                              timeout=2.0, retry_seconds=30.0))
    batch = [variant(outcome, i) for i in range(20)]

    restorer = threading.Timer(3.0, proxy.restore)
    records = []
    with caplog.at_level("WARNING", logger="digitizer.storage.s3"):
        for i, (out, data) in enumerate(batch):
            if i == 5:                   # the server goes away for three seconds mid-batch
                proxy.cut()
                restorer.start()
            records.append(save_outcome(store, out, data))
    restorer.join()
    assert [r.status for r in records] == ["done"] * 20
    assert any("retrying" in r.message for r in caplog.records)      # the outage was really met
    client = boto(s3)
    keys = {o["Key"] for o in client.list_objects_v2(Bucket=bucket, MaxKeys=1000)["Contents"]}
    for record, (_, data) in zip(records, batch):
        assert set(record.objects.values()) <= keys                 # a record never without its objects
        stored = client.get_object(Bucket=bucket, Key=record.objects["original"])["Body"].read()
        assert stored == data
    assert len([k for k in keys if k.startswith("records/")]) == 20
    versions = client.list_object_versions(Bucket=bucket)["Versions"]
    assert len(versions) == 80                                     # stored exactly once each


def test_store_that_stays_down_is_a_transient_failure_and_the_file_stays(s3, outcome, tmp_path):
    proxy = Proxy(s3.endpoint)
    store = S3Store.from_settings(s3_settings(s3, s3.bucket_name(), endpoint=proxy.endpoint,
                                              timeout=1.0, retry_seconds=1.0))
    proxy.cut()
    out, data = variant(outcome, 99)
    record = save_outcome(store, out, data)
    assert record.status == "failed" and record.error.kind == "storage_unavailable" and record.error.transient
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    scan = write(inbox, "scan.png", sample("thong_bao", "clean", seed=64, fmt="png").data)
    settings = Settings(data_dir=tmp_path / "data", workers=1)
    result = ingest(scan, settings, store, open_index(settings))
    file_away(scan, result.record, settings)
    assert result.record.error.kind == "storage_unavailable"
    assert scan.exists() and not (tmp_path / "data" / "done").exists()
    proxy.restore()
    assert load_record(store, out.record.id) is None                # nothing partial became visible


def test_vietnamese_stays_out_of_object_metadata(s3):
    store = S3Store.from_settings(s3_settings(s3, s3.bucket_name()))
    with pytest.raises(ValueError):
        store.put("x", b"1", "text/plain", {"issuer": "Ủy ban nhân dân"})


def test_presigned_download_link(s3, outcome):
    store = S3Store.from_settings(s3_settings(s3, s3.bucket_name()))
    record = save_outcome(store, *outcome)
    url = store.download_url(record.objects["pdf"], 60)
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == outcome[0].pdf


def test_object_lock_needs_a_bucket_made_with_it(s3):
    bucket = s3.bucket_name()
    boto(s3).create_bucket(Bucket=bucket)
    with pytest.raises(StoreConfigError, match="object lock"):
        S3Store.from_settings(s3_settings(s3, bucket, lock_days=30))
    locked = S3Store.from_settings(s3_settings(s3, s3.bucket_name(), lock_days=30))
    locked.put("records/aa/x.json", b"{}", "application/json; charset=utf-8")
    head = boto(s3).head_object(Bucket=locked.bucket, Key="records/aa/x.json")
    assert head["ObjectLockMode"] == "GOVERNANCE"
    assert head["ObjectLockRetainUntilDate"].year >= 2026


def test_web_page_hands_out_presigned_links_on_s3(s3, outcome, tmp_path):
    from fastapi.testclient import TestClient

    from digitizer.storage import SqliteIndex
    from digitizer.web import create_app

    store = S3Store.from_settings(s3_settings(s3, s3.bucket_name()))
    record = save_outcome(store, *outcome)
    settings = Settings(data_dir=tmp_path / "data")
    index = SqliteIndex(settings.index_path)
    index.add(record)
    index.close()
    client = TestClient(create_app(settings, store=store), base_url="http://localhost")
    answer = client.get(f"/doc/{record.id}/pdf", follow_redirects=False)
    assert answer.status_code == 307 and "X-Amz-Signature" in answer.headers["location"]
    with urllib.request.urlopen(answer.headers["location"], timeout=10) as response:
        assert response.read() == outcome[0].pdf


def test_a_bucket_gone_while_running_is_a_transient_storage_failure_not_internal(s3, outcome):
    bucket = s3.bucket_name()
    store = S3Store.from_settings(s3_settings(s3, bucket))
    boto(s3).delete_bucket(Bucket=bucket)                          # an administrator removed it
    out, data = variant(outcome, 98)
    record = save_outcome(store, out, data)
    assert (record.status, record.error.kind, record.error.transient) == ("failed", "storage_unavailable", True)
    assert "NoSuchBucket" in record.error.message and "DIGITIZER_S3_BUCKET" in record.error.message


def test_a_wrong_secret_at_start_is_one_clear_line(s3, tmp_path):
    if not s3.checks_signatures:
        pytest.skip("moto's server accepts any secret")
    doc = sample("thong_bao", "clean", seed=97, fmt="png")
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(tmp_path / "data"), "DIGITIZER_S3_ENDPOINT": s3.endpoint,
           "DIGITIZER_S3_ACCESS_KEY": s3.access_key, "DIGITIZER_S3_SECRET_KEY": "not-the-secret",
           "DIGITIZER_S3_BUCKET": s3.bucket_name(), "DIGITIZER_S3_REGION": "us-east-1",
           "DIGITIZER_S3_RETRY_SECONDS": "1"}
    scan = write(tmp_path, doc.name, doc.data)
    run = subprocess.run([sys.executable, "-m", "digitizer.cli", "process", str(scan)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    # HEAD of the bucket comes first; a refused HEAD has no body, so the code is AccessDenied.
    assert "refused: AccessDenied" in run.stderr and "DIGITIZER_S3_SECRET_KEY" in run.stderr


def test_a_key_rotated_while_running_is_a_transient_storage_failure(s3, outcome, tmp_path):
    if not s3.checks_signatures:
        pytest.skip("moto's server accepts any secret")
    from minio import Minio

    bucket = s3.bucket_name()
    S3Store.from_settings(s3_settings(s3, bucket))                 # started with the right key...
    rotated = Minio(s3.endpoint, access_key=s3.access_key, secret_key="rotated-away", secure=False,
                    region="us-east-1")
    store = S3Store(rotated, bucket, retry_seconds=1.0)            # ...which the administrator then changed
    out, data = variant(outcome, 96)
    record = save_outcome(store, out, data)
    assert (record.status, record.error.kind, record.error.transient) == ("failed", "storage_unavailable", True)
    assert "SignatureDoesNotMatch" in record.error.message


def test_no_server_at_the_endpoint_is_one_warning_and_one_line(tmp_path):
    """Nothing listens at the endpoint: a quiet, bounded wait (one warning), then one line
    naming the setting; not a line for every try."""
    doc = sample("thong_bao", "clean", seed=98, fmt="png")
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(tmp_path / "data"), "DIGITIZER_S3_ENDPOINT": "127.0.0.1:9",
           "DIGITIZER_S3_RETRY_SECONDS": "4", "DIGITIZER_S3_TIMEOUT": "1"}
    scan = write(tmp_path, doc.name, doc.data)
    run = subprocess.run([sys.executable, "-m", "digitizer.cli", "process", str(scan)],
                         capture_output=True, text=True, env=env, timeout=120)
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 2 and len(lines) <= 2 and "Traceback" not in run.stderr, run.stderr
    assert "no S3 server answers at 127.0.0.1:9" in lines[-1] and "DIGITIZER_S3_ENDPOINT" in lines[-1]
    assert scan.exists()
