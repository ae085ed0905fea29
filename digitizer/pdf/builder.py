"""Assemble the output PDF: scanned pages as image + text layer; text pages copied as they are."""

from __future__ import annotations

import pymupdf

from ..errors import DigitizerError

from ..model import ErrorKind, PageResult
from .textlayer import FONT_FILE, TO_UNICODE, content_stream

FONT_NAME = "FGlyphless"


def _add_font(doc: pymupdf.Document) -> int:
    """The glyphless Type0 font, once per document; returns its xref."""
    def stream(data: bytes, extra: str = "") -> int:
        xref = doc.get_new_xref()
        doc.update_object(xref, f"<<{extra}>>")
        doc.update_stream(xref, data)
        return xref

    font_file = stream(FONT_FILE.read_bytes())
    cid_to_gid = stream(b"\x00\x01" * 65536)          # every code shows glyph 1
    to_unicode = stream(TO_UNICODE)
    descriptor = doc.get_new_xref()
    doc.update_object(descriptor, (
        "<</Type/FontDescriptor/FontName/GlyphLessFont/Flags 5/FontBBox[0 0 500 1000]"
        f"/ItalicAngle 0/Ascent 1000/Descent -1/CapHeight 1000/StemV 80/FontFile2 {font_file} 0 R>>"))
    cid_font = doc.get_new_xref()
    doc.update_object(cid_font, (
        "<</Type/Font/Subtype/CIDFontType2/BaseFont/GlyphLessFont"
        "/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>"
        f"/FontDescriptor {descriptor} 0 R/DW 500/CIDToGIDMap {cid_to_gid} 0 R>>"))
    font = doc.get_new_xref()
    doc.update_object(font, (
        "<</Type/Font/Subtype/Type0/BaseFont/GlyphLessFont/Encoding/Identity-H"
        f"/DescendantFonts[{cid_font} 0 R]/ToUnicode {to_unicode} 0 R>>"))
    return font


def _append_text(doc: pymupdf.Document, page: pymupdf.Page, font_xref: int, stream: bytes) -> None:
    kind, value = doc.xref_get_key(page.xref, "Resources")
    if kind == "xref":     # PyMuPDF may keep the resources in an object of their own
        doc.xref_set_key(int(value.split()[0]), f"Font/{FONT_NAME}", f"{font_xref} 0 R")
    else:
        doc.xref_set_key(page.xref, f"Resources/Font/{FONT_NAME}", f"{font_xref} 0 R")
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    doc.update_stream(xref, stream)
    existing = " ".join(f"{x} 0 R" for x in page.get_contents())
    doc.xref_set_key(page.xref, "Contents", f"[{existing} {xref} 0 R]")


def _copy_page(out: pymupdf.Document, source: pymupdf.Document, number: int) -> pymupdf.Document:
    """Copy page `number` of `source`; a damaged cross-reference table that MuPDF could
    read around but not copy from is rebuilt once (garbage collection renumbers the
    objects). Returns the source to go on with."""
    try:
        out.insert_pdf(source, from_page=number - 1, to_page=number - 1)
        return source
    except RuntimeError:
        repaired = pymupdf.open(stream=source.tobytes(garbage=4), filetype="pdf")
        source.close()
    try:
        out.insert_pdf(repaired, from_page=number - 1, to_page=number - 1)
    except RuntimeError as exc:
        raise DigitizerError(ErrorKind.TRUNCATED, f"page {number} cannot be copied: {exc}") from exc
    return repaired


def build_pdf(pages: list[PageResult], original_pdf: bytes | None = None) -> bytes:
    """The searchable PDF. Text-layer pages are copied from `original_pdf` unchanged."""
    out = pymupdf.open()
    source = pymupdf.open(stream=original_pdf, filetype="pdf") if original_pdf else None
    font_xref = 0
    for result in pages:
        if result.image is None:
            assert source is not None, "a text-layer page needs its original PDF"
            source = _copy_page(out, source, result.number)
            continue
        page = out.new_page(width=result.width_pt, height=result.height_pt)
        page.insert_image(page.rect, stream=result.image)
        # The words read (boxes in reading pixels), and the text the file laid over the scan (points).
        for words, px_to_pt in ((result.words, 72 / result.word_dpi), (result.overlay, 1.0)):
            if words:
                font_xref = font_xref or _add_font(out)
                _append_text(out, page, font_xref, content_stream(words, px_to_pt, result.height_pt, FONT_NAME))
    out.set_metadata({"producer": "digitizer", "creator": "digitizer"})
    data = out.tobytes(garbage=3, deflate=True)
    if source is not None:
        source.close()
    return data

