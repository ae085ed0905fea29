"""The review queue: what a person should check before its values are reused."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from ...storage import Filters, SearchIndex
from ...storage.index import review_reason
from ...storage.revisions import current
from ..site import MAX_PAGE, PAGE_SIZE, IndexDep, SiteDep, requires

router = APIRouter(dependencies=[Depends(requires("clerk"))])


def _queue(index: SearchIndex, page: int) -> tuple[int, list[dict]]:
    """Documents a person should check, oldest first, with why (storage.index.review_reason)."""
    results = index.search("", Filters(needs_review=True), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                           sort="oldest")
    records = [index.record(h.id) for h in results.hits]
    return results.total, [
        {"id": r.id, "name": r.source.name, "received_at": r.source.received_at,
         "doc_type": current(r, "doc_type"), "doc_number": current(r, "doc_number"),
         "reason": review_reason(r)} for r in records if r is not None]


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def review_page(request: Request, site: SiteDep, index: IndexDep,
                page: int = Query(1, ge=1, le=MAX_PAGE)) -> HTMLResponse:
    total, documents = _queue(index, page)
    site.seen(request, [d["id"] for d in documents])
    return site.page(request, "review.html", {
        "total": total, "documents": documents, "page": page, "pages": (total + PAGE_SIZE - 1) // PAGE_SIZE})


@router.get("/api/review", summary="Documents to check, oldest first, each with the reason")
def api_review(request: Request, site: SiteDep, index: IndexDep, page: int = Query(1, ge=1, le=MAX_PAGE)) -> dict:
    total, documents = _queue(index, page)
    site.seen(request, [d["id"] for d in documents])
    return {"total": total, "documents": documents}
