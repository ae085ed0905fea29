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


def watch(inbox: Path, handle: Callable[[Path], None], settle_seconds: float = 5.0,
          rescan_seconds: float = 120.0, retry_seconds: float = 60.0, polling: bool = False, stop: threading.Event | None = None) -> None:
    """Call `handle(path)` once for each complete file dropped below `inbox`, until `stop`."""
    stop = stop or threading.Event()
    wake = threading.Event()
    observer = PollingObserver(timeout=2) if polling else Observer()
    observer.schedule(_Touched(wake), str(inbox), recursive=True)
    observer.start()
    settle = Settle(settle_seconds)
    pending: set[Path] = set(candidates(inbox))
    retry_at: dict[Path, float] = {}          # files left in the inbox after a transient failure
    last_scan = time.monotonic()
    try:
        while not stop.is_set():
            if wake.is_set() or time.monotonic() - last_scan > rescan_seconds or pending:
                wake.clear()
                pending |= set(candidates(inbox))
                last_scan = time.monotonic()
            for path in sorted(pending):
                if stop.is_set():
                    break
                if not path.exists():
                    pending.discard(path)
                    settle.forget(path)
                elif retry_at.get(path, 0.0) <= time.monotonic() and settle.ready(path):
                    pending.discard(path)
                    settle.forget(path)
                    handle(path)
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
