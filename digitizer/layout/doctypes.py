"""Kinds of documents: Decree 30/2020 administrative documents and commune dossier papers.

To add a kind, add one DocType: its canonical name, the abbreviation used in document
numbers (None if it has none), and the folded titles it is printed under.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from .measures import TITLE_MATCH


@dataclass(frozen=True)
class DocType:
    name: str
    abbreviation: str | None
    titles: tuple[str, ...]          # folded (see normalize.fold), longest first is not needed


DOC_TYPES = [
    DocType("Nghị quyết", "NQ", ("nghi quyet",)),
    DocType("Quyết định", "QĐ", ("quyet dinh",)),
    DocType("Chỉ thị", "CT", ("chi thi",)),
    DocType("Quy chế", "QC", ("quy che",)),
    DocType("Quy định", "QyĐ", ("quy dinh",)),
    DocType("Thông cáo", "TC", ("thong cao",)),
    DocType("Thông báo", "TB", ("thong bao",)),
    DocType("Hướng dẫn", "HD", ("huong dan",)),
    DocType("Chương trình", "CTr", ("chuong trinh",)),
    DocType("Kế hoạch", "KH", ("ke hoach",)),
    DocType("Phương án", "PA", ("phuong an",)),
    DocType("Đề án", "ĐA", ("de an",)),
    DocType("Dự án", "DA", ("du an",)),
    DocType("Báo cáo", "BC", ("bao cao",)),
    DocType("Biên bản", "BB", ("bien ban",)),
    DocType("Tờ trình", "TTr", ("to trinh",)),
    DocType("Hợp đồng", "HĐ", ("hop dong",)),
    DocType("Công điện", "CĐ", ("cong dien",)),
    DocType("Bản ghi nhớ", "GN", ("ban ghi nho",)),
    DocType("Giấy ủy quyền", "GUQ", ("giay uy quyen",)),
    DocType("Giấy mời", "GM", ("giay moi",)),
    DocType("Giấy giới thiệu", "GGT", ("giay gioi thieu",)),
    DocType("Giấy nghỉ phép", "GNP", ("giay nghi phep",)),
    DocType("Phiếu gửi", "PG", ("phieu gui",)),
    DocType("Phiếu chuyển", "PC", ("phieu chuyen",)),
    DocType("Thư công", "TC", ("thu cong",)),
    # Citizen-facing papers of commune dossiers.
    DocType("Giấy xác nhận tình trạng hôn nhân", None, ("giay xac nhan tinh trang hon nhan",)),
    DocType("Giấy khai sinh", None, ("giay khai sinh",)),
    DocType("Giấy chứng nhận kết hôn", None, ("giay chung nhan ket hon",)),
    DocType("Trích lục khai tử", None, ("trich luc khai tu",)),
    DocType("Giấy xác nhận", None, ("giay xac nhan",)),
    DocType("Đơn đề nghị", None, ("don de nghi",)),
    DocType("Đơn", None, ("don xin", "don trinh bao")),
    DocType("Tờ khai", None, ("to khai",)),
    # Decree 61/2018's form is "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"; centres print either.
    DocType("Phiếu tiếp nhận hồ sơ", None, ("phieu tiep nhan ho so", "giay tiep nhan ho so")),
    # The citizen's card, photocopied into nearly every dossier: "CĂN CƯỚC CÔNG DÂN" (2016-2024),
    # "CĂN CƯỚC" since the 2023 law (July 2024).
    DocType("Căn cước công dân", None, ("can cuoc cong dan", "can cuoc")),
]

# Công văn has no title: its number reads like 125/UBND-VP (issuer and unit, no kind).
CONG_VAN = DocType("Công văn", None, ())



def title_type(folded: str) -> DocType | None:
    """The document type whose printed title a folded line opens with (OCR's slips allowed;
    the closest title wins, the longer one on a tie)."""
    head = re.sub(r"[^a-z ]", "", folded).strip()
    best: tuple[float, int, DocType] | None = None
    for doc_type in DOC_TYPES:
        for title in doc_type.titles:
            score = Indel.normalized_similarity(head[: len(title)], title)
            if score >= TITLE_MATCH and (best is None or (score, len(title)) > best[:2]):
                best = (score, len(title), doc_type)
    return best[2] if best else None
