"""Reading order of a page's words: rows top to bottom, and two-column blocks left then right.

Decree 30 pages put two columns side by side at the top (the issuing body, number and
subject on the left; the national motto, place and date on the right) and again at the
bottom (recipients left, signature right). Tesseract often reads such a block across, one
row at a time ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI ..."); a reader takes the left column whole,
then the right. Lines are split at wide gaps into segments; rows of segments side by side
open a column block, which takes in the rows around them until one has a segment spanning
the gutter between them (a paragraph's line); each segment goes to the side of its centre.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import groupby
from statistics import median

from ..model import Word
from ..text import fold, motto_in

GAP_HEIGHTS = 2.5        # a gap this many word heights wide separates two segments of a row
NOISE_CONFIDENCE = 0.6   # a word read with less is doubtful; a segment of mostly doubtful letters is marks
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
    def is_text(self) -> bool:
        """Not a speck, a stray mark or a seal's scrawl read as characters (those are read
        with little confidence): at least two letters or digits, and half of them, in words
        read with confidence. One doubtful word (".Xơi nhận:") does not make a label a mark."""
        def letters(words: list[Word]) -> int:
            return sum(c.isalnum() for w in words for c in w.text)
        sure = letters([w for w in self.words if w.confidence >= NOISE_CONFIDENCE])
        return sure >= 2 and 2 * sure >= letters(self.words)


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
    follows the left column's first line. The one segmenter: the fields read these segments."""
    out: list[Segment] = []
    for _, group in groupby(words, key=lambda w: w.line):
        line = sorted(group, key=lambda w: w.left)
        height = median(w.height for w in line)
        current = [line[0]]
        edge = line[0].left + line[0].width       # right edge of the last word that is not a mark
        for i, word in enumerate(line[1:], 1):
            printed = any(c.isalnum() for c in word.text)
            gap = word.left - (line[i - 1].left + line[i - 1].width)
            if gap > GAP_HEIGHTS * height or _bar(word) or _bar(line[i - 1]) or \
                    (printed and (word.left - edge > GAP_HEIGHTS * height or _opens_motto(line, i))):
                out.append(Segment(current))
                current = []
            current.append(word)
            if printed:
                edge = word.left + word.width
        out.append(Segment(current))
    return out


def _opens_motto(line: list[Word], i: int) -> bool:
    """"CỘNG HÒA XÃ HỘI …" starts the header's right column: where the columns stand close,
    Tesseract reads it on one line with the issuing body's name. In capitals: "nước Cộng hòa
    xã hội chủ nghĩa Việt Nam" in a sentence is no column."""
    if i + 1 >= len(line) or not line[i].text.isupper():
        return False
    found = motto_in(fold(f"{line[i].text} {line[i + 1].text}"))
    return found is not None and found.start() == 0


def _addressed(row: Row) -> bool:
    """A công văn's "Kính gửi:" row, below the header: the recipients are a block of their own."""
    words = [w for s in row.segments if s.is_text for w in s.words][:2]
    return len(words) == 2 and fold(words[0].text) == "kinh" and fold(words[1].text).startswith("gui")


def rows(parts: list[Segment]) -> list[Row]:
    """Segments whose vertical centres agree (within half a line) form one row, left to right."""
    out: list[Row] = []
    for seg in sorted(parts, key=lambda s: s.centre):
        height = seg.bottom - seg.top
        if out and abs(seg.centre - out[-1].centre) < 0.5 * min(height, out[-1].height):
            out[-1].segments.append(seg)
        else:
            out.append(Row([seg]))
    for row in out:
        row.segments.sort(key=lambda s: s.x0)
    return out


def _gutter(row: Row, above: Row | None, middle: float) -> tuple[float, float] | None:
    """Where a column block's gutter runs, if this row opens one: the gap between its two
    text segments; or, for a row of one segment right of the middle under a row that ends
    before it (a signature's name under the last recipient), the gap between the two. A row
    of three segments or more is a table's and opens none."""
    text = [s for s in row.segments if s.is_text]
    if len(text) >= 3:               # a table's row: read across, cell by cell
        return None
    if len(text) == 2:
        _, start, end = max((b.x0 - a.x1, a.x1, b.x0) for a, b in zip(text, text[1:]))
        return start, end
    if len(text) == 1 and above is not None and text[0].x0 > middle:
        ends = [s.x1 for s in above.segments if s.is_text]
        if ends and max(ends) < text[0].x0:
            return max(ends), text[0].x0
    return None


def _crosses(row: Row, start: float, end: float, centred: bool = False) -> bool:
    """A text segment of the row spans the gutter (or, with `centred`, is centred inside it),
    or the row is a table's: the row is not part of a column block."""
    text = [s for s in row.segments if s.is_text]
    return len(text) >= 3 or any((s.x0 < start and s.x1 > end) or (centred and start < (s.x0 + s.x1) / 2 < end)
                                 for s in text)


def _middle(parts: list[Segment]) -> float:
    """The middle of the page's text, across: a lone segment right of it may open a block."""
    text = [s for s in parts if s.is_text] or parts
    return (min(s.x0 for s in text) + max(s.x1 for s in text)) / 2 if text else 0.0


def _joins_above(before: list[Row], start: float, end: float) -> int:
    """How many of the rows above a block's first row stay out of it: the block takes the
    rows just above that keep off the gutter (the end of a paragraph, its indented closing
    line, is not part of it)."""
    k = len(before)
    while k > 0 and not _crosses(before[k - 1], start, end, centred=True):
        k -= 1
    return k


def _block_end(all_rows: list[Row], i: int, start: float, end: float) -> int:
    """The index of the first row after row i that ends the block: one that spans the whole
    gutter, or a "Kính gửi:" row (its recipients are a block of their own)."""
    while i < len(all_rows) and not _crosses(all_rows[i], start, end) and not _addressed(all_rows[i]):
        i += 1
    return i


def _by_column(block: list[Row], split: float) -> list[Segment]:
    """A block's segments, the left column's first: each goes to its centre's side."""
    inside = [seg for row in block for seg in row.segments]
    return [s for s in inside if (s.x0 + s.x1) / 2 < split] + [s for s in inside if (s.x0 + s.x1) / 2 >= split]


def ordered_segments(words: list[Word]) -> list[Segment]:
    """The segments in reading order: rows top to bottom, each column block's left column
    whole before its right."""
    out: list[Segment] = []
    parts = segments(words)
    middle = _middle(parts)
    all_rows = rows(parts)
    with_text = [j for j, row in enumerate(all_rows) if any(s.is_text for s in row.segments)]
    before: list[Row] = []          # rows since the last block, not yet given out
    i = 0
    while i < len(all_rows):
        above = next((all_rows[j] for j in reversed(with_text) if j < i), None)
        gutter = _gutter(all_rows[i], above, middle)      # marks between (a seal's scrawl) are passed over
        if gutter is None:
            before.append(all_rows[i])
            i += 1
            continue
        start, end = gutter
        k = _joins_above(before, start, end)
        out += [seg for row in before[:k] for seg in row.segments]
        after = _block_end(all_rows, i + 1, start, end)
        out += _by_column(before[k:] + all_rows[i:after], (start + end) / 2)
        before, i = [], after
    return out + [seg for row in before for seg in row.segments]


def reading_order(words: list[Word]) -> list[Word]:
    """The words in reading order, each segment a line of its own (new line ids)."""
    out: list[Word] = []
    for line_id, seg in enumerate(ordered_segments(words)):
        out += [replace(w, line=line_id) for w in seg.words]
    return out
