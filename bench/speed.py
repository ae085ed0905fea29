"""Throughput: `digitizer process` vs raw `tesseract` (and OCRmyPDF where installed) on the
same files, the same number of processes, started from a clean environment as a user would.

    python bench/speed.py [--pages 18] [--runs 3] [--jobs 2] [--set ../shared/realworld] [--no-ocrmypdf]

Two sets of files: generated scans of every degradation (PNG, TIFF, JPEG: clean, skewed,
noisy, 200 DPI, rotated, 1-bit fax, sealed, phone photo), and the real development pages
(`--set`; its scanned PDFs and photos as they came). The engines take turns going first
from run to run, so machine noise and heat hit all alike, and the tables give medians. Peak
memory is the largest resident size of any process of a digitizer run (worker processes
included), read from the kernel's rusage of the waited-for children. Raw Tesseract is given
PDFs as page images rendered by poppler beforehand (not timed).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

import pymupdf

from common import (DIGITIZER, ROOT, median, real_files, run_ocrmypdf, run_tesseract, scanned_pages, user_env,
                    write_samples)

MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True)
seconds = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(seconds, peak_kb, proc.returncode)
"""


def run_digitizer_measured(files: list[Path], jobs: int, data_dir: Path) -> tuple[float, float]:
    env = user_env(DIGITIZER_DATA_DIR=str(data_dir), DIGITIZER_WORKERS=str(jobs))
    cmd = [sys.executable, "-c", MEASURE, DIGITIZER, "process", "--force", *map(str, files)]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=True).stdout.split()
    if out[2] != "0":
        raise SystemExit("digitizer reported failures on the benchmark's pages")
    return float(out[0]), float(out[1]) / 1024


def page_count(path: Path) -> int:
    if path.suffix.lower() == ".pdf":
        with pymupdf.open(path) as doc:
            return doc.page_count
    return 1


def measure(files: list[Path], runs: int, jobs: int, work: Path,
            ocrmypdf: bool) -> tuple[dict[str, list[float]], list[float]]:
    """Seconds of each engine on `files`, `runs` times, each engine first in turn; and the
    peak memory of each digitizer run."""
    peaks: list[float] = []

    def digitizer(run: int) -> float:
        seconds, peak = run_digitizer_measured(files, jobs, work / f"data{run}")
        peaks.append(peak)
        return seconds

    def ocrmypdf_run(run: int) -> float:
        done = run_ocrmypdf(files, jobs, work / f"ocrmypdf{run}")
        assert done is not None
        return done.seconds

    engines: dict[str, Callable[[int], float]] = {"tesseract": lambda run: run_tesseract(files, jobs).seconds,
                                                  "digitizer": digitizer}
    if ocrmypdf and shutil.which("ocrmypdf"):
        engines["ocrmypdf"] = ocrmypdf_run
    seconds: dict[str, list[float]] = {name: [] for name in engines}
    names = list(engines)
    for run in range(runs):
        shift = run % len(names)
        for name in names[shift:] + names[:shift]:
            seconds[name].append(engines[name](run))
    return seconds, peaks


def table(label: str, pages: int, seconds: dict[str, list[float]]) -> list[str]:
    raw = median(seconds["tesseract"])
    return [f"| {label} | {pages} | {name} | {median(s):.1f} | {60 * pages / median(s):.1f} | {raw / median(s):.2f} |"
            for name, s in seconds.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=18)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--set", type=Path, default=ROOT.parent / "shared" / "realworld", help="real pages")
    parser.add_argument("--no-ocrmypdf", action="store_true")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "speed.json")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-speed-"))
    sets = {"generated": write_samples(scanned_pages(args.pages, first_seed=500), work / "in")}
    if (args.set / "truth.jsonl").is_file():
        sets["real"] = real_files(args.set)
    results, rows, peaks = {}, [], []
    for label, files in sets.items():
        results[label], peaked = measure(files, args.runs, args.jobs, work / label, not args.no_ocrmypdf)
        peaks += peaked
        rows += table(f"{label} ({len(files)} files)", sum(map(page_count, files)), results[label])
    print(f"{args.jobs} processes each, started from a clean environment, median of {args.runs} runs\n")
    print("| pages | count | engine | median seconds | pages/minute | rate against raw Tesseract |")
    print("|---|---:|---|---:|---:|---:|")
    print("\n".join(rows))
    print(f"\npeak resident memory of any digitizer process: {max(peaks):.0f} MB")
    for label, seconds in results.items():
        runs = ", ".join(f"{name} {[round(x, 1) for x in s]}" for name, s in seconds.items())
        print(f"all runs (s), {label}: {runs}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"runs": results, "peak_mb": peaks}))


if __name__ == "__main__":
    main()
