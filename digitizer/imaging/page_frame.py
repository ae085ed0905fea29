"""Find the sheet of paper in a photo or a scan with dark margins, and flatten it to a rectangle."""

from __future__ import annotations

import cv2
import numpy as np

from .geometry import shrink

WORK_SIZE = 1000            # long side of the image the outline is searched on


def find_paper(grey: np.ndarray) -> np.ndarray | None:
    """The four corners (TL, TR, BR, BL; full-resolution pixels) of a bright sheet on a darker
    surround, or None when the sheet fills the image (the usual flatbed scan)."""
    h, w = grey.shape
    scale = WORK_SIZE / max(h, w)
    small = shrink(grey, scale)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, mask = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(outline) / (small.shape[0] * small.shape[1])
    if not 0.3 < area < 0.97:
        return None
    quad = cv2.approxPolyDP(cv2.convexHull(outline), 0.02 * cv2.arcLength(outline, True), True)
    if len(quad) != 4:
        return None
    # The surround must really be darker than the sheet, not a pale table or a white margin.
    inside = small[mask > 0].mean()
    outside = small[mask == 0].mean() if (mask == 0).any() else 255
    if outside > inside * 0.75:
        return None
    return order_corners(quad.reshape(4, 2).astype(np.float32) / scale)


def order_corners(pts: np.ndarray) -> np.ndarray:
    s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]],
                    dtype=np.float32)


def flatten_sheet(image: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """Warp the quadrilateral to an upright rectangle with the sheet's own side lengths."""
    tl, tr, br, bl = corners
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    m = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(image, m, (width, height), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
