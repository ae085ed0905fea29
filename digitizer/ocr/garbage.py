"""Marks Tesseract reads as characters: a rubber stamp's box, a seal's scrawl, a handwritten
date, read with almost no confidence and with symbols no Vietnamese word holds
("|TRkRG†E€ônG", "Ngày:4,4LL.3..L..44........"). They are no text: not in the record, the
index or the PDF's text layer. The field rules still see them, as the layout they are: a
received stamp beside the subject parts it from the body's lines."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from itertools import groupby

from ..model import PageResult, Word
from ..text import mostly_junk, page_text

UNSURE = 0.3    # below this confidence (0..1) a word must also look like text to be kept
SPECK_CHARS = 3  # a line of specks reads as words this short, on average
MIN_SPECK_RUN = 2   # doubtful specks in a row on a printed line: one alone may be a misread letter
# Combining marks of Vietnamese letters: the five tones, and circumflex, breve, horn.
VIETNAMESE_MARKS = set("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")
PUNCTUATION = set(".,;:!?()[]{}/\\-–—\"'“”‘’%&…*+=<>#@§°_·•")


def _foreign(ch: str) -> bool:
    """A character of no Vietnamese word, number or sentence (†, €, ¬, |, Ø)."""
    if ch.isdigit() or ch in PUNCTUATION or ch in "đĐ":
        return False
    parts = unicodedata.normalize("NFD", ch)
    return not (parts[0].isascii() and parts[0].isalpha() and all(m in VIETNAMESE_MARKS for m in parts[1:]))


def is_garbage(word: Word) -> bool:
    """Read with little confidence, and holding a foreign character or more marks than letters."""
    text = word.text
    return word.confidence < UNSURE and (any(_foreign(ch) for ch in text)
                                        or 2 * sum(ch.isalnum() for ch in text) < len(text))


def _specks(run: list[Word]) -> bool:
    """Short (three characters or fewer on average) and mostly not words."""
    texts = [w.text for w in run]
    return sum(len(t) for t in texts) <= SPECK_CHARS * len(run) and mostly_junk(texts)


def _lone_mark(line: str) -> bool:
    """A line of one letter at most and no figure: the edge of a photo, a fingerprint or a
    guilloche read however surely ("Ạ :", "£", ")"). A page number has its figure."""
    return sum(ch.isalpha() for ch in line) <= 1 and not any(ch.isdigit() for ch in line)


def noise(words: list[Word]) -> set[int]:
    """Indices of the words that are specks read as text: a line with one letter at most, a
    whole line of them, or a run of two or more on a line, each read with little confidence,
    short and mostly no word. A sheet's grain reads as 150 such lines of single characters;
    handwriting after a form's label as "Tên ti 2Á. z2 TM". No printed line reads so. A long
    misread word (a URL at no confidence) is kept: most of its characters are still right."""
    found: set[int] = set()
    for _, group in groupby(range(len(words)), key=lambda i: words[i].line):
        line = list(group)
        if _lone_mark("".join(words[i].text for i in line)):
            found.update(line)
            continue
        run: list[int] = []
        for i in [*line, -1]:       # -1 closes the last run
            if i >= 0 and words[i].confidence < UNSURE:
                run.append(i)
                continue
            whole = len(run) == len(line)
            if run and (whole or len(run) >= MIN_SPECK_RUN) and _specks([words[j] for j in run]):
                found.update(run)
            run = []
    return found


def without_garbage(page: PageResult) -> PageResult:
    """The page with only the words that are text: no marks, no specks."""
    specks = noise(page.words)
    words = [w for i, w in enumerate(page.words) if not (is_garbage(w) or i in specks)]
    return page if len(words) == len(page.words) else replace(page, words=words, text=page_text(words))
