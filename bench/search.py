"""Search latency on a large index: 100,000 generated records (no OCR needed to make them).

    python bench/search.py [--records 100000] [--queries 200]

Records carry the text and fields of generated documents of every kind. Reports the index
build rate, its size per document, and p50/p95 latency of typical clerk queries.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT

sys.path.insert(0, str(ROOT))

from digitizer.text import fold  # noqa: E402
from digitizer.model import Field, Record, SourceInfo  # noqa: E402
from digitizer.storage import Filters, SqliteIndex  # noqa: E402
from samples import KINDS  # noqa: E402
from samples.content import make_document  # noqa: E402


def synthetic(i: int, rng: random.Random) -> Record:
    kind = sorted(KINDS)[i % len(KINDS)]
    spec = make_document(kind, rng)
    lines = spec.header_left + spec.header_right + spec.title + spec.body + spec.signature
    record = Record(id=hashlib.sha256(f"doc{i}".encode()).hexdigest(),
                    source=SourceInfo(f"{kind}-{i:06d}.pdf", 100_000, "application/pdf", None,
                                      f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00+07:00"))
    record.text = "\n".join(line.text for line in lines)
    fields = dict(spec.fields)
    record.doc_type = Field(fields.pop("doc_type"), 0.97)
    record.fields = {k: Field(v, 0.95) for k, v in fields.items()}
    return record


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    rng = random.Random(42)
    path = Path(tempfile.mkdtemp(prefix="bench-search-")) / "index.sqlite"
    index = SqliteIndex(path)
    records = [synthetic(i, rng) for i in range(args.records)]
    start = time.perf_counter()
    for i in range(0, len(records), 5000):
        index.add_many(records[i:i + 5000])
    build = time.perf_counter() - start
    index.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size

    people = [r for r in records if "person_name" in r.fields]
    queries = {
        "a name without diacritics": lambda r: (fold(rng.choice(people).fields["person_name"].value), None),
        "an ID number (filter)": lambda r: ("", Filters(id_number=rng.choice(people).fields["id_number"].value)),
        "a phrase plus a type filter": lambda r: ('"dang ky khai sinh"', Filters(doc_type="Đơn đề nghị")),
        "a phrase in every document of its type, plus that type (worst case)": lambda r: (
            '"tinh trang hon nhan"', Filters(doc_type="Giấy xác nhận tình trạng hôn nhân")),
        "a word with diacritics": lambda r: ("Phượng", None),
    }
    print(f"{args.records:,} records; build {args.records / build:,.0f} records/s ({build:.1f} s); "
          f"index {size / 1e6:.0f} MB = {size / args.records / 1024:.1f} KB per document\n")
    print("| query | p50 ms | p95 ms | hits (last) |\n|---|---:|---:|---:|")
    for name, make in queries.items():
        times, total = [], 0
        for _ in range(args.queries):
            q, f = make(None)
            t = time.perf_counter()
            total = index.search(q, f, limit=20).total
            times.append(1000 * (time.perf_counter() - t))
        print(f"| {name} | {percentile(times, 0.5):.1f} | {percentile(times, 0.95):.1f} | {total} |")
    index.close()


if __name__ == "__main__":
    main()
