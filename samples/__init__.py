"""Synthetic Vietnamese administrative documents with ground truth, for tests and benchmarks.

    from samples import generate
    sample = generate("quyet_dinh", "sealed", seed=7)
    sample.data, sample.name, sample.truth["fields"]["doc_number"]

No real personal data: names, numbers and places are drawn from small invented lists.
"""

from __future__ import annotations

import random
from functools import partial
from dataclasses import dataclass, field

from .content import KINDS, continuation, make_document
from .independent import KINDS as INDEPENDENT_KINDS
from .degrade import DEGRADATIONS, GROUPS, Scan, apply
from .encode import FORMATS, encode
from .layout import FAMILIES, ground_truth_lines, layout
from .render import born_digital_pdf, rasterize

__all__ = ["KINDS", "INDEPENDENT_KINDS", "DEGRADATIONS", "GROUPS", "FORMATS", "Sample", "generate", "corpus"]

# The file type a degradation arrives as at a commune centre, unless asked otherwise.
DEFAULT_FORMAT = {"clean": "pdf", "mild": "png", "skewed": "jpeg", "noisy": "png", "lowres": "tiff-lzw",
                  "rotated": "pdf", "fax": "tiff-g4", "sealed": "jpeg", "phone": "jpeg",
                  "born_digital": "pdf-text"}


@dataclass
class Sample:
    name: str
    data: bytes
    truth: dict = field(repr=False)
    scans: list[Scan] = field(default_factory=list, repr=False)


def generate(kind: str, degradation: str, seed: int, fmt: str | None = None,
             family: str | None = None, pages: int = 1) -> Sample:
    """One document of `kind`, damaged by `degradation` ("born_digital" for a text PDF);
    its pages after the first continue the body."""
    rng = random.Random(f"{kind}/{degradation}/{seed}")
    family = family or rng.choice(sorted(FAMILIES))
    make = INDEPENDENT_KINDS[kind] if kind in INDEPENDENT_KINDS else partial(make_document, kind)
    specs = [make(rng)] + [continuation(kind, rng) for _ in range(pages - 1)]
    layouts = [layout(spec, family) for spec in specs]
    fmt = fmt or DEFAULT_FORMAT[degradation]
    scans: list[Scan] = []
    if degradation == "born_digital":
        data = born_digital_pdf(layouts)
    else:
        scans = [apply(degradation, rasterize(page), page, rng) for page in layouts]
        data = encode(scans, fmt)
    truth = {"kind": kind, "degradation": degradation, "family": family, "format": fmt, "seed": seed,
             "lines": [ground_truth_lines(p) for p in layouts],
             "pages": ["\n".join(ground_truth_lines(p)) for p in layouts],
             "fields": specs[0].fields,
             "rotation": [s.rotation for s in scans], "skew": [round(s.skew, 2) for s in scans],
             "dpi": [s.dpi for s in scans]}
    ext = {"pdf": "pdf", "pdf-text": "pdf", "png": "png", "jpeg": "jpg",
           "tiff-lzw": "tif", "tiff-g4": "tif"}[fmt]
    return Sample(f"{kind}-{degradation}-{seed:04d}.{ext}", data, truth, scans)


def corpus(count: int, seed: int = 0, degradations: list[str] | None = None,
           independent: bool = False) -> list[Sample]:
    """`count` documents cycling through every degradation and every kind (of the
    independent family, which the field rules were not written on, if asked)."""
    degradations = degradations or DEGRADATIONS
    kinds = sorted(INDEPENDENT_KINDS if independent else KINDS)
    # Step kinds on every row so each degradation meets every kind.
    return [generate(kinds[(i + i // len(degradations)) % len(kinds)], degradations[i % len(degradations)],
                     seed + i) for i in range(count)]
