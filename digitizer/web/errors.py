"""What a person at a browser sees when a request fails: a Vietnamese page with what to do.
The API (/api/, or a client that does not ask for HTML) keeps FastAPI's JSON."""

from __future__ import annotations

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException
from starlette.responses import Response

TITLES = {
    400: "Yêu cầu không hợp lệ", 401: "Cần đăng nhập", 403: "Tài khoản không có quyền này",
    404: "Không tìm thấy", 405: "Thao tác không được phép", 409: "Không thực hiện được lúc này",
    413: "Dữ liệu gửi lên quá lớn", 414: "Địa chỉ quá dài", 422: "Giá trị không hợp lệ",
    429: "Đăng nhập sai quá nhiều lần", 500: "Lỗi máy chủ",
}


def wants_page(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def said(detail: object) -> str:
    """Our 'vi / en' messages in Vietnamese; FastAPI's own checks as the values they name."""
    if isinstance(detail, list) and all(isinstance(d, str) for d in detail):
        return "; ".join(d.split(" / ")[0] for d in detail)
    if isinstance(detail, list):
        names = [str(d.get("loc", ["?"])[-1]) for d in detail if isinstance(d, dict)]
        return "Giá trị không hợp lệ trong địa chỉ hoặc biểu mẫu: " + ", ".join(names)
    return str(detail).split(" / ")[0]


def install(app, templates: Jinja2Templates) -> None:  # noqa: ANN001 (FastAPI)
    def page(request: Request, status: int, detail: object, headers: dict | None = None) -> Response:
        title = TITLES.get(status, "Không thực hiện được")
        return templates.TemplateResponse(request, "error.html", {"title": title, "detail": said(detail),
                                                                  "status": status},
                                          status_code=status, headers=headers)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code >= 400 and wants_page(request):
            return page(request, exc.status_code, exc.detail, getattr(exc, "headers", None))
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if wants_page(request):
            return page(request, 422, exc.errors())
        # FastAPI's own answer echoes the input, and a body that is not UTF-8 breaks its encoder.
        errors = [{**e, "input": e["input"].decode("utf-8", "replace")} if isinstance(e.get("input"), bytes) else e
                  for e in exc.errors()]
        return await request_validation_exception_handler(request, RequestValidationError(errors, body=None))
