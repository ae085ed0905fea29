"""A page printed without Vietnamese marks (a shop's till receipt: "Tong cong", "Tien mat")
keeps none. Tesseract's Vietnamese model reads marks into such print ("Tiên", "HÀ DŨNG"),
which are errors however they are weighed: the page as a whole says it was printed plain.

Vietnamese in its own letters marks over a quarter of them (28-29 % on the letters of
../shared/realworld/; 11-27 % on accented receipts, which read 18-32 %); a receipt printed plain
reads 0-17 % (viText's labelled receipts, bench/vitext_receipts.py).

Faint dot-matrix print misreads into marks of its own: four of viText's 16 plain receipts read
15-17 % marked. Those marks come at little confidence; the words Tesseract is sure of show
the print: 4-13 % marked on those four, 19.5 % and more on every accented receipt and letter
(the lowest is no_0213, whose labels mark 11 % of its letters)."""

from __future__ import annotations

from dataclasses import replace

from ..model import PageResult
from ..text import page_text, unmarked

PLAIN_SHARE = 0.12      # a reading with fewer of its letters marked was printed without marks
MIN_LETTERS = 100       # fewer letters than this say too little about the print
# Words read at SURE_WORD or more show the print as it is; with fewer than SURE_PLAIN_SHARE of
# their letters marked (and MIN_SURE_LETTERS of them at least, a line or two), the print had no
# marks. Set on viText's receipts: the four faint plain ones read 4-13 % marked in 16-125 sure
# letters, the accented ones and ../shared/realworld/'s letters 19.5 % and more.
SURE_WORD = 0.7
SURE_PLAIN_SHARE = 0.15
MIN_SURE_LETTERS = 20


def printed_plain(page: PageResult) -> bool:
    """Read from print without marks: enough letters, few of them marked. `page` holds only
    words that are text (ocr.garbage.without_garbage): marks and specks read as letters carry
    marks of their own."""
    letters = [c for c in page.text if c.isalpha()]
    if page.ocr != "tesseract" or len(letters) < MIN_LETTERS:
        return False
    if _marked(letters) < PLAIN_SHARE * len(letters):
        return True
    sure = [c for word in page.words if word.confidence >= SURE_WORD for c in word.text if c.isalpha()]
    return len(sure) >= MIN_SURE_LETTERS and _marked(sure) < SURE_PLAIN_SHARE * len(sure)


def _marked(letters: list[str]) -> int:
    return sum(1 for c in letters if not c.isascii())


def without_marks(page: PageResult) -> PageResult:
    """The page's reading without Vietnamese marks."""
    words = [replace(w, text=unmarked(w.text), doubts=()) for w in page.words]
    return replace(page, words=words, text=page_text(words))
