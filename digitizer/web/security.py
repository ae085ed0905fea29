"""What every answer of the web page carries, and which Host names it answers to.

A page bound to this machine still answers any browser tab on it: a page from elsewhere that
points its own name at 127.0.0.1 (DNS rebinding) would read records through it. So only the
names of the bound address, or those configured (`web.hosts`), get an answer; others get 400.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

LOCAL = {"127.0.0.1", "localhost", "::1", "[::1]"}
HEADERS = {
    # Scripts, styles and images from this server only; pages framed only by this server (the PDF viewer).
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "object-src 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; "
                               "form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",     # nothing to other sites; our own forms keep their Origin
    "X-Frame-Options": "SAMEORIGIN",
}


def allowed_hosts(bound: str, configured: str) -> set[str]:
    """The Host names to answer: the configured ones, else the names of the address bound."""
    if configured.strip():
        return {h.strip().lower() for h in configured.split(",") if h.strip()}
    if bound in LOCAL:
        return set(LOCAL)
    if bound in ("0.0.0.0", "::", ""):
        names = {socket.gethostname(), socket.getfqdn()}
        try:
            names |= set(socket.gethostbyname_ex(socket.gethostname())[2])
        except OSError:
            pass
        return {n.lower() for n in names} | LOCAL
    return {bound.lower()}


SAFE = ("GET", "HEAD", "OPTIONS")


def cross_site(request: Request, hosts: set[str]) -> bool:
    """A browser says where a request comes from (Origin, Sec-Fetch-Site); scripts say nothing."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    return origin is not None and host_name(urlsplit(origin).netloc) not in hosts


def host_name(header: str) -> str:
    """'Example.org:8000' -> 'example.org'; '[::1]:8000' -> '[::1]'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header.split("]")[0] + "]"
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


MAX_QUERY = 4096        # characters of a query string: a search is a few words and filters


def refused(status: int, text: str) -> Response:
    return Response(text, status_code=status, media_type="text/plain; charset=utf-8")


class Guarded(BaseHTTPMiddleware):
    def __init__(self, app: object, hosts: set[str], max_body: int) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.hosts = hosts
        self.max_body = max_body

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if host_name(request.headers.get("host", "")) not in self.hosts:
            return refused(400, "Tên máy không được phép / Host not allowed")
        # Sizes first, before anything parses a body or a query.
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return refused(413, f"Dữ liệu gửi lên quá lớn (tối đa {self.max_body // 1024} KB) / "
                                "Request body too large")
        if length is None and "chunked" in request.headers.get("transfer-encoding", ""):
            return refused(411, "Cần Content-Length / Length required")
        if len(request.url.query) > MAX_QUERY:
            return refused(414, "Địa chỉ quá dài / URI too long")
        if request.method not in SAFE and cross_site(request, self.hosts):
            # A browser sends its Basic login along with another site's form: such changes are refused.
            return refused(403, "Yêu cầu từ trang khác / Cross-site request refused")
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"      # records hold personal data
        return response
