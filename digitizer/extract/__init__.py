"""Key fields of Vietnamese administrative documents (design §3)."""

from __future__ import annotations

from ..model import Field, PageResult


def extract_fields(pages: list[PageResult]) -> tuple[Field | None, dict[str, Field]]:
    """Document type and key fields. Filled in by the key-fields work (issue 3)."""
    return None, {}
