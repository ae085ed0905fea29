"""One page's cleanup: find the sheet, turn it upright, level it, and make the reading image."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..model import SourcePage
from .binarize import binarize, despeckle, flatten, keep_ink, near_ink, remove_rules
from .display import is_bilevel, quiet_paper
from .geometry import resample, shrink, upright
from .grey import reading_grey
from .orientation import detect
from .page_frame import find_paper, flatten_sheet

A4_LONG_INCHES = 297 / 25.4
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


def clean_page(page: SourcePage, target_dpi: int = 225) -> CleanPage:
    assert page.image is not None, "text-layer pages are not cleaned"
    image, dpi = page.image, page.dpi
    bilevel = is_bilevel(image)
    grey = reading_grey(image)
    corners = find_paper(grey)
    if corners is not None:
        image, grey = flatten_sheet(image, corners), flatten_sheet(grey, corners)
        if page.dpi_inferred:
            dpi = max(grey.shape) / A4_LONG_INCHES
    flat = flatten(grey, dpi)

    f = DETECT_DPI / dpi
    small = shrink(flat, f)
    orientation = detect(despeckle(binarize(small), DETECT_DPI) == 0)

    display = upright(image, orientation.turn, orientation.skew)
    reading = upright(flat, orientation.turn, orientation.skew)
    reading = resample(reading, target_dpi / dpi)
    ink = despeckle(binarize(cv2.GaussianBlur(reading, (0, 0), 0.6)), target_dpi)
    mask = near_ink(remove_rules(ink, target_dpi))
    reading = keep_ink(reading, mask)
    if bilevel:     # rotation interpolated grey edges; a fax stays black and white
        display = cv2.threshold(display, 127, 255, cv2.THRESH_BINARY)[1]
    else:
        display = quiet_paper(display, mask)
    return CleanPage(display, bilevel, dpi, reading, float(target_dpi), orientation.turn,
                     orientation.skew, orientation.confidence)
