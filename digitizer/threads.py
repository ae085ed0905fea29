"""One thread per process for the native libraries: parallelism comes from processes.

Tesseract's OpenMP runtime (libgomp) reads OMP_THREAD_LIMIT once, when it is loaded, and
Tesseract asks for its threads explicitly (`num_threads` clauses), which a later
`omp_set_num_threads` does not cap. So the limit has to be in the environment before
tesserocr is imported: the package sets it on import (`digitizer/__init__.py`), before any of
its modules loads a native library, however digitizer is started. `openmp_thread_limit()`
reads back what the loaded runtime took (through threadpoolctl), so a worker can tell when a
host program loaded Tesseract first.
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)

THREAD_VARIABLES = ("OMP_THREAD_LIMIT", "OMP_NUM_THREADS")


def limit_environment() -> None:
    """Before any native library loads: one OpenMP thread for every library this process loads."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"


def openmp_thread_limit() -> int | None:
    """The thread limit of the OpenMP runtime loaded in this process (None when none is loaded)."""
    from threadpoolctl import ThreadpoolController

    limits = [controller.dynlib.omp_get_thread_limit()
              for controller in ThreadpoolController().select(internal_api="openmp").lib_controllers
              if hasattr(controller.dynlib, "omp_get_thread_limit")]
    return max(limits) if limits else None


def single_thread() -> None:
    """In a worker process, before its first page: OpenCV on one thread, and a warning when
    OpenMP was loaded before the limit was set (a host program imported tesserocr first)."""
    import cv2

    cv2.setNumThreads(1)
    limit = openmp_thread_limit()
    if limit is not None and limit > 1:
        log.warning("Tesseract's OpenMP runtime was loaded before digitizer set OMP_THREAD_LIMIT=1 "
                    "(limit %d): pages will compete for cores; import digitizer before tesserocr", limit)
