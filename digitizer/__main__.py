"""`digitizer` and `python -m digitizer`: the command, with Ctrl-C honoured from the first
moment. Loading the command's modules takes a second; Ctrl-C then ends it quietly with 130
instead of printing the traceback of whatever import it interrupted."""

from __future__ import annotations

import sys


def main() -> int:
    from .jobs.interrupts import Interrupts

    try:
        with Interrupts():                # noted while the modules load, raised after
            from .cli import main as run
        return run()
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
