"""Freed memory kept for the next page instead of handed back to the kernel.

A page passes through a few dozen images of 5-25 MB (grey, resampled, binarized, turned).
glibc's malloc maps blocks above its threshold (which it raises as blocks are freed, but
never past 32 MB) on their own and unmaps them when freed, and trims the heap as it empties,
so pages pay again for the kernel to map and zero memory: about 0.04 s of system time a
page, a twentieth of its CPU (docs/benchmarks.md). Served from the heap
and not trimmed, the same memory is reused from page to page; a worker keeps its largest
page's worth (a few hundred MB), which it would need again for the next large page anyway.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os

log = logging.getLogger(__name__)

M_TRIM_THRESHOLD = -1      # glibc's mallopt parameters (malloc.h)
M_MMAP_THRESHOLD = -3
HEAP_LIMIT = 1 << 30       # blocks up to this come from the heap (an A3 colour page at 400 DPI is 93 MB)


def small_pages_environment() -> None:
    """Before NumPy loads (it reads the setting once): its large arrays on ordinary pages.

    NumPy asks the kernel for transparent huge pages for every array of 4 MB and more. On a
    virtual machine that hands freed memory back to its host, a huge page's first touch in a
    new process costs the host's faulting of 2 MB: a worker's first page took 0.25-0.4 s more
    to clean, and two workers over the 18 generated files took 7.3-7.8 s instead of 6.8-6.9 s
    (docs/benchmarks.md). Once touched, the heap is reused from page to page (below), so huge
    pages gained nothing after. A user's own NUMPY_MADVISE_HUGEPAGE is kept."""
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")


def reuse_freed_memory() -> bool:
    """Serve large blocks from the heap and keep what is freed. False where the C library is not
    glibc (musl, macOS): nothing changes there."""
    try:
        mallopt = ctypes.CDLL(None).mallopt     # the C library this process runs on (no ldconfig lookup)
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    kept = mallopt(M_MMAP_THRESHOLD, HEAP_LIMIT) == 1 and mallopt(M_TRIM_THRESHOLD, HEAP_LIMIT) == 1
    if not kept:
        log.debug("malloc thresholds not taken: large images are mapped afresh per page")
    return kept


def keep_loaded() -> None:
    """In a forked worker, once it has loaded what it needs (libraries, word lists, model): all
    of it stays until the worker exits, so it is moved out of the cyclic collector's sight, and
    the full collections between pages no longer walk it. Only where the process ends without
    the interpreter's teardown, as forked workers do: there, frozen objects of nanobind
    extensions (pikepdf, zxing-cpp) are reported as leaks."""
    gc.freeze()
