"""Tesseract through its C API (tesserocr), kept loaded in each worker process.

The command-line engine (tesseract.py) pays for a process, a temporary image file, loading
the model and parsing TSV on every page; here the model is loaded once per process and the
page is handed over as the bytes it already is. A crash of Tesseract here takes the worker
process with it, which the ledger records as an attempt (`worker_died` after as many
attempts); `ocr.engine = "cli"` keeps every page in a process of its own instead.
"""

from __future__ import annotations

import os
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np
import tesserocr

from ..errors import DigitizerError
from ..model import Word
from .tesseract import LOOKALIKES

# Where distributions put the trained models.
TESSDATA = ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata",
            "/usr/local/share/tessdata"]


def tessdata() -> str:
    """The tessdata folder: $TESSDATA_PREFIX, else the first of the usual places holding models."""
    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    for folder in TESSDATA:
        if any(Path(folder).glob("*.traineddata")):
            return folder
    raise DigitizerError("ocr_failed", "no Tesseract models found (install tesseract-ocr-vie or set TESSDATA_PREFIX)",
                         transient=False)


@lru_cache(maxsize=4)
def _api(path: str, lang: str, psm: int) -> tesserocr.PyTessBaseAPI:
    """One loaded model per process and (language, layout mode): the point of this engine."""
    try:
        return tesserocr.PyTessBaseAPI(path=path, lang=lang, psm=psm)
    except RuntimeError as exc:
        raise DigitizerError("ocr_failed", f"Tesseract cannot load {lang!r} from {path}: {exc}",
                             transient=False) from exc


def recognize(image: np.ndarray, dpi: float, lang: str = "vie", psm: int = 3, timeout: float = 180.0) -> list[Word]:
    """Words in reading order; boxes in pixels of `image` (8-bit grey); confidences in 0..1."""
    api = _api(tessdata(), lang, psm)
    image = np.ascontiguousarray(image)
    height, width = image.shape
    api.SetImageBytes(image.tobytes(), width, height, 1, width)
    api.SetSourceResolution(round(dpi))
    if not api.Recognize(timeout=max(1, round(timeout * 1000))):
        api.Clear()
        raise DigitizerError("ocr_timeout", f"over {timeout:.0f} s")
    words: list[Word] = []
    line = -1
    iterator = api.GetIterator()
    level = tesserocr.RIL.WORD
    for item in tesserocr.iterate_level(iterator, level) if iterator is not None else []:
        if item.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
            line += 1
        try:
            text = unicodedata.normalize("NFC", item.GetUTF8Text(level) or "").translate(LOOKALIKES).strip()
        except RuntimeError:          # tesserocr's "No text returned": a word box without text (blank page)
            continue
        box = item.BoundingBox(level)
        if not text or box is None:
            continue
        x0, y0, x1, y1 = box
        words.append(Word(text, x0, y0, x1 - x0, y1 - y0, max(0.0, item.Confidence(level)) / 100, line))
    api.Clear()
    return words
