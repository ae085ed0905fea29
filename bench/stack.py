"""Stacks from the sheet feeder: which barcode reader finds the sheets and slips, and a whole
stack through the watched folder.

    python bench/stack.py [--documents 20] [--dossiers 5] [--runs 3] [--set ../shared/realworld]

Readers: each reads the same pages (separator and dossier sheets, and reception slips with a
22 mm QR code, under every degradation a feeder or a phone gives), and the real scans of the
set, which carry no code (what a reader finds there is a false read); the median time per page.
Stacks: a generated stack of N documents from M dossiers, duplex with blank backs, once with
dossier and separator sheets and once with only the reception slips, is dropped into the inbox
of a running `digitizer watch` (2 workers) and scored from the store: documents with the right
pages in the right dossier, blank pages kept, pages of the original not accounted for. The
cost of splitting is the split step (codes, the blank test, the plan) over all the steps the
stack's pages took, from its record; raw `tesseract` on the pages of the first stack of each kind gives the scale.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable

import cv2
import numpy as np
import zxingcpp
from common import ROOT, run_parallel, tesseract_text
from service import start_watch, stop_watch, wait_until

from digitizer.config import LimitSettings
from digitizer.intake import load_pages
from digitizer.stack.blank import is_blank
from digitizer.stack.codes import probe_image, read_codes
from samples.degrade import apply
from samples.layout import layout
from samples.render import rasterize
from samples.stack import EMPTY, make, sheet_image, stack, with_qr

DEGRADATIONS = ["clean", "mild", "skewed", "noisy", "lowres", "rotated", "fax", "phone"]
Reader = Callable[[np.ndarray, float], list[str]]


def _grey(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def _at(image: np.ndarray, dpi: float, target: float) -> np.ndarray:
    f = min(1.0, target / dpi)
    return cv2.resize(_grey(image), None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else _grey(image)


def _opencv(detector: cv2.QRCodeDetector, target: float) -> Reader:
    def read(image: np.ndarray, dpi: float) -> list[str]:
        ok, texts, _, _ = detector.detectAndDecodeMulti(_at(image, dpi, target))
        return [t for t in texts if t] if ok else []
    return read


READERS: dict[str, Reader] = {
    "zxing-cpp, 150 DPI (digitizer)": lambda image, dpi: [c.text for c in read_codes(*probe_image(image, dpi))],
    "zxing-cpp, as scanned": lambda image, dpi: [b.text for b in zxingcpp.read_barcodes(_grey(image))],
    "OpenCV QRCodeDetector, 150 DPI": _opencv(cv2.QRCodeDetector(), 150),
    "OpenCV QRCodeDetector, as scanned": _opencv(cv2.QRCodeDetector(), 10_000),
    "OpenCV QRCodeDetectorAruco, 150 DPI": _opencv(cv2.QRCodeDetectorAruco(), 150),
}


def reader_cases(seeds: int) -> list[tuple[str, np.ndarray, float, str]]:
    """(group, image, dpi, the text that must be read)."""
    cases = []
    for seed in range(seeds):
        rng = random.Random(seed)
        slip = make("phieu_tiep_nhan" if seed % 2 else "bien_nhan", rng)
        page = layout(slip)
        slip_image = with_qr(rasterize(page), page, slip.fields["dossier_code"])
        for degradation in DEGRADATIONS:
            for kind, code in (("separator", None), ("dossier", slip.fields["dossier_code"])):
                scan = apply(degradation, sheet_image(kind, code), EMPTY, rng)
                want = "DIGITIZER:SEPARATOR" if code is None else f"DIGITIZER:DOSSIER:{code}"
                cases.append((f"sheet, {degradation}", scan.image, scan.dpi or 300, want))
            scan = apply(degradation, slip_image, page, rng)
            cases.append((f"slip QR, {degradation}", scan.image, scan.dpi or 300, slip.fields["dossier_code"]))
    return cases


def real_pages(folder: Path) -> list[tuple[np.ndarray, float]]:
    pages = []
    for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        _, loaded, _ = load_pages((folder / entry["file"]).read_bytes(), LimitSettings())
        pages += [(p.image, p.dpi) for p in loaded if p.image is not None]
    return pages


def _rate(hits: dict[str, list[bool]], prefix: str, suffix: str = "") -> str:
    got = [h for group, found in hits.items() if group.startswith(prefix) and group.endswith(suffix) for h in found]
    return f"{sum(got)}/{len(got)}"


def compare_readers(seeds: int, real: list[tuple[np.ndarray, float]]) -> None:
    cases = reader_cases(seeds)
    sheets = [c for c in cases if c[0].startswith("sheet")]
    slips = [c for c in cases if c[0].startswith("slip")]
    print(f"\n### Barcode readers: {len(sheets)} sheet pages, {len(slips)} slips with a QR code, "
          f"{len(real)} real pages without any\n")
    print("| reader | sheets read | slips read | 1-bit (fax) | phone photo | turned | false reads on real pages "
          "| median ms / page |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, reader in READERS.items():
        hits: dict[str, list[bool]] = {}
        times = []
        for group, image, dpi, want in cases:
            t0 = time.perf_counter()
            found = reader(image, dpi)
            times.append(time.perf_counter() - t0)
            hits.setdefault(group, []).append(want in found)
        false = 0
        for image, dpi in real:
            t0 = time.perf_counter()
            false += len(reader(image, dpi))
            times.append(time.perf_counter() - t0)
        print(f"| {name} | {_rate(hits, 'sheet')} | {_rate(hits, 'slip')} | {_rate(hits, '', 'fax')} | "
              f"{_rate(hits, '', 'phone')} | {_rate(hits, '', 'rotated')} | {false} | "
              f"{1000 * statistics.median(times):.0f} |")
    blank_real = sum(is_blank(*probe_image(image, dpi)) for image, dpi in real)
    print(f"\nReal pages taken for blank: {blank_real} of {len(real)}.")


def raw_seconds(scans: list, folder: Path) -> float:
    """Raw `tesseract` on every page of the stack, 2 processes (the pages written as PNG, not timed)."""
    folder.mkdir()
    paths = []
    for i, scan in enumerate(scans, 1):
        path = folder / f"page-{i:03d}.png"
        image = scan.image if scan.image.ndim == 2 else cv2.cvtColor(scan.image, cv2.COLOR_RGB2BGR)
        cv2.imwrite(str(path), image)
        paths.append(path)
    return run_parallel(2, paths, tesseract_text).seconds


def run_stack(documents: int, dossiers: int, seed: int, sheets: bool, baseline: bool) -> dict:
    s = stack(documents, dossiers, seed=seed, sheets=sheets)
    work = Path(tempfile.mkdtemp(prefix="bench-stack-"))
    inbox, data = work / "inbox", work / "data"
    inbox.mkdir()
    service = start_watch(inbox, data, 1.0)
    try:
        staging = work / s.name
        staging.write_bytes(s.data)
        staging.rename(inbox / s.name)
        seconds = wait_until(lambda: (data / "done").exists() and any((data / "done").rglob(s.name)), 3600, 0.5)
    finally:
        stop_watch(service)
    records = [json.loads(p.read_text(encoding="utf-8")) for p in (data / "store" / "records").rglob("*.json")]
    own = next(r for r in records if r["source"]["name"] == s.name and not r["source"].get("stack"))
    docs = [r for r in records if r["source"].get("stack")] if own["documents"] else [own]
    want = {(tuple(d["pages"]), d["dossier"]) for d in s.truth["documents"]}
    got = {(tuple(d["source"]["pages"] or ()), d["source"]["dossier"]) for d in docs}
    kept = {n for d in docs for n in d["source"]["pages"] or ()}
    accounted = kept | set(own["blank_pages"]) | {x["page"] for x in own["sheets"]}
    steps = own["pipeline"]["steps"]
    raw = raw_seconds(s.scans, work / "pages") if baseline else None
    shutil.rmtree(work, ignore_errors=True)
    return {"documents": len(docs), "right": len(want & got), "truth": len(want),
            "dossiers right": len({d for _, d in want & got}), "dossiers": dossiers,
            "blank kept": len(kept & set(s.truth["blank"])), "unaccounted": s.truth["pages"] - len(accounted),
            "pages": s.truth["pages"], "seconds": seconds, "raw": raw,
            "split share": steps["split"] / sum(steps.values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--dossiers", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3, help="stacks per mode (seeds 0..runs-1); medians")
    parser.add_argument("--seeds", type=int, default=3, help="pages per degradation for the readers")
    parser.add_argument("--set", type=Path, default=ROOT.parent / "shared" / "realworld")
    parser.add_argument("--readers-only", action="store_true")
    args = parser.parse_args()
    compare_readers(args.seeds, real_pages(args.set) if (args.set / "truth.jsonl").exists() else [])
    if args.readers_only:
        return
    print(f"\n### A stack of {args.documents} documents from {args.dossiers} dossiers, duplex, through the "
          f"watched folder (2 workers), {args.runs} stacks each, medians\n")
    print("| separated by | pages | documents right | dossiers right | blank pages kept | pages unaccounted "
          "| seconds | raw tesseract s (first stack) | split share of processing |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for sheets in (True, False):
        runs = [run_stack(args.documents, args.dossiers, seed, sheets, seed == 0) for seed in range(args.runs)]

        def med(key: str, runs: list[dict] = runs) -> float:
            return statistics.median(r[key] for r in runs)
        right = sum(r["right"] for r in runs)
        print(f"| {'dossier and separator sheets' if sheets else 'reception slips only'} | {med('pages'):.0f} | "
              f"{right}/{sum(r['truth'] for r in runs)} | {sum(r['dossiers right'] for r in runs)}/"
              f"{sum(r['dossiers'] for r in runs)} | {sum(r['blank kept'] for r in runs)} | "
              f"{sum(r['unaccounted'] for r in runs)} | {med('seconds'):.0f} | {runs[0]['raw']:.0f} | "
              f"{100 * med('split share'):.1f}% |", flush=True)


if __name__ == "__main__":
    main()
