"""Choose the loader by content and enforce the size limits."""

from __future__ import annotations

from typing import Iterator

from ..config import LimitSettings
from ..errors import DigitizerError
from ..model import ErrorKind, SourcePage
from .detect import sniff
from .images import load_image
from .pdf import load_pdf


def load_pages(data: bytes, limits: LimitSettings) -> tuple[str, Iterator[SourcePage]]:
    """The media type and a lazy iterator over the pages (large documents stream)."""
    media_type = sniff(data)
    if len(data) > limits.max_file_mb * 1024 * 1024:
        raise DigitizerError(ErrorKind.TOO_LARGE, f"{len(data) / 1e6:.0f} MB, limit {limits.max_file_mb:.0f} MB")
    loader = load_pdf if media_type == "application/pdf" else load_image
    return media_type, loader(data, limits.max_pixels, limits.max_pages)
