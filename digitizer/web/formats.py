"""How values are shown to a Vietnamese clerk: dates, times, where a value was read, the words
of a query marked in a text, a download's name. Registered as template filters."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlencode

from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.datastructures import QueryParams

from ..model import BlockKind, Field, Record
from ..storage.revisions import current
from ..text import fold, page_ranges

FIELD_LABELS = {
    "doc_number": "Số, ký hiệu", "issue_date": "Ngày ban hành", "place": "Địa danh", "issuer": "Cơ quan ban hành",
    "subject": "Trích yếu", "signer": "Người ký", "person_name": "Họ và tên", "birth_date": "Ngày sinh",
    "id_number": "Số định danh", "address": "Địa chỉ", "phone": "Số điện thoại", "dossier_code": "Mã hồ sơ",
    "recipient": "Kính gửi", "procedure": "Thủ tục"}

# The layout's blocks as a clerk names the parts of a page: where to look for a field.
BLOCK_NAMES = {BlockKind.ISSUER: "cơ quan ban hành, số", BlockKind.MOTTO: "quốc hiệu",
               BlockKind.DATE: "địa danh, ngày tháng", BlockKind.TITLE: "tên loại văn bản",
               BlockKind.SUBJECT: "trích yếu", BlockKind.AUTHORITY: "thẩm quyền ban hành",
               BlockKind.ROW: "dòng khai", BlockKind.BODY: "nội dung", BlockKind.RECIPIENTS: "nơi nhận",
               BlockKind.SIGNER: "chức vụ, người ký", BlockKind.MARKS: "dấu, chữ viết tay"}


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


def vn_epoch(seconds: float) -> str:
    return datetime.fromtimestamp(seconds).strftime("%H:%M:%S %d/%m/%Y")


def reason_parts(error: str | None) -> tuple[str, str]:
    """'vi / en (detail)' -> ('vi / en', 'detail'): the reason for staff, the technical detail apart."""
    vi, _, rest = (error or "").partition(" / ")
    en, _, detail = rest.partition(" (")
    return (f"{vi} / {en}" if rest else vi), detail.removesuffix(")")


def pager(params: QueryParams, page: int) -> str:
    """The same query on another page."""
    return urlencode([*((k, v) for k, v in params.multi_items() if k != "page"), ("page", page)])


def register(templates: Jinja2Templates) -> None:
    for name, filter_ in (("highlight", highlight), ("page_ranges", page_ranges), ("vn_date", vn_date),
                          ("read_where", read_where), ("vn_time", vn_time), ("vn_epoch", vn_epoch),
                          ("reason_parts", reason_parts), ("pager", pager)):
        templates.env.filters[name] = filter_
