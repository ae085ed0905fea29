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
# A dot-matrix or faint thermal print breaks each letter into dots: its components are a
# third of a letter tall. Closed over a pixel's gap they join again; unbroken print grows at
# most by its accents (1.3-1.6 times on the real pages), dotted print by 3 times or more.
DOTTED = 2.0
DOT_PX = 12         # components no taller than this may be dots: on viText's receipts a dot-matrix
                    # one's measure 8 px, unbroken print's 15-33 px, which are not looked at again
# A screen default the text agrees with this closely is kept: a low-resolution letter declared at
# 96 DPI (bni-6191 of ../shared/realworld/) reads 90 from its letters, and is read as declared;
# receipts declared at 72 read 200-330.
AGREES = 1.15


def letter_height(ink: np.ndarray) -> float | None:
    """Median height in pixels of the letters in a boolean ink image, None when too few;
    letters printed in dots are measured with their dots joined."""
    mask = ink.astype(np.uint8)
    height = _median_height(mask)
    if height is None or height > DOT_PX:
        return height
    joined = _median_height(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8)))
    return joined if joined is not None and joined >= DOTTED * height else height


def _median_height(ink: np.ndarray) -> float | None:
    _, stats = components(ink)
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


def page_dpi(guess: float, ink: np.ndarray, declared: bool) -> float:
    """The resolution of a page that gave none to trust: the one its letters tell, unless the
    guess is the file's own (`declared`, a screen default) and agrees with it."""
    told = text_dpi(ink)
    if told is None or (declared and max(told, guess) <= AGREES * min(told, guess)):
        return guess
    return told
