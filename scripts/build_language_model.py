"""Rebuild digitizer's syllable bigram model from public Vietnamese state documents.

    python scripts/build_language_model.py REPO_GIT_DIR [--revision REV]

The source is the public repository tnt305/tai_lieu_noi_bo at a fixed revision: its folder
`src/etl/dataset/` holds Vietnamese legal and administrative documents as Markdown. Only the
files that print the national motto (Độc lập - Tự do - Hạnh phúc) are read: documents issued
by state bodies, which carry no copyright (Luật Sở hữu trí tuệ, Điều 15); the folder's other
files (question-and-answer articles) are left out. Nothing of the text is kept: the output is
counts of syllables and of pairs of neighbouring syllables seen at least MIN_COUNT times.

Syllables are lowercased and spelled with Decree 30's tone placement (syllable_model.canonical,
the spelling the model is looked up by), so
"hoà" and "hòa" are one syllable. Two syllables are neighbours when only white space stands
between them inside one paragraph (the Markdown wraps lines mid-sentence); punctuation, a
table cell's edge or a paragraph's end starts again. The output (by default
digitizer/extract/data/syllable_bigrams.tsv.gz) says in its first lines where it came from.
"""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digitizer.extract.syllable_model import canonical  # noqa: E402
from digitizer.extract.tones import SYLLABLE  # noqa: E402
from digitizer.text import nfc  # noqa: E402

REPOSITORY = "tnt305/tai_lieu_noi_bo"
REVISION = "94c5034af72cc7e5020694d06eceb126a103d48b"
FOLDER = "src/etl/dataset/"
MOTTO = re.compile(r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc")
# Lines the publishing website adds around a document: not the document's text.
SITE = re.compile(r"THƯ VIỆN PHÁP LUẬT|Click vào|Đang tải văn bản|bôi vàng|Mọi hành vi sao chép")
MIN_COUNT = 2       # a pair seen once is as likely a typo or a name as Vietnamese
OUTPUT = ROOT / "digitizer" / "extract" / "data" / "syllable_bigrams.tsv.gz"
# Between two syllables of one run: spaces only (a line wrapped inside a paragraph is one).
RUN_BREAK = re.compile(r"[^\w\s]|\d|_")


def documents(git_dir: Path, revision: str) -> list[str]:
    listing = subprocess.run(["git", "--git-dir", str(git_dir), "ls-tree", "-r", revision, FOLDER],
                             capture_output=True, text=True, check=True).stdout
    blobs = [line.split()[2] for line in listing.splitlines() if line.endswith(".md")]
    texts = []
    for blob in blobs:
        text = subprocess.run(["git", "--git-dir", str(git_dir), "cat-file", "-p", blob],
                              capture_output=True, check=True).stdout.decode("utf-8", "replace")
        if MOTTO.search(text):
            texts.append(nfc(text))
    return texts


def paragraphs(text: str) -> list[str]:
    """Blank lines and table rules part paragraphs; a line wrapped inside one is joined."""
    kept = [line for line in text.splitlines() if not SITE.search(line)]
    joined = "\n".join(kept).replace("**", " ").replace("*", " ")
    return [re.sub(r"\s+", " ", block) for block in re.split(r"\n\s*\n|\n?\|\n?|\n-{3,}\n?", joined)]


def runs(paragraph: str) -> list[list[str]]:
    """The paragraph's runs of syllables with only spaces between, each syllable canonical."""
    out = []
    for piece in RUN_BREAK.split(paragraph):
        syllables = [canonical(s) for s in SYLLABLE.findall(piece)]
        if syllables:
            out.append(syllables)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("git_dir", type=Path, help=f"a clone or mirror of {REPOSITORY}")
    parser.add_argument("--revision", default=REVISION)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()

    unigrams: Counter[str] = Counter()
    bigrams: Counter[tuple[str, str]] = Counter()
    texts = documents(args.git_dir, args.revision)
    for text in texts:
        for paragraph in paragraphs(text):
            for run in runs(paragraph):
                unigrams.update(run)
                bigrams.update(zip(run, run[1:]))
    total = sum(unigrams.values())
    kept_unigrams = {s: n for s, n in unigrams.items() if n >= MIN_COUNT}
    kept_bigrams = {p: n for p, n in bigrams.items() if n >= MIN_COUNT and p[0] in kept_unigrams
                    and p[1] in kept_unigrams}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.output, "wb", mtime=0) as out:   # mtime 0: the same input gives the same bytes
        lines = [f"# source\tgithub.com/{REPOSITORY}\t{args.revision}\t{FOLDER}*.md with the national motto",
                 f"# documents\t{len(texts)}", f"# syllables\t{total}",
                 f"# kept\t{len(kept_unigrams)} syllables, {len(kept_bigrams)} pairs seen {MIN_COUNT}+ times"]
        lines += [f"1\t{s}\t{n}" for s, n in sorted(kept_unigrams.items())]
        lines += [f"2\t{a} {b}\t{n}" for (a, b), n in sorted(kept_bigrams.items())]
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{len(texts)} documents, {total} syllables: {len(kept_unigrams)} syllables and {len(kept_bigrams)} "
          f"pairs kept, {args.output.stat().st_size / 1e6:.1f} MB -> {args.output}")


if __name__ == "__main__":
    main()
