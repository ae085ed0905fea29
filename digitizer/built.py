"""What is built from files that seldom change, kept built between runs: the word lists, the
language model and the place registry (extract/), the signature stamp's font (signing/).

Building the tables (splitting 300,000 entries of underthesea's word lists into syllables,
keying the model's pairs) costs every worker process about 0.85 s at its start; unpickled from
the user's cache they load in 0.07 s. An entry is named by what it was built from (the source files'
sizes and times, digitizer's version), so a new word list or model builds it again. A cache
that cannot be written (a read-only home) only costs the building.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from . import __version__

log = logging.getLogger(__name__)

T = TypeVar("T")


def cache_dir() -> Path:
    """$DIGITIZER_CACHE_DIR, else the XDG cache folder ($XDG_CACHE_HOME or ~/.cache)/digitizer."""
    named = os.environ.get("DIGITIZER_CACHE_DIR")
    if named:
        return Path(named)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "digitizer"


def _stamp(sources: list[Path]) -> str:
    parts = [__version__, *(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sources)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a table of a few hundred thousand tuples is
    unpickled: it would walk the growing table again and again (a third of the load time)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def built(name: str, sources: list[Path], build: Callable[[], T]) -> T:
    """`build()`, or what an earlier run built from the same `sources`."""
    folder = cache_dir()
    path = folder / f"{name}-{_stamp(sources)}.pickle"
    try:
        with path.open("rb") as f, _collector_paused():
            return pickle.load(f)       # written by this user's own digitizer, below
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".tmp-", delete=False) as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, path)        # whole or not at all, with other workers writing too
        for older in folder.glob(f"{name}-*.pickle"):
            if older != path:
                older.unlink(missing_ok=True)
    except OSError as exc:
        log.info("cannot keep %s built in %s: %s", name, folder, exc)
    return value
