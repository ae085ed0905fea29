"""Throughput: `digitizer process` vs raw `tesseract` on the same page images, same processes.

    python bench/speed.py [--pages 24] [--runs 3] [--jobs 2]

Both sides get the same files (PNG, TIFF, JPEG scans of every degradation) and the same
number of processes; the runs alternate, each going first every other run, so machine
noise and heat hit both alike, and the table gives medians. Peak memory is the largest
resident size of any process of a digitizer run (worker processes included), read from the
kernel's rusage of the waited-for children.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from common import DIGITIZER, ROOT, user_env, median, run_tesseract, scanned_pages, write_samples


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
    cmd = [sys.executable, "-c", MEASURE, DIGITIZER, "process", "--force",
           *map(str, files)]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=True).stdout.split()
    if out[2] != "0":
        raise SystemExit("digitizer reported failures on generated pages")
    return float(out[0]), float(out[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "speed.json")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-speed-"))
    files = write_samples(scanned_pages(args.pages, first_seed=500), work / "in")

    raw, ours, peaks = [], [], []
    for run in range(args.runs):
        # Each goes first every other run: the one that follows runs on a hotter machine
        # (0.5 s slower for digitizer on 18 pages right after raw Tesseract than alone).
        if run % 2:
            seconds, peak = run_digitizer_measured(files, args.jobs, work / f"data{run}")
            raw.append(run_tesseract(files, args.jobs).seconds)
        else:
            raw.append(run_tesseract(files, args.jobs).seconds)
            seconds, peak = run_digitizer_measured(files, args.jobs, work / f"data{run}")
        ours.append(seconds)
        peaks.append(peak)
    ppm_raw = 60 * len(files) / median(raw)
    ppm_ours = 60 * len(files) / median(ours)
    print(f"{len(files)} pages (A4, 200-300 DPI), {args.jobs} processes, median of {args.runs} runs\n")
    print("| engine | median seconds | pages/minute | relative rate |")
    print("|---|---:|---:|---:|")
    print(f"| raw `tesseract -l vie` | {median(raw):.1f} | {ppm_raw:.1f} | 1.00 |")
    print(f"| `digitizer process` (cleanup, OCR, PDF, store) | {median(ours):.1f} | {ppm_ours:.1f} | "
          f"{ppm_ours / ppm_raw:.2f} |")
    print(f"\npeak resident memory of any digitizer process: {max(peaks):.0f} MB")
    print(f"all runs (s): raw {[round(x, 1) for x in raw]}, digitizer {[round(x, 1) for x in ours]}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"pages": len(files), "raw": raw, "digitizer": ours, "peak_mb": peaks}))


if __name__ == "__main__":
    main()
