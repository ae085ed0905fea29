"""Ctrl-C that never cuts a job's bookkeeping in half.

A worker process receives SIGINT several times on Ctrl-C (the terminal's process group, the
consumer, the backfill's own stop), and Huey turns each into a KeyboardInterrupt wherever the
task happens to be. Inside `Interrupts` the signal is only noted; `allowed()` marks the long
part that may be abandoned (the pipeline), where it raises at once. On leaving, a noted
interrupt is raised, so the process still stops, after the ledger says what happened.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from types import FrameType, TracebackType
from typing import Any, Iterator


class Interrupts:
    def __init__(self) -> None:
        self.pending = False
        self._previous: Any = None
        self._active = False

    def __enter__(self) -> Interrupts:
        # Signal handlers belong to the main thread; elsewhere (a test's thread) nothing changes.
        self._active = threading.current_thread() is threading.main_thread()
        if self._active:
            self._previous = signal.signal(signal.SIGINT, self._note)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._active:
            signal.signal(signal.SIGINT, self._previous)
        if self.pending and kind is None:
            raise KeyboardInterrupt

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self.pending = True

    def _raise(self, signum: int, frame: FrameType | None) -> None:
        signal.signal(signal.SIGINT, self._note)     # one interrupt is enough; the rest are noted
        self.pending = True
        raise KeyboardInterrupt

    @contextmanager
    def allowed(self) -> Iterator[None]:
        """Interrupts raise at once in here (and one noted before raises on entry)."""
        if self.pending:
            raise KeyboardInterrupt
        if self._active:
            signal.signal(signal.SIGINT, self._raise)
        try:
            yield
        finally:
            if self._active:
                signal.signal(signal.SIGINT, self._note)
