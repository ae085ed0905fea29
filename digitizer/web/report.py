"""The centre's digitization report: documents, pages and dossiers by day, week or month and
by type, failures by reason; bar charts drawn here as SVG (no script, no CDN) and a CSV."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from markupsafe import Markup, escape

from ..errors import REASONS

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


def rows(daily: list[tuple[str, str, int, int]], dossier_days: list[tuple[str, str]],
         failed: list[tuple[float, str]], period: str) -> list[Row]:
    """The index's daily counts, the days each dossier received documents, and the ledger's
    failures, rolled up by `period`, oldest first. A dossier counts once in a period, however
    many days and types its documents have; a loose file is no dossier."""
    out: dict[str, Row] = {}
    dossiers: dict[str, set[str]] = defaultdict(set)

    def row_of(day: str) -> Row:
        row = out.setdefault(period_of(day, period), Row(period_of(day, period), day))
        row.first_day = min(row.first_day, day)
        return row

    for day, doc_type, documents, pages in daily:
        if not day:
            continue
        row = row_of(day)
        row.documents += documents
        row.pages += pages or 0
        row.by_type[doc_type or "Không rõ loại"] = row.by_type.get(doc_type or "Không rõ loại", 0) + documents
    for day, dossier in dossier_days:
        if day:
            dossiers[row_of(day).period].add(dossier)
    for row in out.values():
        row.dossiers = len(dossiers[row.period])
    for when, _ in failed:
        row_of(datetime.fromtimestamp(when).date().isoformat()).failed += 1
    return sorted(out.values(), key=lambda r: r.first_day)


def reasons(failed: list[tuple[float, str]]) -> dict[str, int]:
    """Failures by their reason, as a clerk reads it (Vietnamese), most frequent first."""
    counts: dict[str, int] = defaultdict(int)
    for _, kind in failed:
        counts[REASONS[kind][0].split(":")[0].rstrip(".") if kind in REASONS else kind] += 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


# A spreadsheet runs a cell that begins with one of these as a formula (OWASP's CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """A text cell a spreadsheet shows as text: a leading apostrophe before a formula's start."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


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
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - h - 4:.1f}" font-size="15" text-anchor="middle">'
                     f'{value}</text>')
        if len(values) <= 16 or i % (len(values) // 12 + 1) == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height + 16}" font-size="14" text-anchor="middle">'
                         f'{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def to_csv(report: list[Row]) -> str:
    types = sorted({t for row in report for t in row.by_type})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([cell(c) for c in ["Kỳ", "Tài liệu", "Trang", "Hồ sơ", "Lỗi", *types]])
    for row in report:
        writer.writerow([cell(row.period), row.documents, row.pages, row.dossiers, row.failed,
                         *(row.by_type.get(t, 0) for t in types)])
    return out.getvalue()
