"""Is a page blank? A duplex back carries scanner noise, specks, dust, the punch holes'
shadows and the reverse's print showing faintly through the paper, but no print of its own."""

from __future__ import annotations

import cv2
import numpy as np

from ..imaging.binarize import paper_background

WORK_DPI = 100       # a 300-DPI speck averages away at this size; a letter's strokes do not
MARGIN = 0.05        # of each side: scanner edges, punch holes, the feeder's shadow
INK_CONTRAST = 80    # darker than the paper around it by this much is ink (show-through: 20-50)
MIN_BLOB = 4         # px at WORK_DPI (0.26 mm²): smaller dark dots are specks
MAX_INK = 0.0002     # of the area inside the margins (about ten letters): more is a printed page


def ink_fraction(image: np.ndarray, dpi: float) -> float:
    """The share of the page inside its margins covered by dark marks larger than specks,
    not counting marks that touch the margins (borders, the table under a photographed page)."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    factor = WORK_DPI / dpi if dpi > 0 else 1.0
    small = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) if factor < 1 else grey
    h, w = small.shape
    dy, dx = int(h * MARGIN), int(w * MARGIN)
    inner = np.ascontiguousarray(small[dy:h - dy, dx:w - dx])
    if inner.size == 0:
        return 0.0
    paper = paper_background(inner, 1.0, 15, 5)
    ink = (paper.astype(np.int16) - inner > INK_CONTRAST).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, bw, bh, area = (stats[1:, i] for i in range(5))
    ih, iw = inner.shape
    touches = (x == 0) | (y == 0) | (x + bw >= iw) | (y + bh >= ih)
    kept = (area >= MIN_BLOB) & ~touches
    return float(area[kept].sum()) / inner.size


def is_blank(image: np.ndarray, dpi: float) -> bool:
    return ink_fraction(image, dpi) < MAX_INK
