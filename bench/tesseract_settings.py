"""Tesseract's own settings: how much faster a page reads with each, and whether it reads the same.

    python bench/tesseract_settings.py [--set ../shared/realworld] [--runs 2] \\
        textord_disable_pitch_test=1 lstm_choice_iterations=3 "a=1,b=0"

The reading images are made as digitizer makes them (`clean_page`, 225 DPI) from the generated
scans of `bench/speed.py` and the pages of `--set`, once. Each setting (a comma joins several) is
then timed against Tesseract's defaults in the same process, one thread, over all the images
(`Recognize` only, best of `--runs`), with the readings digitizer asks for (each character's
weighed readings). A page "reads the same" when what Tesseract gives (every word, its box and
confidence, and each character's weighed readings) is the same; a setting that changes any page
changes what digitizer keeps.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from common import ROOT, real_files, scanned_pages

import digitizer  # noqa: F401  (first: one OpenMP thread for Tesseract, set before it loads)
import numpy as np
import tesserocr
from digitizer.config import Settings
from digitizer.imaging.clean import clean_page
from digitizer.intake.load import load_pages
from digitizer.ocr.api import leptonica_to_log, tessdata
from digitizer.threads import single_thread

Image = tuple[str, np.ndarray, float]        # page name, reading image, its DPI


def reading_images(folder: Path) -> list[Image]:
    settings = Settings()
    scans = [(s.name, s.data) for s in scanned_pages(18, first_seed=500)]
    if (folder / "truth.jsonl").is_file():
        scans += [(path.relative_to(folder).as_posix(), path.read_bytes()) for path in real_files(folder)]
    images = []
    for name, data in scans:
        for page in load_pages(data, settings.limits).pages:
            if page.image is not None:
                clean = clean_page(page, settings.ocr.target_dpi)
                images.append((f"{name} p{page.number}", np.ascontiguousarray(clean.reading), clean.reading_dpi))
    return images


def read_all(api: tesserocr.PyTessBaseAPI, images: list[Image],
             variables: dict[str, str]) -> tuple[float, dict[str, str]]:
    """Seconds of `Recognize` over all images with `variables` set, and what each page read
    (what_was_read)."""
    set_variables(api, variables)
    seconds, read = 0.0, {}
    for name, image, dpi in images:
        height, width = image.shape
        api.SetImageBytes(image.tobytes(), width, height, 1, width)
        api.SetSourceResolution(round(dpi))
        start = time.perf_counter()
        api.Recognize()
        seconds += time.perf_counter() - start
        read[name] = what_was_read(api)
        api.Clear()
    return seconds, read


def set_variables(api: tesserocr.PyTessBaseAPI, variables: dict[str, str]) -> None:
    for name, value in variables.items():
        if not api.SetVariable(name, value):
            raise SystemExit(f"Tesseract has no setting {name!r}")


def what_was_read(api: tesserocr.PyTessBaseAPI) -> str:
    """Every word with its box and confidence (Tesseract's TSV, without its block and paragraph
    numbers, which digitizer does not use), and every character's weighed readings."""
    words = [row.split("\t")[6:] for row in api.GetTSVText(0).splitlines() if row.startswith("5\t")]
    weighed = []
    iterator = api.GetIterator()
    if iterator is not None:
        for symbol in tesserocr.iterate_level(iterator, tesserocr.RIL.SYMBOL):
            choices = [(choice.GetUTF8Text(), round(choice.Confidence(), 1)) for choice in symbol.GetChoiceIterator()]
            if len(choices) > 1:
                weighed.append(choices)
    return repr((words, weighed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("settings", nargs="+", help="name=value, several joined by commas")
    parser.add_argument("--set", type=Path, default=ROOT.parent / "shared" / "realworld", help="real pages")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()

    single_thread()
    images = reading_images(args.set)
    api = tesserocr.PyTessBaseAPI(path=tessdata(), lang="vie")
    leptonica_to_log()           # its notes on odd boxes (fax pages) are not for this table
    api.SetVariable("lstm_choice_mode", "2")         # as digitizer reads (ocr.doubts)
    configs = [dict(part.split("=", 1) for part in spec.split(",")) for spec in args.settings]
    defaults = {name: api.GetVariableAsString(name) for config in configs for name in config}
    base_seconds: list[float] = []
    seconds: list[list[float]] = [[] for _ in configs]
    changed: list[list[str]] = [[] for _ in configs]
    for _ in range(args.runs):          # the defaults and each setting take turns: noise hits all alike
        took, base = read_all(api, images, defaults)
        base_seconds.append(took)
        for i, config in enumerate(configs):
            took, read = read_all(api, images, config)
            seconds[i].append(took)
            changed[i] = [name for name in read if read[name] != base[name]]
            set_variables(api, defaults)
    best = min(base_seconds)
    print(f"{len(images)} pages, Recognize best of {args.runs}: Tesseract's defaults {best:.2f} s\n")
    print("| setting | seconds | against the defaults | pages read otherwise |")
    print("|---|---:|---:|---|")
    for config, took_each, names in zip(configs, seconds, changed):
        spec = ", ".join(f"{k}={v}" for k, v in config.items())
        more = " …" if len(names) > 4 else ""
        print(f"| {spec} | {min(took_each):.2f} | {min(took_each) / best - 1:+.1%} | {len(names)} {names[:4]}{more} |")


if __name__ == "__main__":
    main()
