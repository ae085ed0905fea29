"""A document: its page, downloads, page images and crops, its record and corrections."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated
from urllib.parse import quote

import pymupdf
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...model import Record
from ...signing.verify import Verdict, verify_pdf
from ...storage import load_record, revise, revisions_of
from ...storage.index import LOW_CONFIDENCE
from ...storage.revisions import current
from ...text import fold
from ..corrections import KNOWN_TYPES, Correction, normalised, problems
from ..formats import FIELD_LABELS, download_name
from ..site import IndexDep, RecordDep, Site, SiteDep, requires

router = APIRouter(dependencies=[Depends(requires("clerk"))])
THUMBNAIL_DPI = 40   # a page among the document's thumbnails
CROP_DPI = 150       # a handwritten value shown to be typed in: legible, a few KB
CROP_MARGIN = 6      # points around the value's box: strokes reach past it


def _stored_seal(site: Site, record: Record) -> Verdict | None:
    """The centre's signature on the stored PDF, checked now against its bytes."""
    if record.stored_pdf.signature is None or "pdf" not in record.objects:
        return None
    return verify_pdf(site.store.get(record.objects["pdf"]))


@router.get("/doc/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
def document_page(request: Request, site: SiteDep, record: RecordDep,
                  back: str = Query("", max_length=2000)) -> HTMLResponse:
    site.seen(request, [record.id], doc_id=record.id)
    revisions = revisions_of(site.store, record.id)
    return site.page(request, "document.html", {
        "back": back, "seal": _stored_seal(site, record), "r": record,
        "labels": {**FIELD_LABELS, "doc_type": "Loại văn bản", "verified": "Kiểm tra"},
        "pages": record.text.split("\f"), "editable": [("doc_type", "Loại văn bản"), *FIELD_LABELS.items()],
        "current": lambda name: current(record, name), "revisions": revisions,
        "changed": {v.field: v for v in revisions if v.field != "verified"}, "known_types": KNOWN_TYPES,
        "review_below": LOW_CONFIDENCE})


def _download(site: Site, record: Record, kind: str, inline: bool) -> Response:
    key = record.objects.get(kind)
    if key is None:
        raise HTTPException(404, "Không có tệp này / No such file")
    url = site.store.download_url(key, site.settings.web.link_seconds)
    if url is not None:
        return RedirectResponse(url, status_code=307)
    media = "application/pdf" if kind == "pdf" else record.source.media_type
    name = f"{download_name(record)}.{key.rsplit('.', 1)[-1]}"
    ascii_name = fold(name).encode("ascii", "replace").decode().replace("?", "_")
    disposition = "inline" if inline else "attachment"
    return Response(site.store.get(key), media_type=media, headers={
        "Content-Disposition": f'{disposition}; filename="{ascii_name}"; filename*=UTF-8\'\'{quote(name)}'})


@router.get("/doc/{doc_id}/pdf", summary="The searchable PDF (inline, or ?download=1)")
def pdf(request: Request, site: SiteDep, record: RecordDep,
        download_: Annotated[bool, Query(alias="download")] = False) -> Response:
    site.seen(request, [record.id], doc_id=record.id)
    return _download(site, record, "pdf", inline=not download_)


@router.get("/doc/{doc_id}/original", summary="The file as it was received")
def original(request: Request, site: SiteDep, record: RecordDep) -> Response:
    site.seen(request, [record.id], doc_id=record.id)
    return _download(site, record, "original", inline=False)


def _page_png(site: Site, record: Record, number: int, dpi: int, box: list[float] | None = None) -> Response:
    """Page `number` of the stored PDF as a PNG, or the part of it around `box` (points)."""
    with pymupdf.open(stream=site.store.get(record.objects["pdf"]), filetype="pdf") as doc:
        if not 1 <= number <= doc.page_count:
            raise HTTPException(404, "Không có trang này / No such page")
        page = doc[number - 1]
        clip = None
        if box is not None:
            x0, y0, x1, y1 = box
            clip = pymupdf.Rect(x0 - CROP_MARGIN, y0 - CROP_MARGIN, x1 + CROP_MARGIN, y1 + CROP_MARGIN) & page.rect
        png = page.get_pixmap(dpi=dpi, clip=clip).tobytes("png")
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


# Page images and crops are parts of the document's page, whose view is logged once.
@router.get("/doc/{doc_id}/page/{number}.png", summary="A page thumbnail")
def thumbnail(site: SiteDep, record: RecordDep, number: int) -> Response:
    return _page_png(site, record, number, THUMBNAIL_DPI)


@router.get("/doc/{doc_id}/field/{name}.png", summary="Where a value was read (a handwritten one: to type it from)")
def field_crop(site: SiteDep, record: RecordDep, name: str) -> Response:
    found = record.fields.get(name)
    if found is None or found.page is None or found.bbox is None:
        raise HTTPException(404, "Không có vùng đọc của thông tin này / No region for this field")
    return _page_png(site, record, found.page, CROP_DPI, found.bbox)


@router.get("/api/documents/{doc_id}", summary="A document's record (design §3)")
def api_document(request: Request, site: SiteDep, record: RecordDep) -> dict:
    site.seen(request, [record.id], doc_id=record.id)
    return record.to_dict()


@router.patch("/api/documents/{doc_id}", summary="Correct fields and/or mark the document checked by a person")
def api_correct(request: Request, site: SiteDep, index: IndexDep, record: RecordDep, correction: Correction) -> dict:
    values = normalised(correction.fields)
    wrong = problems(values)
    if wrong:
        raise HTTPException(422, wrong)
    with site.corrections:      # one correction at a time: no change lost between reading and writing
        stored = load_record(site.store, record.id) or record       # the store is the source of truth
        made = revise(site.store, stored, values, request.state.user, correction.verified)
        index.add(stored)                                            # searchable by its corrected values at once
    return {"record": stored.to_dict(), "revisions": [asdict(r) for r in made]}


@router.get("/api/documents/{doc_id}/revisions", summary="Every correction made to the document, oldest first")
def api_revisions(site: SiteDep, record: RecordDep) -> list[dict]:
    return [asdict(r) for r in revisions_of(site.store, record.id)]
