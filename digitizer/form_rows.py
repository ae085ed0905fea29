"""A form's rows about a person that the page's reading got wrong, read again where the form
says they are: a row Tesseract's layout skipped, a printed label lost in the handwriting run
into it, writing left unread over a dotted blank. Each is read as one line (`--psm 7`) from a
crop of the reading image; the dotted blanks come from the cleanup (`CleanPage.leaders`)."""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby

import cv2

from .config import OcrSettings
from .imaging.binarize import components
from .imaging.clean import CleanPage
from .imaging.unread import unread_lines
from .layout.labels import PERSONAL_LABEL, row_label_length, spelled_labels
from .layout.leaders import blank, label_end, words_box
from .model import Box, Word
from .ocr import recognize
from .ocr.tesseract import merge_lines

SKIPPED_ROW_MARGIN_IN = 0.1    # white around a line read on its own (a letter's width): cropped to the ink's
                               # edge, the grey forms' skipped rows (samples/kinds.py) lost their first letters
ONE_LINE_PSM = 7           # Tesseract's layout mode for an image that holds one line
MIN_LABEL_IN = 0.4         # the shortest row label ("Số:" in 13 pt is 0.35 in); less before a leader is none
# Of a label's height: a "word" this low is a leader's dots read as letters ("z4", "án" 5 px tall
# beside labels of 30-39 px on the grey forms of samples/kinds.py), and a stroke this tall or
# more over a blank is writing, not a dot (a colon's upper dot, the leader's own).
DOTS_HEIGHT = 0.3
# Of a label's height: how far above its leader a value may be written (the grey forms' writing
# stands 1-1.6 label heights tall, from a little under the dots).
WRITING_HEIGHTS = 2.0
# Of a label's height squared: less ink over a blank is a speck, not writing. Over the 72 forms
# of six generated seeds, blanks whose pen ink was lifted hold 0.0, writing left unread 2.2-10.2.
MIN_WRITING = 0.1


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
    line, and kept when it opens with a row's label too; or, when the writing on its leader
    spoiled that reading, its label is read left of the leader (what is written on the leader
    is read with the other blanks' writing, read_blank_values). What else lies there unread
    (a signature, a stamp) is no row and stays unread."""
    if not _has_personal_rows(words):
        return words, []
    boxes = [w.box for w in words]
    rows: list[Word] = []
    notes: list[str] = []
    for box in unread_lines(clean.reading, boxes, clean.reading_dpi):
        read = read_line(clean, box, ocr)
        label = row_label_length([w.text for w in read])
        if not label:
            read = _label_before(clean, box, label_end(clean.leaders, box), ocr)
            label = row_label_length([w.text for w in read])
        if label:
            rows += [replace(w, line=len(notes)) for w in read]
            notes.append(" ".join(w.text for w in read[:label]))
    if not notes:
        return words, []
    return merge_lines(words, rows), [f"rows the layout skipped, read as lines: {', '.join(notes)}"]


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
    if found is None:
        return []
    height = max(w.height for w in label)
    x0, y0, x1, y1 = (round(v) for v in found)
    top = max(above, round(y0 - WRITING_HEIGHTS * height))
    # Over the dots, not the dots, nor a colon's upper dot: strokes at least a tall dot's height.
    _, stats = components(cv2.compare(clean.reading[top:y0, x0:x1], 128, cv2.CMP_LT))
    strokes = stats[1:][stats[1:, cv2.CC_STAT_HEIGHT] >= DOTS_HEIGHT * height]
    if strokes[:, cv2.CC_STAT_AREA].sum() < MIN_WRITING * height * height:
        return []
    left, up = strokes[:, cv2.CC_STAT_LEFT].min(), strokes[:, cv2.CC_STAT_TOP].min()
    right = (strokes[:, cv2.CC_STAT_LEFT] + strokes[:, cv2.CC_STAT_WIDTH]).max()
    box = (x0 + int(left), top + int(up), x0 + int(right), y1)
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
