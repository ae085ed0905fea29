"""Routes: the search page, a document's page, a dossier's page, downloads, and /api/."""

from __future__ import annotations

import hmac
from contextlib import asynccontextmanager
from urllib.parse import quote, urlencode
import re
import threading
import time
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, AsyncIterator, Iterable

import pymupdf
from fastapi import Depends, FastAPI, Form, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware
from markupsafe import Markup, escape

from .. import __version__
from ..config import Settings
from ..text import fold, page_ranges
from ..jobs.ledger import open_ledger
from ..jobs.retry import retry_failed
from ..model import BlockKind, Field, Record
from ..storage import (Filters, ObjectStore, SearchIndex, load_record, open_index, open_store, revise,
                       revisions_of)
from ..storage.access import Access, AccessFilter, AccessLog, AccessWriter
from ..storage.sessions import Sessions
from ..storage.index import LOW_CONFIDENCE, review_reason
from ..storage.revisions import current
from ..storage.keys import valid_id
from ..signing.verify import Verdict, verify_pdf
from .auth import Guard, csrf_token, session_secret
from . import errors, report as report_rows
from .corrections import KNOWN_TYPES, Correction, normalised, parse_day, problems
from .validity import validity
from .security import Guarded, allowed_hosts

HERE = Path(__file__).parent
PAGE_SIZE = 20
ACCESS_PAGE = 100
MAX_PAGE = 10_000          # of results: beyond it, a clear 422 rather than an offset SQL cannot take
SORT = Query("relevance", pattern="^(relevance|date|processed)$")
PERIOD = Query("day", pattern="^(day|week|month)$")
FIELD_LABELS = {
    "doc_number": "Số, ký hiệu", "issue_date": "Ngày ban hành", "place": "Địa danh", "issuer": "Cơ quan ban hành",
    "subject": "Trích yếu", "signer": "Người ký", "person_name": "Họ và tên", "birth_date": "Ngày sinh",
    "id_number": "Số định danh", "address": "Địa chỉ", "phone": "Số điện thoại", "dossier_code": "Mã hồ sơ",
    "recipient": "Kính gửi", "procedure": "Thủ tục"}


def highlight(text: str, query: str) -> Markup:
    """Escape `text` and mark the words of `query` in it, found without diacritics."""
    words = [w for w in re.findall(r"\w+", fold(query)) if len(w) > 1]
    folded = fold(text)
    spans = sorted((m.start(), m.end()) for w in words for m in re.finditer(rf"\b{re.escape(w)}", folded))
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        out += [str(escape(text[pos:start])), "<mark>", str(escape(text[start:end])), "</mark>"]
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def download_name(record: Record) -> str:
    """'Quyết định 245-QĐ-UBND' (type and number); a paper without a number (a citizen's đơn)
    by type, citizen and date: 'Đơn đề nghị Nguyễn Văn An 2025-11-25'; else the name it was
    received under."""
    number = current(record, "doc_number")
    who = [] if number else [current(record, "person_name"), current(record, "issue_date")]
    name = " ".join(filter(None, (current(record, "doc_type"), number, *who)))
    if name and not number and not any(who):
        name += f" {record.id[:8]}"            # two papers of one type must not share a name
    name = name or record.source.name.rsplit(".", 1)[0] or record.id[:12]
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", name).strip(" .-")[:120] or record.id[:12]


def _local(target: str) -> str:
    """Where to go after logging in: a path of this site only (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


# The layout's blocks as a clerk names the parts of a page: where to look for a field.
BLOCK_NAMES = {BlockKind.ISSUER: "cơ quan ban hành, số", BlockKind.MOTTO: "quốc hiệu",
               BlockKind.DATE: "địa danh, ngày tháng", BlockKind.TITLE: "tên loại văn bản",
               BlockKind.SUBJECT: "trích yếu", BlockKind.AUTHORITY: "thẩm quyền ban hành",
               BlockKind.ROW: "dòng khai", BlockKind.BODY: "nội dung", BlockKind.RECIPIENTS: "nơi nhận",
               BlockKind.SIGNER: "chức vụ, người ký", BlockKind.MARKS: "dấu, chữ viết tay"}


THUMBNAIL_DPI = 40   # a page among the document's thumbnails
CROP_DPI = 150       # a handwritten value shown to be typed in: legible, a few KB
CROP_MARGIN = 6      # points around the value's box: strokes reach past it


def read_where(f: Field) -> str:
    """"trang 1 · trích yếu": the page and the part of it a value was read from."""
    parts = [f"trang {f.page}"] if f.page else []
    if f.block in BLOCK_NAMES:
        parts.append(BLOCK_NAMES[BlockKind(f.block)])
    return " · ".join(parts)


def vn_date(iso: str | None) -> str:
    """'2025-11-25' -> '25/11/2025', as Vietnamese offices write dates."""
    try:
        return date.fromisoformat((iso or "")[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return iso or ""


def vn_time(iso: str | None) -> str:
    """An ISO time as local 'HH:MM dd/mm/yyyy'."""
    try:
        return datetime.fromisoformat(iso or "").astimezone().strftime("%H:%M %d/%m/%Y")
    except ValueError:
        return iso or ""


def reason_parts(error: str | None) -> tuple[str, str]:
    """'vi / en (detail)' -> ('vi / en', 'detail'): the reason for staff, the technical detail apart."""
    vi, _, rest = (error or "").partition(" / ")
    en, _, detail = rest.partition(" (")
    return (f"{vi} / {en}" if rest else vi), detail.removesuffix(")")


def _midnight(day: date) -> float:
    return datetime.combine(day, datetime.min.time()).timestamp()


def create_app(settings: Settings, store: ObjectStore | None = None) -> FastAPI:
    store = store or open_store(settings)
    access_target = settings.database_url or settings.ledger_path
    guard = Guard(settings.web.users, settings.web.api_token, lambda: Sessions(access_target),
                  settings.web.idle_minutes * 60, settings.web.session_hours * 3600)
    corrections = threading.Lock()
    access = AccessWriter(access_target)

    def seen(request: Request, shown: Iterable[str] = (), doc_id: str | None = None,
             subject: str | None = None) -> None:
        """One row for an answer that shows a citizen's data: who, when, what was asked, which
        documents were in it. Handed to the writer thread: the request does not wait."""
        access.add(Access(time.time(), request.state.user, request.state.role, f"{request.method} {request.url.path}",
                          doc_id, subject or request.query_params.get("id_number") or None,
                          request.client.host if request.client else None, str(request.url.query)[:2000] or None,
                          list(shown)))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        access.close()                        # the rows not yet written, before the server exits

    # FastAPI's /docs and /redoc load their scripts from a CDN: ours is a plain page, behind the login.
    app = FastAPI(title="digitizer", version=__version__, dependencies=[Depends(guard)], lifespan=lifespan,
                  description="Tìm kiếm hồ sơ, giấy tờ đã số hóa / Search digitized documents",
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.state.access = access
    app.add_middleware(SessionMiddleware, secret_key=session_secret(settings.web.secret, settings.data_dir),
                       session_cookie="digitizer_session", max_age=int(settings.web.session_hours * 3600),
                       same_site="strict", https_only=settings.web.https)
    app.add_middleware(Guarded, hosts=allowed_hosts(settings.web.host, settings.web.hosts),
                       max_body=settings.web.max_body_kb * 1024)

    def page_context(request: Request) -> dict:
        user = getattr(request.state, "user", "")
        return {"csrf": csrf_token(request), "user": user, "login": not guard.open}

    templates = Jinja2Templates(directory=HERE / "templates", context_processors=[page_context])
    templates.env.filters["highlight"] = highlight
    templates.env.filters["page_ranges"] = page_ranges
    templates.env.filters["vn_date"] = vn_date
    templates.env.filters["read_where"] = read_where
    templates.env.filters["vn_time"] = vn_time
    templates.env.filters["vn_epoch"] = lambda t: datetime.fromtimestamp(t).strftime("%H:%M:%S %d/%m/%Y")
    templates.env.filters["reason_parts"] = reason_parts
    templates.env.filters["pager"] = lambda params, page: urlencode(
        [*((k, v) for k, v in params.multi_items() if k != "page"), ("page", page)])
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    errors.install(app, templates)

    def index() -> SearchIndex:
        return open_index(settings)

    def record_or_404(doc_id: str) -> Record:
        if not valid_id(doc_id):
            raise HTTPException(404, "Không có tài liệu này / No such document")
        idx = index()
        try:
            record = idx.record(doc_id)
        finally:
            idx.close()
        if record is None:
            raise HTTPException(404, "Không có tài liệu này / No such document")
        return record

    def filters_from(request: Request) -> Filters:
        return Filters.from_params(request.query_params.get)

    def run_search(request: Request, q: str, sort: str, page: int):  # noqa: ANN202
        idx = index()
        try:
            return idx.search(q, filters_from(request), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, sort=sort)
        finally:
            idx.close()

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request, next: str = "/") -> HTMLResponse:
        return templates.TemplateResponse(request, "login.html", {"next": _local(next), "failed": False})

    @app.post("/login", include_in_schema=False)
    def login(request: Request, username: Annotated[str, Form(max_length=200)],
              password: Annotated[str, Form(max_length=1000)], csrf: Annotated[str, Form(max_length=100)],
              next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
        if not hmac.compare_digest(csrf, csrf_token(request)):
            raise HTTPException(403, "Thiếu mã chống giả mạo / Missing CSRF token")
        if guard.open or guard.log_in(request, username, password):
            return RedirectResponse(_local(next), status_code=303)
        return templates.TemplateResponse(request, "login.html", {"next": _local(next), "failed": True},
                                          status_code=401)

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, csrf: Annotated[str, Form(max_length=100)]) -> Response:
        if not hmac.compare_digest(csrf, csrf_token(request)):
            raise HTTPException(403, "Thiếu mã chống giả mạo / Missing CSRF token")
        guard.log_out(request)
        return RedirectResponse("/login", status_code=303)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "", sort: str = SORT,
                    page: int = Query(1, ge=1, le=MAX_PAGE)) -> HTMLResponse:
        results = run_search(request, q, sort, page)
        if q or request.query_params.keys() - {"sort", "page"}:
            seen(request, [h.id for h in results.hits])
        return templates.TemplateResponse(request, "search.html", {
            "q": q, "sort": sort, "page": page, "results": results, "params": request.query_params,
            "pages": (results.total + PAGE_SIZE - 1) // PAGE_SIZE})

    def stored_seal(record: Record) -> Verdict | None:
        """The centre's signature on the stored PDF, checked now against its bytes."""
        if record.stored_pdf.signature is None or "pdf" not in record.objects:
            return None
        return verify_pdf(store.get(record.objects["pdf"]))

    @app.get("/doc/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str, back: str = Query("", max_length=2000)) -> HTMLResponse:
        record = record_or_404(doc_id)
        seen(request, [record.id], doc_id=record.id)
        revisions = revisions_of(store, record.id)
        return templates.TemplateResponse(request, "document.html", {"back": back, "seal": stored_seal(record),
            "r": record, "labels": {**FIELD_LABELS, "doc_type": "Loại văn bản", "verified": "Kiểm tra"},
            "pages": record.text.split("\f"), "editable": [("doc_type", "Loại văn bản"), *FIELD_LABELS.items()],
            "current": lambda name: current(record, name), "revisions": revisions,
            "changed": {v.field: v for v in revisions if v.field != "verified"}, "known_types": KNOWN_TYPES,
            "review_below": LOW_CONFIDENCE})

    @app.get("/dossier/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def dossier_page(request: Request, name: str) -> HTMLResponse:
        idx = index()
        try:
            results = idx.search("", Filters(dossier=name), limit=500, sort="date")
        finally:
            idx.close()
        seen(request, [h.id for h in results.hits])
        return templates.TemplateResponse(request, "dossier.html", {"name": name, "results": results})

    def citizen_documents(id_number: str) -> list[dict]:
        """Every document linked to a personal id number, newest first, with whether it is in force."""
        if not re.fullmatch(r"\d{9}|\d{12}", id_number):
            raise HTTPException(422, "Số định danh gồm 12 chữ số (CMND: 9) / An id number has 12 digits (9 for CMND)")
        idx = index()
        try:
            hits = idx.search("", Filters(id_number=id_number), limit=500, sort="date").hits
            records = [idx.record(h.id) for h in hits]
        finally:
            idx.close()
        today = date.today()
        out = []
        for record in filter(None, records):
            doc_type, issued = current(record, "doc_type"), current(record, "issue_date")
            valid = validity(doc_type, issued, record.text)
            out.append({"id": record.id, "doc_type": doc_type, "issue_date": issued,
                        "doc_number": current(record, "doc_number"), "person_name": current(record, "person_name"),
                        "verified": record.verified, "valid_until": valid.until.isoformat() if valid.until else None,
                        "validity_from": valid.source, "in_force": valid.in_force(today)})
        return sorted(out, key=lambda d: d["issue_date"] or "", reverse=True)

    @app.get("/citizen/{id_number}", response_class=HTMLResponse, include_in_schema=False)
    def citizen_page(request: Request, id_number: str) -> HTMLResponse:
        documents = citizen_documents(id_number)
        seen(request, [d["id"] for d in documents], subject=id_number)
        return templates.TemplateResponse(request, "citizen.html", {"id_number": id_number, "documents": documents})

    @app.get("/api/citizens/{id_number}", summary="What a citizen already has on file, newest first, in force or not")
    def api_citizen(request: Request, id_number: str) -> list[dict]:
        documents = citizen_documents(id_number)
        seen(request, [d["id"] for d in documents], subject=id_number)
        return documents

    def review_queue(page: int) -> tuple[int, list[dict]]:
        """Documents a person should check, oldest first, with why (storage.index.review_reason)."""
        idx = index()
        try:
            results = idx.search("", Filters(needs_review=True), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                                 sort="oldest")
            records = [idx.record(h.id) for h in results.hits]
        finally:
            idx.close()
        return results.total, [
            {"id": r.id, "name": r.source.name, "received_at": r.source.received_at,
             "doc_type": current(r, "doc_type"), "doc_number": current(r, "doc_number"),
             "reason": review_reason(r)} for r in records if r is not None]

    @app.get("/review", response_class=HTMLResponse, include_in_schema=False)
    def review_page(request: Request, page: int = Query(1, ge=1, le=MAX_PAGE)) -> HTMLResponse:
        total, documents = review_queue(page)
        seen(request, [d["id"] for d in documents])
        return templates.TemplateResponse(request, "review.html", {
            "total": total, "documents": documents, "page": page, "pages": (total + PAGE_SIZE - 1) // PAGE_SIZE})

    @app.get("/api/review", summary="Documents to check, oldest first, each with the reason")
    def api_review(request: Request, page: int = Query(1, ge=1, le=MAX_PAGE)) -> dict:
        total, documents = review_queue(page)
        seen(request, [d["id"] for d in documents])
        return {"total": total, "documents": documents}

    def download(record: Record, kind: str, inline: bool) -> Response:
        key = record.objects.get(kind)
        if key is None:
            raise HTTPException(404, "Không có tệp này / No such file")
        url = store.download_url(key, settings.web.link_seconds)
        if url is not None:
            return RedirectResponse(url, status_code=307)
        media = "application/pdf" if kind == "pdf" else record.source.media_type
        ext = key.rsplit(".", 1)[-1]
        disposition = "inline" if inline else "attachment"
        name = f"{download_name(record)}.{ext}"
        ascii_name = fold(name).encode("ascii", "replace").decode().replace("?", "_")
        return Response(store.get(key), media_type=media, headers={
            "Content-Disposition": f'{disposition}; filename="{ascii_name}"; filename*=UTF-8\'\'{quote(name)}'})

    @app.get("/doc/{doc_id}/pdf", summary="The searchable PDF (inline, or ?download=1)")
    def pdf(request: Request, doc_id: str, download_: Annotated[bool, Query(alias="download")] = False) -> Response:
        record = record_or_404(doc_id)
        seen(request, [record.id], doc_id=record.id)
        return download(record, "pdf", inline=not download_)

    @app.get("/doc/{doc_id}/original", summary="The file as it was received")
    def original(request: Request, doc_id: str) -> Response:
        record = record_or_404(doc_id)
        seen(request, [record.id], doc_id=record.id)
        return download(record, "original", inline=False)

    def page_png(record: Record, number: int, dpi: int, box: list[float] | None = None) -> Response:
        """Page `number` of the stored PDF as a PNG, or the part of it around `box` (points)."""
        with pymupdf.open(stream=store.get(record.objects["pdf"]), filetype="pdf") as doc:
            if not 1 <= number <= doc.page_count:
                raise HTTPException(404, "Không có trang này / No such page")
            page = doc[number - 1]
            clip = None
            if box is not None:
                x0, y0, x1, y1 = box
                clip = pymupdf.Rect(x0 - CROP_MARGIN, y0 - CROP_MARGIN, x1 + CROP_MARGIN, y1 + CROP_MARGIN) & page.rect
            png = page.get_pixmap(dpi=dpi, clip=clip).tobytes("png")
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    @app.get("/doc/{doc_id}/page/{number}.png", summary="A page thumbnail")
    def thumbnail(doc_id: str, number: int) -> Response:
        return page_png(record_or_404(doc_id), number, THUMBNAIL_DPI)

    @app.get("/doc/{doc_id}/field/{name}.png", summary="Where a value was read (a handwritten one: to type it from)")
    def field_crop(doc_id: str, name: str) -> Response:
        record = record_or_404(doc_id)
        found = record.fields.get(name)
        if found is None or found.page is None or found.bbox is None:
            raise HTTPException(404, "Không có vùng đọc của thông tin này / No region for this field")
        return page_png(record, found.page, CROP_DPI, found.bbox)

    @app.get("/api/search", summary="Search: words, \"phrases\", prefix*, filters; diacritics optional")
    def api_search(request: Request, q: str = "", sort: str = SORT,
                   page: int = Query(1, ge=1, le=MAX_PAGE)) -> dict:
        results = run_search(request, q, sort, page)
        seen(request, [h.id for h in results.hits])
        return {"total": results.total, "by_type": results.by_type, "hits": [asdict(h) for h in results.hits]}

    def failures(limit: int) -> tuple[dict[str, int], list]:
        ledger = open_ledger(settings)
        try:
            return ledger.counts(), ledger.recent_failures(limit)
        finally:
            ledger.close()

    @app.post("/api/failures/{job_id}/retry", summary="Try a failed file again (scanning staff)", status_code=202)
    def api_retry(job_id: Annotated[int, PathParam(ge=1, le=2**63 - 1)]) -> dict:
        ledger = open_ledger(settings)
        try:
            problem = retry_failed(settings, ledger, job_id)
        finally:
            ledger.close()
        if problem:
            raise HTTPException(409, problem)
        return {"queued": job_id}

    @app.get("/failures", response_class=HTMLResponse, include_in_schema=False)
    def failures_page(request: Request) -> HTMLResponse:
        counts, jobs = failures(200)
        return templates.TemplateResponse(request, "failures.html", {
            "counts": counts, "jobs": jobs, "when": lambda t: datetime.fromtimestamp(t).strftime("%d/%m/%Y %H:%M")})

    def report(period: str) -> tuple[list[report_rows.Row], dict[str, int]]:
        idx, ledger = index(), open_ledger(settings)
        try:
            daily, dossiers, failed = idx.daily(), idx.dossier_days(), ledger.failed_since()
        finally:
            idx.close()
            ledger.close()
        return report_rows.rows(daily, dossiers, failed, period), report_rows.reasons(failed)

    @app.get("/report", response_class=HTMLResponse, include_in_schema=False)
    def report_page(request: Request, period: str = PERIOD) -> HTMLResponse:
        rows, reasons = report(period)
        return templates.TemplateResponse(request, "report.html", {
            "rows": rows, "period": period, "periods": report_rows.PERIODS,
            "chart_documents": report_rows.bar_chart([(r.period, r.documents) for r in rows], "Tài liệu số hóa"),
            "chart_pages": report_rows.bar_chart([(r.period, r.pages) for r in rows], "Trang số hóa"),
            "chart_reasons": report_rows.bar_chart(list(reasons.items()), "Tệp lỗi theo lý do")})

    @app.get("/report.csv", summary="The digitization report as CSV (UTF-8 with BOM, for Excel)")
    def report_csv(period: str = PERIOD) -> Response:
        rows, _ = report(period)
        return Response("\ufeff" + report_rows.to_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="bao-cao-so-hoa-{period}.csv"'})

    @app.get("/api/failures", summary="Files set aside, newest first, with the reason (Vietnamese / English)")
    def api_failures(limit: int = Query(50, ge=1, le=1000)) -> dict:
        counts, jobs = failures(limit)
        return {"counts": counts, "failures": [
            {"path": j.path, "dossier": j.dossier, "error_kind": j.error_kind, "error": j.error,
             "attempts": j.attempts, "updated": j.updated} for j in jobs]}

    @app.get("/api/openapi.json", include_in_schema=False)
    def openapi() -> dict:
        return app.openapi()

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request) -> HTMLResponse:
        """The API's routes as a plain page: no script from a CDN, so it works offline."""
        return templates.TemplateResponse(request, "docs.html", {"spec": app.openapi(), "version": __version__})

    @app.get("/api/documents/{doc_id}", summary="A document's record (design §3)")
    def api_document(request: Request, doc_id: str) -> dict:
        record = record_or_404(doc_id)
        seen(request, [record.id], doc_id=record.id)
        return record.to_dict()

    @app.patch("/api/documents/{doc_id}", summary="Correct fields and/or mark the document checked by a person")
    def api_correct(request: Request, doc_id: str, correction: Correction) -> dict:
        record = record_or_404(doc_id)
        values = normalised(correction.fields)
        wrong = problems(values)
        if wrong:
            raise HTTPException(422, wrong)
        with corrections:       # one correction at a time: no change lost between reading and writing
            stored = load_record(store, record.id) or record       # the store is the source of truth
            made = revise(store, stored, values, request.state.user, correction.verified)
            idx = index()
            try:
                idx.add(stored)                                      # searchable by its corrected values at once
            finally:
                idx.close()
        return {"record": stored.to_dict(), "revisions": [asdict(r) for r in made]}

    def access_entries(request: Request, page: int) -> tuple[int, list[Access], AccessFilter]:
        """The access log filtered by user, citizen number, document and days (dd/mm/yyyy or ISO)."""
        q = request.query_params
        since, until = parse_day(q.get("from", "")), parse_day(q.get("to", ""))
        where = AccessFilter(q.get("user") or None, q.get("subject") or None, q.get("doc") or None,
                             _midnight(since) if since else None, _midnight(until) + 86400 if until else None)
        access.flush()                        # what was handed to the writer so far is in the answer
        book = AccessLog(access_target)
        try:
            total, entries = book.page(where, ACCESS_PAGE, (page - 1) * ACCESS_PAGE)
        finally:
            book.close()
        return total, entries, where

    def open_sessions() -> list:
        sessions = Sessions(access_target)
        try:
            return sessions.open_sessions(settings.web.idle_minutes * 60, settings.web.session_hours * 3600)
        finally:
            sessions.close()

    @app.get("/admin/access", response_class=HTMLResponse, include_in_schema=False)
    def access_page(request: Request, page: int = Query(1, ge=1, le=MAX_PAGE)) -> HTMLResponse:
        total, entries, _ = access_entries(request, page)
        return templates.TemplateResponse(request, "access.html", {
            "entries": entries, "total": total, "page": page, "pages": (total + ACCESS_PAGE - 1) // ACCESS_PAGE,
            "params": request.query_params, "sessions": open_sessions()})

    @app.get("/api/access-log", summary="Who saw which documents or citizen, newest first (admin); "
                                        "?user=&subject=&doc=&from=&to=&page=")
    def api_access_log(request: Request, page: int = Query(1, ge=1, le=MAX_PAGE)) -> dict:
        total, entries, _ = access_entries(request, page)
        return {"total": total, "page": page, "entries": [asdict(e) for e in entries]}

    @app.post("/admin/sessions/end", include_in_schema=False)
    def end_sessions(request: Request, csrf: Annotated[str, Form(max_length=100)],
                     user: Annotated[str, Form(max_length=200)] = "") -> Response:
        """An admin ends every open session (of one user): each must log in again, now."""
        if not hmac.compare_digest(csrf, csrf_token(request)):
            raise HTTPException(403, "Thiếu mã chống giả mạo / Missing CSRF token")
        sessions = Sessions(access_target)
        try:
            sessions.end_all(user or None)
        finally:
            sessions.close()
        return RedirectResponse("/admin/access", status_code=303)

    @app.get("/api/documents/{doc_id}/revisions", summary="Every correction made to the document, oldest first")
    def api_revisions(doc_id: str) -> list[dict]:
        return [asdict(r) for r in revisions_of(store, record_or_404(doc_id).id)]

    return app
