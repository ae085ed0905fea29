"""Where the visible signature stamp goes: a blank stretch of the last page's margin, found on
the page as it renders (scan, text and seals alike), so that the stamp covers nothing."""

from __future__ import annotations

import numpy as np
import pymupdf

STAMP_SIZE = (210.0, 46.0)      # points: three lines of 8 pt text with a thin border
RENDER_DPI = 36                  # half-inch features are enough to find an empty place
INK_LEVEL = 200                  # grey below this is print, a seal or a scanner's shadow
CLEAR_PT = 6.0                   # the stamp keeps this far from any ink
EDGE_PT = 18.0                   # and from the paper's edge (printers clip it)
STEP_PT = 4.0


def free_spot(pdf: bytes, size: tuple[float, float] = STAMP_SIZE) -> tuple[int, tuple[int, int, int, int]] | None:
    """(page index, box in PDF user space: x0, y0, x1, y1 from the bottom left) of a blank place
    for the stamp on the last page, nearest the bottom right (where a signature is looked for);
    None when the page has none, or is turned (its user space is not the picture's)."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        index = doc.page_count - 1
        page = doc[index]
        if page.rotation or page.mediabox.x0 or page.mediabox.y0:
            return None
        pix = page.get_pixmap(dpi=RENDER_DPI, colorspace=pymupdf.csGRAY)
        height_pt = page.rect.height
    ink = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.stride)[:, :pix.width] < INK_LEVEL
    sums = np.pad(ink.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    px = RENDER_DPI / 72
    w, h = int(np.ceil((size[0] + 2 * CLEAR_PT) * px)), int(np.ceil((size[1] + 2 * CLEAR_PT) * px))
    edge, step = int((EDGE_PT - CLEAR_PT) * px), max(1, int(STEP_PT * px))
    for top in range(pix.height - edge - h, edge - 1, -step):
        for left in range(pix.width - edge - w, edge - 1, -step):
            if sums[top + h, left + w] - sums[top, left + w] - sums[top + h, left] + sums[top, left] == 0:
                x0, y0 = left / px + CLEAR_PT, top / px + CLEAR_PT
                return index, (round(x0), round(height_pt - y0 - size[1]), round(x0 + size[0]),
                               round(height_pt - y0))
    return None
