"""A page's layout, computed once from its OCR words: the segments in reading order (each a
line of its own) and the blocks Decree 30/2020 lays a page out in. Reading order, the fields
and the stack splitter read it; nothing else cuts a page into segments.

    words (Tesseract's lines) -> segments (cut where columns part) -> reading order -> blocks
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import groupby

from ..model import Block, Word
from .blocks import PageSize, kinds
from .order import across, ordered
from .segments import segments


# Narrower than A5 (5.8 in): a receipt (58 or 80 mm paper; 2.5-4.7 in at the resolution its
# letters tell, on viText's receipts), a card or a line cropped from one. Decree 30's
# two-column blocks are on A4 (the letters of ../shared/realworld/ measure 7.2 in and more);
# on a receipt, an item's price is on its line, not a column to read after the items.
NARROW_INCHES = 5.0
# A strip at least twice as tall as it is wide is a receipt whatever its letters say of its
# resolution: faint dot-matrix print measures small letters, so too wide a page in inches
# (viText's no_0256: 5.9 in by 15.7). A sheet of paper is 1.41 (A4) to 1.65 (legal).
STRIP = 2.0


def narrow(width: float, height: float, dpi: float) -> bool:
    """A receipt's or a card's shape (pixels at `dpi`), not a letter's or a form's."""
    return width < NARROW_INCHES * dpi or height >= STRIP * width


@dataclass
class PageLayout:
    words: list[Word]          # in reading order; a line id per segment
    blocks: list[Block]


def page_layout(words: list[Word], width: float, height: float, dpi: float) -> PageLayout:
    """The layout of a page whose words' boxes are in pixels of a `width` × `height` image at `dpi`."""
    if not words:
        return PageLayout([], [])
    segs = (across if narrow(width, height, dpi) else ordered)(segments(words))
    out: list[Word] = []
    for line_id, seg in enumerate(segs):
        out += [replace(w, line=line_id) for w in seg.words]
    found = kinds(segs, PageSize(width, height, dpi))
    blocks, line_id = [], 0
    for kind, group in groupby(found):
        count = len(list(group))
        blocks.append(Block(kind.value, list(range(line_id, line_id + count))))
        line_id += count
    return PageLayout(out, blocks)


__all__ = ["PageLayout", "narrow", "page_layout"]
