"""What a clerk may write into a document's fields: known names, values in their field's form."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

NAMES = {"doc_type", "doc_number", "issue_date", "place", "issuer", "subject", "signer", "person_name",
         "birth_date", "id_number", "address", "phone", "dossier_code", "recipient", "procedure"}
MAX_LENGTH = 1000
DIGITS = {"id_number": (9, 12), "phone": (10, 11)}


class Correction(BaseModel):
    """PATCH /api/documents/{id}: new values (null or "" removes one), and whether a person checked it."""
    model_config = ConfigDict(extra="forbid")
    fields: dict[str, str | None] = Field(default_factory=dict)
    verified: bool = False


def problems(fields: dict[str, str | None]) -> list[str]:
    """What is wrong with the values, for a 422 a clerk can read; empty when they can be written."""
    found = []
    for name, value in fields.items():
        if name not in NAMES:
            found.append(f"{name}: không có trường này / no such field")
        elif value and len(value) > MAX_LENGTH:
            found.append(f"{name}: quá dài / longer than {MAX_LENGTH} characters")
        elif value and name in DIGITS and (not value.isdigit() or len(value) not in DIGITS[name]):
            found.append(f"{name}: chỉ gồm {' hoặc '.join(map(str, DIGITS[name]))} chữ số / "
                         f"{' or '.join(map(str, DIGITS[name]))} digits only")
        elif value and name in ("issue_date", "birth_date") and not _iso_date(value):
            found.append(f"{name}: ngày dạng YYYY-MM-DD / a date as YYYY-MM-DD")
    return found


def normalised(fields: dict[str, str | None]) -> dict[str, str | None]:
    """NFC, whitespace collapsed; empty values are removals."""
    return {name: re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip() or None if value else None
            for name, value in fields.items()}


def _iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))
