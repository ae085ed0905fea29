"""Reading produced PDFs the way a clerk's tools do: poppler's pdftotext and PyMuPDF."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def pdftotext(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdftotext", "-enc", "UTF-8", f.name, "-"], capture_output=True, text=True,
                              check=True).stdout


def write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path
