"""Property tests: no bytes make the pipeline raise, no text makes the field rules raise.

Bounded (a fixed number of examples, no deadline) so CI time stays predictable; a longer
run is `DIGITIZER_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py`. A crash found here is
fixed and its input kept below as a regression case."""

from __future__ import annotations

import io
import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from digitizer.config import LimitSettings, Settings
from digitizer.errors import DigitizerError
from digitizer.extract import extract_from_lines
from digitizer.intake import load_pages
from digitizer.pipeline import process

from .conftest import sample
from .test_fields import lines_of

EXAMPLES = int(os.environ.get("DIGITIZER_FUZZ_EXAMPLES", "1500"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _small_png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (64, 90), 255).save(out, "PNG", dpi=(72, 72))
    return out.getvalue()


SEEDS = [_small_png(), b"%PDF-1.4\n", b"II*\x00", b"\xff\xd8\xff\xe0"]


def _valid_files() -> list[bytes]:
    """Small well-formed files of every accepted kind, for mutation."""
    page = Image.new("L", (120, 160), 255)
    page.paste(0, (10, 10, 110, 20))
    files = []
    for fmt, kw in (("PNG", {}), ("JPEG", {}), ("TIFF", {"compression": "tiff_lzw"}),
                    ("TIFF", {"compression": "group4"}), ("PDF", {"resolution": 72})):
        out = io.BytesIO()
        (page.convert("1") if kw.get("compression") == "group4" else page).save(out, fmt, **kw)
        files.append(out.getvalue())
    return files


VALID = _valid_files()


@FUZZ
@example(which=3, flips=[(172, 1)])     # found: a G4 TIFF whose width tag is gone (Pillow: TypeError)
@given(which=st.integers(0, len(VALID) - 1),
       flips=st.lists(st.tuples(st.integers(0, 100_000), st.integers(0, 255)), min_size=1, max_size=8))
def test_mutated_files_raise_only_digitizer_errors(which, flips):
    data = bytearray(VALID[which])
    for at, value in flips:
        data[at % len(data)] = value
    try:
        _, pages, _ = load_pages(bytes(data), LimitSettings(max_pixels=4_000_000, max_pages=5))
        for _ in pages:
            pass
    except DigitizerError:
        pass


@FUZZ
@given(seed=st.sampled_from(SEEDS), tail=st.binary(max_size=2048), cut=st.integers(0, 4096))
def test_loaders_raise_only_digitizer_errors(seed, tail, cut):
    data = (seed + tail)[: max(1, cut)]
    try:
        _, pages, _ = load_pages(data, LimitSettings(max_pixels=4_000_000, max_pages=5))
        for _ in pages:
            pass
    except DigitizerError:
        pass


@settings(max_examples=max(25, EXAMPLES // 4), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(flips=[(288, 0)])      # found: a zeroed MediaBox gave a blank page that crashed orientation
@example(flips=[(150, 1)])      # found: a broken page tree, then an empty render from poppler
@example(flips=[(202, 53)])     # found: an xref MuPDF reads around but cannot copy a page from
@given(flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=20))
def test_damaged_pdfs_end_in_a_record(flips):
    data = bytearray(sample("thong_bao", "born_digital", seed=90).data)
    for at, value in flips:
        data[at % len(data)] = value
    outcome = process(bytes(data), "damaged.pdf", Settings(workers=1))
    assert outcome.record.status in ("done", "failed")
    assert (outcome.record.status == "failed") == (outcome.pdf is None)
    if outcome.record.error is not None:
        assert outcome.record.error.kind != "internal", outcome.record.error.message


@FUZZ
@given(rows=st.lists(st.text(min_size=0, max_size=80), min_size=1, max_size=12))
def test_field_rules_never_raise(rows):
    rows = [r for r in rows if r.split()] or ["x"]
    doc_type, fields = extract_from_lines(lines_of(*rows))
    for f in fields.values():
        assert 0.0 <= f.confidence <= 1.0 and f.value


LABELLED = st.sampled_from(["Số: ", "Ngày sinh: ", "Số CCCD: ", "Số điện thoại: ", "Họ và tên: ", "Kính gửi: ",
                            "Mã hồ sơ: ", "Nơi cư trú: ", "Hà Nội, ngày "])


@FUZZ
@given(label=LABELLED, value=st.text(alphabet="0123456789OolI/.-ĐđQDUBND ăâêôơưạảấ", max_size=30))
def test_labelled_values_never_raise(label, value):
    extract_from_lines(lines_of(label + value + " x"))
