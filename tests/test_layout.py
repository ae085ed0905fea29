"""The page layout the reading order, the fields and the stack splitter share: the one
segmenter, the one motto detector, Decree 30's blocks, and fields read from them."""

from __future__ import annotations

from itertools import groupby

from digitizer.extract import extract_fields
from digitizer.layout import page_layout
from digitizer.layout.segments import segments
from digitizer.model import Field, PageResult, Word
from digitizer.storage.index import LOW_CONFIDENCE
from digitizer.text import fold, motto_in, page_text


def _line(*texts: str, gap: int = 12) -> list[Word]:
    """Words of one line, 40 px high, `gap` px apart, each as wide as its letters."""
    words, left = [], 0
    for text in texts:
        words.append(Word(text, left, 100, 20 * len(text), 40, 0.95, 0))
        left += 20 * len(text) + gap
    return words


def _texts(words: list[Word]) -> list[str]:
    return [" ".join(w.text for w in seg.words) for seg in segments(words)]


def _row(number: int, *words: tuple[str, float]) -> list[Word]:
    """A form's line as Tesseract gives it: words 90 px apart, lines 100 px apart."""
    return [Word(text, 100 + 90 * i, 100 * number, 80, 30, confidence, number)
            for i, (text, confidence) in enumerate(words)]


def test_a_vertical_bar_parts_a_line_and_stands_alone():
    assert _texts(_line("Về", "việc", "cấp", "|", "ĐẾN", "Số:")) == ["Về việc cấp", "|", "ĐẾN Số:"]


def test_the_motto_opens_the_right_column_only_in_capitals():
    assert _texts(_line("ỦY", "BAN", "NHÂN", "DÂN", "CỘNG", "HÒA", "XÃ", "HỘI")) == \
        ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI"]
    assert _texts(_line("của", "nước", "Cộng", "hòa", "xã", "hội")) == ["của nước Cộng hòa xã hội"]


def test_one_motto_detector_for_headers_as_read():
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Độc lập Tự do",
                 "XÃ YÊN DŨNG_CỘNG HOÀ XÃ HỘI"):          # a rule read as "_" glued to the motto
        assert motto_in(fold(text)) is not None, text
    found = motto_in(fold("UBND XÃ YÊN DŨNG_CỘNG HÒA"))
    assert found is not None and "UBND XÃ YÊN DŨNG_CỘNG HÒA"[found.start():].startswith("CỘNG")
    for text in ("CÔNG AN XÃ", "Ủy ban nhân dân xã Tây Sơn", "hộ kinh doanh"):
        assert motto_in(fold(text)) is None, text


def _segment(text: str, left: int, top: int, line: int, confidence: float = 0.95) -> list[Word]:
    """A line's words as Tesseract boxes them: 18 px a letter, 30 px high, 12 px apart."""
    words = []
    for token in text.split():
        words.append(Word(token, left, top, 18 * len(token), 30, confidence, line))
        left += 18 * len(token) + 12
    return words


def _centred(text: str, top: int, line: int, middle: int = 850) -> list[Word]:
    return _segment(text, middle - (18 * len(text)) // 2, top, line)


# A decision of a province's Chairman as Decree 30 lays it out, on a 1700 × 2400 px page at
# 200 DPI: Tesseract reads the header's columns across, one row at a time.
DECISION = [
    *_segment("ỦY BAN NHÂN DÂN", 100, 100, 0), *_segment("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 900, 100, 0),
    *_segment("TỈNH QUẢNG NGÃI", 130, 140, 1), *_segment("Độc lập - Tự do - Hạnh phúc", 960, 140, 1),
    *_segment("Số: #86 /QĐ-UBND", 110, 180, 2), *_segment("Quảng Ngãi, ngày 3 tháng 2 năm 2025", 930, 180, 2),
    *_centred("QUYẾT ĐỊNH", 300, 3),
    *_centred("Về việc phê duyệt kế hoạch", 340, 4),
    *_centred("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", 420, 5),
    *_segment("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", 100, 500, 6),
    *_segment("Xét đề nghị của Giám đốc Sở Tài chính tại Tờ trình số 12/TTr-STC;", 100, 560, 7),
    *_segment("Nơi nhận:", 100, 700, 8), *_segment("KT. CHỦ TỊCH", 1050, 700, 8),
    *_segment("- Như Điều 3;", 100, 740, 9), *_segment("PHÓ CHỦ TỊCH", 1040, 740, 9),
    *_segment("~ồ", 1100, 820, 10, confidence=0.2),       # the seal's scrawl
    *_segment("Nguyễn Văn An", 1030, 900, 11),
]


def _kinds(words: list[Word]) -> dict[str, str]:
    layout = page_layout(words, 1700, 2400, 200)
    kind = {line: block.kind for block in layout.blocks for line in block.lines}
    return {" ".join(w.text for w in group): kind[line] for line, group in groupby(layout.words, key=lambda w: w.line)}


def test_a_decision_is_laid_out_in_decree_30s_blocks():
    assert _kinds(DECISION) == {
        "ỦY BAN NHÂN DÂN": "issuer", "TỈNH QUẢNG NGÃI": "issuer", "Số: #86 /QĐ-UBND": "issuer",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": "motto", "Độc lập - Tự do - Hạnh phúc": "motto",
        "Quảng Ngãi, ngày 3 tháng 2 năm 2025": "date",
        "QUYẾT ĐỊNH": "title", "Về việc phê duyệt kế hoạch": "subject",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI": "authority",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;": "body",
        "Xét đề nghị của Giám đốc Sở Tài chính tại Tờ trình số 12/TTr-STC;": "body",
        "Nơi nhận:": "recipients", "- Như Điều 3;": "recipients",
        "KT. CHỦ TỊCH": "signer", "PHÓ CHỦ TỊCH": "signer", "Nguyễn Văn An": "signer", "~ồ": "marks"}


def _fields(words: list[Word]) -> tuple[Field | None, dict[str, Field]]:
    layout = page_layout(words, 1700, 2400, 200)
    page = PageResult(1, 612.0, 864.0, 200, 0, 0.0, "tesseract", 0.95, page_text(layout.words), layout.words,
                      200.0, blocks=layout.blocks)
    return extract_fields([page])


def test_fields_come_from_their_blocks_and_say_which():
    doc_type, fields = _fields(DECISION)
    assert doc_type is not None and doc_type.value == "Quyết định" and doc_type.block == "title"
    assert fields["issuer"].value == "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert fields["issuer"].block == "authority"
    assert fields["subject"].value == "Về việc phê duyệt kế hoạch"
    assert fields["signer"].value == "Nguyễn Văn An" and fields["signer"].block == "signer"
    assert (fields["issue_date"].value, fields["place"].value) == ("2025-02-03", "Quảng Ngãi")
    assert fields["issue_date"].block == "date"


def test_a_number_filled_in_by_hand_is_read_where_legible_and_put_before_a_person():
    _, fields = _fields(DECISION)
    number = fields["doc_number"]
    assert number.value == "86/QĐ-UBND" and number.block == "issuer" and number.confidence < LOW_CONFIDENCE
    blank = [w for w in DECISION if w.line != 2] + _segment("Số: /QĐ-UBND", 110, 180, 2)
    _, fields = _fields(blank)
    assert fields["doc_number"].value == "/QĐ-UBND" and fields["doc_number"].confidence < LOW_CONFIDENCE


def test_without_the_authority_line_the_issuer_is_the_headers_body():
    _, fields = _fields([w for w in DECISION if w.line != 5])
    assert fields["issuer"].value == "Ủy ban nhân dân tỉnh Quảng Ngãi" and fields["issuer"].block == "issuer"


def test_the_motto_glued_to_the_body_by_the_rule_is_parted_at_it():
    line = _segment("ỦY BAN NHÂN DÂN XÃ YÊN DŨNG_CỘNG HÒA XÃ HỘI", 100, 100, 0)
    assert _texts(line) == ["ỦY BAN NHÂN DÂN XÃ YÊN DŨNG", "CỘNG HÒA XÃ HỘI"]


def test_a_title_that_names_its_office_holder_gives_the_issuer():
    title = _centred("QUYẾT ĐỊNH CỦA CHỦ TỊCH UBND TỈNH QUẢNG NGÃI", 300, 3)
    words = [w for w in DECISION if w.line not in (3, 5)] + title
    doc_type, fields = _fields(words)
    assert doc_type is not None and doc_type.value == "Quyết định"
    assert fields["issuer"].value.startswith("Chủ tịch ") and fields["issuer"].value.endswith("tỉnh Quảng Ngãi")


def test_a_column_of_figures_is_read_with_its_rows():
    # A shop receipt: each item's price stands apart from it, as the motto does from the body's
    # name; figures belong to their row, the motto to its column.
    words = [*_segment("Bạc xỉu nóng", 100, 100, 0),
             *_segment("40.000đ x 1", 100, 140, 1), *_segment("40.000đ", 900, 140, 1),
             *_segment("Hạt hướng dương", 100, 180, 2),
             *_segment("10.000đ x 1", 100, 220, 3), *_segment("10.000đ", 900, 220, 3),
             *_segment("Tổng: 50.000đ", 100, 260, 4)]
    layout = page_layout(words, 1200, 1600, 200)
    assert page_text(layout.words).splitlines() == ["Bạc xỉu nóng", "40.000đ x 1", "40.000đ", "Hạt hướng dương",
                                                    "10.000đ x 1", "10.000đ", "Tổng: 50.000đ"]


def test_a_narrow_page_is_read_row_by_row_and_an_a4_page_by_column():
    # Text on both sides of a gap: on a letter, Decree 30's header columns (left whole, then
    # right); on a receipt 3 inches wide, one printed line each (its cashier beside its date).
    words = [*_segment("Ngày: 19.01.2021", 40, 100, 0), *_segment("TN: Thu Ngân", 420, 100, 0),
             *_segment("Giờ vào: 19.48", 40, 140, 1), *_segment("Giờ ra: 20.20", 420, 140, 1)]
    receipt = page_layout(words, 3.15 * 200, 1600, 200)
    assert page_text(receipt.words).splitlines() == ["Ngày: 19.01.2021", "TN: Thu Ngân", "Giờ vào: 19.48",
                                                     "Giờ ra: 20.20"]
    letter = page_layout(words, 8.27 * 200, 2339, 200)
    assert page_text(letter.words).splitlines() == ["Ngày: 19.01.2021", "Giờ vào: 19.48", "TN: Thu Ngân",
                                                    "Giờ ra: 20.20"]
    # Faint dot-matrix print whose small letters make the strip measure 6 inches wide: its
    # shape, 2.6 times taller than wide, is a receipt's.
    strip = page_layout(words, 6 * 200, 15.7 * 200, 200)
    assert page_text(strip.words).splitlines() == page_text(receipt.words).splitlines()


def test_a_subject_whose_slash_was_read_as_a_letter():
    words = [w for w in DECISION if w.line not in (3, 4, 5)] + _segment("VỊv báo cáo kết quả", 100, 220, 3)
    _, fields = _fields(words)
    assert fields["subject"].value == "V/v báo cáo kết quả"


def test_a_forms_value_read_as_a_scrawl_is_handwriting_and_a_printed_code_is_not():
    from digitizer.layout.handwriting import handwritten_values
    from digitizer.model import Block, BlockKind

    words = (_row(0, ("Họ", 0.96), ("và", 0.97), ("tên:", 0.97), ("2.", 0.48), ("Q//2/42", 0.08), ("//UáC", 0.29))
             + _row(1, ("Mã", 0.96), ("hồ", 0.97), ("sơ:", 0.93), ("H45.65.74-230607-8179", 0.40))
             + _row(2, ("Số", 0.97), ("điện", 0.97), ("thoại:", 0.92), ("__)32671643.1", 0.08))
             + _row(3, ("Số:", 0.9), ("__)3267", 0.1)))                  # a letter's number line: not a form's row
    blocks = [Block(BlockKind.MARKS, [0]), Block(BlockKind.ROW, [1, 2]), Block(BlockKind.ISSUER, [3])]
    kept, regions = handwritten_values(words, blocks)
    assert [w.text for w in kept] == ["Họ", "và", "tên:", "Mã", "hồ", "sơ:", "H45.65.74-230607-8179",
                                      "Số", "điện", "thoại:", "Số:", "__)3267"]
    assert regions == [(370, 0, 630, 30), (370, 200, 450, 230)]


def test_a_forms_value_written_over_its_dotted_leader_is_handwriting_though_read_as_figures():
    """Figures written by hand read as a code, with more confidence than a scrawl but less than
    print; the leader's dots read with them tell the hand. A printed value is kept."""
    from digitizer.layout.handwriting import handwritten_values
    from digitizer.model import Block, BlockKind

    words = (_row(0, ("Số", 0.93), ("CCCD:", 0.79), ("...029180381", 0.43), ("905", 0.95))
             + _row(1, ("Ngày", 0.96), ("sinh:", 0.97), ("2Z⁄2ø/7982", 0.75))
             + _row(2, ("Số", 0.97), ("điện", 0.97), ("thoại:", 0.92), ("0969644465", 0.82))
             + _row(3, ("Ngày", 0.96), ("sinh:", 0.97), ("12/05/1998", 0.62))       # print, read in doubt
             # Print reads evenly; a hand's letters that look like a syllable or two do not.
             + _row(4, ("Họ", 0.97), ("và", 0.97), ("tên:", 0.97), ("“sàng", 0.40), ("kãr!", 0.0), ("(171g", 0.68))
             # Letters among a number's digits are digits written by hand, not a printed code.
             + _row(5, ("Số", 0.97), ("điện", 0.97), ("thoại:", 0.97), ("Q9381505Z7", 0.36)))
    kept, regions = handwritten_values(words, [Block(BlockKind.ROW, [0, 1, 2, 3, 4, 5])])
    assert [w.text for w in kept] == ["Số", "CCCD:", "Ngày", "sinh:", "Số", "điện", "thoại:", "0969644465",
                                      "Ngày", "sinh:", "12/05/1998", "Họ", "và", "tên:", "Số", "điện", "thoại:"]
    assert regions == [(280, 0, 450, 30), (280, 100, 360, 130), (370, 400, 630, 430), (370, 500, 450, 530)]


def test_a_form_filled_in_by_hand_is_signed_and_named_by_hand():
    """The name under a hand-filled form's signing line is the citizen's writing, however well
    it reads; a form filled in print keeps its signer's name as text."""
    from digitizer.layout.handwriting import handwritten_values
    from digitizer.model import Block, BlockKind

    signer = (_row(1, ("Mỹ", 0.96), ("Lộc,", 0.97), ("ngày", 0.97), ("26", 0.96))
              + _row(2, ("Người", 0.97), ("làm", 0.96), ("đơn", 0.96))
              + _row(3, ("Hoàng", 0.96), ("Thụ", 0.96), ("Hiền", 0.94)))
    blocks = [Block(BlockKind.ROW, [0]), Block(BlockKind.SIGNER, [1, 2, 3])]
    by_hand = _row(0, ("Ngày", 0.96), ("sinh:", 0.97), ("....z£", 0.33), ("6/04/1962", 0.63)) + signer
    kept, regions = handwritten_values(by_hand, blocks)
    assert " ".join(w.text for w in kept) == "Ngày sinh: Mỹ Lộc, ngày 26 Người làm đơn"
    assert regions == [(280, 0, 450, 30), (100, 300, 360, 330)]
    in_print = _row(0, ("Ngày", 0.96), ("sinh:", 0.97), ("16/04/1962", 0.96)) + signer
    assert handwritten_values(in_print, blocks) == (in_print, [])


def test_a_forms_label_read_with_a_letter_wrong_is_put_right_and_other_lines_are_kept():
    from digitizer.layout.labels import spelled_labels
    from digitizer.model import Word

    lines = [["Nơi", "cư", "tú:", ".....Xm..Chùa"], ["Số", "điên", "thoai:", "0909"], ["Ho", "và", "tên:"],
             ["Nơi", "nhận:", "Như", "trên;"], ["Họ", "tên:", "Lê", "An"], ["Kính", "gửi:", "UBND"]]
    words = [Word(text, 10 * i, 40 * n, 9, 20, 0.9, n) for n, line in enumerate(lines) for i, text in enumerate(line)]
    assert [w.text for w in spelled_labels(words)] == [
        "Nơi", "cư", "trú:", ".....Xm..Chùa", "Số", "điện", "thoại:", "0909", "Họ", "và", "tên:",
        "Nơi", "nhận:", "Như", "trên;", "Họ", "tên:", "Lê", "An", "Kính", "gửi:", "UBND"]


def test_an_identity_cards_bilingual_label_read_with_letters_wrong_is_put_right():
    from digitizer.layout.labels import spelled_labels
    from digitizer.model import Word

    lines = [["Quê", "quân", "/", "Place", "of", "origu:", "xã", "Phú", "Lộc"],
             ["Ngày", "sinh", "/", "Date", "of", "binh:", "08/07/1998"],
             ["Nơi", "thường", "trú", "/", "Place", "of", "residenoe:", "Thôn", "Đông"],
             ["Căn", "cứ", "Luật", "Tổ", "chức", "chính", "quyền:", "địa", "phương"]]
    words = [Word(text, 10 * i, 40 * n, 9, 20, 0.9, n) for n, line in enumerate(lines) for i, text in enumerate(line)]
    assert [" ".join(w.text for w in spelled_labels(words) if w.line == n) for n in range(4)] == [
        "Quê quán / Place of origin: xã Phú Lộc", "Ngày sinh / Date of birth: 08/07/1998",
        "Nơi thường trú / Place of residence: Thôn Đông", "Căn cứ Luật Tổ chức chính quyền: địa phương"]


def test_a_handwritten_value_running_on_to_the_next_line_is_one_region():
    from digitizer.layout.handwriting import handwritten_values
    from digitizer.model import Block, BlockKind

    words = (_row(0, ("Nơi", 0.97), ("cư", 0.94), ("trú:", 0.91), ("....(Ô/?.J", 0.0))
             + _row(1, ("rung...", 0.17), ("xã.", 0.17), ("Đôf1g..H1ưng,..", 0.0), ("tỉnh", 0.79), ("Huế", 0.96))
             + _row(2, ("Số", 0.97), ("điện", 0.97), ("thoại:", 0.97), ("0969644465", 0.96))
             + _row(3, ("Tôi", 0.96), ("xin", 0.96), ("cam", 0.97), ("đoan", 0.97)))
    kept, regions = handwritten_values(words, [Block(BlockKind.ROW, [0, 1, 2, 3])])
    assert " ".join(w.text for w in kept) == "Nơi cư trú: Số điện thoại: 0969644465 Tôi xin cam đoan"
    assert regions == [(100, 0, 540, 130)]


def test_a_forms_value_standing_on_its_dotted_leader_is_handwriting_however_well_read():
    """What stands on a row's leader was written into the blank: it starts on the leader, or a
    piece of the leader, parted where the pen crossed it, lies under it. A value typed before
    the leader's remaining dots is print."""
    from digitizer.layout.handwriting import handwritten_values
    from digitizer.model import Block, BlockKind

    words = (_row(0, ("Số", 0.97), ("điện", 0.97), ("thoại:", 0.97), ("0727714794", 0.97))
             + _row(1, ("Họ", 0.97), ("và", 0.97), ("tên:", 0.97), ("NGUYỄN", 0.96), ("AN", 0.96))
             + _row(2, ("Ngày", 0.97), ("sinh:", 0.97), ("_-24/06⁄499", 0.39), ("2", 0.90))
             + _row(3, ("Số", 0.97), ("CCCD:", 0.97), ("042090127476", 0.96)))      # no leader on its row
    leaders = [(365, 27, 1000, 31),                                  # under the number from its first figure
               (560, 127, 1000, 131),                                # after the typed name
               (330, 227, 400, 231), (470, 227, 1000, 231)]          # under the date, parted where the pen crossed
    kept, regions = handwritten_values(words, [Block(BlockKind.ROW, [0, 1, 2, 3])], leaders)
    assert " ".join(w.text for w in kept) == "Số điện thoại: Họ và tên: NGUYỄN AN Ngày sinh: Số CCCD: 042090127476"
    assert regions == [(370, 0, 450, 30), (280, 200, 450, 230)]


def test_a_label_glued_by_its_leader_to_the_value_is_parted_at_its_colon():
    from digitizer.layout.labels import row_label_length, spelled_labels
    from digitizer.model import Word

    words = [Word("số", 10, 0, 30, 20, 0.37, 0), Word("CCCD:...042079627431", 50, 0, 400, 20, 0.29, 0),
             Word("Thời", 10, 40, 30, 20, 0.9, 1), Word("gian:10:30", 50, 40, 100, 20, 0.9, 1)]
    spelled = spelled_labels(words)
    assert [(w.text, w.left, w.width) for w in spelled[:3]] == [("Số", 10, 30), ("CCCD:", 50, 100),
                                                                 ("...042079627431", 150, 300)]
    assert row_label_length([w.text for w in spelled[:3]]) == 2
    assert [w.text for w in spelled[3:]] == ["Thời", "gian:10:30"]          # no row's label: as read


def test_a_forms_value_written_far_along_its_blank_stays_with_its_label():
    """A row about a person keeps its value with its label, however far along the blank it
    was written; a column beside a letter's text is parted as before."""
    def words(*placed: tuple[str, int]) -> list[Word]:
        return [Word(text, left, 100, 20 * len(text), 30, 0.9, 0) for text, left in placed]

    row = words(("Nơi", 100), ("cư", 170), ("trú:", 220), ("Phú", 600), ("Hòa", 670))
    assert _texts(row) == ["Nơi cư trú: Phú Hòa"]
    column = words(("Nơi", 100), ("nhận:", 170), ("Phú", 600), ("Hòa", 670))
    assert _texts(column) == ["Nơi nhận:", "Phú Hòa"]


def test_lines_opening_with_a_printed_label_read_whole_are_counted():
    """What tells a card line's better reading: its printed label read whole, colon and all."""
    from digitizer.layout.labels import printed_labels, spelled_labels

    lines = [["Ngày", "sinh", "/", "Date", "of", "bịnh:", "02/11/1963"],     # put right: counted
             ["Ngày", "sinh", "/", "Date", "of", "bì", "02/11/1963"],        # the colon lost: not
             ["Họ", "và", "tên:", "Lê", "An"], ["Kính", "gửi:", "UBND"], ["Số", "CCCD", "0123"]]
    words = [Word(text, 10 * i, 40 * n, 9, 20, 0.9, n) for n, line in enumerate(lines) for i, text in enumerate(line)]
    assert printed_labels(words) == 1               # only "Họ và tên:" as read
    assert printed_labels(spelled_labels(words)) == 2
