"""Soak: the watch service fed thousands of files, 5 % of them bad, in waves; every file
must end done or failed (lost = 0) and memory must level off.

    python bench/soak.py [--files 2000] [--wave 40] [--every 8] [--bad 0.05]

Good files are quick one-page scans at 100 DPI (the point is the service, not the OCR);
bad ones cycle through empty, truncated, header-only, random-bytes and password-protected
files (an empty file is taken after jobs.empty_seconds, set to 30 s here). The resident memory
of the service and all its worker processes is sampled every
few seconds; the table gives it over time, and the growth over the second half.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

import pymupdf
from common import ROOT
from service import start_watch, stop_watch, tree_rss_mb

from samples.quick import small_page_png


def bad_file(i: int, good: bytes) -> tuple[str, bytes]:
    kind = i % 5
    if kind == 0:
        return f"bad-{i:05d}-empty.pdf", b""
    if kind == 1:
        doc = pymupdf.open()
        doc.new_page().insert_image(pymupdf.Rect(0, 0, 595, 842), stream=good)
        data = doc.tobytes()
        return f"bad-{i:05d}-truncated.pdf", data[: len(data) // 2]
    if kind == 2:
        return f"bad-{i:05d}-header.pdf", b"%PDF-1.7\n"
    if kind == 3:
        return f"bad-{i:05d}-random.tiff", random.Random(i).randbytes(2048)
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), f"mat khau {i}")
    return f"bad-{i:05d}-locked.pdf", doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="x", owner_pw="y")


def growth_per_1000(samples: list[tuple[float, int, float]]) -> float:
    """Slope of memory against files settled over the second half, leaving out the samples
    after the last file (idle workers give memory back, which would flatter the slope)."""
    busy = [s for s in samples if s[1] < samples[-1][1]] or samples
    half = busy[len(busy) // 2:]
    n = len(half)
    if n < 2:
        return 0.0
    mean_x, mean_y = sum(s[1] for s in half) / n, sum(s[2] for s in half) / n
    var = sum((s[1] - mean_x) ** 2 for s in half)
    return 1000 * sum((s[1] - mean_x) * (s[2] - mean_y) for s in half) / var if var else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--wave", type=int, default=40)
    parser.add_argument("--every", type=float, default=8.0, help="seconds between waves")
    parser.add_argument("--bad", type=float, default=0.05)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "soak.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    inbox, data, staging = work / "inbox", work / "data", work / "staging"
    inbox.mkdir()
    staging.mkdir()
    pages = [small_page_png(seed) for seed in range(8)]
    plan = []
    rng = random.Random(1)
    for i in range(args.files):
        if rng.random() < args.bad:
            plan.append(bad_file(i, pages[0]))
        else:
            plan.append((f"scan-{i:05d}.png", pages[i % 8] + f"#{i}".encode()))   # distinct content
    service = start_watch(inbox, data, settle=1.0, DIGITIZER_JOBS_EMPTY_SECONDS="30")
    samples: list[tuple[float, int, float]] = []     # (seconds, files settled, MB)
    start = time.monotonic()
    fed = 0
    next_wave = start

    def settled() -> int:
        return sum(1 for folder in ("done", "failed") if (data / folder).exists()
                   for p in (data / folder).rglob("*") if p.is_file() and not p.name.endswith(".error.txt"))

    try:
        last_sample = 0.0
        while True:
            now = time.monotonic()
            if fed < len(plan) and now >= next_wave:
                for name, body in plan[fed: fed + args.wave]:
                    (staging / name).write_bytes(body)
                    (staging / name).rename(inbox / name)
                fed = min(len(plan), fed + args.wave)
                next_wave = now + args.every
            if now - last_sample >= 5:
                done_now = settled()
                samples.append((now - start, done_now, tree_rss_mb(service.pid)))
                last_sample = now
                print(f"{now - start:7.0f} s  fed {fed}  settled {done_now}  memory {samples[-1][2]:.0f} MB",
                      flush=True)
                if fed == len(plan) and done_now >= len(plan):
                    break
                if now - start > 4 * 3600:
                    break
            time.sleep(0.5)
    finally:
        stop_watch(service)
    done = [p for p in (data / "done").rglob("*") if p.is_file()] if (data / "done").exists() else []
    failed = [p for p in (data / "failed").glob("*") if not p.name.endswith(".error.txt")] \
        if (data / "failed").exists() else []
    left = [p for p in inbox.rglob("*") if p.is_file()]
    expected_bad = sum(1 for name, _ in plan if name.startswith("bad-"))
    lost = len(plan) - len(done) - len(failed) - len(left)
    reasons = sum(1 for p in failed if p.with_name(p.name + ".error.txt").exists())
    print("\n| files in | done | failed | of them with a reason | still in the inbox | lost |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {len(plan)} | {len(done)} | {len(failed)} (bad: {expected_bad}) | {reasons} | {len(left)} | {lost} |")
    print(f"\nmemory of the service and its workers over {samples[-1][0] / 60:.0f} min:\n")
    print("| minutes | files settled | resident MB |")
    print("|---:|---:|---:|")
    for index in sorted({round(q * (len(samples) - 1)) for q in (0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)}):
        t, n, mb = samples[index]
        print(f"| {t / 60:.1f} | {n} | {mb:.0f} |")
    print(f"\nmemory growth over the second half: {growth_per_1000(samples):+.1f} MB per 1000 files "
          "(least-squares slope while files were in flight)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"files": len(plan), "done": len(done), "failed": len(failed), "lost": lost,
                                     "left": len(left), "samples": samples}))


if __name__ == "__main__":
    main()
