"""Scores against ground truth: character error rate that does not depend on reading order.

Engines disagree on the order of a two-column header (left column first, or both columns
line by line), which plain edit distance would count as hundreds of errors. Here each
ground-truth line is matched to its best place in the output (edit distance with a free
start and end, Sellers' algorithm), so a line costs the characters it really got wrong,
wherever the engine put it. Text is NFC with whitespace collapsed on both sides.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def substring_distance(pattern: str, text: str) -> int:
    """Least edits turning `pattern` into some substring of `text`."""
    if not pattern:
        return 0
    t = np.array([ord(c) for c in text], dtype=np.int64)
    prev = np.zeros(len(t) + 1, dtype=np.int64)
    idx = np.arange(len(t) + 1)
    for i, ch in enumerate(pattern, 1):
        cost = (t != ord(ch)).astype(np.int64)
        best = np.minimum(prev[:-1] + cost, prev[1:] + 1)     # substitute/match, or delete
        row = np.concatenate([[i], best])
        prev = np.minimum.accumulate(row - idx) + idx          # insertions run along the row
    return int(prev.min())


def line_errors(truth_lines: list[str], output: str) -> tuple[int, int]:
    """(errors, characters) over the ground-truth lines of a page."""
    text = normalize(output)
    errors = total = 0
    for line in truth_lines:
        line = normalize(line)
        errors += substring_distance(line, text)
        total += len(line)
    return errors, total


def cer(truth_lines: list[str], output: str) -> float:
    errors, total = line_errors(truth_lines, output)
    return errors / total if total else 0.0
