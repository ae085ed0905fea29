"""process(bytes) -> Outcome: the stages in order, no I/O of its own.

    load pages -> clean (OpenCV) -> OCR (Tesseract) -> searchable PDF -> fields -> record

Pages go through `page_stage` one by one via `page_map`, which may be the builtin
`map` or a process pool's (see parallel.PagePool); everything else runs here.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import time
from datetime import datetime, timezone
from dataclasses import replace
from functools import partial
from typing import Callable, Iterable, Iterator

import cv2
import numpy as np

from . import __version__
from .config import OcrSettings, Settings, SplitSettings
from .errors import DigitizerError
from .extract import extract_fields, respell
from .extract.tones import known, known_words
from .form_rows import read_form_rows
from .form_writing import blank_writing, inside
from .skipped_figures import read_skipped_figures
from .text import nfc, page_text
from .imaging.clean import CleanPage, clean_page, plain_reading
from .imaging.geometry import form_sized, resample, upright
from .intake import load_pages
from .signing.signatures import read_signatures
from .layout import page_layout
from .layout.handwriting import handwritten_values
from .layout.labels import printed_labels, spelled_labels
from .model import ErrorKind, Outcome, PageResult, PartInfo, Record, SourceInfo, SourcePage, StoredPdf, Word
from .ocr import recognize
from .ocr.garbage import without_garbage
from .ocr.unaccented import printed_plain, without_marks
from .ocr.tesseract import merge_lines
from .pdf import PdfaMeta, build_pdf, to_pdfa
from .stack.blank import is_blank
from .stack.codes import probe_image, read_codes
from .stack.plan import Part, Split, dropped_pages, kept_pages, plan
from .stack.sheets import sheet_of

log = logging.getLogger(__name__)

TURN_GAIN = 1.3            # another way up is taken when its reading finds this much more text
GUARD_CONFIDENCE = 0.80    # below this mean word confidence the plain reading is compared (real scans: 0.90-0.95)
MIN_WORDS_TO_TURN = 8      # fewer words read than this: a blank or near-blank page, nothing to turn
PROBE_DPI = 150            # the square read to tell which way is up
# A strip shorter than this is read whole to tell which way is up: the lines cropped from ID
# cards of samples/kinds.py measure 0.22-0.72 in tall at the resolution they are read at, a
# whole card 2.1 in.
WHOLE_STRIP_IN = 1.0
MIN_SURE_WORDS = 8         # a way up must read at least this many sure words in the square to be taken
SURE = 0.85                # a word read with this confidence counts when telling which way is up
# Read as it stands with this many sure words in the square, a page is the right way up: the
# right way reads 47-88 on the generated and real pages, a wrong way 0-10.
DECISIVE = 3 * MIN_SURE_WORDS
# A whole page read as it stands is decisive with DECISIVE sure words that are at least this
# share of its words: upside down, 1-7% are sure; the right way up, 80-95% (the speed
# benchmark's generated pages and ../shared/realworld/; receipts, 15-50%, are not decisive).
SURE_SHARE = 0.5
LEVEL_SHARE = 0.8          # of a page's words of 3 letters or more, wider than tall: read on level lines
EVERY_WAY = [0, 90, 180, 270]
SHOW_THROUGH_CONFIDENCE = 0.6   # below this, the page may hold only the reverse's print, mirrored (read: ~0.5)
# A page of which this share of words are syllables or figures reads as it stands, not mirrored:
# the reverse's print showing through reads 6-16% (samples of tests/test_real_pages.py), the
# real receipts of ../shared/realworld/, read at 0.56-0.87 confidence, 49-78%.
READS_AS_IT_STANDS = 1 / 3

# A page this wide or more on its shorter side is a letter's or a form's (A5 is 5.8 in), printed
# in proportional type: Tesseract's test for fixed-pitch rows is skipped there (2 % of a page's
# time; it changed no reading of the generated and real letters and forms, monospace letters
# included). It changed four receipts photographed at 3.0-3.7 in (80 mm paper), for better and
# worse, where it stays.
PROPORTIONAL_PAGE_IN = 5.5

PageMap = Callable[[Callable[[SourcePage], PageResult], Iterable[SourcePage]], Iterator[PageResult]]


def document_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encode_display(image: np.ndarray, bilevel: bool, quality: int) -> bytes:
    """JPEG for grey and colour pages; 1-bit PNG (a few dozen KB) for black-and-white ones
    (zlib's level 6: a fax page in 9 ms and 33 KB, where Pillow took 33 ms for 39 KB)."""
    if bilevel:
        ok, buf = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_BILEVEL, 1, cv2.IMWRITE_PNG_COMPRESSION, 6])
    else:
        pixels = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        ok, buf = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise DigitizerError(ErrorKind.INTERNAL, "encoding the page's image failed")
    return buf.tobytes()


def scaled(word: Word, factor: float) -> Word:
    return replace(word, left=round(word.left * factor), top=round(word.top * factor),
                   width=max(1, round(word.width * factor)), height=max(1, round(word.height * factor)))


def reading_score(words: list[Word]) -> float:
    """How much real text a reading found: the confidence summed over words of two letters or
    more (a page read upside down gives few, with low confidence)."""
    return sum(w.confidence for w in words if sum(c.isalpha() for c in w.text) >= 2)


def evidence(words: list[Word], by_confidence: bool = False) -> tuple[int, float, float]:
    """What tells the better of two readings of a page: the printed labels read whole (an ID
    card's line reads "Date of bịnh:" at its own size, put right as its label, and "Date of bì"
    when the colon is lost, a syllable as sure as any); then the words that are Vietnamese
    syllables or figures (a cleanup that broke a thermal receipt's dots reads noise), then
    the confidence summed (reading_score). Confidence alone preferred a broken reading.
    `by_confidence`: each known word counts by the confidence it was read with, as on a whole
    page, where a form's rows read as scattered digits ("9", "000", "00010" at 0.0-0.56) must
    not outnumber its labels read at 0.96. A card's line has a few words, and a right one read
    with less confidence at its own size must count in full (ID lines read worse weighted).
    `words` have their labels put right (layout.labels.spelled_labels)."""
    hits = known([w.text for w in words])
    found = sum(w.confidence if by_confidence else 1.0 for w, hit in zip(words, hits) if hit)
    return printed_labels(words), found, reading_score(words)


def sure_words(words: list[Word]) -> int:
    """Words of two letters or more read with confidence: text read the wrong way up gives
    letters too (u for n, digits for digits), but seldom with Tesseract sure of them."""
    return sum(1 for w in words if w.confidence >= SURE and sum(c.isalpha() for c in w.text) >= 2)


def on_level_lines(words: list[Word], at_least: int = 0) -> bool:
    """The words of three letters or more (`at_least` of them) are mostly wider than tall: the
    page is the way it stands or upside down. Read sideways, Tesseract's layout finds the text
    and reads it in place, on boxes taller than wide."""
    long = [w for w in words if len(w.text) >= 3]
    level = sum(1 for w in long if w.width > w.height)
    return len(long) >= at_least and level >= LEVEL_SHARE * len(long)


def reads_decisively(words: list[Word]) -> bool:
    """The page reads as it stands, so no other way up can read better: most of its words are
    sure, on level lines. Upside down, 1-7% of a page's words are sure (real and generated
    pages); the right way up, 80-95%."""
    sure = sure_words(words)
    return sure >= DECISIVE and sure >= SURE_SHARE * len(words) and on_level_lines(words)


def mean_confidence(words: list[Word]) -> float:
    return float(np.mean([w.confidence for w in words])) if words else 0.0


def inky_square(image: np.ndarray, dpi: float) -> np.ndarray:
    """A square of half the page's shorter side around the centre of its ink: enough text to
    tell which way up it reads, at a fraction of the page's reading time (a third of the side
    was too little for a table of figures). A strip less than an inch tall (a line cropped from
    an ID card) is read whole: a square of it holds a word's part, which reads as nothing
    either way up, and the ink's guess then stood (a name's line in capitals, upside down)."""
    h, w = image.shape
    if min(h, w) < WHOLE_STRIP_IN * dpi:
        return image
    side = max(64, min(h, w) // 2)
    ys, xs = np.nonzero(image[::8, ::8] < 128)
    cy, cx = (int(np.mean(ys)) * 8, int(np.mean(xs)) * 8) if len(ys) else (h // 2, w // 2)
    top, left = min(max(0, cy - side // 2), max(0, h - side)), min(max(0, cx - side // 2), max(0, w - side))
    return np.ascontiguousarray(image[top:top + side, left:left + side])


def _read_ways(square: np.ndarray, turn_now: int, turns: list[int], probe: OcrSettings,
               scores: dict[int, int]) -> None:
    """Sure words read in `square` (the page turned `turn_now`) at each of `turns` not read
    yet, into `scores`; none after a decisive reading as it stands."""
    for turn in dict.fromkeys(turns):
        if turn in scores:
            continue
        image = np.ascontiguousarray(np.rot90(square, -((turn - turn_now) % 360) // 90))
        scores[turn] = sure_words(recognize(image, PROBE_DPI, probe))   # counted: their order is no matter
        if turn == turn_now and scores[turn] >= DECISIVE:
            return      # the page reads as it stands: no other way can read clearly more


def _chosen(scores: dict[int, int], turn_now: int) -> int | None:
    """The way up the readings back, or None on a tie: a turn must read more than upright."""
    best = max(scores, key=lambda turn: scores[turn])
    clearly = scores[best] >= MIN_SURE_WORDS and scores[best] > TURN_GAIN * scores[turn_now] + 3
    chosen = best if clearly else turn_now
    return None if chosen and scores[chosen] <= scores.get(0, 0) else chosen


def check_turn(page: SourcePage, clean: CleanPage, ocr: OcrSettings,
               every_way: bool = False, level: bool = False) -> tuple[CleanPage, str]:
    """A turn the ink gives (or proposes, when its evidence is not clear) is checked by reading
    an inky square of the page as it stands, turned that way, and turned the opposite way
    (`every_way`: all four). The page stays as it stands unless another way reads clearly
    more text; a doubtful turn is proposed from upright, so upright is what it must beat.
    A page that reads decisively as it stands is not read another way; on a tie with upright
    every way is read, and a page no way reads better stays upright. A page whose reading
    lies on `level` lines is not sideways as it stands: only it and its opposite are open
    (besides upright, always read), which spares the two slowest squares."""
    wanted = clean.proposed if clean.proposed is not None else clean.turn
    # Read at 150 DPI: which way is up needs no fine print, and it costs half as much.
    square = resample(inky_square(clean.reading, clean.reading_dpi), PROBE_DPI / clean.reading_dpi)
    # One block of horizontal lines: Tesseract's own layout would find sideways text and
    # read it in place, so every way up but upside down would look right. Only sure words are
    # counted: the readings Tesseract weighed are not asked for (the words are the same).
    probe = ocr.model_copy(update={"psm": 6, "doubts": False})
    scores: dict[int, int] = {}
    # A clear sideways turn is not in doubt about being sideways, only about which side.
    sideways_clear = clean.proposed is None and clean.turn in (90, 270)
    open_ways = [turn for turn in EVERY_WAY if not level or (turn - clean.turn) % 180 == 0]
    ways = open_ways if every_way else [wanted, (wanted + 180) % 360, *([] if sideways_clear else [0])]
    _read_ways(square, clean.turn, [clean.turn, *ways, 0], probe, scores)    # upright always: what to beat
    chosen = _chosen(scores, clean.turn)
    if chosen is None:          # a tie: the ink's way is no better than upright; read the rest
        _read_ways(square, clean.turn, open_ways, probe, scores)
        chosen = _chosen(scores, clean.turn) or 0
    note = "turn checked by reading: " + ", ".join(f"{t}° {scores[t]:.0f}" for t in scores)
    if chosen == clean.turn:
        return clean, f"{note}; kept {clean.turn}°"
    return clean_page(page, ocr.target_dpi, turn=chosen), f"{note}; turned {chosen}°"


def settle_reading(page: SourcePage, clean: CleanPage, ocr: OcrSettings) -> tuple[CleanPage, list[Word], list[str]]:
    """Read the cleaned page, and read again only where the first reading is in doubt:
    (clean, words, what was checked)."""
    checked = []
    words = recognize(clean.reading, clean.reading_dpi, ocr)
    if clean.turn or clean.proposed is not None:
        # The ink's test of which way is up fails on some pages (tables of figures, little
        # text, seals): no page is turned, or left turned, without a reading to back it. The
        # page's own reading backs it when decisive; else squares of it are read other ways.
        if reads_decisively(words):
            checked.append(f"turn {clean.turn}° kept: {sure_words(words)} of {len(words)} words read sure")
        else:
            turned, note = check_turn(page, clean, ocr, level=on_level_lines(words, MIN_WORDS_TO_TURN))
            checked.append(note)
            if turned is not clean:
                clean, words = turned, recognize(turned.reading, turned.reading_dpi, ocr)
    small = not form_sized(clean.grey, clean.display_dpi)
    # A card's line or a receipt has no reverse side showing through, and may hold only figures.
    if words and not small and mean_confidence(words) < SHOW_THROUGH_CONFIDENCE:
        # Garbage from a page with no text of its own: specks and marks that make no word,
        # or the reverse side's print showing through the paper (it reads well mirrored).
        # The page then has no text (its image is kept).
        if reading_score(words) == 0:
            checked.append("only marks, no words: no text")
            return clean, [], checked
        # Mostly syllables and figures as it stands: a doubtful page of its own (a thermal
        # receipt), not the reverse read mirrored, and no mirrored reading is needed.
        if known_words([w.text for w in words]) < READS_AS_IT_STANDS * len(words):
            mirrored = recognize(np.ascontiguousarray(clean.reading[:, ::-1]), clean.reading_dpi,
                                 ocr.model_copy(update={"doubts": False}))     # only scored
            if reading_score(mirrored) > 2 * reading_score(words):
                checked.append("only the reverse side's print showing through: no text")
                return clean, [], checked
    if mean_confidence(words) < GUARD_CONFIDENCE and len(words) >= MIN_WORDS_TO_TURN:
        # A doubtful reading: the ink's test of which way is up fails on some pages (a table
        # of figures fed sideways); every way up is tried on a square of the page.
        turned, note = check_turn(page, clean, ocr, every_way=True, level=on_level_lines(words, MIN_WORDS_TO_TURN))
        checked.append(note)
        if turned is not clean:
            clean, words = turned, recognize(turned.reading, turned.reading_dpi, ocr)
    if mean_confidence(words) < GUARD_CONFIDENCE or small:
        # A doubtful reading: the cleanup may have hurt (faint strokes, show-through); the
        # page as scanned is read too, and the better reading kept. A card's line or a
        # receipt is always read both ways (it costs little), and also at its own size when
        # the cleanup enlarged it: a line a few pixels tall reads worse enlarged threefold.
        readings = {"cleaned": words, "plain": recognize(plain_reading(clean), clean.reading_dpi, ocr)}
        if small and clean.display_dpi < clean.reading_dpi:
            own = np.ascontiguousarray(upright(clean.grey, clean.turn, clean.skew))
            readings["own-size"] = [scaled(w, clean.reading_dpi / clean.display_dpi)
                                    for w in recognize(own, clean.display_dpi, ocr)]
        # Each weighed as it will be kept, its printed labels put right: a card's "Date of bịnh:"
        # read at its own size is its label, which a reading that lost the colon cannot show.
        readings = {name: spelled_labels(read) for name, read in readings.items()}
        kept = max(readings, key=lambda name: evidence(readings[name], not small))    # a tie keeps the first
        words = readings[kept]
        checked.append(f"kept the {kept} reading")
    return clean, words, checked


def reading_settings(clean: CleanPage, ocr: OcrSettings) -> OcrSettings:
    """`ocr` for a page's readings: without Tesseract's fixed-pitch test on a page the size of
    a letter or a form (PROPORTIONAL_PAGE_IN)."""
    if form_sized(clean.grey, clean.display_dpi, PROPORTIONAL_PAGE_IN):
        return ocr.model_copy(update={"pitch_test": False})
    return ocr


def page_stage(page: SourcePage, ocr: OcrSettings, jpeg_quality: int, split: SplitSettings) -> PageResult:
    """Clean, OCR and encode one page. Runs in a worker process: takes and returns plain data.
    A separator sheet is only measured; a blank page is cleaned and kept, not read."""
    if page.image is None:
        layout = page_layout(page.words, page.width_pt, page.height_pt, 72.0)
        return PageResult(page.number, page.width_pt, page.height_pt, page.dpi, 0, 0.0, "text-layer",
                          1.0, page.text or "", layout.words, 72.0, blocks=layout.blocks)
    t0 = time.perf_counter()
    probe, probe_dpi = probe_image(page.image, page.dpi)
    codes = read_codes(probe, probe_dpi)
    if split.sheets and sheet_of(codes) is not None:
        return PageResult(page.number, page.width_pt, page.height_pt, page.dpi, 0, 0.0, "sheet", 1.0, "",
                          codes=codes, sheet=True, seconds={"split": time.perf_counter() - t0})
    blank = split.drop_blank and is_blank(probe, probe_dpi)
    t_split = time.perf_counter() - t0
    t0 = time.perf_counter()
    clean = clean_page(page, ocr.target_dpi)
    ocr = reading_settings(clean, ocr)
    t1 = time.perf_counter()
    if blank:
        words: list[Word] = []
        checked = ["blank: not read"]
    else:
        clean, words, checked = settle_reading(page, clean, ocr)
        words, repaired = read_form_rows(clean, words, ocr)
        words, skipped = read_skipped_figures(clean, words, ocr)
        checked += repaired + skipped
    layout = page_layout(words, clean.reading.shape[1], clean.reading.shape[0], clean.reading_dpi)
    words, scrawls = handwritten_values(layout.words, layout.blocks, clean.leaders)
    written = blank_writing(clean, layout.words) if clean.leaders else []
    words = [w for w in words if not inside(w.box, written)]     # what was read of the writing is no text
    scrawls = [box for box in scrawls if not inside(box, written)]   # one region per value written
    t2 = time.perf_counter()
    image = encode_display(clean.display, clean.bilevel, jpeg_quality)
    t3 = time.perf_counter()
    height, width = clean.display.shape[:2]
    confidence = mean_confidence(words)
    # Text the file laid over the scan: content joins the words read; a signing stamp only
    # the PDF's text layer. Its boxes are the unturned page's, so a turned page keeps it as text.
    unturned = clean.turn == 0
    if unturned:
        words = merge_lines(words, [scaled(w, clean.reading_dpi / 72) for w in page.overlay])
    return PageResult(page.number, width * 72 / clean.display_dpi, height * 72 / clean.display_dpi,
                      clean.display_dpi, clean.turn, clean.skew, "tesseract", confidence,
                      page_text(words), words, clean.reading_dpi, image,
                      {"split": t_split, "clean": t1 - t0, "ocr": t2 - t1, "encode": t3 - t2},
                      overlay=page.stamp if unturned else [], layer_text=page_text(page.overlay + page.stamp),
                      checked="; ".join(checked), codes=codes, blank=blank, blocks=layout.blocks,
                      hand=clean.hand + scrawls + written)


def process(data: bytes, name: str, settings: Settings, page_map: PageMap = map,
            dossier: str | None = None, received_at: str | None = None) -> Outcome:
    """Run the whole pipeline on one input file. Never raises for bad input: a failed
    Outcome carries the reason instead. A file that holds several documents (a stack from
    the sheet feeder) gives the file's own record, listing them, with one Outcome per document
    in `parts`."""
    started = time.perf_counter()
    received_at = received_at or datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
    # File systems hand out names as written (macOS and some scanners write NFD); text is NFC here.
    name, dossier = nfc(name), nfc(dossier) if dossier else dossier
    record = Record(id=document_id(data),
                    source=SourceInfo(name, len(data), "application/octet-stream", dossier, received_at))
    try:
        record.source.media_type, pages, unread = load_pages(data, settings.limits)
        record.source.unread_pages = unread or None
        stage = partial(page_stage, ocr=settings.ocr, jpeg_quality=settings.pdf.jpeg_quality, split=settings.split)
        results = list(page_map(stage, pages))
        if not results:
            raise DigitizerError(ErrorKind.NO_PAGES)
        t_plan = time.perf_counter()
        split = plan(results, settings.split, dossier)
        planning = time.perf_counter() - t_plan
        split_seconds = planning + sum(r.seconds.get("split", 0.0) for r in results)
        if not split.parts:
            raise DigitizerError(ErrorKind.NO_PAGES, "only separator or dossier sheets / chỉ có trang phân cách")
        original_pdf = data if record.source.media_type == "application/pdf" else None
        if original_pdf is not None:
            record.signatures = read_signatures(data)
        record.sheets, record.blank_pages = split.sheets, split.blank
        if len(split.parts) == 1:
            return _document(record, split.parts[0], len(results) + len(unread), original_pdf, split_seconds,
                             started, settings.pdf.pdfa)
        return _stack(record, split, results, original_pdf, split_seconds, started, settings.pdf.pdfa)
    except DigitizerError as exc:
        return failed_outcome(record, exc, started)
    except Exception as exc:  # a full disk, a bug or a tool failure must not take the service down
        full = isinstance(exc, OSError) and exc.errno == errno.ENOSPC
        if not full:
            log.exception("unexpected failure on %s", name)
        return failed_outcome(record, DigitizerError(ErrorKind.DISK_FULL if full else ErrorKind.INTERNAL,
                                                     f"{type(exc).__name__}: {exc}"), started)


def _document(record: Record, part: Part, file_pages: int, original_pdf: bytes | None, split_seconds: float,
              started: float | None, pdfa: bool) -> Outcome:
    """`record` filled in for one document of the file: its kept pages, numbered from 1.
    `started`: when the file's processing began (None: a document of a stack, timed by its steps).
    `pdfa`: the PDF made PDF/A-2, with the key fields in its metadata."""
    t_spelling = time.perf_counter()
    kept = respell(kept_pages(part))
    shown = [without_garbage(page) for page in kept]    # marks read as characters are no text
    # A till receipt printed without Vietnamese marks keeps none; told by its text, and taken
    # off after the garbage is left out ("ũ" alone is a speck, "u" a word).
    plain = [printed_plain(page) for page in shown]
    shown = [without_marks(page) if unmarked else page for page, unmarked in zip(shown, plain)]
    kept = [without_marks(page) if unmarked else page for page, unmarked in zip(kept, plain)]
    t_pdf = time.perf_counter()
    pdf = build_pdf(shown, original_pdf)      # text-layer pages are copied by their number in the file
    t_fields = time.perf_counter()
    numbered = [replace(page, number=i) for i, page in enumerate(kept, 1)]
    record.pages = [r.facts() for r in numbered]
    record.text = "\f".join(page.text for page in shown)
    record.doc_type, record.fields = extract_fields(numbered)   # the marks still part the layout's blocks
    record.source.dossier = part.dossier
    t_pdfa = time.perf_counter()
    if pdfa:
        archived = to_pdfa(pdf, PdfaMeta.of(record))
        pdf, record.stored_pdf = archived.pdf, StoredPdf(archived.level, archived.problems)
    t_pdfa = time.perf_counter() - t_pdfa
    if len(kept) != file_pages:
        record.source.pages = [page.number for page in kept]
    steps = {key: round(sum(r.seconds.get(key, 0.0) for r in part.pages), 3) for key in ("clean", "ocr", "encode")}
    steps["split"] = round(split_seconds, 3)
    steps["pdf"] = round(t_fields - t_pdf + t_pdfa, 3)
    steps["fields"] = round(time.perf_counter() - t_fields - t_pdfa + t_pdf - t_spelling, 3)
    seconds = time.perf_counter() - started if started is not None else sum(steps.values())
    record.pipeline = {"version": __version__, "seconds": round(seconds, 3), "steps": steps}
    return Outcome(record, pdf, record.text)


def _stack(record: Record, split: Split, results: list[PageResult], original_pdf: bytes | None,
           split_seconds: float, started: float, pdfa: bool) -> Outcome:
    """The file's own record, listing its documents, and one Outcome per document. A
    document's id comes from the file's and its pages, so the same stack splits the same way
    into the same ids again."""
    parts = []
    for part in split.parts:
        numbers = ",".join(str(page.number) for page in kept_pages(part))
        doc = Record(id=document_id(f"{record.id}:{numbers}".encode()), source=replace(record.source, stack=record.id),
                     blank_pages=dropped_pages(part))
        own_split = sum(page.seconds.get("split", 0.0) for page in part.pages)
        parts.append(_document(doc, part, len(results), original_pdf, own_split, None, pdfa))
        record.documents.append(PartInfo(doc.id, doc.source.pages or [], part.dossier, part.opened_by))
    record.pages = [r.facts() for r in results]
    steps = {key: round(sum(p.record.pipeline["steps"][key] for p in parts), 3)
             for key in ("clean", "ocr", "encode", "pdf", "fields")}
    steps["split"] = round(split_seconds, 3)
    record.pipeline = {"version": __version__, "seconds": round(time.perf_counter() - started, 3), "steps": steps}
    return Outcome(record, parts=parts)


def failed_record(name: str, error: DigitizerError) -> Record:
    """The record of a file that failed before its content could be read."""
    return failed_outcome(Record(id="", source=SourceInfo(name, 0, "")), error, 0.0).record


def failed_outcome(record: Record, error: DigitizerError, started: float) -> Outcome:
    """The record of an input that could not be processed, with the reason."""
    record.status = "failed"
    record.error = error.info()
    record.pipeline = {"version": __version__, "seconds": round(time.perf_counter() - started, 3),
                       "steps": {}}
    return Outcome(record)
