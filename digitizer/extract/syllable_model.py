"""A syllable bigram model of Vietnamese administrative text, and the noisy-channel choice
among the readings Tesseract weighed for a word.

The model is counts from public state documents (`data/syllable_bigrams.tsv.gz`, rebuilt by
`scripts/build_language_model.py`, whose header names the source and revision). Probabilities
are interpolated absolute discounting: a pair seen in the documents gets its share of the
first syllable's occurrences less DISCOUNT, and the rest (the discounts, the pairs seen once
and the runs that end there) is spread by how common the second syllable is, so an unseen
pair still has a small, ordered probability.

A word's reading is chosen as a noisy channel does: the reading x that maximises
    log P(x | left) + log P(right | x) + CHANNEL_WEIGHT * log(odds of x)
where the odds are Tesseract's confidence in x's character over the one it chose (1 for its
own choice). Syllables are compared lowercase, with Decree 30's tone placement (tones.key).
"""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Iterable

from ..model import Doubt
from ..built import built
from .tones import SYLLABLE, key, lexicon, spell, word_lists

MODEL_FILE = "syllable_bigrams.tsv.gz"
# The four numbers below were swept on the real development letters (DISCOUNT 0.5-0.9,
# CHANNEL_WEIGHT 0.5-2, MARGIN 0-3, WORD_COUNT 0-3): every setting read them at 1.39-1.42%
# CER against 1.63% without the model, so they are the textbook values, not tuned ones.
# Absolute discount per seen pair: the usual 0.75.
DISCOUNT = 0.75
# How much Tesseract's own odds weigh against the text's: 1 is Bayes' rule taken at its word.
# Tesseract's odds are sharp (90 against 33 for a character it doubted), so the model must
# find the other reading several times likelier in context before it is taken.
CHANNEL_WEIGHT = 1.0
# The odds of a reading must beat its rival's by this many nats (a factor of about 7), so that a
# pair the documents happen to print a little more often does not overturn a clear reading.
MARGIN = 2.0
# A pair of syllables inside a word of the dictionaries (tones.lexicon) counts as seen this
# often: the documents are administrative, and a receipt's "đậu phộng" is Vietnamese all the
# same (without it the model took "phông" for it, the documents printing only "phông chữ").
WORD_COUNT = 1


@dataclass(frozen=True)
class BigramModel:
    unigrams: dict[str, int]
    bigrams: dict[tuple[str, str], int]
    left_over: dict[str, float]      # P's share each syllable leaves to the unigram: discounts, unkept pairs, ends
    total: int

    @classmethod
    def parse(cls, lines: list[str], words: Iterable[tuple[str, str]] = ()) -> BigramModel:
        """The model of the counts in `lines`, with each pair of syllables inside a dictionary
        word (`words`) counted WORD_COUNT times more."""
        unigrams: dict[str, int] = {}
        bigrams: dict[tuple[str, str], int] = {}
        for line in lines:
            order, gram, number = line.split("\t")
            if order == "1":
                unigrams[gram] = int(number)
            elif order == "2":
                first, second = gram.split(" ")
                bigrams[(first, second)] = int(number)
        for pair in words:
            bigrams[pair] = bigrams.get(pair, 0) + WORD_COUNT
            for syllable in pair:
                unigrams[syllable] = unigrams.get(syllable, 0) + WORD_COUNT
        kept: dict[str, float] = {}
        for (first, _), seen in bigrams.items():
            kept[first] = kept.get(first, 0.0) + seen - DISCOUNT
        left_over = {s: 1 - kept.get(s, 0.0) / seen for s, seen in unigrams.items() if seen}
        return cls(unigrams, bigrams, left_over, sum(unigrams.values()))

    def unigram(self, syllable: str) -> float:
        """P(syllable), add-one smoothed so an unseen syllable is rare, not impossible."""
        return (self.unigrams.get(syllable, 0) + 1) / (self.total + len(self.unigrams) + 1)

    def bigram(self, first: str, second: str) -> float:
        """P(second | first)."""
        seen = self.unigrams.get(first, 0)
        if not seen:
            return self.unigram(second)
        pair = self.bigrams.get((first, second), 0)
        return max(pair - DISCOUNT, 0) / seen + self.left_over[first] * self.unigram(second)

    def fit(self, left: str | None, word: str, right: str | None) -> float:
        """log P(word | left) + log P(right | word): how well `word` sits between its neighbours
        (syllables in canonical spelling; None where the run of text ends)."""
        score = math.log(self.bigram(left, word) if left else self.unigram(word))
        return score + (math.log(self.bigram(word, right)) if right else 0.0)


def canonical(syllable: str) -> str:
    return spell(key(syllable))


@cache
def language_model() -> BigramModel:
    source = Path(str(files(__package__).joinpath("data", MODEL_FILE)))

    def build() -> BigramModel:
        lines = gzip.decompress(source.read_bytes()).decode("utf-8").splitlines()
        syllables, pairs = lexicon()
        spelled = {k: spell(k) for k in syllables}      # once per syllable, not per pair (0.4 s saved)
        words = {(spelled[first], spelled[second]) for first, second in pairs}
        return BigramModel.parse([line for line in lines if not line.startswith("#")], words)

    return built("language-model", [source, *word_lists()], build)


def choose_reading(word: str, doubts: tuple[Doubt, ...], left: str | None, right: str | None) -> str | None:
    """The reading of `word` among Tesseract's (its own and `doubts`) that the noisy channel
    prefers, if another than its own; None to keep it. `left`/`right`: the neighbouring
    syllables with only a space between, or None. A doubt that changes anything but a letter of
    a one-syllable word (a digit, a sign) is not a spelling's doubt and is not weighed."""
    model = language_model()
    here = _syllable(word)
    if here is None or not doubts:
        return None
    context = (canonical(left) if left else None, canonical(right) if right else None)
    best, best_score = None, model.fit(context[0], canonical(here), context[1]) + MARGIN
    for doubt in doubts:
        other = _syllable(doubt.text)
        if other is None or SYLLABLE.sub("", doubt.text) != SYLLABLE.sub("", word) or key(other) == key(here):
            continue
        score = model.fit(context[0], canonical(other), context[1]) + CHANNEL_WEIGHT * math.log(doubt.odds)
        if score > best_score:
            best, best_score = doubt.text, score
    return best


def _syllable(text: str) -> str | None:
    """The one syllable of `text` (a word with its punctuation), if it holds one."""
    found = SYLLABLE.findall(text)
    return found[0] if len(found) == 1 else None
