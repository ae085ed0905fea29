"""Backfill throughput: `digitizer backfill` with 1 and 2 worker processes against raw
`tesseract` with 1 and 2 processes on the same pages; the queue's cost per job; and a
projection for a cluster.

    python bench/backfill.py [--pages 24] [--runs 3] [--jobs-overhead 400]

The pages are the speed benchmark's (every degradation, A4 at 200-300 DPI). Each backfill
run starts from an empty data folder and includes everything a user waits for: the walk,
starting the workers, cleanup, OCR, PDF, store, index and the report. The queue's cost is
measured on files that fail at once (one byte each): what is left is queue, ledger and
report, per job. With --cluster it is measured on Redis + PostgreSQL too (servers started
on 127.0.0.1 from the Debian packages, as the tests do).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import DIGITIZER, ROOT, user_env, median, run_tesseract, scanned_pages, write_samples


def run_backfill(archive: Path, data: Path, workers: int, extra_env: dict[str, str] | None = None) -> float:
    env = user_env(DIGITIZER_DATA_DIR=str(data), **(extra_env or {}))
    start = time.perf_counter()
    proc = subprocess.run([DIGITIZER, "backfill", str(archive), "--workers",
                           str(workers)], capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    if "report:" not in proc.stdout:
        raise SystemExit(f"backfill failed: {proc.stderr[-2000:]}")
    return seconds


def overhead(count: int, runs: int, work: Path, extra_env: dict[str, str] | None = None,
             fresh_env=None) -> float:  # noqa: ANN001 (a function giving each run its own servers' env)
    """Seconds per job for `count` one-byte files through 2 workers (median of runs)."""
    archive = work / "tiny"
    archive.mkdir(exist_ok=True)
    for i in range(count):
        (archive / f"junk-{i:05d}.pdf").write_bytes(b"x")
    times = []
    for run in range(runs):
        env = {**(extra_env or {}), **(fresh_env() if fresh_env else {})}
        times.append(run_backfill(archive, work / f"tiny-data-{run}", 2, env))
    return median(times) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs-overhead", type=int, default=400)
    parser.add_argument("--cluster", action="store_true", help="also measure the queue on Redis + PostgreSQL")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "backfill.json")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-backfill-"))
    files = write_samples(scanned_pages(args.pages, first_seed=700), work / "archive")
    for truth in (work / "archive").glob("*.truth.json"):
        truth.unlink()                                   # the archive holds only the scans
    results: dict[str, list[float]] = {"raw1": [], "raw2": [], "ours1": [], "ours2": []}
    for run in range(args.runs):                         # alternate, so noise hits every side alike
        for jobs in (1, 2):
            results[f"raw{jobs}"].append(run_tesseract(files, jobs).seconds)
            results[f"ours{jobs}"].append(run_backfill(work / "archive", work / f"data-{run}-{jobs}", jobs))
    ppm = {k: 60 * len(files) / median(v) for k, v in results.items()}

    per_job = {"SQLite (one machine)": overhead(args.jobs_overhead, args.runs, work)}
    if args.cluster:
        sys.path.insert(0, str(ROOT))
        from tests.servers import new_database, start_postgres, start_redis

        redis_server, pg = start_redis(), start_postgres()
        try:
            counter = iter(range(1, 16))
            (work / "cluster").mkdir()
            per_job["Redis + PostgreSQL"] = overhead(
                args.jobs_overhead, args.runs, work / "cluster",
                fresh_env=lambda: {"DIGITIZER_QUEUE_URL": f"{redis_server.url.rsplit('/', 1)[0]}/{next(counter)}",
                                   "DIGITIZER_DATABASE_URL": new_database(pg)})
        finally:
            redis_server.stop()
            pg.stop()

    print(f"{len(files)} pages (A4, 200-300 DPI, every degradation), median of {args.runs} runs\n")
    print("| processes | raw `tesseract` pages/min | `digitizer backfill` pages/min | relative rate |")
    print("|---:|---:|---:|---:|")
    for jobs in (1, 2):
        print(f"| {jobs} | {ppm[f'raw{jobs}']:.1f} | {ppm[f'ours{jobs}']:.1f} | "
              f"{ppm[f'ours{jobs}'] / ppm[f'raw{jobs}']:.2f} |")
    print(f"\nscaling 1 -> 2 workers: x{ppm['ours2'] / ppm['ours1']:.2f} "
          f"(raw tesseract: x{ppm['raw2'] / ppm['raw1']:.2f})")
    print("\n| queue + ledger + report, per job (2 workers) | ms |")
    print("|---|---:|")
    for name, seconds in per_job.items():
        print(f"| {name} | {seconds * 1000:.1f} |")
    per_process = ppm["ours2"] / 2
    print(f"\nprojection (not measured): {per_process:.0f} pages/min per worker process; 10 machines of 2 cores "
          f"= {per_process * 20:.0f} pages/min = {per_process * 20 * 60 * 24 / 1000:.0f}k pages/day")
    print(f"all runs (s): { {k: [round(x, 1) for x in v] for k, v in results.items()} }")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"pages": len(files), "runs": results, "per_job": per_job}))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
