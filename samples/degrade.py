"""Damage a clean page the way real intake does: scanners, fax machines, phones, stamps."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import cv2
import numpy as np

from .layout import PageLayout
from .render import to_px


@dataclass
class Scan:
    """A degraded page image and what was done to it (for tests that check the undoing)."""
    image: np.ndarray          # uint8, greyscale (H, W) or RGB (H, W, 3)
    dpi: int | None            # None: the file carries no resolution (phone photos)
    rotation: int = 0          # clockwise quarter turn applied: 0, 90, 180, 270
    skew: float = 0.0          # degrees, counter-clockwise positive
    bilevel: bool = False


def rotate(image: np.ndarray, degrees: float, fill: int = 255) -> np.ndarray:
    """Rotate counter-clockwise by `degrees`, growing the canvas so nothing is cut."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    border = (fill,) * (3 if image.ndim == 3 else 1)
    return cv2.warpAffine(image, m, (nw, nh), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def quarter_turn(image: np.ndarray, clockwise: int) -> np.ndarray:
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return image if clockwise == 0 else cv2.rotate(image, codes[clockwise])


def noise(image: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    return np.clip(image + rng.normal(0, sigma, image.shape), 0, 255).astype(np.uint8)


def blur(image: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(image, (0, 0), sigma)


def contrast(image: np.ndarray, ink: int, paper: int) -> np.ndarray:
    """Map black..white onto ink..paper: grey paper and faded toner."""
    return (ink + image.astype(np.float32) * (paper - ink) / 255).astype(np.uint8)


def shading(image: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """A smooth light falloff across the page, as from a lamp or a phone's shadow."""
    h, w = image.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    dist = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / math.hypot(w, h)
    gain = 1.0 - strength * dist
    if image.ndim == 3:
        gain = gain[..., None]
    return np.clip(image * gain, 0, 255).astype(np.uint8)


def resample(image: np.ndarray, factor: float) -> np.ndarray:
    h, w = image.shape[:2]
    return cv2.resize(image, (round(w * factor), round(h * factor)), interpolation=cv2.INTER_AREA)


def dark_border(image: np.ndarray, rng: np.random.Generator, px: int) -> np.ndarray:
    """The black edge a flatbed leaves when the lid is open or the page is off the glass."""
    out = image.copy()
    for side in rng.choice(4, size=2, replace=False):
        width = int(rng.integers(px // 2, px))
        if side == 0:
            out[:width] = rng.integers(10, 50)
        elif side == 1:
            out[-width:] = rng.integers(10, 50)
        elif side == 2:
            out[:, :width] = rng.integers(10, 50)
        else:
            out[:, -width:] = rng.integers(10, 50)
    return out


def speckle(image: np.ndarray, rng: np.random.Generator, density: float) -> np.ndarray:
    """Fax line noise: isolated black dots and a few dropped white pixels in strokes."""
    out = image.copy()
    mask = rng.random(image.shape[:2]) < density
    out[mask] = 0
    drop = rng.random(image.shape[:2]) < density / 2
    out[drop] = 255
    return out


def to_rgb(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)


def multiply(base: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """Overprint ink (RGB, white = no ink) onto the page like a stamp or pen."""
    return (base.astype(np.float32) * ink.astype(np.float32) / 255).astype(np.uint8)


def red_seal(image: np.ndarray, layout: PageLayout, dpi: int, rng: np.random.Generator) -> np.ndarray:
    """A round red seal over the left third of the signature, as stamped by a commune."""
    rgb = to_rgb(image)
    ink = np.full_like(rgb, 255)
    x0, y0, x1, y1 = (to_px(v, dpi) for v in layout.signature_box)
    radius = to_px(rng.uniform(52, 60), dpi)
    cx = x0 + (x1 - x0) // 3 + int(rng.integers(-radius // 4, radius // 4))
    cy = (y0 + y1) // 2 + int(rng.integers(-radius // 5, radius // 5))
    red = (int(rng.integers(200, 235)), int(rng.integers(20, 70)), int(rng.integers(30, 80)))
    thick = max(2, dpi // 60)
    cv2.circle(ink, (cx, cy), radius, red, thick, cv2.LINE_AA)
    cv2.circle(ink, (cx, cy), int(radius * 0.93), red, max(1, thick // 2), cv2.LINE_AA)
    cv2.circle(ink, (cx, cy), int(radius * 0.62), red, max(1, thick // 2), cv2.LINE_AA)
    star = [(cx + int(radius * 0.25 * math.cos(math.radians(90 + 144 * k))),
             cy - int(radius * 0.25 * math.sin(math.radians(90 + 144 * k)))) for k in range(5)]
    cv2.fillPoly(ink, [np.array(star, np.int32)], red)
    # Letters around the ring: short strokes stand in for the seal's lettering.
    for k in range(36):
        angle = math.radians(k * 10 + float(rng.uniform(-2, 2)))
        r0, r1 = radius * 0.70, radius * 0.86
        p0 = (int(cx + r0 * math.cos(angle)), int(cy + r0 * math.sin(angle)))
        p1 = (int(cx + r1 * math.cos(angle + 0.05)), int(cy + r1 * math.sin(angle + 0.05)))
        cv2.line(ink, p0, p1, red, max(1, thick // 2), cv2.LINE_AA)
    ink = blur(ink, 1.0)
    return multiply(rgb, ink)


def blue_signature(image: np.ndarray, layout: PageLayout, dpi: int, rng: np.random.Generator) -> np.ndarray:
    """A pen scribble in blue ink across the signature space."""
    rgb = to_rgb(image)
    ink = np.full_like(rgb, 255)
    x0, y0, x1, y1 = (to_px(v, dpi) for v in layout.signature_box)
    blue = (int(rng.integers(20, 60)), int(rng.integers(40, 90)), int(rng.integers(160, 220)))
    t = np.linspace(0, 1, 400)
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * 0.35, (y1 - y0) * 0.25
    freq = rng.uniform(2.5, 4.5)
    xs = cx - w + 2 * w * t
    ys = cy + h * np.sin(2 * math.pi * freq * t) * (1 - t) + h * 0.6 * np.sin(9 * t)
    pts = np.stack([xs, ys], axis=1).astype(np.int32)
    cv2.polylines(ink, [pts], False, blue, max(2, dpi // 100), cv2.LINE_AA)
    return multiply(rgb, blur(ink, 0.7))


def perspective(image: np.ndarray, rng: np.random.Generator, strength: float) -> np.ndarray:
    """Photograph the page from slightly off-axis, on a darker desk."""
    h, w = image.shape[:2]
    pad = int(0.06 * max(h, w))
    desk = np.full((h + 2 * pad, w + 2 * pad, 3), (92, 78, 64), np.uint8)
    desk = noise(desk, 6, rng)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = lambda: float(rng.uniform(0, strength)) * w  # noqa: E731 (tiny local helper)
    dst = np.float32([[pad + jitter(), pad + jitter()], [pad + w - jitter(), pad + jitter()],
                      [pad + w - jitter(), pad + h - jitter()], [pad + jitter(), pad + h - jitter()]])
    m = cv2.getPerspectiveTransform(src, dst)
    page = cv2.warpPerspective(to_rgb(image), m, (desk.shape[1], desk.shape[0]),
                               flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, (desk.shape[1], desk.shape[0]))
    desk[mask > 0] = page[mask > 0]
    return desk


def colour_cast(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Warm indoor light: blue channel down, red up a little."""
    gains = np.array([rng.uniform(1.0, 1.04), rng.uniform(0.94, 0.99), rng.uniform(0.80, 0.90)])
    return np.clip(image * gains, 0, 255).astype(np.uint8)


def apply(kind: str, image: np.ndarray, layout: PageLayout, rng: random.Random) -> Scan:
    """Degrade a clean 300 DPI greyscale page by one of the intake kinds in DEGRADATIONS."""
    g = np.random.default_rng(rng.randrange(2**32))
    if kind == "clean":
        return Scan(image, 300)
    if kind == "mild":
        skew = rng.uniform(-1.0, 1.0)
        return Scan(noise(blur(rotate(image, skew), 0.6), 5, g), 300, skew=skew)
    if kind == "skewed":
        skew = rng.choice([-1, 1]) * rng.uniform(2.0, 5.0)
        return Scan(noise(rotate(image, skew), 6, g), 300, skew=skew)
    if kind == "noisy":
        skew = rng.uniform(-1.5, 1.5)
        page = contrast(rotate(image, skew), ink=int(g.integers(50, 90)), paper=int(g.integers(175, 205)))
        page = shading(noise(blur(page, 0.9), 14, g), 0.25, g)
        return Scan(dark_border(page, g, 90), 300, skew=skew)
    if kind == "lowres":
        skew = rng.uniform(-2.0, 2.0)
        page = noise(resample(blur(rotate(image, skew), 0.8), 200 / 300), 8, g)
        return Scan(page, 200, skew=skew)
    if kind == "rotated":
        turn = rng.choice([90, 180, 270])
        skew = rng.uniform(-0.8, 0.8)
        return Scan(quarter_turn(noise(rotate(image, skew), 4, g), turn), 300, rotation=turn, skew=skew)
    if kind == "fax":
        skew = rng.uniform(-1.0, 1.0)
        page = resample(rotate(image, skew), 200 / 300)
        page = np.where(noise(page, 25, g) < 150, 0, 255).astype(np.uint8)
        return Scan(speckle(page, g, 0.0015), 200, skew=skew, bilevel=True)
    if kind == "sealed":
        skew = rng.uniform(-1.0, 1.0)
        page = blue_signature(red_seal(image, layout, 300, g), layout, 300, g)
        return Scan(noise(rotate(page, skew), 4, g), 300, skew=skew)
    if kind == "phone":
        page = red_seal(image, layout, 300, g) if rng.random() < 0.5 else to_rgb(image)
        page = perspective(page, g, 0.035)
        page = colour_cast(shading(page, 0.35, g), g)
        return Scan(noise(blur(page, 1.0), 5, g), None)
    raise ValueError(f"unknown degradation {kind!r}")


DEGRADATIONS = ["clean", "mild", "skewed", "noisy", "lowres", "rotated", "fax", "sealed", "phone"]
# The rows of the accuracy table and the degradations in each.
GROUPS = {"clean and mild": ["clean", "mild"], "skewed/noisy/200 DPI": ["skewed", "noisy", "lowres"],
          "rotated": ["rotated"], "fax-like": ["fax"], "sealed and signed": ["sealed"], "phone photo": ["phone"]}
