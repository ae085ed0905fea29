"""The whole pipeline with real Tesseract, one generated document per degradation kind."""

import unicodedata

import numpy as np
import pymupdf
import pytest

from digitizer.pipeline import process
from samples import DEGRADATIONS
from samples.score import cer

from .conftest import sample
from .helpers import pdftotext

# Per-document ceilings, looser than the benchmark's per-group targets (one document is
# a small sample), but far below what an unrotated or uncleaned page gives (10-70%).
CEILING = {"clean": 0.01, "mild": 0.01, "skewed": 0.02, "noisy": 0.02, "lowres": 0.02, "rotated": 0.01,
           "fax": 0.02, "sealed": 0.02, "phone": 0.03}
KINDS = ["quyet_dinh", "giay_xac_nhan", "don_de_nghi", "phieu_tiep_nhan", "thong_bao", "ke_hoach"]


@pytest.mark.parametrize("degradation", DEGRADATIONS)
def test_each_degradation_gives_a_searchable_pdf(degradation, settings):
    kind = KINDS[DEGRADATIONS.index(degradation) % len(KINDS)]
    s = sample(kind, degradation, seed=11)
    outcome = process(s.data, s.name, settings)
    record = outcome.record
    assert record.status == "done", record.error
    text = pdftotext(outcome.pdf)
    assert text == unicodedata.normalize("NFC", text)
    assert cer(s.truth["lines"][0], text) <= CEILING[degradation]
    facts = record.pages[0]
    assert facts["ocr"] == "tesseract" and 0.5 < facts["confidence"] <= 1
    if degradation == "rotated":
        assert (facts["rotated"] + s.truth["rotation"][0]) % 360 == 0
    assert abs(facts["skew_deg"] - s.truth["skew"][0]) < 0.5 or degradation == "phone"


def test_text_layer_is_aligned_with_the_ink(settings):
    s = sample("giay_xac_nhan", "skewed", seed=3)
    outcome = process(s.data, s.name, settings)
    doc = pymupdf.open(stream=outcome.pdf, filetype="pdf")
    page = doc[0]
    words = page.get_text("words")
    assert len(words) > 60
    pix = page.get_pixmap(dpi=100, colorspace=pymupdf.csGRAY)
    image = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
    scale = 100 / 72
    inked = 0
    for x0, y0, x1, y1, *_ in words:
        box = image[int(y0 * scale):int(y1 * scale) + 1, int(x0 * scale):int(x1 * scale) + 1]
        inked += box.size > 0 and (box < 128).mean() > 0.05
    assert inked >= 0.95 * len(words)


def test_pdf_is_small_and_sized_from_the_resolution(settings):
    s = sample("quyet_dinh", "noisy", seed=5)
    outcome = process(s.data, s.name, settings)
    assert len(outcome.pdf) < 300_000
    page = pymupdf.open(stream=outcome.pdf, filetype="pdf")[0]
    assert 560 < page.rect.width < 600 and 800 < page.rect.height < 845     # A4, borders cropped


def test_born_digital_pdf_is_not_ocred(settings):
    s = sample("phieu_tiep_nhan", "born_digital")
    outcome = process(s.data, s.name, settings)
    assert outcome.record.pages[0]["ocr"] == "text-layer"
    assert s.truth["fields"]["dossier_code"] in outcome.record.text
    assert pdftotext(outcome.pdf) == pdftotext(s.data)          # the page is copied as it is


def test_multipage_tiff_gives_one_pdf_page_per_page(settings):
    s = sample("thong_bao", "fax", pages=2)
    outcome = process(s.data, s.name, settings)
    assert [p["number"] for p in outcome.record.pages] == [1, 2]
    assert outcome.record.text.count("\f") == 1
    assert pymupdf.open(stream=outcome.pdf, filetype="pdf").page_count == 2


@pytest.mark.parametrize("data, kind", [(b"", "empty_file"), (b"%PDF-1.7\n%%EOF", "truncated"),
                                         (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "truncated")])
def test_bad_input_gives_a_failed_outcome_not_an_exception(data, kind, settings):
    outcome = process(data, "bad.pdf", settings)
    assert outcome.record.status == "failed" and outcome.pdf is None
    assert outcome.record.error.kind in (kind, "no_pages", "unsupported_format")


@pytest.mark.parametrize("image", [np.full((3508, 2480), 255, np.uint8),                 # blank
                                   np.full((3508, 2480), 128, np.uint8)])                # grey, no ink
def test_blank_pages_are_done_with_no_text(image, settings):
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(image).save(out, "PNG", dpi=(300, 300))
    outcome = process(out.getvalue(), "blank.png", settings)
    assert outcome.record.status == "done", outcome.record.error
    assert outcome.record.text.strip() == "" and outcome.record.fields == {}
    assert pymupdf.open(stream=outcome.pdf, filetype="pdf").page_count == 1
