"""A form's values written by hand, where no pen colour tells (a grey scan): the words after a
form's label that stand on the row's dotted leader, or that read as a scrawl ("Họ và tên: 2.
Q//2/42 //UáC"). They are no text; their box is a region of handwriting, as a pen's is, for a
person to type the value from."""

from __future__ import annotations

import re
from itertools import groupby
from typing import Sequence

from ..model import Block, BlockKind, Box, Word
from ..text import fold, is_wordlike, mostly_junk, word_core
from .labels import SIGNING, row_label_length
from .leaders import words_box, written_over
from .measures import CODE_DIGITS, PRINTED, SCRAWL_DOUBT

# A printed code: letters and digits in groups parted by single dots, dashes or slashes
# ("H45.65.74-230607-8179", "15/2023/QĐ-UBND"), which Tesseract reads with little confidence.
CODE = re.compile(r"[^\W_]+(?:[./-][^\W_]+)*")
CODE_PARTS = re.compile(r"[./-]")
# A code of one part is a number, perhaps after letters ("B1234567"); letters among its digits
# are digits written by hand and misread ("Q9381505Z7").
NUMBER = re.compile(r"[^\W\d_]*\d+")
# A dotted leader read with what was written over it: "....z£", "...029180381".
LEADER = re.compile(r"[.…]{2,}")


def _printed(text: str) -> bool:
    """A word or a printed code."""
    core = word_core(text)
    if is_wordlike(text):
        return True
    if not CODE.fullmatch(core) or sum(ch.isdigit() for ch in core) < CODE_DIGITS:
        return False
    return len(CODE_PARTS.split(core)) > 1 or bool(NUMBER.fullmatch(core))


def _scrawl(words: list[Word]) -> bool:
    """Read as handwriting reads: with less confidence than print, and mostly neither words nor
    codes, or written over the row's dotted leader (a printed value replaces the dots, and the
    cleanup erases a leader nothing crosses), or with a word read at hardly any confidence
    beside others (print reads evenly: "“sàng kãr! (171g" at 0.40, 0.00, 0.68); or with hardly
    any confidence at all (digits written by hand: "__)32671643.1" at 0.08)."""
    confidence = sum(w.confidence for w in words) / len(words)
    if confidence < SCRAWL_DOUBT:
        return True
    over_leader = LEADER.match(words[0].text) is not None
    uneven = min(w.confidence for w in words) < SCRAWL_DOUBT
    return confidence < PRINTED and (over_leader or uneven or mostly_junk([w.text for w in words], _printed))


def _value(words: list[Word], indices: list[int]) -> list[int]:
    """The words after a form's label that ends with a colon, on a line the label opens."""
    label = row_label_length([words[i].text for i in indices])
    return indices[label:] if label else []


def _signed_by_hand(lines: dict[int, list[int]], words: list[Word], blocks: list[Block]) -> list[int]:
    """The lines under a form's signing line ("Người làm đơn", "(Ký, ghi rõ họ tên)"): where the
    citizen signs and writes their name."""
    under: list[int] = []
    for block in blocks:
        if block.kind != BlockKind.SIGNER:
            continue
        signing = [k for k, line in enumerate(block.lines)
                   if SIGNING.match(fold(" ".join(words[i].text for i in lines.get(line, []))))]
        if signing:
            under += block.lines[signing[-1] + 1:]
    return under


def handwritten_values(words: list[Word], blocks: list[Block],
                       leaders: Sequence[Box] = ()) -> tuple[list[Word], list[Box]]:
    """(the words that are not a form's handwritten values, the boxes of those values). Only
    a form's rows are looked at (the layout may call a row drowned in scrawl a mark): a
    letter's "Số:" with its number filled in by hand keeps its printed part. A value on the
    row's dotted leader (`leaders`, pixels of the words' page) was written into the form, even
    where Tesseract read it with confidence ("Số điện thoại: 0935.386825 4" at 0.57-0.92). A
    form filled in by hand is signed by the same hand: the name under its signing line is a
    value too."""
    rows = {line for block in blocks if block.kind in (BlockKind.ROW, BlockKind.MARKS) for line in block.lines}
    lines = {line: list(group) for line, group in groupby(range(len(words)), key=lambda i: words[i].line)}
    values: list[list[int]] = []
    continued = False       # the line before was a handwritten value, which a long one runs on from

    def by_hand(indices: list[int]) -> bool:
        value = [words[i] for i in indices]
        return _scrawl(value) or written_over(leaders, value)

    for line, indices in lines.items():
        value = _value(words, indices) if line in rows else []
        if value and by_hand(value):
            values.append(value)
            continued = True
        elif continued and not value and line in rows and by_hand(indices):
            values[-1] = values[-1] + indices
        else:
            continued = False
    if values:
        values += [lines[line] for line in _signed_by_hand(lines, words, blocks) if line in lines]
    drop = {i for value in values for i in value}
    return [w for i, w in enumerate(words) if i not in drop], [words_box([words[i] for i in value]) for value in values]
