"""Tone marks put right in a document's OCR words: where Tesseract misread a phrase the
document prints rightly elsewhere (tones.Usage), and syllables no Vietnamese text uses
("khân", "triên") that make a word with a neighbour in one reading only. In the words
themselves, so the record's text, the search index and the PDF's text layer agree."""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby

from ..model import PageResult, Word
from ..text import page_text
from .tones import Usage, fix_tones


def respell(pages: list[PageResult]) -> list[PageResult]:
    """`pages` with each OCR line's misread tone marks put right (tones.fix_tones, running text)."""
    usage = Usage.of("\n".join(page.text for page in pages))
    return [_respelled(page, usage) if page.ocr == "tesseract" else page for page in pages]


def _respelled(page: PageResult, usage: Usage) -> PageResult:
    words: list[Word] = []
    for _, group in groupby(page.words, key=lambda w: w.line):
        line = list(group)
        text = " ".join(w.text for w in line)
        fixed = fix_tones(text, usage, running_text=True).split(" ")
        if len(fixed) == len(line):     # a word holding a space (a text layer's) keeps the line as read
            line = [w if w.text == new else replace(w, text=new) for w, new in zip(line, fixed)]
        words.extend(line)
    if all(a is b for a, b in zip(words, page.words)):
        return page
    return replace(page, words=words, text=page_text(words))
