"""Searchable PDF: page images with an invisible, aligned text layer."""

from .builder import build_pdf

__all__ = ["build_pdf"]
