"""Barcodes and QR codes on a page, read by zxing-cpp (docs/benchmarks.md compares it with
OpenCV's detectors on generated and real pages)."""

from __future__ import annotations

import cv2
import numpy as np
import zxingcpp

from ..model import Code

READ_DPI = 150          # a sheet's QR modules are 2 mm, a slip's about 0.8 mm: 5 px and more at 150 DPI


Box = tuple[float, float, float, float]


def read_codes(image: np.ndarray, dpi: float) -> list[Code]:
    """Every barcode zxing-cpp reads on the page, at any rotation, in the page's pixels."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    factor = min(1.0, READ_DPI / dpi) if dpi > 0 else 1.0
    small = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) if factor < 1 else grey
    found = _read(small)
    return [Code(text, kind, (box[0] / factor, box[1] / factor, box[2] / factor, box[3] / factor))
            for text, kind, box in found]


def _read(grey: np.ndarray) -> list[tuple[str, str, Box]]:
    found: list[tuple[str, str, Box]] = []
    # Printed pages are dark on light: the inverted search would double the time for nothing.
    for barcode in zxingcpp.read_barcodes(np.ascontiguousarray(grey), try_invert=False):
        if not barcode.valid or not barcode.text:
            continue
        p = barcode.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
        found.append((barcode.text, str(barcode.format), (min(xs), min(ys), max(xs), max(ys))))
    return found
