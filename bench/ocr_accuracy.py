"""Accuracy per degradation: digitizer vs raw Tesseract vs OCRmyPDF, in one run.

    python bench/ocr_accuracy.py --count 45 [--jobs 2] [--no-ocrmypdf]

Character error rate (samples/score.py) of `pdftotext` of each engine's PDF (raw
Tesseract: its text output) against the generator's ground truth, per degradation group,
plus each engine's wall time on the same files with the same number of processes.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from common import ROOT, add_settings_option, run_digitizer, settings_of, run_ocrmypdf, run_tesseract, write_samples

from samples import GROUPS, corpus
from samples.score import line_errors

TARGETS = {"clean and mild": 0.003, "skewed/noisy/200 DPI": 0.015, "rotated": 0.003, "fax-like": 0.01,
           "sealed and signed": 0.01, "phone photo": 0.02}


def group_of(degradation: str) -> str:
    return next(g for g, members in GROUPS.items() if degradation in members)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=45)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-ocrmypdf", action="store_true")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "accuracy.json")
    add_settings_option(parser)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-accuracy-"))
    samples = corpus(args.count, args.seed)
    files = write_samples(samples, work / "in")
    truth = {s.name: s.truth for s in samples}

    engines = {"digitizer": run_digitizer(files, args.jobs, work / "data", settings_of(args))[0],
               "tesseract": run_tesseract(files, args.jobs)}
    if not args.no_ocrmypdf:
        run = run_ocrmypdf(files, args.jobs, work / "ocrmypdf")
        if run is not None:
            engines["ocrmypdf"] = run

    table: dict[str, dict[str, list[int]]] = {g: {e: [0, 0] for e in engines} for g in GROUPS}
    per_doc = []
    for name, t in truth.items():
        group = group_of(t["degradation"])
        row = {"name": name, "group": group}
        for engine, run in engines.items():
            lines = [line for page in t["lines"] for line in page]
            errors, total = line_errors(lines, run.texts.get(name, ""))
            table[group][engine][0] += errors
            table[group][engine][1] += total
            row[engine] = round(errors / total, 4)
        per_doc.append(row)

    names = list(engines)
    print(f"{len(files)} documents, {args.jobs} processes per engine\n")
    print("| group | docs | " + " | ".join(f"{n} CER" for n in names) + " | target |")
    print("|---|---:|" + "---:|" * len(names) + "---:|")
    for group, cells in table.items():
        docs = sum(1 for t in truth.values() if group_of(t["degradation"]) == group)
        values = " | ".join(f"{100 * e / max(c, 1):.2f}%" for e, c in (cells[n] for n in names))
        print(f"| {group} | {docs} | {values} | ≤ {100 * TARGETS[group]:.1f}% |")
    base = engines["tesseract"].seconds
    print("\n| engine | wall seconds | relative to raw Tesseract | failures |")
    print("|---|---:|---:|---:|")
    for n in names:
        print(f"| {n} | {engines[n].seconds:.1f} | {engines[n].seconds / base:.2f}× | {len(engines[n].failures)} |")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"documents": per_doc,
                                     "seconds": {n: engines[n].seconds for n in names},
                                     "failures": {n: engines[n].failures for n in names}},
                                    ensure_ascii=False, indent=1))
    print(f"\nper-document results: {args.json}\nfiles kept in {work}")


if __name__ == "__main__":
    main()
