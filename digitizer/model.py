"""The plain data that travels between stages, and the record of design §3."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

SCHEMA = 7          # 7: `source.unread_pages` (a damaged PDF stored with the pages that could be read);
                    # 6: `stored_pdf` (the stored PDF's PDF/A level and the centre's signature on it);
                    # 5: a field's `hand` (its value is handwritten: a person types it from the crop at `bbox`);
                    # 4: a field's `block` (the page layout's block it was read from);
                    # 3: stacks (`documents`, `sheets`, `blank_pages`, `source.stack`/`pages`), clerks'
                    # corrections (`original`, `verified`; the revisions are objects of their own);
                    # 2: `signatures`, and a page's `layer_text`; older records read as they are

Box = tuple[float, float, float, float]      # x0, y0, x1, y1


@dataclass(frozen=True)
class Doubt:
    """Another reading Tesseract weighed for a word: the word with one character read otherwise."""
    text: str
    odds: float                  # Tesseract's confidence in that character over the one it chose


class BlockKind(StrEnum):
    """The blocks of a page as Decree 30/2020 lays it out (digitizer.layout finds them)."""
    ISSUER = "issuer"              # header, left: the issuing body under its parent, the number
    MOTTO = "motto"                # header, right: the national motto
    DATE = "date"                  # header, right, under the motto: place and date
    TITLE = "title"                # the document's type, in capitals (QUYẾT ĐỊNH, ĐƠN ĐỀ NGHỊ …)
    SUBJECT = "subject"            # trích yếu: under the title on its centre, or "V/v …" under the number
    AUTHORITY = "authority"        # a decision's office holder under the subject (CHỦ TỊCH ỦY BAN …)
    ROW = "row"                    # a form's label and value ("Họ và tên: …"), or a letter's "Kính gửi:"
    BODY = "body"
    RECIPIENTS = "recipients"      # Nơi nhận, below the body on the left
    SIGNER = "signer"              # below the body on the right: authority prefix, title, name
    MARKS = "marks"                # not printed text: a seal's or stamp's scrawl, a signature, specks


@dataclass
class Block:
    """Lines of one page that make one block; a line is a line id of the page's words."""
    kind: str                      # a BlockKind value
    lines: list[int]


@dataclass
class Word:
    """One recognised word; the box is in pixels of the upright, deskewed page image."""
    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float            # 0..1
    line: int                    # words with the same line id share a baseline
    doubts: tuple[Doubt, ...] = ()  # other readings Tesseract weighed, each one character different

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (self.left, self.top, self.left + self.width, self.top + self.height)


@dataclass
class SourcePage:
    """A page as loaded from the input file, before any cleanup."""
    number: int                          # 1-based
    image: np.ndarray | None             # uint8 greyscale (H, W) or RGB (H, W, 3); None for text pages
    dpi: float
    width_pt: float
    height_pt: float
    text: str | None = None              # a usable born-digital text layer, NFC
    dpi_inferred: bool = False           # `dpi` is a first guess: the cleanup measures the text
    dpi_declared: bool = False           # ... the file's own (a screen default), kept if the text agrees
    words: list[Word] = field(default_factory=list)   # of the text layer, boxes in points
    # On a scanned page, visible text laid over the scan, kept exactly (boxes in points):
    # `overlay` is content (a page number added by software); `stamp` was put on the page by
    # software and is not the paper's (a digital signature's appearance: signer, agency,
    # time; a reader's note in an annotation). `hidden`: regions (points) OCR must not read.
    overlay: list[Word] = field(default_factory=list)
    stamp: list[Word] = field(default_factory=list)
    hidden: list[Box] = field(default_factory=list)


@dataclass
class Code:
    """A barcode or QR code read on a page; the box is in points on the page as loaded."""
    text: str
    kind: str                             # "QR Code", "Code 128", ...
    box: tuple[float, float, float, float]


@dataclass
class PageResult:
    """A page after cleanup and OCR (or text-layer extraction)."""
    number: int
    width_pt: float
    height_pt: float
    dpi: float
    rotated: int                          # clockwise quarter turn that made the page upright
    skew_deg: float
    ocr: str                              # "tesseract" | "text-layer"
    confidence: float
    text: str
    words: list[Word] = field(default_factory=list)
    word_dpi: float = 300.0               # resolution of the image the word boxes refer to
    image: bytes | None = None            # encoded display image for the PDF (None for text pages)
    seconds: dict[str, float] = field(default_factory=dict)
    overlay: list[Word] = field(default_factory=list)   # the source's visible text over the scan, in points
    layer_text: str = ""                  # that text as the file carried it
    checked: str = ""                     # what the OCR guard compared, when it ran ("kept cleaned" …)
    codes: list[Code] = field(default_factory=list)    # barcodes and QR codes on the page
    blank: bool = False                   # no print of its own (a duplex back): not read
    sheet: bool = False                   # a separator or dossier sheet: neither read nor kept
    blocks: list[Block] = field(default_factory=list)  # the page's layout (lines not in one are body)
    hand: list[Box] = field(default_factory=list)       # handwriting (pen ink, a scrawled value), word-box px

    def facts(self) -> dict[str, Any]:
        facts = {"number": self.number, "width_pt": round(self.width_pt, 1),
                 "height_pt": round(self.height_pt, 1), "dpi": round(self.dpi),
                 "rotated": self.rotated, "skew_deg": round(self.skew_deg, 2), "ocr": self.ocr,
                 "confidence": round(self.confidence, 3)}
        if self.layer_text:
            facts["layer_text"] = self.layer_text
        if self.checked:
            facts["checked"] = self.checked
        if self.codes:
            facts["codes"] = [{"text": c.text, "kind": c.kind} for c in self.codes]
        if self.blank:
            facts["blank"] = True
        if self.hand:
            facts["handwriting"] = len(self.hand)
        return facts


@dataclass
class Field:
    value: str
    confidence: float
    page: int | None = None
    bbox: list[float] | None = None      # x0, y0, x1, y1 in PDF points
    block: str | None = None             # the layout block it was read from (a BlockKind value)
    hand: bool = False                   # handwritten: no value is read; a person types it from the crop at bbox


@dataclass
class SignatureInfo:
    """A digital signature the input PDF carries (read, not trusted: no national root is configured)."""
    field: str                      # the signature field's name
    signer: str                     # the certificate's common name
    organization: str | None
    signed_at: str | None           # the time the signer's software reported, ISO 8601
    intact: bool                    # the signed bytes are unchanged
    valid: bool                     # intact, and the signature verifies with the certificate's key
    covers: str                     # "whole file" | "earlier revision" (changes were added after signing)
    modified_after: str | None = None   # what those later changes were allowed to be (pyHanko's level)
    timestamp: str | None = None        # a timestamp authority's time on the signature (PAdES B-T), ISO 8601


@dataclass
class StoredPdf:
    """What the stored searchable PDF is: its PDF/A level and the centre's signature on it."""
    pdfa: str | None = None                      # "2u" | "2b"; None: not PDF/A, `problems` say why
    problems: list[str] = field(default_factory=list)
    signature: SignatureInfo | None = None       # the centre's, read back from the signed bytes

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoredPdf:
        signature = data.get("signature")
        return cls(data.get("pdfa"), data.get("problems", []), SignatureInfo(**signature) if signature else None)


class ErrorKind(StrEnum):
    """Why a document could not be processed; errors.REASONS says it for a clerk, and whether
    trying again later may help."""
    EMPTY_FILE = "empty_file"
    UNSUPPORTED_FORMAT = "unsupported_format"
    ENCRYPTED_PDF = "encrypted_pdf"
    TRUNCATED = "truncated"
    NO_PAGES = "no_pages"
    TOO_MANY_PAGES = "too_many_pages"
    TOO_LARGE = "too_large"
    OCR_FAILED = "ocr_failed"
    OCR_TIMEOUT = "ocr_timeout"
    STORAGE_UNAVAILABLE = "storage_unavailable"
    DISK_FULL = "disk_full"
    WORKER_DIED = "worker_died"
    VANISHED = "vanished"
    SIGNING_UNAVAILABLE = "signing_unavailable"
    INTERNAL = "internal"


@dataclass
class ErrorInfo:
    kind: str                 # an ErrorKind value (plain text in the record JSON)
    message: str              # for a clerk: what is wrong and what to do
    transient: bool = False


@dataclass
class SourceInfo:
    name: str
    size: int
    media_type: str
    dossier: str | None = None
    received_at: str | None = None
    stack: str | None = None          # a document split from a stack: the stack file's id
    pages: list[int] | None = None    # the source file's pages this document holds, when not all of them
    unread_pages: list[int] | None = None   # pages of a damaged file that could not be read (limits.damaged_pdf)


@dataclass
class Revision:
    """One change a clerk made to a document's values, kept for good (design §3, issue 15)."""
    at: str                           # ISO 8601, local time
    user: str
    field: str                        # a field's name, "doc_type", or "verified"
    old: str | None
    new: str | None


@dataclass
class SheetInfo:
    """A separator or dossier sheet found in the input (design §5, `digitizer sheet`)."""
    page: int
    kind: str                         # "separator" | "dossier"
    dossier: str | None = None


@dataclass
class PartInfo:
    """One document found in a stack: its record, the stack's pages it holds, its dossier, and
    what started it ("first page", "separator sheet", "dossier sheet", "reception slip", "document start")."""
    id: str
    pages: list[int]
    dossier: str | None = None
    started_by: str = ""


@dataclass
class Record:
    id: str
    source: SourceInfo
    status: str = "done"                                  # done | failed
    error: ErrorInfo | None = None
    pages: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""
    doc_type: Field | None = None
    fields: dict[str, Field] = field(default_factory=dict)
    objects: dict[str, str] = field(default_factory=dict)
    pipeline: dict[str, Any] = field(default_factory=dict)
    signatures: list[SignatureInfo] = field(default_factory=list)
    blank_pages: list[int] = field(default_factory=list)    # source pages dropped as blank (duplex backs)
    sheets: list[SheetInfo] = field(default_factory=list)   # separator and dossier sheets (not kept)
    documents: list[PartInfo] = field(default_factory=list)  # a stack: the documents it was split into
    original: dict[str, str | None] = field(default_factory=dict)  # what OCR read, for each value a clerk changed
    verified: dict[str, str] | None = None                  # {"by": user, "at": time}: checked by a person
    stored_pdf: StoredPdf = field(default_factory=StoredPdf)
    schema: int = SCHEMA

    @property
    def is_stack(self) -> bool:
        """The record of a file split into several documents: its documents are what is searched."""
        return bool(self.documents)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        order = ["id", "schema", "status", "error", "source", "pages", "text", "doc_type",
                 "fields", "original", "verified", "signatures", "blank_pages", "sheets", "documents", "objects",
                 "stored_pdf", "pipeline"]
        return {key: data[key] for key in order}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        error = ErrorInfo(**data["error"]) if data.get("error") else None
        doc_type = Field(**data["doc_type"]) if data.get("doc_type") else None
        return cls(id=data["id"], source=SourceInfo(**data["source"]), status=data["status"], error=error,
                   pages=data.get("pages", []), text=data.get("text", ""), doc_type=doc_type,
                   fields={k: Field(**v) for k, v in data.get("fields", {}).items()},
                   objects=data.get("objects", {}), pipeline=data.get("pipeline", {}),
                   signatures=[SignatureInfo(**s) for s in data.get("signatures", [])],
                   blank_pages=data.get("blank_pages", []),
                   sheets=[SheetInfo(**s) for s in data.get("sheets", [])],
                   documents=[PartInfo(**d) for d in data.get("documents", [])],
                   original=data.get("original", {}), verified=data.get("verified"),
                   stored_pdf=StoredPdf.from_dict(data.get("stored_pdf", {})),
                   schema=data.get("schema", SCHEMA))


@dataclass
class Outcome:
    """A processed document: the record, and the artifacts to store beside it (None if failed)."""
    record: Record
    pdf: bytes | None = None
    text: str | None = None
    parts: list[Outcome] = field(default_factory=list)   # a stack: its documents, each stored on its own


# The file types intake reads, and the extension each is stored under (design §4).
EXTENSIONS = {"application/pdf": "pdf", "image/tiff": "tif", "image/jpeg": "jpg", "image/png": "png"}
