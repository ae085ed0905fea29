"""Uneven light and low contrast out, then black text on white, then specks out."""

from __future__ import annotations

import cv2
import numpy as np

from .geometry import shrink


def flatten(grey: np.ndarray, dpi: float) -> np.ndarray:
    """Divide by the paper's own brightness, estimated with the text closed away.

    Shading, grey paper and faded toner all become black-on-white with full contrast.
    """
    small = shrink(grey, 1 / 4)
    k = max(3, int(dpi / 300 * 21) | 1)       # wider than any stroke at this resolution
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    paper = cv2.GaussianBlur(paper, (0, 0), k / 2)
    paper = cv2.resize(paper, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(grey, np.maximum(paper, 1), scale=255)
    # Stretch so the darkest ink (0.5th percentile) is black and paper stays white.
    low = _percentile(flat[::4, ::4], 0.005)
    gain = 255.0 / max(1.0, 255.0 - low)
    lut = np.clip((np.arange(256) - low) * gain, 0, 255).astype(np.uint8)
    return cv2.LUT(flat, lut)


def _percentile(image: np.ndarray, fraction: float) -> float:
    """A percentile of an 8-bit image from its histogram (no sort)."""
    hist = cv2.calcHist([np.ascontiguousarray(image)], [0], None, [256], [0, 256]).ravel()
    return float(np.searchsorted(np.cumsum(hist), fraction * hist.sum()))


def binarize(flat: np.ndarray) -> np.ndarray:
    """Otsu on the flattened page: ink is 0, paper 255."""
    _, binary = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return binary


def despeckle(binary: np.ndarray, dpi: float) -> np.ndarray:
    """Remove isolated ink specks smaller than a diacritic dot, and big blobs glued to the
    image edge (scanner borders, desk). The dot below a 12 pt capital (Ụ) is about 12 px at
    225 DPI and 20 px at 300 DPI; specks are a few pixels.

    Above 280 DPI components are labelled at half resolution (a quarter of the pixels; a
    2x2 block counts as ink if any of it is), which is most of this function's cost."""
    half = dpi >= 280
    ink = cv2.compare(binary, 128, cv2.CMP_LT)
    if half:
        ink = cv2.compare(shrink(ink, 1 / 2), 0, cv2.CMP_GT)
        dpi = dpi / 2
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = ink.shape
    min_area = max(2, round(7 * (dpi / 300) ** 2)) if not half else 3
    area = stats[:, cv2.CC_STAT_AREA]
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    bw, bh = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    touches_edge = (x == 0) | (y == 0) | (x + bw >= w) | (y + bh >= h)
    edge_blob = touches_edge & ((bw > w * 0.25) | (bh > h * 0.25))
    drop = (area < min_area) | edge_blob
    drop[0] = False
    erase = np.where(drop, 255, 0).astype(np.uint8)[labels]
    if half:
        erase = cv2.resize(erase, (binary.shape[1], binary.shape[0]), interpolation=cv2.INTER_NEAREST)
    return cv2.max(binary, erase)


def remove_rules(binary: np.ndarray, dpi: float) -> np.ndarray:
    """Erase ruled lines (the underline below a Decree 30 header, form and table lines): a
    run of ink longer than a third of an inch is no letter, and it confuses Tesseract."""
    ink = cv2.compare(binary, 128, cv2.CMP_LT)
    length = max(15, int(dpi / 3))
    rules = cv2.max(cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8)),
                    cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8)))
    return cv2.max(binary, rules)


def near_ink(binary: np.ndarray) -> np.ndarray:
    """uint8 mask, 1 within two pixels of ink: the strokes with their anti-aliased edges."""
    return cv2.dilate((binary == 0).astype(np.uint8), np.ones((5, 5), np.uint8))


def keep_ink(grey: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Grey text on pure white: the grey page where `mask` (see near_ink) is set, white
    elsewhere. Tesseract reads anti-aliased strokes better than thresholded ones, and the
    specks, shading and borders that `despeckle` removed stay removed."""
    return np.where(mask > 0, grey, 255).astype(np.uint8)
