"""Tesseract: words with boxes and confidences, through the engine the settings name."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from ..config import OcrSettings
from ..model import Word
from . import api, tesseract


def recognize(image: np.ndarray, dpi: float, ocr: OcrSettings) -> list[Word]:
    """`ocr.engine`: "api" (the C API, loaded once per process; with `ocr.doubts`, each word
    keeps the readings Tesseract weighed) or "cli" (a tesseract process per page)."""
    if ocr.engine == "api":
        return api.recognize(image, dpi, ocr.lang, ocr.psm, ocr.page_timeout, ocr.doubts, ocr.pitch_test)
    return tesseract.recognize(image, dpi, ocr.lang, ocr.psm, ocr.page_timeout, ocr.pitch_test)


def load_model(ocr: OcrSettings) -> threading.Thread | None:
    """Start loading the "api" engine's model (0.07 s, which Tesseract spends without Python's
    lock) beside the caller, who goes on importing the pipeline: a command that forks its
    workers once the thread is joined gives them the model loaded, and its first page waits
    for nothing. A model that cannot be loaded is left for the pages to report."""
    if ocr.engine != "api":
        return None
    thread = threading.Thread(target=_load, args=(ocr.lang,), name=LOADER, daemon=True)
    thread.start()
    return thread


LOADER = "tesseract-model"      # the loading thread's name, also for `top -H` and /proc (15 letters at most)


def _load(lang: str) -> None:
    try:
        Path("/proc/thread-self/comm").write_text(LOADER)
    except OSError:             # not Linux: only the name is lost
        pass
    api.load(lang)


__all__ = ["load_model", "recognize"]
