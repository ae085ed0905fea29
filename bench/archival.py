"""What PDF/A and the centre's signature cost per document, beside the reading they follow.

    python bench/archival.py [--docs 9] [--runs 3]

Generated one-page scans (every degradation in turn) are processed once, PDF/A off, in this
process with one Tesseract thread; each searchable PDF is then made PDF/A-2 and signed
(PAdES B-B, visible stamp) with a throwaway PKCS#12 key (samples/certs.py), `--runs` times.
Medians per document, and their share of the document's pipeline time (cleanup, OCR, PDF,
fields). Every result is checked: its PDF/A level and the signature read back.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from common import median, scanned_pages

os.environ.setdefault("OMP_THREAD_LIMIT", "1")      # before Tesseract loads: one thread, as a worker runs it

from digitizer.config import PdfSettings, Settings, SignSettings  # noqa: E402
from digitizer.model import Outcome  # noqa: E402
from digitizer.pdf import PdfaMeta, to_pdfa  # noqa: E402
from digitizer.pipeline import process  # noqa: E402
from digitizer.signing.sign import CentreSigner  # noqa: E402
from digitizer.signing.verify import verify_pdf  # noqa: E402
from samples.certs import make_identity  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=9)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-archival-"))
    settings = Settings(data_dir=work / "data", workers=1, pdf=PdfSettings(pdfa=False))
    p12 = make_identity().p12(work / "centre.p12", "bench")
    signer = CentreSigner(SignSettings(p12=str(p12), p12_password="bench"))

    outcomes: list[Outcome] = []
    for sample in scanned_pages(args.docs, 500):
        outcome = process(sample.data, sample.name, settings)
        assert outcome.record.status == "done" and outcome.pdf is not None, outcome.record.error
        outcomes.append(outcome)
    pipeline = median([o.record.pipeline["seconds"] for o in outcomes])

    pdfa_s: list[float] = []
    sign_s: list[float] = []
    levels, intact = set(), 0
    for _ in range(args.runs):
        for outcome in outcomes:
            assert outcome.pdf is not None
            t0 = time.perf_counter()
            archived = to_pdfa(outcome.pdf, PdfaMeta.of(outcome.record))
            t1 = time.perf_counter()
            signed = signer.sign(Outcome(outcome.record, archived.pdf))
            t2 = time.perf_counter()
            pdfa_s.append(t1 - t0)
            sign_s.append(t2 - t1)
            levels.add(archived.level)
            intact += signed.pdf is not None and verify_pdf(signed.pdf).ok
    signer.close()
    count = args.runs * len(outcomes)
    print(f"{len(outcomes)} documents x {args.runs} runs; PDF/A levels {sorted(map(str, levels))}; "
          f"signatures intact {intact}/{count}\n")
    print("| step | median ms per document | share of the document's pipeline time |")
    print("|---|---:|---:|")
    print(f"| pipeline (clean, OCR, PDF, fields) | {pipeline * 1000:.0f} | 100% |")
    for name, values in (("PDF/A-2 (pikepdf)", pdfa_s), ("PAdES signature with stamp, read back", sign_s)):
        print(f"| {name} | {median(values) * 1000:.0f} | {median(values) / pipeline:.1%} |")


if __name__ == "__main__":
    main()
