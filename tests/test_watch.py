"""`digitizer watch` with the real watcher on a temporary inbox."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from digitizer.intake.inbox import Settle, candidates, dossier_of, is_junk
from samples.quick import small_page_png

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
    settle = Settle(5.0, empty_seconds=60.0)
    assert not settle.ready(path, now=0.0)
    assert not settle.ready(path, now=10.0)          # empty: a scanner may be about to fill it
    path.write_bytes(b"%PDF-")
    assert not settle.ready(path, now=11.0)          # changed: the clock starts again
    assert not settle.ready(path, now=14.0)
    assert settle.ready(path, now=16.5)
    empty = tmp_path / "forgotten.pdf"
    empty.write_bytes(b"")
    assert not settle.ready(empty, now=100.0) and not settle.ready(empty, now=150.0)
    assert settle.ready(empty, now=161.0)            # still empty after a minute: taken, to fail with a reason


def test_service_processes_complete_files_and_sets_aside_bad_ones(tmp_path):
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(data), "DIGITIZER_WORKERS": "1",
           "DIGITIZER_JOBS_EMPTY_SECONDS": "4"}
    service = subprocess.Popen([sys.executable, "-m", "digitizer.cli", "watch", str(inbox), "--settle", "1"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        (inbox / "forgotten.pdf").write_bytes(b"")      # a scan that never came: set aside after a while
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
        assert wait_for(lambda: (data / "failed" / "forgotten.pdf.error.txt").exists(), 30)
        assert "empty" in (data / "failed" / "forgotten.pdf.error.txt").read_text(encoding="utf-8")
        records = list((data / "store" / "records").rglob("*.json"))
        assert len(records) == 2
        assert any('"dossier": "HS-2025-0042"' in r.read_text(encoding="utf-8") for r in records)
    finally:
        service.send_signal(signal.SIGTERM)
        _, err = service.communicate(timeout=60)
    assert service.returncode == 0, err


MOUNTS = """/dev/vda / ext4 rw 0 0
//nas/scan /mnt/scan cifs rw 0 0
nas:/export /srv/nfs\\040share nfs4 rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


def test_network_filesystems_are_polled(tmp_path):
    from digitizer.intake.mounts import filesystem_type, needs_polling

    assert needs_polling(Path("/mnt/scan/inbox"), MOUNTS)
    assert needs_polling(Path("/srv/nfs share/x"), MOUNTS)
    assert not needs_polling(Path("/tmp/inbox"), MOUNTS) and filesystem_type(Path("/home/x"), MOUNTS) == "ext4"
    assert filesystem_type(tmp_path) is not None                # the real mount table is read


def test_polling_observer_and_awkward_names(tmp_path):
    """Native events off: the polling observer finds the file; an NFD Vietnamese name with
    spaces, # and % goes through."""
    import unicodedata

    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(data), "DIGITIZER_WORKERS": "1"}
    service = subprocess.Popen([sys.executable, "-m", "digitizer.cli", "watch", str(inbox), "--settle", "1",
                                "--polling"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    name = unicodedata.normalize("NFD", "Đơn đề nghị #2 100% (bản chụp).png")
    try:
        time.sleep(1.0)
        (inbox / name).write_bytes(sample("don_de_nghi", "clean", seed=43, fmt="png").data)
        assert wait_for(lambda: any((data / "done").rglob("*.png")) if (data / "done").exists() else False)
    finally:
        service.send_signal(signal.SIGTERM)
        _, err = service.communicate(timeout=60)
    assert service.returncode == 0, err
    assert [p.name for p in (data / "done").rglob("*.png")] == [name]


def test_a_dossier_is_taken_only_when_all_its_files_have_settled(tmp_path):
    """The real watcher, in this process, with a handler that only notes what it got when."""
    import threading

    from digitizer.intake.watcher import watch

    inbox = tmp_path / "inbox"
    (inbox / "HS-7").mkdir(parents=True)
    handled: dict[str, float] = {}
    stop = threading.Event()

    def handle(path: Path) -> None:
        handled[path.name] = time.monotonic()
        path.unlink()

    thread = threading.Thread(target=watch, args=(inbox, handle),
                              kwargs={"settle_seconds": 1.5, "stop": stop}, daemon=True)
    thread.start()
    try:
        (inbox / "HS-7" / "a.pdf").write_bytes(b"%PDF-1.4 complete")
        with open(inbox / "HS-7" / "b.pdf", "wb") as slow:          # still being scanned
            for _ in range(8):                                      # pauses well inside the settle time
                slow.write(b"x" * 1000)
                slow.flush()
                time.sleep(0.3)
        finished = time.monotonic()
        (inbox / "single.pdf").write_bytes(b"%PDF-1.4 alone")
        assert wait_for(lambda: len(handled) == 3, 30)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert handled["a.pdf"] >= finished and handled["b.pdf"] >= finished


def run_service(inbox: Path, data: Path, **env_extra: str) -> subprocess.Popen:
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(data), "DIGITIZER_WORKERS": "2", **env_extra}
    return subprocess.Popen([sys.executable, "-m", "digitizer.cli", "watch", str(inbox), "--settle", "0.5"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_burst_of_200_files_all_end_done(tmp_path):
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    pages = [small_page_png(seed) for seed in range(4)]
    service = run_service(inbox, data)
    try:
        for i in range(200):          # distinct content: trailing bytes after the PNG's end
            (inbox / f"scan-{i:03d}.png").write_bytes(pages[i % 4] + f"#{i}".encode())
        done = lambda: [p for p in (data / "done").rglob("*.png")] if (data / "done").exists() else []  # noqa: E731
        assert wait_for(lambda: len(done()) == 200, 400)
    finally:
        service.send_signal(signal.SIGTERM)
        _, err = service.communicate(timeout=120)
    assert service.returncode == 0, err[-2000:]
    assert len(list((data / "store" / "records").rglob("*.json"))) == 200
    assert not list(inbox.iterdir()) and not (data / "failed").exists()


def test_delete_after_done_and_json_logs(tmp_path):
    import json

    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    service = run_service(inbox, data, DIGITIZER_JOBS_AFTER_DONE="delete", DIGITIZER_LOG_FORMAT="json")
    try:
        (inbox / "one.png").write_bytes(small_page_png(9))
        assert wait_for(lambda: len(list((data / "store" / "records").rglob("*.json"))) == 1
                        if (data / "store").exists() else False)
        assert wait_for(lambda: not (inbox / "one.png").exists(), 30)
    finally:
        service.send_signal(signal.SIGTERM)
        _, err = service.communicate(timeout=60)
    assert not (data / "done").exists()
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any("one.png" in entry["message"] for entry in lines)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] not in "ZX"
    except OSError:
        return False


def test_killing_the_worker_command_ends_its_worker_processes(tmp_path):
    """kill -9 of `digitizer worker`: its worker processes end too, instead of taking jobs
    beside the ones a restarted command starts."""
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(tmp_path / "data")}
    consumer = subprocess.Popen([sys.executable, "-m", "digitizer.cli", "worker", "--workers", "2"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: len(_children(consumer.pid)) >= 2, 60)
        workers = _children(consumer.pid)
        time.sleep(1.0)                     # past their start-up hooks
        consumer.kill()
        consumer.wait()
        assert wait_for(lambda: not any(_alive(pid) for pid in workers), 15), [p for p in workers if _alive(p)]
    finally:
        consumer.kill()
        for pid in _children(consumer.pid):
            os.kill(pid, signal.SIGKILL)
