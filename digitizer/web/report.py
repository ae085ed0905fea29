"""The centre's digitization report: documents, pages and dossiers by day, week or month and
by type, failures by reason; bar charts drawn here as SVG (no script, no CDN) and a CSV."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from markupsafe import Markup, escape

PERIODS = {"day": "Ngày", "week": "Tuần", "month": "Tháng"}


def period_of(day: str, period: str) -> str:
    """'2025-11-25' -> '25/11/2025' (day), 'Tuần 48/2025' (ISO week), '11/2025' (month)."""
    d = date.fromisoformat(day)
    if period == "week":
        year, week, _ = d.isocalendar()
        return f"Tuần {week:02d}/{year}"
    if period == "month":
        return d.strftime("%m/%Y")
    return d.strftime("%d/%m/%Y")


@dataclass
class Row:
    period: str
    first_day: str                       # ISO: the earliest day seen in the period, to order by
    documents: int = 0
    pages: int = 0
    dossiers: int = 0
    failed: int = 0
    by_type: dict[str, int] = field(default_factory=dict)


def rows(daily: list[tuple[str, str, int, int, int]], failed: list[tuple[float, str]], period: str) -> list[Row]:
    """The index's daily counts and the ledger's failures, rolled up by `period`, oldest first.
    Dossiers are counted per day and type, so a period's figure may count a dossier twice."""
    out: dict[str, Row] = {}

    def row_of(day: str) -> Row:
        row = out.setdefault(period_of(day, period), Row(period_of(day, period), day))
        row.first_day = min(row.first_day, day)
        return row

    for day, doc_type, documents, pages, dossiers in daily:
        if not day:
            continue
        row = row_of(day)
        row.documents += documents
        row.pages += pages or 0
        row.dossiers += dossiers
        row.by_type[doc_type or "Không rõ loại"] = row.by_type.get(doc_type or "Không rõ loại", 0) + documents
    for when, _ in failed:
        row_of(datetime.fromtimestamp(when).date().isoformat()).failed += 1
    return sorted(out.values(), key=lambda r: r.first_day)


def reasons(failed: list[tuple[float, str]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for _, kind in failed:
        counts[kind] += 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def bar_chart(values: list[tuple[str, int]], title: str, width: int = 640, height: int = 180) -> Markup:
    """A plain SVG bar chart, labelled, readable without colour."""
    if not values:
        return Markup("")
    top = max(v for _, v in values) or 1
    bar = (width - 40) / len(values)
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height + 40}" '
             f'width="100%" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(values):
        h = (height - 20) * value / top
        x = 30 + i * bar
        parts.append(f'<rect x="{x + 2:.1f}" y="{height - h:.1f}" width="{max(1.0, bar - 4):.1f}" height="{h:.1f}" '
                     f'fill="#8b1a1a"><title>{escape(label)}: {value}</title></rect>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - h - 4:.1f}" font-size="11" text-anchor="middle">'
                     f'{value}</text>')
        if len(values) <= 16 or i % (len(values) // 12 + 1) == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height + 16}" font-size="10" text-anchor="middle">'
                         f'{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def to_csv(report: list[Row]) -> str:
    types = sorted({t for row in report for t in row.by_type})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Kỳ", "Tài liệu", "Trang", "Hồ sơ", "Lỗi", *types])
    for row in report:
        writer.writerow([row.period, row.documents, row.pages, row.dossiers, row.failed,
                         *(row.by_type.get(t, 0) for t in types)])
    return out.getvalue()
