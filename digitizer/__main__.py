"""`digitizer` and `python -m digitizer`: the command, with Ctrl-C honoured from the first
moment of digitizer's own code. Loading the command's modules takes a second; Ctrl-C then
ends it quietly with 130 instead of printing the traceback of whatever import it interrupted
(or aborting a native module's start-up)."""

from __future__ import annotations

import signal
import sys


def main() -> int:
    noted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: noted.append(signum))
    # A supervisor starts us with Ctrl-C held (jobs/service.py): one that came while the
    # interpreter started is delivered now, and noted like the rest.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        from .cli import main as run
    finally:
        signal.signal(signal.SIGINT, previous)
    if noted:
        return 130
    try:
        return run()
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
