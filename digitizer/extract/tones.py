"""Tone marks that Tesseract's `vie` model misreads, put right from the neighbouring words.

Tesseract confuses the five tone marks (and a vowel's hat) on otherwise well-read syllables:
"chỉ phí" for "chi phí", "chuyến đổi" for "chuyển đổi", "đạo tạo" for "đào tạo". Which one
is meant is plain from the neighbours: Vietnamese words are mostly two syllables, and only one
reading of the doubtful syllable makes a word with either neighbour.

The words are the four word lists underthesea ships (`corpus/data`: Viet11K, 22K, 39K and
74K; the largest spells "kì thi" where the smallest has "kỳ thi"); their spellings use the
old tone placement (hoà, uỷ), so syllables are compared by their letters and their tone,
wherever the mark sits. A syllable is changed only when it makes a word with
neither neighbour and the evidence for one other reading is strong (see `fix_tones`); proper
nouns (capitalised in running text) and text in capitals are never changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from ..text import fold, word_core
from ..built import built

# Combining tone marks: grave, acute, tilde, hook above, dot below.
TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
# Vowel shapes Tesseract also swaps on a syllable ("phó" for "phố"); the breve/horn/circumflex
# stay part of the letters otherwise.
SHAPES = {"o": "oôơ", "ô": "oôơ", "ơ": "oôơ", "a": "aâă", "â": "aâă", "ă": "aâă", "e": "eê", "ê": "eê",
          "u": "uư", "ư": "uư", "d": "dđ", "đ": "dđ"}
# Tones that look alike at scanning resolution: the small hook is taken for anything, and the
# grave, acute and dot for each other or for nothing. A tilde is rarely confused except with
# the hook ("tĩnh" is a misread "tỉnh", not "tình").
LOOK_ALIKE = {frozenset(p) for p in ((0, 4), (1, 4), (2, 4), (3, 4), (5, 4), (0, 1), (0, 2), (0, 5), (1, 2),
                                      (1, 5), (2, 5))}
RARE = 3.0       # zipf: below this a syllable is hardly ever written (wordfreq; "khân" 0, "dịp" 4.6)
COMMON = 4.0
DROP = 0.6       # a common syllable is not traded for one much rarer ("tại" for "tài")
CAPITALS = 0.6   # a text with more capitals than this share is a header's or a name's (no word list)
SYLLABLE = re.compile(r"[^\W\d_]+")
WORD = re.compile(r"\w+")

Key = tuple[str, int]          # (letters without tone, tone index into TONES)


def key(syllable: str) -> Key:
    """'Hoà', 'hòa' and 'HÒA' all give ('hoa', 1)."""
    tone, letters = 0, []
    for ch in unicodedata.normalize("NFD", syllable.lower()):
        if ch in TONES[1:]:
            tone = TONES.index(ch)
        else:
            letters.append(ch)
    return unicodedata.normalize("NFC", "".join(letters)), tone


def spell(k: Key) -> str:
    """The syllable with its tone mark where Decree 30's templates put it (hòa, thủy, quả)."""
    letters, tone = k
    if not tone:
        return letters
    bare = [unicodedata.normalize("NFD", ch)[0] for ch in letters]
    vowels = [i for i, ch in enumerate(bare) if ch in "aeiouy"]
    if letters[:2] in ("qu", "gi") and len(vowels) > 1 and vowels[0] == 1:
        vowels = vowels[1:]             # the u of qu and the i of gi belong to the consonant
    if not vowels:
        return letters
    shaped = [i for i in vowels if letters[i] in "âăêôơư"]
    if shaped:
        at = shaped[-1]                 # ươ, uô, iê: the hatted vowel
    elif len(vowels) == 3:
        at = vowels[1]
    elif len(vowels) == 2:
        at = vowels[1] if vowels[1] < len(letters) - 1 else vowels[0]   # "toán" but "hòa", "thủy"
    else:
        at = vowels[0]
    return unicodedata.normalize("NFC", letters[:at] + letters[at] + TONES[tone] + letters[at + 1:])


WORD_LISTS = ("Viet11K.txt", "Viet22K.txt", "Viet39K.txt", "Viet74K.txt")
WORD_SPLIT = re.compile(r"[\s-]+")


def word_lists() -> list[Path]:
    spec = find_spec("underthesea")   # located, not imported: the package's import pulls in its NLP models
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the underthesea package is missing: run `make install`")
    folder = Path(next(iter(spec.submodule_search_locations))) / "corpus" / "data"
    return [folder / name for name in WORD_LISTS]


@cache
def lexicon() -> tuple[frozenset[Key], frozenset[tuple[Key, Key]]]:
    """(every syllable, every pair of neighbouring syllables inside a word) of the word lists."""
    lists = word_lists()

    def build() -> tuple[frozenset[Key], frozenset[tuple[Key, Key]]]:
        keyed: dict[str, Key] = {}      # 300,000 syllables written, 20,000 distinct: each keyed once (1.1 s saved)
        pairs: set[tuple[Key, Key]] = set()
        for path in lists:
            for entry in path.read_text(encoding="utf-8").splitlines():
                written = [s for s in WORD_SPLIT.split(entry.strip()) if s]
                keys = [keyed[s] if s in keyed else keyed.setdefault(s, key(s)) for s in written]
                pairs.update(zip(keys, keys[1:]))
        return frozenset(keyed.values()), frozenset(pairs)

    return built("lexicon", lists, build)


FIGURE = re.compile(r"[\d.,:/-]*\d[\d.,:/-]*")


@cache
def bare_syllables() -> frozenset[str]:
    """Every syllable of the word lists without its marks ("thuy", "hoa"): a text printed
    without them (a receipt) is Vietnamese still."""
    return frozenset(fold(letters) for letters, _ in lexicon()[0])


# The English printed beside the Vietnamese on a citizen identity card and on bilingual forms
# ("Họ và tên / Full name:"): read right, it is no noise, and a reading that makes it a
# Vietnamese syllable ("Full nan:") is no better for it.
BILINGUAL_LABELS = frozenset(
    "full name date of birth sex nationality place origin residence expiry personal identification citizen "
    "identity card number socialist republic independence freedom happiness".split())


def known(texts: list[str]) -> list[bool]:
    """Which words are Vietnamese syllables (marks aside), figures, or the English of an
    identity card's labels: what a reading of text finds and a reading of noise ("Yuar Ihu;",
    "fÊa¿") does not."""
    syllables = bare_syllables()
    out = []
    for text in texts:
        core = word_core(text)
        folded = fold(core)         # lower case too
        out.append(bool(core) and (bool(FIGURE.fullmatch(core)) or
                                   core.isalpha() and (folded in syllables or folded in BILINGUAL_LABELS)))
    return out


def known_words(texts: list[str]) -> int:
    """How many of `texts` are known (see `known`)."""
    return sum(known(texts))


@dataclass(frozen=True)
class Usage:
    """How often each pair of neighbouring syllables occurs in one document's text.

    A document prints its phrases more than once (the trích yếu again in the body, a
    programme's name in every paragraph), and Tesseract does not misread every occurrence
    alike: "nhà đột nát" in the subject, "nhà dột nát" 19 times below it. Where a word
    list cannot decide on one neighbour, the document's own majority can.
    """
    pairs: Counter[tuple[Key, Key]]

    @classmethod
    def of(cls, text: str) -> Usage:
        keys = [key(m.group()) for m in SYLLABLE.finditer(text)]
        return cls(Counter(zip(keys, keys[1:])))

    def support(self, left: Key | None, here: Key, right: Key | None) -> int:
        """Occurrences of `here` beside either neighbour."""
        return (self.pairs[(left, here)] if left else 0) + (self.pairs[(here, right)] if right else 0)


SEEN = 3        # occurrences of a reading beside a neighbour before the document's majority counts


def readings(k: Key, syllables: frozenset[Key]) -> list[Key]:
    """Other spellings of a syllable that differ only in tone or a vowel's hat, and are words.
    Looked up by the letters without their hats: spelling out every way of hatting them costs
    three times more a letter ("oooooooooooooooooooo", a dotted leader as read, held a page
    for over 19 minutes)."""
    letters, tone = k
    return [other for other in _by_shape(syllables).get(_hatless(letters), ())
            if other != k and (other[1] == tone or frozenset((other[1], tone)) in LOOK_ALIKE)]


def _hatless(letters: str) -> str:
    return "".join(SHAPES.get(ch, ch)[0] for ch in letters)


@cache
def _by_shape(syllables: frozenset[Key]) -> dict[str, list[Key]]:
    """The syllables by their letters without hats, each list in the order of SHAPES's
    letters, then of TONES (the order readings were once spelled out in)."""
    index: dict[str, list[Key]] = {}
    for k in syllables:
        index.setdefault(_hatless(k[0]), []).append(k)
    for found in index.values():
        found.sort(key=lambda k: ([SHAPES.get(ch, ch).index(ch) for ch in k[0]], k[1]))
    return index


def _match_case(word: str, fixed: str) -> str:
    if word.isupper() and len(word) > 1:
        return fixed.upper()
    return fixed[:1].upper() + fixed[1:] if word[:1].isupper() else fixed


def fix_tones(text: str, usage: Usage | None = None, running_text: bool = False) -> str:
    """`text` with misread tone marks put right where the evidence leaves no doubt.

    With the `usage` of the document `text` comes from, a reading that the document prints
    beside the same neighbours more often than the one read here (and at least SEEN times)
    is taken first: that is the document's own spelling of the phrase (see `_majority`).
    Capitalised words (names, or a sentence's first word) are left to the word list.

    A syllable that is no common Vietnamese syllable (zipf < RARE in wordfreq: "khân",
    "địp") takes the reading that makes a word with a neighbour, else the commonest one.
    A common syllable ("chỉ" in "chỉ phí") is changed only when it makes a word with neither
    neighbour and one other reading makes a word with both, neither of them already taken
    by its other neighbour: a word list cannot tell "nhà tạm" from "nhà tắm", so one
    neighbour is not enough (at an edge of the text, the one neighbour there is must).
    Field values are short, so their first and last words are where this mostly applies.
    In `running_text` a line's edge is not a value's, and only rare syllables are changed
    by the word list.
    """
    word_list = True
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > CAPITALS * len(letters):
        word_list = False   # capitals: headers and names, where a name cannot be told from a word
    if usage is None and not word_list:
        return text
    syllables, pairs = lexicon()
    tokens = list(SYLLABLE.finditer(text))
    keys = [key(t.group()) for t in tokens]
    # Tokens must be adjacent words (only a space between them) to count as neighbours.
    joined = [i > 0 and text[tokens[i - 1].end():tokens[i].start()] == " " for i in range(len(tokens))]

    def neighbour(i: int) -> Key | None:
        return keys[i] if 0 <= i < len(keys) and not _proper(tokens[i].group(), joined[i]) else None

    def by_word_list(i: int) -> Key | None:
        if running_text and _zipf(keys[i]) >= RARE:
            return None
        left = neighbour(i - 1) if joined[i] else None
        right = neighbour(i + 1) if i + 1 < len(tokens) and joined[i + 1] else None
        if makes_word(left, keys[i], right, pairs):
            return None
        # A neighbour already making a word on its other side is taken: not free to make one here.
        left_free = left is not None and not (i >= 2 and joined[i - 1] and (neighbour(i - 2), left) in pairs)
        right_free = right is not None and not (i + 2 < len(tokens) and joined[i + 2]
                                                and (right, neighbour(i + 2)) in pairs)
        # Both sides must agree, except at the text's own start or end: a word list without
        # frequencies cannot tell "thu hồi đất để" from "dự toán chỉ phí" on one side alone.
        needed = (i > 0) + (i + 1 < len(tokens))
        # In running text a line's last word has its neighbour on the next line: no guessing.
        return _choose(keys[i], (left if left_free else None, right if right_free else None), needed,
                       syllables, pairs, guess=not running_text)

    out, last = [], 0
    for i, token in enumerate(tokens):
        word = token.group()
        if _proper(word, joined[i]) or len(word) < 2 or not word.isalpha():
            continue
        choice = _majority(keys, i, usage, syllables, pairs) if usage is not None and not titled(word) else None
        if choice is None and word_list:
            choice = by_word_list(i)
        if choice is not None:
            keys[i] = choice
            out.append(text[last:token.start()])
            out.append(_match_case(word, spell(choice)))
            last = token.end()
    out.append(text[last:])
    return unicodedata.normalize("NFC", "".join(out))


def _majority(keys: list[Key], i: int, usage: Usage, syllables: frozenset[Key],
              pairs: frozenset[tuple[Key, Key]]) -> Key | None:
    """The reading of keys[i] the document prints beside these neighbours most, if it is
    another than the one read here, printed so at least SEEN times, and the one read here
    makes no word with either neighbour: Tesseract misreads some words the same way all
    through a document ("phô thông"), so a majority alone may be the misreading's."""
    left = keys[i - 1] if i > 0 else None
    right = keys[i + 1] if i + 1 < len(keys) else None
    if makes_word(left, keys[i], right, pairs):
        return None
    here = usage.support(left, keys[i], right)
    best = max(readings(keys[i], syllables), key=lambda k: usage.support(left, k, right), default=None)
    if best is None:
        return None
    seen = usage.support(left, best, right)
    return best if seen >= SEEN and seen > here else None


def _choose(here: Key, free: tuple[Key | None, Key | None], needed: int,
            syllables: frozenset[Key], pairs: frozenset[tuple[Key, Key]], guess: bool = True) -> Key | None:
    """The reading to put in place of `here`, given its free neighbours; None to keep it.
    With `guess`, a rare syllable that makes no word either way takes its commonest reading."""
    left, right = free

    def words_made(k: Key) -> int:
        return (left is not None and (left, k) in pairs) + (right is not None and (k, right) in pairs)

    others = readings(here, syllables)
    if _zipf(here) < RARE:
        ranked = sorted(others, key=lambda k: (words_made(k), _zipf(k)), reverse=True)
        return ranked[0] if ranked and (words_made(ranked[0]) or (guess and _zipf(ranked[0]) >= COMMON)) else None
    agreed = [k for k in others if needed and words_made(k) >= needed and _zipf(k) >= _zipf(here) - DROP]
    return agreed[0] if len(agreed) == 1 else None


def makes_word(left: Key | None, here: Key, right: Key | None, pairs: frozenset[tuple[Key, Key]]) -> bool:
    """`here` makes a word of the lists with the neighbour on either side."""
    return (left, here) in pairs or (here, right) in pairs


def titled(word: str) -> bool:
    """Capitalised, not in capitals: a name, or a sentence's first word."""
    return word[:1].isupper() and not word.isupper()


def _proper(word: str, joined: bool) -> bool:
    """A capitalised word inside running text is a name: not ours to change."""
    return titled(word) and joined


def _zipf(k: Key) -> float:
    """wordfreq's zipf frequency of the syllable (of its letters: "tr." is "tr")."""
    spelled = spell(k)
    words = WORD.findall(spelled)
    if len(words) == 1 and SYLLABLE.fullmatch(words[0]):
        return syllable_frequencies().get(words[0], 0.0)
    from wordfreq import zipf_frequency    # figures, or words around a mark ("a.b"): wordfreq's own rules

    return zipf_frequency(spelled, "vi")


@cache
def syllable_frequencies() -> dict[str, float]:
    """wordfreq's zipf frequency of each Vietnamese syllable it counts (0 for the others), kept
    built: importing wordfreq costs a process 0.14 s, for a table of 10,000 numbers."""
    spec = find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the wordfreq package is missing: run `make install`")
    sources = sorted((Path(next(iter(spec.submodule_search_locations))) / "data").glob("*_vi.msgpack.gz"))

    def build() -> dict[str, float]:
        from wordfreq import get_frequency_dict, zipf_frequency

        return {word: zipf_frequency(word, "vi") for word in get_frequency_dict("vi") if SYLLABLE.fullmatch(word)}

    return built("syllable-frequencies", sources, build)
