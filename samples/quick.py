"""Quick-to-read pages for service tests and benchmarks, where what is measured is the
plumbing (queue, ledger, store), not the OCR: a generated document at 100 DPI."""

from __future__ import annotations

import io
import random

from PIL import Image

from .content import make_document
from .layout import layout
from .render import rasterize


def small_page_png(seed: int, kind: str = "thong_bao") -> bytes:
    image = rasterize(layout(make_document(kind, random.Random(seed)), "tinos"), dpi=100)
    out = io.BytesIO()
    Image.fromarray(image).save(out, "PNG", dpi=(100, 100))
    return out.getvalue()
