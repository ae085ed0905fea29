"""Search (the page and /api/search) and a dossier's documents."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from ...storage import Filters, SearchIndex
from ...storage.index import Results
from ..site import MAX_PAGE, PAGE_SIZE, IndexDep, SiteDep, requires

router = APIRouter(dependencies=[Depends(requires("clerk"))])
SORT = Query("relevance", pattern="^(relevance|date|processed)$")


def _search(request: Request, index: SearchIndex, q: str, sort: str, page: int) -> Results:
    return index.search(q, Filters.from_params(request.query_params.get), limit=PAGE_SIZE,
                        offset=(page - 1) * PAGE_SIZE, sort=sort)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, site: SiteDep, index: IndexDep, q: str = "", sort: str = SORT,
                page: int = Query(1, ge=1, le=MAX_PAGE)) -> HTMLResponse:
    results = _search(request, index, q, sort, page)
    if q or request.query_params.keys() - {"sort", "page"}:      # an empty search page shows nobody's data
        site.seen(request, [h.id for h in results.hits])
    return site.page(request, "search.html", {
        "q": q, "sort": sort, "page": page, "results": results, "params": request.query_params,
        "pages": (results.total + PAGE_SIZE - 1) // PAGE_SIZE})


@router.get("/api/search", summary="Search: words, \"phrases\", prefix*, filters; diacritics optional")
def api_search(request: Request, site: SiteDep, index: IndexDep, q: str = "", sort: str = SORT,
               page: int = Query(1, ge=1, le=MAX_PAGE)) -> dict:
    results = _search(request, index, q, sort, page)
    site.seen(request, [h.id for h in results.hits])
    return {"total": results.total, "by_type": results.by_type, "hits": [asdict(h) for h in results.hits]}


@router.get("/dossier/{name:path}", response_class=HTMLResponse, include_in_schema=False)
def dossier_page(request: Request, site: SiteDep, index: IndexDep, name: str) -> HTMLResponse:
    results = index.search("", Filters(dossier=name), limit=500, sort="date")
    site.seen(request, [h.id for h in results.hits])
    return site.page(request, "dossier.html", {"name": name, "results": results})
