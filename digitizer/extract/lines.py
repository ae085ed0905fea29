"""Text lines with positions: what the field rules read.

Each line keeps its words' boxes so a value found at some characters of the line can be
given its bounding box on the page, in PDF points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from ..model import BlockKind, Box, PageResult, Word
from ..text import fold, nfc


@dataclass
class TextLine:
    page: int
    text: str                 # NFC, words joined by single spaces
    folded: str               # same length as text (see normalize.fold)
    words: list[Word]
    starts: list[int]         # offset of each word in `text`
    scale: float              # word box units -> points
    page_width: float         # points
    page_height: float        # points
    block: str = BlockKind.BODY   # the layout block the line is in
    hand: list[list[float]] = field(default_factory=list)   # handwriting level with the line, boxes in points

    @property
    def top(self) -> float:
        return min(w.top for w in self.words) * self.scale

    def words_in(self, start: int, end: int) -> list[Word]:
        return [w for w, s in zip(self.words, self.starts) if s < end and s + len(w.text) > start]

    def bbox(self, start: int, end: int) -> list[float]:
        chosen = self.words_in(start, end) or self.words
        return [round(min(w.left for w in chosen) * self.scale, 1), round(min(w.top for w in chosen) * self.scale, 1),
                round(max(w.left + w.width for w in chosen) * self.scale, 1),
                round(max(w.top + w.height for w in chosen) * self.scale, 1)]

    def x_at(self, pos: int) -> float:
        """Where character `pos` of the text begins, in points: within a word, by its share of
        the word's letters (a label fused with its dotted blank, "sinh:.......", is one word)."""
        for w, s in zip(self.words, self.starts):
            if s <= pos <= s + len(w.text):
                return round((w.left + w.width * (pos - s) / max(1, len(w.text))) * self.scale, 1)
        return self.bbox(0, pos)[2]

    def confidence(self, start: int, end: int) -> float:
        chosen = self.words_in(start, end) or self.words
        return sum(w.confidence for w in chosen) / len(chosen)

    @property
    def height(self) -> float:
        """Median word height in points: the letter size of the line."""
        heights = sorted(w.height for w in self.words)
        return heights[len(heights) // 2] * self.scale


def make_line(page: int, words: list[Word], scale: float, width: float, height: float,
              block: str = BlockKind.BODY) -> TextLine:
    starts, parts, pos = [], [], 0
    for w in words:
        starts.append(pos)
        parts.append(nfc(w.text))
        pos += len(parts[-1]) + 1
    text = " ".join(parts)
    return TextLine(page, text, fold(text), words, starts, scale, width, height, block)


LEVEL = 0.5     # of the line's height, shared with a handwriting region level with it


def beside(words: list[Word], regions: list[Box], scale: float) -> list[list[float]]:
    """The regions (pixels) level with the line of `words`, in points: half the line's
    height or more of a region lies within the line's."""
    top, bottom = min(w.top for w in words), max(w.top + w.height for w in words)
    return [[round(v * scale, 1) for v in box] for box in regions
            if min(bottom, box[3]) - max(top, box[1]) >= LEVEL * (bottom - top)]


def page_lines(pages: list[PageResult]) -> list[TextLine]:
    """The pages' lines (the layout's segments) in reading order, each with its block and
    the handwriting level with it."""
    lines = []
    for page in pages:
        scale = 72 / page.word_dpi
        kind = {line: block.kind for block in page.blocks for line in block.lines}
        for line_id, group in groupby(page.words, key=lambda w: w.line):
            words = list(group)
            line = make_line(page.number, words, scale, page.width_pt, page.height_pt,
                             kind.get(line_id, BlockKind.BODY))
            line.hand = beside(words, page.hand, scale) if page.hand else []
            lines.append(line)
    return lines
