"""Place a DocumentSpec on an A4 page (Decree 30/2020 layout), in points.

The layout is resolution-free so the same page can be drawn as a raster scan
(`render.py`) or as a born-digital PDF with a real text layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from .content import DocumentSpec, Line

A4_PT = (595.28, 841.89)
MM = 72 / 25.4
LEFT, RIGHT, TOP = 30 * MM, 15 * MM, 20 * MM
_MEASURE_SCALE = 8  # measure glyphs at 8 px per point for sub-point precision

FAMILIES = {
    "tinos": "/usr/share/fonts/truetype/croscore/Tinos-{}.ttf",
    "liberation": "/usr/share/fonts/truetype/liberation2/LiberationSerif-{}.ttf",
    "noto": "/usr/share/fonts/truetype/noto/NotoSerif-{}.ttf",
}
_STYLE_FILE = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "BoldItalic"}


def font_path(family: str, style: str) -> str:
    path = FAMILIES[family].format(_STYLE_FILE[style])
    if not Path(path).exists():
        raise FileNotFoundError(f"font {path} is missing: run `make deps` to install the sample fonts")
    return path


@lru_cache(maxsize=64)
def pil_font(path: str, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size_px)


def text_width_pt(text: str, path: str, size_pt: float) -> float:
    font = pil_font(path, round(size_pt * _MEASURE_SCALE))
    return font.getlength(text) / _MEASURE_SCALE


@dataclass(frozen=True)
class Run:
    """One line of text at a baseline position, in points from the top-left corner."""
    text: str
    x: float
    baseline: float
    size_pt: float
    font: str          # path of the TrueType file
    underline: bool = False


@dataclass
class PageLayout:
    width_pt: float
    height_pt: float
    runs: list[Run]
    signature_box: tuple[float, float, float, float]   # where the signer signs and stamps


def _place(lines: list[Line], family: str, x0: float, x1: float, y: float,
           leading: float = 1.35) -> tuple[list[Run], float]:
    """Set lines between x0 and x1 starting with the top of the first line at y; wrap long ones."""
    runs: list[Run] = []
    for line in lines:
        path = font_path(family, line.style)
        for i, piece in enumerate(_wrap(line, path, x1 - x0)):
            indent = line.indent_pt if i == 0 else 0.0
            width = text_width_pt(piece, path, line.size_pt)
            if line.align == "center":
                x = (x0 + x1 - width) / 2
            elif line.align == "right":
                x = x1 - width
            else:
                x = x0 + indent
            y += line.size_pt * leading
            runs.append(Run(piece, x, y, line.size_pt, path, line.underline))
    return runs, y


def _wrap(line: Line, path: str, width: float) -> list[str]:
    words, out, current = line.text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        avail = width - (line.indent_pt if not out else 0.0)
        if current and text_width_pt(trial, path, line.size_pt) > avail:
            out.append(current)
            current = word
        else:
            current = trial
    if current:
        out.append(current)
    return out


def layout(spec: DocumentSpec, family: str = "tinos") -> PageLayout:
    width, height = A4_PT
    text_x0, text_x1 = LEFT, width - RIGHT
    split = text_x0 + (text_x1 - text_x0) * spec.header_split
    left, y_left = _place(spec.header_left, family, text_x0 - 20, split, TOP)
    right, y_right = _place(spec.header_right, family, split, text_x1 + 10, TOP)
    y = max(y_left, y_right) + 26
    title, y = _place(spec.title, family, text_x0, text_x1, y)
    body, y = _place(spec.body, family, text_x0, text_x1, y + spec.body_gap_pt, leading=1.5)
    sig_x0 = text_x0 + (text_x1 - text_x0) * 0.45
    sig_head, y_sig = _place(spec.signature[:-1], family, sig_x0, text_x1, y + 16)
    sign_space = 78.0
    name, _ = _place(spec.signature[-1:], family, sig_x0, text_x1, y_sig + sign_space)
    recipients, _ = _place(spec.signature_left, family, text_x0, sig_x0 - 10, y + 16)
    box = (sig_x0, y_sig - 10, text_x1, y_sig + sign_space + 20)
    return PageLayout(width, height, left + right + title + body + sig_head + name + recipients, box)


def ground_truth_lines(page: PageLayout) -> list[str]:
    return [run.text for run in page.runs]
