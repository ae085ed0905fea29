"""A stack from the sheet feeder: sheets, blank backs, reception slips, one record per document."""

import json
import os
import random
import signal
import subprocess
import sys

import numpy as np
import pymupdf
import pytest

from fastapi.testclient import TestClient

from digitizer.config import Settings
from digitizer.model import Code
from digitizer.stack.blank import is_blank
from digitizer.stack.codes import probe_image, read_codes
from digitizer.stack.sheets import Sheet, sheet_of, sheet_pdf
from digitizer.web import create_app
from samples.content import DocumentSpec, Line, make_document
from samples.degrade import DEGRADATIONS, apply
from samples.layout import layout
from samples.render import rasterize
from samples.stack import EMPTY, blank_back, stack

from .test_watch import wait_for


def _render(pdf: bytes, dpi: int = 300) -> np.ndarray:
    pix = pymupdf.open(stream=pdf, filetype="pdf").load_page(0).get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w).copy()


@pytest.mark.parametrize("degradation", ["clean", "rotated", "skewed", "fax", "noisy", "lowres", "phone"])
def test_sheets_are_read_at_any_rotation_on_1_bit_and_photographed_pages(degradation):
    for seed, (kind, code) in enumerate([("separator", None), ("dossier", "H40.12.34-250101-0001")]):
        image = _render(sheet_pdf(kind, code))
        scan = apply(degradation, image, EMPTY, random.Random(seed))
        found = sheet_of(read_codes(*probe_image(scan.image, scan.dpi or 300)))
        assert found == Sheet(kind, code), (degradation, kind)


def test_a_dossier_sheet_needs_its_code_and_other_codes_are_no_sheet():
    with pytest.raises(ValueError):
        sheet_pdf("dossier", " ")
    assert sheet_of([Code("https://dichvucong.gov.vn/?ma=H40-1", "QR Code", (0, 0, 1, 1))]) is None
    assert sheet_of([Code("DIGITIZER:DOSSIER:", "QR Code", (0, 0, 1, 1))]) is None


@pytest.mark.parametrize("degradation", [d for d in DEGRADATIONS if d != "sealed"])
def test_blank_backs_are_blank_and_printed_pages_are_not(degradation):
    rng = random.Random(3)
    front = rasterize(layout(DocumentSpec("x", [], [], [], [Line("Một dòng chữ in trên trang giấy")], [], {})))
    show_through = blank_back(rasterize(layout(make_document("thong_bao", random.Random(1)))), 0.2)
    for back in (rasterize(EMPTY), show_through):
        scan = apply("mild" if degradation == "phone" else degradation, back, EMPTY, rng)
        assert is_blank(*probe_image(scan.image, scan.dpi or 300)), degradation
    printed = apply(degradation, front, EMPTY, rng)
    assert not is_blank(*probe_image(printed.image, printed.dpi or 300)), degradation


def test_a_page_with_only_a_seal_is_not_blank():
    sealed = apply("sealed", rasterize(EMPTY), EMPTY, random.Random(2))
    assert not is_blank(*probe_image(sealed.image, 300))


def _records(data_dir):
    return [json.loads(p.read_text(encoding="utf-8")) for p in (data_dir / "store" / "records").rglob("*.json")]


def _check_split(truth, documents, stack_record):
    """The right documents in the right dossiers, no blank page kept, every page accounted for."""
    want = sorted((d["pages"], d["dossier"]) for d in truth["documents"])
    got = sorted((d["source"]["pages"], d["source"]["dossier"]) for d in documents)
    assert got == want
    assert stack_record["blank_pages"] == truth["blank"]
    assert [s["page"] for s in stack_record["sheets"]] == [s["page"] for s in truth["sheets"]]
    kept = [n for d in documents for n in d["source"]["pages"]]
    sheets = [s["page"] for s in stack_record["sheets"]]
    assert sorted(kept + truth["blank"] + sheets) == list(range(1, truth["pages"] + 1))
    for d in documents:
        assert len(d["pages"]) == len(d["source"]["pages"]) and d["source"]["stack"] == stack_record["id"]
        assert d["objects"]["original"] == stack_record["objects"]["original"]


def test_a_stack_with_sheets_through_the_watched_folder(tmp_path):
    s = stack(documents=4, dossiers=2, seed=1)
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(data), "DIGITIZER_WORKERS": "2"}
    service = subprocess.Popen([sys.executable, "-m", "digitizer.cli", "watch", str(inbox), "--settle", "0.5"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        (inbox / s.name).write_bytes(s.data)
        assert wait_for(lambda: (data / "done").exists() and any((data / "done").rglob(s.name)), 300)
    finally:
        service.send_signal(signal.SIGTERM)
        _, err = service.communicate(timeout=120)
    assert service.returncode == 0, err[-2000:]
    records = _records(data)
    stacks = [r for r in records if r["documents"]]
    assert len(stacks) == 1 and len(records) == 5
    documents = [r for r in records if not r["documents"]]
    _check_split(s.truth, documents, stacks[0])
    for d in documents:        # a searchable PDF of the document's own pages, none blank
        pdf = pymupdf.open(data / "store" / d["objects"]["pdf"])
        assert pdf.page_count == len(d["source"]["pages"])
        assert all(len(page.get_text().split()) > 20 or i > 0 for i, page in enumerate(pdf))
    found = subprocess.run([sys.executable, "-m", "digitizer.cli", "search", "--dossier", s.truth["dossiers"][1],
                            "--json"], env=env, capture_output=True, text=True, check=True)
    assert json.loads(found.stdout)["total"] == 2          # its dossier's two documents, not the stack's record
    # The clerk sees where a document came from, and gets the whole stack as the original.
    client = TestClient(create_app(Settings(data_dir=data)), base_url="http://localhost")
    second = next(d for d in documents if d["source"]["pages"][0] > 1)
    page = client.get(f"/doc/{second['id']}")
    assert page.status_code == 200 and f"Tách từ tệp {s.name}" in page.text
    assert client.get(f"/doc/{second['id']}/original").content == s.data


def test_a_stack_with_only_reception_slips_gives_the_same_dossiers(tmp_path):
    s = stack(documents=4, dossiers=2, seed=2, sheets=False)
    path = tmp_path / s.name
    path.write_bytes(s.data)
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(tmp_path / "data")}
    run = lambda: subprocess.run([sys.executable, "-m", "digitizer.cli", "process", str(path), "--json"],  # noqa: E731
                                 env=env, capture_output=True, text=True, check=True)
    documents = [json.loads(line) for line in run().stdout.splitlines()]
    stack_record = [r for r in _records(tmp_path / "data") if r["documents"]][0]
    _check_split(s.truth, documents, stack_record)
    assert [d["doc_type"]["value"] for d in documents][::2] == ["Phiếu tiếp nhận hồ sơ"] * 2
    again = [json.loads(line) for line in run().stdout.splitlines()]     # the same stack again: the same documents
    assert [d["id"] for d in again] == [d["id"] for d in documents]


def test_splitting_by_content_can_be_turned_off(tmp_path, settings):
    from digitizer.pipeline import process

    s = stack(documents=2, dossiers=1, seed=3, sheets=False, duplex=False)
    off = settings.model_copy(update={"split": settings.split.model_copy(update={"by_content": False})})
    outcome = process(s.data, s.name, off)
    assert not outcome.parts and outcome.record.source.dossier == s.truth["dossiers"][0]
    assert len(outcome.record.pages) == s.truth["pages"]


def test_a_file_of_only_sheets_is_set_aside_with_a_reason(settings):
    from digitizer.pipeline import process

    outcome = process(sheet_pdf("separator"), "sheet.pdf", settings)
    assert outcome.record.status == "failed" and "phân cách" in outcome.record.error.message


def test_sheet_command_writes_a_sheet_that_reads_back(tmp_path):
    out = tmp_path / "hs.pdf"
    subprocess.run([sys.executable, "-m", "digitizer.cli", "sheet", "dossier", "HS-2025-0042", str(out)], check=True)
    assert sheet_of(read_codes(_render(out.read_bytes(), 150), 150)) == Sheet("dossier", "HS-2025-0042")
    bad = subprocess.run([sys.executable, "-m", "digitizer.cli", "sheet", "dossier", str(out)], capture_output=True)
    assert bad.returncode == 2
