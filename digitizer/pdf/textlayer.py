"""The invisible text over a page image, as a PDF content stream.

Like Tesseract's own PDF renderer, it uses a glyphless font whose every character is
500/1000 em wide and whose ToUnicode map is the identity, so any Unicode text (NFC
Vietnamese included) is written as its code points and stretched with Tz to the width
of the word's box. Viewers select, search and copy it; nothing is drawn (render mode 3).
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from ..model import Word

GLYPH_WIDTH = 0.5                   # em; the /DW of the descendant font below
FONT_FILE = Path(__file__).with_name("glyphless.ttf")   # Tesseract's pdf.ttf (Apache-2.0)

TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def _hex(text: str) -> str:
    # Characters outside the Basic Multilingual Plane have no single 2-byte code here.
    return "".join(f"{ord(c):04X}" if ord(c) <= 0xFFFF else "FFFD" for c in text)


def content_stream(words: list[Word], px_to_pt: float, page_height_pt: float, font: str) -> bytes:
    """BT … ET drawing each word invisibly at its box; one baseline per Tesseract line."""
    ops = ["BT", "3 Tr"]
    for _, group in groupby(words, key=lambda w: w.line):
        line = list(group)
        top = min(w.top for w in line) * px_to_pt
        bottom = max(w.top + w.height for w in line) * px_to_pt
        size = max(bottom - top, 1.0)
        baseline = page_height_pt - bottom + size * 0.2
        ops.append(f"/{font} {size:.2f} Tf")
        for i, word in enumerate(line):
            text = word.text if i == len(line) - 1 else word.text + " "
            x0 = word.left * px_to_pt
            # The trailing space reaches to the next word, so copied text keeps its spaces.
            x1 = (line[i + 1].left if i + 1 < len(line) else word.left + word.width) * px_to_pt
            natural = len(text) * GLYPH_WIDTH * size
            stretch = max(1.0, (x1 - x0)) / natural * 100
            ops.append(f"1 0 0 1 {x0:.2f} {baseline:.2f} Tm {stretch:.2f} Tz <{_hex(text)}> Tj")
    ops.append("ET")
    return ("\n".join(ops) + "\n").encode("ascii")
