"""Closed vocabularies and tone marks: what they put right, and what they must leave alone."""

from __future__ import annotations

import pytest

from digitizer.extract.spelling import respell
from digitizer.extract.tones import Usage, fix_tones, key, spell
from digitizer.model import Doubt, PageResult, Word
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


BODY = ("Ban Chỉ đạo xoá nhà tạm, nhà dột nát huyện họp. Chương trình xóa nhà tạm, nhà dột nát trên địa bàn "
        "được triển khai; hỗ trợ xóa nhà dột nát cho hộ nghèo. Học sinh dự kỳ thi THPT; lịch kỳ thi THPT "
        "quốc gia; phòng, chống dịch COVID-19 và phòng, chống dịch bệnh; chống dịch là việc của mọi người.")


@pytest.mark.parametrize("read, meant", [
    ("Kết luận tại buổi làm việc với Ban Chỉ đạo xoá nhà tạm, nhà đột nát huyện",
     "Kết luận tại buổi làm việc với Ban Chỉ đạo xoá nhà tạm, nhà dột nát huyện"),
    ("V/v bảo đảm an toàn trong dịp nghỉ hè và kỳ thì THPT quốc gia",
     "V/v bảo đảm an toàn trong dịp nghỉ hè và kỳ thi THPT quốc gia"),
    ("V/v thực hiện các biện pháp phòng, chồng dịch COVID-19",
     "V/v thực hiện các biện pháp phòng, chống dịch COVID-19"),
])
def test_the_documents_own_spelling_of_a_phrase_decides_one_neighbour(read, meant):
    assert fix_tones(read) == read                   # a word list alone cannot tell
    assert fix_tones(read, Usage.of(BODY + "\n" + read)) == meant


def test_the_documents_majority_is_not_taken_over_a_word_or_a_name():
    # Tesseract misreads some words alike all through a page: "phô thông" four times is a
    # majority, but "phổ thông" is a word, so the one read right stays.
    body = "trung học phô thông. " * 4
    assert fix_tones("kỳ thi trung học phổ thông", Usage.of(body)) == "kỳ thi trung học phổ thông"
    # A capitalised word is a name or a sentence's start: "Công thông tin" thrice is no reason
    # to change "Cổng thông tin".
    usage = Usage.of("tài sản công thông qua. " * 3)
    assert fix_tones("đấu giá tài sản, Cổng thông tin điện tử", usage) == "đấu giá tài sản, Cổng thông tin điện tử"
    assert fix_tones("đấu giá tài sản, cổng thông tin điện tử", usage) == "đấu giá tài sản, công thông tin điện tử"
    # Printed beside its neighbours twice is not enough.
    assert fix_tones("nhà đột nát", Usage.of("nhà dột nát")) == "nhà đột nát"


def test_generated_documents_keep_their_spelling_under_their_own_majority():
    """Every printed line of both families, with its own document's usage, comes back unchanged."""
    changed = []
    for kinds in (KINDS, INDEPENDENT_KINDS):
        for kind in kinds:
            for seed in range(3):
                lines = generate(kind, "clean", seed).truth["lines"][0]
                usage = Usage.of("\n".join(lines))
                fixed = [fix_tones(line, usage, running_text=True) for line in lines]
                changed += [(a, b) for a, b in zip(lines, fixed) if a != b]
    assert changed == []


def _page(lines: list[str], ocr: str = "tesseract") -> PageResult:
    words = [Word(text, 10 * i, 20 * n, 9, 10, 0.9, n) for n, line in enumerate(lines)
             for i, text in enumerate(line.split(" "))]
    return PageResult(1, 595, 842, 300, 0, 0.0, ocr, 0.9, "\n".join(lines), words)


def test_respelling_changes_the_words_and_the_text_together():
    lines = ["Ban Chỉ đạo xoá nhà tạm, nhà đột nát huyện", "xoá nhà tạm, nhà dột nát trên địa bàn",
             "Chương trình nhà dột nát", "hỗ trợ nhà dột nát cho hộ nghèo"]
    page, = respell([_page(lines)])
    assert page.text.splitlines()[0] == "Ban Chỉ đạo xoá nhà tạm, nhà dột nát huyện"
    assert [w.text for w in page.words if w.line == 0][7] == "dột"
    assert page.words[7].left == 70                  # the box is the one read
    text_page = _page(lines, ocr="text-layer")       # a file's own text is not OCR: never respelled
    assert respell([text_page])[0] is text_page


def test_one_neighbour_inside_the_text_is_not_enough():
    # "đặt để" is a word, as "chi phí" is: without frequencies of word pairs, one side decides nothing.
    assert fix_tones("Về việc thu hồi đất để thực hiện dự án") == "Về việc thu hồi đất để thực hiện dự án"


def test_running_text_gets_rare_syllables_put_right_but_not_a_lines_edge():
    assert fix_tones("đề nghị các đơn vị triên khai thực hiện", running_text=True) == \
        "đề nghị các đơn vị triển khai thực hiện"
    # A wrapped line's first word has a neighbour on the line above: its edge decides nothing.
    assert fix_tones("chỉ phí đi lại", running_text=True) == "chỉ phí đi lại"
    assert fix_tones("chỉ phí đi lại") == "chi phí đi lại"
    # Nor is a rare syllable at a line's end given its commonest reading ("khăn"): its word
    # ("khẩn trương") may go on on the next line.
    assert fix_tones("biện pháp khân", running_text=True) == "biện pháp khân"


def test_respelling_takes_a_weighed_reading_into_the_words():
    page = _page(["học sinh trung học phô thông"])
    page.words[4].doubts = (Doubt("phỏ", 0.3), Doubt("phổ", 0.37))
    fixed, = respell([page])
    assert fixed.text == "học sinh trung học phổ thông" and fixed.words[4].doubts == ()


def test_a_name_keeps_its_letters_whatever_tesseract_weighed():
    page = _page(["Người ký Hà Thanh Vinh"])
    page.words[4].doubts = (Doubt("Vĩnh", 0.9),)
    assert respell([page])[0].text == "Người ký Hà Thanh Vinh"


def test_phrases_printed_in_capitals_get_their_marks():
    page = _page(["UBND THÀNH PHÓ ĐÀ NẴNG", "SƠ GIÁO DỤC VÀ ĐẠO TẠO", "KT. GIÁM ĐÓC", "PHO CHANH VAN PHONG",
                  "ỦY BAN NHÂN DÂN", "Trung tâm phó giám đốc"])
    assert respell([page])[0].text.splitlines() == [
        "UBND THÀNH PHỐ ĐÀ NẴNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "KT. GIÁM ĐỐC", "PHÓ CHÁNH VĂN PHÒNG",
        "ỦY BAN NHÂN DÂN", "Trung tâm phó giám đốc"]        # not in capitals: not a header's phrase
    printed = _page(["UỶ BAN NHÂN DÂN", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"])   # old placement, as printed
    assert respell([printed])[0] is printed


def test_built_tables_are_kept_between_runs_and_built_again_when_their_source_changes(tmp_path, monkeypatch):
    from digitizer.built import built

    monkeypatch.setenv("DIGITIZER_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "words.txt"
    source.write_text("hòa bình\n", encoding="utf-8")
    builds = []

    def build() -> frozenset[str]:
        builds.append(1)
        return frozenset(source.read_text(encoding="utf-8").split())

    assert built("words", [source], build) == {"hòa", "bình"}
    assert built("words", [source], build) == {"hòa", "bình"} and len(builds) == 1      # read back, not built
    source.write_text("hòa bình độc lập\n", encoding="utf-8")
    assert built("words", [source], build) == {"hòa", "bình", "độc", "lập"} and len(builds) == 2
    assert len(list((tmp_path / "cache").glob("words-*.pickle"))) == 1                  # the old one is gone
    blocked = tmp_path / "not-a-folder"          # a cache that cannot be written only costs the building
    blocked.write_text("")
    monkeypatch.setenv("DIGITIZER_CACHE_DIR", str(blocked))
    assert built("words", [source], build) == {"hòa", "bình", "độc", "lập"} and len(builds) == 3


def test_a_syllables_frequency_is_wordfreqs_without_importing_it():
    """The tone rules weigh syllables by wordfreq's zipf frequency, read from a table kept
    built: the same numbers, marks, figures and syllables it does not know included."""
    import subprocess
    import sys

    from wordfreq import zipf_frequency

    from digitizer.extract.tones import _zipf, lexicon, readings

    syllables, _ = lexicon()
    sample = sorted(syllables)[::40]
    keys = sample + [other for k in sample[:200] for other in readings(k, syllables)]
    keys += [key(word) for word in ("khân", "dịp", "tr.", "(giả)", "t34", "48", "a.b", "xyzq")]
    assert all(_zipf(k) == zipf_frequency(spell(k), "vi") for k in keys)
    # A worker's start does not pay for importing wordfreq (0.14 s), once the tables are built
    # for this checkout (the first run builds them; another checkout's run replaces them).
    code = "import sys, digitizer.extract as e; e.load_vocabularies(); print('wordfreq' in sys.modules)"
    subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "False"


def test_a_syllables_other_readings_are_its_hats_and_look_alike_tones_and_a_long_run_has_none():
    from digitizer.extract.tones import lexicon, readings

    syllables, _ = lexicon()
    assert [spell(k) for k in readings(key("phô"), syllables)] == ["pho", "phò", "phó", "phồ", "phố", "phổ", "phơ",
                                                                  "phờ", "phớ", "phở"]
    assert [spell(k) for k in readings(key("tỉnh"), syllables)] == ["tinh", "tình", "tính", "tĩnh", "tịnh"]
    # A dotted leader read as a run of one vowel: spelled out hat by hat, its readings would
    # number 3^40 (a page held for over 19 minutes by a shorter run).
    assert readings(key("o" * 40), syllables) == []
