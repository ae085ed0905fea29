"""The scanning staff's view of the work: files set aside (and a retry), the report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response

from ...jobs.ledger import Ledger
from ...jobs.retry import retry_failed
from ...storage import SearchIndex
from .. import report as report_rows
from ..site import IndexDep, LedgerDep, SiteDep, requires

router = APIRouter(dependencies=[Depends(requires("staff"))])
PERIOD = Query("day", pattern="^(day|week|month)$")


@router.post("/api/failures/{job_id}/retry", summary="Try a failed file again (scanning staff)", status_code=202)
def api_retry(site: SiteDep, ledger: LedgerDep, job_id: Annotated[int, PathParam(ge=1, le=2**63 - 1)]) -> dict:
    if problem := retry_failed(site.settings, ledger, job_id):
        raise HTTPException(409, problem)
    return {"queued": job_id}


@router.get("/failures", response_class=HTMLResponse, include_in_schema=False)
def failures_page(request: Request, site: SiteDep, ledger: LedgerDep) -> HTMLResponse:
    return site.page(request, "failures.html", {
        "counts": ledger.counts(), "jobs": ledger.recent_failures(200),
        "when": lambda t: datetime.fromtimestamp(t).strftime("%d/%m/%Y %H:%M")})


@router.get("/api/failures", summary="Files set aside, newest first, with the reason (Vietnamese / English)")
def api_failures(ledger: LedgerDep, limit: int = Query(50, ge=1, le=1000)) -> dict:
    return {"counts": ledger.counts(), "failures": [
        {"path": j.path, "dossier": j.dossier, "error_kind": j.error_kind, "error": j.error,
         "attempts": j.attempts, "updated": j.updated} for j in ledger.recent_failures(limit)]}


def _report(index: SearchIndex, ledger: Ledger, period: str) -> tuple[list[report_rows.Row], dict[str, int]]:
    failed = ledger.failed_since()
    return (report_rows.rows(index.daily(), index.dossier_days(), failed, period), report_rows.reasons(failed))


@router.get("/report", response_class=HTMLResponse, include_in_schema=False)
def report_page(request: Request, site: SiteDep, index: IndexDep, ledger: LedgerDep,
                period: str = PERIOD) -> HTMLResponse:
    rows, reasons = _report(index, ledger, period)
    return site.page(request, "report.html", {
        "rows": rows, "period": period, "periods": report_rows.PERIODS,
        "chart_documents": report_rows.bar_chart([(r.period, r.documents) for r in rows], "Tài liệu số hóa"),
        "chart_pages": report_rows.bar_chart([(r.period, r.pages) for r in rows], "Trang số hóa"),
        "chart_reasons": report_rows.bar_chart(list(reasons.items()), "Tệp lỗi theo lý do")})


@router.get("/report.csv", summary="The digitization report as CSV (UTF-8 with BOM, for Excel)")
def report_csv(index: IndexDep, ledger: LedgerDep, period: str = PERIOD) -> Response:
    rows, _ = _report(index, ledger, period)
    return Response("\ufeff" + report_rows.to_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="bao-cao-so-hoa-{period}.csv"'})
