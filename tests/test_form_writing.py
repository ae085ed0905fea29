"""A form's blanks on a grey scan: where a hand wrote on them, and the rows Tesseract skipped."""

from __future__ import annotations

import cv2
import numpy as np

from digitizer.form_rows import unlabelled_leaders
from digitizer.form_writing import blank_writing, inside
from digitizer.imaging.clean import CleanPage
from digitizer.model import Box, Word

DPI = 225.0
LEADER_Y = 200          # the first row's baseline, where its leader's dots stand


def _page(reading: np.ndarray, leaders: list[Box]) -> CleanPage:
    return CleanPage(reading, False, DPI, reading, DPI, 0, 0.0, 1.0, reading, leaders=leaders)


def _label(text: str, baseline: int, line: int) -> list[Word]:
    words, left = [], 100
    for part in text.split():
        width = 22 * len(part)
        words.append(Word(part, left, baseline - 30, width, 30, 0.96, line))
        left += width + 12
    return words


def _scrawl(reading: np.ndarray, left: int, right: int, baseline: int) -> None:
    """A joined hand's loops over the blank, rising well above the print and hanging under it."""
    xs = np.arange(left, right, 3)
    ys = baseline - 25 + 30 * np.sin(xs / 9.0) + 20 * np.sin(xs / 37.0)
    cv2.polylines(reading, [np.stack([xs, ys], axis=1).astype(np.int32)], False, 0, 3)


def test_a_value_written_over_its_blank_is_a_region_of_handwriting_and_what_was_read_there_no_text():
    reading = np.full((400, 1600), 255, np.uint8)
    _scrawl(reading, 330, 700, LEADER_Y)
    leaders = [(720.0, LEADER_Y - 3.0, 1500.0, LEADER_Y + 3.0)]      # its dots under the writing were kept as ink
    label = _label("Họ và tên:", LEADER_Y, 0)
    junk = Word("=6‹", 400, 150, 120, 60, 0.31, 0)
    regions = blank_writing(_page(reading, leaders), [*label, junk])
    assert len(regions) == 1
    x0, y0, x1, y1 = regions[0]
    # From the label's end over the writing, not to the leader's start; its loops under the baseline too.
    assert label[-1].left + label[-1].width <= x0 <= 335 and 680 <= x1 <= 705
    assert y0 < LEADER_Y - 45 and y1 > LEADER_Y + 10
    assert inside(junk.box, regions) and not any(inside(w.box, regions) for w in label)


def test_a_value_typed_before_its_leader_is_print_and_a_bare_blank_holds_no_writing():
    reading = np.full((400, 1600), 255, np.uint8)
    typed = Word("Nguyễn", 330, LEADER_Y - 30, 130, 30, 0.95, 0)
    reading[typed.top:typed.top + typed.height, typed.left:typed.left + typed.width:4] = 0     # its print
    leaders = [(480.0, LEADER_Y - 3.0, 1500.0, LEADER_Y + 3.0)]
    assert blank_writing(_page(reading, leaders), [*_label("Họ và tên:", LEADER_Y, 0), typed]) == []
    bare = np.full((400, 1600), 255, np.uint8)
    assert blank_writing(_page(bare, [(330.0, LEADER_Y - 3.0, 1500.0, LEADER_Y + 3.0)]),
                         _label("Ngày sinh:", LEADER_Y, 0)) == []


def test_a_leaders_row_with_no_label_read_is_found_from_its_ink_to_its_leaders_end():
    """Tesseract skipped the middle row, label and writing: its box is the row's, from the label's
    ink to the leader's end; the rows whose labels were read are not read again."""
    reading = np.full((500, 1600), 255, np.uint8)
    baselines = [LEADER_Y, LEADER_Y + 90, LEADER_Y + 180]
    leaders = [(310.0, y - 3.0, 1500.0, y + 3.0) for y in baselines]
    reading[baselines[1] - 28:baselines[1], 104:290:5] = 0            # the skipped row's printed label
    words = [*_label("Họ và tên:", baselines[0], 0), *_label("Nơi cư trú:", baselines[2], 1)]
    boxes = unlabelled_leaders(_page(reading, leaders), words)
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert x0 == 104 and x1 == 1500 and baselines[0] <= y0 < baselines[1] - 28 and baselines[1] < y1 < baselines[2] - 30
    # A letter's print before a dotted line is no row to read again; a label read without its colon is.
    for text, again in (("Ủy ban nhân dân xã", False), ("Nơi cư trú", True)):
        row = [*words, *_label(text, baselines[1], 2)]
        assert bool(unlabelled_leaders(_page(reading, leaders), row)) == again, text


def test_a_values_region_holds_its_tone_marks_and_the_writing_run_on_past_its_leader():
    reading = np.full((400, 1800), 255, np.uint8)
    xs = np.arange(330, 1100, 3)
    ys = LEADER_Y - 20 + 14 * np.sin(xs / 9.0)
    cv2.polylines(reading, [np.stack([xs, ys], axis=1).astype(np.int32)], False, 0, 3)
    cv2.line(reading, (500, 150), (512, 144), 0, 2)                  # a tone mark over a letter
    reading[LEADER_Y - 20:LEADER_Y, 1400:1500] = 0                   # print in the next column, past a gap
    leaders = [(330.0, LEADER_Y - 3.0, 900.0, LEADER_Y + 3.0)]       # the writing runs on past the dots' end
    regions = blank_writing(_page(reading, leaders), _label("Nơi cư trú:", LEADER_Y, 0))
    assert len(regions) == 1
    x0, y0, x1, y1 = regions[0]
    assert y0 <= 145 and 1095 <= x1 < 1400
    # The next column's printed label, close after the leader's end, stops it.
    next_label = Word("Giới", 1120, LEADER_Y - 30, 80, 30, 0.95, 0)
    reading[LEADER_Y - 28:LEADER_Y, 1120:1200] = 0
    regions = blank_writing(_page(reading, leaders), [*_label("Nơi cư trú:", LEADER_Y, 0), next_label])
    assert regions[0][2] < 1120 and not inside(next_label.box, regions)


def test_a_rows_printed_label_ends_at_the_first_gap_wider_than_a_space():
    """A hand's writing close after the label hides where the leader starts: the label is read
    up to the gap before the writing, not through it."""
    from digitizer.form_rows import print_end

    reading = np.full((300, 1600), 255, np.uint8)
    for left, right in ((100, 150), (160, 210), (220, 290)):         # "Nơi cư trú:", a space apart
        reading[LEADER_Y - 16:LEADER_Y, left:right] = 0
    reading[LEADER_Y - 5:LEADER_Y, 292:330:8] = 0                    # the leader's dots, kept by the pen
    _scrawl(reading, 340, 1200, LEADER_Y)
    end = print_end(_page(reading, []), (100, LEADER_Y - 67, 1500, LEADER_Y + 11))
    assert end is not None and 290 <= end <= 300


def test_a_dotted_rule_with_nothing_printed_before_it_is_no_row():
    """A receipt's dotted rule across the paper, as a leader with no label before it."""
    reading = np.full((300, 1600), 255, np.uint8)
    reading[LEADER_Y - 40:LEADER_Y - 30, 150:400:6] = 0         # a speck or two over it, no label
    rule = [(104.0, LEADER_Y - 3.0, 1500.0, LEADER_Y + 3.0)]
    assert unlabelled_leaders(_page(reading, rule), []) == []
