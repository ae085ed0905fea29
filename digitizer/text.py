"""Vietnamese text forms: NFC for storage and display, a folded form for matching.

`fold` keeps one character per character of its NFC input (marks dropped, đ -> d, lower
case), so a match found in the folded text has the same offsets in the original.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

from .model import Word


def nfc(text: str) -> str:
    """`text` in NFC, as a plain str: a library's str subclass keeps what it came from (a
    signature field's name from pyHanko held the whole PDF it was read from, which then went
    with the record from a worker process, 5.7 MB pickled), and normalize returns the very
    object when it is NFC already."""
    return unicodedata.normalize("NFC", str(text))


def _unmarked_char(c: str) -> str:
    if c in "đĐ":
        return "d" if c == "đ" else "D"
    return unicodedata.normalize("NFD", c)[0]


def _fold_char(c: str) -> str:
    base = _unmarked_char(c)
    return base.lower() if len(base.lower()) == 1 else c


# Every Latin letter Vietnamese can use (ASCII, Latin-1, Latin Extended, the Vietnamese
# block), folded or unmarked once; str.translate then runs at C speed on whole texts.
_LETTERS = [cp for r in ((0x41, 0x5B), (0xC0, 0x250), (0x1E00, 0x1F00)) for cp in range(*r)]
_FOLD_TABLE = {cp: _fold_char(chr(cp)) for cp in _LETTERS if _fold_char(chr(cp)) != chr(cp)}
_UNMARK_TABLE = {cp: _unmarked_char(chr(cp)) for cp in _LETTERS
                 if chr(cp).isalpha() and _unmarked_char(chr(cp)).isascii() and _unmarked_char(chr(cp)) != chr(cp)}


def fold(text: str) -> str:
    """'Nguyễn Văn Đức' -> 'nguyen van duc', one output character per NFC input character."""
    return nfc(text).translate(_FOLD_TABLE)


def unmarked(text: str) -> str:
    """'Tiền mặt ĐÃ' -> 'Tien mat DA': the letters without their marks, case kept."""
    return nfc(text).translate(_UNMARK_TABLE)


# The national motto heading a Decree 30 page's right column, folded: "CỘNG HÒA XÃ HỘI CHỦ
# NGHĨA VIỆT NAM" over "Độc lập - Tự do - Hạnh phúc". The one motto detector: the reading
# order parts a line before it, the issuer is read left of it, and a page printing it among
# its first lines opens a document.
MOTTO = re.compile(r"cong\s*hoa|doc\s*lap\s*-?\s*tu\s*do")   # inside a word too: "Dũng_CỘNG HÒA" as read


def motto_in(folded: str) -> re.Match[str] | None:
    """Where the motto starts in a folded text (`fold`), if it is there."""
    return MOTTO.search(folded)


def squash(text: str) -> str:
    """Whitespace collapsed and trimmed."""
    return re.sub(r"\s+", " ", text).strip()


def sentence_case(text: str) -> str:
    """'ỦY BAN NHÂN DÂN XÃ SƠN ĐÔNG' -> 'Ủy ban nhân dân xã Sơn Đông': lower case, first
    letter up, and the place name after xã/phường/huyện/tỉnh/... in title case."""
    words = squash(text).lower().split(" ")
    out, place = [], False
    for i, word in enumerate(words):
        if i == 0 or place:
            word = word[:1].upper() + word[1:]
        if fold(word) in ("xa", "phuong", "huyen", "tinh", "quan") or (
                i > 0 and fold(words[i - 1]) in ("thi", "thanh") and fold(word) in ("tran", "pho")):
            place = True
        out.append(word)
    return " ".join(out)


def page_text(words: list[Word]) -> str:
    """Lines of words separated by spaces, lines by newlines, in Tesseract's reading order."""
    out: list[str] = []
    current = None
    for word in words:
        if word.line != current:
            out.append("\n" if out else "")
            current = word.line
        elif out:
            out.append(" ")
        out.append(word.text)
    return "".join(out)


def page_ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> '1-3, 5'."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def word_core(text: str) -> str:
    """A word without the punctuation around it: "(ký," -> "ký"."""
    return text.strip(".,;:!?()[]\"'“”‘’-–")


def is_wordlike(text: str) -> bool:
    """Could be a Vietnamese syllable or a figure: letters holding a vowel, at most seven of
    them ("nghiêng"), or digits without letters. Not "E2222211112222", "ccrrrrrree" or "Á"."""
    core = word_core(text)
    if core.isalpha():
        bare = unicodedata.normalize("NFD", core.lower())
        return len(core) >= 2 and len(core) <= 7 and any(ch in "aeiouy" for ch in bare)
    return any(ch.isdigit() for ch in core) and not any(ch.isalpha() for ch in core)


# A Vietnamese syllable's spelling, marks folded away: an onset, one to three vowels, a final.
VIETNAMESE_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}"
                                 r"(?:ch|ng|nh|[cmnpt])?")


def is_vietnamese_spelled(text: str) -> bool:
    """Spelled as a Vietnamese syllable can be ("nghiêng", "quyết"); not "Citizen" or "Card"."""
    return bool(VIETNAMESE_SYLLABLE.fullmatch(fold(word_core(text))))


def mostly_junk(texts: list[str], is_word: Callable[[str], bool] = is_wordlike) -> bool:
    """Half the characters or more are in words that are not words (`is_word`): specks, a scrawl."""
    chars = sum(len(t) for t in texts)
    return 2 * sum(len(t) for t in texts if not is_word(t)) >= chars
