"""Skew of text lines, by the sharpness of the horizontal projection of ink."""

from __future__ import annotations

import numpy as np

MAX_POINTS = 40_000


def ink_points(binary: np.ndarray) -> np.ndarray:
    """(N, 2) float coordinates (x, y) of ink pixels, evenly thinned out for speed."""
    ys, xs = np.nonzero(binary)
    if len(xs) > MAX_POINTS:
        step = -(-len(xs) // MAX_POINTS)
        xs, ys = xs[::step], ys[::step]
    return np.stack([xs, ys], axis=1).astype(np.float64)


def profile_score(points: np.ndarray, degrees: float, bins: int) -> float:
    """Sum of squared row counts after rotating the points by `degrees`: peaks when lines are level."""
    theta = np.deg2rad(degrees)
    y = points[:, 1] * np.cos(theta) + points[:, 0] * np.sin(theta)
    counts = np.bincount((y - y.min()).astype(np.int64), minlength=bins)
    return float(np.dot(counts, counts))


def coarse_angle(points: np.ndarray, height: int, limit: float = 15.0, step: float = 1.0) -> tuple[float, float]:
    """Best angle within ±limit on a grid of `step` degrees, and its score."""
    if len(points) < 200:
        return 0.0, 0.0
    coarse = np.arange(-limit, limit + 1e-9, step)
    scores = [profile_score(points, a, height) for a in coarse]
    i = int(np.argmax(scores))
    return float(coarse[i]), float(scores[i])


def best_angle(points: np.ndarray, height: int, limit: float = 15.0,
               coarse: float | None = None) -> tuple[float, float]:
    """The angle (degrees, counter-clockwise skew of the text) and its score; coarse then fine.
    `coarse`: the best of a grid no coarser than 2 degrees, found already."""
    if len(points) < 200:
        return 0.0, 0.0
    centre = coarse if coarse is not None else coarse_angle(points, height, limit)[0]
    fine = np.arange(centre - 1.0, centre + 1.0 + 1e-9, 0.1)
    fine_scores = [profile_score(points, a, height) for a in fine]
    i = int(np.argmax(fine_scores))
    return float(fine[i]), float(fine_scores[i])
