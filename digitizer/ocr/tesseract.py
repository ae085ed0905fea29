"""The command-line engine: a Tesseract process per page (through pytesseract), and the
word helpers both engines share.

The image goes to Tesseract as an uncompressed PGM file, which is written and read far
faster than the PNG pytesseract would make of an in-memory image.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import tempfile
import time
import unicodedata
from pathlib import Path

import cv2
import numpy as np

from ..errors import DigitizerError
from ..model import ErrorKind, Word


TEMP_PREFIX = "digitizer-ocr-"


def variables(pitch_test: bool) -> dict[str, str]:
    """Tesseract's settings for a reading, the same through either engine. Paragraphs, which are
    not read here, are found from the layout rather than again from the text: 1 % of a page's
    reading, and every word, box, confidence and weighed reading the same on the 39 pages of
    bench/tesseract_settings.py. Without `pitch_test`, no row is tested for fixed-pitch print."""
    return {"paragraph_text_based": "0", "textord_disable_pitch_test": "0" if pitch_test else "1"}


def temporary_folder() -> str:
    """The folder the operator named (TMPDIR), even when it is full. Python's `tempfile`
    tries each candidate folder and quietly takes the first it can write to, so a full
    TMPDIR sent pages to /tmp on one run and failed them on the next; a full disk is told
    (a transient failure), not hidden."""
    named = os.environ.get("TMPDIR")
    return named if named and os.path.isdir(named) else tempfile.gettempdir()


def sweep_stale(older_than: float) -> int:
    """Remove the page folders of command-line OCR runs killed mid-page (kill -9, a power
    cut: nothing else would), those untouched for `older_than` seconds. Returns how many."""
    cutoff = time.time() - older_than
    removed = 0
    for folder in Path(temporary_folder()).glob(TEMP_PREFIX + "*"):
        try:
            if folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except OSError:                 # taken by another worker's sweep meanwhile
            continue
    return removed


def recognize(image: np.ndarray, dpi: float, lang: str = "vie", psm: int = 3,
              timeout: float = 180.0, pitch_test: bool = True) -> list[Word]:
    """Words in reading order; boxes in pixels of `image` (8-bit grey); confidences in 0..1."""
    import pytesseract      # this engine's only (0.01 s at every start of the command, for the C API's users)

    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX, dir=temporary_folder()) as tmp:
        path = Path(tmp) / "page.pgm"
        if not cv2.imwrite(str(path), image, [cv2.IMWRITE_PXM_BINARY, 1]):
            full = shutil.disk_usage(tmp).free < image.nbytes + 4096
            raise DigitizerError(ErrorKind.DISK_FULL if full else ErrorKind.INTERNAL,
                                 f"could not write the page to {tmp}")
        config = " ".join([f"--psm {psm} --dpi {round(dpi)}",
                           *(f"-c {name}={value}" for name, value in variables(pitch_test).items())])
        try:
            data = pytesseract.image_to_data(str(path), lang=lang, config=config, timeout=timeout,
                                             output_type=pytesseract.Output.DICT)
        except pytesseract.TesseractError as exc:
            # A negative status is the signal that ended Tesseract: -9 is the kernel's OOM killer.
            how = {-9: "killed (out of memory?)", -11: "crashed (segmentation fault)", -6: "aborted"}
            detail = how.get(exc.status, f"exit status {exc.status}")
            raise DigitizerError(ErrorKind.OCR_FAILED, f"Tesseract {detail}: {str(exc.message)[:200]}") from exc
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise                             # the pipeline tells a full disk for every stage
            raise DigitizerError(ErrorKind.OCR_FAILED, str(exc)[:300]) from exc
        except subprocess.SubprocessError as exc:
            raise DigitizerError(ErrorKind.OCR_FAILED, str(exc)[:300]) from exc
        except RuntimeError as exc:               # pytesseract's timeout (TesseractError is one too: above)
            raise DigitizerError(ErrorKind.OCR_TIMEOUT, f"over {timeout:.0f} s") from exc
    return _words(data)


# Tesseract's Vietnamese model sometimes answers Icelandic eth for the identical-looking Đ.
LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})


def _words(data: dict[str, list]) -> list[Word]:
    words: list[Word] = []
    lines: dict[tuple[int, int, int], int] = {}
    for i, level in enumerate(data["level"]):
        text = unicodedata.normalize("NFC", str(data["text"][i])).translate(LOOKALIKES).strip()
        if level != 5 or not text:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        line = lines.setdefault(key, len(lines))
        conf = max(0.0, float(data["conf"][i])) / 100
        words.append(Word(text, int(data["left"][i]), int(data["top"][i]), int(data["width"][i]),
                          int(data["height"][i]), conf, line))
    return words


def merge_lines(words: list[Word], extra: list[Word]) -> list[Word]:
    """`words` in their reading order, with each line of `extra` (same pixel space) put before
    the first line that starts below it: text the file carried, among the text read."""
    if not extra:
        return list(words)
    first = max((w.line for w in words), default=-1) + 1
    extra_lines: dict[int, list[Word]] = {}
    for word in extra:
        extra_lines.setdefault(word.line, []).append(word)
    pending = sorted(extra_lines.values(), key=lambda line: min(w.top for w in line))
    out: list[Word] = []
    seen: set[int] = set()
    for word in words:
        if word.line not in seen:
            seen.add(word.line)
            top = min(w.top for w in words if w.line == word.line)
            while pending and min(w.top for w in pending[0]) < top:
                first = _append_line(out, pending.pop(0), first)
        out.append(word)
    for line in pending:
        first = _append_line(out, line, first)
    return out


def _append_line(out: list[Word], line: list[Word], line_id: int) -> int:
    out.extend(Word(w.text, w.left, w.top, w.width, w.height, w.confidence, line_id) for w in line)
    return line_id + 1

