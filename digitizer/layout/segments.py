"""The one segmenter: Tesseract's lines cut where columns part, and rows of segments side by side."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import groupby
from statistics import median

from ..model import Word
from ..text import fold, motto_in, nfc
from .labels import PERSONAL_LABEL, row_label_length
from .measures import CAPITALS, GAP_HEIGHTS, NOISE_CONFIDENCE, SAME_ROW

BARS = ("|", "¦", "||")


@dataclass
class Segment:
    words: list[Word]

    @property
    def x0(self) -> int:
        return min(w.left for w in self.words)

    @property
    def x1(self) -> int:
        return max(w.left + w.width for w in self.words)

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.top + w.height for w in self.words)

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def middle(self) -> float:
        """The centre across."""
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        """The median word height: the letter size."""
        return median(w.height for w in self.words)

    @cached_property
    def text(self) -> str:
        return " ".join(nfc(w.text) for w in self.words)

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

    @property
    def capitals(self) -> bool:
        return upper_ratio(self.text) > CAPITALS

    @property
    def is_text(self) -> bool:
        """Not a speck, a stray mark or a seal's scrawl read as characters (those are read
        with little confidence): at least two letters or digits, and half of them, in words
        read with confidence. One doubtful word (".Xơi nhận:") does not make a label a mark."""
        def letters(words: list[Word]) -> int:
            return sum(c.isalnum() for w in words for c in w.text)
        sure = letters([w for w in self.words if w.confidence >= NOISE_CONFIDENCE])
        return sure >= 2 and 2 * sure >= letters(self.words)

    @property
    def lettered(self) -> bool:
        """Two letters or digits at least, however surely read: printed text where printed
        text is expected (a header, a name under a seal), a mark elsewhere."""
        return sum(c.isalnum() for c in self.text) >= 2

    def word_at(self, offset: int) -> Word:
        """The word at a character offset of `text`."""
        pos = 0
        for word in self.words:
            pos += len(nfc(word.text)) + 1
            if offset < pos:
                return word
        return self.words[-1]


def upper_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


@dataclass
class Row:
    segments: list[Segment] = field(default_factory=list)

    @property
    def centre(self) -> float:
        return self.segments[0].centre

    @property
    def height(self) -> int:
        return self.segments[0].bottom - self.segments[0].top


def _bar(word: Word) -> bool:
    """A vertical rule read as a word (a table's or a stamp's border): it parts what is beside it."""
    return word.text.strip() in BARS


def segments(words: list[Word]) -> list[Segment]:
    """Tesseract's lines, each split where a gap between words is wider than GAP_HEIGHTS word
    heights (a mark read inside the gap, such as a header's rule read as "_", does not bridge
    it), at a vertical bar (a segment of its own), and before the national motto where it
    follows the left column's first line. A form's row about a person keeps its value with
    its label, however far along the blank it was written."""
    out: list[Segment] = []
    for _, group in groupby(words, key=lambda w: w.line):
        line = _at_rule(sorted(group, key=lambda w: w.left))
        height = median(w.height for w in line)
        current = [line[0]]
        edge = line[0].left + line[0].width       # right edge of the last word that is not a mark
        label = row_label_length([w.text for w in line], PERSONAL_LABEL)
        for i, word in enumerate(line[1:], 1):
            printed = any(c.isalnum() for c in word.text)
            gap = word.left - (line[i - 1].left + line[i - 1].width)
            parted = gap > GAP_HEIGHTS * height or _bar(word) or _bar(line[i - 1]) or \
                (printed and (word.left - edge > GAP_HEIGHTS * height or _opens_motto(line, i)))
            if parted and i != label:       # not between a person's row label and its value
                out.append(Segment(current))
                current = []
            current.append(word)
            if printed:
                edge = word.left + word.width
        out.append(Segment(current))
    return out


def _at_rule(line: list[Word]) -> list[Word]:
    """A word the header's rule glued to the motto ("DŨNG_CỘNG HÒA": the rule under the
    issuing body read as "_") is two words, each with its share of the box."""
    out: list[Word] = []
    for i, word in enumerate(line):
        head, rule, tail = word.text.partition("_")
        after = line[i + 1].text if i + 1 < len(line) else ""
        found = motto_in(fold(f"{tail} {after}")) if head and rule else None
        if found is None or found.start() != 0:
            out.append(word)
            continue
        cut = round(word.width * len(head) / len(word.text))
        out += [replace(word, text=head, width=max(1, cut)),
                replace(word, text=tail, left=word.left + cut + 1, width=max(1, word.width - cut - 1))]
    return out


def _opens_motto(line: list[Word], i: int) -> bool:
    """"CỘNG HÒA XÃ HỘI …" starts the header's right column: where the columns stand close,
    Tesseract reads it on one line with the issuing body's name. In capitals: "nước Cộng hòa
    xã hội chủ nghĩa Việt Nam" in a sentence is no column."""
    if i + 1 >= len(line) or not line[i].text.isupper():
        return False
    found = motto_in(fold(f"{line[i].text} {line[i + 1].text}"))
    return found is not None and found.start() == 0


def rows(parts: list[Segment]) -> list[Row]:
    """Segments whose vertical centres agree (within SAME_ROW of a line) form one row, left to right."""
    out: list[Row] = []
    for seg in sorted(parts, key=lambda s: s.centre):
        height = seg.bottom - seg.top
        if out and abs(seg.centre - out[-1].centre) < SAME_ROW * min(height, out[-1].height):
            out[-1].segments.append(seg)
        else:
            out.append(Row([seg]))
    for row in out:
        row.segments.sort(key=lambda s: s.x0)
    return out
