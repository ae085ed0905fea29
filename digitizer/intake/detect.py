"""Tell the file type from its first bytes; the name's extension is not trusted."""

from __future__ import annotations

from ..errors import DigitizerError
from ..model import ErrorKind

SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]


def sniff(data: bytes) -> str:
    """The media type of `data`, or DigitizerError for empty and unsupported content."""
    if not data:
        raise DigitizerError(ErrorKind.EMPTY_FILE)
    head = data[:1024]
    for magic, media_type in SIGNATURES:
        if head.startswith(magic):
            return media_type
    # Some PDF writers put junk before the header; readers accept it within the first KB.
    if b"%PDF-" in head:
        return "application/pdf"
    raise DigitizerError(ErrorKind.UNSUPPORTED_FORMAT, f"first bytes {data[:8]!r}")
