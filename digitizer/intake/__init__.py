"""Intake: from the bytes of a file to pages (images with their resolution, or a text layer)."""

from .detect import sniff
from .load import load_pages

__all__ = ["sniff", "load_pages"]
