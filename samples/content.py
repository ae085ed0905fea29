"""Synthetic Vietnamese administrative documents: words and ground-truth fields.

Everything here is invented from small lists (common family names, commune names,
template sentences); no real person's data is used. A `DocumentSpec` says what is
printed where; `render.py` draws it and `degrade.py` damages it.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đoàn", "Lương"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Công", "Xuân", "Đình", "Quang"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Hồng", "Phương", "Diệu", "Kim", "Bích"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hùng", "Khánh", "Long", "Nghĩa", "Phúc", "Quyết",
           "Sơn", "Thắng", "Tuấn", "Việt", "Hiếu", "Lộc", "Trọng", "Đạt", "Toàn", "Hưng"]
GIVEN_F = ["Hường", "Lan", "Mai", "Ngân", "Oanh", "Phượng", "Quyên", "Thảo", "Trang", "Uyên",
           "Yến", "Hạnh", "Liên", "Nhung", "Thúy", "Hiền", "Dung", "Huệ", "Ánh", "Loan"]
COMMUNES = ["Sơn Đông", "Tân Phú", "Hòa Bình", "Yên Thế", "Đông Hưng", "Phú Lộc", "Quảng Điền",
            "Thạch Hà", "Nghĩa Đàn", "Cẩm Xuyên", "Đức Thọ", "Mỹ Lộc", "Bình Minh", "Vĩnh Tường"]
PROVINCES = [("Hà Nội", "001"), ("Nghệ An", "040"), ("Hà Tĩnh", "042"), ("Thừa Thiên Huế", "046"),
             ("Đà Nẵng", "048"), ("Quảng Nam", "049"), ("Thành phố Hồ Chí Minh", "079"),
             ("Cần Thơ", "092"), ("Thái Bình", "034"), ("Nam Định", "036"), ("Hải Phòng", "031")]
STREETS = ["thôn Đông", "thôn Trung", "xóm Mới", "thôn Hạ", "tổ dân phố số 3", "ấp Tân Lập",
           "thôn Phú Hòa", "xóm Chùa", "thôn Bắc Sơn", "khu phố 2"]
PROCEDURES = ["Cấp giấy xác nhận tình trạng hôn nhân", "Đăng ký khai sinh", "Đăng ký thường trú",
              "Chứng thực bản sao từ bản chính", "Đăng ký kết hôn", "Cấp bản sao trích lục hộ tịch",
              "Xác nhận thông tin cư trú", "Đăng ký khai tử"]
PURPOSES = ["đăng ký kết hôn", "bổ sung hồ sơ xin việc", "làm thủ tục vay vốn ngân hàng",
            "hoàn thiện hồ sơ mua bán nhà đất", "bổ túc hồ sơ xuất cảnh"]
SUBJECTS = {
    "QĐ": ["Về việc phê duyệt danh sách hộ nghèo, hộ cận nghèo năm {year}",
           "Về việc thành lập Tổ công tác chuyển đổi số cấp xã",
           "Về việc khen thưởng các tập thể, cá nhân có thành tích xuất sắc",
           "Về việc giao đất ở cho hộ gia đình, cá nhân tại {street}"],
    "TB": ["Về việc tiếp công dân định kỳ tháng {month} năm {year}",
           "Về lịch trực Trung tâm Phục vụ hành chính công dịp nghỉ lễ",
           "Về việc thu hồi đất để thực hiện dự án đường giao thông nông thôn"],
    "KH": ["Kế hoạch triển khai thực hiện Đề án 06 năm {year}",
           "Kế hoạch tổ chức Ngày hội Đại đoàn kết toàn dân tộc"],
}
BODY = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Căn cứ Nghị định số 61/2018/NĐ-CP về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính;",
    "Xét đề nghị của công chức Văn phòng - Thống kê và công chức Tư pháp - Hộ tịch xã;",
    "Các bộ phận chuyên môn, công chức có liên quan chịu trách nhiệm thi hành quyết định này.",
    "Quyết định này có hiệu lực kể từ ngày ký. Văn phòng Ủy ban nhân dân xã theo dõi, đôn đốc việc thực hiện.",
    "Đề nghị các thôn, xóm thông báo rộng rãi đến nhân dân trên địa bàn để biết và thực hiện.",
    "Thời gian tiếp nhận hồ sơ vào các ngày làm việc trong tuần, buổi sáng từ 7 giờ 30 phút đến 11 giờ 30 phút.",
    "Mọi vướng mắc trong quá trình thực hiện, đề nghị phản ánh về Văn phòng để tổng hợp, báo cáo.",
    "Trưởng các ban, ngành, đoàn thể và các tổ chức, cá nhân có liên quan căn cứ quyết định thi hành.",
]


@dataclass
class Line:
    """One printed line: its text and how it is set."""
    text: str
    style: str = "regular"        # regular | bold | italic | bolditalic
    align: str = "left"           # left | center | right
    size_pt: float = 13.0
    indent_pt: float = 0.0
    underline: bool = False


@dataclass
class DocumentSpec:
    """What a generated document shows, with the field values a reader would extract."""
    kind: str                                   # slug: quyet_dinh, thong_bao, ...
    header_left: list[Line]
    header_right: list[Line]
    title: list[Line]
    body: list[Line]
    signature: list[Line]                       # right column, signer name last
    fields: dict[str, str]
    signature_left: list[Line] = field(default_factory=list)  # e.g. "Nơi nhận:" block
    header_split: float = 0.40                  # where the header's left column ends, of the text width
    body_gap_pt: float = 14.0                   # space between the title block and the body


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def money(amount: int) -> str:
    """Đồng as Vietnamese print them: 165000 -> "165.000"."""
    return f"{amount:,}".replace(",", ".")


def _person(rng: random.Random) -> tuple[str, bool]:
    female = rng.random() < 0.5
    middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    return f"{rng.choice(FAMILY)} {middle} {given}", female


def _date(rng: random.Random, y0: int, y1: int) -> tuple[int, int, int]:
    return rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28)


def _id_number(rng: random.Random, province_code: str, year: int, female: bool) -> str:
    """12-digit personal id: province, century/sex digit, two year digits, six random."""
    century = (year // 100) - 19                 # 1900s -> 0, 2000s -> 1
    sex_digit = century * 2 + (1 if female else 0)
    return f"{province_code}{sex_digit}{year % 100:02d}{rng.randint(0, 999999):06d}"


def _phone(rng: random.Random) -> str:
    return rng.choice(["09", "03", "08", "07"]) + "".join(str(rng.randint(0, 9)) for _ in range(8))


def _wrap_free(texts: list[str]) -> list[Line]:
    """Paragraph text; the renderer wraps it to the text width."""
    return [Line(t, indent_pt=28) for t in texts]


def _header(commune: str, number: str, date: tuple[int, int, int]) -> tuple[list[Line], list[Line]]:
    y, m, d = date
    left = [Line("ỦY BAN NHÂN DÂN", align="center", size_pt=13),
            Line(f"XÃ {commune.upper()}", style="bold", align="center", size_pt=13, underline=True),
            Line(f"Số: {number}", align="center", size_pt=13)]
    right = [Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", style="bold", align="center", size_pt=12),
             Line("Độc lập - Tự do - Hạnh phúc", style="bold", align="center", size_pt=13, underline=True),
             Line(f"{commune}, ngày {d:02d} tháng {m:02d} năm {y}", style="italic", align="center", size_pt=13)]
    return left, right


def _official(rng: random.Random, kind: str, abbr: str, title: str) -> DocumentSpec:
    commune = rng.choice(COMMUNES)
    date = _date(rng, 2019, 2026)
    number = f"{rng.randint(1, 480)}/{abbr}-UBND" if abbr else f"{rng.randint(1, 480)}/UBND-VP"
    left, right = _header(commune, number, date)
    subject = rng.choice(SUBJECTS.get(abbr or "TB", SUBJECTS["TB"])).format(
        year=date[0], month=date[1], street=rng.choice(STREETS))
    signer, _ = _person(rng)
    body_texts = rng.sample(BODY, 4)
    title_lines = [Line(title.upper(), style="bold", align="center", size_pt=14),
                   Line(subject, style="bold", align="center", size_pt=14)]
    signature = [Line("TM. ỦY BAN NHÂN DÂN", style="bold", align="center"),
                 Line("CHỦ TỊCH", style="bold", align="center"),
                 Line(signer, style="bold", align="center")]
    fields = {"doc_type": title, "doc_number": number, "issue_date": _iso(date), "place": commune,
              "issuer": f"Ủy ban nhân dân xã {commune}", "subject": subject, "signer": signer}
    return DocumentSpec(kind, left, right, title_lines, _wrap_free(body_texts), signature, fields,
                        signature_left=[Line("Nơi nhận:", style="bolditalic", size_pt=12),
                                        Line("- Như Điều 3;", size_pt=11),
                                        Line("- Lưu: VT.", size_pt=11)])


def _iso(date: tuple[int, int, int]) -> str:
    y, m, d = date
    return f"{y:04d}-{m:02d}-{d:02d}"


def quyet_dinh(rng: random.Random) -> DocumentSpec:
    return _official(rng, "quyet_dinh", "QĐ", "Quyết định")


def thong_bao(rng: random.Random) -> DocumentSpec:
    return _official(rng, "thong_bao", "TB", "Thông báo")


def ke_hoach(rng: random.Random) -> DocumentSpec:
    return _official(rng, "ke_hoach", "KH", "Kế hoạch")


def _citizen(rng: random.Random) -> dict[str, str]:
    name, female = _person(rng)
    y, m, d = _date(rng, 1955, 2004)
    province, code = rng.choice(PROVINCES)
    commune = rng.choice(COMMUNES)
    return {"person_name": name, "birth_date": _iso((y, m, d)),
            "birth_text": f"{d:02d}/{m:02d}/{y}",
            "id_number": _id_number(rng, code, y, female),
            "address": f"{rng.choice(STREETS)}, xã {commune}, tỉnh {province}" if "phố" not in province
            else f"{rng.choice(STREETS)}, {province}",
            "phone": _phone(rng)}


def giay_xac_nhan(rng: random.Random) -> DocumentSpec:
    commune = rng.choice(COMMUNES)
    date = _date(rng, 2021, 2026)
    number = f"{rng.randint(1, 900)}/UBND-XNTTHN"
    left, right = _header(commune, number, date)
    c = _citizen(rng)
    signer, _ = _person(rng)
    title = "Giấy xác nhận tình trạng hôn nhân"
    body = [Line(f"Xét đề nghị của ông/bà: {c['person_name']}, về việc xác nhận tình trạng hôn nhân,"),
            Line("ỦY BAN NHÂN DÂN XÃ " + commune.upper() + " XÁC NHẬN:", style="bold"),
            Line(f"Họ, chữ đệm, tên: {c['person_name']}"),
            Line(f"Ngày, tháng, năm sinh: {c['birth_text']}"),
            Line(f"Số định danh cá nhân: {c['id_number']}"),
            Line(f"Nơi cư trú: {c['address']}"),
            Line("Tình trạng hôn nhân: Hiện tại chưa đăng ký kết hôn với ai."),
            Line(f"Giấy này được cấp để: {rng.choice(PURPOSES)}.", indent_pt=0)]
    signature = [Line("KT. CHỦ TỊCH", style="bold", align="center"),
                 Line("PHÓ CHỦ TỊCH", style="bold", align="center"),
                 Line(signer, style="bold", align="center")]
    fields = {"doc_type": title, "doc_number": number, "issue_date": _iso(date), "place": commune,
              "issuer": f"Ủy ban nhân dân xã {commune}", "signer": signer,
              **{k: c[k] for k in ("person_name", "birth_date", "id_number", "address")}}
    return DocumentSpec("giay_xac_nhan", left, right,
                        [Line(title.upper(), style="bold", align="center", size_pt=14)],
                        body, signature, fields)


def don_de_nghi(rng: random.Random) -> DocumentSpec:
    commune = rng.choice(COMMUNES)
    date = _date(rng, 2021, 2026)
    c = _citizen(rng)
    procedure = rng.choice(PROCEDURES)
    y, m, d = date
    right = [Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", style="bold", align="center", size_pt=12),
             Line("Độc lập - Tự do - Hạnh phúc", style="bold", align="center", underline=True)]
    recipient = f"Ủy ban nhân dân xã {commune}"
    title = [Line("ĐƠN ĐỀ NGHỊ", style="bold", align="center", size_pt=14),
             Line(f"Kính gửi: {recipient}", align="center")]
    body = [Line(f"Họ và tên: {c['person_name']}"),
            Line(f"Ngày sinh: {c['birth_text']}"),
            Line(f"Số CCCD: {c['id_number']}"),
            Line(f"Nơi thường trú: {c['address']}"),
            Line(f"Số điện thoại: {c['phone']}"),
            Line(f"Nội dung yêu cầu giải quyết: {procedure}"),
            Line("Tôi xin cam đoan những nội dung khai trên là đúng sự thật và chịu trách nhiệm trước pháp luật.",
                 indent_pt=28)]
    signature = [Line(f"{commune}, ngày {d:02d} tháng {m:02d} năm {y}", style="italic", align="center"),
                 Line("Người làm đơn", style="bold", align="center"),
                 Line(c["person_name"], style="bold", align="center")]
    fields = {"doc_type": "Đơn đề nghị", "issue_date": _iso(date), "place": commune,
              "recipient": recipient, "procedure": procedure, "signer": c["person_name"],
              **{k: c[k] for k in ("person_name", "birth_date", "id_number", "address", "phone")}}
    return DocumentSpec("don_de_nghi", [], right, title, body, signature, fields)


def phieu_tiep_nhan(rng: random.Random) -> DocumentSpec:
    commune = rng.choice(COMMUNES)
    date = _date(rng, 2022, 2026)
    number = f"{rng.randint(1, 999)}/TN-TTPVHCC"
    left = [Line("ỦY BAN NHÂN DÂN XÃ " + commune.upper(), align="center", size_pt=12),
            Line("TRUNG TÂM PHỤC VỤ", style="bold", align="center", size_pt=12),
            Line("HÀNH CHÍNH CÔNG", style="bold", align="center", size_pt=12, underline=True),
            Line(f"Số: {number}", align="center", size_pt=12)]
    _, right = _header(commune, number, date)
    c = _citizen(rng)
    procedure = rng.choice(PROCEDURES)
    dossier = f"H{rng.randint(10, 63)}.{rng.randint(10, 99)}.{rng.randint(10, 99)}-{date[0] % 100:02d}{date[1]:02d}{date[2]:02d}-{rng.randint(1, 9999):04d}"
    signer, _ = _person(rng)
    title = [Line("PHIẾU TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", style="bold", align="center", size_pt=14),
             Line(f"Mã hồ sơ: {dossier}", style="bold", align="center")]
    body = [Line("Trung tâm Phục vụ hành chính công xã đã tiếp nhận hồ sơ của:", indent_pt=28),
            Line(f"Ông/bà: {c['person_name']}"),
            Line(f"Số định danh cá nhân: {c['id_number']}"),
            Line(f"Địa chỉ: {c['address']}"),
            Line(f"Số điện thoại: {c['phone']}"),
            Line(f"Nội dung yêu cầu giải quyết: {procedure}"),
            Line("Thành phần hồ sơ gồm: tờ khai theo mẫu, giấy tờ tùy thân và các giấy tờ có liên quan.", indent_pt=28),
            Line("Thời gian nhận hồ sơ và trả kết quả theo quy định của thủ tục hành chính.", indent_pt=28)]
    signature = [Line("NGƯỜI TIẾP NHẬN HỒ SƠ", style="bold", align="center"),
                 Line("(Ký và ghi rõ họ tên)", style="italic", align="center", size_pt=12),
                 Line(signer, style="bold", align="center")]
    fields = {"doc_type": "Phiếu tiếp nhận hồ sơ", "doc_number": number, "issue_date": _iso(date),
              "place": commune, "issuer": "Trung tâm Phục vụ hành chính công", "dossier_code": dossier,
              "procedure": procedure, "signer": signer,
              **{k: c[k] for k in ("person_name", "id_number", "address", "phone")}}
    return DocumentSpec("phieu_tiep_nhan", left, right, title, body, signature, fields)


KINDS = {"quyet_dinh": quyet_dinh, "thong_bao": thong_bao, "ke_hoach": ke_hoach,
         "giay_xac_nhan": giay_xac_nhan, "don_de_nghi": don_de_nghi, "phieu_tiep_nhan": phieu_tiep_nhan}


def make_document(kind: str, rng: random.Random) -> DocumentSpec:
    return KINDS[kind](rng)


def continuation(kind: str, rng: random.Random) -> DocumentSpec:
    """A document's next page: body text only, no header and no title."""
    return DocumentSpec(kind, [], [], [], _wrap_free(rng.sample(BODY, 5)), [], {})
