"""Greyscale for reading: coloured ink (red seals, blue signatures) turns light, black stays black."""

from __future__ import annotations

from typing import Sequence

import cv2
import numpy as np

from .binarize import components
from .geometry import shrink

# How far a pixel is lifted by its redness (red above the larger of green and blue). At low
# resolution and with JPEG's halved colour, a seal's ring crossing a letter blurs into a dark
# red that the brightest channel alone leaves grey: a stroke through the letter ("Ħạ").
RED_LIFT = 0.5
# Red print is told from a seal by its shape, not its colour: the seals of the real letters
# (qng-575, qng-24) are as red as a card's title (redness 169-179 at their median against
# 104-129). Red ink is red above the larger of green and blue by RED_INK, below the titles'
# median and above paper's JPEG tint; and bright: its red channel over RED_BRIGHT (the titles'
# ink reads 173 and more; black print under a seal, tinted red, 93-105 at its median). The
# ink, told on a SAMPLE_DPI copy, is joined along its lines at RED_DPI, letters up to
# RED_JOIN_IN apart. A line of print is at most PRINT_LINE_IN tall, PRINT_ASPECT times as
# wide as tall and PRINT_WORD_IN wide: a card's title in capitals is 0.14 in tall, a party
# committee's header 0.2 in; "MẬT" in 14 pt capitals is 0.45 in wide. A seal's ring is
# 1.3-1.8 in across with its text inside; a faint ring breaks into pieces within
# SEAL_MARGIN_IN of the rest; a received stamp's box holds three lines. Set on the generated ID
# cards (samples/kinds.py, seeds 100 and 900), 72 generated sealed, photographed and mild
# letters (seeds 700-705) and the colour pages of ../shared/realworld/: print found on every
# colour card, on none of the letters.
SAMPLE_DPI = 100
RED_DPI = 50
RED_INK = 60
RED_BRIGHT = 120
RED_JOIN_IN = 0.12
PRINT_LINE_IN = 0.45
PRINT_ASPECT = 2.5
PRINT_WORD_IN = 0.4
SEAL_MARGIN_IN = 0.1
LETTER_SPAN = 0.5       # of a line's box: letters in capitals span 0.6-0.8 of it (marks above); an arc less


def reading_grey(image: np.ndarray, dpi: float, fade_colours: bool = True,
                 channels: Sequence[np.ndarray] | None = None) -> np.ndarray:
    """The brightest channel of each pixel, lifted further by its redness: red and blue ink
    are bright in their own channel, printed black text is dark in all three, and black
    under a seal stays dark (it is hardly redder than it is dark). Lines printed in red (an
    ID card's title, a header) are read by their lightness, as black is. Without
    `fade_colours` (a card or a receipt: no seal, no signature, but perhaps a label printed
    in blue), every colour is read by its lightness. `channels`: the image's, split already."""
    if image.ndim == 2:
        return image
    if not fade_colours:
        return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    r, g, b = channels or cv2.split(image)
    brightest = cv2.max(cv2.max(r, g), b)
    redness = cv2.subtract(r, cv2.max(g, b))
    faded = cv2.addWeighted(brightest, 1.0, redness, RED_LIFT, 0.0)
    printed = red_print(redness, brightest, dpi)
    if printed is None:
        return faded
    return np.where(printed, cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), faded)


def _sampled(image: np.ndarray, scale: float) -> np.ndarray:
    """Every 1/scale-th pixel: a stroke keeps its colour, not averaged with the paper's."""
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)


def _lettered(ink: np.ndarray) -> bool:
    """Ink that stands as letters do: in most columns it holds, it spans LETTER_SPAN of the
    box's height or more (an arc or a rule spans its stroke's width)."""
    held = ink.any(axis=0)
    if not held.any():
        return False
    top = ink.argmax(axis=0)
    bottom = ink.shape[0] - ink[::-1].argmax(axis=0)
    return float(np.percentile((bottom - top)[held], 75)) >= LETTER_SPAN * ink.shape[0]


def red_print(redness: np.ndarray, brightest: np.ndarray, dpi: float) -> np.ndarray | None:
    """Where the page holds lines printed in red, at full size (None: nowhere): the red ink's
    lines, joined at RED_DPI, that are shaped as a line of print is, not as a seal. Red ink is
    red and bright: black print under a seal, tinted by JPEG's halved colour, is not."""
    factor = min(1.0, RED_DPI / dpi)
    if min(redness.shape) * factor < 2 * PRINT_LINE_IN * RED_DPI:    # a crop: no seal to tell it from
        return None
    # Told on every SAMPLE_DPI-th pixel (a whole page's pixels cost 10 ms), then joined at RED_DPI.
    sample = min(1.0, SAMPLE_DPI / dpi)
    red = cv2.compare(_sampled(redness, sample), RED_INK, cv2.CMP_GT)
    if not cv2.countNonZero(red):            # most pages: no red at all
        return None
    red = cv2.bitwise_and(red, cv2.compare(_sampled(brightest, sample), RED_BRIGHT, cv2.CMP_GT))
    ink = (shrink(red, factor / sample) > 0).astype(np.uint8)
    join = max(1, round(RED_JOIN_IN * dpi * factor))
    lines = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (join, 1)))
    labels, stats = components(lines)
    width, height = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    inch = dpi * factor
    keep = (height <= PRINT_LINE_IN * inch) & (width >= PRINT_ASPECT * height) & (width >= PRINT_WORD_IN * inch)
    keep[0] = False
    # A seal's own lines (its centre's name, the arcs of its rim's text) and the pieces of a
    # faint ring are within its ring's box, or just beside it.
    x0, y0 = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    near = round(SEAL_MARGIN_IN * inch)
    tall = np.flatnonzero(height > PRINT_LINE_IN * inch)
    for ring in tall[tall > 0]:           # label 0 is the paper
        inside = (x0 >= x0[ring] - near) & (y0 >= y0[ring] - near) & \
            (x0 + width <= x0[ring] + width[ring] + near) & (y0 + height <= y0[ring] + height[ring] + near)
        keep &= ~inside
    # Letters stand the height of their line; a ring's arc crossing black print, broken by it
    # into pieces, is a thin stroke across its box.
    for i in np.flatnonzero(keep):
        x, y, w, h = (round(v / factor) for v in (x0[i], y0[i], width[i], height[i]))
        keep[i] = _lettered((redness[y:y + h, x:x + w] > RED_INK) & (brightest[y:y + h, x:x + w] > RED_BRIGHT))
    if not keep.any():
        return None
    # Each kept line's band, with two pixels (0.04 in) round its ink: its marks and edges.
    mask = cv2.dilate(np.take(keep.astype(np.uint8), labels), np.ones((5, 5), np.uint8))
    return cv2.resize(mask, (redness.shape[1], redness.shape[0]), interpolation=cv2.INTER_NEAREST) > 0
