"""The API's routes described: the OpenAPI schema and a plain page of it (no CDN)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from ... import __version__
from ..site import SiteDep, requires

router = APIRouter(dependencies=[Depends(requires("clerk"))], include_in_schema=False)


@router.get("/api/openapi.json")
def openapi(request: Request) -> dict:
    return request.app.openapi()


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request, site: SiteDep) -> HTMLResponse:
    """The API's routes as a plain page: no script from a CDN, so it works offline."""
    return site.page(request, "docs.html", {"spec": request.app.openapi(), "version": __version__})
