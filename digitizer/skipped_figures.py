"""A receipt's amounts that Tesseract's layout skipped. Printed far right of their items, a
column of prices can be taken for a picture and left unread whole, by raw Tesseract too (a
till receipt in a fixed-pitch font: its prices and its total). On a narrow page,
each line of ink no word was read from is read as one line, and kept when it reads as figures
with confidence; a logo, a barcode or a signature read so gives letters and symbols, or
figures Tesseract is not sure of, and stays unread."""

from __future__ import annotations

from dataclasses import replace

from .config import OcrSettings
from .form_rows import read_line
from .imaging.clean import CleanPage
from .imaging.unread import unread_lines
from .layout import narrow
from .model import Word
from .ocr.tesseract import merge_lines

MIN_FIGURES_IN = 0.08      # narrower ink is a speck or a lone mark; a price ("5.000" at 8 pt) is 0.3 in
# Ink this close beside a word read is part of it: viText's no_0146 boxed "09:00" as "09:0",
# leaving 0.1 in of it unread, which reads "30" at 0.97; the generated till receipt's prices
# stand 1.5 in or more from their items.
APART_IN = 0.2
# Mean confidence a skipped line's figures must be read with: the generated till receipt's
# prices read at 0.9 and more; what reads as figures with less is not taken for a price.
SURE_FIGURES = 0.7


def figures(read: list[Word]) -> bool:
    """More digits than letters, read with confidence: "29.000", "1 x 45.000"."""
    text = "".join(w.text for w in read)
    digits, letters = sum(c.isdigit() for c in text), sum(c.isalpha() for c in text)
    sure = sum(w.confidence for w in read) >= SURE_FIGURES * len(read)
    return bool(read) and digits > letters and sure


def _beside(box: tuple[int, int, int, int], word: tuple[int, int, int, int], apart: float) -> bool:
    """On the same row, less than `apart` from each other."""
    same_row = min(box[3], word[3]) > max(box[1], word[1])
    return same_row and max(box[0] - word[2], word[0] - box[2]) < apart


def read_skipped_figures(clean: CleanPage, words: list[Word], ocr: OcrSettings) -> tuple[list[Word], list[str]]:
    """`words` with the figures of a narrow page's skipped lines; a note of what was added."""
    height, width = clean.reading.shape[:2]
    if not narrow(width, height, clean.reading_dpi):
        return words, []
    found: list[list[Word]] = []
    apart = APART_IN * clean.reading_dpi
    for box in unread_lines(clean.reading, [w.box for w in words], clean.reading_dpi, MIN_FIGURES_IN):
        if any(_beside(box, w.box, apart) for w in words):
            continue
        read = read_line(clean, box, ocr)
        if figures(read):
            found.append([replace(w, line=len(found)) for w in read])
    if not found:
        return words, []
    note = "figures the layout skipped, read as lines: " + ", ".join(" ".join(w.text for w in line) for line in found)
    return merge_lines(words, [w for line in found for w in line]), [note]
