"""kill -9 at each step of the one ingest path, then a restart: every file ends done (searchable
once) or failed with its reason, nothing stays held, nothing is left in the temporary folder.

The service kills itself at a named point (digitizer/jobs/crash.py), and the test then kills
everything else at once, as a power cut would; the second start runs without the crash point.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from samples.quick import small_page_png

from .test_watch import wait_for


def start(inbox: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "digitizer.cli", "watch", str(inbox), "--settle", "0.5"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def cli(env: dict[str, str], *args: str) -> dict:
    run = subprocess.run([sys.executable, "-m", "digitizer.cli", *args, "--json"], env=env, capture_output=True,
                         text=True, timeout=60)
    return json.loads(run.stdout)


@pytest.mark.parametrize("point, good", [("stored", True),            # in the store, not yet in the index
                                         ("ingested", True),          # stored and indexed, ledger not told
                                         ("recorded", True),          # ledger says done, file still in the inbox
                                         ("reason-written", False)])  # reason written, file not yet in failed/
def test_a_kill_at_each_step_is_completed_by_the_next_start(tmp_path, point, good):
    inbox, data, tmp = tmp_path / "inbox", tmp_path / "data", tmp_path / "tmp"
    inbox.mkdir()
    tmp.mkdir()
    (inbox / "scan.png").write_bytes(small_page_png(31) if good else b"\x89PNG\r\n\x1a\n truncated")
    marker = tmp_path / "crashed"
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(data), "DIGITIZER_WORKERS": "1", "TMPDIR": str(tmp)}
    service = start(inbox, {**env, "DIGITIZER_CRASH_AT": f"{point}:{marker}"})
    try:
        assert wait_for(marker.exists, 120), "the crash point was never reached"
    finally:
        os.killpg(service.pid, signal.SIGKILL)              # the rest of the service goes at the same moment
        service.wait()
    service = start(inbox, env)
    try:
        target = data / ("done" if good else "failed")
        assert wait_for(lambda: target.exists() and any(p.name == "scan.png" for p in target.rglob("*")), 120)
    finally:
        os.killpg(service.pid, signal.SIGTERM)
        _, err = service.communicate(timeout=120)
    assert not list(inbox.iterdir())
    counts = cli(env, "status")["counts"]
    assert counts["processing"] == 0 and counts["queued"] == 0, counts
    records = list((data / "store" / "records").rglob("*.json")) if (data / "store").exists() else []
    if good:
        assert len(records) == 1
        doc_id = records[0].stem
        hits = cli(env, "search")["hits"]
        assert [h["id"] for h in hits] == [doc_id], hits                       # searchable, once
    else:
        assert not records
        reason = (data / "failed" / "scan.png.error.txt").read_text(encoding="utf-8")
        assert "damaged" in reason, reason
    assert not list(tmp.iterdir()), list(tmp.iterdir())                        # no temporary files left


SHARE = Path("/dev/shm")      # a filesystem of its own (tmpfs), as an inbox on a network share is


@pytest.mark.skipif(not SHARE.is_dir() or SHARE.stat().st_dev == Path("/tmp").stat().st_dev,
                    reason="needs a second filesystem")
def test_a_kill_between_copy_and_delete_across_filesystems_leaves_one_copy(tmp_path):
    """The inbox on another filesystem: moving a done file is a copy, then a delete. Killed in
    between, the next start finds the same bytes in done/ and removes the source: one copy,
    no "scan (1).png", no temporary file."""
    import tempfile

    with tempfile.TemporaryDirectory(dir=SHARE) as share:
        inbox, data = Path(share) / "inbox", tmp_path / "data"
        inbox.mkdir()
        (inbox / "scan.png").write_bytes(small_page_png(37))
        marker = tmp_path / "crashed"
        env = {**os.environ, "DIGITIZER_DATA_DIR": str(data), "DIGITIZER_WORKERS": "1"}
        service = start(inbox, {**env, "DIGITIZER_CRASH_AT": f"copied-away:{marker}"})
        try:
            assert wait_for(marker.exists, 120), "the crash point was never reached"
        finally:
            os.killpg(service.pid, signal.SIGKILL)
            service.wait()
        assert (inbox / "scan.png").exists()                    # the source is whole until the copy is
        service = start(inbox, env)
        try:
            assert wait_for(lambda: not (inbox / "scan.png").exists(), 120)
        finally:
            os.killpg(service.pid, signal.SIGTERM)
            service.communicate(timeout=120)
        kept = [p.name for p in (data / "done").rglob("*") if p.is_file()]
        assert kept == ["scan.png"], kept
        assert cli(env, "status")["counts"]["processing"] == 0


def test_page_folders_of_a_killed_command_line_ocr_are_swept(tmp_path, monkeypatch):
    import time

    from digitizer.ocr.tesseract import TEMP_PREFIX, sweep_stale

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)                # re-read TMPDIR
    stale, fresh = tmp_path / (TEMP_PREFIX + "killed"), tmp_path / (TEMP_PREFIX + "running")
    for folder in (stale, fresh):
        folder.mkdir()
        (folder / "page.pgm").write_bytes(b"P5 1 1 255 \0")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    assert sweep_stale(older_than=600) == 1
    assert not stale.exists() and fresh.exists()


def test_a_ctrl_c_while_storing_is_held_until_the_document_is_stored_and_indexed(tmp_path, settings, monkeypatch):
    """A Ctrl-C may abandon the pipeline, but once storing has begun it waits for the index:
    else the resumed run found the file's own result stored and called it a duplicate."""
    from digitizer.jobs.ingest import ingest
    from digitizer.jobs.interrupts import Interrupts
    from digitizer.storage import LocalStore, open_index

    class CtrlCWhileStoring(LocalStore):
        def put(self, key: str, data: bytes, content_type: str, metadata: dict[str, str] | None = None) -> None:
            os.kill(os.getpid(), signal.SIGINT)          # the terminal's Ctrl-C, mid-write
            super().put(key, data, content_type, metadata)

    scan = tmp_path / "scan.png"
    scan.write_bytes(small_page_png(1))
    store, index, results = CtrlCWhileStoring(settings.store_dir), open_index(settings), []
    with pytest.raises(KeyboardInterrupt):
        with Interrupts() as interrupts:
            results.append(ingest(scan, settings, store, index, interruptible=interrupts.allowed))
    assert results[0].outcome == "stored" and results[0].record.status == "done"
    assert index.ids() == {results[0].record.id}

    # The same Ctrl-C during the pipeline abandons it at once: nothing is stored.
    import digitizer.jobs.ingest as ingest_module

    def interrupted(*args: object, **kwargs: object) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        raise AssertionError("the pipeline went on after Ctrl-C")

    other = tmp_path / "other.png"
    other.write_bytes(small_page_png(2))
    monkeypatch.setattr(ingest_module, "process", interrupted)
    with pytest.raises(KeyboardInterrupt):
        with Interrupts() as interrupts:
            ingest(other, settings, store, index, interruptible=interrupts.allowed)
    assert index.ids() == {results[0].record.id}
