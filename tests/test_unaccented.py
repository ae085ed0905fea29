"""A page printed without Vietnamese marks (a till receipt) keeps none; Vietnamese in its own
letters keeps every mark, however few its lines."""

from __future__ import annotations

from digitizer.model import PageResult, Word
from digitizer.ocr.unaccented import printed_plain, without_marks
from digitizer.text import page_text, unmarked


def page_of(lines: list[str], ocr: str = "tesseract", unsure: float | None = None) -> PageResult:
    """Every word read at 0.9; with `unsure`, the words holding a mark at that confidence."""
    words = [Word(text, 60 * i, 40 * n, 50, 30, unsure if unsure is not None and not text.isascii() else 0.9, n)
             for n, line in enumerate(lines) for i, text in enumerate(line.split())]
    return PageResult(1, 227, 600, 200, 0, 0.0, ocr, 0.9, page_text(words), words)


# As Tesseract's Vietnamese model reads a till's unmarked print (viText's receipts): a mark here
# and there, on words printed plain.
TILL = ["CUA HANG TIỆN LOI MINH CHAU", "108 Nguyen Trai, Thanh Xuân, Ha Noi", "HOA DON BAN LE",
        "So HD: 31923 Ngay: 23/04/2025", "Ca phe sua đa 29.000", "Tra dao cam sa 45.000", "Tong cong: 74.000",
        "Tiên mat: 74.000", "Tien thua: 0", "Cam on quy khach va hẹn gap lai!"]
# The same receipt printed with its marks.
MARKED = ["CỬA HÀNG TIỆN LỢI MINH CHÂU", "108 Nguyễn Trãi, Thanh Xuân, Hà Nội", "HÓA ĐƠN BÁN LẺ",
          "Số HĐ: 31923 Ngày: 23/04/2025", "Cà phê sữa đá 29.000", "Trà đào cam sả 45.000", "Tổng cộng: 74.000",
          "Tiền mặt: 74.000", "Tiền thừa: 0", "Cảm ơn quý khách và hẹn gặp lại!"]


def test_marks_come_off_letters_and_case_stays():
    assert unmarked("Tiền mặt ĐÃ Hà Nội ươ") == "Tien mat DA Ha Noi uo"


def test_a_receipt_printed_without_marks_is_read_without_them():
    assert printed_plain(page_of(TILL))
    page = without_marks(page_of(TILL))
    assert page.text.splitlines()[0] == "CUA HANG TIEN LOI MINH CHAU"
    assert "Tien mat: 74.000" in page.text and "hen gap lai!" in page.text
    assert all(word.text.isascii() for word in page.words)


def test_a_receipt_printed_with_its_marks_keeps_them():
    assert not printed_plain(page_of(MARKED))


def test_a_few_lines_say_too_little_and_a_text_layer_is_as_the_file_says():
    assert not printed_plain(page_of(TILL[:3]))
    assert not printed_plain(page_of(TILL, ocr="text-layer"))


# Faint dot-matrix print as Tesseract's Vietnamese model reads it (viText's no_0256): marks on
# a good share of the letters, each on a word it is unsure of.
DOTTED = ["CỦA HÀNG TIỆN LOI MINH CHÂU", "108 Nguyên Trãi, Thanh Xuân, Hà Nôi", "HÓA ĐON BÁN LẺ",
          "So HD: 31923 Ngay: 23/04/2025", "Ca phe sửa đá 29.000", "Trà dao cam sa 45.000", "Tông cong: 74.000",
          "Tiên mat: 74.000", "Tien thúa: 0", "Cam on quý khach va hẹn gap lai!"]


def test_marks_read_unsure_into_faint_print_do_not_make_it_accented():
    letters = [c for c in "".join(DOTTED) if c.isalpha()]
    assert sum(not c.isascii() for c in letters) >= 0.12 * len(letters)     # too many marks to tell alone
    assert not printed_plain(page_of(DOTTED))                 # read with confidence, the marks would count
    assert printed_plain(page_of(DOTTED, unsure=0.45))
