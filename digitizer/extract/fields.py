"""Key fields (design §3) from OCR lines: labels matched on folded text, values taken from the
NFC text at the same offsets, checked, normalized, and given a page and a box.

Each field is one small rule; a rule returns a Field or None. To add a labelled field,
add its label pattern to LABELS and, if its value needs a shape, a parser to PARSERS.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from ..layout.blocks import ABOUT, OFFICE_HOLDER, PLACE_DATE
from ..layout.doctypes import CONG_VAN, DOC_TYPES, title_type
from ..layout.labels import ANY_LABEL, LABELS, SEP
from ..layout.measures import CAPITALS, HEADER, PLACE_GAP, SCRAWL_DOUBT, TITLE_WORDS
from ..layout.segments import upper_ratio
from ..model import BlockKind, Field, Word
from .checks import DIGIT_LOOKALIKES, calendar_date, digits_only
from .lines import TextLine
from .tones import Usage, fix_tones
from .vocabulary import (FAMILY_FOLDS, FAMILY_NAMES, agency, expand_bodies, fix_body, fix_kind, fix_places,
                         place_name)
from ..text import fold, sentence_case, squash

# Up to three words that qualify a label before its colon: "Nơi cư trú hiện nay:".
QUALIFIED = re.compile(r"[^\W\d_]+(?:\s+[^\W\d_]+){0,2}\s*:")
# A pen's first stroke may start over the label's colon: this many line heights before its
# end (set on the forms of samples/kinds.py, whose slanted writing starts by the colon).
HAND_BEFORE_END = 1.0
# The English under an ID card's label: "Nơi thường trú / Place of residence: …".
GLOSS = re.compile(r"\s*/\s*[a-z]+(?:\s+[a-z.]+){0,4}\s*:")

NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_]*$")
ABBR_WITH_D = {"qd": "QĐ", "nd": "NĐ", "cd": "CĐ", "qyd": "QyĐ", "hdnd": "HĐND"}
AGENCY_START = re.compile(r"^(uy ban|ubnd|hoi dong|trung tam|phong|van phong|ban |so |cong an|truong|tram |"
                          r"chi cuc|cuc |bo |tong cuc|dang uy|mat tran|doan |hoi )")


def _field(value: str, line: TextLine, start: int, end: int, base: float) -> Field:
    return Field(value, round(base * line.confidence(start, end), 3), line.page, line.bbox(start, end), line.block)


def _of(lines: list[TextLine], kind: BlockKind, page: int | None = None) -> list[TextLine]:
    """The lines of one kind of block (on one page)."""
    return [line for line in lines if line.block == kind and (page is None or line.page == page)]


def _first(lines: list[TextLine], kind: BlockKind) -> list[TextLine]:
    """All the lines, those of one kind of block first: where a value belongs, before where it may also be."""
    return _of(lines, kind) + [line for line in lines if line.block != kind]


def _value_after(lines: list[TextLine], i: int, end: int) -> tuple[TextLine, int, int] | None:
    """The value after a label ending at `end` of line i: the rest of the line, or the next
    line when the label ends its line with a colon (or alone)."""
    line = lines[i]
    gloss = GLOSS.match(line.folded, end)
    end = gloss.end() if gloss else end
    qualified = QUALIFIED.match(line.folded[end:].lstrip(" "))
    if qualified and line.folded[end - 1:end] != ":":
        end = len(line.folded) - len(line.folded[end:].lstrip(" ")) + qualified.end()
    rest = line.text[end:]
    stripped = rest.lstrip(" :;.-")
    if stripped.strip():
        start = len(line.text) - len(stripped)
        return line, start, len(line.text.rstrip())
    # Only a label that ends its line takes the next one; a stop or dash after it ends a sentence.
    trailing = rest.strip()
    ends_as_label = not trailing or trailing == ":" and line.text[:end].rstrip().endswith(":")
    # Marks between (a photo's or a seal's specks read as a line) are no value.
    nxt = next((lines[j] for j in range(i + 1, len(lines)) if lines[j].block != BlockKind.MARKS), None)
    if ends_as_label and nxt is not None and nxt.page == line.page and not ANY_LABEL.match(nxt.folded):
        return nxt, 0, len(nxt.text)
    return None


def _acts_as_label(line: TextLine, start: int, end: int) -> bool:
    """A label starts its line or a clause, or is followed by a colon: "nơi cư trú." ending
    a sentence is not one, nor "họ tên" in "(Ký, ghi rõ họ tên)"."""
    before = line.folded[:start].rstrip()
    after = line.folded[end:].lstrip(" ")
    return not before or before[-1] in ";:.-" or after.startswith(":") or bool(QUALIFIED.match(after)) or \
        bool(GLOSS.match(after))         # glossed in English ("Ngày sinh / Date of birth:"), after specks


def _labels(lines: list[TextLine], name: str) -> Iterator[tuple[int, re.Match[str]]]:
    """The field's labels (line index, match), the most specific label first."""
    for pattern in LABELS[name]:
        regex = re.compile(f"({pattern}){SEP}")
        for i, line in enumerate(lines):
            for m in regex.finditer(line.folded):
                if _acts_as_label(line, m.start(), m.end(1)):
                    yield i, m


def _labelled(lines: list[TextLine], name: str) -> Iterator[tuple[TextLine, int, int]]:
    """Values after the field's labels, the most specific label first."""
    for i, m in _labels(lines, name):
        hit = _value_after(lines, i, m.end())
        if hit is not None:
            yield hit


def handwritten(lines: list[TextLine], name: str) -> Field | None:
    """A label whose value was written by hand ("Họ và tên: <handwriting>", the page's
    handwriting regions level with it): no value is read (no recognizer here is known to read
    real Vietnamese handwriting well); the field is the place to look, for a person to type
    it in. Only where nothing printed follows the label on its line."""
    for i, m in _labels(lines, name):
        line = lines[i]
        if line.text[m.end():].strip(" .:;…_-"):
            continue
        label_end = line.x_at(m.end(1))
        after = [box for box in line.hand if box[0] >= label_end - HAND_BEFORE_END * line.height]
        if after:
            box = [min(b[0] for b in after), min(b[1] for b in after),
                   max(b[2] for b in after), max(b[3] for b in after)]
            return _to_type(line, box)
    return None


def _to_type(line: TextLine, box: list[float]) -> Field:
    """A value written by hand on `line`: none read, its box (points) for a person to type it from."""
    return Field("", 0.0, line.page, box, line.block, hand=True)


def _unsure(line: TextLine, start: int, end: int) -> bool:
    """A word of the span read at hardly any confidence, as digits written in pen are read."""
    return min((w.confidence for w in line.words_in(start, end)), default=1.0) < SCRAWL_DOUBT


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
# A labelled date in figures whose slashes were read as strokes or lost ("19I07I1955", "2412/1964",
# on the generated ID-card copies), taken with less confidence than one read as printed.
DATE_LOOSE = re.compile(r"\b([0-9olis]{2})[/.|il1-]?([0-9olis]{2})[/.|il1-]?([0-9olis]{4})\b")
LOOSE_DATE_BASE = 0.8


def _date_from(match: re.Match[str]) -> str | None:
    day, month, year = (int(digits_only(g) or 0) for g in match.groups())
    return calendar_date(year, month, day)


def parse_date(line: TextLine, start: int, end: int) -> Span | None:
    folded = line.folded[start:end]
    for regex in (DATE_NUM, DATE_TEXT, DATE_LOOSE):
        m = regex.search(folded)
        if m:
            iso = _date_from(m)
            base = LOOSE_DATE_BASE if regex is DATE_LOOSE else 0.95
            return (iso, start + m.start(), start + m.end(), base) if iso else None
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
    hand = handwritten(lines, name)
    if hand is not None:
        return hand
    for line, start, end in _labelled(lines, name):
        parsed = PARSERS[name](line, start, end)
        if parsed is not None:
            value, s, e, base = parsed
            return _field(value, line, s, e, base)
    return None


# Document number, date and place, type, subject, issuer, signer.

NUMBER = re.compile(r"\bs[o06]\s*[:;]\s*")


# A dash may be read twice ("181/TTr--UBND": the hyphen and a speck of the rule beside it).
KIND_AND_BODY = r"[A-ZĐ0-9][0-9A-Za-zĐđ./]*(?:\s*[-–—‐]+\s*[0-9A-Za-zĐđ./]+)*"      # QĐ-UBND, 2020/NĐ-CP
NUMBER_VALUE = re.compile(rf"([0-9OoIl]{{1,6}})\s*(/?)\s*({KIND_AND_BODY})")


def normalize_number(head: str, tail: str) -> str:
    """'7/QĐĐ - UBND' -> '7/QĐ-UBND': dashes unified, spaces out, Đ restored in QĐ/NĐ/…"""
    tail = re.sub(r"\s*[-–—‐]+\s*", "-", tail).replace("ĐĐ", "Đ").rstrip(".-/")
    parts = re.split(r"([-/])", tail)
    # The first part names the kind when it is one of Decree 30's abbreviations: 'TIr' is 'TTr'.
    parts[0] = fix_kind(parts[0])
    parts[2:] = [fix_body(p) for p in parts[2:]]
    fixed = [ABBR_WITH_D.get(fold(p), p) for p in parts]
    return f"{head.translate(DIGIT_LOOKALIKES)}/{''.join(fixed)}"


# Digits filled in by hand or stamped are read with marks around them ("#86", "5†75"); where
# none can be read, the number is the printed part ("/UBND-KTTH"), to be checked by a person.
HAND_FILLED = re.compile(rf"([^\s/]{{1,6}})?\s*/\s*({KIND_AND_BODY})")
UNREAD_NUMBER = 0.3         # the base confidence of a number whose digits were not read
HAND_DIGITS = 0.5           # ... and of one whose digits were read among marks (under the review queue's 0.6)


def doc_number(lines: list[TextLine]) -> Field | None:
    """`Số: 245/QĐ-UBND`, the header's first; the slash may be lost by OCR (`245QĐ-UBND`).
    A number filled in by hand gives its digits where legible, its printed part where not,
    with a confidence that puts it before a person."""
    for line in _first(lines, BlockKind.ISSUER):
        for m in NUMBER.finditer(line.folded):
            rest = line.text[m.end():]
            v = NUMBER_VALUE.match(rest)
            if v and (v.group(2) or v.group(3)[:1].isalpha()):
                base = 0.95 if v.group(2) else 0.8
                return _field(normalize_number(v.group(1), v.group(3)), line, m.end(), m.end() + v.end(), base)
            hand = HAND_FILLED.match(rest) if line.block == BlockKind.ISSUER else None
            if hand:
                head = re.sub(r"\D", "", hand.group(1) or "")     # a look-alike among marks is a mark
                base = HAND_DIGITS if head else UNREAD_NUMBER
                return _field(normalize_number(head, hand.group(2)), line, m.end(), m.end() + hand.end(), base)
    return None


def _place_before(line: TextLine, end: int) -> list[str]:
    """Capitalized words just before `end`, up to four, not crossing into another column
    (an all-capitals word or a wide gap: the header's left column read into the same line)."""
    chosen: list[Word] = [w for w, s in zip(line.words, line.starts) if s < end]
    out: list[str] = []
    for k in range(len(chosen) - 1, max(-1, len(chosen) - 5), -1):
        word = chosen[k].text.rstrip(",.")
        if not NAME_WORD.match(word) or not word[0].isupper() or (len(word) > 1 and word.isupper()):
            break
        if out and chosen[k + 1].left - (chosen[k].left + chosen[k].width) > PLACE_GAP * chosen[k].height:
            break
        out.insert(0, word)
    return out


def issue_date_and_place(lines: list[TextLine]) -> tuple[Field | None, Field | None]:
    """`<Place>, ngày dd tháng mm năm yyyy`: the header's, else the first one (the date under
    an application); dates inside sentences have no place and comma before them. A date
    with its day left blank (filled in by hand: OCR reads nothing or junk such as "3|" there)
    gives the place, and the date as a handwritten value: no value, the box of the date, for a
    person to type it from its crop, as a form's value written by hand. So does a date whose
    day reads as a figure with hardly any confidence, as handwritten digits read."""
    for line in _first(lines, BlockKind.DATE):
        for m in PLACE_DATE.finditer(line.folded):
            date = parse_date(line, m.start(), len(line.text))
            place_words = _place_before(line, m.start())
            if date is None and not place_words:
                continue
            if date is not None and _unsure(line, date[1], date[2]):
                date = None       # a day written in pen, read as a figure ("4" for 31)
            date_field = _field(date[0], line, date[1], date[2], date[3]) if date else \
                _to_type(line, line.bbox(m.start() + 1, len(line.text)))
            if not place_words:
                return date_field, None
            place = " ".join(place_words)
            start = line.text.rfind(place, 0, m.start())
            return date_field, _field(place_name(place) or place, line, start, start + len(place), 0.9)
    return None, None


def doc_type(lines: list[TextLine], number: Field | None) -> Field | None:
    """The type the layout's title names on page 1; else the kind in the number; else a
    công văn, which has no title but a number of the issuer's units or a "V/v" subject."""
    for line in _of(lines, BlockKind.TITLE, page=1):
        found = title_type(line.folded)
        if found:
            return _field(found.name, line, 0, len(line.text), 0.97)
    if number is not None:
        kind = re.split(r"[-/]", number.value.partition("/")[2])[0]
        for doc_type in DOC_TYPES:
            if doc_type.abbreviation and fold(doc_type.abbreviation) == fold(kind):
                return Field(doc_type.name, round(0.75 * number.confidence, 3), number.page, number.bbox, number.block)
        # No title and no kind: '125/UBND-VP', '6191/BVT-TCKT' number a công văn (Decree 30).
        if kind.isalpha() and len(kind) >= 2:
            return Field(CONG_VAN.name, round(0.7 * number.confidence, 3), number.page, number.bbox, number.block)
    for line in _of(lines, BlockKind.SUBJECT, page=1):
        if ABOUT.match(line.folded + " "):
            return _field(CONG_VAN.name, line, 0, len(line.text), 0.7)
    return None


def subject(lines: list[TextLine], usage: Usage | None = None) -> Field | None:
    """Trích yếu: the layout's subject block on page 1, one line. Its tone marks are put
    right from the document's `usage` (the body repeats the subject)."""
    parts = sorted(_of(lines, BlockKind.SUBJECT, page=1), key=lambda line: line.top)
    if not parts:
        return None
    text = squash(" ".join(p.text for p in parts))
    about = ABOUT.match(fold(text))
    if about and not about.group().startswith("ve"):
        text = "V/v " + text[about.end():]      # "Vv", "V/", "V.v" as OCR read it
    return _field(fix_tones(text, usage), parts[0], 0, len(parts[0].text), 0.9)


def _place_part(text: str) -> str:
    """'TỈNH QUẢNG NGÃI' -> 'tỉnh Quảng Ngãi'; 'BẮC NINH' -> 'Bắc Ninh'."""
    text = squash(text.strip(" -_.,"))
    if not text:
        return ""
    name = place_name(text)
    if name:
        return name
    cased = sentence_case(text)
    return fix_places(cased[:1].lower() + cased[1:])


def _unit_name(text: str) -> tuple[str, str]:
    """(the body's name in its registered spelling, the place part after it)."""
    # Specks read as marks ('ˆ', '_.') are no words of a name.
    words = [t for t in text.split() if re.search(r"[a-z0-9]", fold(t))]
    while len(words) > 1 and len(re.sub(r"\W", "", words[-1])) == 1:   # a lone letter at the end: a speck
        words.pop()
    text = " ".join(words)
    text = expand_bodies(squash(re.sub(r"^[^\w]+|[^\w]+$", "", text)))
    found = agency(text)
    if found is None:
        cased = fix_places(sentence_case(text))
        return fix_tones(cased), ""
    return found.name, _place_part(text[found.end:])


def issuer(lines: list[TextLine]) -> Field | None:
    """Cơ quan ban hành: the office holder a decision names under its subject ("CHỦ TỊCH ỦY
    BAN NHÂN DÂN TỈNH …"), or the body the header's left column names last (the one above it
    is its parent: ỦY BAN NHÂN DÂN TỈNH … over SỞ …). A department named without its place
    takes its parent's ("Sở Giáo dục và Đào tạo" under "UBND thành phố Đà Nẵng")."""
    body = _issuing_body(lines)
    holder = _office_holder(lines, body.value if body else None)
    return holder or body


OF = re.compile(r"\bcua\s")


def _office_holder(lines: list[TextLine], body: str | None) -> Field | None:
    """"CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" -> "Chủ tịch UBND tỉnh Quảng Ngãi", from the
    authority line or a title that goes on "… CỦA CHỦ TỊCH …"; the holder of the header's
    body when the line names no body ("GIÁM ĐỐC")."""
    candidates = [(line, 0) for line in _of(lines, BlockKind.AUTHORITY, page=1)]
    candidates += [(line, of.start()) for line in _of(lines, BlockKind.TITLE, 1) for of in OF.finditer(line.folded)]
    for line, start in candidates:
        holder = OFFICE_HOLDER.match(line.folded, start)
        if holder is None:
            continue
        title = sentence_case(line.text[holder.start(2):holder.end(2)])
        rest = line.text[holder.end():]
        name, place = _unit_name(rest) if re.search(r"[^\W\d_]{2}", rest) else ("", "")
        unit = f"{name} {place}".strip() or body
        if unit:
            return _field(f"{title} {unit}", line, holder.start(2), len(line.text), 0.9)
    return None


def _issuing_body(lines: list[TextLine]) -> Field | None:
    header = [line for line in _of(lines, BlockKind.ISSUER, page=1)
              if not NUMBER.match(line.folded) and not ABOUT.match(line.folded) and upper_ratio(line.text) > CAPITALS]
    units: list[list[TextLine]] = []
    for line in header:
        starts = AGENCY_START.match(re.sub(r"^[^a-z]+", "", line.folded)) or agency(expand_bodies(line.text))
        if starts or not units:
            units.append([line])
        else:
            units[-1].append(line)
    if not units:
        return None
    unit = units[-1]
    name, place = _unit_name(" ".join(line.text for line in unit))
    if len(units) > 1:
        _, parent_place = _unit_name(" ".join(line.text for line in units[-2]))
        bare = re.search(r"\b(tỉnh|huyện|thành phố)$", place or name)
        if bare and parent_place:
            parent_name = re.sub(r"^(tỉnh|huyện|thành phố|xã)\s+", "", parent_place)
            place = f"{place} {parent_name}".strip()
        elif name.startswith("Sở ") and not place:
            place = parent_place
    text = f"{name} {place}".strip()
    if not re.search(r"[^\W\d_]{2}", text):
        return None         # specks, not a name
    conf = sum(line.confidence(0, len(line.text)) for line in unit) / len(unit)
    first = unit[0]
    return Field(text, round(0.9 * conf, 3), first.page, first.bbox(0, len(first.text)), first.block)


SIGNING_TITLE = re.compile(r"(tm\.|kt\.|tl\.|q\.|chu tich|giam doc|truong|chanh|nguoi\s|\(ky)")


SPECKS = re.compile(r"^(?:[^\w\s]+\s+)+")      # marks read from a seal's or signature's remains


def _name_in(seg: TextLine) -> Field | None:
    """The block's text as a name, if the name is all of it (after any leading specks)."""
    start = len(seg.text) - len(SPECKS.sub("", seg.text))
    parsed = parse_name(seg, start, len(seg.text))
    if parsed and parsed[2] - parsed[1] >= len(seg.text[start:].strip(" .")) - 1:
        return _field(parsed[0], seg, parsed[1], parsed[2], parsed[3])
    return None


def _family_name(name: Field) -> bool:
    return fold(name.value.split()[0]) in FAMILY_FOLDS


def _is_signing_title(seg: TextLine, named: Field | None) -> bool:
    """CHỦ TỊCH, KT. GIÁM ĐỐC, Người làm đơn …: a title of the signature block (or a line in
    capitals of at most TITLE_WORDS words below the header). "Trương Văn Hằng" is a name, not
    a title beginning with "trưởng"."""
    capitals = upper_ratio(seg.text)
    if named is not None and capitals < CAPITALS and _family_name(named):
        return False
    return bool(SIGNING_TITLE.match(seg.folded)) or (capitals > CAPITALS and seg.top > seg.page_height * HEADER
                                                      and len(seg.words) <= TITLE_WORDS and named is None)


def signer(lines: list[TextLine]) -> Field | None:
    """The name under the signature: in the last page's signer block, the lowest name-like
    line under a signing title (CHỦ TỊCH, KT. GIÁM ĐỐC, Người làm đơn …). Where a seal hides
    the title, the lowest line there that is a name with a known family name."""
    last_page = max(line.page for line in lines)
    block = sorted(_of(lines, BlockKind.SIGNER, last_page), key=lambda g: g.top)
    best = None
    seen_title = False
    for seg in block:
        named = _name_in(seg)
        if _is_signing_title(seg, named):
            seen_title = True
            continue
        if named is None or (upper_ratio(seg.text) > CAPITALS and not seen_title):
            continue
        below_header = seg.page > 1 or seg.top > seg.page_height * HEADER
        if seen_title or (_family_name(named) and below_header):
            best = named
    return best
