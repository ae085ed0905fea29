"""Whether a document is still in force: its own "có giá trị đến …", else a rule for its type."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from ..text import fold

# Months a paper stays in force from its issue date, where the law sets it (Decree 123/2015,
# art. 23: a marital status certificate is valid six months).
VALID_MONTHS = {"Giấy xác nhận tình trạng hôn nhân": 6}
# "có giá trị (sử dụng) đến (hết) ngày 12/5/2026" or "… đến ngày 12 tháng 5 năm 2026", folded.
UNTIL = re.compile(r"co gia tri(?: su dung)? den(?: het)?(?: ngay)?\s*(\d{1,2})\s*(?:[/.-]|thang)\s*(\d{1,2})"
                   r"\s*(?:[/.-]|nam)\s*(\d{4})")


@dataclass
class Validity:
    until: date | None          # None: no end date known
    source: str                 # "document" (printed on it) | "rule" (its type's) | "" (none known)

    def in_force(self, today: date) -> bool | None:
        return None if self.until is None else today <= self.until


def validity(doc_type: str | None, issue_date: str | None, text: str) -> Validity:
    found = UNTIL.search(fold(text))
    if found:
        day, month, year = (int(g) for g in found.groups())
        try:
            return Validity(date(year, month, day), "document")
        except ValueError:
            pass
    months = VALID_MONTHS.get(doc_type or "")
    if months and issue_date:
        try:
            return Validity(_add_months(date.fromisoformat(issue_date), months), "rule")
        except ValueError:
            pass
    return Validity(None, "")


def _add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
