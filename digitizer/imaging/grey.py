"""Greyscale for reading: coloured ink (red seals, blue signatures) turns light, black stays black."""

from __future__ import annotations

import cv2
import numpy as np

# How far a pixel is lifted by its redness (red above the larger of green and blue). At low
# resolution and with JPEG's halved colour, a seal's ring crossing a letter blurs into a dark
# red that the brightest channel alone leaves grey: a stroke through the letter ("Ħạ").
RED_LIFT = 0.5


def reading_grey(image: np.ndarray, fade_colours: bool = True) -> np.ndarray:
    """The brightest channel of each pixel, lifted further by its redness: red and blue ink
    are bright in their own channel, printed black text is dark in all three, and black
    under a seal stays dark (it is hardly redder than it is dark). Without `fade_colours` (a
    card or a receipt: no seal, no signature, but perhaps a label printed in blue), every
    colour is read by its lightness."""
    if image.ndim == 2:
        return image
    if not fade_colours:
        return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    r, g, b = cv2.split(image)
    brightest = cv2.max(cv2.max(r, g), b)
    redness = cv2.subtract(r, cv2.max(g, b))
    return cv2.addWeighted(brightest, 1.0, redness, RED_LIFT, 0.0)
