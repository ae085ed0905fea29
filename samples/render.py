"""Draw a PageLayout: as a clean raster image, or as a born-digital PDF page."""

from __future__ import annotations

import numpy as np
import pymupdf
from PIL import Image, ImageDraw

from .layout import PageLayout, pil_font


def to_px(value_pt: float, dpi: int) -> int:
    return round(value_pt * dpi / 72)


def rasterize(page: PageLayout, dpi: int = 300) -> np.ndarray:
    """A clean greyscale scan of the page: black ink on white, anti-aliased like a scanner's."""
    image = Image.new("L", (to_px(page.width_pt, dpi), to_px(page.height_pt, dpi)), 255)
    draw = ImageDraw.Draw(image)
    for run in page.runs:
        font = pil_font(run.font, to_px(run.size_pt, dpi))
        x, y = to_px(run.x, dpi), to_px(run.baseline, dpi)
        draw.text((x, y), run.text, font=font, fill=0, anchor="ls")
        if run.underline:
            length = font.getlength(run.text)
            uy = y + to_px(run.size_pt * 0.35, dpi)
            x0 = x + length * 0.25
            draw.line([(x0, uy), (x0 + length * 0.5, uy)], fill=0, width=max(1, dpi // 150))
    return np.asarray(image)


def born_digital_pdf(pages: list[PageLayout]) -> bytes:
    """A PDF whose pages carry real text (as an office suite would export it)."""
    doc = pymupdf.open()
    for layout in pages:
        pdf_page = doc.new_page(width=layout.width_pt, height=layout.height_pt)
        names: dict[str, str] = {}
        for run in layout.runs:
            name = names.setdefault(run.font, f"F{len(names)}")
            pdf_page.insert_text((run.x, run.baseline), run.text, fontsize=run.size_pt,
                                 fontname=name, fontfile=run.font)
    doc.subset_fonts()
    return doc.tobytes(garbage=3, deflate=True)
