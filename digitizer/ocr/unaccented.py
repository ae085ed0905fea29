"""A page printed without Vietnamese marks (a shop's till receipt: "Tong cong", "Tien mat")
keeps none. Tesseract's Vietnamese model reads marks into such print ("Tiên", "HÀ DŨNG"),
which are errors however they are weighed: the page as a whole says it was printed plain.

Vietnamese in its own letters marks over a quarter of them (28-29 % on the letters of
../shared/realworld/; 11-27 % on accented receipts, which read 18-32 %); a receipt printed plain
reads 0-17 % (viText's labelled receipts, bench/vitext_receipts.py)."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from ..model import PageResult
from ..text import page_text
from .garbage import without_garbage

PLAIN_SHARE = 0.12      # a reading with fewer of its letters marked was printed without marks
MIN_LETTERS = 100       # fewer letters than this say too little about the print


def _plain_char(c: str) -> str:
    if c in "đĐ":
        return "d" if c == "đ" else "D"
    return unicodedata.normalize("NFD", c)[0]


# The Latin letters Vietnamese marks (Latin-1, Latin Extended, the Vietnamese block), unmarked.
_PLAIN = {cp: _plain_char(chr(cp)) for r in ((0xC0, 0x250), (0x1E00, 0x1F00))
          for cp in range(*r) if chr(cp).isalpha() and _plain_char(chr(cp)).isascii()}


def unmarked(text: str) -> str:
    """'Tiên mặt ĐÃ' -> 'Tien mat DA': the letters without their marks, case kept."""
    return unicodedata.normalize("NFC", text).translate(_PLAIN)


def printed_plain(text: str) -> bool:
    """The reading of a page printed without marks: enough letters, few of them marked."""
    letters = [c for c in text if c.isalpha()]
    marked = sum(1 for c in letters if not c.isascii())
    return len(letters) >= MIN_LETTERS and marked < PLAIN_SHARE * len(letters)


def as_printed(page: PageResult) -> PageResult:
    """The page's reading without the marks its print does not have; told by its words that
    are text (marks and specks read as letters carry marks of their own)."""
    if page.ocr != "tesseract" or not printed_plain(without_garbage(page).text):
        return page
    words = [replace(w, text=unmarked(w.text), doubts=()) for w in page.words]
    return replace(page, words=words, text=page_text(words))
