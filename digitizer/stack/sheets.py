"""Separator and dossier sheets: printed by `digitizer sheet`, put into the feeder between
documents, recognised by their QR code and dropped from what is kept.

A sheet's QR code says what it is: `DIGITIZER:SEPARATOR` ends a document; `DIGITIZER:DOSSIER:<code>`
ends one and starts dossier <code>. The large label says the same to the person loading the feeder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymupdf
import zxingcpp

from ..model import Code

PREFIX = "DIGITIZER:"
SEPARATOR = PREFIX + "SEPARATOR"
DOSSIER = PREFIX + "DOSSIER:"
FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")   # Debian fonts-noto-core (make deps)
A4 = pymupdf.paper_rect("a4")
MM = 72 / 25.4


@dataclass(frozen=True)
class Sheet:
    kind: str                   # "separator" | "dossier"
    dossier: str | None = None


def payload(kind: str, dossier: str | None = None) -> str:
    if kind == "separator":
        return SEPARATOR
    if kind == "dossier" and dossier and dossier.strip():
        return DOSSIER + dossier.strip()
    raise ValueError("a dossier sheet needs its dossier code" if kind == "dossier" else f"no sheet {kind!r}")


def sheet_of(codes: list[Code]) -> Sheet | None:
    """The sheet a page is, from the codes read on it; None for any other page."""
    for code in codes:
        text = code.text.strip()
        if text.upper() == SEPARATOR:
            return Sheet("separator")
        if text.upper().startswith(DOSSIER) and text[len(DOSSIER):].strip():
            return Sheet("dossier", text[len(DOSSIER):].strip())
    return None


def sheet_pdf(kind: str, dossier: str | None = None) -> bytes:
    """One A4 page: the QR code four times (any corner may be torn or stapled over; one is
    enough) around a large label."""
    text = payload(kind, dossier)
    if not FONT.is_file():
        raise FileNotFoundError(f"font {FONT} is missing: run `make deps`")
    modules = np.asarray(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="Q").to_image(scale=1))
    doc = pymupdf.open()
    page = doc.new_page(width=A4.width, height=A4.height)
    page.insert_font(fontname="noto", fontfile=str(FONT))
    side = 55 * MM
    for x, y in ((20 * MM, 20 * MM), (A4.width - 20 * MM - side, 20 * MM),
                 (20 * MM, A4.height - 20 * MM - side), (A4.width - 20 * MM - side, A4.height - 20 * MM - side)):
        _draw_modules(page, modules, pymupdf.Rect(x, y, x + side, y + side))
    title = "TÁCH TÀI LIỆU" if kind == "separator" else "BẮT ĐẦU HỒ SƠ"
    lines = [(title, 40)] + ([(dossier.strip(), 34)] if kind == "dossier" and dossier else [])
    lines.append(("Trang phân cách: không lưu trữ", 14))
    font = pymupdf.Font(fontfile=str(FONT))
    y = A4.height / 2 - 40
    for line, size in lines:
        width = font.text_length(line, fontsize=size)
        page.insert_text(((A4.width - width) / 2, y), line, fontname="noto", fontsize=size)
        y += size * 1.6
    doc.set_metadata({"title": f"digitizer {kind} sheet", "creator": "digitizer"})
    return doc.tobytes(garbage=3, deflate=True)


def _draw_modules(page: pymupdf.Page, modules: np.ndarray, rect: pymupdf.Rect) -> None:
    """The QR code as vector squares: sharp at any printer's resolution."""
    n = modules.shape[0]
    step = rect.width / n
    shape = page.new_shape()
    for row, col in zip(*np.nonzero(modules < 128)):
        x, y = rect.x0 + col * step, rect.y0 + row * step
        shape.draw_rect(pymupdf.Rect(x, y, x + step + 0.05, y + step + 0.05))   # overlap: no hairline gaps
    shape.finish(color=None, fill=(0, 0, 0), width=0)
    shape.commit()
