"""The citizen's own papers in a dossier, beside the offices' letters: lines cropped from ID-card
photos, thermal-printed receipts photographed by phone, and application forms filled in by hand.

    from samples.kinds import page_kind
    sample = page_kind("form", seed=3)    # sample.truth["pages"]: the printed text only

Each truth follows `../shared/realworld/` (printed text only; a blank filled by hand is left
out, its leader dots too), so `bench/realworld.py --set` scores these pages per kind against raw
Tesseract. A form's truth also lists its handwritten values (`hand`: field -> value) and their
boxes in points (`hand_boxes`), for the tests of the review queue. Names, numbers and shops are
invented from the same small lists as the letters.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np
from PIL import Image, ImageDraw

from . import Sample
from .content import COMMUNES, PROVINCES, _citizen, _date, money
from .degrade import noise, perspective, shading
from .layout import pil_font

FONTS = "/usr/share/fonts/truetype/croscore/{}.ttf"
HAND_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"   # Vietnamese coverage; distorted below
INK_BLUE = (35, 55, 150)


@dataclass
class Printed:
    """One printed line: text at (x, baseline) in pixels of the page drawn."""
    text: str
    x: int
    baseline: int
    size: int
    font: str
    hand: str | None = None       # the field name when the line is a value filled in by hand


def _draw(image: Image.Image, lines: list[Printed], colour: tuple[int, int, int]) -> None:
    draw = ImageDraw.Draw(image)
    for line in lines:
        if line.hand is None:
            draw.text((line.x, line.baseline), line.text, font=pil_font(line.font, line.size), fill=colour, anchor="ls")


def _encode(image: np.ndarray, fmt: str, dpi: int | None = None, quality: int = 80) -> bytes:
    out = io.BytesIO()
    extra = {"dpi": (dpi, dpi)} if dpi else {}
    Image.fromarray(image).save(out, fmt, quality=quality, **extra) if fmt == "JPEG" else \
        Image.fromarray(image).save(out, fmt, **extra)
    return out.getvalue()


# ---------------------------------------------------------------- ID-card lines

ID_LINES: list[Callable[[dict[str, str], random.Random], tuple[str, str]]] = [
    lambda c, r: ("", c["person_name"].upper()),
    lambda c, r: ("Số / No.: ", c["id_number"]),
    lambda c, r: ("Ngày sinh / Date of birth: ", c["birth_text"]),
    lambda c, r: ("Giới tính / Sex: ", r.choice(["Nam", "Nữ"]) + "   Quốc tịch / Nationality: Việt Nam"),
    lambda c, r: ("Quê quán / Place of origin: ", c["address"].split(", ", 1)[1]),
    lambda c, r: ("Nơi thường trú / Place of residence: ", c["address"].split(", ", 1)[0]),
    lambda c, r: ("Họ và tên / Full name: ", ""),
]


def guilloche(height: int, width: int, rng: random.Random) -> np.ndarray:
    """A card's security print: pastel paper under crossing fine waves."""
    base = np.array([rng.randint(205, 235), rng.randint(220, 240), rng.randint(205, 232)], np.float32)
    card = np.empty((height, width, 3), np.float32)
    card[:] = base
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    card *= (0.94 + 0.06 * np.sin(xx / width * math.pi + rng.uniform(0, 3)))[..., None]
    image = card.astype(np.uint8)
    tint = tuple(int(v) for v in base * rng.uniform(0.72, 0.85))
    for _ in range(rng.randint(10, 18)):
        period, amp = rng.uniform(40, 140), rng.uniform(3, height / 2)
        phase, y0 = rng.uniform(0, 6.3), rng.uniform(0, height)
        xs = np.arange(0, width, 2)
        ys = y0 + amp * np.sin(xs / period * 2 * math.pi + phase)
        cv2.polylines(image, [np.stack([xs, ys], 1).astype(np.int32)], False, tint, 1, cv2.LINE_AA)
    return image


def id_crop(rng: random.Random) -> tuple[bytes, list[str], dict[str, str]]:
    """One line of a citizen ID card, cropped from a phone photo: small, on a guilloche, JPEG."""
    c = _citizen(rng)
    label, value = rng.choice(ID_LINES)(c, rng)
    scale = 4                                  # drawn large, then shrunk as a photo would
    size = rng.randint(13, 26) * scale // 2     # value cap height ends near 5-12 px
    label_font, value_font = FONTS.format("Arimo-Regular"), FONTS.format("Arimo-Bold")
    lf, vf = pil_font(label_font, int(size * 0.8)), pil_font(value_font, size)
    # A text detector's crop: a few pixels around the line, or tight to the letters.
    margin = rng.choice([1, 3, 6]) * scale
    width = int(lf.getlength(label) + vf.getlength(value)) + 2 * margin
    height = int(size * rng.uniform(1.15, 2.1))
    card = Image.fromarray(guilloche(height, width, rng))
    x, baseline = margin, int(height * 0.5 + size * 0.36)
    ink = (rng.randint(10, 50),) * 3
    _draw(card, [Printed(label, x, baseline, int(size * 0.8), label_font),
                 Printed(value, x + int(lf.getlength(label)), baseline, size, value_font)], ink)
    image = np.asarray(card)
    image = cv2.GaussianBlur(image, (0, 0), rng.uniform(0.8, 1.6))
    image = cv2.resize(image, (width // scale * 2, height // scale * 2), interpolation=cv2.INTER_AREA)
    image = noise(image, rng.uniform(2, 6), np.random.default_rng(rng.randrange(2**32)))
    text = (label + value).strip()
    return _encode(image, "JPEG", quality=rng.randint(60, 85)), [text], {}


# ---------------------------------------------------------------- thermal receipts

SHOPS = ["CỬA HÀNG TẠP HÓA MINH ANH", "NHÀ THUỐC AN KHANG", "CÀ PHÊ PHỐ NÚI", "SIÊU THỊ MINI BÌNH AN",
         "QUÁN CƠM VĂN PHÒNG HƯƠNG QUÊ", "CỬA HÀNG VĂN PHÒNG PHẨM HỒNG HÀ"]
ITEMS = [("Cà phê sữa đá", 25000), ("Trà đào cam sả", 35000), ("Bánh mì thịt", 20000), ("Nước suối", 8000),
         ("Sữa tươi không đường", 32000), ("Giấy A4 Double A", 78000), ("Bút bi Thiên Long", 5000),
         ("Khẩu trang y tế", 30000), ("Paracetamol 500mg", 15000), ("Cơm gà xối mỡ", 45000),
         ("Mì tôm Hảo Hảo", 4500), ("Dầu ăn Neptune 1L", 52000), ("Phong bì thư", 2000)]


def receipt_lines(rng: random.Random) -> list[tuple[str, str, str]]:
    """(left, right, align) per printed line of a shop's bill."""
    commune, (province, _) = rng.choice(COMMUNES), rng.choice(PROVINCES)
    y, m, d = _date(rng, 2023, 2026)
    lines = [(rng.choice(SHOPS), "", "center"), (f"Xã {commune}, {province}", "", "center"),
             (f"ĐT: 0{rng.randint(200, 399)} {rng.randint(100, 999)} {rng.randint(100, 999)}", "", "center"),
             ("HÓA ĐƠN BÁN LẺ", "", "center"),
             (f"Ngày: {d:02d}/{m:02d}/{y} {rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}", "", "left"),
             (f"Số HĐ: {rng.randint(1000, 99999)}", "", "left"), ("Tên hàng SL", "T.Tiền", "left")]
    total = 0
    for name, price in rng.sample(ITEMS, rng.randint(3, 6)):
        qty = rng.randint(1, 4)
        total += qty * price
        lines.append((f"{name} {qty}", money(qty * price), "left"))
    lines += [("Tổng cộng:", money(total), "left"), ("Tiền khách đưa:", money(-(-total // 50000) * 50000), "left"),
              ("Cảm ơn quý khách, hẹn gặp lại!", "", "center")]
    return lines


def thermal_receipt(rng: random.Random) -> tuple[bytes, list[str], dict[str, str]]:
    """A 58 mm thermal bill at the printer's 203 DPI, faded and dotted, photographed on a desk."""
    width, size, lead = 464, rng.randint(22, 26), 1.45
    font = FONTS.format(rng.choice(["Cousine-Regular", "Arimo-Regular"]))
    lines = receipt_lines(rng)
    height = int(len(lines) * size * lead + 3 * size)
    paper = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(paper)
    f = pil_font(font, size)
    for i, (left, right, align) in enumerate(lines):
        baseline = int((i + 1.5) * size * lead)
        x = (width - f.getlength(left)) / 2 if align == "center" else 16
        draw.text((x, baseline), left, font=f, fill=0, anchor="ls")
        if right:
            draw.text((width - 16, baseline), right, font=f, fill=0, anchor="rs")
    dots = np.asarray(paper) < 128
    g = np.random.default_rng(rng.randrange(2**32))
    # The head's dots: some fail to print, and the heat fades along the paper.
    dots &= g.random(dots.shape) > rng.uniform(0.05, 0.2)
    fade = np.linspace(rng.uniform(70, 110), rng.uniform(110, 150), width)[None, :]
    image = np.where(dots, fade, 248).astype(np.float32)
    image = cv2.GaussianBlur(image, (0, 0), 0.7)
    rgb = cv2.cvtColor(np.clip(image, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2RGB)
    rgb = cv2.resize(rgb, None, fx=rng.uniform(1.1, 1.6), fy=rng.uniform(1.1, 1.6), interpolation=cv2.INTER_LINEAR)
    photo = noise(cv2.GaussianBlur(shading(perspective(rgb, g, 0.02), 0.3, g), (0, 0), 0.8), 4, g)
    text = [" ".join(part for part in (left, right) if part) for left, right, _ in lines]
    return _encode(photo, "JPEG", quality=rng.randint(70, 85)), text, {}


# ---------------------------------------------------------------- forms filled in by hand

# (label, the citizen's value written, the field it is read as)
FORM_ROWS = [("Họ và tên:", "person_name", "person_name"), ("Ngày sinh:", "birth_text", "birth_date"),
             ("Số CCCD:", "id_number", "id_number"), ("Nơi cư trú:", "address", "address"),
             ("Số điện thoại:", "phone", "phone")]


def elastic(mask: np.ndarray, rng: np.random.Generator, alpha: float, sigma: float) -> np.ndarray:
    """Bend strokes smoothly, as a hand does not draw a font's outline."""
    h, w = mask.shape
    dx = cv2.GaussianBlur(rng.uniform(-1, 1, (h, w)).astype(np.float32), (0, 0), sigma) * alpha
    dy = cv2.GaussianBlur(rng.uniform(-1, 1, (h, w)).astype(np.float32), (0, 0), sigma) * alpha
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(mask, xs + dx, ys + dy, cv2.INTER_LINEAR, borderValue=0)


def handwriting(text: str, size: int, rng: random.Random) -> np.ndarray:
    """An ink mask (0..255) of `text` as a pen writes it: letters of uneven size on a wandering
    baseline, slanted, bent, with the pen's pressure thickening and thinning the stroke."""
    font = HAND_FONT
    pad = size
    width = int(pil_font(font, size).getlength(text) * 1.25) + 2 * pad
    canvas = Image.new("L", (width, size * 3), 0)
    draw = ImageDraw.Draw(canvas)
    x, drift = float(pad), 0.0
    for ch in text:
        drift = max(-size * 0.25, min(size * 0.25, drift + rng.uniform(-0.08, 0.08) * size))
        letter = pil_font(font, max(8, int(size * rng.uniform(0.85, 1.15))))
        draw.text((x, size * 2 + drift), ch, font=letter, fill=255, anchor="ls")
        x += letter.getlength(ch) * rng.uniform(0.95, 1.2)
    mask = np.asarray(canvas)[:, : int(x) + pad]
    shear = np.float32([[1, rng.uniform(-0.35, -0.1), size * 0.4], [0, 1, 0]])
    mask = cv2.warpAffine(mask, shear, (mask.shape[1] + size, mask.shape[0]))
    g = np.random.default_rng(rng.randrange(2**32))
    mask = elastic(mask, g, alpha=size * 0.25, sigma=size * 0.3)
    pressure = cv2.GaussianBlur(g.uniform(0, 1, mask.shape).astype(np.float32), (0, 0), size)
    thick = cv2.dilate(mask, np.ones((2, 2), np.uint8))
    mask = np.where(pressure > np.median(pressure), thick, mask)
    return mask


def hand_filled_form(rng: random.Random) -> tuple[bytes, list[str], dict]:
    """An application form printed with dotted blanks, filled in with a blue pen, scanned at
    200 DPI in colour or in grey."""
    dpi, width, height = 200, 1654, 2339
    c = _citizen(rng)
    commune = rng.choice(COMMUNES)
    serif, bold = FONTS.format("Tinos-Regular"), FONTS.format("Tinos-Bold")
    size = 36
    page = Image.new("RGB", (width, height), (255, 255, 255))
    printed = [Printed("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0, 180, 34, bold),
               Printed("Độc lập - Tự do - Hạnh phúc", 0, 230, 36, bold),
               Printed("ĐƠN ĐỀ NGHỊ", 0, 360, 42, bold),
               Printed(f"Kính gửi: Ủy ban nhân dân xã {commune}", 0, 430, size, serif)]
    draw = ImageDraw.Draw(page)
    for line in printed:
        line.x = int((width - pil_font(line.font, line.size).getlength(line.text)) / 2)
    hand: dict[str, str] = {}
    boxes: dict[str, list[float]] = {}
    y = 540
    for label, key, name in FORM_ROWS:
        printed.append(Printed(label, 200, y, size, serif))
        start = 200 + int(pil_font(serif, size).getlength(label)) + 12
        dots = "." * int((width - 180 - start) / pil_font(serif, size).getlength("."))
        draw.text((start, y), dots, font=pil_font(serif, size), fill=(0, 0, 0), anchor="ls")
        value = c[key]
        mask = handwriting(value, int(size * rng.uniform(1.0, 1.25)), rng)
        mask = mask[:, : width - start - 20] if mask.shape[1] > width - start - 20 else mask
        top = y - int(mask.shape[0] * 0.72)
        ink = Image.new("RGB", (mask.shape[1], mask.shape[0]), INK_BLUE)
        page.paste(ink, (start, top), Image.fromarray(mask))
        hand[name] = c[name]
        ys, xs = np.nonzero(mask > 64)
        corners = (start + xs.min(), top + ys.min(), start + xs.max(), top + ys.max())
        boxes[name] = [round(float(v) * 72 / dpi, 1) for v in corners]
        y += 80
    printed.append(Printed("Tôi xin cam đoan những nội dung khai trên là đúng sự thật.", 260, y + 20, size, serif))
    d, m, yr = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2023, 2026)
    printed.append(Printed(f"{commune}, ngày {d:02d} tháng {m:02d} năm {yr}", 900, y + 140, size, serif))
    printed.append(Printed("Người làm đơn", 1040, y + 200, size, bold))
    _draw(page, printed, (0, 0, 0))
    signature = handwriting(c["person_name"], size, rng)
    page.paste(Image.new("RGB", signature.shape[::-1], INK_BLUE), (980, y + 330), Image.fromarray(signature))
    g = np.random.default_rng(rng.randrange(2**32))
    scan = np.asarray(page)
    grey = rng.random() < 0.5           # an office scanner set to grey: no colour tells the pen
    scan = noise(cv2.GaussianBlur(cv2.cvtColor(scan, cv2.COLOR_RGB2GRAY) if grey else scan, (0, 0), 0.6), 4, g)
    lines = [p.text for p in sorted(printed, key=lambda p: p.baseline)]
    return _encode(scan, "JPEG", dpi=dpi, quality=85), lines, {"fields": {"doc_type": "Đơn đề nghị"}, "hand": hand,
                                                  "hand_boxes": boxes, "grey": grey}


KINDS = {"id_crop": (id_crop, "jpg", "ID-card line, phone photo, guilloche"),
         "receipt": (thermal_receipt, "jpg", "thermal print, faded dots, phone photo"),
         "form": (hand_filled_form, "jpg", "printed form filled in by hand (blue pen), 200 DPI scan")}


def page_kind(kind: str, seed: int) -> Sample:
    make, ext, conditions = KINDS[kind]
    data, lines, extra = make(random.Random(f"{kind}/{seed}"))
    truth = {"kind": kind, "conditions": conditions, "pages": ["\n".join(lines)], "fields": {}, **extra}
    return Sample(f"{kind}-{seed:04d}.{ext}", data, truth)
