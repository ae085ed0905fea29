"""The login form and logout (the only routes open before a login)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..auth import csrf_token
from ..site import SiteDep

router = APIRouter(include_in_schema=False)


def _local(target: str) -> str:
    """Where to go after logging in: a path of this site only (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _check_csrf(request: Request, csrf: str) -> None:
    if not hmac.compare_digest(csrf, csrf_token(request)):
        raise HTTPException(403, "Thiếu mã chống giả mạo / Missing CSRF token")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, site: SiteDep, next: str = "/") -> HTMLResponse:
    return site.page(request, "login.html", {"next": _local(next), "failed": False})


@router.post("/login")
def login(request: Request, site: SiteDep, username: Annotated[str, Form(max_length=200)],
          password: Annotated[str, Form(max_length=1000)], csrf: Annotated[str, Form(max_length=100)],
          next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
    _check_csrf(request, csrf)
    if site.guard.open or site.guard.log_in(request, username, password):
        return RedirectResponse(_local(next), status_code=303)
    return site.page(request, "login.html", {"next": _local(next), "failed": True}, status_code=401)


@router.post("/logout")
def logout(request: Request, site: SiteDep, csrf: Annotated[str, Form(max_length=100)]) -> Response:
    _check_csrf(request, csrf)
    site.guard.log_out(request)
    return RedirectResponse("/login", status_code=303)
