"""Greyscale for reading: coloured ink (red seals, blue signatures) turns light, black stays black."""

from __future__ import annotations

import cv2
import numpy as np


def reading_grey(image: np.ndarray) -> np.ndarray:
    """The brightest channel of each pixel: red and blue ink are bright in their own channel,
    printed black text is dark in all three, and black under a seal stays dark."""
    if image.ndim == 2:
        return image
    r, g, b = cv2.split(image)
    return cv2.max(cv2.max(r, g), b)
