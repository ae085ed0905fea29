"""One page's cleanup: find the sheet, turn it upright, level it, and make the reading image."""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ..model import Box, SourcePage
from .binarize import binarize, despeckle, despeckled_rules, flatten, keep_ink, near_ink
from .display import is_bilevel, quiet_paper
from .geometry import form_sized, resample, shrink, upright
from .grey import reading_grey
from .orientation import detect
from .pen import pen_ink, pen_regions
from .resolution import page_dpi
from .page_frame import find_paper, flatten_sheet

DETECT_DPI = 150


@dataclass
class CleanPage:
    display: np.ndarray        # what the PDF shows: upright, level, colour kept, not binarized
    bilevel: bool              # the scan itself is black and white (fax, G4 TIFF)
    display_dpi: float
    reading: np.ndarray        # what Tesseract reads: grey ink on pure white, at reading_dpi
    reading_dpi: float
    turn: int                  # clockwise quarter turn applied
    skew: float                # degrees of skew removed (counter-clockwise positive)
    orientation_confidence: float
    grey: np.ndarray           # the page before cleanup (sheet flattened), at display_dpi: see plain_reading
    proposed: int | None = None   # a turn the ink suggested without clear evidence (not applied)
    hand: list[Box] = field(default_factory=list)   # where a pen wrote, in pixels of `reading` (not read)
    leaders: list[Box] = field(default_factory=list)   # a form's dotted blanks, in pixels of `reading`


def hide(grey: np.ndarray, boxes: list[Box], scale: float) -> np.ndarray:
    """Paint `boxes` (points) white: what lies there (a signing stamp, text the file already
    carries) is not for OCR to read."""
    if not boxes:
        return grey
    out = grey.copy()
    pad = 2
    for x0, y0, x1, y1 in boxes:
        top, left = max(0, int(y0 * scale) - pad), max(0, int(x0 * scale) - pad)
        out[top:int(y1 * scale) + pad, left:int(x1 * scale) + pad] = 255
    return out


def clean_page(page: SourcePage, target_dpi: int = 225, turn: int | None = None) -> CleanPage:
    """The display and reading images of a scanned page. The page is turned as its ink says
    when that is clear; a doubtful turn is not taken but offered (`CleanPage.proposed`) for
    the pipeline to confirm by reading. `turn` forces one."""
    assert page.image is not None, "text-layer pages are not cleaned"
    image, dpi = page.image, page.dpi
    bilevel = is_bilevel(image)
    channels = cv2.split(image) if image.ndim == 3 else None    # once: a colour page's split costs 20 ms
    pen = pen_ink(channels) if channels else None
    # A seal or a signature in colour is not text; on a card or a receipt, colour may be print.
    grey = hide(reading_grey(image, dpi, form_sized(image, dpi), channels), page.hidden, dpi / 72)
    corners = find_paper(grey)
    if corners is not None:
        image, grey = flatten_sheet(image, corners), flatten_sheet(grey, corners)
        pen = flatten_sheet(pen, corners) if pen is not None else None
    flat = flatten(grey, dpi)
    if page.dpi_inferred:       # no resolution to trust in the file: its text tells one
        dpi = page_dpi(dpi, despeckle(binarize(flat), dpi) == 0, page.dpi_declared)
    if pen is not None and form_sized(flat, dpi):
        flat = cv2.max(flat, pen)       # the pen's writing is not read: lifted to paper
    else:
        pen = None

    small = shrink(flat, DETECT_DPI / dpi)
    # Ruled lines (tables, forms) say nothing about which way is up, and fool the profile.
    ink = despeckled_rules(binarize(small), DETECT_DPI)[1].image == 0
    orientation = detect(ink, turn)
    proposed = None
    if not orientation.clear:
        proposed = orientation.turn
        orientation = detect(ink, 0)

    display = upright(image, orientation.turn, orientation.skew)
    reading = upright(flat, orientation.turn, orientation.skew)
    reading = resample(reading, target_dpi / dpi)
    ink, ruled = despeckled_rules(binarize(cv2.GaussianBlur(reading, (0, 0), 0.6)), target_dpi)
    reading = keep_ink(reading, near_ink(ruled.image))
    # The PDF shows what the paper holds: ruled lines and dotted blanks too, only not read.
    shown = near_ink(ink)
    hand: list[Box] = []
    if bilevel:     # rotation interpolated grey edges; a fax stays black and white
        display = cv2.threshold(display, 127, 255, cv2.THRESH_BINARY)[1]
    elif pen is not None:
        # The pen's ink is not read, but it is the citizen's writing: the PDF shows it.
        pen = upright(pen, orientation.turn, orientation.skew)
        hand = pen_regions(pen, dpi, target_dpi / dpi)
        shown = cv2.max(pen, cv2.resize(shown, pen.shape[::-1], interpolation=cv2.INTER_NEAREST))
    if not bilevel:
        display = quiet_paper(display, shown)
    return CleanPage(display, bilevel, dpi, reading, float(target_dpi), orientation.turn,
                     orientation.skew, orientation.confidence, grey, proposed, hand, ruled.leaders)


def plain_reading(clean: CleanPage) -> np.ndarray:
    """The page only turned, levelled and resampled, without the cleanup: what the pipeline's
    guard reads when the cleaned reading is doubtful."""
    return resample(upright(clean.grey, clean.turn, clean.skew), clean.reading_dpi / clean.display_dpi)
