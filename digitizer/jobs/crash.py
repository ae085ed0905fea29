"""Crash points for the tests of the crash windows: `DIGITIZER_CRASH_AT=point:marker` makes the
process kill itself (SIGKILL, as a power cut or the OOM killer would) the first time it passes
`point`, leaving `marker` behind so that the next run goes through. Unset, it is one lookup."""

from __future__ import annotations

import os
import signal
from pathlib import Path


def crash_point(name: str) -> None:
    spec = os.environ.get("DIGITIZER_CRASH_AT")
    if not spec:
        return
    point, _, marker = spec.partition(":")
    if point == name and marker and not Path(marker).exists():
        Path(marker).write_text(f"{os.getpid()}\n")
        os.kill(os.getpid(), signal.SIGKILL)
