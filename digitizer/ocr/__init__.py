"""Tesseract: words with boxes and confidences."""

from .tesseract import recognize

__all__ = ["recognize"]
