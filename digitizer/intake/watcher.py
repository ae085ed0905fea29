"""The watched inbox: native file events (watchdog) plus periodic full rescans.

Events only say where to look soon; the rescan catches whatever events were missed
(network shares, restarts), and `Settle` decides when a file is complete.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from .inbox import Settle, candidates

log = logging.getLogger(__name__)


class _Touched(FileSystemEventHandler):
    def __init__(self, wake: threading.Event) -> None:
        self.wake = wake

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.wake.set()


def _groups(paths: list[Path], inbox: Path) -> list[list[Path]]:
    """Files at the top of the inbox one by one; files in a folder (a dossier) together."""
    groups: dict[str, list[Path]] = {}
    for path in paths:
        parts = path.relative_to(inbox).parts
        groups.setdefault(parts[0] if len(parts) > 1 else str(path), []).append(path)
    return list(groups.values())


def watch(inbox: Path, handle: Callable[[Path], None], settle_seconds: float = 5.0, rescan_seconds: float = 120.0,
          retry_seconds: float = 60.0, polling: bool = False, stop: threading.Event | None = None,
          empty_seconds: float = 300.0) -> None:
    """Call `handle(path)` once for each complete file dropped below `inbox`, until `stop`;
    again after `retry_seconds` if it raised."""
    stop = stop or threading.Event()
    wake = threading.Event()
    observer = PollingObserver(timeout=2) if polling else Observer()
    observer.schedule(_Touched(wake), str(inbox), recursive=True)
    observer.start()
    settle = Settle(settle_seconds, empty_seconds)
    pending: set[Path] = set(candidates(inbox))
    retry_at: dict[Path, float] = {}          # files left in the inbox after a transient failure
    last_scan = time.monotonic()
    try:
        while not stop.is_set():
            # Walk the tree only when an event said something changed, or on the rescan clock;
            # files already pending are re-checked from the set.
            if wake.is_set() or time.monotonic() - last_scan > rescan_seconds:
                wake.clear()
                pending |= set(candidates(inbox))
                last_scan = time.monotonic()
            for group in _groups(sorted(pending), inbox):
                if stop.is_set():
                    break
                for path in [p for p in group if not p.exists()]:
                    pending.discard(path)
                    settle.forget(path)
                group = [p for p in group if p.exists()]
                # A dossier folder is taken whole, once every file in it has settled.
                ready = [settle.ready(p) for p in group]
                if not group or not all(ready) or any(retry_at.get(p, 0.0) > time.monotonic() for p in group):
                    continue
                for path in group:
                    pending.discard(path)
                    settle.forget(path)
                    try:
                        handle(path)
                    except Exception as exc:  # not taken (a full disk, the database restarting): offered again
                        log.warning("could not queue %s (%s); offered again in %.0f s", path.name, exc, retry_seconds)
                        pending.add(path)
                    if path.exists():
                        retry_at[path] = time.monotonic() + retry_seconds
            if not observer.is_alive():       # e.g. the share was unmounted: start over
                log.warning("file observer stopped; restarting it")
                observer = PollingObserver(timeout=2) if polling else Observer()
                observer.schedule(_Touched(wake), str(inbox), recursive=True)
                observer.start()
            wake.wait(timeout=min(1.0, settle_seconds / 2) if pending else 1.0)
    finally:
        observer.stop()
        observer.join(timeout=5)
