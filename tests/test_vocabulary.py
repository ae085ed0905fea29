"""Closed vocabularies and tone marks: what they put right, and what they must leave alone."""

from __future__ import annotations

import pytest

from digitizer.extract.tones import fix_tones, key, spell
from digitizer.extract.vocabulary import agency, fix_body, fix_kind, fix_places, place_name
from samples import INDEPENDENT_KINDS, KINDS, generate


@pytest.mark.parametrize("read, meant", [
    ("Chỉ phí đi lại", "Chi phí đi lại"),                         # the value's first word
    ("chỉ phí sửa chữa trụ sở", "chi phí sửa chữa trụ sở"),
    ("chuyến đổi số", "chuyển đổi số"),
    ("V/v khân trương thực hiện", "V/v khẩn trương thực hiện"),     # not a Vietnamese syllable at all
    ("trong địp nghỉ hè", "trong dịp nghỉ hè"),
])
def test_misread_tone_marks_are_put_right(read, meant):
    assert fix_tones(read) == meant


@pytest.mark.parametrize("text", [
    "Ban Chỉ đạo xoá nhà tạm, nhà dột nát",          # "nhà tắm" is a word too: one neighbour is not enough
    "quy định tại khoản 2 Điều 157",                  # "tài khoản" is a word, "tại" far commoner than "tài"
    "ý kiến tham gia của các đại biểu",               # "cửa" would make no word on both sides
    "Ủy ban nhân dân tỉnh Quảng Ngãi",                # "dân tình" is a word, but "dân" is taken by "nhân"
    "Thực hiện Công văn số 2114",                     # a capitalised neighbour says nothing
    "quyết định của Tòa án về vụ án hành chính",
    "ông Nguyễn Văn An, bà Lê Thị Chỉ",               # names are never changed
    "Chủ tịch UBND tỉnh có ý kiến như sau:",
])
def test_right_text_is_left_alone(text):
    assert fix_tones(text) == text


def test_generated_ground_truth_is_left_alone():
    """Every printed line of both sample families, which are spelled right, comes back unchanged."""
    changed = []
    for kinds in (KINDS, INDEPENDENT_KINDS):
        for kind in kinds:
            for seed in range(3):
                for line in generate(kind, "clean", seed).truth["lines"][0]:
                    if fix_tones(line) != line:
                        changed.append((line, fix_tones(line)))
    assert changed == []


@pytest.mark.parametrize("word", ["hòa", "thủy", "quả", "giữ", "gì", "toán", "người", "khuyến", "tỉnh", "ngoài"])
def test_a_changed_syllable_is_spelled_with_the_mark_where_decree_30_puts_it(word):
    assert spell(key(word)) == word
    assert key("hoà") == key("hòa") == key("HÒA")


def test_number_parts_come_from_their_closed_lists():
    assert fix_kind("TIr") == "TTr"
    assert fix_kind("QĐ") == "QĐ"
    assert fix_kind("UBND") == "UBND"        # no kind: a công văn's body abbreviation stays
    assert fix_body("TIPVHCC") == "TTPVHCC"
    assert fix_body("KTTH") == "KTTH"


def test_agencies_are_matched_through_ocr_slips():
    found = agency("SƠ GIÁO DỤC VÀ ĐẠO TẠO")
    assert found is not None and found.name == "Sở Giáo dục và Đào tạo"
    found = agency("BỆNH VIỆN ĐA KHOATỈNH")          # a lost space: the name ends inside the word
    assert found is not None and found.name == "Bệnh viện đa khoa"
    assert "BỆNH VIỆN ĐA KHOATỈNH"[found.end:] == "TỈNH"
    assert agency("THÔN ĐÔNG") is None


def test_places_are_put_right_only_where_the_registry_leaves_no_doubt():
    assert place_name("Đà Nàng", province=True) == "Đà Nẵng"       # provinces: marks too
    assert place_name("Nghĩahành") == "Nghĩa Hành"                 # communes: lost spaces only
    assert place_name("Sơn Đông") == "Sơn Đông"                    # not "Sơn Động", which shares its letters
    assert fix_places("Ủy ban nhân dân tĩnh Quảng Ngãi") == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert fix_places("UBND THÀNH PHÓ ĐÀ NÀNG") == "UBND THÀNH PHỐ ĐÀ NẴNG"
    assert fix_places("Chủ tịch UBND tình có ý kiến") == "Chủ tịch UBND tình có ý kiến"   # no place after it


def test_one_neighbour_inside_the_text_is_not_enough():
    # "đặt để" is a word, as "chi phí" is: without frequencies of word pairs, one side decides nothing.
    assert fix_tones("Về việc thu hồi đất để thực hiện dự án") == "Về việc thu hồi đất để thực hiện dự án"
