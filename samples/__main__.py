"""python -m samples OUT [--count N] [--seed S]: write sample files and their .truth.json."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from . import DEGRADATIONS, corpus


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m samples", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=len(DEGRADATIONS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--degradation", action="append", choices=DEGRADATIONS + ["born_digital"])
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for sample in corpus(args.count, args.seed, args.degradation):
        (args.out / sample.name).write_bytes(sample.data)
        truth = args.out / (sample.name + ".truth.json")
        truth.write_text(json.dumps(sample.truth, ensure_ascii=False, indent=1), encoding="utf-8")
        print(sample.name)


if __name__ == "__main__":
    main()
