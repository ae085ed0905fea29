"""Marks read as characters are left out; words read with little confidence are kept."""

from __future__ import annotations

import pytest

from digitizer.model import PageResult, Word
from digitizer.ocr.garbage import is_garbage, without_garbage


def word(text: str, confidence: float) -> Word:
    return Word(text, 0, 0, 10, 10, confidence, 0)


# As Tesseract read a received stamp ("ĐẾN / Số / Ngày / Chuyển"), a seal and pen marks on real pages.
@pytest.mark.parametrize("text", ["|TRkRG†E€ônG", "Ngày:4,4LL.3..L..44........", "Chuyện:........Ƒrame", "Øƒ",
                                  "¬-", "_——", "..", "(7g¡", "%"])
def test_marks_read_with_little_confidence_are_garbage(text):
    assert is_garbage(word(text, 0.0))


# Printed words Tesseract was unsure of on the same pages: a number beside a hand-filled blank,
# an abbreviation with "&", a label crossed by a signature, Vietnamese letters of every mark.
@pytest.mark.parametrize("text", ["/CT-UBND", "Số:84", "660", "GD&ĐT", "Nơi", "&0", "Tin", "HỌC", "chinh",
                                  "lãi", "Ị", "x9", "ƯỚC", "COVID-19", "1/2", "(ký,", "“Bán"])
def test_words_read_with_little_confidence_are_kept(text):
    assert not is_garbage(word(text, 0.0))


def test_a_confident_word_is_kept_whatever_it_holds():
    assert not is_garbage(word("€", 0.9))


def test_a_pages_text_loses_the_marks_and_keeps_its_lines():
    words = [Word("Về", 0, 0, 10, 10, 0.96, 0), Word("việc", 12, 0, 10, 10, 0.97, 0),
             Word("|TRkRG†E€ônG", 300, 0, 90, 10, 0.0, 0), Word("Chuyện:........Ƒrame", 0, 20, 90, 10, 0.0, 1),
             Word("thời", 100, 20, 20, 10, 0.97, 1)]
    page = PageResult(1, 595, 842, 300, 0, 0.0, "tesseract", 0.6, "", words)
    shown = without_garbage(page)
    assert shown.text == "Về việc\nthời"
    assert [w.text for w in shown.words] == ["Về", "việc", "thời"]
    assert len(page.words) == 5                      # the page itself keeps them, for the layout


def lined(text: str, confidence: float, line: int) -> Word:
    return Word(text, 0, line * 20, 10, 10, confidence, line)


def test_specks_are_no_text_but_doubtful_printed_words_stay():
    from digitizer.ocr.garbage import noise

    words = [lined("a", 0.1, 0), lined("I", 0.2, 1), lined(";", 0.05, 1), lined("1", 0.1, 2), lined("Ẻ", 0.0, 2),
             # A faint printed line: doubtful, but Vietnamese words.
             lined("Tôi", 0.2, 3), lined("xin", 0.25, 3), lined("cam", 0.1, 3), lined("đoan", 0.2, 3),
             # A URL read at no confidence: most of its letters are still right.
             lined("lacebook.conV/NliHEaneComE23", 0.0, 4),
             # One doubtful speck beside a printed word is left as it is.
             lined("x", 0.1, 5), lined("Số:", 0.95, 5),
             # Handwriting after a form's printed label, as Tesseract read it.
             lined("Tên", 0.9, 6), lined("ti", 0.1, 6), lined("2Á.", 0.0, 6), lined("z2", 0.2, 6), lined("TM", 0.1, 6)]
    assert noise(words) == {0, 1, 2, 3, 4, 13, 14, 15, 16}
    page = PageResult(1, 100, 100, 300, 0, 0.0, "tesseract", 0.2, "", words)
    kept = [w.text for w in without_garbage(page).words]
    assert kept == ["Tôi", "xin", "cam", "đoan", "lacebook.conV/NliHEaneComE23", "x", "Số:", "Tên"]


def test_a_line_of_one_letter_or_symbol_is_no_text_however_sure():
    from digitizer.ocr.garbage import noise

    # The edges of an ID card's photo, fingerprints and guilloche, as read on its photocopy.
    words = [lined("Ạ", 0.91, 0), lined(":", 0.5, 0), lined("£", 0.75, 1), lined(".—", 0.39, 2),
             # A page number keeps its figure; a line of two letters is text ("Số").
             lined("2", 0.9, 3), lined("Số", 0.9, 4), lined("r", 0.71, 5), lined("PHAN", 0.97, 6)]
    assert noise(words) == {0, 1, 2, 3, 6}
