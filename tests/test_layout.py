"""The one segmenter and the one motto detector the reading order, the fields and the stack
splitter share."""

from __future__ import annotations

from digitizer.model import Word
from digitizer.ocr.reading_order import segments
from digitizer.text import fold, motto_in


def _line(*texts: str, gap: int = 12) -> list[Word]:
    """Words of one line, 40 px high, `gap` px apart, each as wide as its letters."""
    words, left = [], 0
    for text in texts:
        words.append(Word(text, left, 100, 20 * len(text), 40, 0.95, 0))
        left += 20 * len(text) + gap
    return words


def _texts(words: list[Word]) -> list[str]:
    return [" ".join(w.text for w in seg.words) for seg in segments(words)]


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
