"""What a citizen already has on file: every document linked to a personal id number."""

from __future__ import annotations

import re
from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from ...storage import Filters, SearchIndex
from ...storage.revisions import current
from ..site import IndexDep, SiteDep, requires
from ..validity import validity

router = APIRouter(dependencies=[Depends(requires("clerk"))])


def _documents(index: SearchIndex, id_number: str) -> list[dict]:
    """Every document linked to a personal id number, newest first, with whether it is in force."""
    if not re.fullmatch(r"[0-9]{9}|[0-9]{12}", id_number):
        raise HTTPException(422, "Số định danh gồm 12 chữ số (CMND: 9) / An id number has 12 digits (9 for CMND)")
    hits = index.search("", Filters(id_number=id_number), limit=500, sort="date").hits
    today = date.today()
    out = []
    for record in filter(None, (index.record(h.id) for h in hits)):
        doc_type, issued = current(record, "doc_type"), current(record, "issue_date")
        valid = validity(doc_type, issued, record.text)
        out.append({"id": record.id, "doc_type": doc_type, "issue_date": issued,
                    "doc_number": current(record, "doc_number"), "person_name": current(record, "person_name"),
                    "verified": record.verified, "valid_until": valid.until.isoformat() if valid.until else None,
                    "validity_from": valid.source, "in_force": valid.in_force(today)})
    return sorted(out, key=lambda d: d["issue_date"] or "", reverse=True)


@router.get("/citizen/{id_number}", response_class=HTMLResponse, include_in_schema=False)
def citizen_page(request: Request, site: SiteDep, index: IndexDep, id_number: str) -> HTMLResponse:
    documents = _documents(index, id_number)
    site.seen(request, [d["id"] for d in documents], subject=id_number)
    return site.page(request, "citizen.html", {"id_number": id_number, "documents": documents})


@router.get("/api/citizens/{id_number}", summary="What a citizen already has on file, newest first, in force or not")
def api_citizen(request: Request, site: SiteDep, index: IndexDep, id_number: str) -> list[dict]:
    documents = _documents(index, id_number)
    site.seen(request, [d["id"] for d in documents], subject=id_number)
    return documents
