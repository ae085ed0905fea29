"""`digitizer process`: files processed now, end to end, in this machine's processes."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterator

from ..config import Settings
from ..extract import load_vocabularies
from ..memory import keep_loaded
from ..parallel import PagePool, page_worker
from ..signing.sign import centre_signer
from ..storage import open_index, open_store
from .ingest import Ingested, ingest


def _document_worker() -> None:
    """A worker of the document-level pool, before its first document: the word lists loaded
    once, in every worker at the same time rather than in the parent before the fork."""
    page_worker()
    load_vocabularies()
    keep_loaded()


def _ingest_alone(path: Path, settings: Settings, force: bool) -> Ingested:
    """One whole document in a worker process of the document-level pool, end to end, so that
    storing and indexing overlap with the other workers' OCR."""
    index, signer = open_index(settings), centre_signer(settings.sign)
    try:
        return ingest(path, settings, open_store(settings), index, force=force, signer=signer)
    finally:
        index.close()
        if signer is not None:
            signer.close()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:                 # gone: ingest records it
        return 0


def ingested(paths: list[Path], settings: Settings, force: bool) -> Iterator[tuple[Path, Ingested]]:
    """Documents in parallel when there are enough of them, else pages in parallel."""
    workers = settings.worker_count()
    if len(paths) >= workers > 1:
        # The largest files first, so that the last to finish is a small one and no worker
        # waits long at the end for the other; results are given in the order asked.
        with ProcessPoolExecutor(workers, initializer=_document_worker) as pool:
            largest_first = sorted(paths, key=_size, reverse=True)
            futures = {p: pool.submit(_ingest_alone, p, settings, force) for p in largest_first}
            for path in paths:
                yield path, futures[path].result()
        return
    store, index, signer = open_store(settings), open_index(settings), centre_signer(settings.sign)
    load_vocabularies()
    try:
        with PagePool(workers) as pool:     # forked before the signing key is opened (PKCS#11 is not fork-safe)
            for path in paths:
                yield path, ingest(path, settings, store, index, page_map=pool.imap, force=force, signer=signer)
    finally:
        index.close()
        if signer is not None:
            signer.close()
