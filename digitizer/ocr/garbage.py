"""Marks Tesseract reads as characters: a rubber stamp's box, a seal's scrawl, a handwritten
date, read with almost no confidence and with symbols no Vietnamese word holds
("|TRkRG†E€ônG", "Ngày:4,4LL.3..L..44........"). They are no text: not in the record, the
index or the PDF's text layer. The field rules still see them, as the layout they are: a
received stamp beside the subject parts it from the body's lines."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from ..model import PageResult, Word
from ..text import page_text

UNSURE = 0.3    # below this confidence (0..1) a word must also look like text to be kept
SPECK_CHARS = 3  # a line of specks reads as words this short, on average
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


def is_wordlike(text: str) -> bool:
    """Could be a Vietnamese syllable or a figure: letters holding a vowel, at most seven of
    them ("nghiêng"), or digits without letters. Not "E2222211112222", "ccrrrrrree" or "Á"."""
    core = text.strip(".,;:!?()[]\"'“”‘’-–")
    if core.isalpha():
        bare = unicodedata.normalize("NFD", core.lower())
        return len(core) >= 2 and len(core) <= 7 and any(ch in "aeiouy" for ch in bare)
    return any(ch.isdigit() for ch in core) and not any(ch.isalpha() for ch in core)


def noise_lines(words: list[Word]) -> set[int]:
    """Lines of specks: every word read with little confidence, short (three characters or
    fewer on average) and mostly not a word. A sheet's grain or a hatched box reads as 150 such
    lines of single characters; no printed line does. A long misread word (a URL at no
    confidence) is kept: most of its characters are still right."""
    lines: dict[int, list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    noisy = set()
    for line, group in lines.items():
        chars = sum(len(w.text) for w in group)
        junk = sum(len(w.text) for w in group if not is_wordlike(w.text))
        if all(w.confidence < UNSURE for w in group) and chars <= SPECK_CHARS * len(group) and 2 * junk >= chars:
            noisy.add(line)
    return noisy


def without_garbage(page: PageResult) -> PageResult:
    """The page with only the words that are text: no marks, no lines of noise."""
    noisy = noise_lines(page.words)
    words = [w for w in page.words if not (is_garbage(w) or w.line in noisy)]
    return page if len(words) == len(page.words) else replace(page, words=words, text=page_text(words))
