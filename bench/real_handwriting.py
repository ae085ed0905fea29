"""Forms filled in by a real hand: what digitizer does with handwriting it was not made on.

    python bench/real_handwriting.py UIT_HWDB_GIT_DIR OUT [--forms 8] [--seed 0] [--asterocr]
    python bench/realworld.py --set OUT --no-ocrmypdf

The generated forms (`samples/kinds.py`, kind "form") are filled in with a font bent by hand.
This script fills the same forms with crops of real Vietnamese handwriting: the sample lines
and words that the UIT-HWDB collection publishes in its repository (github.com/hieunghia-pat/
UIT-HWDB-dataset, `images/lines`, `images/words`; the full collection is on Google Drive). Each
line is cut at the gaps between words into pieces the size of a form's value; `PIECES` holds
where, and what a person reads there (transcribed for this script: the collection's own labels
are not published with the samples). The pieces are scaled to the size a hand writes on the
form (their letters' height against the form's type), and inked in blue or grey.

OUT is a transcribed set in the layout of `../shared/realworld/` (kind "form", with `hand` and
`hand_boxes`), so `bench/realworld.py --set OUT` reports, against raw Tesseract in the same run,
the printed text, and for each handwritten value whether it was read right or handed to a
person with the crop of its writing, and whether any of it reached the text or the PDF layer.

`--asterocr` also reads every piece with AsterOCR (PyPI `asterocr`, an ONNX line recognizer for
Vietnamese whose weights ship in its package; installed by hand, it is not a dependency) and
with Tesseract, and prints the character error rate of each against the transcription: whether
a recognizer could fill the values in for the clerk. The images stay outside the repository.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import time
import unicodedata
from itertools import cycle
from pathlib import Path

import common  # noqa: F401  (puts the repository's samples on the path)
import numpy as np
from PIL import Image
from rapidfuzz.distance import Levenshtein
from samples.kinds import form_written_by, truth_row

COMMIT = "88a38b9"
INK = 40                    # this much darker than the paper is ink
# A hand's letters without ascenders stand this many times the form's type size tall (a printed
# x-height is 0.45 of it): 2.5-4.3 mm at the form's 36-45 px type, 200 DPI.
WRITTEN_X_HEIGHT = (0.55, 0.75)
MAX_HEIGHT = 100            # pixels of the form: a value's writing keeps off the next row but one

# (image in the repository, left and right edge in its pixels, what is written there)
PIECES = [
    ("images/lines/1.png", 17, 480, "khoảng hơn hai tuần"),
    ("images/lines/1.png", 480, 1042, "nay do công ty chi nhánh"),
    ("images/lines/1.png", 1042, 1453, "Bạch Đằng thi công"),
    ("images/lines/1.png", 1453, 2031, "đã gây ra rất nhiều phiền"),
    ("images/lines/2.png", 14, 490, "trong ít phút, lượng"),
    ("images/lines/2.png", 490, 982, "tiền cược trên sàn đã"),
    ("images/lines/2.png", 982, 1479, "lên tới vài chục triệu"),
    ("images/lines/2.png", 1479, 2034, "đồng. Đã hết hồ thì sấn"),
    ("images/lines/3.png", 16, 423, "mau. Hoặc"),
    ("images/lines/3.png", 423, 1095, "những ca sản phụ"),
    ("images/lines/3.png", 1095, 1580, "khó sinh, trên"),
    ("images/lines/3.png", 1580, 2032, "đường đưa đến"),
    ("images/lines/4.png", 16, 534, "Gồm giai đoạn 1 và"),
    ("images/lines/4.png", 534, 948, "các tiểu dự án"),
    ("images/lines/4.png", 948, 1496, "mạng cấp nước cấp"),
    ("images/lines/4.png", 1496, 2032, "1, 2, 3. Hạn chót"),
    ("images/words/1.jpg", 0, 128, "khoảng"),
    ("images/words/2.jpg", 0, 128, "miền"),
    ("images/words/3.jpg", 0, 128, "Ngoại"),
]


def git_show(repo: Path, path: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), "show", f"{COMMIT}:{path}"], capture_output=True,
                          check=True).stdout


def pieces(repo: Path) -> list[tuple[np.ndarray, str]]:
    """Each piece as the scan holds it (grey), cut to its ink, and its text."""
    out = []
    for path, left, right, text in PIECES:
        grey = np.asarray(Image.open(io.BytesIO(git_show(repo, path))).convert("L"))[:, left:right]
        ink = grey < np.median(grey) - INK
        rows, cols = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
        out.append((grey[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1], unicodedata.normalize("NFC", text)))
    return out


def ink_mask(grey: np.ndarray, scale: float) -> np.ndarray:
    """The pen's ink as a mask (0..255), its pressure kept: the paper's grey at 0, the darkest
    stroke at 255; scaled to the form's resolution."""
    paper, dark = float(np.median(grey)), float(np.percentile(grey, 1))
    mask = np.clip((paper - grey.astype(np.float32)) * 255 / max(1.0, paper - dark), 0, 255).astype(np.uint8)
    image = Image.fromarray(mask)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return np.asarray(image.resize(size, Image.Resampling.LANCZOS))


def x_height(grey: np.ndarray) -> int:
    """The height of the letters without ascenders or descenders: the rows where the ink is at
    least half as dense as in the densest row."""
    density = (grey < np.median(grey) - INK).sum(axis=1)
    return max(1, int((density >= density.max() / 2).sum()))


class RealHand:
    """Fills a form's blanks with the pieces in turn from the `first`, each written a little
    larger or smaller."""

    def __init__(self, written: list[tuple[np.ndarray, str]], first: int) -> None:
        first %= len(written)
        self._next = cycle(written[first:] + written[:first])

    def __call__(self, value: str, size: int, rng: random.Random) -> tuple[np.ndarray, str]:
        grey, text = next(self._next)
        scale = min(size * rng.uniform(*WRITTEN_X_HEIGHT) / x_height(grey), MAX_HEIGHT / grey.shape[0])
        return ink_mask(grey, scale), text


def recognizers(written: list[tuple[np.ndarray, str]]) -> None:
    """Each piece read by AsterOCR and by Tesseract (one line, `--psm 7`), against its text."""
    from asterocr import AsterOCR          # installed by hand: see the docstring

    aster = AsterOCR()
    errors = {"asterocr": 0, "tesseract": 0}
    seconds = 0.0
    total = sum(len(text) for _, text in written)
    print("| piece | asterocr | tesseract |\n|---|---|---|")
    for grey, text in written:
        start = time.perf_counter()
        read = {"asterocr": aster.predict(Image.fromarray(grey).convert("RGB"))}
        seconds += time.perf_counter() - start
        png = io.BytesIO()
        Image.fromarray(grey).save(png, "PNG")
        read["tesseract"] = subprocess.run(["tesseract", "-", "-", "-l", "vie", "--psm", "7"], input=png.getvalue(),
                                           capture_output=True, check=True).stdout.decode("utf-8").strip()
        for name in read:
            read[name] = unicodedata.normalize("NFC", read[name])
            errors[name] += Levenshtein.distance(read[name], text)
        print(f"| {text} | {read['asterocr']} | {read['tesseract']} |")
    print(f"\ncharacter error rate over {len(written)} pieces ({total} characters): "
          + ", ".join(f"{name} {e / total:.1%}" for name, e in errors.items())
          + f"; AsterOCR {seconds / len(written) * 1000:.0f} ms a piece")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repo", type=Path, help="a git clone of hieunghia-pat/UIT-HWDB-dataset")
    parser.add_argument("out", type=Path)
    parser.add_argument("--forms", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--asterocr", action="store_true", help="also read the pieces with AsterOCR and Tesseract")
    args = parser.parse_args()
    written = pieces(args.repo)
    if args.asterocr:
        recognizers(written)
    hand = RealHand(written, first=args.seed)
    (args.out / "images").mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(args.forms):
        sample = form_written_by(hand, args.seed + i, f"form_uit_{args.seed + i:04d}.jpg",
                                 f"printed form filled in by a real hand (UIT-HWDB samples @{COMMIT}), 200 DPI scan")
        (args.out / "images" / sample.name).write_bytes(sample.data)
        rows.append({**truth_row(sample), "file": f"images/{sample.name}"})
    with open(args.out / "truth.jsonl", "w", encoding="utf-8") as out:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    print(f"{len(rows)} forms, {sum(len(r['hand']) for r in rows)} handwritten values, in {args.out}")


if __name__ == "__main__":
    main()
