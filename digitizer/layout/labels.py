"""The labels of a form's rows and of a letter's labelled lines ("Họ và tên:", "Kính gửi:"),
as folded patterns: a segment that opens with one is a label/value row.

Add a labelled field by adding its label patterns to LABELS (and, if its value needs a shape,
a parser to extract.fields.PARSERS).
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import groupby

from rapidfuzz import fuzz, process

from ..model import Word
from ..text import fold
from .measures import LABEL_LIKENESS, LABEL_WORDS

SEP = r"\s*[:;.]?\s*"
# Folded label patterns, most specific first. `\b` keeps "so" from matching inside words.
LABELS: dict[str, list[str]] = {
    "person_name": [r"\bho\s*,?\s*chu\s*dem\s*,?\s*(?:va\s*)?ten", r"\bho\s*(?:va\s*)?ten(?:\s*khai\s*sinh)?",
                    r"\bong\s*[/(]\s*ba\s*\)?"],
    "birth_date": [r"\bngay\s*,?\s*thang\s*,?\s*nam\s*sinh", r"\bngay\s*sinh", r"\bsinh\s*ngay"],
    "id_number": [r"\bso\s*dinh\s*danh(?:\s*ca\s*nhan)?", r"\b(?:so\s*)?cmnd\s*/\s*cccd",
                  # an ID card's number, glossed in English ("Số / No.:"); a letter's number is "Số:".
                  # Its slash lost or misread ("Số No:", "Số rNo:"), it is told from "số nợ" (a
                  # debt: "150.000.000") by the twelve figures that follow.
                  r"\bso\s*/\s*no\b", r"\bso\s*[|!ilr]?\s*no\b(?=\W{0,3}[0-9olis]{12})",
                  # CCCD as OCR reads it: CCCTD, CCD, C CCD...
                  r"\b(?:so\s*)?(?:c\s*){2,3}[a-z]?\s*d\b", r"\b(?:so\s*)?cmnd", r"\bcan\s*cuoc(?:\s*cong\s*dan)?"],
    "address": [r"\bnoi\s*thuong\s*tru", r"\bnoi\s*cu\s*tru", r"\bcho\s*o\s*hien\s*(?:tai|nay)",
                r"\bdia\s*chi(?:\s*thuong\s*tru)?"],
    "phone": [r"\bs[o06]\s*dien\s*thoai", r"\bdien\s*thoai(?:\s*di\s*dong)?", r"\bsdt"],
    "dossier_code": [r"\bma\s*(?:so\s*)?ho\s*s[o0]"],
    "recipient": [r"\bkinh\s*gui"],
    "procedure": [r"\bnoi\s*dung\s*yeu\s*cau\s*giai\s*quyet", r"\bten\s*thu\s*tuc(?:\s*hanh\s*chinh)?"],
}
# A citizen's form closes with who signs it, above the signature and the name written by hand.
SIGNING = re.compile(r"\W*(?:nguoi\s*(?:lam\s*don|lam\s*to\s*khai|khai|viet\s*don|de\s*nghi|yeu\s*cau)\b"
                     r"|\(?\s*ky\s*,?\s*(?:va\s*)?ghi\s*ro\s*ho\s*(?:va\s*)?ten)")
# A công văn's recipients ("Kính gửi:") and a letter's distribution list ("Nơi nhận:") open their blocks.
ADDRESSED = re.compile(r"\W*kinh\s*gui")
RECIPIENTS = re.compile(r"\W*noi\s*nhan")
ROW_LABEL = re.compile("|".join(p for ps in LABELS.values() for p in ps))
# The rows of a form about a person, which a citizen fills in (by hand, as often as not).
PERSONAL_LABEL = re.compile("|".join(p for name in ("person_name", "birth_date", "id_number", "address", "phone")
                                     for p in LABELS[name]))
# A value ends where another label starts, or "Căn cứ" (a decision's grounds) does.
ANY_LABEL = re.compile(ROW_LABEL.pattern + r"|\bcan\s*cu\b")


def _colon_at(texts: list[str], ending: bool = False, within: int = LABEL_WORDS) -> int | None:
    """Which of a line's first words holds (`ending`: ends with) the colon that closes a label."""
    return next((k for k, text in enumerate(texts[:within])
                 if (text.endswith(":") if ending else ":" in text)), None)


def row_label_length(texts: list[str], labels: re.Pattern[str] = ROW_LABEL) -> int | None:
    """How many of a line's first words (`texts`) are a row's label ending with a colon
    ("Họ và tên:", "Số điện thoại:"), or None when the line does not open with one of `labels`."""
    end = _colon_at(texts)
    if end is None or not labels.match(fold(" ".join(texts[:end + 1]))):
        return None
    return end + 1


# How the labels of a form's rows about a person are printed: a label read with a letter lost
# or misread ("Nơi cư tú:", "Date of binh:") is put right when it is clearly one of them.
PERSONAL_SPELLINGS = ["Họ và tên", "Họ, chữ đệm, tên", "Ngày sinh", "Ngày, tháng, năm sinh", "Số CCCD", "Số CMND",
                      "Số định danh cá nhân", "Nơi cư trú", "Nơi thường trú", "Địa chỉ", "Chỗ ở hiện tại",
                      "Số điện thoại"]
# The bilingual labels printed on the citizen identity card (the 2021 chip card, then the 2024
# identity card), whose lines are cropped and read alone: "Quê quán / Place of origin:".
ID_CARD_SPELLINGS = ["Số / No.", "Họ và tên / Full name", "Ngày sinh / Date of birth", "Giới tính / Sex",
                     "Quốc tịch / Nationality", "Quê quán / Place of origin", "Nơi thường trú / Place of residence",
                     "Có giá trị đến / Date of expiry", "Số định danh cá nhân / Personal identification number",
                     "Họ, chữ đệm và tên khai sinh / Surname, middle name and given name",
                     "Ngày, tháng, năm sinh / Date of birth", "Nơi cư trú / Place of residence"]
PRINTED_SPELLINGS = PERSONAL_SPELLINGS + ID_CARD_SPELLINGS
_FOLDED_SPELLINGS = [fold(label) for label in PRINTED_SPELLINGS]
_SPELLED_WORDS = max(len(label.split()) for label in PRINTED_SPELLINGS)


def spelled_labels(words: list[Word]) -> list[Word]:
    """`words` (Tesseract's lines) with each line's label put right where it was misread, so
    that the row is found (its value judged, its field extracted) and its text is right."""
    return [word for _, line in groupby(words, key=lambda w: w.line) for word in _spelled(_unglued(list(line)))]


def printed_labels(words: list[Word]) -> int:
    """How many of the lines (Tesseract's) open with a printed label of a person's row or an
    identity card, read whole as printed, colon and all ("Ngày sinh / Date of birth:")."""
    openings = [_opening([w.text for w in line]) for _, line in groupby(words, key=lambda w: w.line)]
    return sum(1 for found in openings if found is not None and found[1] in _FOLDED_SPELLINGS)


def _opening(texts: list[str]) -> tuple[int, str] | None:
    """Where a line's opening label ends (the word its colon closes) and that label folded,
    without the colon; None where no word among the first a printed label has ends one."""
    end = _colon_at(texts, ending=True, within=_SPELLED_WORDS)
    return None if end is None else (end, fold(" ".join(texts[:end + 1])[:-1]))


def _unglued(line: list[Word]) -> list[Word]:
    """A label whose colon the leader's dots glued to what was written after it ("số
    CCCD:...042079627431") as two words, parted after the colon, the box by the share of
    characters: the row's value is then judged as the value it is."""
    texts = [w.text for w in line]
    k = _colon_at(texts)
    if k is None:
        return line
    word = line[k]
    cut = word.text.index(":") + 1
    if cut == len(word.text) or not ROW_LABEL.match(fold(" ".join([*texts[:k], word.text[:cut]]))):
        return line
    width = max(1, round(word.width * cut / len(word.text)))
    label = replace(word, text=word.text[:cut], width=width, doubts=())
    value = replace(word, text=word.text[cut:], left=word.left + width, width=max(1, word.width - width), doubts=())
    return [*line[:k], label, value, *line[k + 1:]]


def _spelled(line: list[Word]) -> list[Word]:
    opening = _opening([w.text for w in line])      # whole words respelled: the colon ends the last
    if opening is None:
        return line
    end, label = opening
    found = process.extractOne(label, _FOLDED_SPELLINGS, scorer=fuzz.ratio, score_cutoff=LABEL_LIKENESS)
    spelled = PRINTED_SPELLINGS[found[2]].split() if found else []
    if len(spelled) != end + 1:           # a word more or less: not the label misread letter by letter
        return line
    spelled[-1] += ":"
    return [replace(w, text=text) for w, text in zip(line, spelled)] + line[end + 1:]
