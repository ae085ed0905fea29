"""A form's rows about a person that the page's reading got wrong, read again where the form
says they are: a row Tesseract's layout skipped, a printed label lost in the handwriting run
into it, writing left unread over a dotted blank. Each is read as one line (`--psm 7`) from a
crop of the reading image; the dotted blanks come from the cleanup (`CleanPage.leaders`)."""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby

import cv2
import numpy as np

from .config import OcrSettings
from .form_writing import DOTS_HEIGHT, inside, printed, strokes_over
from .imaging.clean import CleanPage
from .imaging.unread import unread_lines
from .layout.labels import PERSONAL_LABEL, ROW_LABEL, row_label_length, spelled_labels
from .layout.leaders import blank, label_end, leader_rows, words_box
from .model import Box, Word
from .ocr import recognize
from .ocr.tesseract import merge_lines
from .text import fold

SKIPPED_ROW_MARGIN_IN = 0.1    # white around a line read on its own (a letter's width): cropped to the ink's
                               # edge, the grey forms' skipped rows (samples/kinds.py) lost their first letters
# A form's rows found at its leaders (read_skipped_rows), measured on the 13 pt print of the
# grey forms of samples/kinds.py (kinds form, form_joined) and bench/real_handwriting.py; set
# on real-hand seeds 0 and 100 and joined-hand seeds 0, 500 and 900, checked on real-hand seed
# 300 and joined-hand seed 1300 (docs/benchmarks.md, session 36).
SAME_BASELINE_IN = 0.05    # pieces of leader this close in height are on one row's baseline (rows are 0.4 in apart)
ROW_IN = 0.3               # a row's label stands this high over its leader at most (13 pt capitals: 0.13 in)
DESCENT_IN = 0.05          # a printed label's descenders under its baseline (13 pt: 0.04 in)
BODY_IN, DOT_IN = 0.07, 0.03   # 13 pt print's letters stand 0.07 in over the baseline, a leader's dots 0.02 in
LABEL_GAP_IN = 0.1         # wider than a space between a label's words (0.04 in at 13 pt)
ONE_LINE_PSM = 7           # Tesseract's layout mode for an image that holds one line
MIN_LABEL_IN = 0.4         # the shortest row label ("Số:" in 13 pt is 0.35 in); less before a leader is none


def read_line(clean: CleanPage, box: Box, ocr: OcrSettings) -> list[Word]:
    """The ink in `box` (pixels of the reading image) read as one line, its label respelled;
    the words' boxes in pixels of the page."""
    x0, y0, x1, y1 = (round(v) for v in box)
    margin = round(SKIPPED_ROW_MARGIN_IN * clean.reading_dpi)
    # Tesseract wants white around a line; a crop to the ink's edge loses its first letters.
    crop = cv2.copyMakeBorder(clean.reading[y0:y1, x0:x1], margin, margin, margin, margin,
                              cv2.BORDER_CONSTANT, value=255)
    read = recognize(crop, clean.reading_dpi, ocr.model_copy(update={"psm": ONE_LINE_PSM}))
    return spelled_labels([replace(w, left=w.left + x0 - margin, top=w.top + y0 - margin) for w in read])


def read_form_rows(clean: CleanPage, words: list[Word], ocr: OcrSettings) -> tuple[list[Word], list[str]]:
    """`words` (the page's reading) with its form's rows read again where they went wrong, and
    their labels put right; notes of what was read again. Only a page with rows about a person
    ("Ngày sinh:") is looked at."""
    words, skipped = read_skipped_rows(clean, words, ocr)
    words = spelled_labels(words)
    if not clean.leaders or not _has_personal_rows(words):
        return words, skipped
    words, lost = read_lost_labels(clean, words, ocr)
    words, blanks = read_blank_values(clean, words, ocr)
    return words, skipped + lost + blanks


def _has_personal_rows(words: list[Word]) -> bool:
    lines = [[w.text for w in line] for _, line in groupby(words, key=lambda w: w.line)]
    return any(row_label_length(line, PERSONAL_LABEL) for line in lines)


def _label_before(clean: CleanPage, line: Box, end: float | None, ocr: OcrSettings) -> list[Word]:
    """The line's part left of `end` (where its leader starts) read alone, when that is a
    row's label and nothing more; else none. Only the label is printed there, while the
    writing on the leader may run into it and spoil a reading of the whole line."""
    if end is None or end - line[0] < MIN_LABEL_IN * clean.reading_dpi:
        return []
    read = read_line(clean, (line[0], line[1], end, line[3]), ocr)
    if read and not read[-1].text.endswith(":"):     # the colon's dot joined the leader's
        read = spelled_labels([*read[:-1], replace(read[-1], text=read[-1].text + ":")])
    return read if read and row_label_length([w.text for w in read]) == len(read) else []


def read_skipped_rows(clean: CleanPage, words: list[Word], ocr: OcrSettings) -> tuple[list[Word], list[str]]:
    """A form's row that Tesseract's layout skipped whole, label and all (taken for a picture):
    on a page with rows about a person, each line of ink no word was read from is read as one
    line, and on a page with dotted leaders each leader's row where no print was read, and
    kept when it opens with a row's label too; or, when the writing on its leader spoiled that
    reading, its label is read alone: left of the leader, or up to the first gap wider than a
    space (what is written on the leader is read with the other blanks' writing,
    read_blank_values). A leader's row so read takes the place of what was read there (junk of
    the writing, a label lost in it). What else lies there unread (a signature, a stamp) is no
    row and stays unread."""
    personal = _has_personal_rows(words)
    if not clean.leaders and not personal:
        return words, []
    rows: list[Word] = []
    notes: list[str] = []

    def read_row(box: Box) -> bool:
        read = read_line(clean, box, ocr)
        label = row_label_length([w.text for w in read])
        # The label alone: left of the leader, else up to the first wide gap (found only if needed).
        for end in (lambda: label_end(clean.leaders, box), lambda: print_end(clean, box)):
            if label:
                break
            read = _label_before(clean, box, end(), ocr)
            label = row_label_length([w.text for w in read])
        if label:
            rows.extend(replace(w, line=len(notes)) for w in read)
            notes.append(" ".join(w.text for w in read[:label]))
        return bool(label)

    for box in unread_lines(clean.reading, [w.box for w in words], clean.reading_dpi) if personal else []:
        read_row(box)
    replaced = [box for box in unlabelled_leaders(clean, [*words, *rows]) if read_row(box)]
    if not notes:
        return words, []
    kept = [w for w in words if not inside(w.box, replaced)]
    return merge_lines(kept, rows), [f"rows the layout skipped, read as lines: {', '.join(notes)}"]


def print_end(clean: CleanPage, line: Box) -> float | None:
    """Where the print that opens a line (its box, pixels) ends: at the first gap in the ink
    wider than a space between words, in the band of its letters' bodies over the baseline (the
    line's bottom less a descender), where a leader's dots do not stand. A hand's writing close
    after a label, over the dots, hides where the leader starts."""
    dpi = clean.reading_dpi
    base = line[3] - round(DESCENT_IN * dpi)
    body = clean.reading[base - round(BODY_IN * dpi):base - round(DOT_IN * dpi), line[0]:line[2]] < 128
    columns = np.nonzero(body.any(axis=0))[0]
    gaps = np.nonzero(np.diff(columns) > LABEL_GAP_IN * dpi)[0]
    return line[0] + int(columns[gaps[0]]) + 1 if len(gaps) else None


def unlabelled_leaders(clean: CleanPage, words: list[Word]) -> list[Box]:
    """The rows of the form's leaders that neither a label nor other print was read on
    (pixels): from the ink's left edge to the leader's end, from the row above's leader, or a
    row's height, to under the baseline. A real hand's writing, taller than the print, runs
    into the rows above and below: Tesseract reads the rows joined as junk, or the ink of rows
    joined is too tall for a line (imaging/unread.py). A label read without its colon is read
    again; one misread otherwise is read_lost_labels' to put right; a letter's dotted line
    after its print is no row, and is not read again."""
    dpi = clean.reading_dpi
    middles: list[float] = []
    for _, group in groupby(words, key=lambda w: w.line):
        line = list(group)
        label = row_label_length([w.text for w in line])
        if label:
            box = words_box(line[:label])
            middles.append((box[1] + box[3]) / 2)
        elif not ROW_LABEL.match(fold(" ".join(w.text for w in line))):    # a label without its colon: read again
            middles += [w.top + w.height / 2 for w in line if printed([w])]
    boxes: list[Box] = []
    above = 0.0
    for y, start, end in leader_rows(clean.leaders, SAME_BASELINE_IN * dpi):
        top = max(above, y - ROW_IN * dpi)
        above = y
        if any(top < middle < y for middle in middles):
            continue
        columns = np.nonzero((clean.reading[round(top):round(y), :round(end)] < 128).any(axis=0))[0]
        # A row's label stands before its leader; a receipt's dotted rule has nothing before it.
        if len(columns) and start - columns[0] >= MIN_LABEL_IN * dpi:
            boxes.append((int(columns[0]), round(top), round(end), round(y + DESCENT_IN * dpi)))
    return boxes


def read_lost_labels(clean: CleanPage, words: list[Word], ocr: OcrSettings) -> tuple[list[Word], list[str]]:
    """A form's row whose printed label Tesseract lost in the handwriting run into it ("[b4 z4
    án ......", "Nơicvtú. thôn Hạ,"): a line that opens with no label, well left of a dotted
    leader, is read again left of the leader, where only its label is printed. When that reads
    as a row's label and nothing more, it takes the place of what was read there; what stands
    on the leader is the row's value."""
    out: list[Word] = []
    notes: list[str] = []
    for _, group in groupby(words, key=lambda w: w.line):
        line = list(group)
        box = words_box(line)
        end = None if row_label_length([w.text for w in line]) else label_end(clean.leaders, box)
        label = _label_before(clean, box, end, ocr)
        if not label or end is None:
            out += line
            continue
        # Read into the line, the leader's dots came out as letters: no text.
        value = [w for w in line if w.left + w.width / 2 > end and w.height >= DOTS_HEIGHT * label[0].height]
        out += [replace(w, line=line[0].line) for w in [*label, *value]]
        notes.append(" ".join(w.text for w in label))
    if not notes:
        return words, []
    return out, [f"labels lost in the writing, read left of their leaders: {', '.join(notes)}"]


def _written_on_blank(clean: CleanPage, label: list[Word], above: int, ocr: OcrSettings) -> list[Word]:
    """What is written over the leader after `label` (a row's label read alone), read as one
    line; none where the leader is bare or the line has none. `above`: where the line before
    ends, below which the writing starts."""
    found = blank(clean.leaders, label)
    box = strokes_over(clean, found, max(w.height for w in label), above) if found is not None else None
    if box is None:
        return []
    return [replace(w, line=label[0].line) for w in read_line(clean, box, ocr) if any(ch.isalnum() for ch in w.text)]


def read_blank_values(clean: CleanPage, words: list[Word], ocr: OcrSettings) -> tuple[list[Word], list[str]]:
    """A form's row read as its label alone (or with its leader's dots), though something was
    written on its leader: Tesseract's layout left the writing out (standing above the line,
    taken for a picture). The ink over the leader is read as one line, and what it reads is
    the row's value, judged as the others are (layout/handwriting.py); the leader's dots read
    as text go (a bare leader is erased before reading: it is no text)."""
    out: list[Word] = []
    notes: list[str] = []
    above = 0
    for _, group in groupby(words, key=lambda w: w.line):
        line = list(group)
        label = row_label_length([w.text for w in line]) or 0
        dots_only = label and not any(ch.isalnum() for w in line[label:] for ch in w.text)
        value = _written_on_blank(clean, line[:label], above, ocr) if dots_only else []
        out += (line[:label] + value) if dots_only else line
        if value:
            notes.append(" ".join(w.text for w in line[:label]))
        above = max(w.top + w.height for w in line)
    return out, [f"writing over the blanks of {', '.join(notes)} read as lines"] if notes else []
