"""PDF pages through PyMuPDF; poppler (pdf2image) renders what MuPDF cannot open.

Each page is judged by what is visible on it. A page mostly covered by raster images is a
scan and is OCR'd, whatever text it also carries: visible text laid over the scan (the stamp
signing software writes, a page number) is kept exactly and hidden from OCR, and an invisible
text layer (a scanner's own OCR) is dropped for ours. A page of visible, readable text and
few images is born-digital and keeps its text. Anything else is rendered and OCR'd.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import pymupdf

from ..errors import DigitizerError
from ..model import Box, ErrorKind, SourcePage, Word
from ..text import page_ranges, page_text
from .pixels import neutral_to_grey, require_size

# MuPDF prints its complaints about damaged files on stdout, which would corrupt
# `process --json`; the damage is reported through the exceptions we turn into reasons.
pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)

DEFAULT_DPI = 300
MIN_SIDE_PT = 36          # half an inch: anything smaller is a broken page box, not a document
MIN_TEXT_CHARS = 40
SCANNED_COVER = 0.5       # a page this much covered by images is a scan
INVISIBLE = 3             # PyMuPDF's text trace type of text drawn in render mode 3
SIGNATURE_WIDGET = 6      # pymupdf.PDF_WIDGET_TYPE_SIGNATURE (not in its type stubs)


# Word processors encode spaces as no-break spaces and the hyphen glyph as code 0xAD.
_LAYER_FIXES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u00ad": "-"})


def usable_text(text: str) -> str | None:
    """NFC text if it reads as Latin-script language, None for empty or garbled layers."""
    text = unicodedata.normalize("NFC", text.translate(_LAYER_FIXES))
    letters = [c for c in text if c.isalpha()]
    if len(letters) < MIN_TEXT_CHARS or "\ufffd" in text:
        return None
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return text if latin / len(letters) >= 0.9 else None


def _layer_words(page: pymupdf.Page) -> list[Word]:
    """The text layer's words with their boxes (points, as pixels at 72 DPI)."""
    words = []
    for x0, y0, x1, y1, text, block, line, _ in page.get_text("words"):
        text = unicodedata.normalize("NFC", text.translate(_LAYER_FIXES)).strip()
        if text:
            words.append(Word(text, round(x0), round(y0), max(1, round(x1 - x0)), max(1, round(y1 - y0)),
                              1.0, block * 1000 + line))
    return words


def _inside(word: Word, box: pymupdf.Rect) -> bool:
    cx, cy = word.left + word.width / 2, word.top + word.height / 2
    return box.x0 <= cx <= box.x1 and box.y0 <= cy <= box.y1


def placed_images(page: pymupdf.Page) -> list[tuple[pymupdf.Rect, int]]:
    """Each raster image drawn on the page: where (points) and how many pixels wide. Read from
    one pass over the page's drawing, which does not decode the images (`get_image_rects` hashes
    each one: 0.18 s for a page-sized JPEG)."""
    return [(pymupdf.Rect(info["bbox"]), int(info["width"])) for info in page.get_image_info()]


def image_cover(images: list[tuple[pymupdf.Rect, int]], area: pymupdf.Rect) -> float:
    """The share of the page that raster images cover (their union, on a coarse grid)."""
    grid = np.zeros((64, 64), bool)
    for placed, _ in images:
        rect = placed & area
        if rect.is_empty:
            continue
        x0, x1 = (int(64 * (v - area.x0) / area.width) for v in (rect.x0, rect.x1))
        y0, y1 = (int(64 * (v - area.y0) / area.height) for v in (rect.y0, rect.y1))
        grid[y0:max(y1, y0 + 1), x0:max(x1, x0 + 1)] = True
    return float(grid.mean())


@dataclass
class Layers:
    """What a page shows: its visible text, and the scan under it."""
    visible: list[Word]             # words drawn visibly (boxes in points)
    added_boxes: list[pymupdf.Rect]  # signature appearances and annotations: put on the page by software
    cover: float                    # share of the page under raster images
    dpi: float                      # the scan's resolution as placed (DEFAULT_DPI without one)

    @property
    def scanned(self) -> bool:
        return self.cover >= SCANNED_COVER


def page_layers(page: pymupdf.Page) -> Layers:
    invisible = [pymupdf.Rect(span["bbox"]) for span in page.get_texttrace()
                 if span["type"] == INVISIBLE or span.get("opacity", 1.0) == 0]
    visible = [w for w in _layer_words(page) if not any(_inside(w, box) for box in invisible)]
    added = [w.rect for w in page.widgets(types=[SIGNATURE_WIDGET])] + [a.rect for a in page.annots()]
    images = placed_images(page)
    return Layers(visible, [box for box in added if not box.is_empty], image_cover(images, page.rect),
                  scan_dpi(images, page.rect))


def scan_dpi(images: list[tuple[pymupdf.Rect, int]], area: pymupdf.Rect) -> float:
    """The resolution of the sharpest image over half the page's width, as placed on it."""
    best = max((width / (rect.width / 72) for rect, width in images if rect.width > area.width * 0.5), default=0.0)
    return min(max(best, 150.0), 600.0) if best else DEFAULT_DPI


def _open(data: bytes) -> pymupdf.Document:
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # MuPDF raises its own error types for damaged files
        raise DigitizerError(ErrorKind.TRUNCATED, f"PDF cannot be opened: {exc}") from exc
    if doc.needs_pass:
        raise DigitizerError(ErrorKind.ENCRYPTED_PDF)
    if doc.page_count == 0:
        raise DigitizerError(ErrorKind.NO_PAGES)
    return doc


# What MuPDF says when a page's objects are missing or cut short (it repairs a damaged file's
# cross-reference table and reads on; a page whose content was lost then renders blank).
DAMAGE = ("premature end", "missing", "non-page object", "cannot find", "read error", "truncated",
          "unexpected end", "syntax error", "cannot load")
PROBE_DPI = 8      # drawing a page this small still makes MuPDF load every object it uses


def unreadable_pages(doc: pymupdf.Document) -> list[int]:
    """1-based numbers of the pages of a repaired file that lost their content: the page or
    its drawing cannot be loaded, MuPDF reports missing or cut-short objects while drawing it,
    or nothing is left on it (no image, text or drawing: in a damaged file, a lost page)."""
    unread = []
    try:                     # the page tree's own complaints come with the first page loaded
        doc.load_page(0)
    except Exception:
        pass
    for index in range(doc.page_count):
        pymupdf.TOOLS.reset_mupdf_warnings()
        try:
            page = doc.load_page(index)
            page.get_pixmap(dpi=PROBE_DPI)
            empty = not page.get_images() and not page.get_text("text").strip() and not page.get_drawings()
        except Exception:
            unread.append(index + 1)
            continue
        said = pymupdf.TOOLS.mupdf_warnings().lower()
        if empty or any(word in said for word in DAMAGE):
            unread.append(index + 1)
    pymupdf.TOOLS.reset_mupdf_warnings()
    return unread


def load_pdf(data: bytes, max_pixels: int, max_pages: int,
             damaged: str = "fail") -> tuple[Iterator[SourcePage], list[int]]:
    """The pages (lazily) and the numbers of those a damaged file lost. A file MuPDF had to
    repair (cut short by a copy or a scanner, damaged on disk) whose pages did not all survive
    fails with them named, or (`damaged="partial"`) gives the others: never a document
    silently missing pages, reused as if whole. Checked before any page is read."""
    doc = _open(data)
    if doc.page_count > max_pages:
        raise DigitizerError(ErrorKind.TOO_MANY_PAGES, f"{doc.page_count} pages, limit {max_pages}")
    unread = unreadable_pages(doc) if doc.is_repaired else []
    if unread and (damaged == "fail" or len(unread) == doc.page_count):
        total = doc.page_count
        doc.close()
        raise DigitizerError(ErrorKind.TRUNCATED, f"{len(unread)} of {total} page(s) cannot be read: "
                                                  f"{page_ranges(unread)}")
    return _pages(doc, data, max_pixels, set(unread)), unread


def _pages(doc: pymupdf.Document, data: bytes, max_pixels: int, skip: set[int]) -> Iterator[SourcePage]:
    with doc:
        for index in range(doc.page_count):
            if index + 1 in skip:
                continue
            try:
                page = doc.load_page(index)
            except Exception as exc:  # a damaged page tree: let poppler try the page
                yield _poppler_page(data, index, 595.28, 841.89, exc)
                continue
            yield _load_page(page, data, max_pixels)


def _load_page(page: pymupdf.Page, data: bytes, max_pixels: int) -> SourcePage:
    number = page.number + 1
    width_pt, height_pt = page.rect.width, page.rect.height
    if width_pt < MIN_SIDE_PT or height_pt < MIN_SIDE_PT:
        raise DigitizerError(ErrorKind.TRUNCATED, f"page {number} has no area ({width_pt:.0f}×{height_pt:.0f} pt)")
    try:
        layers = page_layers(page)
        text = None if layers.scanned else usable_text(page_text(layers.visible))
    except Exception as exc:  # MuPDF raises its own error types for damaged objects
        return _poppler_page(data, page.number, width_pt, height_pt, exc)
    if text is not None:
        return SourcePage(number, None, 72.0, width_pt, height_pt, text=text, words=layers.visible)
    dpi = layers.dpi
    if width_pt * height_pt * (dpi / 72) ** 2 > max_pixels:
        raise DigitizerError(ErrorKind.TOO_LARGE, f"page {number} at {dpi:.0f} DPI")
    # A signature's appearance (its stamp, with any image in it) and a reader's note
    # (an annotation) are not the paper's content.
    stamp = [w for w in layers.visible if any(_inside(w, box) for box in layers.added_boxes)]
    overlay = [w for w in layers.visible if w not in stamp]
    hidden: list[Box] = [w.box for w in overlay] + \
             [(box.x0, box.y0, box.x1, box.y1) for box in layers.added_boxes]
    return SourcePage(number, _render(page, data, dpi), dpi, width_pt, height_pt, overlay=overlay, stamp=stamp,
                      hidden=hidden)


def _poppler_page(data: bytes, index: int, width_pt: float, height_pt: float, cause: Exception) -> SourcePage:
    """A page MuPDF could not read, rendered by poppler at the default resolution."""
    return SourcePage(index + 1, neutral_to_grey(_render_with_poppler(data, index, DEFAULT_DPI, cause)),
                      DEFAULT_DPI, width_pt, height_pt)


def _render(page: pymupdf.Page, data: bytes, dpi: float) -> np.ndarray:
    try:
        pix = page.get_pixmap(dpi=round(dpi), colorspace=pymupdf.csRGB, alpha=False)
        rgb = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, 3)
    except Exception as exc:  # MuPDF raises its own error types for damaged objects
        rgb = _render_with_poppler(data, page.number, dpi, exc)
    require_size(rgb.shape[1], rgb.shape[0], page.number + 1)
    return neutral_to_grey(rgb)


def _render_with_poppler(data: bytes, index: int, dpi: float, cause: Exception) -> np.ndarray:
    from pdf2image import convert_from_bytes
    from pdf2image.exceptions import PDFPageCountError, PDFSyntaxError

    try:
        images = convert_from_bytes(data, dpi=round(dpi), first_page=index + 1, last_page=index + 1)
    except (PDFPageCountError, PDFSyntaxError, OSError) as exc:
        raise DigitizerError(ErrorKind.TRUNCATED, f"page {index + 1} cannot be rendered: {cause}") from exc
    if not images:
        raise DigitizerError(ErrorKind.TRUNCATED, f"page {index + 1} cannot be rendered: {cause}")
    rgb = np.asarray(images[0].convert("RGB"))
    require_size(rgb.shape[1], rgb.shape[0], index + 1)
    return rgb
