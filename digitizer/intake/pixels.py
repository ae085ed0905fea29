"""Bring decoded images to the two shapes the pipeline uses: 8-bit grey or 8-bit RGB."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from PIL import Image

from ..errors import DigitizerError
from ..model import ErrorKind

A4_LONG_INCHES = 297 / 25.4
MIN_DPI, MAX_DPI = 50, 1200
# A line cropped from an ID card photo can be 14 px tall and still read; below this nothing can.
MIN_SIDE_PX = 8
PAGE_INCHES = (1.5, 20.0)  # a declared resolution that makes the long side leave this range is absurd
# What software writes when it knows no resolution (JFIF's and EXIF's default, a screen's): a
# phone photo or a receipt scanned at 200-300 DPI says 72. A page truly scanned at 72 or 96 DPI
# keeps it: its text tells the same resolution.
SCREEN_DPI = (72.0, 96.0)


def require_size(width: int, height: int, number: int) -> None:
    if min(width, height) < MIN_SIDE_PX:
        raise DigitizerError(ErrorKind.TRUNCATED, f"page {number} is only {width}×{height} pixels")


def to_array(image: Image.Image) -> np.ndarray:
    """8-bit grey (H, W) or RGB (H, W, 3); transparency is laid on white paper."""
    mode = image.mode
    if mode == "L":
        return np.asarray(image)        # converting to its own mode would copy the page for nothing
    if mode == "1":
        return np.asarray(image.convert("L"))
    if mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        top = values.max() or 1.0
        return (values * (255.0 / top)).clip(0, 255).astype(np.uint8)
    if mode == "P":
        image = image.convert("RGBA")
    if mode in ("LA", "PA", "RGBA") or image.mode == "RGBA":
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image.convert("RGBA"))
    return neutral_to_grey(np.asarray(image if image.mode == "RGB" else image.convert("RGB")))


def neutral_to_grey(rgb: np.ndarray) -> np.ndarray:
    """Keep colour only where the scan has it: a grey page in RGB clothing becomes grey."""
    sample = rgb[::7, ::7].astype(np.int16)
    spread = sample.max(axis=2) - sample.min(axis=2)
    if np.percentile(spread, 99.5) < 24:
        return np.ascontiguousarray(rgb[..., 1])
    return rgb


class Resolution(NamedTuple):
    dpi: float
    inferred: bool      # only a first guess, which the cleanup checks against the page's text
    declared: bool      # the guess is the file's own (a screen default), not an A4 page's


def resolution(dpi: tuple[float, float] | None, size: tuple[int, int]) -> Resolution:
    """The page's DPI as the file gives it, or a first guess from an A4 page."""
    if dpi:
        value = float(max(dpi))
        if MIN_DPI <= value <= MAX_DPI and PAGE_INCHES[0] <= max(size) / value <= PAGE_INCHES[1]:
            screen = round(value) in SCREEN_DPI
            return Resolution(value, screen, screen)
    inferred = max(size) / A4_LONG_INCHES
    return Resolution(min(max(inferred, 72.0), MAX_DPI), True, False)
