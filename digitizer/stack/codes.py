"""Barcodes and QR codes on a page, read by zxing-cpp (docs/benchmarks.md compares it with
OpenCV's detectors on generated and real pages)."""

from __future__ import annotations

import cv2
import numpy as np
import zxingcpp

from ..model import Code

PROBE_DPI = 150      # a sheet's QR modules are 1.7 mm, a slip's about 0.8 mm: 5 px and more at 150 DPI
# QR codes and Code 128, what reception slips carry. Every symbology, or 1D codes looked for
# sideways too, would cost two to seven times as much on a page that has none; a QR code is
# found at any rotation all the same.
FORMATS = zxingcpp.barcode_formats_from_str("QRCode,Code128")


def probe_image(image: np.ndarray, dpi: float) -> tuple[np.ndarray, float]:
    """The page in grey at PROBE_DPI at most, for the quick looks before cleanup (codes, blank):
    (image, its resolution). Luminance: a red seal stays visible."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    factor = PROBE_DPI / dpi if dpi > 0 else 1.0
    if factor >= 1:
        return grey, dpi
    return cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_LINEAR), dpi * factor


def read_codes(grey: np.ndarray, dpi: float) -> list[Code]:
    """Every code zxing-cpp reads on the page, at any rotation; boxes in points."""
    found = []
    # Printed pages are dark on light: the inverted search would double the time for nothing.
    for barcode in zxingcpp.read_barcodes(np.ascontiguousarray(grey), formats=FORMATS, try_invert=False,
                                          try_rotate=False):
        if not barcode.valid or not barcode.text:
            continue
        p, pt = barcode.position, 72 / dpi
        xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
        found.append(Code(barcode.text, str(barcode.format), (min(xs) * pt, min(ys) * pt, max(xs) * pt, max(ys) * pt)))
    return found
