"""Uneven light and low contrast out, then black text on white, then specks out."""

from __future__ import annotations

import cv2
import numpy as np


def flatten(grey: np.ndarray, dpi: float) -> np.ndarray:
    """Divide by the paper's own brightness, estimated with the text closed away.

    Shading, grey paper and faded toner all become black-on-white with full contrast.
    """
    scale = 4
    small = cv2.resize(grey, (grey.shape[1] // scale, grey.shape[0] // scale), interpolation=cv2.INTER_AREA)
    k = max(3, int(dpi / 300 * 21) | 1)       # wider than any stroke at this resolution
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    paper = cv2.GaussianBlur(paper, (0, 0), k / 2)
    paper = cv2.resize(paper, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = grey.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0)
    # Stretch so the darkest ink (1st percentile) is black and paper is white.
    low = float(np.percentile(flat[::4, ::4], 0.5))
    out = (flat - low) / max(1e-3, 1.0 - low)
    return np.clip(out * 255, 0, 255).astype(np.uint8)


def binarize(flat: np.ndarray) -> np.ndarray:
    """Otsu on the flattened page: ink is 0, paper 255."""
    _, binary = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return binary


def despeckle(binary: np.ndarray, dpi: float) -> np.ndarray:
    """Remove isolated ink specks smaller than a diacritic dot, and big blobs glued to the
    image edge (scanner borders, desk). Diacritics at 300 DPI are 15+ px, specks are 1-6 px."""
    ink = (binary == 0).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = binary.shape
    min_area = max(2, int(7 * (dpi / 300) ** 2))
    area = stats[:, cv2.CC_STAT_AREA]
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    bw, bh = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    touches_edge = (x == 0) | (y == 0) | (x + bw >= w) | (y + bh >= h)
    edge_blob = touches_edge & ((bw > w * 0.25) | (bh > h * 0.25))
    drop = (area < min_area) | edge_blob
    drop[0] = False
    out = binary.copy()
    out[drop[labels]] = 255
    return out
