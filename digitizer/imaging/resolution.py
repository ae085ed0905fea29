"""A page's resolution from its text, for files that give none or an absurd one.

Body text on administrative papers is 12–14 pt; the height of its letters (the median
connected component, marks and rules left out) says how many pixels an inch holds. For a
receipt or a card printed smaller this reads lower than the truth, which is what reading
wants: the text is brought to the size Tesseract reads best, whatever the shape of the input.
"""

from __future__ import annotations

import cv2
import numpy as np

from .binarize import components

LETTER_INCHES = 0.1        # median letter height of 13-14 pt body text: 0.093-0.11 on real scans of known
                           # resolution (../shared/realworld), 0.11 on samples/
LIMITS = (60.0, 600.0)
MIN_LETTERS = 40


def letter_height(ink: np.ndarray) -> float | None:
    """Median height in pixels of the letters in a boolean ink image, None when too few."""
    _, stats = components(ink.astype(np.uint8))
    h, w = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    keep = (h >= 4) & (w >= 2) & (w <= 4 * h)
    if keep.sum() < MIN_LETTERS:
        return None
    first = float(np.median(h[keep]))
    letters = h[keep & (h >= 0.6 * first) & (h <= 3 * first)]
    return float(np.median(letters)) if len(letters) >= MIN_LETTERS else None


def text_dpi(ink: np.ndarray, scale: float = 1.0) -> float | None:
    """The resolution at which this page's letters are body-text size. `ink` may be a copy
    shrunk by `scale` (its pixels per source pixel)."""
    height = letter_height(ink)
    if height is None:
        return None
    return float(np.clip(height / scale / LETTER_INCHES, *LIMITS))
