"""The admin's pages: the access log of personal data, and the open login sessions."""

from __future__ import annotations

import hmac
from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...storage.access import Access, AccessFilter, AccessLog
from ..auth import csrf_token
from ..corrections import parse_day
from ..site import MAX_PAGE, SessionsDep, Site, SiteDep, database, requires

router = APIRouter(dependencies=[Depends(requires("admin"))])
ACCESS_PAGE = 100


def _midnight(day: date) -> float:
    return datetime.combine(day, datetime.min.time()).timestamp()


def _entries(request: Request, site: Site, page: int) -> tuple[int, list[Access]]:
    """The access log filtered by user, citizen number, document and days (dd/mm/yyyy or ISO)."""
    q = request.query_params
    since, until = parse_day(q.get("from", "")), parse_day(q.get("to", ""))
    where = AccessFilter(q.get("user") or None, q.get("subject") or None, q.get("doc") or None,
                         _midnight(since) if since else None, _midnight(until) + 86400 if until else None)
    site.access.flush()                   # what was handed to the writer so far is in the answer
    book = AccessLog(database(site.settings))
    try:
        return book.page(where, ACCESS_PAGE, (page - 1) * ACCESS_PAGE)
    finally:
        book.close()


@router.get("/admin/access", response_class=HTMLResponse, include_in_schema=False)
def access_page(request: Request, site: SiteDep, sessions: SessionsDep,
                page: int = Query(1, ge=1, le=MAX_PAGE)) -> HTMLResponse:
    total, entries = _entries(request, site, page)
    web = site.settings.web
    return site.page(request, "access.html", {
        "entries": entries, "total": total, "page": page, "pages": (total + ACCESS_PAGE - 1) // ACCESS_PAGE,
        "params": request.query_params,
        "sessions": sessions.open_sessions(web.idle_minutes * 60, web.session_hours * 3600)})


@router.get("/api/access-log", summary="Who saw which documents or citizen, newest first (admin); "
                                       "?user=&subject=&doc=&from=&to=&page=")
def api_access_log(request: Request, site: SiteDep, page: int = Query(1, ge=1, le=MAX_PAGE)) -> dict:
    total, entries = _entries(request, site, page)
    return {"total": total, "page": page, "entries": [asdict(e) for e in entries]}


@router.post("/admin/sessions/end", include_in_schema=False)
def end_sessions(request: Request, sessions: SessionsDep, csrf: Annotated[str, Form(max_length=100)],
                 user: Annotated[str, Form(max_length=200)] = "") -> Response:
    """An admin ends every open session (of one user): each must log in again, now."""
    if not hmac.compare_digest(csrf, csrf_token(request)):
        raise HTTPException(403, "Thiếu mã chống giả mạo / Missing CSRF token")
    sessions.end_all(user or None)
    return RedirectResponse("/admin/access", status_code=303)
