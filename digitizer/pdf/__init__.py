"""Searchable PDF: page images with an invisible, aligned text layer."""

from .builder import build_pdf
from .pdfa import PdfaMeta, to_pdfa

__all__ = ["build_pdf", "PdfaMeta", "to_pdfa"]
