"""Choose the loader by content and enforce the size limits."""

from __future__ import annotations

from typing import Iterator, NamedTuple

from ..config import LimitSettings
from ..errors import DigitizerError
from ..model import ErrorKind, SourcePage
from .detect import sniff
from .images import load_image
from .pdf import load_pdf


class Loaded(NamedTuple):
    media_type: str
    pages: Iterator[SourcePage]          # lazy: large documents stream
    unread: list[int]                    # pages of a damaged PDF left out (limits.damaged_pdf = "partial")


def load_pages(data: bytes, limits: LimitSettings) -> Loaded:
    """The media type, the pages, and the pages a damaged PDF lost."""
    media_type = sniff(data)
    if len(data) > limits.max_file_mb * 1024 * 1024:
        raise DigitizerError(ErrorKind.TOO_LARGE, f"{len(data) / 1e6:.0f} MB, limit {limits.max_file_mb:.0f} MB")
    if media_type == "application/pdf":
        return Loaded(media_type, *load_pdf(data, limits.max_pixels, limits.max_pages, limits.damaged_pdf))
    return Loaded(media_type, load_image(data, limits.max_pixels, limits.max_pages), [])
