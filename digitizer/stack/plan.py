"""Where the documents of a scanned stack begin and end, and which dossier each is filed in.

Read in page order:
- a separator sheet ends the document in hand; a dossier sheet ends it and starts its dossier;
- a reception slip (phiếu tiếp nhận hồ sơ, with its Mã hồ sơ printed or in a barcode) starts
  a new dossier named by that code, with the slip as its first document;
- without sheets, a page that opens a document (the national motto in its header and a document's type,
  or a form's title at the top) starts a new one (`by_content`, configurable off);
- blank pages are dropped from the documents (the original keeps them) and listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..config import SplitSettings
from ..extract import opening_fields
from ..model import BlockKind, Field, PageResult, SheetInfo
from .sheets import PREFIX, sheet_of

SLIP = "Phiếu tiếp nhận hồ sơ"
TITLE_TOP = 0.45          # a title that opens a document is in the top part of its page
TITLED = 0.8              # above this, extract read the type from a printed title (from a number: 0.75 at most)
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-_/]{4,40}$")   # a dossier code as a barcode carries it


@dataclass
class Part:
    """A document found in the stack: its pages (blank ones still in), its dossier, and why it began."""
    pages: list[PageResult]
    dossier: str | None
    opened_by: str


@dataclass
class Split:
    parts: list[Part] = field(default_factory=list)
    sheets: list[SheetInfo] = field(default_factory=list)
    blank: list[int] = field(default_factory=list)       # dropped: no document keeps them


def _printed(pages: list[PageResult]) -> bool:
    return any(not p.blank for p in pages)


def kept_pages(part: Part) -> list[PageResult]:
    """The pages a document keeps: all but the blank ones (all of them if every one is blank)."""
    return [p for p in part.pages if not p.blank] if _printed(part.pages) else part.pages


def dropped_pages(part: Part) -> list[int]:
    """The numbers of the blank pages a document leaves out."""
    return [p.number for p in part.pages if p.blank] if _printed(part.pages) else []


def plan(pages: list[PageResult], settings: SplitSettings, dossier: str | None) -> Split:
    split = Split()
    current: list[PageResult] = []
    opened_by = "first page"

    def close(next_reason: str) -> None:
        nonlocal current, opened_by
        if _printed(current):
            split.parts.append(Part(current, part_dossier, opened_by))
        else:
            split.blank.extend(p.number for p in current)
        current, opened_by = [], next_reason

    part_dossier = dossier
    for page in pages:
        if page.sheet:
            sheet = sheet_of(page.codes)
            assert sheet is not None
            close(f"{sheet.kind} sheet")
            split.sheets.append(SheetInfo(page.number, sheet.kind, sheet.dossier))
            if sheet.dossier:
                part_dossier = sheet.dossier
            continue
        if page.blank:
            current.append(page)
            continue
        if not (settings.slips or settings.by_content):
            current.append(page)
            continue
        doc_type, dossier_code = opening_fields(page)
        code = slip_code(page, doc_type, dossier_code) if settings.slips else None
        if code is not None:
            close("reception slip")
            part_dossier = code
        elif settings.by_content and _printed(current) and opens_document(page, doc_type):
            close("document start")
        current.append(page)
    close("")
    if not split.parts and split.blank:       # nothing but blank pages: a blank document, kept
        blank = [p for p in pages if p.blank]
        split.parts.append(Part(blank, part_dossier, "first page"))
        split.blank = []
    for part in split.parts:
        split.blank.extend(dropped_pages(part))
    split.blank.sort()
    return split


def opens_document(page: PageResult, doc_type: Field | None) -> bool:
    """The national motto in the header and a document's type, or a form's title at the top."""
    if doc_type is None:
        return False
    if any(block.kind == BlockKind.MOTTO for block in page.blocks):
        return True
    return doc_type.confidence >= TITLED and doc_type.bbox is not None and doc_type.bbox[1] < TITLE_TOP * page.height_pt


def slip_code(page: PageResult, doc_type: Field | None, printed: Field | None) -> str | None:
    """The dossier a reception slip starts: the code in its barcode, else its printed Mã hồ sơ."""
    if doc_type is None or doc_type.value != SLIP or doc_type.confidence < TITLED:
        return None
    for code in page.codes:
        text = code.text.strip()
        if CODE.match(text) and not text.upper().startswith(PREFIX):
            return text
    return printed.value if printed is not None else None
