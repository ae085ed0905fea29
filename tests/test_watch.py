"""`digitizer watch` with the real watcher on a temporary inbox."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from digitizer.intake.inbox import Settle, candidates, dossier_of, is_junk

from .conftest import sample


def wait_for(predicate, seconds: float = 90.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_junk_and_symlinks_are_not_candidates(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "HS-01").mkdir(parents=True)
    for name in ["a.pdf", "scan.part", "~$doc.pdf", ".DS_Store", "Thumbs.db", "._a.pdf", ".hidden.pdf"]:
        (inbox / name).write_bytes(b"x")
    (inbox / "HS-01" / "đơn đề nghị #1 50%.pdf").write_bytes(b"x")
    (inbox / "link.pdf").symlink_to(inbox / "a.pdf")
    found = [p.relative_to(inbox).as_posix() for p in candidates(inbox)]
    assert found == ["HS-01/đơn đề nghị #1 50%.pdf", "a.pdf"]
    assert is_junk(inbox / "@eaDir" / "x.pdf", inbox)
    assert dossier_of(inbox / "HS-01" / "x.pdf", inbox) == "HS-01" and dossier_of(inbox / "a.pdf", inbox) is None


def test_settle_waits_for_an_unchanged_non_empty_file(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"")
    settle = Settle(5.0)
    assert not settle.ready(path, now=0.0)
    assert not settle.ready(path, now=10.0)          # empty files are never ready
    path.write_bytes(b"%PDF-")
    assert not settle.ready(path, now=11.0)          # changed: the clock starts again
    assert not settle.ready(path, now=14.0)
    assert settle.ready(path, now=16.5)


def test_service_processes_complete_files_and_sets_aside_bad_ones(tmp_path):
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(data), "DIGITIZER_WORKERS": "1"}
    service = subprocess.Popen([sys.executable, "-m", "digitizer.cli", "watch", str(inbox), "--settle", "1"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        good = sample("thong_bao", "mild", seed=41, fmt="png")
        slow = inbox / good.name
        with open(slow, "wb") as f:                  # a scanner writing slowly, in chunks
            step = len(good.data) // 4 + 1
            for i in range(0, len(good.data), step):
                f.write(good.data[i:i + step])
                f.flush()
                time.sleep(0.6)
        (inbox / "Thumbs.db").write_bytes(b"junk")
        (inbox / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")
        (inbox / "HS-2025-0042").mkdir()
        dossier_doc = sample("don_de_nghi", "clean", seed=42, fmt="png")
        (inbox / "HS-2025-0042" / "đơn.png").write_bytes(dossier_doc.data)
        done = lambda: sorted(p.name for p in (data / "done").rglob("*") if p.is_file())  # noqa: E731
        assert wait_for(lambda: len(done()) == 2 and (data / "failed" / "broken.pdf.error.txt").exists())
        assert done() == sorted([good.name, "đơn.png"])
        reason = (data / "failed" / "broken.pdf.error.txt").read_text(encoding="utf-8")
        assert "damaged" in reason and "hỏng" in reason
        assert (inbox / "Thumbs.db").exists()
        records = list((data / "store" / "records").rglob("*.json"))
        assert len(records) == 2
        assert any('"dossier": "HS-2025-0042"' in r.read_text(encoding="utf-8") for r in records)
    finally:
        service.send_signal(signal.SIGTERM)
        _, err = service.communicate(timeout=60)
    assert service.returncode == 0, err
