"""Lines of ink no word was read from: Tesseract's layout can take a whole text line for a
picture and skip it. On a grey form, a row's handwriting, taller than the print and run into
the dotted leader, lost "Họ và tên: ....Hoàng Thu Hiền", label and all.

The lengths below were set on the grey hand-filled forms of samples/kinds.py (seeds 0 and 1000)."""

from __future__ import annotations

import cv2
import numpy as np

from .binarize import components
from .geometry import shrink

WORD_GAP_IN = 0.15          # letters and words this close are joined into one line
LINE_HEIGHT_IN = (0.08, 0.6)    # a line of print or of handwriting, not a speck, a photo or a seal
MIN_WIDTH_IN = 0.5          # a label ("Số CCCD:" is 0.8 in); a lone mark is not a line
SAME_ROW = 0.3              # pieces whose heights overlap by this share of the smaller are one row
                            # (handwriting sits above its label: 0.4-0.75 on the grey forms)
PAD_IN = 0.04               # around a read word, what its anti-aliased edge may leave

Pixels = tuple[int, int, int, int]      # x0, y0, x1, y1


def unread_lines(reading: np.ndarray, read: list[Pixels], dpi: float,
                 min_width_in: float = MIN_WIDTH_IN) -> list[Pixels]:
    """Boxes (pixels of `reading`, 8-bit grey ink on white, at `dpi`) of line-shaped ink that
    none of the `read` boxes covers, at least `min_width_in` wide, top to bottom. A row's printed
    label and the handwriting beside it, higher up and apart, are one line. Looked for at half
    resolution."""
    half = dpi / 2
    ink = cv2.compare(shrink(reading, 1 / 2), 128, cv2.CMP_LT)
    pad = round(PAD_IN * half)
    for x0, y0, x1, y1 in read:
        ink[max(0, y0 // 2 - pad):y1 // 2 + pad, max(0, x0 // 2 - pad):x1 // 2 + pad] = 0
    gap = max(3, round(WORD_GAP_IN * half))
    _, stats = components(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, gap), np.uint8)))
    low, high = (h * half for h in LINE_HEIGHT_IN)
    pieces = sorted((2 * int(x), 2 * int(y), 2 * int(x + w), 2 * int(y + h)) for x, y, w, h, _ in stats[1:]
                    if low <= h <= high)
    rows: list[Pixels] = []
    for piece in pieces:
        row = next((i for i, box in enumerate(rows) if _same_row(box, piece)), None)
        if row is None:
            rows.append(piece)
        else:
            x0, y0, x1, y1 = rows[row]
            rows[row] = (min(x0, piece[0]), min(y0, piece[1]), max(x1, piece[2]), max(y1, piece[3]))
    return sorted((box for box in rows if box[2] - box[0] >= min_width_in * dpi), key=lambda box: box[1])


def _same_row(a: Pixels, b: Pixels) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap >= SAME_ROW * min(a[3] - a[1], b[3] - b[1])
