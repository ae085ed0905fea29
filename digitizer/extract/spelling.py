"""Tone marks put right in a document's OCR words: where Tesseract weighed another reading
that makes a word with a neighbour ("phô thông" → "phổ thông"), where it misread a phrase
the document prints rightly elsewhere (tones.Usage), and syllables no Vietnamese text uses
("khân", "triên") that make a word with a neighbour in one reading only. In the words
themselves, so the record's text, the search index and the PDF's text layer agree."""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby

from ..model import PageResult, Word
from ..text import fold, page_text
from .syllable_model import choose_reading
from .tones import SYLLABLE, Usage, fix_tones, key, titled
from .vocabulary import CAPITAL_PHRASES


def respell(pages: list[PageResult]) -> list[PageResult]:
    """`pages` with each OCR line's misread tone marks put right: first by the readings
    Tesseract weighed, then by the document's majority and the word list (tones.fix_tones)."""
    usage = Usage.of("\n".join(page.text for page in pages))
    return [_respelled(page, usage) if page.ocr == "tesseract" else page for page in pages]


def _respelled(page: PageResult, usage: Usage) -> PageResult:
    words: list[Word] = []
    for _, group in groupby(page.words, key=lambda w: w.line):
        line = _capital_phrases(_settle_doubts(list(group)))
        text = " ".join(w.text for w in line)
        fixed = fix_tones(text, usage, running_text=True).split(" ")
        if len(fixed) == len(line):     # a word holding a space (a text layer's) keeps the line as read
            line = [w if w.text == new else replace(w, text=new) for w, new in zip(line, fixed)]
        words.extend(line)
    if all(a is b for a, b in zip(words, page.words)):
        return page
    return replace(page, words=words, text=page_text(words))


def _settle_doubts(line: list[Word]) -> list[Word]:
    """Each word Tesseract was in two minds about, read the way the language model and
    Tesseract's odds together prefer (syllable_model.choose_reading). Neighbours are syllables
    with only a space between; a word of a name is never changed."""
    out = list(line)
    for i, word in enumerate(line):
        if not word.doubts or _in_name(line, i):
            continue
        chosen = choose_reading(word.text, word.doubts, _before(line, i), _after(line, i))
        if chosen is not None:
            out[i] = replace(word, text=chosen, doubts=())
    return out


def _capital_phrases(line: list[Word]) -> list[Word]:
    """Words in capitals that spell one of the phrases Decree 30 pages print so (vocabulary.
    CAPITAL_PHRASES) but with other marks, given the phrase's: "GIÁM ĐÓC" → "GIÁM ĐỐC". A
    spelling with the same marks placed otherwise ("UỶ", "HOÀ") is as printed and stays."""
    out = list(line)
    cores = [m.group() if (m := SYLLABLE.fullmatch(w.text.strip(",.;:"))) else "" for w in line]
    folded = [fold(core) if core.isupper() else None for core in cores]     # capitals only
    i = 0
    while i < len(line):
        for parts, folds in _PHRASES:
            if folded[i:i + len(folds)] == folds:
                for j, part in enumerate(parts, i):
                    if key(cores[j]) != key(part):
                        out[j] = replace(line[j], text=line[j].text.replace(cores[j], part, 1))
                i += len(parts) - 1
                break
        i += 1
    return out


_PHRASES = [(phrase.split(), [fold(part) for part in phrase.split()]) for phrase in CAPITAL_PHRASES]


def _in_name(line: list[Word], i: int) -> bool:
    """A capitalised word beside another ("Hà Thanh Vinh") is part of a name: never changed."""
    return titled(line[i].text) and any(titled(line[j].text) for j in (i - 1, i + 1) if 0 <= j < len(line))


def _before(line: list[Word], i: int) -> str | None:
    """The syllable before word i, if it runs on to it (only a space between)."""
    if i > 0 and line[i - 1].text[-1:].isalpha() and line[i].text[:1].isalpha():
        return SYLLABLE.findall(line[i - 1].text)[-1]
    return None


def _after(line: list[Word], i: int) -> str | None:
    """The syllable after word i, if it runs on to it."""
    if i + 1 < len(line) and line[i].text[-1:].isalpha() and line[i + 1].text[:1].isalpha():
        return SYLLABLE.findall(line[i + 1].text)[0]
    return None
