"""Which block of Decree 30/2020's page each segment belongs to.

Read from the segments' places and a few printed anchors: the document's title (a type's
name in capitals), the national motto, "Số:", "V/v", "Nơi nhận", a form's labels. The header
is what stands above the title (or in the page's top share), parted into the issuing body's
column and the motto's; the subject is set under the title on its centre (or is the "V/v"
under the number); the signer and the recipients are what stands below the body's last line,
right and left of it. What is not printed text is marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import BlockKind
from ..text import is_vietnamese_spelled, motto_in
from .doctypes import title_type
from .labels import ADDRESSED, ANY_LABEL, RECIPIENTS, ROW_LABEL
from .measures import (ABOUT_TOP, CAPITALS, HEADER, HEADER_SPLIT, MOTTO_MARGIN_PT, MOTTO_SEGMENTS, RIGHT_HALF,
                       GLOSS_WORDS, SAME_COLUMN, SAME_COLUMN_MIN_PT, SAME_LINE, SAME_SIZE, SUBJECT_LINE_GAP,
                       SUBJECT_UNDER_TITLE)
from .segments import Segment, upper_ratio

# "V/v", as printed and as OCR reads it ("Vv", "V.v", "V\\v", "VỊv": the slash read as a
# letter i), or "Về việc".
ABOUT = re.compile(r"(v\s*[/\\.|]\s*v?\s|v[il1]?v\s|ve\s+viec\b)")
NOT_SUBJECT = re.compile(r"(kinh gui|can cu|so\s*:|noi nhan)")
# "<Place>, ngày dd tháng mm năm yyyy"; the day may be blank or a scrawl (filled in by hand),
# and OCR may read the comma as a full stop.
PLACE_DATE = re.compile(r"[,.]\s*ngay\s*(?:\S{1,3}?\s*)?(?:thang|[/.-])")
# A decision's authority line: the office holder who issues it (Decree 30, form 1.1).
OFFICE_HOLDER = re.compile(r"(cua\s+)?(chu tich|giam doc|truong ban|bo truong|chanh an|vien truong|cuc truong|"
                           r"hieu truong|tong giam doc)\b")


@dataclass(frozen=True)
class PageSize:
    """The page the words' boxes are measured on: pixels, and pixels per inch."""
    width: float
    height: float
    dpi: float

    def points(self, pt: float) -> float:
        return pt * self.dpi / 72


def kinds(segs: list[Segment], page: PageSize) -> list[BlockKind]:
    """The block kind of each segment (in reading order)."""
    kind = [BlockKind.BODY if s.is_text else BlockKind.MARKS for s in segs]
    title = next((i for i, s in enumerate(segs) if upper_ratio(s.text) >= CAPITALS and title_type(s.folded)), None)
    if title is not None:
        kind[title] = BlockKind.TITLE
    for i, found in _header(segs, title, page):
        kind[i] = found
    subject = _subject(segs, title, page)
    for i in subject:
        kind[i] = BlockKind.SUBJECT
    after = subject[-1] if subject else title
    authority = _authority(segs, after, title, page)
    if authority is not None:
        kind[authority] = BlockKind.AUTHORITY
    for i, found in _foot(segs, kind, page):
        kind[i] = found
    for i, s in enumerate(segs):
        if kind[i] == BlockKind.BODY and ROW_LABEL.match(s.folded):
            kind[i] = BlockKind.ROW
    return kind


def _header(segs: list[Segment], title: int | None, page: PageSize) -> list[tuple[int, BlockKind]]:
    """The header's segments, in reading order until the first at or below the title (or
    below the page's top HEADER share): left of where the motto starts, the issuing body's;
    right of it, the motto and the place and date. Capitals read with little confidence
    (a faint or faxed header) are the header's still."""
    split = page.width * HEADER_SPLIT
    for seg in segs[:MOTTO_SEGMENTS]:
        m = motto_in(seg.folded)
        if m:
            split = seg.word_at(m.start()).left - page.points(MOTTO_MARGIN_PT)
            break
    stop = segs[title].top if title is not None else page.height * HEADER
    # The body's first line (it crosses both columns) ends the header too, and so does a
    # công văn's "Kính gửi:" (its recipients follow).
    stop = min([stop] + [s.top for s in segs if s.is_text and (_crosses(s, page) and not motto_in(s.folded)
                                                              or ADDRESSED.match(s.folded))])
    out = []
    for i, seg in enumerate(segs):
        if seg.top >= stop:
            break
        if not seg.lettered:
            continue
        if seg.middle < split:
            out.append((i, BlockKind.ISSUER))
        elif motto_in(seg.folded):
            out.append((i, BlockKind.MOTTO))
        elif PLACE_DATE.search(seg.folded):
            out.append((i, BlockKind.DATE))
    return out


def _crosses(seg: Segment, page: PageSize) -> bool:
    """A line that starts in the left column and ends in the right: a paragraph's."""
    return seg.x0 < page.width * RIGHT_HALF and seg.x1 > page.width * (1 - RIGHT_HALF)


def _same_column(seg: Segment, first: Segment, page: PageSize) -> bool:
    """Set under `first` as a continuation is: on the same centre, or the same left edge."""
    tolerance = max(page.points(SAME_COLUMN_MIN_PT), SAME_COLUMN * page.width)
    return abs(seg.middle - first.middle) <= tolerance or abs(seg.x0 - first.x0) <= tolerance


def _not_subject(seg: Segment) -> bool:
    return bool(NOT_SUBJECT.match(seg.folded) or ANY_LABEL.match(seg.folded)) or _gloss(seg)


def _gloss(seg: Segment) -> bool:
    """A title's translation set under it ("Citizen Identity Card" on an ID card), not a
    subject: of GLOSS_WORDS words or more, at most one is spelled as a Vietnamese syllable."""
    words = seg.text.split()
    return len(words) >= GLOSS_WORDS and sum(map(is_vietnamese_spelled, words)) <= 1


def _printed(segs: list[Segment]) -> list[int]:
    """The segments with a letter or digit (not a rule's bar alone), top to bottom."""
    return sorted((i for i, s in enumerate(segs) if any(c.isalnum() for c in s.text)), key=lambda i: segs[i].top)


def _subject_start(segs: list[Segment], title: int | None, page: PageSize) -> int | None:
    """The subject's first line: set under the title on its centre (or "V/v"/"Về việc"), or
    without a title a "V/v" line in the top of the page."""
    for i in _printed(segs):
        seg = segs[i]
        if _not_subject(seg):
            continue
        if title is None:
            if ABOUT.match(seg.folded) and seg.top < page.height * ABOUT_TOP:
                return i
            continue
        head = segs[title]
        if seg.top <= head.top + SAME_LINE * head.height:
            continue                    # the title's own line, or beside it
        close = seg.top - head.top < SUBJECT_UNDER_TITLE * head.height
        return i if close and (ABOUT.match(seg.folded) or _same_column(seg, head, page)) else None
    return None


def _subject(segs: list[Segment], title: int | None, page: PageSize) -> list[int]:
    """Trích yếu: "V/v …" under the number (công văn), or the line set under the title on
    its centre ("Về việc …" or the subject itself), with the lines that continue it: on the
    same centre or left edge, at the same line spacing and letter size. The body starts
    where that stops (an indented, justified first line; a wider gap; a smaller size)."""
    start = _subject_start(segs, title, page)
    if start is None:
        return []
    first = prev = segs[start]
    out = [start]
    for i in _printed(segs):
        seg = segs[i]
        if seg.top <= prev.top + SAME_LINE * prev.height:
            continue
        if seg.top - prev.top > SUBJECT_LINE_GAP * max(prev.height, first.height):
            break       # a gap: the block has ended (or the next line of this column is further down)
        if not _same_column(seg, first, page) or abs(seg.height - first.height) > SAME_SIZE * first.height or \
                _not_subject(seg):
            continue    # another column's line at the same height
        out.append(i)
        prev = seg
    return out


def _authority(segs: list[Segment], after: int | None, title: int | None, page: PageSize) -> int | None:
    """A decision's office holder, set under its subject on the title's centre, in capitals
    ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …"): the next printed line below the subject."""
    if after is None or title is None:
        return None
    below = [i for i in _printed(segs) if segs[i].top > segs[after].top + SAME_LINE * segs[after].height]
    if not below:
        return None
    i = below[0]
    seg = segs[i]
    if seg.capitals and _same_column(seg, segs[title], page) and OFFICE_HOLDER.match(seg.folded):
        return i
    return None


def _foot(segs: list[Segment], kind: list[BlockKind], page: PageSize) -> list[tuple[int, BlockKind]]:
    """Below the body's last line (one that crosses both columns): the signer's lines on the
    right, and the recipients on the left where they open with "Nơi nhận". A name under a
    seal is read with little confidence: lines there with letters are the signer's too."""
    left = page.width * RIGHT_HALF
    free = [i for i, s in enumerate(segs) if kind[i] == BlockKind.BODY or (kind[i] == BlockKind.MARKS and s.lettered)]
    across = [segs[i].top for i in free if segs[i].is_text and _crosses(segs[i], page)]
    floor = max(across, default=-1)
    below = [i for i in free if segs[i].top > floor]
    out = [(i, BlockKind.SIGNER) for i in below if segs[i].x0 >= left]
    lower_left = [i for i in below if segs[i].x0 < left]
    if any(RECIPIENTS.match(segs[i].folded) for i in lower_left):
        out += [(i, BlockKind.RECIPIENTS) for i in lower_left if segs[i].is_text]
    return out
