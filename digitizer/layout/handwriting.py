"""A form's values written by hand, told by how Tesseract read them, where no pen colour tells
(a grey scan): the words after a form's label that read as a scrawl ("Họ và tên: 2. Q//2/42
//UáC"). They are no text; their box is a region of handwriting, as a pen's is, for a person
to type the value from."""

from __future__ import annotations

import re
from itertools import groupby

from ..model import Block, BlockKind, Box, Word
from ..text import fold, is_wordlike, mostly_junk, word_core
from .labels import ROW_LABEL
from .measures import CODE_DIGITS, LABEL_WORDS, SCRAWL, SCRAWL_DOUBT

# A printed code: letters and digits in groups parted by single dots, dashes or slashes
# ("H45.65.74-230607-8179", "15/2023/QĐ-UBND"), which Tesseract reads with little confidence.
CODE = re.compile(r"[^\W_]+(?:[./-][^\W_]+)*")


def _printed(text: str) -> bool:
    core = word_core(text)
    return is_wordlike(text) or bool(CODE.fullmatch(core)) and sum(ch.isdigit() for ch in core) >= CODE_DIGITS


def _scrawl(words: list[Word]) -> bool:
    """Read as handwriting reads: with little confidence and mostly neither words nor codes,
    or with hardly any confidence at all (digits written by hand: "__)32671643.1" at 0.08)."""
    confidence = sum(w.confidence for w in words) / len(words)
    return confidence < SCRAWL_DOUBT or confidence < SCRAWL and mostly_junk([w.text for w in words], _printed)


def _value(words: list[Word], indices: list[int]) -> list[int]:
    """The words after a form's label that ends with a colon, on a line the label opens."""
    label_end = next((k for k, i in enumerate(indices[:LABEL_WORDS]) if ":" in words[i].text), None)
    if label_end is None:
        return []
    label = fold(" ".join(words[i].text for i in indices[:label_end + 1]))
    return indices[label_end + 1:] if ROW_LABEL.match(label) else []


def handwritten_values(words: list[Word], blocks: list[Block]) -> tuple[list[Word], list[Box]]:
    """(the words that are not a form's handwritten values, the boxes of those values). Only
    a form's rows are looked at (the layout may call a row drowned in scrawl a mark): a
    letter's "Số:" with its number filled in by hand keeps its printed part."""
    rows = {line for block in blocks if block.kind in (BlockKind.ROW, BlockKind.MARKS) for line in block.lines}
    drop: set[int] = set()
    regions: list[Box] = []
    for line, group in groupby(range(len(words)), key=lambda i: words[i].line):
        value = _value(words, list(group)) if line in rows else []
        if value and _scrawl([words[i] for i in value]):
            drop.update(value)
            regions.append((min(words[i].left for i in value), min(words[i].top for i in value),
                            max(words[i].left + words[i].width for i in value),
                            max(words[i].top + words[i].height for i in value)))
    return [w for i, w in enumerate(words) if i not in drop], regions
