"""What a clerk may write into a document's fields: known names, values in their field's form.

Values are taken as a Vietnamese clerk types them: dates as dd/mm/yyyy (or ISO), full-width
digits from an IME folded to ASCII. Then they must be what the field holds: an id number is 9
or 12 ASCII digits and not all zeros; a phone 10 or 11 digits starting with 0; a date between
1900 and today (an issue date may be up to a year ahead); a type one of the known types.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field

from ..layout.doctypes import CONG_VAN, DOC_TYPES

NAMES = {"doc_type", "doc_number", "issue_date", "place", "issuer", "subject", "signer", "person_name",
         "birth_date", "id_number", "address", "phone", "dossier_code", "recipient", "procedure"}
MAX_LENGTH = 1000
DATES = ("issue_date", "birth_date")
OTHER_TYPE = "Khác"
KNOWN_TYPES = sorted({t.name for t in DOC_TYPES} | {CONG_VAN.name}) + [OTHER_TYPE]
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
EARLIEST = date(1900, 1, 1)


class Correction(BaseModel):
    """PATCH /api/documents/{id}: new values (null or "" removes one), and whether a person checked it."""
    model_config = ConfigDict(extra="forbid")
    fields: dict[str, str | None] = Field(default_factory=dict)
    verified: bool = False


def parse_day(text: str) -> date | None:
    """'25/11/2025', '25-11-2025', '25.11.2025' or '2025-11-25' -> the date; None if it is none."""
    text = text.strip()
    if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
        day, month, year = map(int, m.groups())
    elif m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        year, month, day = map(int, m.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def normalised(fields: dict[str, str | None]) -> dict[str, str | None]:
    """NFC, whitespace collapsed, empty values as removals; full-width digits of numbers as
    ASCII, a phone's spaces and dots dropped, a date typed dd/mm/yyyy as ISO."""
    out: dict[str, str | None] = {}
    for name, value in fields.items():
        value = re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip() or None if value else None
        if value and name in ("id_number", "phone"):
            value = value.translate(FULL_WIDTH_DIGITS)
            value = re.sub(r"[ .\-]", "", value) if name == "phone" else value
        if value and name in DATES and (day := parse_day(value)):
            value = day.isoformat()
        out[name] = value
    return out


def problems(fields: dict[str, str | None], today: date | None = None) -> list[str]:
    """What is wrong with the (normalised) values, for a 422 a clerk can read; empty when
    they can be written."""
    today = today or date.today()
    found = []
    for name, value in fields.items():
        if name not in NAMES:
            found.append(f"{name}: không có trường này / no such field")
        elif not value:
            continue
        elif len(value) > MAX_LENGTH:
            found.append(f"{name}: quá dài / longer than {MAX_LENGTH} characters")
        elif name == "id_number" and not (re.fullmatch(r"[0-9]{9}|[0-9]{12}", value) and value.strip("0")):
            found.append("Số định danh: 12 chữ số (CMND: 9), không phải toàn số 0 / id_number: 12 digits "
                         "(9 for a CMND), not all zeros")
        elif name == "phone" and not re.fullmatch(r"0[0-9]{9,10}", value):
            found.append("Số điện thoại: 10 hoặc 11 chữ số, bắt đầu bằng 0 / phone: 10 or 11 digits from 0")
        elif name in DATES:
            day = parse_day(value)
            latest = today + timedelta(days=366) if name == "issue_date" else today
            if day is None:
                found.append(f"{name}: ngày dạng ngày/tháng/năm, ví dụ 25/11/2025 / a date as dd/mm/yyyy")
            elif not EARLIEST <= day <= latest:
                found.append(f"{name}: ngày {day:%d/%m/%Y} ngoài khoảng {EARLIEST:%d/%m/%Y}–{latest:%d/%m/%Y} / "
                             "out of range")
        elif name == "doc_type" and value not in KNOWN_TYPES:
            found.append(f"doc_type: chọn một loại có sẵn (hoặc \"{OTHER_TYPE}\") / one of the known types")
    return found
