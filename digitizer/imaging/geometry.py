"""Quarter turns, small rotations and resampling, shared by the display and reading images."""

from __future__ import annotations

import cv2
import numpy as np

_TURNS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def upright(image: np.ndarray, turn: int, skew: float) -> np.ndarray:
    """Turn clockwise by `turn`, then rotate by -`skew` so text lines are level.

    The canvas keeps its size (a few degrees only crop the margins); the uncovered
    corners repeat the paper's edge instead of painting black wedges.
    """
    if turn:
        image = cv2.rotate(image, _TURNS[turn])
    if abs(skew) < 0.05:
        return image
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -skew, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def resample(image: np.ndarray, factor: float) -> np.ndarray:
    """Resize for reading. Bilinear: OpenCV's area filter is several times slower at
    fractional factors, and Tesseract reads both alike (bench/ocr_accuracy.py)."""
    if abs(factor - 1.0) < 0.02:
        return image
    h, w = image.shape[:2]
    return cv2.resize(image, (round(w * factor), round(h * factor)), interpolation=cv2.INTER_LINEAR)


def shrink(image: np.ndarray, factor: float) -> np.ndarray:
    """A small copy for analysis. Whole-number reductions use the area filter (fast when the
    size divides exactly, so the edge is trimmed by a few pixels); others are bilinear."""
    n = round(1 / factor)
    h, w = image.shape[:2]
    if n >= 2 and abs(1 / factor - n) < 0.05:
        trimmed = image[: h - h % n, : w - w % n]
        return cv2.resize(trimmed, (w // n, h // n), interpolation=cv2.INTER_AREA)
    return cv2.resize(image, (max(1, round(w * factor)), max(1, round(h * factor))), interpolation=cv2.INTER_LINEAR)


MIN_FORM_INCHES = 3.0   # the shorter side of a form someone fills in (A6 and up)


def form_sized(image: np.ndarray, dpi: float, inches: float = MIN_FORM_INCHES) -> bool:
    """Large enough to be a letter or a form (`inches` or more on its shorter side): not an ID
    card, a line cropped from one, or a receipt, which hold no seal, no pen writing, and are
    read whole, as they came too."""
    return min(image.shape[:2]) >= inches * dpi
