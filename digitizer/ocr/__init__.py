"""Tesseract: words with boxes and confidences, through the engine the settings name."""

from __future__ import annotations

import numpy as np

from ..config import OcrSettings
from ..model import Word
from . import api, tesseract


def recognize(image: np.ndarray, dpi: float, ocr: OcrSettings) -> list[Word]:
    """`ocr.engine`: "api" (the C API, loaded once per process; with `ocr.doubts`, each word
    keeps the readings Tesseract weighed) or "cli" (a tesseract process per page)."""
    if ocr.engine == "api":
        return api.recognize(image, dpi, ocr.lang, ocr.psm, ocr.page_timeout, ocr.doubts)
    return tesseract.recognize(image, dpi, ocr.lang, ocr.psm, ocr.page_timeout)


__all__ = ["recognize"]
