"""One Tesseract thread per process, however digitizer is started (issue 27).

The `digitizer` command is started as a user starts it, from an environment with nothing in
it but PATH and HOME, and the threads of each of its processes are counted from /proc while
it reads the pages. libgomp keeps the threads of its pool until the process ends, so a
runtime that was allowed a second thread shows it for the rest of the run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from digitizer.ocr import LOADER
from tests.conftest import sample
from tests.helpers import write

COMMAND = Path(sys.executable).with_name("digitizer")


def _descendants(pid: int) -> list[int]:
    found = [pid]
    for parent in found:
        try:
            found += [int(child) for child in Path(f"/proc/{parent}/task/{parent}/children").read_text().split()]
        except OSError:
            continue
    return found


def _named(pid: int, tid: str) -> bool:
    try:
        return Path(f"/proc/{pid}/task/{tid}/comm").read_text().strip() == LOADER
    except OSError:
        return False


def _peak_threads(files: list[Path], data_dir: Path, workers: int) -> tuple[int, dict[int, int]]:
    """The command's pid, and the most threads each of its processes had at once, by pid; the
    thread that loads Tesseract's model while the command starts (ocr.load_model), which ends
    before a page is read, not counted."""
    env = {"PATH": os.environ["PATH"], "HOME": str(data_dir), "DIGITIZER_DATA_DIR": str(data_dir),
           "DIGITIZER_WORKERS": str(workers)}
    proc = subprocess.Popen([str(COMMAND), "process", *map(str, files)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen: list[tuple[int, set[str]]] = []
    loaders: set[tuple[int, str]] = set()
    while proc.poll() is None:
        for pid in _descendants(proc.pid):
            try:
                tids = set(os.listdir(f"/proc/{pid}/task"))
            except OSError:       # ended between the listing and the count
                continue
            seen.append((pid, tids))
            loaders |= {(pid, tid) for tid in tids if _named(pid, tid)}
        time.sleep(0.005)
    assert proc.returncode == 0, proc.stderr.read().decode() if proc.stderr else ""
    peak: dict[int, int] = {}
    for pid, tids in seen:
        peak[pid] = max(peak.get(pid, 0), len({tid for tid in tids if (pid, tid) not in loaders}))
    return proc.pid, peak


def test_a_clean_environment_reads_pages_on_one_thread(tmp_path):
    assert shutil.which(str(COMMAND)), "the digitizer command is installed beside this Python"
    page = sample("quyet_dinh", "clean", 31, fmt="png", pages=2)
    path = write(tmp_path, page.name, page.data)
    command, peak = _peak_threads([path], tmp_path / "data", workers=1)   # the pages in this one process
    assert peak[command] == 1, peak


def test_worker_processes_read_on_one_thread_each(tmp_path):
    files = [write(tmp_path, s.name, s.data) for s in (sample("thong_bao", "clean", 32, fmt="png"),
                                                        sample("ke_hoach", "clean", 33, fmt="png"))]
    command, peak = _peak_threads(files, tmp_path / "data", workers=2)
    workers = {pid: threads for pid, threads in peak.items() if pid != command}
    assert len(workers) == 2, peak
    assert set(workers.values()) == {1}, peak
