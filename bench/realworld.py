"""Real scans: digitizer vs raw Tesseract vs OCRmyPDF on the transcribed pages of a folder.

    python bench/realworld.py [--set ../shared/realworld] [--jobs 2] [--runs 1] [--no-ocrmypdf]

The set is a folder with `truth.jsonl` (one line per file: `file`, `text` per page, NFC; null
where a page was not transcribed; `fields`) and the files it names. Scored as the project's
hidden evaluation does: NFC, whitespace collapsed, Levenshtein distance over the truth's
length, per page. Reading order counts (a two-column header must come left then right).

digitizer's text per page is the record's `text` (pages split at form feeds) and, beside it,
`pdftotext` of its searchable PDF. Raw Tesseract reads each image file as it is, and each PDF
page rendered by poppler at 300 DPI. OCRmyPDF runs with `--force-ocr --rotate-pages --deskew`.
Besides CER: pages digitizer turned (all pages of the set are upright), and key fields.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pymupdf
from common import (BASELINE_ENV, ROOT, add_settings_option, median, run_digitizer, run_parallel, settings_of,
                    tesseract_text)
from digitizer.extract.tones import key
from digitizer.extract.vocabulary import expand_bodies
from digitizer.storage.index import LOW_CONFIDENCE
from rapidfuzz.distance import Levenshtein

DEFAULT_SET = ROOT.parent / "shared" / "realworld"
FIELDS = ["doc_type", "doc_number", "issue_date", "place", "issuer", "subject", "signer", "person_name", "birth_date",
          "id_number"]


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def page_cer(truth: str, output: str) -> float:
    truth, output = normalize(truth), normalize(output)
    if not truth:
        return float(bool(output))
    return Levenshtein.distance(truth, output) / len(truth)


@dataclass
class Entry:
    file: Path
    pages: list[str | None]
    fields: dict[str, str]
    conditions: str
    kind: str
    hand: dict[str, str]                  # values written by hand (field -> value), with their boxes
    hand_boxes: dict[str, list[float]]


def load_set(folder: Path) -> list[Entry]:
    entries = []
    for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            entries.append(Entry(folder / row["file"], row["text"], row.get("fields", {}), row.get("conditions", ""),
                                 row.get("kind", "letter"), row.get("hand", {}), row.get("hand_boxes", {})))
    return entries


def pdf_pages_text(pdf: Path, count: int) -> list[str]:
    return [subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True).stdout for n in range(1, count + 1)]


def raw_tesseract(entries: list[Entry], jobs: int, work: Path) -> tuple[dict[str, list[str]], float]:
    """Per file, per page: raw `tesseract IMG - -l vie` (PDF pages rendered at 300 DPI, untimed)."""
    work.mkdir(parents=True, exist_ok=True)
    images: dict[str, list[Path]] = {}
    for entry in entries:
        if entry.file.suffix.lower() == ".pdf":
            stem = work / entry.file.stem
            subprocess.run(["pdftoppm", "-r", "300", "-png", str(entry.file), str(stem)], check=True)
            images[entry.file.name] = sorted(work.glob(entry.file.stem + "-*.png"))
        else:
            images[entry.file.name] = [entry.file]
    flat = [image for paths in images.values() for image in paths]
    run = run_parallel(jobs, flat, tesseract_text)
    return {name: [run.texts.get(p.name, "") for p in paths] for name, paths in images.items()}, run.seconds


def ocrmypdf(entries: list[Entry], jobs: int, work: Path) -> tuple[dict[str, list[str]], float] | None:
    if shutil.which("ocrmypdf") is None:
        return None
    work.mkdir(parents=True, exist_ok=True)
    out: dict[str, list[str]] = {}
    count = {e.file.name: len(e.pages) for e in entries}

    def one(path: Path) -> str:
        target = work / (path.stem + ".ocrmypdf.pdf")
        extra = [] if path.suffix.lower() == ".pdf" else ["--image-dpi", "300"]
        subprocess.run(["ocrmypdf", "-q", "-l", "vie", "--force-ocr", "--rotate-pages", "--deskew", "--jobs", "1",
                        *extra, str(path), str(target)], capture_output=True, check=True, env=BASELINE_ENV)
        out[path.name] = pdf_pages_text(target, count[path.name])
        return ""

    run = run_parallel(jobs, [e.file for e in entries], one)
    for name in count:
        out.setdefault(name, [""] * count[name])
    return out, run.seconds


def stored_pdf(data: Path, record: dict) -> Path:
    return data / "store" / record["objects"]["pdf"]


def layer_words(pdf: Path, page: int) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The words of a page of the PDF's text layer, with their boxes in points from the top left."""
    with pymupdf.open(pdf) as document:
        return [(w[4], (w[0], w[1], w[2], w[3])) for w in document[page - 1].get_text("words")]


def digitizer(entries: list[Entry], jobs: int, work: Path, settings: dict[str, str]) -> tuple[
        dict[str, list[str]], dict[str, list[str]], dict[str, dict], float]:
    """(record text per page, pdftotext per page, records, seconds)."""
    run, records = run_digitizer([e.file for e in entries], jobs, work / "data", settings)
    by_name = {r["source"]["name"]: r for r in records}
    texts, pdf_texts = {}, {}
    for entry in entries:
        record = by_name.get(entry.file.name)
        n = len(entry.pages)
        if record is None or record["status"] != "done":
            texts[entry.file.name] = pdf_texts[entry.file.name] = [""] * n
            continue
        texts[entry.file.name] = (record["text"].split("\f") + [""] * n)[:n]
        pdf_texts[entry.file.name] = pdf_pages_text(stored_pdf(work / "data", record), n)
    return texts, pdf_texts, by_name, run.seconds


def _reading(text: str) -> str:
    """A person's reading, compared as the README says (case-insensitive), and also: tone
    marks wherever placed (hoà = hòa), UBND/HĐND spelled out, a parenthesised note dropped."""
    text = re.sub(r"\s*\([^)]*\)\s*$", "", normalize(text))
    text = expand_bodies(text)
    return " ".join(f"{k[0]}{k[1]}" if k[1] else k[0] for k in map(key, text.split()))


def same_field(truth: str, got: str | None) -> bool:
    return got is not None and _reading(truth) == _reading(got)


def overlap(a: list[float], b: list[float]) -> float:
    """The share of box b that box a covers."""
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    return width * height / max(1e-6, (b[2] - b[0]) * (b[3] - b[1]))


def handwritten_report(entries: list[Entry], records: dict[str, dict], layers: dict[str, list[str]],
                       data: Path) -> None:
    """Each value written by hand: read right, or handed to a person with the crop of its
    writing (a `hand` field whose box covers most of it); and whether any of it reached the
    text (its words of three letters or more found in the record's text or the PDF layer,
    `layers` per file, more often than in the truth), or anything read from it (the characters
    of the PDF layer's words whose middle lies in the writing's box; `data`: digitizer's)."""
    values = [(e, name, value) for e in entries for name, value in e.hand.items()]
    if not values:
        return
    right = cropped = 0
    misses: list[str] = []
    leaks: list[str] = []
    for entry, name, value in values:
        field = records.get(entry.file.name, {}).get("fields", {}).get(name) or {}
        doubtful = bool(field.get("hand")) or field.get("confidence", 1.0) < LOW_CONFIDENCE
        is_right = same_field(value, field.get("value"))
        is_cropped = doubtful and overlap(field.get("bbox") or [0, 0, 0, 0], entry.hand_boxes[name]) >= 0.7
        right += is_right
        cropped += is_cropped and not is_right
        if not (is_right or is_cropped):
            misses.append(f"{entry.file.name}:{name}")
        words = [w for w in re.findall(r"\w{3,}", value) if not w.isdigit() or len(w) >= 4]
        truth = " ".join(p or "" for p in entry.pages)
        # more often than the truth has it: a place name may share a word with a person's
        if any(layer.count(w) > truth.count(w) for layer in layers[entry.file.name] for w in words):
            leaks.append(f"{entry.file.name}:{name}")
    over: dict[str, int] = {}
    for entry in entries:
        record = records.get(entry.file.name, {})
        if not entry.hand_boxes or record.get("status") != "done":
            continue
        for text, (x0, y0, x1, y1) in layer_words(stored_pdf(data, record), 1):
            x, y = (x0 + x1) / 2, (y0 + y1) / 2
            if any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in entry.hand_boxes.values()):
                over[entry.file.name] = over.get(entry.file.name, 0) + len(text)
    print(f"\nhandwritten values: {len(values)}; read right {right}, on the review queue with their crop {cropped}, "
          f"neither {len(misses)} {misses}; reaching the text or the PDF layer {len(leaks)} {leaks}; "
          f"characters of the PDF layer over the writing {sum(over.values())} {over}")


def printed(name: str, conditions: str) -> bool:
    """Whether the truth's value is printed on the file: the set's `conditions` say where
    numbers and days were filled in by hand, and which file is a later page without a header."""
    if "page 2 of the same letter" in conditions:
        return name == "signer"
    filled = " ".join(re.findall(r"handwritten ([^;(]*)", conditions))
    if name == "doc_number":
        return "number" not in filled or "number typed" in conditions
    if name == "issue_date":
        return not re.search(r"day|date", filled)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="folder with truth.jsonl")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1, help="runs for the timing medians (accuracy is the same)")
    parser.add_argument("--no-ocrmypdf", action="store_true")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "realworld.json")
    add_settings_option(parser)
    args = parser.parse_args()
    settings = settings_of(args)

    entries = load_set(args.set)
    work = Path(tempfile.mkdtemp(prefix="bench-realworld-"))
    seconds: dict[str, list[float]] = {"digitizer": [], "tesseract": [], "ocrmypdf": []}
    engines: dict[str, dict[str, list[str]]] = {}
    records: dict[str, dict] = {}
    for run in range(args.runs):
        ours, ours_pdf, records, secs = digitizer(entries, args.jobs, work / f"d{run}", settings)
        engines["digitizer"], engines["digitizer (pdftotext)"] = ours, ours_pdf
        seconds["digitizer"].append(secs)
        raw, secs = raw_tesseract(entries, args.jobs, work / f"t{run}")
        engines["tesseract"] = raw
        seconds["tesseract"].append(secs)
        if not args.no_ocrmypdf:
            result = ocrmypdf(entries, args.jobs, work / f"o{run}")
            if result is not None:
                engines["ocrmypdf"] = result[0]
                seconds["ocrmypdf"].append(result[1])

    names = list(engines)
    rows, totals = [], {n: [0.0, 0] for n in names}
    turned, blank_chars = [], {n: 0 for n in names}
    for entry in entries:
        record = records.get(entry.file.name, {})
        for number, truth in enumerate(entry.pages, 1):
            facts = (record.get("pages") or [{}] * number)[number - 1] if record.get("pages") else {}
            if facts.get("rotated"):
                turned.append(f"{entry.file.name} p{number} ({facts['rotated']}°)")
            if truth is None:
                continue
            if not normalize(truth):
                for n in names:
                    blank_chars[n] += len(normalize(engines[n][entry.file.name][number - 1]))
                continue
            row = {"page": f"{entry.file.name} p{number}", "kind": entry.kind, "chars": len(normalize(truth)),
                   "ocr": facts.get("ocr", "-"), "rotated": facts.get("rotated", 0)}
            for n in names:
                value = page_cer(truth, engines[n][entry.file.name][number - 1])
                row[n] = value
                totals[n][0] += value * row["chars"]
                totals[n][1] += row["chars"]
            rows.append(row)

    print(f"{len(rows)} transcribed pages of {len(entries)} files in {args.set}, {args.jobs} processes\n")
    print("| page | chars | " + " | ".join(names) + " |")
    print("|---|---:|" + "---:|" * len(names))
    for row in rows:
        print(f"| {row['page']} | {row['chars']} | " + " | ".join(f"{100 * row[n]:.1f}%" for n in names) + " |")
    overall = {n: totals[n][0] / max(totals[n][1], 1) for n in names}
    means = {n: sum(r[n] for r in rows) / max(len(rows), 1) for n in names}
    print("| **all pages (characters)** | " + f"{sum(r['chars'] for r in rows)} | " +
          " | ".join(f"**{100 * overall[n]:.1f}%**" for n in names) + " |")
    print("| mean of pages | | " + " | ".join(f"{100 * means[n]:.1f}%" for n in names) + " |")
    by_kind = {kind: [r for r in rows if r["kind"] == kind] for kind in dict.fromkeys(r["kind"] for r in rows)}
    for kind, kind_rows in by_kind.items():
        chars = sum(r["chars"] for r in kind_rows)
        print(f"| {kind} pages (characters) | {chars} | "
              + " | ".join(f"{100 * sum(r[n] * r['chars'] for r in kind_rows) / chars:.1f}%" for n in names) + " |")
    worse = [r["page"] for r in rows if r["digitizer"] > r["tesseract"] + 0.02]
    print(f"\npages worse than raw Tesseract by more than 2 points: {len(worse)} {worse}")
    print(f"upright pages turned by digitizer: {len(turned)} {turned}")
    layers = ("digitizer", "digitizer (pdftotext)")
    handwritten_report(entries, records, {name: [" ".join(engines[layer][name]) for layer in layers]
                                          for name in engines["digitizer"]}, work / f"d{args.runs - 1}" / "data")
    print("characters output on blank pages: " + ", ".join(f"{n} {blank_chars[n]}" for n in names))

    print("\n| field | right where printed | right of all |")
    print("|---|---:|---:|")
    field_rows = []
    for name in FIELDS:
        right = total = right_printed = total_printed = 0
        for entry in entries:
            if name not in entry.fields:
                continue
            record = records.get(entry.file.name, {})
            got = (record.get("doc_type") or {}).get("value") if name == "doc_type" else \
                (record.get("fields", {}).get(name) or {}).get("value")
            total += 1
            ok = same_field(entry.fields[name], got)
            right += ok
            on_page = printed(name, entry.conditions)
            total_printed += on_page
            right_printed += ok and on_page
            field_rows.append({"file": entry.file.name, "field": name, "truth": entry.fields[name], "got": got,
                               "right": ok, "printed": on_page})
        print(f"| {name} | {right_printed}/{total_printed} | {right}/{total} |")
    print("\n| engine | median seconds |\n|---|---:|")
    for n, values in seconds.items():
        if values:
            print(f"| {n} | {median(values):.1f} |")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"pages": rows, "overall": overall, "mean": means, "turned": turned,
                                     "fields": field_rows, "seconds": seconds}, ensure_ascii=False, indent=1))
    print(f"\nper-page results: {args.json}\nfiles kept in {work}")


if __name__ == "__main__":
    main()
