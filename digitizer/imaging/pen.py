"""Where a pen wrote: blue or violet ink on a page printed in black.

A citizen fills a form in with a ballpoint pen, and an office signs and dates in one; printed
text is black (grey on thermal paper). Tesseract reads handwriting as noise ("Tên ti 2Á. z2
TM") that also breaks its lines, so the reading image lifts pen ink to paper, the display
keeps it, and the regions found here go with the page: a form's value written there goes to
a person with its crop. A page whose print itself is bluish (a colour printer's black, a
scan's cast) has no pen to find: blue is then most of its ink.
"""

from __future__ import annotations

from typing import Sequence

import cv2
import numpy as np

from ..model import Box
from .binarize import components

INK = 0.65         # a pixel is ink when its darkest channel is below this share of the paper's
PEN_BLUE = 30      # blue above red, of 255: ballpoint blue reads 80-120, violet 50-90, black ink 0-12
MIN_AREA = 0.02    # of a square inch of pen pixels (after joining): less is a stray dot of colour
PRINTED = 0.4      # blue this share of all ink or more is the print's own colour, not a pen's
MIN_PEN = 200      # pixels: less pen than this on a page is none worth a region
# Pen strokes this close (inches) are one region: a word's letters and the words of a value
# (5 mm across), not the next row of a form (1.3 mm down; rows are 10 mm apart).
JOIN_ACROSS_IN, JOIN_DOWN_IN = 1 / 5, 1 / 20
# The thresholds above were set on the generated forms of samples/kinds.py.


def pen_ink(channels: Sequence[np.ndarray]) -> np.ndarray | None:
    """uint8 mask, 255 on pen-coloured ink (with its edges), of an RGB page given as its
    channels (cv2.split); None where the page has no pen writing, or where blue is the colour
    of its print."""
    r, g, b = channels
    darkest = cv2.min(cv2.min(r, g), b)
    paper = float(np.percentile(darkest[::8, ::8], 90))
    ink = cv2.compare(darkest, INK * paper, cv2.CMP_LT)
    blue = cv2.bitwise_and(cv2.compare(cv2.subtract(b, r), PEN_BLUE, cv2.CMP_GT),
                           cv2.compare(cv2.subtract(b, g), PEN_BLUE // 2, cv2.CMP_GT))
    pen = cv2.bitwise_and(ink, blue)
    count = cv2.countNonZero(pen)
    if count < MIN_PEN or count >= PRINTED * cv2.countNonZero(ink):
        return None
    return cv2.dilate(pen, np.ones((3, 3), np.uint8))


def pen_regions(mask: np.ndarray, dpi: float, scale: float) -> list[Box]:
    """The pen's writing as boxes, a word or a run of words each (letters a few millimetres
    apart are joined), in pixels of an image `scale` times the mask's size."""
    quarter = cv2.resize(mask, (max(1, mask.shape[1] // 4), max(1, mask.shape[0] // 4)), interpolation=cv2.INTER_AREA)
    kernel = (max(1, round(dpi / 4 * JOIN_DOWN_IN)), max(3, round(dpi / 4 * JOIN_ACROSS_IN)))
    joined = cv2.morphologyEx(cv2.compare(quarter, 0, cv2.CMP_GT), cv2.MORPH_CLOSE, np.ones(kernel, np.uint8))
    _, stats = components(joined)
    factor = 4 * scale
    min_area = MIN_AREA * (dpi / 4) ** 2
    return [(round(x * factor), round(y * factor), round((x + w) * factor), round((y + h) * factor))
            for x, y, w, h, area in stats[1:] if area >= min_area]
