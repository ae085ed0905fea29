"""The watch service: latency from a file landing in the inbox to its record being
searchable, and the throughput of a burst, against raw `tesseract` on the same files.

    python bench/watch.py [--latency 5] [--burst 40] [--settle 5]

Latency: one one-page scan at a time is copied into the inbox of a running service
(2 workers) and the search index is polled until the document is found; the settle time
(default 5 s, the service's default) is part of what a clerk waits for, so the table gives
it and the rest apart. Burst: N one-page scans dropped at once; time until all are done.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from common import ROOT, median, run_tesseract, write_samples
from service import start_watch, stop_watch, wait_until

from digitizer.pipeline import document_id
from digitizer.storage import SqliteIndex
from samples import generate


def searchable(index_path: Path, doc_id: str) -> bool:
    if not index_path.exists():
        return False
    index = SqliteIndex(index_path)
    try:
        return index.record(doc_id) is not None
    finally:
        index.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=int, default=5, help="single files timed one after another")
    parser.add_argument("--burst", type=int, default=40)
    parser.add_argument("--settle", type=float, default=5.0)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "watch.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-watch-"))
    inbox, data = work / "inbox", work / "data"
    inbox.mkdir()
    singles = [generate("giay_xac_nhan", "mild", 900 + i, fmt="png") for i in range(args.latency)]
    burst = [generate("thong_bao", "mild", 950 + i, fmt="png") for i in range(args.burst)]
    service = start_watch(inbox, data, args.settle)
    latencies = []
    try:
        warm = generate("thong_bao", "clean", 999, fmt="png")          # the first job also loads the workers
        (inbox / warm.name).write_bytes(warm.data)
        wait_until(lambda: searchable(data / "index.sqlite", document_id(warm.data)), 300)
        for sample in singles:
            staging = work / sample.name
            staging.write_bytes(sample.data)
            staging.rename(inbox / sample.name)                       # lands complete, as a copy finishes
            doc_id = document_id(sample.data)
            seconds = wait_until(lambda: searchable(data / "index.sqlite", doc_id), 300)  # noqa: B023
            if seconds is None:
                raise SystemExit(f"{sample.name} was not searchable after 300 s")
            latencies.append(seconds)
        staging = work / "burst"
        staging.mkdir()
        for sample in burst:
            (staging / sample.name).write_bytes(sample.data)
        done = data / "done"
        before = len(list(done.rglob("*.png")))
        for path in staging.iterdir():
            path.rename(inbox / path.name)
        burst_seconds = wait_until(lambda: len(list(done.rglob("*.png"))) - before == len(burst), 1800, 0.2)
    finally:
        stop_watch(service)
    raw = run_tesseract(write_samples(burst, work / "raw"), 2).seconds
    print(f"latency of one A4 page (300 DPI) from landing to searchable, {len(latencies)} files, "
          f"settle {args.settle:g} s, 2 workers\n")
    print("| | median s | min s | max s |")
    print("|---|---:|---:|---:|")
    print(f"| landing -> searchable | {median(latencies):.1f} | {min(latencies):.1f} | {max(latencies):.1f} |")
    rest = [x - args.settle for x in latencies]
    print(f"| of which after the settle time | {median(rest):.1f} | {min(rest):.1f} | {max(rest):.1f} |")
    rate, raw_rate = 60 * len(burst) / burst_seconds, 60 * len(burst) / raw
    working = 60 * len(burst) / (burst_seconds - args.settle)
    print(f"\nburst of {len(burst)} one-page scans, raw tesseract with 2 processes on the same files: "
          f"{raw_rate:.1f} pages/min\n")
    print("| burst | seconds | pages/min | relative rate |")
    print("|---|---:|---:|---:|")
    print(f"| landing -> all done | {burst_seconds:.1f} | {rate:.1f} | {rate / raw_rate:.2f} |")
    print(f"| after the settle time | {burst_seconds - args.settle:.1f} | {working:.1f} | {working / raw_rate:.2f} |")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"latencies": latencies, "burst_seconds": burst_seconds, "raw_seconds": raw}))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
