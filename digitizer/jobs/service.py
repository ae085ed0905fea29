"""The worker processes a watch service or a backfill starts beside itself: one
`digitizer worker` child (the Huey consumer, N processes), watched over and stopped cleanly.
The child is exec'd, not forked, so no thread of this process leaks into the workers."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import signal
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def stop_with_parent(sent: signal.Signals = signal.SIGTERM) -> None:
    """In a child process: the kernel sends `sent` when the parent dies (even by kill -9), so
    the workers never outlive the service that started them and keep taking jobs unseen."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(1, sent)                        # PR_SET_PDEATHSIG
    except (OSError, AttributeError):              # not Linux: the leases still bring jobs back
        pass


def _child_setup() -> None:
    """Between fork and exec: die with the parent, and hold Ctrl-C (blocked, so it waits, not
    lost) until the child's Python has loaded; `digitizer/__main__.py` lets it through then.
    Cut short earlier, the interpreter's own start-up prints a fatal error and a traceback."""
    stop_with_parent()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


class Workers:
    def __init__(self, count: int, config: Path | None, shutdown_seconds: float) -> None:
        self.count = count
        self.command = [sys.executable, "-m", "digitizer", *(["--config", str(config)] if config else []),
                        "worker", "--workers", str(count)]
        self.shutdown_seconds = shutdown_seconds
        self.process = self._start()

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen(self.command, preexec_fn=_child_setup)

    def supervise(self) -> None:
        """Start the workers again if they died (their jobs go back by the ledger's leases)."""
        if self.process.poll() is not None:
            log.warning("the workers stopped (exit %s); starting them again", self.process.returncode)
            self.process = self._start()

    def stop(self, graceful: bool = True) -> None:
        """graceful: finish the jobs in hand (up to shutdown_seconds); else hand them back now."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM if graceful else signal.SIGINT)
        try:
            self.process.wait(timeout=self.shutdown_seconds + 15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
