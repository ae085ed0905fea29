"""A second family of documents, written apart from the field rules, to measure how they generalise.

`content.py` is what the field rules were written on. The documents here come from other
offices and other templates: công văn with the trích yếu under the number, provincial
departments under their UBND, signers under "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" or "TL.", a
subject set straight on top of the body, labels in another order and in other words, and
labels inside running text ("Thành phần hồ sơ: … giấy tờ chứng minh nơi cư trú."). Keep it
out of the rule tests (`tests/test_fields.py`): `bench/fields.py --family independent` scores
it. Names and places are invented from their own small lists; no real person's data.
"""

from __future__ import annotations

import random

from .content import DocumentSpec, Line, _date, _id_number, _iso, _phone, _wrap_free

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Hồ", "Ngô", "Đinh", "Trương", "Tô",
          "Lâm", "Châu", "Mai", "Hà", "Thái", "Tạ", "Cao"]
MIDDLE = ["Văn", "Thị", "Hữu", "Ngọc", "Quang", "Thanh", "Minh", "Thu", "Bá", "Xuân", "Kim", "Đức"]
GIVEN = ["Chi", "Tâm", "Hải", "Hòa", "Trung", "Nam", "Phong", "Vy", "Hà", "Thủy", "Cúc", "Kiên", "Tú", "Lực",
         "Sang", "Tín", "Nhàn", "Vinh", "Bảo", "Hằng"]
# Communes and the provinces they are in after July 2025 (invented pairings are fine: the
# rules must not rely on knowing them).
PLACES = [("Tây Sơn", "Gia Lai"), ("Nghĩa Hành", "Quảng Ngãi"), ("Đức Phổ", "Quảng Ngãi"), ("Ba Tơ", "Quảng Ngãi"),
          ("Hương Trà", "Huế"), ("Điện Bàn", "Đà Nẵng"), ("Thăng Bình", "Đà Nẵng"), ("Yên Dũng", "Bắc Ninh"),
          ("Kim Bảng", "Ninh Bình"), ("Hải Hậu", "Ninh Bình"), ("Quỳnh Lưu", "Nghệ An"), ("Can Lộc", "Hà Tĩnh"),
          ("Mỹ Tú", "Cần Thơ"), ("Chợ Gạo", "Đồng Tháp"), ("Đồng Xuân", "Đắk Lắk"), ("Lộc Hà", "Hà Tĩnh")]
DEPARTMENTS = ["Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Y tế", "Sở Xây dựng",
               "Sở Giáo dục và Đào tạo", "Sở Khoa học và Công nghệ", "Sở Nông nghiệp và Môi trường"]
UNITS = ["VP", "TP", "KT", "VHXH", "NV"]
VILLAGES = ["thôn Gò Dài", "tổ dân phố Tân Hòa", "xóm Bến", "ấp Phú Thạnh", "thôn An Định", "khu phố Chợ",
            "thôn Thượng", "buôn Ea Sim"]
LETTER_SUBJECTS = [
    "V/v đề nghị hỗ trợ chi phí chuyển đổi số cho Tổ công tác cộng đồng",
    "V/v rà soát hồ sơ tồn đọng tại bộ phận một cửa",
    "V/v báo cáo kết quả số hóa hồ sơ, kết quả giải quyết thủ tục hành chính năm {year}",
    "V/v góp ý dự thảo kế hoạch cải cách hành chính giai đoạn {year}-{next}",
    "V/v cung cấp thông tin phục vụ công tác thanh tra",
]
PROPOSAL_SUBJECTS = [
    "Về việc đề nghị phê duyệt dự toán chi phí sửa chữa trụ sở làm việc",
    "Về việc đề nghị kiện toàn Tổ công tác chuyển đổi số cấp xã",
    "Về việc đề nghị công nhận thôn đạt chuẩn nông thôn mới năm {year}",
]
REPORT_SUBJECTS = [
    "Kết quả thực hiện Đề án 06 trên địa bàn {province} quý {quarter} năm {year}",
    "Tình hình tiếp nhận và giải quyết hồ sơ thủ tục hành chính tháng {month} năm {year}",
]
LETTER_BODY = [
    "Thực hiện chỉ đạo của cấp trên về việc đẩy mạnh cải cách thủ tục hành chính, số hóa hồ sơ và kết quả giải quyết,",
    "Hiện nay, toàn xã đã tiếp nhận trên một nghìn hồ sơ trực tuyến, tuy nhiên việc số hóa kết quả còn chậm.",
    "Để kịp thời tổng hợp, đề nghị các đơn vị gửi báo cáo trước ngày 25 hằng tháng qua hệ thống quản lý văn bản.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị liên hệ công chức Văn phòng để được hướng dẫn.",
    "Ủy ban nhân dân xã đề nghị các cơ quan, đơn vị quan tâm phối hợp thực hiện./.",
]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _date_line(place: str, date: tuple[int, int, int]) -> Line:
    y, m, d = date
    return Line(f"{place}, ngày {d} tháng {m} năm {y}", style="italic", align="center", size_pt=13)


def _national(place: str, date: tuple[int, int, int]) -> list[Line]:
    return [Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", style="bold", align="center", size_pt=12),
            Line("Độc lập - Tự do - Hạnh phúc", style="bold", align="center", size_pt=13, underline=True),
            _date_line(place, date)]


def _commune_header(commune: str, number: str) -> list[Line]:
    # One line for the whole body's name, as many communes print it.
    return [Line(f"ỦY BAN NHÂN DÂN XÃ {commune.upper()}", style="bold", align="center", size_pt=12, underline=True),
            Line(f"Số: {number}", align="center", size_pt=13)]


def _signature(rng: random.Random, body: str) -> tuple[list[Line], str]:
    signer = _name(rng)
    head = rng.choice([["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], [f"TM. {body}", "CHỦ TỊCH"],
                       ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]])
    return [Line(h, style="bold", align="center") for h in head] + [Line(signer, style="bold", align="center")], signer


def _recipients(*extra: str) -> list[Line]:
    return [Line("Nơi nhận:", style="bolditalic", size_pt=12), *(Line(f"- {e};", size_pt=11) for e in extra),
            Line("- Lưu: VT, VP.", size_pt=11)]


def cong_van(rng: random.Random) -> DocumentSpec:
    """A commune's letter: no title, the trích yếu under the number in the left column."""
    commune, province = rng.choice(PLACES)
    date = _date(rng, 2020, 2026)
    number = f"{rng.randint(1, 999)}/UBND-{rng.choice(UNITS)}"
    subject = rng.choice(LETTER_SUBJECTS).format(year=date[0], next=date[0] + 5)
    left = _commune_header(commune, number) + [Line(subject, align="center", size_pt=12)]
    recipient = f"Ủy ban nhân dân tỉnh {province}"
    title = [Line(f"Kính gửi: {recipient}", align="center")]
    signature, signer = _signature(rng, "ỦY BAN NHÂN DÂN")
    fields = {"doc_type": "Công văn", "doc_number": number, "issue_date": _iso(date), "place": commune,
              "issuer": f"Ủy ban nhân dân xã {commune}", "subject": subject, "signer": signer,
              "recipient": recipient}
    return DocumentSpec("cong_van", left, _national(commune, date), title,
                        _wrap_free(rng.sample(LETTER_BODY, 3)), signature, fields,
                        signature_left=_recipients("Như trên"), header_split=0.42)


def to_trinh(rng: random.Random) -> DocumentSpec:
    """A proposal whose subject is set straight on top of the body, with no space between."""
    commune, _ = rng.choice(PLACES)
    date = _date(rng, 2020, 2026)
    number = f"{rng.randint(1, 300)}/TTr-UBND"
    subject = rng.choice(PROPOSAL_SUBJECTS).format(year=date[0])
    title = [Line("TỜ TRÌNH", style="bold", align="center", size_pt=14),
             Line(subject, style="bold", align="center", size_pt=13)]
    body = _wrap_free(["Hiện nay, toàn xã đã hoàn thành việc rà soát, đánh giá các tiêu chí theo kế hoạch đề ra "
                       "và đề nghị cấp có thẩm quyền xem xét.", rng.choice(LETTER_BODY)])
    signature, signer = _signature(rng, "ỦY BAN NHÂN DÂN")
    fields = {"doc_type": "Tờ trình", "doc_number": number, "issue_date": _iso(date), "place": commune,
              "issuer": f"Ủy ban nhân dân xã {commune}", "subject": subject, "signer": signer}
    return DocumentSpec("to_trinh", _commune_header(commune, number), _national(commune, date), title, body,
                        signature, fields, signature_left=_recipients("HĐND xã"), body_gap_pt=0.0)


def bao_cao_so(rng: random.Random) -> DocumentSpec:
    """A provincial department's report, its UBND above it in the header."""
    _, province = rng.choice(PLACES)
    department = rng.choice(DEPARTMENTS)
    date = _date(rng, 2021, 2026)
    abbr = "S" + "".join(w[0] for w in department.split()[1:] if w[0].isupper())
    number = f"{rng.randint(1, 2500)}/BC-{abbr}"
    subject = rng.choice(REPORT_SUBJECTS).format(province=f"tỉnh {province}", quarter=rng.choice("I II III IV".split()),
                                                month=date[1], year=date[0])
    left = [Line(f"UBND TỈNH {province.upper()}", align="center", size_pt=12),
            Line(department.upper(), style="bold", align="center", size_pt=12, underline=True),
            Line(f"Số: {number}", align="center", size_pt=13)]
    title = [Line("BÁO CÁO", style="bold", align="center", size_pt=14),
             Line(subject, style="bold", align="center", size_pt=13)]
    signer = _name(rng)
    signature = [Line("KT. GIÁM ĐỐC", style="bold", align="center"), Line("PHÓ GIÁM ĐỐC", style="bold", align="center"),
                 Line(signer, style="bold", align="center")]
    fields = {"doc_type": "Báo cáo", "doc_number": number, "issue_date": _iso(date), "place": province,
              "issuer": f"{department} tỉnh {province}", "subject": subject, "signer": signer}
    return DocumentSpec("bao_cao_so", left, _national(province, date), title,
                        _wrap_free(rng.sample(LETTER_BODY, 3)), signature, fields,
                        signature_left=_recipients("UBND tỉnh (b/c)"), header_split=0.45)


def _citizen(rng: random.Random) -> dict[str, str]:
    female = rng.random() < 0.5
    name = _name(rng)
    y, m, d = _date(rng, 1950, 2005)
    commune, province = rng.choice(PLACES)
    return {"person_name": name, "birth_date": _iso((y, m, d)), "birth_text": f"{d:02d}/{m:02d}/{y}",
            "id_number": _id_number(rng, rng.choice(["051", "052", "048", "027", "038"]), y, female),
            "address": f"{rng.choice(VILLAGES)}, xã {commune}, tỉnh {province}", "phone": _phone(rng)}


def bien_nhan(rng: random.Random) -> DocumentSpec:
    """A reception receipt with another wording and order, and labels inside its sentences."""
    commune, _ = rng.choice(PLACES)
    date = _date(rng, 2023, 2026)
    number = f"{rng.randint(1, 999)}/BN-TTPVHCC"
    c = _citizen(rng)
    day = f"{date[0] % 100:02d}{date[1]:02d}{date[2]:02d}"
    dossier = f"000.00.{rng.randint(10, 99)}.H{rng.randint(10, 63)}-{day}-{rng.randint(1, 9999):04d}"
    procedure = rng.choice(["Đăng ký kết hôn", "Cấp bản sao trích lục hộ tịch", "Đăng ký tạm trú",
                            "Chứng thực chữ ký"])
    left = [Line(f"UBND XÃ {commune.upper()}", align="center", size_pt=12),
            Line("TRUNG TÂM PHỤC VỤ", style="bold", align="center", size_pt=12),
            Line("HÀNH CHÍNH CÔNG", style="bold", align="center", size_pt=12, underline=True),
            Line(f"Số: {number}", align="center", size_pt=12)]
    title = [Line("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", style="bold", align="center", size_pt=14)]
    body = [Line(f"Mã hồ sơ: {dossier}"),
            Line(f"Tiếp nhận hồ sơ của ông (bà): {c['person_name']}"),
            Line(f"Điện thoại: {c['phone']}"),
            Line(f"Địa chỉ: {c['address']}"),
            Line(f"Số CMND/CCCD: {c['id_number']}"),
            Line(f"Tên thủ tục: {procedure}"),
            Line("Thành phần hồ sơ: tờ khai theo mẫu; bản sao giấy tờ tùy thân; giấy tờ chứng minh nơi cư trú."),
            Line(f"Thời gian trả kết quả: ngày {rng.randint(1, 28)} tháng {date[1]} năm {date[0]}, "
                 "tại Trung tâm Phục vụ hành chính công xã."),
            Line("Người nộp hồ sơ mang theo giấy tiếp nhận này khi đến nhận kết quả.", indent_pt=28)]
    signer = _name(rng)
    signature = [Line("NGƯỜI TIẾP NHẬN", style="bold", align="center"),
                 Line("(Ký, ghi rõ họ tên)", style="italic", align="center", size_pt=12),
                 Line(signer, style="bold", align="center")]
    fields = {"doc_type": "Phiếu tiếp nhận hồ sơ", "doc_number": number, "issue_date": _iso(date), "place": commune,
              "issuer": "Trung tâm Phục vụ hành chính công", "dossier_code": dossier, "procedure": procedure,
              "signer": signer, **{k: c[k] for k in ("person_name", "id_number", "address", "phone")}}
    return DocumentSpec("bien_nhan", left, _national(commune, date), title, body, signature, fields)


def to_khai(rng: random.Random) -> DocumentSpec:
    """A citizen's declaration: no header agency, labels worded otherwise, the date under the body."""
    commune, province = rng.choice(PLACES)
    date = _date(rng, 2022, 2026)
    c = _citizen(rng)
    y, m, d = date
    recipient = f"Ủy ban nhân dân xã {commune}"
    title = [Line("TỜ KHAI ĐĂNG KÝ THƯỜNG TRÚ", style="bold", align="center", size_pt=14),
             Line(f"Kính gửi: {recipient}", align="center")]
    body = [Line(f"Họ, chữ đệm và tên: {c['person_name']}"),
            Line(f"Sinh ngày: {c['birth_text']}"),
            Line(f"Số định danh cá nhân: {c['id_number']}"),
            Line(f"Số điện thoại liên hệ: {c['phone']}"),
            Line(f"Nơi cư trú hiện nay: {c['address']}"),
            Line("Tôi cam đoan những lời khai trên là đúng sự thật và chịu trách nhiệm về lời khai của mình.",
                 indent_pt=28)]
    signature = [_date_line(commune, date), Line("NGƯỜI KÊ KHAI", style="bold", align="center"),
                 Line(c["person_name"], style="bold", align="center")]
    fields = {"doc_type": "Tờ khai", "issue_date": _iso((y, m, d)), "place": commune, "recipient": recipient,
              "signer": c["person_name"],
              **{k: c[k] for k in ("person_name", "birth_date", "id_number", "address", "phone")}}
    right = _national(commune, date)[:2]
    return DocumentSpec("to_khai", [], right, title, body, signature, fields)


KINDS = {"cong_van": cong_van, "to_trinh": to_trinh, "bao_cao_so": bao_cao_so, "bien_nhan": bien_nhan,
         "to_khai": to_khai}
