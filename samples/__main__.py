"""python -m samples OUT [--count N] [--seed S]: write sample files and their .truth.json.
python -m samples OUT --kinds N [--kind K]: N pages of each of the citizen's kinds (ID-card lines,
receipts, hand-filled forms, ID-card copies), or of kind K only, and a `truth.jsonl` as in
../shared/realworld/, for `bench/realworld.py --set OUT`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from . import DEGRADATIONS, corpus
from .kinds import KINDS, page_kind, truth_row


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m samples", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=len(DEGRADATIONS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--degradation", action="append", choices=DEGRADATIONS + ["born_digital"])
    parser.add_argument("--kinds", type=int, metavar="N", help="page kinds instead of letters, N of each")
    parser.add_argument("--kind", action="append", choices=sorted(KINDS), help="with --kinds: only these kinds")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.kinds:
        write_kinds(args.out, args.kinds, args.seed, args.kind or list(KINDS))
        return
    for sample in corpus(args.count, args.seed, args.degradation):
        (args.out / sample.name).write_bytes(sample.data)
        truth = args.out / (sample.name + ".truth.json")
        truth.write_text(json.dumps(sample.truth, ensure_ascii=False, indent=1), encoding="utf-8")
        print(sample.name)


def write_kinds(out: Path, count: int, seed: int, kinds: list[str]) -> None:
    rows = []
    for kind in kinds:
        for i in range(count):
            sample = page_kind(kind, seed + i)
            (out / sample.name).write_bytes(sample.data)
            rows.append(truth_row(sample))
            print(sample.name)
    (out / "truth.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


if __name__ == "__main__":
    main()
