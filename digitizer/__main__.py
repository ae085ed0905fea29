"""`digitizer` and `python -m digitizer`: the command, with Ctrl-C honoured from the first
moment of digitizer's own code. Loading the command's modules takes a second; Ctrl-C then
ends it quietly with 130 instead of printing the traceback of whatever import it interrupted
(or aborting a native module's start-up)."""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading


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
        code = run()
    except KeyboardInterrupt:
        code = 130
    return end_now(code)


def end_now(code: int) -> int:
    """Exit without the interpreter's teardown once the command is over. The teardown clears
    every loaded module and collects what the libraries built (0.13-0.2 s at the end of every
    command, a tenth of a one-page run), and nothing of ours is left to it: the command has
    closed what it opened, and the exit handlers (logging's flush, a worker pool's joins) run
    here. Where a thread of the command still runs, the usual exit waits for it instead; under
    a profiler or a debugger, which write what they found once the command returns, it is left
    to them."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return code
    if any(thread.is_alive() and not thread.daemon for thread in threading.enumerate()
           if thread is not threading.main_thread()):
        return code
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):       # a closed pipe: what the usual exit would also lose
            pass
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
