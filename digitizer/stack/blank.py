"""Is a page blank? A duplex back carries scanner noise, specks, dust, the punch holes'
shadows and the reverse's print showing faintly through the paper, but no print of its own."""

from __future__ import annotations

import cv2
import numpy as np

from ..imaging.binarize import components, paper_background


MARGIN = 0.05        # of each side: scanner edges, punch holes, the feeder's shadow
INK_CONTRAST = 80    # darker than the paper around it by this much is ink (show-through: 20-50)
MIN_BLOB_MM2 = 0.26  # smaller dark dots are specks (a 300-DPI speck also averages away at probe size)
MAX_INK = 0.0002     # of the area inside the margins (about ten letters): more is a printed page
PLAINLY_PRINTED = 0.005   # this much dark in the page's middle is print, whatever specks there are


def ink_fraction(grey: np.ndarray, dpi: float) -> float:
    """The share of the page inside its margins covered by dark marks larger than specks,
    not counting marks that touch the margins (borders, the table under a photographed page).
    `grey`: the page at about 150 DPI (codes.probe_image)."""
    h, w = grey.shape
    dy, dx = int(h * MARGIN), int(w * MARGIN)
    inner = np.ascontiguousarray(grey[dy:h - dy, dx:w - dx])
    if inner.size == 0:
        return 0.0
    paper = paper_background(inner, 0.25, 5, 2)       # the text closed away on a quarter-size copy
    ink = (cv2.subtract(paper, inner) > INK_CONTRAST).astype(np.uint8)
    area_px = inner.size
    # The quick answers first: too little dark for any print, or plainly printed in the middle.
    if cv2.countNonZero(ink) < MAX_INK * area_px:
        return cv2.countNonZero(ink) / area_px
    ih, iw = ink.shape
    middle = cv2.countNonZero(ink[ih // 5:ih * 4 // 5, iw // 5:iw * 4 // 5])
    if middle > PLAINLY_PRINTED * area_px:
        return middle / area_px
    _, stats = components(ink)
    x, y, bw, bh, area = (stats[1:, i] for i in range(5))
    touches = (x == 0) | (y == 0) | (x + bw >= iw) | (y + bh >= ih)
    kept = (area >= MIN_BLOB_MM2 * (dpi / 25.4) ** 2) & ~touches
    return float(area[kept].sum()) / area_px


def is_blank(grey: np.ndarray, dpi: float) -> bool:
    return ink_fraction(grey, dpi) < MAX_INK
