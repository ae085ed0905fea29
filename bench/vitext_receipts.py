"""A wider development set of receipts, made from the viText collection's labelled scans.

    python bench/vitext_receipts.py VITEXT_GIT_DIR OUT [--commit 819c604]
    python bench/realworld.py --set OUT --no-ocrmypdf --json bench/out/receipts.json

viText (github.com/ndcuong91/viText, `viData/viReceipts/split/label/normal`) labels every word
box of 32 scanned shop receipts with its text. The script writes OUT in the layout of
`../shared/realworld/` (`images/`, `truth.jsonl` with `kind: receipt`): a page's truth is its
labelled words, grouped into lines by their vertical overlap and read left to right. Boxes
labelled empty (handwriting, logos, marks) are left out, as the development set leaves them out.

The labels are the collection's, not a careful transcription: a word is sometimes missing or
misspelt, and lines of a skewed receipt can be grouped wrongly. Both engines are scored on the
same truth in the same run, so the comparison holds; the absolute numbers are rougher than the
development set's. The images stay outside the repository (they carry no licence).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

LABELS = "viText/viData/viReceipts/split/label/normal"


@dataclass
class Box:
    left: int
    top: int
    right: int
    bottom: int
    text: str

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def parse_boxes(label: str) -> list[Box]:
    """ICDAR lines `x1,y1,...,x4,y4,text`; the text may itself hold commas."""
    boxes = []
    for line in label.splitlines():
        parts = line.split(",", 8)
        if len(parts) < 9 or not parts[8].strip():
            continue
        xs, ys = [int(v) for v in parts[0:8:2]], [int(v) for v in parts[1:8:2]]
        boxes.append(Box(min(xs), min(ys), max(xs), max(ys), unicodedata.normalize("NFC", parts[8].strip())))
    return boxes


def lines_of(boxes: list[Box]) -> list[str]:
    """Words into lines: a word joins the line whose vertical span holds its middle."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.middle):
        for line in lines:
            top, bottom = min(b.top for b in line), max(b.bottom for b in line)
            if top <= box.middle <= bottom and box.bottom - box.top < 2.5 * (bottom - top):
                line.append(box)
                break
        else:
            lines.append([box])
    lines.sort(key=lambda line: sum(b.middle for b in line) / len(line))
    return [" ".join(b.text for b in sorted(line, key=lambda b: b.left)) for line in lines]


def git_show(repo: Path, commit: str, path: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), "show", f"{commit}:{path}"], capture_output=True, check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repo", type=Path, help="a git clone of ndcuong91/viText")
    parser.add_argument("out", type=Path)
    parser.add_argument("--commit", default="819c604", help="the revision whose labels are read")
    args = parser.parse_args()
    names = subprocess.run(["git", "-C", str(args.repo), "ls-tree", "--name-only", args.commit, LABELS + "/"],
                           capture_output=True, text=True, check=True).stdout.split()
    (args.out / "images").mkdir(parents=True, exist_ok=True)
    rows = []
    for label in sorted(n for n in names if n.endswith(".txt")):
        stem = Path(label).stem
        image = args.out / "images" / f"receipt_vitext_{stem}.jpg"
        image.write_bytes(git_show(args.repo, args.commit, f"{LABELS}/{stem}.jpg"))
        text = "\n".join(lines_of(parse_boxes(git_show(args.repo, args.commit, label).decode("utf-8"))))
        rows.append({"file": f"images/{image.name}", "pages": 1, "text": [text], "kind": "receipt",
                     "source": f"ndcuong91/viText:{label[:-4]}.jpg@{args.commit}",
                     "truth_origin": "viText word labels grouped into lines"})
    with open(args.out / "truth.jsonl", "w", encoding="utf-8") as out:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    print(f"{len(rows)} receipts in {args.out}")


if __name__ == "__main__":
    main()
