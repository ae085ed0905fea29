"""Large images' memory is reused from page to page in a worker (digitizer/memory.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# How a 40 MB image (a colour A4 page at 360 DPI) is held: glibc's mallinfo2 counts the bytes
# in blocks mapped on their own (hblkhd), which are unmapped when freed and mapped afresh,
# zeroed by the kernel, for the next page.
HELD = """
import ctypes, sys
import numpy as np
from digitizer.memory import reuse_freed_memory
if sys.argv[1] == "reuse":
    assert reuse_freed_memory()
class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                                                     "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]
mallinfo2 = ctypes.CDLL(None).mallinfo2
mallinfo2.restype = MallInfo2
page = np.ones(40_000_000, np.uint8)
held = mallinfo2()
del page
print(held.hblkhd, held.arena, mallinfo2().arena)
"""


def _held(mode: str) -> tuple[int, int, int]:
    out = subprocess.run([sys.executable, "-c", HELD, mode], capture_output=True, text=True, check=True)
    mapped, heap, heap_after_free = map(int, out.stdout.split())
    return mapped, heap, heap_after_free


def test_a_large_image_comes_from_the_heap_and_stays_there_when_freed():
    mapped, _, _ = _held("default")
    assert mapped >= 40_000_000          # glibc's default: mapped on its own, unmapped when freed
    mapped, heap, heap_after_free = _held("reuse")
    assert mapped < 40_000_000 and heap >= 40_000_000
    assert heap_after_free == heap       # kept for the next page, not trimmed


def _frozen(_: int) -> int:
    import gc
    return gc.get_freeze_count()


def test_forked_page_workers_keep_what_they_loaded_out_of_the_collectors_walks():
    import gc

    from digitizer.parallel import PagePool
    gc.collect()
    assert gc.get_freeze_count() == 0            # the parent itself is not frozen: it tears down
    with PagePool(2) as pool:
        counts = list(pool.imap(_frozen, range(4)))
    assert min(counts) > 10_000                  # the libraries and tables loaded before the fork
    assert gc.get_freeze_count() == 0


# A 64 MB image touched, then how much of this process's memory is on transparent huge pages.
ON_HUGE_PAGES = """
import sys
if sys.argv[1] == "digitizer":
    import digitizer
import numpy as np
page = np.ones(64 << 20, np.uint8)
rollup = open("/proc/self/smaps_rollup").read().splitlines()
print(next(int(line.split()[1]) for line in rollup if line.startswith("AnonHugePages:")))
"""


def _huge_kb(first_import: str) -> int:
    env = {"PATH": "/usr/bin:/bin"}          # as a user starts it: no NUMPY_MADVISE_HUGEPAGE of ours
    out = subprocess.run([sys.executable, "-c", ON_HUGE_PAGES, first_import], capture_output=True, text=True,
                         check=True, env=env)
    return int(out.stdout)


def test_images_are_not_on_huge_pages_however_digitizer_is_started():
    policy = Path("/sys/kernel/mm/transparent_hugepage/enabled")
    if not policy.is_file() or "[madvise]" not in policy.read_text():
        pytest.skip("huge pages are given only where asked for on this kernel's policy (madvise)")
    if _huge_kb("numpy") == 0:           # NumPy asks for them by default, but the kernel may have none free
        pytest.skip("the kernel gave plain NumPy no huge pages either: nothing to tell apart")
    assert _huge_kb("digitizer") == 0
