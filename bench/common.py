"""Shared helpers for the benchmarks: sample sets on disk and the baseline engines."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from samples import DEGRADATIONS, KINDS, Sample, generate  # noqa: E402

# The baselines run one thread per process, as digitizer does: two processes on two cores.
BASELINE_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
DIGITIZER = str(Path(sys.executable).with_name("digitizer"))   # the command a user runs


def user_env(**settings: str) -> dict[str, str]:
    """What a user's shell gives `digitizer`: PATH, HOME and the locale, and the settings named
    here; nothing that would limit threads for it (issue 27: the benchmarks once hid that)."""
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    return {**env, **settings}


# The speed benchmarks' scans: each degradation in the format a scanner would give it.
IMAGE_FORMATS = {"clean": "png", "mild": "png", "skewed": "jpeg", "noisy": "png", "lowres": "tiff-lzw",
                 "rotated": "png", "fax": "tiff-g4", "sealed": "jpeg", "phone": "jpeg"}


def scanned_pages(count: int, first_seed: int) -> list[Sample]:
    """`count` one-page A4 scans (200-300 DPI), every kind and degradation in turn."""
    kinds = sorted(KINDS)
    return [generate(kinds[i % len(kinds)], d, first_seed + i, fmt=IMAGE_FORMATS[d])
            for i, d in enumerate((DEGRADATIONS * count)[:count])]


def real_files(folder: Path) -> list[Path]:
    """The files a transcribed set's `truth.jsonl` names, in its order."""
    rows = [json.loads(line) for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return [folder / row["file"] for row in rows]


def write_samples(samples: list[Sample], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for sample in samples:
        path = folder / sample.name
        path.write_bytes(sample.data)
        (folder / (sample.name + ".truth.json")).write_text(json.dumps(sample.truth, ensure_ascii=False))
        paths.append(path)
    return paths


@dataclass
class EngineRun:
    texts: dict[str, str]          # file name -> extracted text ("" when the engine failed)
    seconds: float
    failures: dict[str, str]


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def page_images(path: Path, work: Path) -> list[Path]:
    """What raw Tesseract is given: image files as they are; PDFs as page images rendered
    by poppler at the resolution of their scan (it cannot read PDFs)."""
    if path.suffix.lower() != ".pdf":
        return [path]
    out = work / path.stem
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(path), str(out)], check=True)
    return sorted(work.glob(path.stem + "-*.png"))


def run_parallel(jobs: int, items: list[Path], fn: Callable[[Path], str]) -> EngineRun:
    texts: dict[str, str] = {}
    failures: dict[str, str] = {}

    def one(path: Path) -> None:
        try:
            texts[path.name] = fn(path)
        except subprocess.CalledProcessError as exc:
            texts[path.name] = ""
            failures[path.name] = (exc.stderr or b"")[-300:].decode("utf-8", "replace") \
                if isinstance(exc.stderr, bytes) else str(exc.stderr)[-300:]

    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, items))
    return EngineRun(texts, time.perf_counter() - start, failures)


def tesseract_text(image: Path) -> str:
    return subprocess.run(["tesseract", str(image), "-", "-l", "vie"], capture_output=True, check=True,
                          env=BASELINE_ENV).stdout.decode("utf-8")


def run_tesseract(files: list[Path], jobs: int) -> EngineRun:
    """Raw `tesseract FILE - -l vie`, no cleanup; PDFs are rasterized first (not timed)."""
    work = Path(tempfile.mkdtemp(prefix="bench-raster-"))
    try:
        images = {f.name: page_images(f, work) for f in files}
        flat = [(name, img) for name, imgs in images.items() for img in imgs]
        run = run_parallel(jobs, [img for _, img in flat], tesseract_text)
        texts = {name: "\n".join(run.texts.get(img.name, "") for img in imgs) for name, imgs in images.items()}
        return EngineRun(texts, run.seconds, run.failures)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _has_dpi(path: Path) -> bool:
    if path.suffix.lower() == ".pdf":
        return True
    with Image.open(path) as image:
        return bool(image.info.get("dpi"))


def run_ocrmypdf(files: list[Path], jobs: int, out: Path) -> EngineRun | None:
    """`ocrmypdf -l vie --rotate-pages --deskew --clean`, when installed."""
    if shutil.which("ocrmypdf") is None:
        return None
    out.mkdir(parents=True, exist_ok=True)

    def one(path: Path) -> str:
        target = out / (path.stem + ".pdf")
        extra = [] if _has_dpi(path) else ["--image-dpi", "300"]
        subprocess.run(["ocrmypdf", "-q", "-l", "vie", "--rotate-pages", "--deskew", "--clean",
                        "--jobs", "1", *extra, str(path), str(target)],
                       capture_output=True, check=True, env=BASELINE_ENV)
        return pdftotext(target)

    return run_parallel(jobs, files, one)


def add_settings_option(parser: argparse.ArgumentParser) -> None:
    """`--set-env DIGITIZER_X=V`, repeatable: settings for the digitizer runs of a benchmark
    (DIGITIZER_OCR_DOUBTS=false measures the reading without the language model's choices)."""
    parser.add_argument("--set-env", action="append", default=[], metavar="DIGITIZER_X=V",
                        help="a setting for digitizer, e.g. DIGITIZER_OCR_DOUBTS=false")


def settings_of(args: argparse.Namespace) -> dict[str, str]:
    return dict(item.split("=", 1) for item in args.set_env)


def run_digitizer(files: list[Path], jobs: int, data_dir: Path,
                  settings: dict[str, str] | None = None) -> tuple[EngineRun, list[dict]]:
    """`digitizer process --json` on all files (with `settings`, DIGITIZER_* variables), then
    `pdftotext` of each stored PDF."""
    env = user_env(DIGITIZER_DATA_DIR=str(data_dir), DIGITIZER_WORKERS=str(jobs), **(settings or {}))
    start = time.perf_counter()
    proc = subprocess.run([DIGITIZER, "process", "--json", "--force",
                           *map(str, files)], capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    records = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    texts, failures = {}, {}
    for record in records:
        name = record["source"]["name"]
        if record["status"] == "done":
            texts[name] = pdftotext(data_dir / "store" / record["objects"]["pdf"])
        else:
            texts[name], failures[name] = "", record["error"]["message"]
    return EngineRun(texts, seconds, failures), records


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
