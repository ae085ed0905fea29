"""Tesseract through its C API (tesserocr), kept loaded in each worker process.

The command-line engine (tesseract.py) pays for a process, a temporary image file, loading
the model and parsing TSV on every page; here the model is loaded once per process and the
page is handed over as the bytes it already is. A crash of Tesseract here takes the worker
process with it, which the ledger records as an attempt (`worker_died` after as many
attempts); `ocr.engine = "cli"` keeps every page in a process of its own instead.
"""

from __future__ import annotations

import ctypes
import logging
import os
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np
import tesserocr

from ..errors import DigitizerError
from ..model import Doubt, ErrorKind, Word
from .tesseract import LOOKALIKES, variables

log = logging.getLogger(__name__)

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
    raise DigitizerError(ErrorKind.OCR_FAILED, "no Tesseract models found (install tesseract-ocr-vie or "
                         "set TESSDATA_PREFIX)", transient=False)


_LEPTONICA_HANDLER = ctypes.CFUNCTYPE(None, ctypes.c_char_p)


def _leptonica_message(message: bytes) -> None:
    log.debug("leptonica: %s", message.decode("utf-8", "replace").rstrip())


@lru_cache(maxsize=1)
def leptonica_to_log() -> object | None:
    """Leptonica, under Tesseract, prints what it finds odd to stderr ("Error in
    boxClipToRectangle: box outside rectangle", on a fax page's layout): nothing wrong with the
    reading, but alarming in a clerk's terminal or the service's log. It is sent to the log at
    debug level instead. The library is the one Tesseract loaded (found in this process's
    memory map: its name differs between distributions); None where it is not found. The
    handler returned must live as long as the process, which the cache sees to."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None
    paths = {line.split()[-1] for line in maps.splitlines() if "/liblept" in line}
    for path in sorted(paths):
        try:
            setter = ctypes.CDLL(path).leptSetStderrHandler
        except (OSError, AttributeError):
            continue
        setter.argtypes, setter.restype = [_LEPTONICA_HANDLER], None
        handler = _LEPTONICA_HANDLER(_leptonica_message)
        setter(handler)
        return handler
    return None


@lru_cache(maxsize=4)
def _api(path: str, lang: str) -> tesserocr.PyTessBaseAPI:
    """One loaded model per process and language, the point of this engine; the layout mode
    is set per page (loading the model again for another mode cost 0.07-0.12 s)."""
    leptonica_to_log()
    try:
        return tesserocr.PyTessBaseAPI(path=path, lang=lang)
    except RuntimeError as exc:
        raise DigitizerError(ErrorKind.OCR_FAILED, f"Tesseract cannot load {lang!r} from {path}: {exc}",
                             transient=False) from exc


def load(lang: str) -> None:
    """Load the model for `lang` now, if it can be; if not, each page says why (see
    ocr.load_model)."""
    try:
        _api(tessdata(), lang)
    except DigitizerError:
        pass


# A character's other reading Tesseract gives this much confidence (0..100) is one it weighed:
# "phô" has ổ at 33 beside ô at 90, "đê" has ể at 81 beside ê at 85.
WEIGHED_CONFIDENCE = 30.0


def recognize(image: np.ndarray, dpi: float, lang: str = "vie", psm: int = 3, timeout: float = 180.0,
              doubts: bool = True, pitch_test: bool = True) -> list[Word]:
    """Words in reading order; boxes in pixels of `image` (8-bit grey); confidences in 0..1.
    With `doubts`, each word keeps the readings Tesseract weighed for a character (Word.doubts);
    without `pitch_test`, no row is tested for fixed-pitch print."""
    api = _api(tessdata(), lang)
    api.SetPageSegMode(psm)
    api.SetVariable("lstm_choice_mode", "2" if doubts else "0")
    for name, value in variables(pitch_test).items():
        api.SetVariable(name, value)
    image = np.ascontiguousarray(image)
    height, width = image.shape
    api.SetImageBytes(image.tobytes(), width, height, 1, width)
    api.SetSourceResolution(round(dpi))
    if not api.Recognize(timeout=max(1, round(timeout * 1000))):
        api.Clear()
        raise DigitizerError(ErrorKind.OCR_TIMEOUT, f"over {timeout:.0f} s")
    iterator = api.GetIterator()
    words = _read(iterator, doubts) if iterator is not None else []
    api.Clear()
    return words


def _read(iterator: tesserocr.PyResultIterator, doubts: bool) -> list[Word]:
    """The words of a recognised page: walked word by word, or with `doubts` symbol by symbol
    for the readings Tesseract weighed (that walk costs 2-3 % of a page's reading)."""
    words: list[Word] = []
    line = -1
    word: Word | None = None
    symbols: list[tuple[str, list[tuple[str, float]]]] = []
    for item in tesserocr.iterate_level(iterator, tesserocr.RIL.SYMBOL if doubts else tesserocr.RIL.WORD):
        if item.IsAtBeginningOf(tesserocr.RIL.WORD):
            if item.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
                line += 1
            _add(words, word, symbols)
            word, symbols = _word(item, line), []
        if doubts and word is not None:
            symbols.append(_symbol(item))
    _add(words, word, symbols)
    return words


def _text(item: tesserocr.PyResultIterator, level: int) -> str:
    try:
        return unicodedata.normalize("NFC", item.GetUTF8Text(level) or "").translate(LOOKALIKES).strip()
    except RuntimeError:          # tesserocr's "No text returned": a box without text (blank page)
        return ""


def _word(item: tesserocr.PyResultIterator, line: int) -> Word | None:
    level = tesserocr.RIL.WORD
    text, box = _text(item, level), item.BoundingBox(level)
    if not text or box is None:
        return None
    x0, y0, x1, y1 = box
    return Word(text, x0, y0, x1 - x0, y1 - y0, max(0.0, item.Confidence(level)) / 100, line)


def _symbol(item: tesserocr.PyResultIterator) -> tuple[str, list[tuple[str, float]]]:
    """A character as read, and the other readings Tesseract weighed for it, each with its odds
    against the one read (confidence over confidence). Most characters of a clean page have a
    single reading, told by the count of choices alone."""
    text = _text(item, tesserocr.RIL.SYMBOL)
    choices = [(choice.GetUTF8Text(), choice.Confidence()) for choice in item.GetChoiceIterator()]
    if len(choices) < 2:
        return text, []
    chosen = max(item.Confidence(tesserocr.RIL.SYMBOL), 1.0)
    others = [(unicodedata.normalize("NFC", other).translate(LOOKALIKES), conf)
              for other, conf in choices if conf >= WEIGHED_CONFIDENCE]
    return text, [(other, conf / chosen) for other, conf in others if other and other != text]


def _add(words: list[Word], word: Word | None, symbols: list[tuple[str, list[tuple[str, float]]]]) -> None:
    """`word`, with its doubts: the word with one character read another way."""
    if word is None:
        return
    if "".join(text for text, _ in symbols) == word.text:
        doubts: dict[str, Doubt] = {}
        at = 0
        for text, others in symbols:
            for other, odds in others:
                reading = word.text[:at] + other + word.text[at + len(text):]
                doubts.setdefault(reading, Doubt(reading, round(odds, 3)))
            at += len(text)
        word.doubts = tuple(doubts.values())
    words.append(word)
