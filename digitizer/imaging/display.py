"""The page image the PDF shows: faithful to the paper, but cheap to store.

Ink is kept exactly as scanned; the bare paper between it is smoothed, which removes
sensor noise (the bulk of a noisy scan's JPEG bytes) yet keeps the paper's tone, shading
and colour. Pages that are already black and white are kept as 1-bit images.
"""

from __future__ import annotations

import cv2
import numpy as np

from .binarize import paper_background


def is_bilevel(image: np.ndarray) -> bool:
    if image.ndim != 2:
        return False
    sample = image[::5, ::5]
    return int(np.count_nonzero((sample > 0) & (sample < 255))) < sample.size * 0.002


def quiet_paper(image: np.ndarray, near_ink: np.ndarray) -> np.ndarray:
    """`near_ink`: uint8 mask (any size; resized here), non-zero where ink is or may be."""
    h, w = image.shape[:2]
    mask = cv2.resize(near_ink, (w, h), interpolation=cv2.INTER_NEAREST)
    # Text is closed away before smoothing, so no grey halo of ink bleeds into the paper.
    return cv2.copyTo(image, mask, paper_background(image, 1 / 8, 5, 2))
