"""Where a form's blanks were written on. What stands over a dotted leader, printed for a value
to be written on, was written into the form; on a grey scan no pen colour tells it apart
(imaging/pen.py does on a colour one). Tesseract reads a real hand's writing in pieces, or as
junk lines of its own ("=6‹", "Lỏ"), or not at all, so the words it read there give neither the
writing's place nor its text. The strokes over the blank give its place: a region of
handwriting, for a person to type the value from its crop, where nothing read is text."""

from __future__ import annotations

from itertools import groupby

import cv2
import numpy as np

from .imaging.binarize import components
from .imaging.clean import CleanPage
from .layout.labels import row_label_length
from .layout.leaders import leader_after
from .layout.measures import PRINTED
from .model import Box, Word

# Of a label's height: a "word" this low is a leader's dots read as letters ("z4", "án" 5 px tall
# beside labels of 30-39 px on the grey forms of samples/kinds.py), and a stroke this tall or
# more over a blank is writing, not a dot (a colon's upper dot, the leader's own).
DOTS_HEIGHT = 0.3
# Of a label's height: how far above its leader a value may be written (the grey forms' writing
# stands 1-1.6 label heights tall, from a little under the dots).
WRITING_HEIGHTS = 2.0
# Of a label's height: how far under its leader a region of writing reaches, for its crop to
# hold the descenders a hand's letters hang under the dots ("g", "y", "ng"); set on the real
# and joined hands of bench/real_handwriting.py and samples/kinds.py (session 36).
DESCENT_HEIGHTS = 0.8
# Of a label's height squared: less ink over a blank is a speck, not writing. Over the 72 forms
# of six generated seeds, blanks whose pen ink was lifted hold 0.0, writing left unread 2.2-10.2.
MIN_WRITING = 0.1


def strokes_over(clean: CleanPage, found: Box, height: float, above: int) -> Box | None:
    """The box of the writing over the blank `found` (a leader, pixels of the reading image) of a
    row whose label is `height` tall: the strokes above the leader, up to `above` (where the line
    before ends); None where it holds too little ink to be writing."""
    x0, y0, x1, _ = (round(v) for v in found)
    top = _writing_top(found, height, above)
    band = clean.reading[top:y0, x0:x1]
    if band.size == 0:
        return None
    _, stats = components(cv2.compare(band, 128, cv2.CMP_LT))
    strokes = stats[1:][stats[1:, cv2.CC_STAT_HEIGHT] >= DOTS_HEIGHT * height]
    if strokes[:, cv2.CC_STAT_AREA].sum() < MIN_WRITING * height * height:
        return None
    left, up = strokes[:, cv2.CC_STAT_LEFT].min(), strokes[:, cv2.CC_STAT_TOP].min()
    right = (strokes[:, cv2.CC_STAT_LEFT] + strokes[:, cv2.CC_STAT_WIDTH]).max()
    return x0 + int(left), top + int(up), x0 + int(right), round(found[3])


def _writing_top(found: Box, height: float, above: int) -> int:
    """How high over the leader `found` a row's writing may stand: WRITING_HEIGHTS label
    heights, not above the line before (`above`)."""
    return max(above, round(found[1] - WRITING_HEIGHTS * height))


def _blank(leaders: list[Box], line: list[Word], label: int) -> Box | None:
    """Where a row's value may be written: from the end of its label (`label` words of `line`)
    to the end of its leader; from the leader's start where a value was typed before it (read
    with a printed line's confidence)."""
    found = leader_after(leaders, line[:label])
    if found is None:
        return None
    typed = any(w.confidence >= PRINTED and w.left + w.width <= found[0] for w in line[label:])
    start = found[0] if typed else max(w.left + w.width for w in line[:label])
    return start, found[1], found[2], found[3]


def blank_writing(clean: CleanPage, words: list[Word]) -> list[Box]:
    """The regions written by hand over the blanks of the page's labelled rows (pixels of the
    reading image): the strokes, the marks over them, the descenders under the leader, and the
    writing run on past the leader's end. Each reaches up to the printed line above it: what
    Tesseract read of the writing itself, on lines of its own, does not bound it."""
    regions: list[Box] = []
    above = 0
    for _, group in groupby(words, key=lambda w: w.line):
        line = list(group)
        label = row_label_length([w.text for w in line])
        found = _blank(clean.leaders, line, label) if label else None
        if found is not None:
            height = max(w.height for w in line[:label])
            region = strokes_over(clean, found, height, above)
            if region is not None:
                # The next column's label, printed after the leader, is no writing run on.
                printed_after = [w.left for w in line[label:] if w.left >= found[2] and printed([w])]
                end = min(printed_after, default=clean.reading.shape[1])
                regions.append(_whole(clean.reading[:, :end], region, found, height,
                                      _writing_top(found, height, above)))
        if printed(line):
            above = max(w.top + w.height for w in line)
    return regions


def printed(line: list[Word]) -> bool:
    """Print (a line's words, or one): read with a printed line's confidence, two letters or
    figures at least (a tone mark of the writing alone reads as a sure "“")."""
    sure = sum(w.confidence for w in line) >= PRINTED * len(line)
    return sure and sum(ch.isalnum() for w in line for ch in w.text) >= 2


def _whole(reading: np.ndarray, strokes: Box, found: Box, height: float, top: int) -> Box:
    """The region of the writing whose strokes over the leader `found` are `strokes`: its tones
    and dots, too small for strokes, up to `top`; its descenders under the leader; and, where
    the strokes reach the leader's end, the writing run on past it in `reading`, up to a gap
    of a label's height."""
    x0, y0, x1, y1 = strokes
    inked = np.nonzero((reading[top:y0, x0:x1] < 128).any(axis=1))[0]
    y0 = top + int(inked[0]) if len(inked) else y0
    if x1 >= found[2] - height:
        end = 0
        for x in np.nonzero((reading[y0:y1, x1:] < 128).any(axis=0))[0]:
            if x - end > height:
                break
            end = int(x)
        x1 += end
    return x0, y0, x1, y1 + round(DESCENT_HEIGHTS * height)


def inside(box: Box, regions: list[Box]) -> bool:
    """The box's middle (a word's, a region's) lies in one of `regions`."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(r[0] <= x <= r[2] and r[1] <= y <= r[3] for r in regions)
