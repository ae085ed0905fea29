"""Results fit for reuse: every stored PDF is PDF/A-2, and signed by the centre when a key is
configured (a PKCS#12 file, or a key on a SoftHSM2 token through PKCS#11). Checked with real
parts: pikepdf and poppler read the PDF/A requirements, pyHanko and poppler's pdfsig the
signatures, a throwaway CA made here issues the certificates."""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
import unicodedata
from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pikepdf
import pymupdf
import pytest

from digitizer.config import Settings, SettingsError, SignSettings
from digitizer.jobs.ingest import file_away, ingest
from digitizer.pdf.pdfa import problems
from digitizer.pipeline import process
from digitizer.signing.keys import open_key
from digitizer.signing.sign import CentreSigner
from digitizer.signing.signatures import read_signatures
from digitizer.signing.verify import verify_pdf
from digitizer.storage import load_record, open_index, open_store

from samples.certs import CENTRE, SOFTHSM_LIB, Identity, Token, make_identity, make_token, make_tsa, store_certificate
from .conftest import sample
from .helpers import pdftotext

P12_PASSWORD = "mật-khẩu 2026"


@pytest.fixture(scope="session")
def identity() -> Identity:
    return make_identity()


@pytest.fixture(scope="session")
def token(tmp_path_factory, identity) -> Token:
    """One token for the session: the PKCS#11 library reads its configuration once per process.
    Beside the centre's certificate it holds another person's (not the key's)."""
    token = make_token(tmp_path_factory.mktemp("softhsm"), identity)
    store_certificate(token, make_identity(key_size=1024).cert, "người-khác", b"\x02")
    return token


@pytest.fixture
def p12(tmp_path, identity) -> Path:
    return identity.p12(tmp_path / "centre.p12", P12_PASSWORD)


def token_settings(token: Token, **changes: str) -> SignSettings:
    return SignSettings(pkcs11_lib=str(SOFTHSM_LIB), pkcs11_token=token.label, pkcs11_key=token.key_label,
                        pkcs11_pin=token.pin).model_copy(update=changes)


def cli(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    full = {**os.environ, "DIGITIZER_DATA_DIR": str(data_dir), "DIGITIZER_WORKERS": "1", **env}
    return subprocess.run([sys.executable, "-m", "digitizer.cli", *args], capture_output=True, text=True, env=full,
                          timeout=300)


def pdfsig(pdf: bytes, folder: Path) -> str:
    path = folder / "signed-copy.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


def fonts_embedded(pdf: bytes) -> list[bool]:
    """pdffonts' "emb" column, per font."""
    lines = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode().splitlines()
    column = lines[0].index("emb")
    return [line[column:column + 3] == "yes" for line in lines[2:]]


def assert_widths_agree(doc: pikepdf.Pdf) -> int:
    """PDF/A's rule that a font dictionary's glyph widths agree with the embedded font program
    (ISO 19005-2, 6.2.11.5), for the CID TrueType fonts digitizer and pyHanko write: the
    glyphless text-layer font (every code shows glyph 1, /DW) and the stamp's (identity map,
    /W). Returns how many fonts were checked."""
    from fontTools.ttLib import TTFont

    checked = 0
    for obj in doc.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Subtype") != "/CIDFontType2":
            continue
        font = TTFont(io.BytesIO(obj.FontDescriptor.FontFile2.read_bytes()))
        scale = 1000 / font["head"].unitsPerEm
        advances = font["hmtx"].metrics
        order = font.getGlyphOrder()
        if obj.CIDToGIDMap != "/Identity":                  # the glyphless font: one glyph
            assert round(advances[order[1]][0] * scale) == int(obj.DW)
        widths = list(obj.get("/W", []))
        i = 0
        while i < len(widths):                   # "c [w1 w2 ...]" or "c_first c_last w"
            first = int(widths[i])
            if isinstance(widths[i + 1], pikepdf.Array):
                cids, step = {first + n: w for n, w in enumerate(widths[i + 1])}, 2
            else:
                cids, step = {c: widths[i + 2] for c in range(first, int(widths[i + 1]) + 1)}, 3
            for cid, width in cids.items():
                assert abs(advances[order[cid]][0] * scale - float(width)) <= 1, (obj.BaseFont, cid)
            i += step
        checked += 1
    return checked


def assert_pdfa(pdf: bytes, level: str) -> pikepdf.Pdf:
    """The PDF/A-2 requirements that can be read from the file (docs/pdfa.md lists them)."""
    doc = pikepdf.open(io.BytesIO(pdf))
    assert not doc.is_encrypted
    assert problems(doc) == []            # fonts embedded, no scripts, actions, external content, LZW, ...
    meta = doc.open_metadata()
    assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == level[1].upper()
    assert "/Filter" not in doc.Root.Metadata.stream_dict       # XMP readable without decoding
    intent = doc.Root.OutputIntents[0]
    assert intent.S == "/GTS_PDFA1"
    profile = intent.DestOutputProfile
    assert int(profile.N) == 3 and profile.read_bytes()[36:40] == b"acsp"      # an RGB ICC profile
    assert str(doc.docinfo.get("/Title")) == meta["dc:title"]        # the Info dictionary agrees with the XMP
    assert all(fonts_embedded(pdf))
    assert_widths_agree(doc)
    return doc


def test_a_stored_pdf_is_pdfa_2u_with_the_key_fields_in_its_metadata(settings):
    s = sample("quyet_dinh", "mild", seed=2)
    outcome = process(s.data, s.name, settings)
    record = outcome.record
    assert record.status == "done" and record.stored_pdf.pdfa == "2u"
    doc = assert_pdfa(outcome.pdf, "2u")
    meta = doc.open_metadata()
    number = record.fields["doc_number"].value
    assert meta["dc:title"].startswith(f"Quyết định số {number}")
    assert meta["dc:creator"] == [record.fields["issuer"].value]
    assert meta["dc:date"] == [record.fields["issue_date"].value]
    layer = pdftotext(outcome.pdf)
    assert unicodedata.is_normalized("NFC", layer) and number in layer
    assert record.pipeline["steps"]["pdf"] > 0


def test_a_copied_page_with_a_font_left_out_is_made_pdfa_through_ghostscript(settings, tmp_path):
    """A born-digital input whose font is not embedded (Helvetica, as office software writes
    it): its page is copied as it is, so the PDF/A conversion embeds the font."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "QUYET DINH so 245/QD-UBND ve viec cap giay phep", fontname="helv", fontsize=12)
    page.insert_text((72, 130), "Uy ban nhan dan xa Son Dong", fontname="helv", fontsize=12)
    data = doc.tobytes()
    assert problems(pikepdf.open(io.BytesIO(data))) == ["font /Helvetica is not embedded"]
    outcome = process(data, "born.pdf", settings)
    assert outcome.record.stored_pdf.pdfa in ("2u", "2b"), outcome.record.stored_pdf
    assert_pdfa(outcome.pdf, outcome.record.stored_pdf.pdfa or "")
    assert "245/QD-UBND" in pdftotext(outcome.pdf)


def test_pdfa_can_be_turned_off(settings):
    s = sample("thong_bao", "clean")
    outcome = process(s.data, s.name, settings.model_copy(update={"pdf": settings.pdf.model_copy(
        update={"pdfa": False})}))
    assert outcome.record.stored_pdf.pdfa is None
    assert "/OutputIntents" not in pikepdf.open(io.BytesIO(outcome.pdf)).Root


def _widget_rect(pdf: bytes) -> tuple[int, list[float]]:
    """(page index, rectangle) of the signature's widget."""
    doc = pikepdf.open(io.BytesIO(pdf))
    for i, page in enumerate(doc.pages):
        for annot in page.get("/Annots", []):
            if annot.get("/FT") == "/Sig" or "/Parent" in annot and annot.Parent.get("/FT") == "/Sig":
                assert int(annot.F) & 4, "the stamp prints (PDF/A)"
                return i, [float(v) for v in annot.Rect]
    raise AssertionError("no signature widget")


def _word_boxes(pdf: bytes, page: int) -> list[tuple[float, float, float, float]]:
    """The page's words before it was signed (the file's first revision: the signature is an
    incremental update), in PDF user space (from the bottom)."""
    unsigned = pdf[:pdf.index(b"%%EOF") + 5]
    with pymupdf.open(stream=unsigned, filetype="pdf") as doc:
        height = doc[page].rect.height
        return [(w[0], height - w[3], w[2], height - w[1]) for w in doc[page].get_text("words") if w[4].strip()]


def test_the_centre_signs_every_stored_pdf_with_a_pkcs12_key(tmp_path, p12):
    """`digitizer process` as a user runs it: the stored PDF carries the centre's PAdES
    signature, pdfsig and pyHanko find it valid and covering the whole file, it is still
    PDF/A with its text, its stamp covers no word, and `export` hands out the same bytes."""
    s = sample("giay_xac_nhan", "clean", seed=4)
    source = tmp_path / s.name
    source.write_bytes(s.data)
    env = {"DIGITIZER_SIGN_P12": str(p12), "DIGITIZER_SIGN_P12_PASSWORD": P12_PASSWORD}
    data = tmp_path / "data"
    run = cli(["process", "--json", str(source)], data, **env)
    assert run.returncode == 0, run.stderr
    record = load_record(open_store(Settings(data_dir=data)), run.stdout.splitlines()[0].split('"id": "')[1][:64])
    assert record is not None and record.stored_pdf.signature is not None
    assert record.stored_pdf.signature.signer == "Nguyễn Văn Thử" and record.stored_pdf.signature.organization == CENTRE
    assert record.stored_pdf.signature.covers == "whole file" and record.stored_pdf.pdfa == "2u"
    pdf = (data / "store" / record.objects["pdf"]).read_bytes()

    signed = pdfsig(pdf, tmp_path)
    assert "Signature is Valid" in signed and "Total document signed" in signed and "ETSI.CAdES.detached" in signed
    assert verify_pdf(pdf).ok
    assert assert_widths_agree(assert_pdfa(pdf, "2u")) == 2       # the text layer's font and the stamp's
    assert unicodedata.is_normalized("NFC", pdftotext(pdf)) and record.text.split("\n")[0] in pdftotext(pdf)
    page, (x0, y0, x1, y1) = _widget_rect(pdf)
    words = _word_boxes(pdf, page)
    assert len(words) > 20
    for wx0, wy0, wx1, wy1 in words:
        assert wx1 <= x0 or wx0 >= x1 or wy1 <= y0 or wy0 >= y1, "the stamp covers a word"

    check = cli(["verify", record.id], data)
    assert check.returncode == 0 and "signed by Nguyễn Văn Thử" in check.stdout and "PDF/A-2u" in check.stdout
    out = tmp_path / "export"
    assert cli(["export", record.id, str(out)], data).returncode == 0
    assert (out / f"{record.id}.pdf").read_bytes() == pdf


def test_a_pdf_changed_after_signing_is_reported_altered(tmp_path, p12, settings):
    s = sample("thong_bao", "clean", seed=7)
    source = tmp_path / s.name
    source.write_bytes(s.data)
    signer = CentreSigner(SignSettings(p12=str(p12), p12_password=P12_PASSWORD))
    store, index = open_store(settings), open_index(settings)
    record = ingest(source, settings, store, index, signer=signer).record
    assert record is not None and record.status == "done"
    path = settings.store_dir / record.objects["pdf"]
    pdf = path.read_bytes()
    assert cli(["verify", record.id], settings.data_dir).returncode == 0
    # One byte changed inside the signed range (in the page image's data).
    tampered = bytearray(pdf)
    tampered[len(pdf) // 3] ^= 0xFF
    path.write_bytes(bytes(tampered))
    check = cli(["verify", record.id], settings.data_dir)
    assert check.returncode == 1 and "ALTERED" in check.stdout
    # Changes appended after the signature (an incremental update) are alterations too.
    path.write_bytes(_append_update(pdf))
    check = cli(["verify", record.id], settings.data_dir)
    assert check.returncode == 1 and "ALTERED" in check.stdout, check.stdout
    index.close()


def test_a_signature_read_from_a_file_holds_its_text_and_not_the_file(tmp_path, p12, settings):
    """A record goes from a worker process to its parent pickled. A signature's field name was
    pyHanko's own string, which kept the whole PDF reader with it: 5.7 MB for a record of a
    signed letter of three pages, and pyHanko loaded in the parent to unpickle it."""
    s = sample("thong_bao", "clean", seed=8)
    source = tmp_path / s.name
    source.write_bytes(s.data)
    signer = CentreSigner(SignSettings(p12=str(p12), p12_password=P12_PASSWORD))
    record = ingest(source, settings, open_store(settings), open_index(settings), signer=signer).record
    assert record is not None and record.status == "done"
    found = read_signatures((settings.store_dir / record.objects["pdf"]).read_bytes())
    assert [info.field for info in found] == ["ChuKySo-digitizer"]
    assert all(type(value) is str for value in asdict(found[0]).values() if isinstance(value, str))
    assert len(pickle.dumps(found)) < 2_000


def _append_update(pdf: bytes) -> bytes:
    """The signed file with an incremental update that changes the document's title."""
    from pyhanko.pdf_utils.generic import pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    info = writer.trailer["/Info"].get_object() if "/Info" in writer.trailer else None
    if info is not None:
        info["/Title"] = pdf_string("Văn bản đã sửa")
        writer.update_container(info)
    writer.root["/Lang"] = pdf_string("vi")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_centre_signs_with_a_key_on_a_pkcs11_token(tmp_path, token, settings):
    s = sample("to_trinh", "clean", seed=3)
    source = tmp_path / s.name
    source.write_bytes(s.data)
    signer = CentreSigner(token_settings(token))
    try:
        record = ingest(source, settings, open_store(settings), open_index(settings), signer=signer).record
    finally:
        signer.close()
    assert record is not None and record.status == "done", record and record.error
    pdf = (settings.store_dir / record.objects["pdf"]).read_bytes()
    signed = pdfsig(pdf, tmp_path)
    assert "Signature is Valid" in signed and "Nguyễn Văn Thử" in signed
    assert verify_pdf(pdf).ok and record.stored_pdf.signature is not None


def test_a_token_missing_while_running_is_a_transient_failure_and_the_file_waits(tmp_path, token, settings):
    """Nothing unsigned is stored: the file stays in the inbox, to be tried again, and is
    stored signed once the token is back."""
    s = sample("thong_bao", "clean", seed=11)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    source = inbox / s.name
    source.write_bytes(s.data)
    store, index = open_store(settings), open_index(settings)
    away = CentreSigner(token_settings(token, pkcs11_token="rút-ra"))      # the token is not plugged in
    record = ingest(source, settings, store, index, signer=away).record
    assert record is not None and record.status == "failed" and record.error is not None
    assert record.error.kind == "signing_unavailable" and record.error.transient
    assert "DIGITIZER_SIGN_PKCS11_TOKEN" in record.error.message
    file_away(source, record, settings)
    assert source.exists() and not list(settings.store_dir.rglob("*.pdf"))
    back = CentreSigner(token_settings(token))
    try:
        record = ingest(source, settings, store, index, signer=back).record
    finally:
        back.close()
    assert record is not None and record.status == "done" and record.stored_pdf.signature is not None
    index.close()


@pytest.mark.parametrize("case, setting", [
    ("wrong password", "DIGITIZER_SIGN_P12_PASSWORD"),
    ("expired", "DIGITIZER_SIGN_P12"),
    ("not yet valid", "DIGITIZER_SIGN_P12"),
    ("no such file", "DIGITIZER_SIGN_P12"),
])
def test_a_pkcs12_key_that_cannot_sign_is_refused_with_its_setting_named(tmp_path, identity, case, setting):
    path, password = tmp_path / "centre.p12", P12_PASSWORD
    now = datetime.now(timezone.utc)
    if case == "expired":
        make_identity(valid_from=now - timedelta(days=400), days=365, key_size=1024).p12(path, password)
    elif case == "not yet valid":
        make_identity(valid_from=now + timedelta(days=2), key_size=1024).p12(path, password)
    elif case != "no such file":
        identity.p12(path, password)
    if case == "wrong password":
        password = "sai"
    with pytest.raises(SettingsError, match=setting) as error:
        open_key(SignSettings(p12=str(path), p12_password=password))
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("change, setting", [
    ({"pkcs11_pin": "000000"}, "DIGITIZER_SIGN_PKCS11_PIN"),
    ({"pkcs11_token": "không-có"}, "DIGITIZER_SIGN_PKCS11_TOKEN"),
    ({"pkcs11_key": "khác"}, "DIGITIZER_SIGN_PKCS11_KEY"),
    ({"pkcs11_cert": "người-khác"}, "DIGITIZER_SIGN_PKCS11_KEY.*is not the key of certificate"),
    ({"pkcs11_cert": "không-có"}, "DIGITIZER_SIGN_PKCS11_CERT"),
    ({"pkcs11_lib": "/usr/lib/không-có/libpkcs11.so"}, "DIGITIZER_SIGN_PKCS11_LIB"),
])
def test_a_token_that_cannot_sign_is_refused_with_its_setting_named(token, change, setting):
    with pytest.raises(SettingsError, match=setting):
        open_key(token_settings(token, **change))


def test_a_wrong_pin_stops_the_command_at_start_in_one_line(tmp_path, token):
    s = sample("thong_bao", "clean")
    source = tmp_path / s.name
    source.write_bytes(s.data)
    run = cli(["process", str(source)], tmp_path / "data", DIGITIZER_SIGN_PKCS11_LIB=str(SOFTHSM_LIB),
              DIGITIZER_SIGN_PKCS11_TOKEN=token.label, DIGITIZER_SIGN_PKCS11_KEY=token.key_label,
              DIGITIZER_SIGN_PKCS11_PIN="111111", **token.env())
    assert run.returncode == 2 and run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1 and "DIGITIZER_SIGN_PKCS11_PIN" in run.stderr
    assert source.exists() and not (tmp_path / "data" / "store").exists()


@pytest.fixture
def timestamp_server(identity):
    """An RFC 3161 timestamp authority over HTTP on 127.0.0.1 (pyHanko's test TSA answering
    real requests), as a province's TSA would; yields its URL."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from asn1crypto import keys, tsp, x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    cert, key = make_tsa(identity)
    authority = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(key.private_bytes(serialization.Encoding.DER,
                                                           serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption())))
    requests: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(body)
            reply = authority.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa", requests
    server.shutdown()


def test_with_a_timestamp_server_the_signature_is_pades_b_t(tmp_path, p12, settings, timestamp_server):
    url, requests = timestamp_server
    s = sample("thong_bao", "clean", seed=5)
    source = tmp_path / s.name
    source.write_bytes(s.data)
    signer = CentreSigner(SignSettings(p12=str(p12), p12_password=P12_PASSWORD, tsa_url=url))
    record = ingest(source, settings, open_store(settings), open_index(settings), signer=signer).record
    assert record is not None and record.status == "done", record and record.error
    assert requests        # (pyHanko first asks for one token to size the signature)
    signature = record.stored_pdf.signature
    assert signature is not None and signature.timestamp is not None and signature.valid
    pdf = (settings.store_dir / record.objects["pdf"]).read_bytes()
    assert "Signature is Valid" in pdfsig(pdf, tmp_path)


def test_a_timestamp_server_that_is_down_is_a_transient_failure(tmp_path, p12, settings):
    s = sample("thong_bao", "clean", seed=6)
    source = tmp_path / s.name
    source.write_bytes(s.data)
    signer = CentreSigner(SignSettings(p12=str(p12), p12_password=P12_PASSWORD, tsa_url="http://127.0.0.1:9/tsa"))
    record = ingest(source, settings, open_store(settings), open_index(settings), signer=signer).record
    assert record is not None and record.status == "failed" and record.error is not None
    assert record.error.kind == "signing_unavailable" and record.error.transient
    assert not list(settings.store_dir.rglob("*.pdf"))


def test_the_document_page_says_who_signed_the_stored_pdf_and_whether_it_is_intact(tmp_path, p12, settings):
    from fastapi.testclient import TestClient

    from digitizer.web.app import create_app

    s = sample("quyet_dinh", "clean", seed=9)
    source = tmp_path / s.name
    source.write_bytes(s.data)
    index = open_index(settings)
    signer = CentreSigner(SignSettings(p12=str(p12), p12_password=P12_PASSWORD))
    record = ingest(source, settings, open_store(settings), index, signer=signer).record
    index.close()
    assert record is not None and record.status == "done"
    client = TestClient(create_app(settings), base_url="http://localhost")
    page = client.get(f"/doc/{record.id}").text
    assert "PDF/A-2u" in page and "Đã ký số bởi Nguyễn Văn Thử" in page and "nguyên vẹn từ khi ký" in page
    path = settings.store_dir / record.objects["pdf"]
    path.write_bytes(_append_update(path.read_bytes()))
    page = client.get(f"/doc/{record.id}").text
    assert "Tệp đã bị thay đổi sau khi Nguyễn Văn Thử ký" in page and "nguyên vẹn từ khi ký" not in page


def test_the_stamp_goes_in_a_blank_margin_or_nowhere():
    """Found on the page as it renders: below the last line when the bottom is blank; none
    on a page printed edge to edge (the signature is then invisible, over nothing)."""
    from digitizer.signing.stamp import STAMP_SIZE, free_spot

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for y in range(60, 700, 14):
        page.insert_text((40, y), "Ủy ban nhân dân xã Sơn Đông " * 3, fontsize=11)
    spot = free_spot(doc.tobytes())
    assert spot is not None
    index, (x0, y0, x1, y1) = spot
    assert index == 0 and (x1 - x0, y1 - y0) == STAMP_SIZE
    assert y1 < 842 - 700 and x1 <= 595 - 16 and y0 >= 16          # under the text, clear of the edge (±2 pt)
    for y in range(690, 842, 14):          # a footer printed across the page, line after line
        page.draw_rect(pymupdf.Rect(0, y, 595, y + 7), color=None, fill=(0, 0, 0))
    assert free_spot(doc.tobytes()) is None
