"""Which way up: quarter turns and skew from the ink alone, cheaply.

A turn is only proposed: the prior is upright, and a turn whose evidence is not clear is
confirmed by reading the page both ways (pipeline). Sideways pages are told by the
projection profile (text lines give sharp rows only
when horizontal). Upside-down pages are told by where ink sits around each line's
x-height band: Vietnamese has far more above it (capitals, ascenders, most tone marks)
than below (descenders, the dot below).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .deskew import best_angle, coarse_angle, ink_points

SIDEWAYS_MARGIN = 1.25    # the other axis must be this much sharper to call a page sideways
CLEAR_MARGIN = 2.0        # a turn is taken unconfirmed only when its evidence is this strong
MIN_INK_POINTS = 200


@dataclass
class Orientation:
    turn: int                # clockwise quarter turn that makes the page upright
    skew: float              # degrees, counter-clockwise, of the upright page's text lines
    confidence: float        # ratio of ink above to below the lines' core (upright pages > 1)
    clear: bool = True       # the evidence for `turn` is strong; else it wants confirming by reading


def above_below_ratio(points: np.ndarray, angle: float) -> float:
    """Ink above the x-height band over ink below it, summed over all text lines."""
    theta = np.deg2rad(angle)
    y = points[:, 1] * np.cos(theta) + points[:, 0] * np.sin(theta)
    rows = np.bincount((y - y.min()).astype(np.int64))
    active = rows > max(1, rows.max() * 0.03)
    above = below = 0.0
    start = None
    for i, on in enumerate(np.append(active, False)):
        if on and start is None:
            start = i
        elif not on and start is not None:
            run = rows[start:i]
            if len(run) >= 4:
                core = np.nonzero(run >= run.max() * 0.45)[0]
                above += run[: core[0]].sum()
                below += run[core[-1] + 1:].sum()
            start = None
    return float(above + 1) / float(below + 1)


def detect(ink: np.ndarray, turn: int | None = None) -> Orientation:
    """`ink`: boolean image, True where ink, at about 150 DPI. With `turn` given, only the
    skew of the page turned that way is measured."""
    points = ink_points(ink)
    if len(points) < MIN_INK_POINTS:          # a blank or nearly blank page: nothing to turn
        return Orientation(turn or 0, 0.0, 0.0)
    clear = True
    coarse = None
    if turn is None:
        level, score = coarse_angle(points, ink.shape[0], step=1.5)
        side, side_score = coarse_angle(points[:, ::-1].copy(), ink.shape[1], step=1.5)
        sideways = side_score > score * SIDEWAYS_MARGIN
        clear = not sideways or side_score > score * CLEAR_MARGIN
        # The points with x and y swapped are the page turned clockwise, mirrored: its skew negated.
        coarse = -side if sideways else level
    else:
        sideways = turn in (90, 270)
    if sideways:
        ink = cv2.rotate(ink.astype(np.uint8), cv2.ROTATE_90_CLOCKWISE)
        points = ink_points(ink)
    angle, _ = best_angle(points, ink.shape[0], coarse=coarse)
    ratio = above_below_ratio(points, angle)
    if turn is not None:
        return Orientation(turn, angle, ratio if turn in (0, 90) else 1.0 / max(ratio, 1e-6))
    turn = 90 if sideways else 0
    if ratio < 1.0:
        turn = (turn + 180) % 360
        ratio = 1.0 / ratio
        clear = clear and ratio > CLEAR_MARGIN
    return Orientation(turn, angle, ratio, clear or turn == 0)
