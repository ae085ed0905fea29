"""Hostile and broken inputs in one batch, and tools that fail: every input ends in a
recorded state with a reason a clerk can read, the rest of the batch completes, and the
store never holds objects of a failed document."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import unicodedata
from pathlib import Path

import pytest

from digitizer.config import Settings
from digitizer.jobs.ledger import open_ledger
from digitizer.jobs.worker import WorkerContext

from .hostile import CASES, Case
from .test_backfill import backfill as backfill_run
from samples.quick import small_page_png


def backfill(archive: Path, data: Path, *extra: str, **env: str) -> tuple[subprocess.CompletedProcess, dict]:
    run = backfill_run({**os.environ, "DIGITIZER_DATA_DIR": str(data), **env}, archive, "--workers", "2", *extra)
    assert "report:" in run.stdout, run.stderr[-3000:]
    return run, json.loads(Path(run.stdout.split()[-1]).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """All the cases and two good scans, in one archive, through one backfill."""
    root = tmp_path_factory.mktemp("hostile")
    archive, data = root / "archive", root / "data"
    archive.mkdir()
    for case in CASES:
        (archive / case.name).write_bytes(case.make())
    for i in range(2):
        (archive / f"good-{i}.png").write_bytes(small_page_png(i))
    run, report = backfill(archive, data)
    rows = {unicodedata.normalize("NFC", f["path"]): f for f in report["files"]}
    return run, rows, data


@pytest.mark.parametrize("case", CASES, ids=[c.name.encode("ascii", "replace").decode() for c in CASES])
def test_each_bad_input_ends_recorded_with_a_reason(batch, case: Case):
    _, rows, data = batch
    row = rows[unicodedata.normalize("NFC", case.name)]
    if case.kind is None:
        assert row["state"] in ("done", "duplicate"), row
        record = _record(data, row["record_id"])
        assert len(record["pages"]) == case.pages
        # A file that holds several documents (mixed-sizes.tiff: two notices) has their text in them.
        text = "\f".join(_record(data, d["id"])["text"] for d in record["documents"]) or record["text"]
        assert ("thông báo" in text.lower() or "thong bao" in text.lower()) == case.text
        assert record["source"]["name"] == unicodedata.normalize("NFC", case.name)   # NFD names stored NFC
    else:
        assert (row["state"], row["error_kind"]) == ("failed", case.kind), row
        vietnamese, _, english = row["error"].partition(" / ")
        assert vietnamese and english and vietnamese != english                       # both languages


def _record(data: Path, doc_id: str) -> dict:
    return json.loads(next((data / "store" / "records").rglob(f"{doc_id}.json")).read_text(encoding="utf-8"))


def test_the_batch_completes_and_the_store_holds_no_partial_document(batch):
    run, rows, data = batch
    assert rows["good-0.png"]["state"] == rows["good-1.png"]["state"] == "done"
    assert run.returncode == 1                                  # failures are reported in the exit code
    done = {r["record_id"] for r in rows.values() if r["state"] in ("done", "duplicate")}
    done |= {d["id"] for doc_id in list(done) for d in _record(data, doc_id)["documents"]}   # a stack's documents
    failed = {r["record_id"] for r in rows.values() if r["state"] == "failed"} - {None}
    stored = {p.name.split(".")[0] for p in (data / "store").rglob("*") if p.is_file()}
    assert stored == done and not stored & failed


def test_limits_are_configuration(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "long.pdf").write_bytes(next(c for c in CASES if c.pages == 300).make())
    (archive / "page.png").write_bytes(small_page_png(3))
    _, report = backfill(archive, tmp_path / "data", DIGITIZER_LIMITS_MAX_PAGES="100",
                         DIGITIZER_LIMITS_MAX_PIXELS="100000", DIGITIZER_LIMITS_MAX_FILE_MB="0.01")
    kinds = {f["path"]: f["error_kind"] for f in report["files"]}
    assert kinds == {"long.pdf": "too_large", "page.png": "too_large"}            # file size first
    _, report = backfill(archive, tmp_path / "data2", DIGITIZER_LIMITS_MAX_PAGES="100",
                         DIGITIZER_LIMITS_MAX_PIXELS="100000")
    assert {f["path"]: f["error_kind"] for f in report["files"]} == {"long.pdf": "too_many_pages",
                                                                      "page.png": "too_large"}


FAKE_TESSERACT = """#!/bin/sh
# Tesseract that answers --version like the real one and then misbehaves as told.
case "$*" in *--version*|*--list-langs*) exec {real} "$@";; esac
case "$FAKE_TESSERACT" in
  crash) kill -SEGV $$ ;;
  hang) exec sleep 600 ;;
  oom) kill -KILL $$ ;;
esac
exec {real} "$@"
"""


@pytest.mark.parametrize("mode, kind, detail", [("crash", "ocr_failed", "crashed"),
                                                ("hang", "ocr_timeout", "over 2 s"),
                                                ("oom", "ocr_failed", "killed")])
def test_tesseract_failures_are_retried_a_bounded_number_of_times(tmp_path, mode, kind, detail):
    fake = tmp_path / "bin" / "tesseract"
    fake.parent.mkdir()
    real = shutil.which("tesseract")
    fake.write_text(FAKE_TESSERACT.format(real=real))
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "scan.png").write_bytes(small_page_png(4))
    # The command-line engine: a process per page, so Tesseract's crash is the page's failure
    # (in the API engine it takes the worker process, counted as an attempt: worker_died).
    env = {"PATH": f"{fake.parent}:{os.environ['PATH']}", "FAKE_TESSERACT": mode, "DIGITIZER_OCR_PAGE_TIMEOUT": "2",
           "DIGITIZER_OCR_ENGINE": "cli",
           "DIGITIZER_JOBS_MAX_ATTEMPTS": "2", "DIGITIZER_JOBS_RETRY_SECONDS": "0.2"}
    _, report = backfill(archive, tmp_path / "data", **env)
    (row,) = report["files"]
    assert (row["state"], row["error_kind"]) == ("failed", kind) and detail in row["error"], row
    settings = Settings(data_dir=tmp_path / "data")
    ledger = open_ledger(settings)
    assert ledger.recent_failures()[0].attempts == 2                # tried, retried once, given up
    ledger.close()
    env["FAKE_TESSERACT"] = "none"                                  # the tool is fixed: a retry succeeds
    run, _ = backfill(archive, tmp_path / "data", "--retry", str(report_path(tmp_path)), **env)
    assert run.returncode == 0, run.stderr[-2000:]


def report_path(tmp_path: Path) -> Path:
    return sorted((tmp_path / "data" / "reports").glob("*.csv"))[-1]


def _fill(folder: Path, leave: int) -> None:
    """Fill a small file system up to `leave` bytes (0: every last block)."""
    with open(folder / "filler", "wb") as out:
        try:
            while shutil.disk_usage(folder).free > leave:
                out.write(b"\0" * 1024)
                out.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


# With no room at all, Python's tempfile would quietly take /tmp instead of TMPDIR (it takes
# the first candidate folder it can write a probe file to): the page then went through on one
# run and failed on the next. digitizer writes where TMPDIR says, full or not.
@pytest.mark.parametrize("leave", [4096, 0], ids=["a block left", "full"])
def test_a_full_temporary_disk_is_a_transient_failure(tmp_path, leave):
    tmp = tmp_path / "tiny-tmp"
    tmp.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(tmp)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        _fill(tmp, leave)
        archive = tmp_path / "archive"
        archive.mkdir()
        (archive / "scan.png").write_bytes(small_page_png(5))
        # Only the command-line engine writes page images to the temporary folder.
        _, report = backfill(archive, tmp_path / "data", TMPDIR=str(tmp), DIGITIZER_OCR_ENGINE="cli",
                             DIGITIZER_JOBS_MAX_ATTEMPTS="2",
                             DIGITIZER_JOBS_RETRY_SECONDS="0.2")
        (row,) = report["files"]
        assert (row["state"], row["error_kind"]) == ("failed", "disk_full"), row
    finally:
        subprocess.run(["umount", str(tmp)], check=True)


def test_a_file_that_disappears_before_processing_is_recorded(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "gone.png").write_bytes(small_page_png(6))
    ledger = open_ledger(settings)
    job = ledger.add(inbox, "gone.png")                  # detected and queued...
    (inbox / "gone.png").unlink()                        # ...then taken away before a worker got to it
    WorkerContext.open(settings).run(job.id)
    finished = ledger.get(job.id)
    assert (finished.state, finished.error_kind) == ("failed", "vanished") and "disappeared" in finished.error


def test_a_bug_in_a_job_counts_as_an_attempt_and_cannot_loop(tmp_path, monkeypatch):
    from digitizer.jobs import worker as worker_module

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(worker_module, "ingest", broken)
    settings = Settings(data_dir=tmp_path / "data")
    settings.jobs.max_attempts, settings.jobs.retry_seconds = 2, 0.0
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "scan.png").write_bytes(small_page_png(6))
    ledger = open_ledger(settings)
    job = ledger.add(inbox, "scan.png")
    context = WorkerContext.open(settings)
    context.run(job.id)
    assert ledger.get(job.id).state == "queued" and ledger.get(job.id).attempts == 1    # retried...
    context.run(job.id)
    finished = ledger.get(job.id)                                                        # ...a bounded number of times
    assert (finished.state, finished.error_kind) == ("failed", "internal") and "ZeroDivisionError" in finished.error
    assert (tmp_path / "data" / "failed" / "scan.png.error.txt").exists()               # and set aside with its reason


def _cut_pdf(pages: int = 3) -> tuple[bytes, bytes]:
    """A scanned PDF of `pages` pages and the same cut short inside its last page's image."""
    import pymupdf

    from samples import generate

    data = generate("thong_bao", "clean", 91, fmt="pdf", pages=pages).data
    assert pymupdf.open(stream=data, filetype="pdf").page_count == pages
    return data, data[:len(data) - len(data) // (2 * pages)]


def test_a_pdf_cut_short_fails_naming_the_lost_pages_or_is_stored_in_part(tmp_path):
    """A copy or a scanner that stopped mid-file: MuPDF repairs what it can and the lost page
    renders blank. It must not be stored as if whole."""
    from fastapi.testclient import TestClient

    from digitizer.config import LimitSettings
    from digitizer.pipeline import process
    from digitizer.storage import LocalStore, SqliteIndex, save_outcome
    from digitizer.web import create_app

    whole, cut = _cut_pdf()
    settings = Settings(data_dir=tmp_path / "data", workers=1)
    failed = process(cut, "cut.pdf", settings).record
    assert failed.status == "failed" and failed.error.kind == "truncated", failed.error
    assert "1 of 3 page(s) cannot be read: 3" in failed.error.message
    assert process(whole, "whole.pdf", settings).record.source.unread_pages is None
    for size in (3_000, 20_000, 60_000):                       # nothing of any page is left: fails either way
        assert process(whole[:size], "cut.pdf", settings).record.error.kind == "truncated"
    partial = Settings(data_dir=tmp_path / "data", workers=1, limits=LimitSettings(damaged_pdf="partial"))
    outcome = process(cut, "cut.pdf", partial)
    record = outcome.record
    assert record.status == "done" and record.source.unread_pages == [3] and record.source.pages == [1, 2]
    assert len(record.pages) == 2
    store, index = LocalStore(partial.store_dir), SqliteIndex(partial.index_path)
    index.add(save_outcome(store, outcome, cut))
    index.close()
    page = TestClient(create_app(partial), base_url="http://localhost").get(f"/doc/{record.id}")
    assert 'id="unread"' in page.text and "không đọc được trang 3" in page.text
