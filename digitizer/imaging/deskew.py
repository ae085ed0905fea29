"""Skew of text lines, by the sharpness of the horizontal projection of ink."""

from __future__ import annotations

import numpy as np

MAX_POINTS = 150_000


def ink_points(binary: np.ndarray, rng_seed: int = 0) -> np.ndarray:
    """(N, 2) float coordinates (x, y) of ink pixels, subsampled for speed."""
    ys, xs = np.nonzero(binary)
    if len(xs) > MAX_POINTS:
        pick = np.random.default_rng(rng_seed).choice(len(xs), MAX_POINTS, replace=False)
        xs, ys = xs[pick], ys[pick]
    return np.stack([xs, ys], axis=1).astype(np.float64)


def profile_score(points: np.ndarray, degrees: float, bins: int) -> float:
    """Sum of squared row counts after rotating the points by `degrees`: peaks when lines are level."""
    theta = np.deg2rad(degrees)
    y = points[:, 1] * np.cos(theta) + points[:, 0] * np.sin(theta)
    counts = np.bincount(np.clip(y - y.min(), 0, None).astype(np.int64), minlength=bins)
    return float(np.dot(counts, counts))


def best_angle(points: np.ndarray, height: int, limit: float = 15.0) -> tuple[float, float]:
    """The angle (degrees, counter-clockwise skew of the text) and its score; coarse then fine."""
    if len(points) < 200:
        return 0.0, 0.0
    coarse = np.arange(-limit, limit + 1e-9, 0.5)
    scores = [profile_score(points, a, height) for a in coarse]
    centre = float(coarse[int(np.argmax(scores))])
    fine = np.arange(centre - 0.5, centre + 0.5 + 1e-9, 0.05)
    fine_scores = [profile_score(points, a, height) for a in fine]
    i = int(np.argmax(fine_scores))
    return float(fine[i]), float(fine_scores[i])
