"""A stack from the sheet feeder: documents of several dossiers in one file, as scanning staff
make it, with its ground truth (which pages make which document, in which dossier).

    from samples.stack import stack
    s = stack(documents=20, dossiers=5, seed=1)           # dossier and separator sheets, duplex
    s = stack(documents=20, dossiers=5, seed=1, sheets=False)   # only the reception slips
    s.data, s.truth["documents"], s.truth["blank"]

Each dossier opens with its reception slip (half of them carry the Mã hồ sơ in a QR code too);
its other documents are of both sample families, some of two pages. Duplex: a one-page
document or sheet has a blank back (scanner noise, sometimes the front showing through);
a two-page document's second page is its back. Pages are degraded by kinds a feeder gives:
clean, mild, fax-like 1-bit, a quarter turn.
"""

from __future__ import annotations

import random

import cv2
import numpy as np
import pymupdf
import zxingcpp

from digitizer.stack.sheets import sheet_pdf

from . import Sample
from .content import DocumentSpec, KINDS, continuation, make_document
from .degrade import Scan, apply
from .encode import encode
from .independent import KINDS as INDEPENDENT_KINDS
from .layout import MM, PageLayout, layout
from .render import rasterize, to_px

SLIPS = ["phieu_tiep_nhan", "bien_nhan"]
OTHERS = sorted(k for k in {**KINDS, **INDEPENDENT_KINDS} if k not in SLIPS)
PAGE_KINDS = ["clean", "mild", "mild", "fax", "rotated"]
TWO_PAGES = 0.3            # share of documents with a second page
EMPTY = layout(DocumentSpec("blank", [], [], [], [], [], {}))


def make(kind: str, rng: random.Random) -> DocumentSpec:
    return INDEPENDENT_KINDS[kind](rng) if kind in INDEPENDENT_KINDS else make_document(kind, rng)


def with_qr(image: np.ndarray, page: PageLayout, text: str) -> np.ndarray:
    """The slip's code as a QR code, 22 mm wide, left of the signature (where portals print it)."""
    modules = np.asarray(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode).to_image(scale=1))
    side = to_px(22 * MM, 300)
    qr = cv2.resize(modules, (side, side), interpolation=cv2.INTER_NEAREST)
    x, y = to_px(30 * MM, 300), to_px(page.signature_box[1], 300)
    out = image.copy()
    out[y:y + side, x:x + side] = qr
    return out


def sheet_image(kind: str, code: str | None) -> np.ndarray:
    page = pymupdf.open(stream=sheet_pdf(kind, code), filetype="pdf").load_page(0)
    pix = page.get_pixmap(dpi=300, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w).copy()


def blank_back(front: np.ndarray, show_through: float) -> np.ndarray:
    """A blank back; with `show_through` > 0, the front's print faintly through the paper, mirrored."""
    back = rasterize(EMPTY)
    if show_through > 0 and front.shape == back.shape:
        through = cv2.GaussianBlur(255 - front[:, ::-1].astype(np.float32), (0, 0), 1.5) * show_through
        back = (255 - through).astype(np.uint8)
    return back


def stack(documents: int = 20, dossiers: int = 5, seed: int = 0, sheets: bool = True, duplex: bool = True,
          fmt: str = "pdf") -> Sample:
    rng = random.Random(f"stack/{seed}")
    scans: list[Scan] = []
    truth: dict = {"documents": [], "blank": [], "sheets": [], "dossiers": []}

    def add(image: np.ndarray, kind: str) -> int:
        scans.append(apply(kind, image, EMPTY, rng))
        return len(scans)

    def add_back(front: np.ndarray) -> None:
        if duplex:
            through = rng.uniform(0.08, 0.2) if rng.random() < 0.5 else 0.0
            truth["blank"].append(add(blank_back(front, through), rng.choice(["clean", "mild", "fax"])))

    per = [documents // dossiers + (i < documents % dossiers) for i in range(dossiers)]
    for d, count in enumerate(per):
        slip = make(SLIPS[d % 2], rng)
        code = slip.fields["dossier_code"]
        truth["dossiers"].append(code)
        if sheets:
            image = sheet_image("dossier", code)
            truth["sheets"].append({"page": add(image, rng.choice(PAGE_KINDS)), "kind": "dossier", "dossier": code})
            add_back(image)
        for j in range(count):
            if sheets and j > 0:
                image = sheet_image("separator", None)
                truth["sheets"].append({"page": add(image, rng.choice(PAGE_KINDS)), "kind": "separator"})
                add_back(image)
            spec = slip if j == 0 else make(rng.choice(OTHERS), rng)
            first = layout(spec, rng.choice(["tinos", "liberation", "noto"]))
            image = rasterize(first)
            if j == 0 and d % 4 < 2:
                image = with_qr(image, first, code)
            kind = rng.choice(PAGE_KINDS)
            pages = [add(image, kind)]
            if rng.random() < TWO_PAGES:
                pages.append(add(rasterize(layout(continuation(spec.kind, rng))), kind))
            else:
                add_back(image)
            truth["documents"].append({"pages": pages, "dossier": code, "kind": spec.kind, "fields": spec.fields})
    truth["pages"] = len(scans)
    ext = {"pdf": "pdf", "tiff-g4": "tif", "tiff-lzw": "tif"}[fmt]
    name = f"stack-{documents}x{dossiers}-{'sheets' if sheets else 'slips'}-{seed:04d}.{ext}"
    return Sample(name, encode(scans, fmt), truth, scans)
