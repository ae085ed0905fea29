"""Key fields (design §3) from OCR lines: labels matched on folded text, values taken from the
NFC text at the same offsets, checked, normalized, and given a page and a box.

Each field is one small rule; a rule returns a Field or None. To add a labelled field,
add its label pattern to LABELS and, if its value needs a shape, a parser to PARSERS.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Callable, Iterator

from ..model import Field, Word
from .checks import DIGIT_LOOKALIKES, calendar_date, digits_only
from .doctypes import CONG_VAN, DOC_TYPES, DocType
from .lines import TextLine
from ..text import fold, sentence_case, squash

SEP = r"\s*[:;.]?\s*"
# Folded label patterns, most specific first. `\b` keeps "so" from matching inside words.
LABELS: dict[str, list[str]] = {
    "person_name": [r"\bho\s*,?\s*chu\s*dem\s*,?\s*(?:va\s*)?ten", r"\bho\s*(?:va\s*)?ten(?:\s*khai\s*sinh)?",
                    r"\bong\s*[/(]\s*ba\s*\)?"],
    "birth_date": [r"\bngay\s*,?\s*thang\s*,?\s*nam\s*sinh", r"\bngay\s*sinh", r"\bsinh\s*ngay"],
    "id_number": [r"\bso\s*dinh\s*danh(?:\s*ca\s*nhan)?", r"\b(?:so\s*)?cmnd\s*/\s*cccd",
                  # CCCD as OCR reads it: CCCTD, CCD, C CCD...
                  r"\b(?:so\s*)?(?:c\s*){2,3}[a-z]?\s*d\b", r"\b(?:so\s*)?cmnd", r"\bcan\s*cuoc(?:\s*cong\s*dan)?"],
    "address": [r"\bnoi\s*thuong\s*tru", r"\bnoi\s*cu\s*tru", r"\bcho\s*o\s*hien\s*(?:tai|nay)",
                r"\bdia\s*chi(?:\s*thuong\s*tru)?"],
    "phone": [r"\bs[o06]\s*dien\s*thoai", r"\bdien\s*thoai(?:\s*di\s*dong)?", r"\bsdt"],
    "dossier_code": [r"\bma\s*(?:so\s*)?ho\s*s[o0]"],
    "recipient": [r"\bkinh\s*gui"],
    "procedure": [r"\bnoi\s*dung\s*yeu\s*cau\s*giai\s*quyet", r"\bten\s*thu\s*tuc(?:\s*hanh\s*chinh)?"],
}
ANY_LABEL = re.compile("|".join(p for ps in LABELS.values() for p in ps) + r"|\bcan\s*cu\b")

NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_]*$")
# Common Vietnamese family names. Where only one of them has a given folded form, an OCR
# misreading of its marks can be put right ('Đỉnh' can only be Đinh); Đoàn/Doãn cannot.
_FAMILY = ("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Đoàn Lương "
           "Mai Đào Cao Lâm Hà Tạ Chu Châu Thái Quách Tô Từ Lưu Triệu Kiều Khúc Mạc Tăng Đàm Lại "
           "Tống Hứa Nông Lò Quàng Kim La Giang Thân Phùng Vương Trương Doãn Âu").split()
FAMILY_FOLDS = {fold(n) for n in _FAMILY}
FAMILY_NAMES = {fold(n): n for n in _FAMILY if sum(fold(m) == fold(n) for m in _FAMILY) == 1}
ABBR_WITH_D = {"qd": "QĐ", "nd": "NĐ", "cd": "CĐ", "qyd": "QyĐ", "hdnd": "HĐND"}
AGENCY_START = re.compile(r"^(uy ban|ubnd|hoi dong|trung tam|phong|van phong|ban |so |cong an|truong|tram |"
                          r"chi cuc|cuc |bo |tong cuc|dang uy|mat tran|doan |hoi )")


def _field(value: str, line: TextLine, start: int, end: int, base: float) -> Field:
    return Field(value, round(base * line.confidence(start, end), 3), line.page, line.bbox(start, end))


def _value_after(lines: list[TextLine], i: int, end: int) -> tuple[TextLine, int, int] | None:
    """The value after a label ending at `end` of line i: the rest of the line, or the next line."""
    line = lines[i]
    rest = line.text[end:]
    stripped = rest.lstrip(" :;.-")
    if stripped.strip():
        start = len(line.text) - len(stripped)
        return line, start, len(line.text.rstrip())
    if i + 1 < len(lines) and lines[i + 1].page == line.page and not ANY_LABEL.match(lines[i + 1].folded):
        nxt = lines[i + 1]
        return nxt, 0, len(nxt.text)
    return None


def _labelled(lines: list[TextLine], name: str) -> Iterator[tuple[TextLine, int, int]]:
    """Values after the field's labels, the most specific label first."""
    for pattern in LABELS[name]:
        regex = re.compile(pattern + SEP)
        for i, line in enumerate(lines):
            for m in regex.finditer(line.folded):
                hit = _value_after(lines, i, m.end())
                if hit is not None:
                    yield hit


# Value parsers: (line, start, end) of the raw value -> (normalized value, start, end, base confidence) or None.
Span = tuple[str, int, int, float]


def parse_name(line: TextLine, start: int, end: int) -> Span | None:
    raw, pos, out = line.text[start:end], start, []
    for m in re.finditer(r"\S+", raw):
        token = m.group().strip(",.;:")
        if not NAME_WORD.match(token) or not token[0].isupper():
            break
        out.append((token, pos + m.start(), pos + m.start() + len(token)))
        if m.group() != token:          # punctuation after the word ends the name
            break
    if not 2 <= len(out) <= 6:
        return None
    words = [w[:1].upper() + w[1:].lower() for w, _, _ in out]
    words[0] = FAMILY_NAMES.get(fold(words[0]), words[0])
    value = " ".join(words)
    base = 0.95 if fold(words[0]) in FAMILY_FOLDS else 0.6
    return value, out[0][1], out[-1][2], base


DATE_TEXT = re.compile(r"ngay\s*([0-9olis]{1,2})\s*thang\s*([0-9olis]{1,2})\s*nam\s*([0-9olis]{4})")
DATE_NUM = re.compile(r"\b([0-9olis]{1,2})\s*[/.-]\s*([0-9olis]{1,2})\s*[/.-]\s*([0-9olis]{4})\b")


def _date_from(match: re.Match[str]) -> str | None:
    day, month, year = (int(digits_only(g) or 0) for g in match.groups())
    return calendar_date(year, month, day)


def parse_date(line: TextLine, start: int, end: int) -> Span | None:
    folded = line.folded[start:end]
    for regex in (DATE_NUM, DATE_TEXT):
        m = regex.search(folded)
        if m:
            iso = _date_from(m)
            return (iso, start + m.start(), start + m.end(), 0.95) if iso else None
    return None


def parse_digits(min_len: int, max_len: int) -> Callable[[TextLine, int, int], Span | None]:
    def parse(line: TextLine, start: int, end: int) -> Span | None:
        m = re.search(r"[0-9OoDQlIi|SB][0-9OoDQlIi|SB .]{%d,}" % (min_len - 2), line.text[start:end])
        if not m:
            return None
        raw = m.group().rstrip(" .")
        digits = digits_only(raw)
        if not min_len <= len(digits) <= max_len:
            return None
        base = 0.95 if raw.replace(" ", "").replace(".", "").isdigit() else 0.8
        return digits, start + m.start(), start + m.start() + len(raw), base
    return parse


def parse_rest(line: TextLine, start: int, end: int) -> Span | None:
    value = squash(line.text[start:end]).strip(" .;")
    return (value, start, end, 0.95) if value else None


def parse_token(line: TextLine, start: int, end: int) -> Span | None:
    m = re.match(r"\S+", line.text[start:end])
    return (m.group().strip(".,;"), start, start + m.end(), 0.95) if m else None


PARSERS: dict[str, Callable[[TextLine, int, int], Span | None]] = {
    "person_name": parse_name, "birth_date": parse_date, "id_number": parse_digits(9, 12),
    "address": parse_rest, "phone": parse_digits(10, 11), "dossier_code": parse_token,
    "recipient": parse_rest, "procedure": parse_rest,
}


def labelled_field(lines: list[TextLine], name: str) -> Field | None:
    for line, start, end in _labelled(lines, name):
        parsed = PARSERS[name](line, start, end)
        if parsed is not None:
            value, s, e, base = parsed
            return _field(value, line, s, e, base)
    return None


# Document number, date and place, type, subject, issuer, signer.

NUMBER = re.compile(r"\bs[o06]\s*[:;]\s*")


NUMBER_VALUE = re.compile(r"([0-9OoIl]{1,6})\s*(/?)\s*([A-ZĐ0-9][0-9A-Za-zĐđ./]*(?:\s*[-–—‐]\s*[0-9A-Za-zĐđ./]+)*)")


def normalize_number(head: str, tail: str) -> str:
    """'7/QĐĐ - UBND' -> '7/QĐ-UBND': dashes unified, spaces out, Đ restored in QĐ/NĐ/…"""
    tail = re.sub(r"\s*[-–—‐]\s*", "-", tail).replace("ĐĐ", "Đ").rstrip(".-/")
    fixed = [ABBR_WITH_D.get(fold(p), p) for p in re.split(r"([-/])", tail)]
    return f"{head.translate(DIGIT_LOOKALIKES)}/{''.join(fixed)}"


def doc_number(lines: list[TextLine]) -> Field | None:
    """`Số: 245/QĐ-UBND`; the slash may be lost by OCR (`245QĐ-UBND`)."""
    for line in lines:
        for m in NUMBER.finditer(line.folded):
            v = NUMBER_VALUE.match(line.text[m.end():])
            if v and (v.group(2) or v.group(3)[:1].isalpha()):
                base = 0.95 if v.group(2) else 0.8
                return _field(normalize_number(v.group(1), v.group(3)), line, m.end(), m.end() + v.end(), base)
    return None


# The day may be blank or a scrawl: offices fill it in by hand after signing, and OCR reads
# nothing or junk ("3|", "0†") there; such a date does not parse and only the place is kept.
# OCR may read the comma as a full stop.
PLACE_DATE = re.compile(r"[,.]\s*ngay\s*(?:\S{1,3}?\s*)?(?:thang|[/.-])")


def _place_before(line: TextLine, end: int) -> list[str]:
    """Capitalized words just before `end`, up to four, not crossing into another column
    (an all-capitals word or a wide gap: the header's left column read into the same line)."""
    chosen: list[Word] = [w for w, s in zip(line.words, line.starts) if s < end]
    out: list[str] = []
    for k in range(len(chosen) - 1, max(-1, len(chosen) - 5), -1):
        word = chosen[k].text.rstrip(",.")
        if not NAME_WORD.match(word) or not word[0].isupper() or (len(word) > 1 and word.isupper()):
            break
        if out and chosen[k + 1].left - (chosen[k].left + chosen[k].width) > 1.5 * chosen[k].height:
            break
        out.insert(0, word)
    return out


def issue_date_and_place(lines: list[TextLine]) -> tuple[Field | None, Field | None]:
    """`<Place>, ngày dd tháng mm năm yyyy`: the first one (the header's, or the date under
    an application); dates inside sentences have no place and comma before them. A date
    with its day left blank (filled in by hand) gives the place and no date."""
    for line in lines:
        for m in PLACE_DATE.finditer(line.folded):
            date = parse_date(line, m.start(), len(line.text))
            place_words = _place_before(line, m.start())
            if date is None and not place_words:
                continue
            date_field = _field(date[0], line, date[1], date[2], date[3]) if date else None
            if not place_words:
                return date_field, None
            place = " ".join(place_words)
            start = line.text.rfind(place, 0, m.start())
            return date_field, _field(place, line, start, start + len(place), 0.9)
    return None, None


def _upper_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def _title_type(line: TextLine) -> tuple[DocType, int] | None:
    """The document type whose title this (upper-case) line is, and the title's length."""
    if _upper_ratio(line.text) < 0.8:
        return None
    head = re.sub(r"[^a-z ]", "", line.folded).strip()
    best = None
    for doc_type in DOC_TYPES:
        for title in doc_type.titles:
            score = SequenceMatcher(None, head[: len(title)], title).ratio()
            if score >= 0.88 and (best is None or (score, len(title)) > best[2:]):
                best = (doc_type, len(title), score, len(title))
    return best[:2] if best else None


def doc_type_and_title(lines: list[TextLine], number: Field | None) -> tuple[Field | None, int | None]:
    for i, line in enumerate(lines):
        if line.page != 1:
            break
        found = _title_type(line)
        if found:
            return _field(found[0].name, line, 0, len(line.text), 0.97), i
    if number is not None:
        kind = re.split(r"[-/]", number.value.partition("/")[2])[0]
        for doc_type in DOC_TYPES:
            if doc_type.abbreviation and fold(doc_type.abbreviation) == fold(kind):
                return Field(doc_type.name, round(0.75 * number.confidence, 3), number.page, number.bbox), None
        if fold(kind) in ("ubnd", "vp", "ub", "hdnd"):
            return Field(CONG_VAN.name, round(0.7 * number.confidence, 3), number.page, number.bbox), None
    # No title: a "V/v …" trích yếu under the number is what a công văn has instead.
    for line in lines[:12]:
        if line.page == 1 and re.match(r"v\s*/\s*v\b", line.folded):
            return _field(CONG_VAN.name, line, 0, len(line.text), 0.7), None
    return None, None


def _centred(line: TextLine, lines: list[TextLine]) -> bool:
    """Set in the middle, clear of both edges of the text block (body lines touch one)."""
    same_page = [other for other in lines if other.page == line.page]
    left, right = min(o.x0 for o in same_page), max(o.x1 for o in same_page)
    return (abs(line.centre - (left + right) / 2) < line.page_width * 0.06
            and line.x0 > left + 15 and line.x1 < right - 15)


def subject(lines: list[TextLine], title_index: int | None) -> Field | None:
    """Trích yếu: 'Về việc …' / 'V/v …' under the title (or the number, for công văn), with
    its centred continuation lines."""
    candidates = range(title_index + 1, min(title_index + 3, len(lines))) if title_index is not None \
        else range(min(12, len(lines)))
    for i in candidates:
        line = lines[i]
        if line.page != 1 or ANY_LABEL.match(line.folded):
            continue
        starts_about = re.match(r"(ve\s|v\s*/\s*v\b)", line.folded)
        if not (starts_about or (title_index is not None and _centred(line, lines) and i == title_index + 1)):
            continue
        parts, height = [line.text], max(w.height for w in line.words) * line.scale
        j = i + 1
        while j < len(lines) and lines[j].page == 1 and title_index is not None:
            nxt = lines[j]
            if nxt.top - lines[j - 1].top > 2.2 * height or ANY_LABEL.match(nxt.folded) or \
                    not _centred(nxt, lines):
                break
            parts.append(nxt.text)
            j += 1
        return _field(squash(" ".join(parts)), line, 0, len(line.text), 0.9)
    return None


def issuer(lines: list[TextLine], title_index: int | None) -> Field | None:
    """Cơ quan ban hành: the header's left column above the title; with a parent agency on
    top (ỦY BAN NHÂN DÂN XÃ …), the last agency named is the issuer."""
    header: list[TextLine] = []
    stop = lines[title_index].top if title_index is not None else None
    for line in lines:
        if line.page != 1 or (stop is not None and line.top >= stop) or line.top > line.page_height * 0.3:
            break
        left, _ = line.split(line.page_width * 0.45)
        if left is not None and not NUMBER.match(left.folded) and _upper_ratio(left.text) > 0.8:
            header.append(left)
    units: list[list[TextLine]] = []
    for line in header:
        if AGENCY_START.match(line.folded) or not units:
            units.append([line])
        else:
            units[-1].append(line)
    if not units:
        return None
    unit = units[-1]
    text = " ".join(line.text for line in unit)
    conf = sum(line.confidence(0, len(line.text)) for line in unit) / len(unit)
    first = unit[0]
    return Field(sentence_case(text), round(0.9 * conf, 3), first.page, first.bbox(0, len(first.text)))


def signer(lines: list[TextLine]) -> Field | None:
    """The name under the signature: the lowest name-like line in the right half of the last
    page, below a signing title (CHỦ TỊCH, Người làm đơn, …)."""
    last_page = max(line.page for line in lines)
    best = None
    seen_title = False
    for line in lines:
        if line.page != last_page:
            continue
        _, right = line.split(line.page_width * 0.45)
        if right is None:
            continue
        if re.search(r"chu tich|giam doc|truong|nguoi (lam don|tiep nhan|khai|de nghi)|\(ky|tm\.|kt\.|q\.",
                     right.folded):
            seen_title = True
            continue
        if not seen_title or _upper_ratio(right.text) > 0.8:
            continue
        parsed = parse_name(right, 0, len(right.text))
        if parsed and parsed[2] - parsed[1] >= len(right.text.strip(" .")) - 1:
            best = _field(parsed[0], right, parsed[1], parsed[2], parsed[3])
    return best
