"""A form's dotted blanks (leaders) and the lines that stand on them. A leader is printed for
a value to be written on: what stands over one was written into the form, and where one starts,
its row's printed label ends. The leaders' pieces come from the cleanup (imaging.binarize:
where a pen's strokes cross a leader, they join its dots into letters and part it)."""

from __future__ import annotations

from statistics import median
from typing import Iterable, Sequence

from ..model import Box, Word

# Dots sit on the baseline; handwriting over them rises above it, and a line's descenders hang
# below by up to half its height ("Ngày sinh:" over its leader, the grey forms of samples/kinds.py).
BELOW_HEIGHTS = 0.5
# A value written into the blank starts over its leader: at most this many word heights before
# the first dot (a pen's first stroke hides the dots under it). A value typed into the form
# before the leader's remaining dots starts a word or more before them.
EARLY_HEIGHTS = 0.5
# Or the leader runs up to the value from the label, ending within this many word heights of it
# (the grey forms' writing starts 0-1 heights after the dots it interrupts).
NEAR_HEIGHTS = 2.0


def union(boxes: Iterable[Box]) -> Box:
    """The box around `boxes` (at least one)."""
    x0, y0, x1, y1 = zip(*boxes)
    return min(x0), min(y0), max(x1), max(y1)


def words_box(words: list[Word]) -> Box:
    """The box around `words`."""
    return union(w.box for w in words)


def _under(leaders: Sequence[Box], line: Box, reach: float) -> list[Box]:
    """The pieces of leader on the baseline of a line (its box) that end right of `reach`."""
    top, bottom = line[1], line[3]
    return [box for box in leaders
            if top <= (box[1] + box[3]) / 2 <= bottom + BELOW_HEIGHTS * (bottom - top) and box[2] > reach]


def written_over(leaders: Sequence[Box], words: list[Word]) -> bool:
    """`words` (a row's value) stand on the row's leader: written into the blank. Either they
    start on it (the leader running up to them, or on under them), or a piece of it lies under
    them, parted from the rest where the pen crossed it. A value typed before the leader's
    remaining dots does neither. The leader's own dots, read as words ("....."), are not the value."""
    marks = [w for w in words if any(ch.isalnum() for ch in w.text)]
    if not marks:
        return False
    start, end = min(w.left for w in marks), max(w.left + w.width for w in marks)
    height = median(w.height for w in marks)
    under = _under(leaders, words_box(marks), start - NEAR_HEIGHTS * height)
    early = EARLY_HEIGHTS * height
    starts_on = bool(under) and start >= min(box[0] for box in under) - early
    return starts_on or any(box[0] >= start - early and box[2] <= end for box in under)


def label_end(leaders: Sequence[Box], line: Box) -> float | None:
    """Where the first leader on a line (its box) starts, right of where the line starts: the
    printed label ends there (its colon's dot may be the leader's first). None: no leader."""
    starts = [box[0] for box in _under(leaders, line, line[0]) if box[0] > line[0]]
    return min(starts) if starts else None


def blank(leaders: Sequence[Box], line: list[Word]) -> Box | None:
    """The dotted blank of a line read as its label alone: from where its leader starts, right
    of the label, to where it ends. None: no leader on the line."""
    right = max(w.left + w.width for w in line)
    early = right - EARLY_HEIGHTS * line[-1].height
    pieces = [box for box in _under(leaders, words_box(line), right) if box[0] >= early]
    return union(pieces) if pieces else None


def leader_after(leaders: Sequence[Box], label: list[Word]) -> Box | None:
    """The leader on the baseline of a row's `label`, right of it, wherever it starts: the dots
    a pen crossed are not among the leader's pieces, so a short value written close after the
    label hides where its leader starts. None: no leader on the line."""
    pieces = _under(leaders, words_box(label), max(w.left + w.width for w in label))
    return union(pieces) if pieces else None


def leader_rows(leaders: Sequence[Box], same: float) -> list[tuple[float, float, float]]:
    """The rows the leaders' pieces lie on, top to bottom: each row's baseline, and where its
    leader starts and ends. Pieces whose baselines are `same` pixels apart or less are one
    row's (a pen crossing a leader parts it)."""
    rows: list[list[float]] = []
    for x0, y0, x1, y1 in sorted(leaders, key=lambda b: b[1] + b[3]):
        y = (y0 + y1) / 2
        if rows and y - rows[-1][0] <= same:
            rows[-1][1], rows[-1][2] = min(rows[-1][1], x0), max(rows[-1][2], x1)
        else:
            rows.append([y, x0, x1])
    return [(y, start, end) for y, start, end in rows]
