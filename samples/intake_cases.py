"""Inputs that are not generated A4 scans: the kinds of page real offices send that broke the
pipeline (../shared/realworld/ has real ones; these are invented, with ground truth).

    receipt        a narrow thermal-paper receipt, PNG without a resolution
    till_receipt   a shop's till receipt printed without Vietnamese marks, in a fixed-pitch
                   font, prices on their items' lines; JPEG saying 72 DPI (a scanning app's
                   default) of a 200 DPI scan
    card           a cropped card (85.6 x 54 mm), JPEG without a resolution
    signed_scan    a scanned page signed digitally after scanning: a visible stamp of text
                   (signer, agency, time) over the scan, and a real signature (pyHanko,
                   a throwaway self-signed certificate)
    seal_note      a short notice: a few lines, a big red seal over the signature
    bilevel_tail   the last page of a 1-bit letter: two lines, recipients, a black seal
    fee_table      a ruled table of names, phone numbers and amounts (few lower-case
                   letters: the ink's test of which way is up reads it inverted)

Every case is upright; `truth["lines"]` are its printed lines (not the stamp's). The signed scan's
key is made anew each time, so its bytes differ between runs; its pages do not.
"""

from __future__ import annotations

import io
import math
import random
from datetime import datetime, timedelta, timezone
from typing import Any

import cv2
import numpy as np
import pymupdf
from PIL import Image, ImageDraw

from .content import COMMUNES, FAMILY, money, nfc
from .degrade import Scan, noise, rotate
from .encode import scanned_pdf
from .layout import font_path, pil_font

CASES = ["receipt", "till_receipt", "card", "signed_scan", "seal_note", "bilevel_tail", "fee_table"]
TILL_FONT = "/usr/share/fonts/truetype/croscore/Cousine-{}.ttf"     # fixed pitch, as a till prints
GIVEN = ["Văn An", "Thị Hường", "Minh Đức", "Thị Lan", "Quốc Việt", "Thị Mai", "Hữu Phước", "Ngọc Ánh"]


def _person(rng: random.Random) -> str:
    return nfc(f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}")


def draw(lines: list[tuple[str, float, float, float, str]], size_px: tuple[int, int], dpi: int,
         fixed_pitch: bool = False) -> np.ndarray:
    """Grey page of `size_px` with (text, x_pt, baseline_pt, size_pt, style) runs drawn in black."""
    image = Image.new("L", size_px, 255)
    pen = ImageDraw.Draw(image)
    for text, x, y, size, style in lines:
        path = TILL_FONT.format(style.capitalize()) if fixed_pitch else font_path("tinos", style)
        font = pil_font(path, round(size * dpi / 72))
        pen.text((x * dpi / 72, y * dpi / 72), text, font=font, fill=0, anchor="ls")
    return np.asarray(image)


def _png(image: np.ndarray, dpi: int | None = None) -> bytes:
    out = io.BytesIO()
    Image.fromarray(image).save(out, "PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return out.getvalue()


def _jpeg(image: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(image).save(out, "JPEG", quality=88)
    return out.getvalue()


def _seal(image: np.ndarray, cx: int, cy: int, radius: int, colour: tuple[int, int, int]) -> np.ndarray:
    rgb = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    ink = np.full_like(rgb, 255)
    thick = max(2, radius // 25)
    cv2.circle(ink, (cx, cy), radius, colour, thick, cv2.LINE_AA)
    cv2.circle(ink, (cx, cy), int(radius * 0.62), colour, thick, cv2.LINE_AA)
    for k in range(36):
        a = math.radians(k * 10)
        p0 = (int(cx + radius * 0.7 * math.cos(a)), int(cy + radius * 0.7 * math.sin(a)))
        p1 = (int(cx + radius * 0.86 * math.cos(a + 0.05)), int(cy + radius * 0.86 * math.sin(a + 0.05)))
        cv2.line(ink, p0, p1, colour, thick, cv2.LINE_AA)
    star = [(cx + int(radius * 0.25 * math.cos(math.radians(90 + 144 * k))),
             cy - int(radius * 0.25 * math.sin(math.radians(90 + 144 * k)))) for k in range(5)]
    cv2.fillPoly(ink, [np.array(star, np.int32)], colour)
    return (rgb.astype(np.float32) * ink.astype(np.float32) / 255).astype(np.uint8)


def receipt(rng: random.Random) -> tuple[bytes, list[str], dict]:
    """80 mm wide, as long as its lines; 203 DPI like a thermal printer, no resolution in the file."""
    commune = rng.choice(COMMUNES)
    amount = rng.randrange(2, 40) * 10_000
    lines = [f"UBND XÃ {commune.upper()}", "BIÊN LAI THU PHÍ, LỆ PHÍ", f"Số: {rng.randrange(100, 9999):04d}",
             f"Người nộp: {_person(rng)}", "Nội dung: Lệ phí chứng thực", f"Số tiền: {money(amount)} đồng",
             f"Ngày {rng.randrange(1, 28)} tháng {rng.randrange(1, 12)} năm 2025", "Người thu tiền"]
    dpi, width_pt = 203, 80 / 25.4 * 72
    runs, y = [], 22.0
    for i, text in enumerate(lines):
        size = 10.5 if i > 1 else 11.5
        y += size * 1.6
        runs.append((text, 10.0, y, size, "bold" if i < 2 else "regular"))
    height_pt = y + 26
    image = draw(runs, (round(width_pt * dpi / 72), round(height_pt * dpi / 72)), dpi)
    image = noise(image, 6, np.random.default_rng(rng.randrange(2**32)))
    return _png(image), lines, {"width_pt": width_pt, "height_pt": height_pt}


def till_receipt(rng: random.Random) -> tuple[bytes, list[str], dict]:
    """A shop's receipt as many tills print it: Vietnamese without its marks ("Tong cong")."""
    items = rng.sample([("Ca phe sua da", 29_000), ("Tra dao cam sa", 45_000), ("Banh mi thit", 25_000),
                        ("Nuoc khoang", 15_000), ("Bac xiu nong", 40_000), ("Sua chua nep cam", 30_000)], 3)
    total = sum(price for _, price in items)
    head = ["CUA HANG TIEN LOI MINH CHAU", f"{rng.randrange(10, 300)} Nguyen Trai, Thanh Xuan, Ha Noi",
            "HOA DON BAN LE", f"So HD: {rng.randrange(1000, 99999)}  Ngay: {rng.randrange(1, 28):02d}/"
            f"{rng.randrange(1, 12):02d}/2025"]
    rows = [(name, money(price)) for name, price in items]
    rows += [("Tong cong:", money(total)), ("Tien mat:", money(total)), ("Tien thua:", "0")]
    tail = ["Cam on quy khach va hen gap lai!"]
    dpi, width_pt, size = 200, 80 / 25.4 * 72, 8.5
    runs, lines, y = [], [], 24.0
    for text in head:
        y += size * 1.7
        runs.append((text, 8.0, y, size, "bold" if text == head[2] else "regular"))
        lines.append(text)
    for name, amount in rows:
        y += size * 1.7
        runs += [(name, 8.0, y, size, "regular"), (amount, width_pt - 8 - 0.6 * size * len(amount), y, size, "regular")]
        lines.append(f"{name} {amount}")
    for text in tail:
        y += size * 2.2
        runs.append((text, 8.0, y, size, "regular"))
        lines.append(text)
    height_pt = y + 30
    image = draw(runs, (round(width_pt * dpi / 72), round(height_pt * dpi / 72)), dpi, fixed_pitch=True)
    image = noise(image, 5, np.random.default_rng(rng.randrange(2**32)))
    out = io.BytesIO()
    Image.fromarray(image).save(out, "JPEG", quality=88, dpi=(72, 72))
    return out.getvalue(), lines, {"width_pt": width_pt, "height_pt": height_pt}


def card(rng: random.Random) -> tuple[bytes, list[str], dict]:
    """A card cropped from a photo: 85.6 x 54 mm at about 300 DPI, no resolution in the file."""
    name, birth = _person(rng), f"{rng.randrange(1, 28):02d}/{rng.randrange(1, 12):02d}/{rng.randrange(1950, 2005)}"
    lines = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "THẺ THÀNH VIÊN",
             f"Họ và tên: {name}", f"Ngày sinh: {birth}", f"Nơi cư trú: Xã {rng.choice(COMMUNES)}"]
    dpi, width_pt, height_pt = 300, 85.6 / 25.4 * 72, 54 / 25.4 * 72
    runs = [(lines[0], 14, 20, 8.5, "bold"), (lines[1], 44, 31, 8, "bold"), (lines[2], 78, 55, 11, "bold"),
            (lines[3], 14, 82, 8.5, "regular"), (lines[4], 14, 100, 8.5, "regular"),
            (lines[5], 14, 118, 8.5, "regular")]
    image = draw(runs, (round(width_pt * dpi / 72), round(height_pt * dpi / 72)), dpi)
    tint = np.array([232, 226, 205], np.float32) / 255        # a printed card is not white
    rgb = (cv2.cvtColor(image, cv2.COLOR_GRAY2RGB) * tint).astype(np.uint8)
    return _jpeg(noise(rgb, 5, np.random.default_rng(rng.randrange(2**32)))), lines, \
        {"width_pt": width_pt, "height_pt": height_pt}


def _letter_runs(rng: random.Random, commune: str, signer: str) -> tuple[list[tuple], list[str]]:
    number = rng.randrange(10, 900)
    left = [f"UBND XÃ {commune.upper()}", f"Số: {number}/TB-UBND"]
    right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
             f"{commune}, ngày {rng.randrange(1, 28)} tháng {rng.randrange(1, 12)} năm 2025"]
    body = ["THÔNG BÁO", "Về việc tạm dừng tiếp nhận hồ sơ trực tuyến",
            "Ủy ban nhân dân xã thông báo tạm dừng tiếp nhận hồ sơ trực tuyến",
            "trong hai ngày để nâng cấp hệ thống. Đề nghị công dân nộp hồ sơ",
            "trực tiếp tại Trung tâm Phục vụ hành chính công của xã."]
    runs = [(left[0], 80, 70, 12.5, "bold"), (left[1], 80, 88, 12.5, "regular"),
            (right[0], 250, 70, 12.5, "bold"), (right[1], 285, 88, 12.5, "bold"),
            (right[2], 300, 112, 12.5, "italic"),
            (body[0], 255, 160, 13.5, "bold"), (body[1], 160, 180, 13, "bold"),
            (body[2], 90, 215, 13, "regular"), (body[3], 90, 235, 13, "regular"), (body[4], 90, 255, 13, "regular"),
            ("CHỦ TỊCH", 390, 300, 13, "bold"), (signer, 365, 390, 13, "bold")]
    return runs, left + right + body + ["CHỦ TỊCH", signer]


def _self_signed(name: str) -> tuple[Any, Any]:
    """A throwaway key and certificate for `name` (cryptography comes with pyHanko)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
                         x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30)).sign(key, hashes.SHA256()))
    return key, cert


def sign_pdf(data: bytes, agency: str, box: tuple[float, float, float, float]) -> bytes:
    """Sign the PDF as an office's signing tool does after scanning, field over `box` (points)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key, cert = _self_signed(agency)
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    der_cert = cert.public_bytes(serialization.Encoding.DER)
    signer = signers.SimpleSigner(signing_cert=asn1_x509.Certificate.load(der_cert),
                                  signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
                                  cert_registry=SimpleCertificateStore())
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page_height = pymupdf.open(stream=data, filetype="pdf")[0].rect.height
    x0, y0, x1, y1 = box          # pyHanko's boxes are from the bottom-left corner
    fields.append_signature_field(writer, fields.SigFieldSpec("Signature1", on_page=0,
                                                              box=(x0, page_height - y1, x1, page_height - y0)))
    out = io.BytesIO()
    # The visible stamp is the page's own text (above); the field's appearance stays plain ASCII.
    style = TextStampStyle(stamp_text="Signed %(ts)s")
    signers.PdfSigner(signers.PdfSignatureMetadata(field_name="Signature1"), signer=signer,
                      stamp_style=style).sign_pdf(writer, output=out)
    return out.getvalue()


def signed_scan(rng: random.Random) -> tuple[bytes, list[str], dict]:
    """A 300 DPI scan as an image-only PDF, then a stamp of text over its top right corner and
    a digital signature, as signing software leaves them."""
    commune, signer = rng.choice(COMMUNES), _person(rng)
    runs, lines = _letter_runs(rng, commune, signer)
    dpi = 300
    image = draw(runs, (2480, 3508), dpi)
    skew = rng.uniform(-0.6, 0.6)
    scan = Scan(noise(rotate(image, skew), 4, np.random.default_rng(rng.randrange(2**32)))[:3508, :2480], dpi)
    doc = pymupdf.open(stream=scanned_pdf([scan]), filetype="pdf")
    page = doc[0]
    agency = nfc(f"Ủy ban nhân dân xã {commune}")
    signed = datetime(2025, rng.randrange(1, 13), rng.randrange(1, 29), rng.randrange(7, 17), rng.randrange(60))
    stamp = [f"Ký bởi: {agency}", f"Thời gian ký: {signed:%d/%m/%Y %H:%M:%S}"]
    font = font_path("tinos", "regular")
    for i, text in enumerate(stamp):
        page.insert_text((430, 12 + 8 * i), text, fontsize=6, fontname="F0", fontfile=font)
    data = doc.tobytes(garbage=3, deflate=True)
    return sign_pdf(data, agency, (425, 3, 590, 30)), lines, {"stamp": stamp, "agency": agency}


def seal_note(rng: random.Random) -> tuple[bytes, list[str], dict]:
    """A short A4 notice with a large red seal over the signature, JPEG at 200 DPI."""
    commune, signer = rng.choice(COMMUNES), _person(rng)
    runs, lines = _letter_runs(rng, commune, signer)
    dpi = 200
    image = draw(runs, (1654, 2339), dpi)
    rgb = _seal(image, 1110, 920, 170, (rng.randrange(200, 235), 40, 50))
    out = io.BytesIO()
    Image.fromarray(noise(rgb, 5, np.random.default_rng(rng.randrange(2**32)))).save(out, "JPEG", quality=85,
                                                                                      dpi=(dpi, dpi))
    return out.getvalue(), lines, {}


def bilevel_tail(rng: random.Random) -> tuple[bytes, list[str], dict]:
    """The last page of a letter scanned 1-bit at 300 DPI: two closing lines, the recipients,
    the signature block under a seal rendered black, and much empty paper."""
    signer = _person(rng)
    lines = ["thực hiện Thông báo này, định kỳ báo cáo kết quả với Ủy ban nhân dân", "xã để theo dõi, chỉ đạo./.",
             "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", signer]
    runs = [(lines[0], 90, 80, 13, "regular"), (lines[1], 70, 100, 13, "regular"),
            (lines[2], 70, 135, 11, "bolditalic"), (lines[3], 70, 150, 10, "regular"),
            (lines[4], 70, 164, 10, "regular"),
            (lines[5], 380, 135, 13, "bold"), (lines[6], 376, 152, 13, "bold"), (signer, 360, 240, 13, "bold")]
    dpi = 300
    image = _seal(draw(runs, (2480, 3508), dpi), 1560, 780, 230, (0, 0, 0))
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    out = io.BytesIO()
    Image.fromarray(np.where(grey < 140, 0, 255).astype(np.uint8)).convert("1").save(
        out, "TIFF", compression="group4", dpi=(dpi, dpi))
    return out.getvalue(), lines, {}


def fee_table(rng: random.Random) -> tuple[bytes, list[str], dict]:
    """A list of fees collected, a ruled table at 200 DPI: mostly capitals and figures."""
    dpi, rows, runs, y = 200, [], [], 60.0
    for i in range(14):
        cells = [str(i + 1), _person(rng), f"09{rng.randrange(10**7, 10**8)}", f"{rng.randrange(10, 99)}.000"]
        runs += [(text, x, y, 10, "regular") for text, x in zip(cells, (48, 80, 260, 410))]
        rows.append(" ".join(cells))
        y += 22
    image = draw(runs, (1654, 2339), dpi).copy()
    px = dpi / 72
    for x in (40, 72, 252, 402, 470):
        cv2.line(image, (int(x * px), int(44 * px)), (int(x * px), int((y - 16) * px)), 0, 3)
    for r in range(15):
        cv2.line(image, (int(40 * px), int((44 + 22 * r) * px)), (int(470 * px), int((44 + 22 * r) * px)), 0, 2)
    return _png(image, dpi), rows, {}


EXTENSIONS = {"receipt": "png", "till_receipt": "jpg", "card": "jpg", "signed_scan": "pdf", "seal_note": "jpg",
              "bilevel_tail": "tif", "fee_table": "png"}
MAKERS = {"receipt": receipt, "till_receipt": till_receipt, "card": card, "signed_scan": signed_scan,
          "seal_note": seal_note, "bilevel_tail": bilevel_tail, "fee_table": fee_table}


def intake_case(case: str, seed: int) -> tuple[str, bytes, dict]:
    """(file name, bytes, truth) of one case; truth has `lines` and the case's own facts."""
    rng = random.Random(f"{case}/{seed}")
    data, lines, facts = MAKERS[case](rng)
    return f"{case}-{seed:04d}.{EXTENSIONS[case]}", data, {"case": case, "lines": lines, **facts}
