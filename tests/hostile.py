"""A corpus of hostile and broken inputs, made on the fly (small files), each with the state
and error kind a batch must end it in. `None` as kind: the file must end done."""

from __future__ import annotations

import io
import random
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from typing import Callable

import pymupdf as fitz
import numpy as np
from PIL import Image, ImageOps

from samples.quick import small_page_png


@dataclass
class Case:
    name: str                      # the file name in the batch
    make: Callable[[], bytes]
    kind: str | None               # expected error kind; None: done
    pages: int | None = None       # expected page count when done
    text: bool = True              # done with readable text (False: a page with nothing to read)


def _page() -> Image.Image:
    return Image.open(io.BytesIO(small_page_png(5))).convert("L")


def _save(image: Image.Image, fmt: str, **kw) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **kw)
    return out.getvalue()


def _scanned_pdf() -> bytes:
    doc = fitz.open()
    png = small_page_png(6)
    page = doc.new_page(width=595, height=842)
    page.insert_image(page.rect, stream=png)
    return doc.tobytes()


def _encrypted(method: int, user_pw: str) -> Callable[[], bytes]:
    def make() -> bytes:
        doc = fitz.open("pdf", _scanned_pdf())
        return doc.tobytes(encryption=method, user_pw=user_pw, owner_pw="chu-so-huu")
    return make


def _raw_pdf(page_dict: str, image: tuple[str, bytes] | None = None, catalog_extra: str = "") -> bytes:
    """A hand-written PDF: one page, optionally one image XObject with the given dictionary."""
    objects = [f"<< /Type /Catalog /Pages 2 0 R {catalog_extra}>>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {page_dict} >>"]
    streams: dict[int, bytes] = {}
    if image is not None:
        head, data = image
        objects.append(f"{head} /Length {len(data)} >>")
        streams[len(objects)] = data
        content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
        objects.append(f"<< /Length {len(content)} >>")
        streams[len(objects)] = content
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\n".encode())
        if number in streams:
            out.write(b"stream\n" + streams[number] + b"\nendstream\n")
        out.write(b"endobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _image_page(filter_dict: str, data: bytes, width: int, height: int, bpc: int, colour: str) -> bytes:
    head = (f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /BitsPerComponent {bpc} "
            f"/ColorSpace /{colour} {filter_dict}")
    return _raw_pdf("/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R", (head, data))


def _bilevel() -> tuple[Image.Image, bytes]:
    """The page in 1 bit and its CCITT G4 (MMR) code, taken from the strip of a G4 TIFF.
    Fax codes count 0 bits as white, so the paper is written as 0 (the image inverted)."""
    page = ImageOps.invert(_page()).point(lambda v: 255 if v > 128 else 0).convert("1")
    raw = _save(page, "TIFF", compression="group4")
    tiff = Image.open(io.BytesIO(raw))
    return page, b"".join(raw[o:o + c] for o, c in zip(tiff.tag_v2[273], tiff.tag_v2[279]))


def _g4_pdf() -> bytes:
    page, mmr = _bilevel()
    params = f"/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns {page.width} /Rows {page.height} >>"
    return _image_page(params, mmr, page.width, page.height, 1, "DeviceGray")


def _jbig2_pdf() -> bytes:
    """JBIG2 as PDFs embed it (no file header): a page information segment and one
    immediate generic region coded with MMR, which is the G4 code above (no encoder needed)."""
    page, mmr = _bilevel()
    width, height = page.size

    def segment(number: int, kind: int, data: bytes) -> bytes:
        return struct.pack(">IBBBI", number, kind, 0, 1, len(data)) + data     # page 1, no references

    page_info = struct.pack(">IIIIBH", width, height, 0, 0, 0, 0)
    region = struct.pack(">IIIIB", width, height, 0, 0, 0) + bytes([1]) + mmr   # flags: MMR
    stream = segment(0, 48, page_info) + segment(1, 38, region) + segment(2, 49, b"")
    return _image_page("/Filter /JBIG2Decode", stream, width, height, 1, "DeviceGray")


def _jpx_pdf() -> bytes:
    image = _page()
    return _image_page("/Filter /JPXDecode", _save(image, "JPEG2000"), image.width, image.height, 8, "DeviceGray")


def _no_contents_pdf() -> bytes:
    return _raw_pdf("")


def _xfa_pdf() -> bytes:
    xfa = "<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><template/></xdp:xdp>"
    return _raw_pdf("", catalog_extra=f"/AcroForm << /Fields [] /XFA ({xfa}) /NeedsRendering true >> ")


def _born_digital(pages: int) -> Callable[[], bytes]:
    def make() -> bytes:
        doc = fitz.open()
        for n in range(pages):
            page = doc.new_page(width=595, height=842)
            for line in range(6):
                page.insert_text((72, 100 + 20 * line), f"Trang {n + 1}, dong {line}: Thong bao so {n}/TB-UBND "
                                 "ve viec cap ban sao giay khai sinh", fontsize=11)
        return doc.tobytes(garbage=3, deflate=True)
    return make


def _bomb_png(width: int, height: int) -> bytes:
    """A PNG header claiming width x height pixels over a few bytes of data."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff" * 64))
            + chunk(b"IEND", b""))


def _real_huge_png() -> bytes:
    """30000 x 30000 white pixels, 1 bit deep: 112 MB decoded, 100 KB on disk."""
    return _save(Image.new("1", (30000, 30000), 1), "PNG")


def _mode(mode: str, fmt: str = "PNG", **kw) -> Callable[[], bytes]:
    def make() -> bytes:
        page = _page()
        if mode == "I;16":
            image = Image.fromarray(np.asarray(page).astype(np.uint16) * 257)
        elif mode == "RGBA":
            image = page.convert("RGBA")
            image.putalpha(Image.eval(page, lambda v: 255 - v // 2))
        else:
            image = page.convert(mode)
        return _save(image, fmt, **kw)
    return make


def _no_dpi() -> bytes:
    page = _page()
    page.info.pop("dpi", None)
    return _save(page, "PNG")


def _mixed_tiff() -> bytes:
    first = _page()
    second = first.resize((first.width // 2, first.height // 2)).rotate(90, expand=True)
    out = io.BytesIO()
    first.save(out, "TIFF", save_all=True, append_images=[second], compression="tiff_lzw")
    return out.getvalue()


def _truncated_pdf() -> bytes:
    data = _scanned_pdf()
    return data[: len(data) // 3]


CASES = [
    Case("empty.pdf", lambda: b"", "empty_file"),
    Case("truncated.pdf", _truncated_pdf, "truncated"),
    Case("header-only.pdf", lambda: b"%PDF-1.7\n", "truncated"),
    Case("png-named.pdf", lambda: small_page_png(7), None, 1),
    Case("random.tiff", lambda: random.Random(8).randbytes(4096), "unsupported_format"),
    Case("rc4-user-password.pdf", _encrypted(fitz.PDF_ENCRYPT_RC4_128, "mat-khau"), "encrypted_pdf"),
    Case("aes-user-password.pdf", _encrypted(fitz.PDF_ENCRYPT_AES_256, "mat-khau"), "encrypted_pdf"),
    Case("aes-owner-only.pdf", _encrypted(fitz.PDF_ENCRYPT_AES_128, ""), None, 1),
    Case("xfa-form.pdf", _xfa_pdf, None, 1, text=False),
    Case("no-content-stream.pdf", _no_contents_pdf, None, 1, text=False),
    Case("huge-30000px.png", _real_huge_png, "too_large"),
    Case("bomb.png", lambda: _bomb_png(200_000, 200_000), "too_large"),
    Case("alpha.png", _mode("RGBA"), None, 1),
    Case("palette.png", _mode("P"), None, 1),
    Case("cmyk.jpg", _mode("CMYK", "JPEG"), None, 1),
    Case("16-bit.png", _mode("I;16"), None, 1),
    Case("no-dpi.png", _no_dpi, None, 1),
    Case("dpi-1.png", _mode("L", dpi=(1, 1)), None, 1),
    Case("dpi-10000.png", _mode("L", dpi=(10000, 10000)), None, 1),
    Case("ccitt-g4.pdf", _g4_pdf, None, 1),
    Case("jbig2.pdf", _jbig2_pdf, None, 1),
    Case("jpeg2000.pdf", _jpx_pdf, None, 1),
    Case("blank.png", lambda: _save(Image.new("L", (1240, 1754), 255), "PNG", dpi=(150, 150)), None, 1, text=False),
    Case("born-digital-300-pages.pdf", _born_digital(300), None, 300),
    Case("mixed-sizes.tiff", _mixed_tiff, None, 2),
    Case(unicodedata.normalize("NFD", "Đơn đề nghị cấp bản sao.png"), lambda: small_page_png(8), None, 1),
]
