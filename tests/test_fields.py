"""Field rules on hand-written OCR output: the traps real Tesseract text sets."""

from __future__ import annotations

import pytest

from digitizer.extract import extract_from_lines
from digitizer.extract.checks import id_number_problem, phone_ok
from digitizer.extract.lines import TextLine, page_lines
from digitizer.layout import page_layout
from digitizer.model import PageResult, Word
from digitizer.text import fold, page_text, sentence_case

PAGE_W, PAGE_H = 595.0, 842.0
LEFT, RIGHT = 85.0, 350.0          # where left-column and right-column lines start, in points


def lines_of(*rows: str | tuple[str, float], confidence: float = 0.95) -> list[TextLine]:
    """Lines as OCR gives them, through the page layout: each row is its text, or (text, x
    where it starts); boxes in points."""
    words = []
    for i, row in enumerate(rows):
        text, x = (row, LEFT) if isinstance(row, str) else row
        for token in text.split():
            words.append(Word(token, round(x), 60 + 20 * i, 6 * len(token), 14, confidence, i))
            x += 6 * len(token) + 4
    layout = page_layout(words, PAGE_W, PAGE_H, 72)
    page = PageResult(1, PAGE_W, PAGE_H, 72, 0, 0.0, "tesseract", confidence, page_text(layout.words),
                      layout.words, 72.0, blocks=layout.blocks)
    return page_lines([page])


def fields_of(*rows: str | tuple[str, float]) -> dict[str, str]:
    doc_type, fields = extract_from_lines(lines_of(*rows))
    values = {k: v.value for k, v in fields.items()}
    if doc_type:
        values["doc_type"] = doc_type.value
    return values


def test_fold_keeps_offsets_and_folds_d():
    assert fold("Số: 12/QĐ-UBND Đinh") == "so: 12/qd-ubnd dinh"
    assert len(fold("Nguyễn Thị Hường")) == len("Nguyễn Thị Hường")
    assert sentence_case("ỦY BAN NHÂN DÂN XÃ SƠN ĐÔNG") == "Ủy ban nhân dân xã Sơn Đông"


@pytest.mark.parametrize("row, expected", [
    ("Số: 245/QĐ-UBND", "245/QĐ-UBND"),
    ("So: 245/QD-UBND", "245/QĐ-UBND"),           # no diacritics, Đ read as D
    ("S6: 245/QĐ-UBND", "245/QĐ-UBND"),           # ố read as 6
    ("Số: 2O5/QĐ-UBND", "205/QĐ-UBND"),           # O for 0 inside the number
    ("Số: l2/NĐ-CP", "12/NĐ-CP"),                 # l for 1
    ("Số: 7/QĐĐ - UBND", "7/QĐ-UBND"),            # doubled Đ, spaced dash
    ("Số: 671UBND-XNTTHN", "671/UBND-XNTTHN"),    # the slash lost
    ("Số: 30/2020/NĐ-CP", "30/2020/NĐ-CP"),
    ("Số: 181/TTr--UBND", "181/TTr-UBND"),       # the dash read twice (a speck of the rule beside it)
])
def test_document_number(row, expected):
    assert fields_of(row)["doc_number"] == expected


def test_merged_header_columns_give_number_place_and_date():
    f = fields_of("Số: 12/QĐ-UBND Sơn Đông, ngày 05 tháng 3 năm 2025")
    assert (f["doc_number"], f["place"], f["issue_date"]) == ("12/QĐ-UBND", "Sơn Đông", "2025-03-05")


def test_place_does_not_swallow_the_other_column():
    f = fields_of("HÀNH CHÍNH CÔNG Yên Thế, ngày 10 tháng 08 năm 2020")
    assert f["place"] == "Yên Thế" and f["issue_date"] == "2020-08-10"


def test_dates_inside_sentences_are_not_the_issue_date():
    f = fields_of("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                  ("Tân Phú, ngày 02 tháng 11 năm 2024", RIGHT))
    assert f["issue_date"] == "2024-11-02" and f["place"] == "Tân Phú"


@pytest.mark.parametrize("row, expected", [
    ("Ngày sinh: 05/03/1990", "1990-03-05"),
    ("Ngay sinh: 05-03-1990", "1990-03-05"),
    ("Ngày, tháng, năm sinh: ngày 5 tháng 3 năm 1990", "1990-03-05"),
    ("Ngày sinh: O5/O3/199O", "1990-03-05"),
    ("Sinh ngày 5.3.1990", "1990-03-05"),
])
def test_birth_date_forms(row, expected):
    assert fields_of(row)["birth_date"] == expected


@pytest.mark.parametrize("row", ["Ngày sinh: 31/02/1990", "Ngày sinh: 12/13/1990", "Ngày sinh: 01/01/1850"])
def test_impossible_dates_are_dropped(row):
    assert "birth_date" not in fields_of(row)


def test_value_on_the_next_line_and_upper_case_names():
    f = fields_of("Họ và tên:", "NGUYỄN VĂN AN", "Nơi thường trú:", "thôn Đông, xã Tân Phú, tỉnh Nghệ An")
    assert f["person_name"] == "Nguyễn Văn An"
    assert f["address"] == "thôn Đông, xã Tân Phú, tỉnh Nghệ An"


@pytest.mark.parametrize("label", ["Họ, chữ đệm, tên:", "Ho va ten:", "Họ tên:", "Ông/bà:"])
def test_person_name_labels(label):
    assert fields_of(f"{label} Trần Thị Hường")["person_name"] == "Trần Thị Hường"


def test_name_stops_at_punctuation():
    assert fields_of("Xét đề nghị của ông/bà: Lê Văn Tám, về việc xác nhận")["person_name"] == "Lê Văn Tám"


def test_id_number_checked_against_province_and_birth_year():
    assert id_number_problem("001090012345", "1990-05-01") is None
    assert id_number_problem("001190012345", "1990-05-01") is None          # female, 1900s
    assert id_number_problem("001290012345", "2090-01-01") is None          # 2000s
    assert id_number_problem("001090012345", "1985-05-01") == "does not agree with the birth date"
    assert id_number_problem("999090012345") == "unknown province code"
    assert id_number_problem("00109001234") == "not 12 digits"


def test_id_number_lookalikes_and_labels():
    f = fields_of("Số định danh cá nhân: OO1O9OO12345", "Ngày sinh: 01/05/1990")
    assert f["id_number"] == "001090012345"
    assert fields_of("Số CCCTD: 001090012345")["id_number"] == "001090012345"   # label misread
    assert fields_of("Số CMND: 123456789")["id_number"] == "123456789"


def test_an_id_cards_front_as_its_photocopy_reads():
    # Its labels glossed in English; a photo's edge read as a line of its own between a label
    # and its value on the next line.
    f = fields_of("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "CĂN CƯỚC CÔNG DÂN",
                  "Citizen Identity Card", "Số / No.: 036090012345", "Họ và tên / Full name:", ("Ạ :", 40),
                  "NGUYỄN VĂN AN", "Ngày sinh / Date of birth: 12/03/1990", "Quê quán / Place of origin:")
    assert f == {"doc_type": "Căn cước công dân", "id_number": "036090012345", "person_name": "Nguyễn Văn An",
                 "birth_date": "1990-03-12"}          # no subject: the title's translation is not one
    assert "id_number" not in fields_of("Số: 036090012345")          # a letter's number is not a citizen's
    assert fields_of("Số No: 036090012345")["id_number"] == "036090012345"   # the slash lost
    assert fields_of("Số rNo: 036090012345")["id_number"] == "036090012345"  # ... or misread
    assert "id_number" not in fields_of("Số nợ: 150.000.000")               # a debt


@pytest.mark.parametrize("read, expected", [("19I07I1955", "1955-07-19"), ("2412/1964", "1964-12-24"),
                                            ("02/0211970)", "1970-02-02"), ("24/10/1989.", "1989-10-24")])
def test_a_labelled_date_whose_slashes_were_misread(read, expected):
    # As read on ID-card photocopies: a photo's edge before the label, the slashes as strokes.
    assert fields_of(f"` r Ngày sinh / Date of birth: {read}")["birth_date"] == expected


def test_id_number_that_disagrees_with_birth_year_is_not_trusted():
    _, fields = extract_from_lines(lines_of("Số CCCD: 001090012345", "Ngày sinh: 01/05/1985"))
    assert fields["id_number"].confidence <= 0.3


def test_id_number_with_a_bad_province_is_dropped():
    assert "id_number" not in fields_of("Số CCCD: 999090012345")


def test_phone_numbers():
    assert fields_of("Số điện thoại: 0912 345 678")["phone"] == "0912345678"
    assert fields_of("Điện thoại: 024 3825 1234")["phone"] == "02438251234"
    assert "phone" not in fields_of("Số điện thoại: 1234567890")
    assert phone_ok("0387654321") and not phone_ok("0187654321")


def test_recipient_dossier_and_procedure():
    f = fields_of("Kính gửi: Ủy ban nhân dân xã Tân Phú", "Mã hồ sơ: H40.25.13-250304-0012",
                  "Nội dung yêu cầu giải quyết: Đăng ký khai sinh")
    assert f["recipient"] == "Ủy ban nhân dân xã Tân Phú"
    assert f["dossier_code"] == "H40.25.13-250304-0012"
    assert f["procedure"] == "Đăng ký khai sinh"


def test_header_issuer_type_subject_and_signer():
    f = fields_of(("ỦY BAN NHÂN DÂN", 110), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 330),
                  ("XÃ SƠN ĐÔNG", 125), ("Độc lập - Tự do - Hạnh phúc", 360),
                  ("Số: 12/QĐ-UBND", 115), ("Sơn Đông, ngày 05 tháng 3 năm 2025", 350),
                  ("QUYÊT ĐINH", 260),                                  # title with marks lost
                  ("Về việc thành lập Tổ công tác chuyển đổi số", 170),
                  "Căn cứ Luật Tổ chức chính quyền địa phương;",
                  "Quyết định này có hiệu lực kể từ ngày ký.",
                  ("TM. ỦY BAN NHÂN DÂN", 380), ("CHỦ TỊCH", 410), ("Đỉnh Văn An", 400))
    assert f["issuer"] == "Ủy ban nhân dân xã Sơn Đông"
    assert f["doc_type"] == "Quyết định"
    assert f["subject"] == "Về việc thành lập Tổ công tác chuyển đổi số"
    assert f["signer"] == "Đinh Văn An"                                   # family names are a closed list


def test_parent_agency_gives_way_to_the_issuing_unit():
    f = fields_of(("ỦY BAN NHÂN DÂN XÃ MỸ LỘC", 90), ("TRUNG TÂM PHỤC VỤ", 110), ("HÀNH CHÍNH CÔNG", 112),
                  ("PHIẾU TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", 150))
    assert f["issuer"] == "Trung tâm Phục vụ hành chính công"
    assert f["doc_type"] == "Phiếu tiếp nhận hồ sơ"


def test_document_types_by_title_and_by_number():
    assert fields_of(("THÔNG BÁO", 260))["doc_type"] == "Thông báo"
    assert fields_of(("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", 150))["doc_type"] == \
        "Giấy xác nhận tình trạng hôn nhân"
    assert fields_of("Số: 125/UBND-VP")["doc_type"] == "Công văn"
    assert fields_of("Số: 15/TTr-UBND")["doc_type"] == "Tờ trình"
    assert "doc_type" not in fields_of("Quyết định này có hiệu lực kể từ ngày ký.")


def test_body_text_reports_no_fields():
    assert fields_of("Đề nghị các thôn, xóm thông báo rộng rãi đến nhân dân.",
                     "Mọi vướng mắc đề nghị phản ánh về Văn phòng để tổng hợp.") == {}


def test_fields_carry_page_box_and_confidence():
    _, fields = extract_from_lines(lines_of("Họ và tên: Trần Thị Hường"))
    f = fields["person_name"]
    assert f.page == 1 and 0 < f.confidence <= 1
    x0, y0, x1, y1 = f.bbox
    assert x0 > LEFT + 40 and x1 > x0 and y1 > y0          # the value's words, not the label


def test_a_date_with_its_day_filled_in_by_hand_gives_the_place_and_the_date_to_type():
    # The transcription of real letters: the number and the day are handwritten, OCR sees blanks.
    rows = ("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số: /UBND-KTTH", "V/v tham gia ý kiến",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
            ("Quảng Ngãi, ngày tháng 02 năm 2025", 300), "Kính gửi: Sở Tài chính")
    got = fields_of(*rows)
    assert got["place"] == "Quảng Ngãi" and got["doc_type"] == "Công văn"     # no title, a V/v trích yếu
    _, fields = extract_from_lines(lines_of(*rows))
    date, place = fields["issue_date"], fields["place"]
    # No value: the date's box, for a person to type it from its crop (the review queue's "viết tay").
    assert date.hand and date.value == "" and date.bbox is not None and place.bbox is not None
    assert date.bbox[0] > place.bbox[2] and date.bbox[1] < place.bbox[3]      # right of the place, on its line


def test_a_sentence_with_a_blank_date_and_no_place_gives_nothing():
    got = fields_of("Đề nghị ông bà có mặt tại trụ sở, ngày tháng tới sẽ có thông báo cụ thể.")
    assert "place" not in got and "issue_date" not in got


@pytest.mark.parametrize("line, place, date", [("Quảng Ngãi, ngày 3| tháng 12 năm 2024", "Quảng Ngãi", ""),
                                               ("Đà Nẵng, ngày 84 tháng 5 năm 2019", "Đà Nẵng", ""),
                                               ("Bắc Ninh. ngày 27 tháng 9 năm 2021", "Bắc Ninh", "2021-09-27"),
                                               ("Quảng Ngãi, ngày 04tháng 02 năm 2025", "Quảng Ngãi", "2025-02-04")])
def test_a_handwritten_day_read_as_junk_is_not_a_date(line, place, date):
    # Junk where the day is: no date read, a date to type from its crop ("" beside hand=True).
    got = fields_of("ỦY BAN NHÂN DÂN", (line, 300))
    assert got["place"] == place and got.get("issue_date") == date


def test_a_day_written_in_pen_and_read_as_a_figure_at_hardly_any_confidence_is_for_a_person_to_type():
    # A real letter (dng-1595): its day, 31 in pen, read as "4" at 0.26, beside print read at 0.8-0.97.
    lines = lines_of("ỦY BAN NHÂN DÂN", ("Đà Nẵng, ngày 4 tháng 5 năm 2019", 300))
    day = next(w for line in lines for w in line.words if w.text == "4")
    day.confidence = 0.26
    _, fields = extract_from_lines(lines)
    assert fields["place"].value == "Đà Nẵng"
    assert fields["issue_date"].hand and fields["issue_date"].value == ""
    day.confidence = 0.9                # the same figure read as print reads: the date
    _, fields = extract_from_lines(lines)
    assert fields["issue_date"].value == "2019-05-04" and not fields["issue_date"].hand


# Documents the rules were not written on (issue 14): labels, layout and vocabularies.

def test_a_label_inside_a_sentence_is_no_label():
    f = fields_of("Địa chỉ: thôn Gò Dài, xã Tây Sơn, tỉnh Gia Lai",
                  "Thành phần hồ sơ: tờ khai; giấy tờ chứng minh nơi cư trú.",
                  "Thời gian trả kết quả: ngày 5 tháng 3 năm 2025")
    assert f["address"] == "thôn Gò Dài, xã Tây Sơn, tỉnh Gia Lai"


def test_words_between_a_label_and_its_colon_are_part_of_the_label():
    f = fields_of("Nơi cư trú hiện nay: xóm Bến, xã Can Lộc, tỉnh Hà Tĩnh")
    assert f["address"] == "xóm Bến, xã Can Lộc, tỉnh Hà Tĩnh"


def test_a_label_at_the_end_of_a_sentence_does_not_take_the_next_line():
    f = fields_of("Người nộp mang theo giấy tờ chứng minh nơi cư trú.", "Thời gian trả kết quả: ngày 5/3/2025")
    assert "address" not in f


def test_the_subject_stops_where_the_body_starts_without_a_gap():
    # Title and subject centred on the page; the body's first line is indented and full width.
    f = fields_of(("TỜ TRÌNH", 270), ("Về việc đề nghị phê duyệt dự toán", 200), ("chi phí sửa chữa trụ sở", 230),
                  ("Hiện nay, toàn xã đã hoàn thành việc rà soát các tiêu chí theo kế hoạch đề ra", 113))
    assert f["subject"] == "Về việc đề nghị phê duyệt dự toán chi phí sửa chữa trụ sở"


def test_a_cong_van_subject_under_the_number_keeps_its_lines_and_its_lost_v():
    f = fields_of(("ỦY BAN NHÂN DÂN XÃ TÂY SƠN", 60), ("Số: 12/UBND-VP", 95), ("V/ góp ý dự thảo kế hoạch", 70),
                  ("cải cách hành chính", 88), ("Kính gửi: Ủy ban nhân dân tỉnh Gia Lai", 200))
    assert f["subject"] == "V/v góp ý dự thảo kế hoạch cải cách hành chính"
    assert f["doc_type"] == "Công văn"


def test_a_number_without_a_kind_is_a_cong_vans():
    assert fields_of("Số: 6191/BVT-TCKT")["doc_type"] == "Công văn"


def test_the_kind_in_a_number_comes_from_decree_30s_list():
    assert fields_of("Số: 794/TIr-UBND")["doc_number"] == "794/TTr-UBND"


def test_the_header_column_keeps_every_word_when_ocr_joins_it_to_the_motto():
    f = fields_of(("ỦY BAN NHÂN DÂN XÃ TÂY SƠN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 60),
                  ("TỜ TRÌNH", 270))
    assert f["issuer"] == "Ủy ban nhân dân xã Tây Sơn"


def test_a_department_takes_its_parents_place():
    f = fields_of(("UBND THÀNH PHÓ ĐÀ NÀNG", 70), ("SỞ GIÁO DỤC VÀ ĐẠO TẠO", 72), ("Số: 1906/SGDĐT-CTrTT", 80))
    assert f["issuer"] == "Sở Giáo dục và Đào tạo thành phố Đà Nẵng"
    f = fields_of(("SỞ Y TẾ BẮC NINH", 70), ("BỆNH VIỆN ĐA KHOA TỈNH", 60), ("Số: 6191/BVT-TCKT", 80))
    assert f["issuer"] == "Bệnh viện đa khoa tỉnh Bắc Ninh"


def test_the_signer_is_found_where_a_seal_hides_the_title():
    last_page = lines_of("Đề nghị các cơ quan phối hợp thực hiện./.", ("cv.”", 355), "Nơi nhận:",
                         ("Phạm Trường Thọ", 353))
    for line in last_page:
        line.page = 4           # the top of a last page: the signature block of a long letter
    _, fields = extract_from_lines(lines_of("CHỈ THỊ") + last_page)
    assert fields["signer"].value == "Phạm Trường Thọ"


def test_a_signer_named_truong_is_not_a_title():
    f = fields_of(("NGƯỜI KÊ KHAI", 380), ("Trương Văn Hằng", 370))
    assert f["signer"] == "Trương Văn Hằng"


def test_specks_a_seal_leaves_before_the_signers_name_are_not_part_of_it():
    f = fields_of(("GIÁM ĐỐC", 380), ("¬_ /Ì", 360), ("` Hạ Bá Chân", 370))
    assert f["signer"] == "Hạ Bá Chân"
    assert "signer" not in fields_of(("GIÁM ĐỐC", 380), ("` hạ bá chân", 370))
