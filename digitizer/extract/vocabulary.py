"""Closed vocabularies that put OCR's reading of a field right: what can only be one of a list.

- Type abbreviations in document numbers (Decree 30/2020, Appendix III): `layout/doctypes.py`.
- Agencies: the names of the bodies that issue documents to a commune centre (Decree 30's
  templates; the provincial departments of Decree 150/2025 and those before it).
- Places: provinces, districts and communes before the July 2025 merger and after it, from
  the `vietnamadminunits` package's SQLite dataset (read directly; its modules pull in
  geocoding libraries the service does not need).
- Family names: the common Vietnamese ones.

A reading is put right only when one entry is clearly closest; otherwise it is kept.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Callable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from ..built import built
from ..text import fold, nfc
from ..layout.doctypes import DOC_TYPES

# Bodies by their canonical spelling; matched on the folded text.
AGENCIES = [
    "Ủy ban nhân dân", "Hội đồng nhân dân", "Ủy ban Mặt trận Tổ quốc Việt Nam", "Văn phòng Ủy ban nhân dân",
    "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", "Trung tâm Phục vụ hành chính công", "Công an",
    "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Y tế", "Sở Xây dựng", "Sở Công Thương",
    "Sở Giáo dục và Đào tạo", "Sở Khoa học và Công nghệ", "Sở Nông nghiệp và Môi trường",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa và Thể thao", "Sở Du lịch", "Sở Dân tộc và Tôn giáo",
    "Sở Ngoại vụ", "Thanh tra tỉnh", "Thanh tra thành phố",
    # Departments before the 2025 reorganisation (older documents carry them).
    "Sở Kế hoạch và Đầu tư", "Sở Tài nguyên và Môi trường", "Sở Lao động - Thương binh và Xã hội",
    "Sở Giao thông vận tải", "Sở Thông tin và Truyền thông", "Sở Nông nghiệp và Phát triển nông thôn",
    "Bệnh viện đa khoa", "Trung tâm Y tế", "Chi cục Thuế", "Cục Thuế", "Kho bạc Nhà nước", "Bảo hiểm xã hội",
    "Phòng Văn hóa - Xã hội", "Phòng Kinh tế", "Phòng Kinh tế, Hạ tầng và Đô thị", "Phòng Tư pháp",
    "Phòng Tài chính - Kế hoạch", "Phòng Nội vụ", "Phòng Giáo dục và Đào tạo", "Ban Chỉ đạo",
]
# Unit words that come before a place's name, longest first.
UNIT_WORDS = ["thành phố", "thị trấn", "thị xã", "đặc khu", "tỉnh", "huyện", "quận", "phường", "xã"]
# Common Vietnamese family names. Where only one of them has a given folded form, an OCR
# misreading of its marks can be put right ('Đỉnh' can only be Đinh); Đoàn/Doãn cannot.
_FAMILY = ("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Đoàn Lương "
           "Mai Đào Cao Lâm Hà Tạ Chu Châu Thái Quách Tô Từ Lưu Triệu Kiều Khúc Mạc Tăng Đàm Lại "
           "Tống Hứa Nông Lò Quàng Kim La Giang Thân Phùng Vương Trương Doãn Âu "
           # rarer ones, listed so that a name spelled so is not "put right" into its commoner twin (Hạ, Hà)
           "Hạ Lã Lữ Khổng Nghiêm Diệp Thạch Khương Tôn Cù Bế Hầu").split()
FAMILY_FOLDS = {fold(n) for n in _FAMILY}
FAMILY_NAMES = {fold(n): n for n in _FAMILY if sum(fold(m) == fold(n) for m in _FAMILY) == 1}
ABBREVIATIONS = sorted({t.abbreviation for t in DOC_TYPES if t.abbreviation})
# Abbreviations of issuing bodies that show up in numbers after the kind: UBND, HĐND, ...
BODY_ABBREVIATIONS = ["UBND", "HĐND", "VP", "TTPVHCC", "CT", "MTTQ"]
# What Decree 30 pages print in capitals besides names: the motto, bodies, signing titles and
# document types. Tesseract is least sure of marks on capitals ("GIÁM ĐÓC", "CHÚ TỊCH",
# "PHO CHANH VAN PHONG"), and in these phrases the letters leave no doubt which marks they carry.
CAPITAL_PHRASES = sorted({p.upper() for p in [
    "Cộng hòa xã hội chủ nghĩa Việt Nam", "Ủy ban nhân dân", "Hội đồng nhân dân", "Thành phố", "Giám đốc",
    "Phó giám đốc", "Chủ tịch", "Phó chủ tịch", "Chánh văn phòng", "Phó chánh văn phòng", "Trưởng phòng",
    "Phó trưởng phòng", "Trưởng ban", "Phó trưởng ban", "Văn phòng", "Sở giáo dục và đào tạo", "Sở tài chính",
    "Sở y tế", "Sở tư pháp", "Sở nội vụ", "Bệnh viện", "Trung tâm", "Người làm đơn", "Người khai",
    *(t.name for t in DOC_TYPES if " " in t.name)]}, key=lambda p: -len(p.split()))
# The two a header or a reader writes for a body's name.
SPELLED_OUT = {"ubnd": "Ủy ban nhân dân", "hdnd": "Hội đồng nhân dân"}


def expand_bodies(text: str) -> str:
    """'UBND tỉnh Quảng Ngãi' -> 'Ủy ban nhân dân tỉnh Quảng Ngãi' (HĐND likewise)."""
    return re.sub(r"\b(UBND|HĐND|HDND)\b", lambda m: SPELLED_OUT[fold(m.group())], text, flags=re.I)


def closest(word: str, choices: list[str], max_distance: int = 1) -> str | None:
    """The one entry within `max_distance` edits of `word` (case kept as listed); ties: None."""
    if word in choices:
        return word
    hits = [c for c in choices if Levenshtein.distance(word.lower(), c.lower()) <= max_distance
            and len(c) == len(word)]
    return hits[0] if len(hits) == 1 else None


def fix_kind(part: str) -> str:
    """'TIr' -> 'TTr': the kind in a document number is one of Decree 30's abbreviations."""
    if part in ABBREVIATIONS or len(part) < 2:
        return part
    return closest(part, ABBREVIATIONS) or part


def fix_body(part: str) -> str:
    """'TIPVHCC' -> 'TTPVHCC': the common abbreviations of issuing bodies in numbers."""
    if part in BODY_ABBREVIATIONS or len(part) < 4:
        return part
    return closest(part, BODY_ABBREVIATIONS) or part


@dataclass(frozen=True)
class Agency:
    name: str          # canonical spelling
    end: int           # characters of the matched text it covers


def agency(text: str) -> Agency | None:
    """The agency `text` starts with, allowing OCR's slips ('Sơ giáo dục và đạo tạo')."""
    folded = fold(text)
    best = None
    for name in AGENCIES:
        target = fold(name)
        score = fuzz.ratio(folded[:len(target)], target)
        if score >= 88 and (best is None or (score, len(target)) > (best[0], best[1])):
            best = (score, len(target), name)
    if best is None:
        return None
    # Where the agency's text ends in the input: after as many letters as its name has (OCR
    # may have lost or added a space: "ĐA KHOATỈNH").
    letters, end = len(best[2].replace(" ", "")), 0
    while end < len(text) and letters > 0:
        letters -= not text[end].isspace()
        end += 1
    rest_of_word = re.match(r"\S*", text[end:]).group()  # type: ignore[union-attr]
    if len(rest_of_word) <= 1:
        end += len(rest_of_word)     # an extra letter read inside the name ("COÓNG"), not a new word
    return Agency(best[2], end)


@dataclass(frozen=True)
class Places:
    provinces: dict[str, str]      # folded letters -> spelling
    local: dict[str, str]          # districts and communes: lower-case letters with marks -> spelling
    local_letters: dict[str, set[str]]   # folded letters -> every spelling with them


@cache
def places() -> Places:
    """The registry's names keyed for lookup (0.13 s to key; kept built, see built.py)."""
    spec = find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the vietnamadminunits package is missing: run `make install`")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "dataset.db"

    def build() -> Places:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            provinces = [r[0] for r in db.execute("SELECT provinceShort FROM admin_units UNION ALL "
                                                  "SELECT provinceShort FROM admin_units_legacy")]
            local = [r[0] for r in db.execute("SELECT wardShort FROM admin_units UNION ALL SELECT wardShort "
                                              "FROM admin_units_legacy UNION ALL SELECT districtShort FROM "
                                              "admin_units_legacy")]
        by_letters: dict[str, set[str]] = {}
        for name in local + provinces:
            if name:
                by_letters.setdefault(_letters(name), set()).add(name)
        return Places(_commonest(provinces, _letters), _commonest(local + provinces, _marked), by_letters)

    return built("places", [path], build)


def _commonest(names: list[str], keyed: Callable[[str], str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, _ in Counter(n for n in names if n).most_common():
        out.setdefault(keyed(name), name)
    return out


def _letters(text: str) -> str:
    return fold(text).replace(" ", "")


def _marked(text: str) -> str:
    return nfc(text).lower().replace(" ", "")


def place_name(text: str, province: bool = False) -> str | None:
    """The registered spelling of a place OCR read.

    Provinces are few and never invented: one whose letters match is taken, marks and all
    ('Đà Nàng' -> 'Đà Nẵng'). Districts and communes are ten thousand and many share their
    letters ('Sơn Đông', 'Sơn Động'): a registered spelling is kept as read (spaces put
    back: 'Nghĩahành'), and an unregistered one is changed only to the one registered
    name with its letters ('Cấm Xuyên' -> 'Cẩm Xuyên')."""
    text = text.strip()
    hit = places().provinces.get(_letters(text))
    if hit is None and province:
        near = process.extractOne(_letters(text), list(places().provinces), scorer=fuzz.ratio, score_cutoff=90)
        hit = places().provinces[near[0]] if near else None
    if hit is None and not province:
        hit = places().local.get(_marked(text))
        sharing = places().local_letters.get(_letters(text), set())
        if hit is None and len(sharing) == 1:
            hit = next(iter(sharing))
    return hit


def fix_places(text: str) -> str:
    """A unit word and the place named after it put right together ('tĩnh Quảng Ngãi' ->
    'tỉnh Quảng Ngãi', 'thành phó Đà Nàng' -> 'thành phố Đà Nẵng'); a unit word with no
    registered place after it is left as read."""
    words = text.split(" ")
    i = 0
    while i < len(words):
        for unit in UNIT_WORDS:
            n = len(unit.split())
            if fold(" ".join(words[i:i + n])) != fold(unit):
                continue
            for size in range(min(4, len(words) - i - n), 0, -1):
                name_words = words[i + n:i + n + size]
                tail = re.search(r"[,.;:)]*$", name_words[-1]).group()  # type: ignore[union-attr]
                read = " ".join(name_words)[:len(" ".join(name_words)) - len(tail) or None]
                name = place_name(read, province=unit in ("tỉnh", "thành phố"))
                if name:
                    fixed = [_same_case(w, u) for w, u in zip(words[i:i + n], unit.split())]
                    named = _same_case(read, name).split(" ")
                    named[-1] += tail
                    words[i:i + n + size] = fixed + named
                    i += n + len(named) - 1
                    break
            break
        i += 1
    return " ".join(words)


def _same_case(original: str, fixed: str) -> str:
    return fixed.upper() if original.isupper() and len(original) > 1 else fixed

