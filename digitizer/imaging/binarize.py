"""Uneven light and low contrast out, then black text on white, then specks out."""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

from ..model import Box
from .geometry import shrink


# A blur this wide (pixels) is made on a quarter-size copy of an image at least COARSE_SIDE
# pixels on its shorter side: the flattening's 300 DPI blur (sigma 10.5) so made is within one
# grey level of the full one; a small copy of a card's line is blurred as it is.
COARSE_SIGMA = 4.0
COARSE_SIDE = 64


def paper_background(image: np.ndarray, factor: float, kernel: int, sigma: float) -> np.ndarray:
    """The paper without its ink, at full size: on a copy shrunk by `factor`, the text is
    closed away (a dark stroke narrower than `kernel` vanishes) and what is left smoothed."""
    small = cv2.morphologyEx(shrink(image, factor), cv2.MORPH_CLOSE,
                             cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (kernel, kernel)))
    if sigma >= COARSE_SIGMA and min(small.shape[:2]) >= COARSE_SIDE:
        # A wide blur is as well made on a copy a quarter the size (within one grey level,
        # at a fifth of the cost): the light across a sheet changes over inches.
        small, sigma = shrink(small, 1 / 4), sigma / 4
    return cv2.resize(cv2.GaussianBlur(small, (0, 0), sigma), (image.shape[1], image.shape[0]),
                      interpolation=cv2.INTER_LINEAR)


# The stretch maps at most this grey to black (a gain of 3). Real pages stretch from 0-130
# (the faintest, bni-6191, 130), generated noisy ones from 55-85; a signature page with mild
# grain from 241.
MAX_STRETCH_LOW = 170


def flatten(grey: np.ndarray, dpi: float) -> np.ndarray:
    """Divide by the paper's own brightness, estimated with the text closed away.

    Shading, grey paper and faded toner all become black-on-white with full contrast.
    """
    k = max(3, int(dpi / 300 * 21) | 1)       # wider than any stroke at this resolution
    paper = paper_background(grey, 1 / 4, k, k / 2)
    flat = cv2.divide(grey, cv2.max(paper, 1), scale=255)
    # Stretch so the darkest ink (0.5th percentile) is black and paper stays white. On a page
    # with hardly any ink (a signature page) that percentile is the paper's grain: stretched
    # black, it filled the page with specks that took Tesseract minutes to read as 150 lines.
    low = min(_percentile(flat[::4, ::4], 0.005), MAX_STRETCH_LOW)
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


SPECKLED = 150        # tiny components (at half resolution) on a page worth a full-resolution pass


def components(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Labels and stats of the 8-connected components of a uint8 mask. Grana's block-based
    algorithm (BBDT) gives the same labels as OpenCV's default, at 2-2.5 times the speed on
    pages (the default's statistics pass costs more than the labelling)."""
    _, labels, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(ink, 8, cv2.CV_32S, cv2.CCL_BBDT)
    return labels, stats


def _erased(binary: np.ndarray, labels: np.ndarray, drop: np.ndarray) -> np.ndarray:
    """`binary` with the components `drop` names (indexed by label) painted white."""
    drop[0] = False
    if not drop.any():           # most pages: nothing to erase, and a lookup per pixel saved
        return binary
    erase = np.take(np.where(drop, 255, 0).astype(np.uint8), labels)     # twice as fast as indexing
    if erase.shape != binary.shape:
        erase = cv2.resize(erase, (binary.shape[1], binary.shape[0]), interpolation=cv2.INTER_NEAREST)
    return cv2.max(binary, erase)


class HalfInk(NamedTuple):
    """A binary image's ink at half resolution (a 2x2 block is ink if any of it is: lines stay
    lines, at a quarter of the cost), with its components (`components`)."""
    ink: np.ndarray
    labels: np.ndarray
    stats: np.ndarray


def half_ink(binary: np.ndarray) -> np.ndarray:
    """HalfInk.ink: a 0/255 mask of the binary image's ink, at half its size."""
    return cv2.compare(shrink(cv2.compare(binary, 128, cv2.CMP_LT), 1 / 2), 0, cv2.CMP_GT)


def despeckle(binary: np.ndarray, dpi: float) -> np.ndarray:
    """Remove big blobs glued to the image edge (scanner borders, desk) and isolated specks
    smaller than a diacritic dot. The dot below a 12 pt capital (Ụ) is about 12 px at 225
    DPI and 20 px at 300 DPI; specks are a few pixels.

    Components are first labelled at half resolution (a quarter of the pixels; a 2x2 block
    is ink if any of it is), which finds edge blobs and counts likely specks. Only a
    speckled page (fax, noise) pays for labelling at full resolution."""
    return _despeckled(binary, dpi)[0]


def despeckled_rules(binary: np.ndarray, dpi: float) -> tuple[np.ndarray, Ruled]:
    """The despeckled image, and its `find_rules`. Where the despeckling erased nothing (most
    pages), the rules are found in the half-resolution ink it labelled (5-8 ms a page)."""
    out, half = _despeckled(binary, dpi)
    return out, find_rules(out, dpi, half if out is binary else None)


def _despeckled(binary: np.ndarray, dpi: float) -> tuple[np.ndarray, HalfInk | None]:
    """`despeckle`, and its half-resolution ink with its components (None below 150 DPI,
    where the ink is labelled at full resolution)."""
    small = half_ink(binary) if dpi >= 150 else cv2.compare(binary, 128, cv2.CMP_LT)
    labels, stats = components(small)
    half = HalfInk(small, labels, stats) if dpi >= 150 else None
    h, w = small.shape
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    bw, bh = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    touches_edge = (x == 0) | (y == 0) | (x + bw >= w) | (y + bh >= h)
    edge_blob = touches_edge & ((bw > w * 0.25) | (bh > h * 0.25))
    out = _erased(binary, labels, edge_blob)
    tiny = int(np.count_nonzero(stats[1:, cv2.CC_STAT_AREA] <= 2))
    if tiny < SPECKLED:
        return out, half
    labels, stats = components(cv2.compare(out, 128, cv2.CMP_LT))
    min_area = max(2, round(7 * (dpi / 300) ** 2))
    return _erased(out, labels, stats[:, cv2.CC_STAT_AREA] < min_area), half


# Ink other than dots in a dotted row's band, as a share of the dots: a leader has only the
# label's colon and what is left of a pen's crossing there; a row of tone marks has its
# letters, many times their ink (set on the forms of samples/kinds.py and tests/test_imaging).
LEADER_LETTERS = 0.3


class Ruled(NamedTuple):
    image: np.ndarray           # the binary image with its ruled lines and bare leaders erased
    leaders: list[Box]          # every dotted row found (written over or not), in pixels of the image


def leaders(ink: np.ndarray, dpi: float,
            labelled: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, list[Box]]:
    """A form's dotted blanks ("Họ và tên: ............"): dots in a row longer than a third
    of an inch, with no letters above or below them. Tesseract reads them as text
    ("....::...", "2222111") and loses the label before them. Tone marks also come in rows,
    but over letters. `ink` is a 0/255 mask at `dpi`. Returned: the bare leaders' dots as one
    mask, and the boxes of every row of dots, bare or written over (pieces of one, where a
    pen's strokes cross it and join its dots into letters). A row of tone marks would be one
    too, but Vietnamese text has none a third of an inch long. `labelled`: the ink's
    components, where they are known."""
    labels, stats = labelled or components(ink)
    side = max(2, round(dpi / 28))                 # a 13 pt full stop is 5-6 px across at 225 DPI
    # Of any width: neighbouring dots touch when shrunk. Only a row of them is taken.
    dot = stats[:, cv2.CC_STAT_HEIGHT] <= side
    dot[0] = False
    if np.count_nonzero(dot) < 2:       # a row needs dots
        return np.zeros_like(ink), []
    dots = np.take(np.where(dot, 255, 0).astype(np.uint8), labels)
    gap = max(3, round(dpi / 12))                  # dots of a leader are 1-2 mm apart
    joined = cv2.morphologyEx(dots, cv2.MORPH_CLOSE, np.ones((1, gap), np.uint8))
    rows = cv2.morphologyEx(joined, cv2.MORPH_OPEN, np.ones((1, max(8, int(dpi / 3))), np.uint8))
    letters = cv2.subtract(ink, dots)
    keep = np.zeros_like(rows)
    # The rows' boxes from their outlines: a raster scan of a nearly empty image, where
    # labelling it wrote a label per pixel (a tenth of the cleanup's time).
    outlines, _ = cv2.findContours(rows, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    boxes = [cv2.boundingRect(outline) for outline in outlines]
    for x, y, w, h in boxes:
        band = (slice(max(0, y - 2 * side), y + h + 2 * side), slice(x, x + w))
        if cv2.countNonZero(letters[band]) < LEADER_LETTERS * cv2.countNonZero(dots[band]):
            keep[y:y + h, x:x + w] = 255
    # Grown by a pixel all round: a dot's shrunk edge is lighter and is no ink at half size.
    bare = cv2.dilate(cv2.bitwise_and(dots, keep), np.ones((3, 3), np.uint8))
    return bare, sorted((x, y, x + w, y + h) for x, y, w, h in boxes)


def find_rules(binary: np.ndarray, dpi: float, half: HalfInk | None = None) -> Ruled:
    """Erase ruled lines (the underline below a Decree 30 header, form and table lines): a
    run of ink longer than a third of an inch is no letter, and it confuses Tesseract; and
    a form's dotted blanks (leaders), for the same reason. The leaders' places are kept: what
    is written over one was written by hand into the form (layout/handwriting.py). `half`:
    the binary's half-resolution ink, labelled already."""
    # At half resolution; the found rules are grown back by a pixel to cover their edges.
    ink = half.ink if half is not None else half_ink(binary)
    length = max(8, int(dpi / 6))
    rules = cv2.max(cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8)),
                    cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8)))
    bare, rows = leaders(ink, dpi / 2, (half.labels, half.stats) if half is not None else None)
    rules = cv2.resize(cv2.dilate(cv2.max(rules, bare), np.ones((2, 2), np.uint8)), (binary.shape[1], binary.shape[0]),
                       interpolation=cv2.INTER_NEAREST)
    return Ruled(cv2.max(binary, rules), [(2 * x0, 2 * y0, 2 * x1, 2 * y1) for x0, y0, x1, y1 in rows])


def near_ink(binary: np.ndarray) -> np.ndarray:
    """uint8 mask, 255 within two pixels of ink: the strokes with their anti-aliased edges."""
    return cv2.dilate(cv2.compare(binary, 0, cv2.CMP_EQ), np.ones((5, 5), np.uint8))


def keep_ink(grey: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Grey text on pure white: the grey page where `mask` (see near_ink) is set, white
    elsewhere. Tesseract reads anti-aliased strokes better than thresholded ones, and the
    specks, shading and borders that `despeckle` removed stay removed."""
    return cv2.copyTo(grey, mask, np.full_like(grey, 255))
