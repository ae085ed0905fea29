"""Shared by the watch benchmarks: run `digitizer watch` and read the memory of its processes."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from common import DIGITIZER, ROOT, user_env


def start_watch(inbox: Path, data: Path, settle: float, workers: int = 2, **env_extra: str) -> subprocess.Popen:
    env = user_env(DIGITIZER_DATA_DIR=str(data), DIGITIZER_WORKERS=str(workers), **env_extra)
    return subprocess.Popen([DIGITIZER, "watch", str(inbox), "--settle", str(settle)],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def stop_watch(service: subprocess.Popen) -> None:
    service.send_signal(signal.SIGTERM)
    try:
        service.wait(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(service.pid, signal.SIGKILL)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def wait_until(predicate, seconds: float, step: float = 0.05) -> float | None:  # noqa: ANN001
    """Seconds until `predicate()` held, or None after `seconds`."""
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if predicate():
            return time.perf_counter() - start
        time.sleep(step)
    return None
