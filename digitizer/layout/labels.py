"""The labels of a form's rows and of a letter's labelled lines ("Họ và tên:", "Kính gửi:"),
as folded patterns: a segment that opens with one is a label/value row.

Add a labelled field by adding its label patterns to LABELS (and, if its value needs a shape,
a parser to extract.fields.PARSERS).
"""

from __future__ import annotations

import re

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
# A công văn's recipients ("Kính gửi:") and a letter's distribution list ("Nơi nhận:") open their blocks.
ADDRESSED = re.compile(r"\W*kinh\s*gui")
RECIPIENTS = re.compile(r"\W*noi\s*nhan")
ROW_LABEL = re.compile("|".join(p for ps in LABELS.values() for p in ps))
# A value ends where another label starts, or "Căn cứ" (a decision's grounds) does.
ANY_LABEL = re.compile(ROW_LABEL.pattern + r"|\bcan\s*cu\b")
