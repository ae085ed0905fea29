"""Pages in parallel processes, one Tesseract thread each, never more busy than asked."""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

from .memory import keep_loaded, reuse_freed_memory
from .threads import single_thread

T = TypeVar("T")
R = TypeVar("R")


def page_worker() -> None:
    """In a process about to read pages, before the first: one thread for the native
    libraries, and large images' memory reused from page to page."""
    single_thread()
    reuse_freed_memory()


def _forked_page_worker() -> None:
    page_worker()
    keep_loaded()            # what the parent loaded before the fork


class PagePool:
    """`imap` over a process pool with a bounded window, so a 300-page PDF is not decoded
    into memory all at once. With one worker it runs in this process."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> PagePool:
        page_worker()
        if self.workers > 1:
            self._executor = ProcessPoolExecutor(self.workers, initializer=_forked_page_worker)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def imap(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        if self._executor is None:
            yield from map(fn, items)
            return
        window: deque[Future[R]] = deque()
        for item in items:
            window.append(self._executor.submit(fn, item))
            if len(window) >= self.workers * 2:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
