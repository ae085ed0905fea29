"""Reading order of a page's segments: rows top to bottom, and two-column blocks left then right.

Decree 30 pages put two columns side by side at the top (the issuing body, number and
subject on the left; the national motto, place and date on the right) and again at the
bottom (recipients left, signature right). Tesseract often reads such a block across, one
row at a time ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI ..."); a reader takes the left column whole,
then the right. Rows of segments side by side open a column block, which takes in the rows
around them until one has a segment spanning the gutter between them (a paragraph's line);
each segment goes to the side of its centre.
"""

from __future__ import annotations

from .labels import ADDRESSED
from .segments import Row, Segment, rows


def _addressed(row: Row) -> bool:
    """A công văn's "Kính gửi:" row, below the header: the recipients are a block of their own."""
    text = [s for s in row.segments if s.is_text]
    return bool(text) and bool(ADDRESSED.match(text[0].folded))


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
    """A block's segments, the left column's first: each goes to its centre's side. A
    column of figures (a receipt's prices, a table's amounts) belongs to its rows: such a
    block is read across, row by row."""
    inside = [seg for row in block for seg in row.segments]
    right = [s for s in inside if s.middle >= split]
    if _figures([s for s in right if s.is_text]):
        return inside
    return [s for s in inside if s.middle < split] + right


def _figures(column: list[Segment]) -> bool:
    """Most of the column's lines are figures (more digits than letters): amounts, not a
    Decree 30 column (the motto, the place and date, a signer)."""
    def figure(seg: Segment) -> bool:
        return 2 * sum(c.isdigit() for c in seg.text) > sum(c.isalnum() for c in seg.text)
    return len(column) >= 2 and 2 * sum(map(figure, column)) > len(column)


def across(parts: list[Segment]) -> list[Segment]:
    """The segments row by row, each row left to right: a page with no column blocks."""
    return [seg for row in rows(parts) for seg in row.segments]


def ordered(parts: list[Segment]) -> list[Segment]:
    """The segments in reading order: rows top to bottom, each column block's left column
    whole before its right."""
    out: list[Segment] = []
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
