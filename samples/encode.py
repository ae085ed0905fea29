"""Write degraded pages as the files scanners and phones produce."""

from __future__ import annotations

import io

import numpy as np
import pymupdf
from PIL import Image

from .degrade import Scan

FORMATS = ["pdf", "pdf-text", "png", "jpeg", "tiff-lzw", "tiff-g4"]


def _pil(scan: Scan) -> Image.Image:
    image = Image.fromarray(scan.image)
    return image.convert("1") if scan.bilevel else image


def _save(scan: Scan, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    extra = {"dpi": (scan.dpi, scan.dpi)} if scan.dpi else {}
    _pil(scan).save(out, fmt, **extra, **options)
    return out.getvalue()


def encode(scans: list[Scan], fmt: str) -> bytes:
    if fmt == "png":
        return _save(scans[0], "PNG", optimize=False)
    if fmt == "jpeg":
        quality = 72 if scans[0].dpi is None else 85
        return _save(scans[0], "JPEG", quality=quality)
    if fmt in ("tiff-lzw", "tiff-g4"):
        out = io.BytesIO()
        images = [_pil(s) for s in scans]
        if fmt == "tiff-g4":
            images = [i.convert("1") for i in images]
        dpi = scans[0].dpi or 300
        images[0].save(out, "TIFF", compression="group4" if fmt == "tiff-g4" else "tiff_lzw",
                       dpi=(dpi, dpi), save_all=True, append_images=images[1:])
        return out.getvalue()
    if fmt == "pdf":
        return scanned_pdf(scans)
    raise ValueError(f"unknown format {fmt!r}")


def scanned_pdf(scans: list[Scan]) -> bytes:
    """An image-only PDF, one JPEG page per scan, page size from the scan's resolution."""
    doc = pymupdf.open()
    for scan in scans:
        dpi = scan.dpi or 300
        h, w = scan.image.shape[:2]
        page = doc.new_page(width=w * 72 / dpi, height=h * 72 / dpi)
        page.insert_image(page.rect, stream=_save(Scan(np.ascontiguousarray(scan.image), None), "JPEG", quality=85))
    return doc.tobytes(garbage=3, deflate=True)
