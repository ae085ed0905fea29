"""Store overhead per document, local folder and S3 (moto's server over HTTP, or a MinIO
given by DIGITIZER_TEST_S3_ENDPOINT and keys), beside the time the pipeline took.

    python bench/store.py [--docs 12] [--runs 3]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, median

sys.path.insert(0, str(ROOT))

from digitizer.config import S3Settings, Settings  # noqa: E402
from digitizer.parallel import page_worker  # noqa: E402
from digitizer.model import Outcome  # noqa: E402
from digitizer.pipeline import process  # noqa: E402
from digitizer.storage import LocalStore, save_outcome  # noqa: E402
from digitizer.storage.s3 import S3Store  # noqa: E402
from samples import DEGRADATIONS, generate  # noqa: E402
from tests.s3server import start_s3  # noqa: E402


def renamed(outcome: Outcome, data: bytes, tag: str) -> tuple[Outcome, bytes]:
    """The same document under a fresh id, so every save writes (none is 'already stored')."""
    data = data + tag.encode()
    record = copy.deepcopy(outcome.record)
    record.id = hashlib.sha256(data).hexdigest()
    return Outcome(record, outcome.pdf, outcome.text), data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    page_worker()
    settings = Settings(workers=1)
    docs = []
    for i in range(args.docs):
        s = generate("quyet_dinh", DEGRADATIONS[i % len(DEGRADATIONS)], 900 + i)
        start = time.perf_counter()
        outcome = process(s.data, s.name, settings)
        docs.append((outcome, s.data, time.perf_counter() - start))
    pipeline_s = median([d[2] for d in docs])

    server = start_s3()
    try:
        stores = {"local folder": LocalStore(Path(tempfile.mkdtemp(prefix="bench-store-"))),
                  f"S3 ({'MinIO' if server.process is None else 'moto server'}, HTTP)": S3Store.from_settings(
                      S3Settings(endpoint=server.endpoint, access_key=server.access_key,
                                 secret_key=server.secret_key, bucket=server.bucket_name(), region="us-east-1"))}
        rows = []
        for name, store in stores.items():
            per_doc = []
            for run in range(args.runs):
                for i, (outcome, data, _) in enumerate(docs):
                    o, d = renamed(outcome, data, f"{name}/{run}/{i}")
                    start = time.perf_counter()
                    assert save_outcome(store, o, d).status == "done"
                    per_doc.append(time.perf_counter() - start)
            rows.append((name, median(per_doc)))
    finally:
        server.stop()
    size = median([len(d[0].pdf) + len(d[1]) for d in docs]) / 1024
    print(f"{args.docs} one-page documents (median original + PDF {size:.0f} KB), {args.runs} runs\n")
    print("| store | median ms per document (4 objects, verified) | share of pipeline time |")
    print("|---|---:|---:|")
    for name, seconds in rows:
        print(f"| {name} | {1000 * seconds:.0f} | {100 * seconds / pipeline_s:.1f}% |")
    print(f"\nmedian pipeline time per document (load, clean, OCR, PDF, fields): {1000 * pipeline_s:.0f} ms")


if __name__ == "__main__":
    main()
