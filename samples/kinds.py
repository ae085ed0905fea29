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
import unicodedata
from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np
from PIL import Image, ImageDraw

from digitizer.text import unmarked

from . import Sample
from .content import COMMUNES, PROVINCES, _citizen, _date, _person, money
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


ASCENDING = set("bdfhklt")
DESCENDING = set("gjpqy")


def joined_hand(text: str, size: int, rng: random.Random) -> np.ndarray:
    """An ink mask (0..255) of `text` in a joined hand, as no font writes it: each word one
    stroke looping through its letters (up to the ascenders, down to the descenders), its tone
    and vowel marks strokes over it, slanted and bent, the letters half again as tall as the
    print beside them. Tesseract reads it as a real hand's writing is read: as junk, in pieces,
    or not at all (bench/real_handwriting.py)."""
    g = np.random.default_rng(rng.randrange(2**32))
    pad, baseline = size, size * 2
    x_height = size * rng.uniform(0.55, 0.75)
    canvas = np.zeros((size * 3, int(len(text) * size * 0.9) + 2 * pad), np.uint8)
    thickness = max(2, size // 12)
    x = float(pad)
    for word in text.split():
        points = [(x, baseline - x_height * 0.3)]
        for letter in unicodedata.normalize("NFD", word):
            if unicodedata.combining(letter):       # a mark over the letter just written
                mx, my = points[-2][0], baseline - x_height - size * 0.3
                cv2.line(canvas, (int(mx - size * 0.15), int(my + size * 0.05)),
                         (int(mx + size * 0.12), int(my - size * 0.1)), 255, thickness, cv2.LINE_AA)
                continue
            step = size * rng.uniform(0.5, 0.75)
            tall = letter.lower() in ASCENDING or letter.isupper() or letter.isdigit()
            top = baseline - (x_height * rng.uniform(1.6, 2.0) if tall else x_height * rng.uniform(0.85, 1.1))
            bottom = baseline + (x_height * rng.uniform(0.6, 0.9) if letter.lower() in DESCENDING else 0)
            points += [(x + step * 0.55, top), (x + step * 0.35, bottom), (x + step, baseline - x_height * 0.35)]
            x += step
        # a pen's curve through the points, not a zigzag
        line = np.array(points, np.float32)
        t = np.linspace(0, len(line) - 1, len(line) * 12)
        curve = np.stack([np.interp(t, np.arange(len(line)), line[:, k]) for k in (0, 1)], axis=1)
        curve = cv2.GaussianBlur(curve.reshape(-1, 1, 2), (1, 15), 0).reshape(-1, 2)
        cv2.polylines(canvas, [np.round(curve).astype(np.int32)], False, 255, thickness, cv2.LINE_AA)
        x += size * rng.uniform(0.5, 0.8)
    mask = canvas[:, : int(x) + pad]
    shear = np.float32([[1, rng.uniform(-0.35, -0.1), size * 0.4], [0, 1, 0]])
    mask = cv2.warpAffine(mask, shear, (mask.shape[1] + size, mask.shape[0]))
    return elastic(mask, g, alpha=size * 0.15, sigma=size * 0.4)


def joined_writing(value: str, size: int, rng: random.Random) -> tuple[np.ndarray, str]:
    return joined_hand(value, size, rng), value


# What fills a blank: (the value meant, the pen's size in pixels) -> (ink mask, the text written)
Writer = Callable[[str, int, random.Random], tuple[np.ndarray, str]]


def pen_writing(value: str, size: int, rng: random.Random) -> tuple[np.ndarray, str]:
    return handwriting(value, size, rng), value


def hand_filled_form(rng: random.Random, write: Writer = pen_writing) -> tuple[bytes, list[str], dict]:
    """An application form printed with dotted blanks, filled in with a blue pen, scanned at
    200 DPI in colour or in grey. `write` fills each blank (bench/real_handwriting.py: with a
    real hand's writing)."""
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
        mask, written = write(c[key], int(size * rng.uniform(1.0, 1.25)), rng)
        mask = mask[:, : width - start - 20] if mask.shape[1] > width - start - 20 else mask
        top = y - int(mask.shape[0] * 0.72)
        ink = Image.new("RGB", (mask.shape[1], mask.shape[0]), INK_BLUE)
        page.paste(ink, (start, top), Image.fromarray(mask))
        hand[name] = c[name] if written == c[key] else written     # the field's value, or what another hand wrote
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


# ---------------------------------------------------------------- ID-card copies

CARD_DPI = 600                       # drawn at this, then photocopied at the scan's resolution
CARD_MM = (85.6, 54.0)               # ISO/IEC 7810 ID-1
MRZ_WEIGHTS = (7, 3, 1)


def _mrz_check(field: str) -> str:
    """ICAO 9303's check digit: digits as themselves, letters from 10, filler 0."""
    values = [int(c) if c.isdigit() else (ord(c) - 55 if c.isalpha() else 0) for c in field]
    return str(sum(v * MRZ_WEIGHTS[i % 3] for i, v in enumerate(values)) % 10)


def _mrz(c: dict[str, str], female: bool, expiry: str) -> list[str]:
    """The back's machine-readable zone (TD1: three lines of 30), from the invented citizen."""
    number = c["id_number"]
    line1 = f"IDVNM{number[3:]}{_mrz_check(number[3:])}{number}<<"
    line1 += _mrz_check(line1[5:])
    born = c["birth_text"][8:10] + c["birth_text"][3:5] + c["birth_text"][:2]
    ends = expiry[8:10] + expiry[3:5] + expiry[:2] if expiry[0].isdigit() else "<" * 6     # no end
    line2 = f"{born}{_mrz_check(born)}{'F' if female else 'M'}{ends}{_mrz_check(ends)}VNM".ljust(29, "<")
    line2 += _mrz_check(line1[5:30] + line2[:7] + line2[8:15] + line2[18:29])
    family, *rest = unmarked(c["person_name"]).upper().split()
    line3 = (family + "<<" + "<".join(rest)).ljust(30, "<")[:30]
    return [line1, line2, line3]


def _expiry(born: tuple[int, int, int], issued_year: int) -> str:
    """A card is renewed at 25, 40 and 60 (one issued within two years of an age lasts to the
    next); from 58 it has no end."""
    y, m, d = born
    for age in (25, 40, 60):
        if issued_year - y < age - 2:
            return f"{d:02d}/{m:02d}/{y + age}"
    return "Không thời hạn"


def _pt(points: float) -> int:
    return round(points * CARD_DPI / 72)


def _emblem(image: Image.Image, box: tuple[int, int, int, int]) -> None:
    """The state emblem as a photocopier sees it: a red disc with a gold star and a rim."""
    draw = ImageDraw.Draw(image)
    x0, y0, x1, y1 = box
    draw.ellipse(box, fill=(200, 45, 40), outline=(200, 160, 40), width=12)
    cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * 0.3
    star = [(cx + (r if i % 2 == 0 else r * 0.4) * math.sin(i * math.pi / 5),
             cy - (r if i % 2 == 0 else r * 0.4) * math.cos(i * math.pi / 5)) for i in range(10)]
    draw.polygon(star, fill=(245, 200, 50))


def _portrait(height: int, width: int, rng: random.Random) -> np.ndarray:
    """No one's photo: a head-and-shoulders silhouette on the card's pale blue."""
    image = np.empty((height, width, 3), np.uint8)
    image[:] = (205, 225, 245)
    tone = tuple(rng.randint(60, 140) for _ in range(3))
    cv2.ellipse(image, (width // 2, int(height * 0.38)), (int(width * 0.26), int(height * 0.22)), 0, 0, 360, tone, -1)
    cv2.ellipse(image, (width // 2, height), (int(width * 0.48), int(height * 0.3)), 0, 180, 360,
                (rng.randint(20, 60),) * 3, -1)
    return cv2.GaussianBlur(image, (0, 0), 6)


def _modules(size: int, cells: int, rng: random.Random) -> np.ndarray:
    """A square code's look (random modules inside three finder squares); it encodes nothing."""
    grid = np.array([[rng.random() < 0.5 for _ in range(cells)] for _ in range(cells)])
    for y, x in ((0, 0), (0, cells - 7), (cells - 7, 0)):
        grid[y:y + 7, x:x + 7] = False
        grid[y:y + 7, x] = grid[y:y + 7, x + 6] = grid[y, x:x + 7] = grid[y + 6, x:x + 7] = True
        grid[y + 2:y + 5, x + 2:x + 5] = True
    image = np.where(grid, 0, 255).astype(np.uint8)
    return cv2.cvtColor(cv2.resize(image, (size, size), interpolation=cv2.INTER_NEAREST), cv2.COLOR_GRAY2RGB)


def _fingerprint(height: int, width: int, rng: random.Random) -> np.ndarray:
    """Ridges round a core, as an inked finger leaves them."""
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    cx, cy = width * rng.uniform(0.4, 0.6), height * rng.uniform(0.4, 0.6)
    r = np.hypot((xx - cx) / 0.8, yy - cy)
    ridges = np.sin(r / rng.uniform(9, 12) * 2 * math.pi + np.arctan2(yy - cy, xx - cx) * 0.5)
    inside = ((xx - cx) / (width * 0.42)) ** 2 + ((yy - cy) / (height * 0.46)) ** 2 < 1
    grey = np.where(inside & (ridges > 0.2), 40, 250).astype(np.uint8)
    return cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB)


def _card(rng: random.Random) -> Image.Image:
    width, height = (round(mm / 25.4 * CARD_DPI) for mm in CARD_MM)
    return Image.fromarray(guilloche(height, width, rng))


def card_front(c: dict[str, str], female: bool, expiry: str, rng: random.Random) -> tuple[Image.Image, list[str]]:
    """A citizen identity card's front, and its printed lines in reading order."""
    card = _card(rng)
    width = card.width
    regular, bold = FONTS.format("Arimo-Regular"), FONTS.format("Arimo-Bold")
    _emblem(card, (70, 60, 330, 320))
    card.paste(Image.fromarray(_modules(250, 29, rng)), (width - 320, 60))
    header = [Printed("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0, 115, _pt(6.5), bold),
              Printed("SOCIALIST REPUBLIC OF VIET NAM", 0, 175, _pt(5), regular),
              Printed("Độc lập - Tự do - Hạnh phúc", 0, 240, _pt(6.5), bold),
              Printed("Independence - Freedom - Happiness", 0, 295, _pt(5), regular)]
    title = [Printed("CĂN CƯỚC CÔNG DÂN", 0, 400, _pt(10), bold),
             Printed("Citizen Identity Card", 0, 460, _pt(6), regular)]
    for line in header + title:
        line.x = round((width - pil_font(line.font, line.size).getlength(line.text)) / 2)
    _draw(card, header, (20, 20, 20))
    _draw(card, title, (190, 30, 30))
    card.paste(Image.fromarray(_portrait(560, 420, rng)), (90, 540))
    street, rest = c["address"].split(", ", 1)
    origin = f"xã {rng.choice(COMMUNES)}, tỉnh {rng.choice(PROVINCES)[0]}".replace("tỉnh Thành phố", "thành phố")
    label, value = _pt(5.5), _pt(7.5)
    x, lines = 600, [("Số / No.: ", c["id_number"], 560)]
    rows = [("Họ và tên / Full name:", "", 650), ("", c["person_name"].upper(), 740),
            ("Ngày sinh / Date of birth: ", c["birth_text"], 830),
            ("Giới tính / Sex: ", ("Nữ" if female else "Nam") + "   Quốc tịch / Nationality: Việt Nam", 910),
            ("Quê quán / Place of origin: ", "", 990), ("", origin, 1070),
            ("Nơi thường trú / Place of residence: ", street, 1150), ("", rest, 1225)]
    printed = []
    for text, val, baseline in lines + rows:
        printed.append(Printed(text, x, baseline, label, regular))
        printed.append(Printed(val, x + int(pil_font(regular, label).getlength(text)), baseline, value, bold))
    under_photo = [Printed("Có giá trị đến: " + expiry, 70, 1170, _pt(5), regular),
                   Printed("Date of expiry", 70, 1225, _pt(5), regular)]
    _draw(card, printed + under_photo, (25, 25, 25))
    text = [line.text for line in header + title] + [(a + b).strip() for a, b, _ in lines + rows]
    return card, text + [line.text for line in under_photo]


def card_back(c: dict[str, str], female: bool, expiry: str, issued: str,
              rng: random.Random) -> tuple[Image.Image, list[str]]:
    """The back: marks, the date of issue, the issuing officer, two fingerprints and the MRZ."""
    card = _card(rng)
    regular, bold, mono = FONTS.format("Arimo-Regular"), FONTS.format("Arimo-Bold"), FONTS.format("Cousine-Bold")
    officer, _ = _person(rng)
    mark = rng.choice(["Nốt ruồi cách 2 cm trên sau đuôi mắt trái", "Sẹo chấm cách 1 cm dưới trước cánh mũi phải",
                       "Nốt ruồi cách 3 cm dưới trước dái tai trái"])
    label = _pt(5.5)
    left = [Printed("Đặc điểm nhân dạng / Personal identification:", 70, 120, label, regular),
            Printed(mark, 70, 195, label, regular),
            Printed(f"Ngày, tháng, năm / Date, month, year: {issued}", 70, 300, label, regular),
            Printed("CỤC TRƯỞNG CỤC CẢNH SÁT", 70, 390, label, bold),
            Printed("QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", 70, 460, label, bold),
            Printed("DIRECTOR GENERAL OF THE POLICE DEPARTMENT", 70, 520, _pt(4.5), regular),
            Printed("FOR ADMINISTRATIVE MANAGEMENT OF SOCIAL ORDER", 70, 570, _pt(4.5), regular),
            Printed(officer, 300, 830, _pt(6.5), bold)]
    _draw(card, left, (25, 25, 25))
    draw = ImageDraw.Draw(card)
    draw.ellipse((120, 590, 400, 870), outline=(200, 40, 40), width=14)       # the seal's ring
    sign = handwriting(officer.split()[-1], _pt(9), rng)
    card.paste(Image.new("RGB", sign.shape[::-1], (30, 30, 90)), (380, 600), Image.fromarray(sign))
    fingers = [("Ngón trỏ trái", "Left index finger"), ("Ngón trỏ phải", "Right index finger")]
    boxes = []
    for i, (vi, en) in enumerate(fingers):
        x0 = 1180 + i * 420
        card.paste(Image.fromarray(_fingerprint(440, 360, rng)), (x0, 80))
        boxes += [Printed(vi, x0, 580, _pt(4.5), regular), Printed(en, x0, 630, _pt(4.5), regular)]
    _draw(card, boxes, (25, 25, 25))
    mrz = _mrz(c, female, expiry)
    _draw(card, [Printed(line, 70, 1010 + 100 * i, _pt(9), mono) for i, line in enumerate(mrz)], (15, 15, 15))
    return card, [line.text for line in left[:3]] + [f"{vi} {en}" for vi, en in fingers] + \
        [line.text for line in left[3:]] + mrz


def copied(cards: list[Image.Image], dpi: int, colour: bool, rng: random.Random) -> np.ndarray:
    """Both sides laid on an A4 glass, a little askew: copied in grey (the copier's curve
    darkens pale print, toner specks), or scanned in colour (the title's red kept)."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = np.full((height, width, 3) if colour else (height, width), 255, np.uint8)
    top = round(1.0 * dpi)
    for card in cards:
        image = np.asarray(card) if colour else cv2.cvtColor(np.asarray(card), cv2.COLOR_RGB2GRAY)
        small = cv2.resize(image, None, fx=dpi / CARD_DPI, fy=dpi / CARD_DPI, interpolation=cv2.INTER_AREA)
        h, w = small.shape[:2]
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-1.5, 1.5), 1.0)
        small = cv2.warpAffine(small, turn, (w, h), borderValue=(255, 255, 255))
        x = (width - w) // 2 + rng.randint(-dpi // 4, dpi // 4)
        page[top:top + h, x:x + w] = np.minimum(page[top:top + h, x:x + w], small)
        top += h + round(rng.uniform(0.6, 1.2) * dpi)
    g = np.random.default_rng(rng.randrange(2**32))
    if colour:
        return noise(cv2.GaussianBlur(page, (0, 0), 0.6), 3, g)
    toned = 255 * (page.astype(np.float32) / 255) ** rng.uniform(1.3, 1.9)
    toned[g.random(page.shape) < 0.0005] = 30
    return noise(cv2.GaussianBlur(toned, (0, 0), 0.7), 5, g)


def id_card_copy(rng: random.Random) -> tuple[bytes, list[str], dict]:
    """A copy of a citizen identity card, front above back, as a dossier holds it: a grey
    photocopy, or (two in five) a colour scan."""
    c = _citizen(rng)
    female = int(c["id_number"][3]) % 2 == 1
    y, m, d = (int(v) for v in reversed(c["birth_text"].split("/")))
    issued_year = rng.randint(2021, 2024)
    issued = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{issued_year}"
    expiry = _expiry((y, m, d), issued_year)
    front, front_text = card_front(c, female, expiry, rng)
    back, back_text = card_back(c, female, expiry, issued, rng)
    dpi, colour = rng.choice([200, 300]), rng.random() < 0.4
    fields = {"doc_type": "Căn cước công dân", "id_number": c["id_number"], "person_name": c["person_name"],
              "birth_date": c["birth_date"]}
    page = copied([front, back], dpi, colour, rng)
    return _encode(page, "JPEG", dpi=dpi, quality=rng.randint(75, 90)), front_text + back_text, \
        {"fields": fields, "colour": colour}


def joined_form(rng: random.Random) -> tuple[bytes, list[str], dict]:
    return hand_filled_form(rng, joined_writing)


KINDS = {"id_crop": (id_crop, "jpg", "ID-card line, phone photo, guilloche"),
         "receipt": (thermal_receipt, "jpg", "thermal print, faded dots, phone photo"),
         "form": (hand_filled_form, "jpg", "printed form filled in by hand (blue pen), 200 DPI scan"),
         "form_joined": (joined_form, "jpg", "printed form filled in a joined hand (blue pen), 200 DPI scan"),
         "id_copy": (id_card_copy, "jpg", "photocopy of an ID card's two sides on A4, grey, 200-300 DPI")}


def page_kind(kind: str, seed: int) -> Sample:
    make, ext, conditions = KINDS[kind]
    return _sample(f"{kind}-{seed:04d}.{ext}", kind, conditions, *make(random.Random(f"{kind}/{seed}")))


def form_written_by(write: Writer, seed: int, name: str, conditions: str) -> Sample:
    """A form whose blanks `write` fills: the kind "form" with another hand."""
    return _sample(name, "form", conditions, *hand_filled_form(random.Random(f"form/{seed}"), write))


def _sample(name: str, kind: str, conditions: str, data: bytes, lines: list[str], extra: dict) -> Sample:
    truth = {"kind": kind, "conditions": conditions, "pages": ["\n".join(lines)], "fields": {}, **extra}
    return Sample(name, data, truth)


def truth_row(sample: Sample) -> dict:
    """The sample's line of a transcribed set's `truth.jsonl` (the layout of ../shared/realworld/)."""
    truth = sample.truth
    return {"file": sample.name, "pages": 1, "text": truth["pages"], "kind": truth["kind"],
            "conditions": truth["conditions"], "fields": truth["fields"],
            **{k: truth[k] for k in ("hand", "hand_boxes", "grey", "colour") if k in truth}}
