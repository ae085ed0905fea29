"""A page printed without Vietnamese marks (a shop's till receipt: "Tong cong", "Tien mat")
keeps none. Tesseract's Vietnamese model reads marks into such print ("Tiên", "HÀ DŨNG"),
which are errors however they are weighed: the page as a whole says it was printed plain.

Vietnamese in its own letters marks over a quarter of them (28-29 % on the letters of
../shared/realworld/; 11-27 % on accented receipts, which read 18-32 %); a receipt printed plain
reads 0-17 % (viText's labelled receipts, bench/vitext_receipts.py)."""

from __future__ import annotations

from dataclasses import replace

from ..model import PageResult
from ..text import page_text, unmarked

PLAIN_SHARE = 0.12      # a reading with fewer of its letters marked was printed without marks
MIN_LETTERS = 100       # fewer letters than this say too little about the print


def printed_plain(page: PageResult) -> bool:
    """Read from print without marks: enough letters, few of them marked. `page` holds only
    words that are text (ocr.garbage.without_garbage): marks and specks read as letters carry
    marks of their own."""
    letters = [c for c in page.text if c.isalpha()]
    marked = sum(1 for c in letters if not c.isascii())
    return page.ocr == "tesseract" and len(letters) >= MIN_LETTERS and marked < PLAIN_SHARE * len(letters)


def without_marks(page: PageResult) -> PageResult:
    """The page's reading without Vietnamese marks."""
    words = [replace(w, text=unmarked(w.text), doubts=()) for w in page.words]
    return replace(page, words=words, text=page_text(words))
