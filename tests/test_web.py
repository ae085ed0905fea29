"""The clerks' web page and API: over HTTP in-process, and in a real headless Chromium."""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
import sys
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from digitizer.config import Settings, WebSettings
from digitizer.pipeline import process
from digitizer.storage import LocalStore, SqliteIndex, save_outcome
from digitizer.web import create_app
from digitizer.web.auth import hash_password

from .conftest import sample
from .s3server import free_port, wait_port


def plain(text: str) -> str:
    """Typed without diacritics."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
                   if not unicodedata.combining(c))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A data folder with three processed documents, one with hostile text, one in a dossier."""
    data = tmp_path_factory.mktemp("web") / "data"
    settings = Settings(data_dir=data, workers=1)
    store, index = LocalStore(settings.store_dir), SqliteIndex(settings.index_path)
    docs = [sample("giay_xac_nhan", "clean", seed=81, fmt="png"), sample("quyet_dinh", "mild", seed=82),
            sample("don_de_nghi", "clean", seed=83, fmt="png")]
    records = []
    for i, s in enumerate(docs):
        outcome = process(s.data, s.name, settings, dossier="HS-2025-0042" if i == 2 else None)
        if i == 1:
            outcome.record.text += "\n<script>alert('x')</script>"
        records.append(save_outcome(store, outcome, s.data))
        index.add(records[-1])
    index.close()
    return settings, docs, records


def copy_of(settings: Settings, tmp_path: Path) -> Path:
    """The site's data folder copied, for a test that changes it."""
    data = tmp_path / "data"
    shutil.copytree(settings.data_dir, data)
    return data


def test_search_without_diacritics_and_highlight(site):
    settings, docs, records = site
    client = TestClient(create_app(settings), base_url="http://localhost")
    name = docs[0].truth["fields"]["person_name"]
    page = client.get("/", params={"q": plain(name)})
    assert page.status_code == 200 and "1 tài liệu" in page.text
    assert f"/doc/{records[0].id}" in page.text
    assert "<mark>" in page.text
    api = client.get("/api/search", params={"q": plain(name)}).json()
    assert api["total"] == 1 and api["hits"][0]["person_name"] == name


def test_filters_and_facets(site):
    settings, _, records = site
    client = TestClient(create_app(settings), base_url="http://localhost")
    everything = client.get("/api/search").json()
    assert everything["total"] == 3 and everything["by_type"]["Quyết định"] == 1
    only = client.get("/api/search", params={"type": "Quyết định"}).json()
    assert [h["id"] for h in only["hits"]] == [records[1].id]
    by_id = client.get("/api/search", params={"id_number": records[0].fields["id_number"].value}).json()
    assert by_id["total"] == 1


def test_hostile_ocr_text_is_escaped(site):
    settings, _, records = site
    client = TestClient(create_app(settings), base_url="http://localhost")
    for page in (client.get(f"/doc/{records[1].id}"), client.get("/", params={"q": "script alert"})):
        assert page.status_code == 200
        assert "<script>" not in page.text and "&lt;" in page.text and "alert" in page.text


def test_document_page_downloads_and_thumbnails(site):
    settings, docs, records = site
    client = TestClient(create_app(settings), base_url="http://localhost")
    r = records[0]
    page = client.get(f"/doc/{r.id}")
    assert page.status_code == 200 and r.fields["id_number"].value in page.text
    pdf = client.get(f"/doc/{r.id}/pdf", params={"download": 1})
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("attachment")
    assert pdf.content == LocalStore(settings.store_dir).get(r.objects["pdf"])
    assert client.get(f"/doc/{r.id}/pdf").headers["content-disposition"].startswith("inline")
    assert client.get(f"/doc/{r.id}/original").content == docs[0].data
    thumb = client.get(f"/doc/{r.id}/page/1.png")
    assert thumb.headers["content-type"] == "image/png" and thumb.content[:4] == b"\x89PNG"
    assert client.get(f"/doc/{r.id}/page/9.png").status_code == 404
    assert client.get(f"/api/documents/{r.id}").json()["id"] == r.id


def test_dossier_page(site):
    settings, _, records = site
    page = TestClient(create_app(settings), base_url="http://localhost").get("/dossier/HS-2025-0042")
    assert page.status_code == 200 and f"/doc/{records[2].id}" in page.text and "1 tài liệu" in page.text


@pytest.mark.parametrize("path", ["/doc/..%2F..%2Fetc%2Fpasswd", "/doc/../../etc/passwd", "/doc/" + "0" * 64,
                                  "/doc/" + "z" * 64 + "/pdf", "/api/documents/%2e%2e"])
def test_no_path_traversal_and_unknown_ids_are_404(site, path):
    settings, _, _ = site
    assert TestClient(create_app(settings), base_url="http://localhost").get(path).status_code == 404


def test_failures_page_shows_each_reason_in_both_languages(site):
    from digitizer.jobs.ledger import open_ledger
    from digitizer.model import ErrorInfo, Record, SourceInfo

    settings = site[0]
    ledger = open_ledger(settings)
    job = ledger.add(settings.data_dir / "inbox", "HS-7/<b>scan</b>.pdf", "HS-7")
    ledger.claim(job.id, "h:1", 60)
    failed = Record(id="", source=SourceInfo("x.pdf", 1, ""), status="failed",
                    error=ErrorInfo("encrypted_pdf", "Tệp PDF có mật khẩu. / The PDF is password protected.", False))
    ledger.finish(job.id, "h:1", failed)
    ledger.close()
    client = TestClient(create_app(settings), base_url="http://localhost")
    page = client.get("/failures")
    assert page.status_code == 200 and "Tệp PDF có mật khẩu. / The PDF is password protected." in page.text
    assert "&lt;b&gt;scan&lt;/b&gt;.pdf" in page.text                       # names are escaped
    api = client.get("/api/failures").json()
    assert api["counts"]["failed"] == 1 and api["failures"][0]["error_kind"] == "encrypted_pdf"


def test_openapi_docs(site):
    settings, _, _ = site
    client = TestClient(create_app(settings), base_url="http://localhost")
    spec = client.get("/api/openapi.json").json()
    assert "/api/search" in spec["paths"] and "/api/documents/{doc_id}" in spec["paths"]
    docs = client.get("/docs").text
    assert "/api/documents/{doc_id}/revisions" in docs and "<script src=\"http" not in docs   # offline


def test_login_and_api_token(site):
    settings, _, _ = site
    locked = Settings(data_dir=settings.data_dir, web=WebSettings(users=f"thu:{hash_password('mật khẩu')}",
                                                                  api_token="s3cret-token"))
    client = TestClient(create_app(locked), base_url="http://localhost")
    assert client.get("/").status_code == 401
    good = base64.b64encode("thu:mật khẩu".encode()).decode()
    bad = base64.b64encode(b"thu:wrong").decode()
    assert client.get("/", headers={"Authorization": f"Basic {good}"}).status_code == 200
    assert client.get("/", headers={"Authorization": f"Basic {bad}"}).status_code == 401
    assert client.get("/api/search", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    assert client.get("/api/search", headers={"Authorization": "Bearer nope"}).status_code == 401


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def served(data: Path, **env: str) -> Iterator[tuple[str, Any]]:
    """`digitizer serve` over `data` and a headless Chromium: (the base URL, the browser)."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "digitizer.cli", "serve", "--port", str(port)],
                              env={**os.environ, "DIGITIZER_DATA_DIR": str(data), **env},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield f"http://127.0.0.1:{port}", browser
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by make deps")
def test_real_browser_search_filter_open_and_download(site, tmp_path):
    settings, docs, records = site
    with served(settings.data_dir) as (base, browser):
        page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
        page.goto(f"{base}/")
        name = docs[1].truth["fields"]["signer"]
        page.fill("#q", plain(name))
        page.click("button[type=submit]")
        page.wait_for_selector(".hit")
        assert page.locator(".hit").count() >= 1
        page.select_option("#type", "Quyết định")
        page.click("button[type=submit]")
        page.wait_for_selector(".hit")
        assert page.locator(".hit").count() == 1
        page.screenshot(path=str(tmp_path / "search.png"))
        if os.environ.get("DIGITIZER_SCREENSHOT"):
            shutil.copy(tmp_path / "search.png", os.environ["DIGITIZER_SCREENSHOT"])
        page.click(".hit a.title")
        page.wait_for_selector("#download-pdf")
        assert records[1].fields["doc_number"].value in page.content()
        with page.expect_download() as info:
            page.click("#download-pdf")
        saved = tmp_path / "doc.pdf"
        info.value.save_as(saved)
        assert saved.read_bytes() == LocalStore(settings.store_dir).get(records[1].objects["pdf"])


def test_the_document_page_says_who_signed_the_received_file(tmp_path):
    from samples.intake_cases import intake_case

    settings = Settings(data_dir=tmp_path / "data", workers=1)
    name, data, truth = intake_case("signed_scan", seed=85)
    record = save_outcome(LocalStore(settings.store_dir), process(data, name, settings), data)
    unsigned = sample("thong_bao", "clean", seed=86)
    plain_record = save_outcome(LocalStore(settings.store_dir), process(unsigned.data, unsigned.name, settings),
                                unsigned.data)
    index = SqliteIndex(settings.index_path)
    index.add_many([record, plain_record])
    index.close()
    client = TestClient(create_app(settings), base_url="http://localhost")
    page = client.get(f"/doc/{record.id}").text
    assert truth["agency"] in page and "Nguyên vẹn, phủ toàn bộ tệp" in page
    assert client.get(f"/api/documents/{record.id}").json()["signatures"][0]["intact"] is True
    assert "không có chữ ký số" in client.get(f"/doc/{plain_record.id}").text


def test_the_web_server_loads_no_opencv_or_tesseract():
    """Neither the web module nor the command line that starts it (`digitizer serve`)."""
    probe = ("import sys, digitizer.cli, digitizer.web.app; "
             "print(sorted({'cv2', 'tesserocr', 'pytesseract', 'digitizer.pipeline'} & set(sys.modules)))")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "[]", run.stdout + run.stderr


def test_a_foreign_host_is_refused_and_answers_carry_security_headers(site):
    settings, _, _ = site
    app = create_app(settings)
    assert TestClient(app, base_url="http://rebound.example").get("/").status_code == 400   # DNS rebinding
    page = TestClient(app, base_url="http://localhost:8000").get("/")
    assert page.status_code == 200
    assert "frame-ancestors 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff" and page.headers["cache-control"] == "no-store"
    lan = Settings(data_dir=settings.data_dir, web=WebSettings(host="0.0.0.0", hosts="hcc.sondong.local"))
    assert TestClient(create_app(lan), base_url="http://hcc.sondong.local").get("/").status_code == 200
    assert TestClient(create_app(lan), base_url="http://localhost").get("/").status_code == 400


def test_the_login_holds(site, monkeypatch):
    settings, _, _ = site
    locked = Settings(data_dir=settings.data_dir, web=WebSettings(users=f"thu:{hash_password('mật khẩu')}",
                                                                  api_token="s3cret-token"))
    client = TestClient(create_app(locked), base_url="http://localhost")
    basic = lambda creds: {"Authorization": "Basic " + base64.b64encode(creds).decode()}  # noqa: E731
    # The schema and the removed CDN pages are behind the login like the rest.
    assert client.get("/api/openapi.json").status_code == 401 and client.get("/docs").status_code in (401, 404)
    # Odd credentials are refused, never a server error.
    assert client.get("/", headers=basic("thu:".encode() + b"x" * 100)).status_code == 401
    assert client.get("/", headers={"Authorization": "Bearer tôken".encode()}).status_code == 401
    assert client.get("/", headers={"Authorization": "Basic %%%"}).status_code == 401
    assert client.get("/?page=99999999999999999999").status_code in (401, 422)
    good = basic("thu:mật khẩu".encode())
    assert client.get("/?page=99999999999999999999", headers=good).status_code == 422
    # Guessing: refused at the same cost, then limited for that user at that address...
    app = create_app(locked)
    stranger = TestClient(app, base_url="http://localhost", client=("10.0.0.66", 5000))
    answers = [stranger.get("/", headers=basic(f"thu:guess{i}".encode())).status_code for i in range(12)]
    assert answers[:10] == [401] * 10 and answers[10:] == [429, 429]
    assert stranger.get("/", headers=good).status_code == 429
    # ...so a stranger's ten wrong passwords do not stop the clerk's right one from her desk,
    assert TestClient(app, base_url="http://localhost", client=("10.0.0.7", 5000)).get(
        "/", headers=good).status_code == 200
    # and the stranger may still try other names, up to the address's own, higher limit (100;
    # 20 here: each refusal costs a bcrypt check).
    from digitizer.web import auth
    monkeypatch.setattr(auth, "MAX_ADDRESS_FAILURES", 20)
    assert stranger.get("/", headers=basic(b"nobody:guess")).status_code == 401
    answers = [stranger.get("/", headers=basic(f"u{i}:guess".encode())).status_code for i in range(20)]
    assert 429 in answers and stranger.get("/", headers=basic(b"other:guess")).status_code == 429


def test_bcrypt_runs_once_per_credential_and_for_unknown_users_too(site, monkeypatch):
    import bcrypt

    from digitizer.web import auth

    settings, _, _ = site
    from digitizer.storage.sessions import Sessions

    guard = auth.Guard(f"thu:{hash_password('mật khẩu')}", "", lambda: Sessions(settings.ledger_path), 1800, 36000)
    calls = []
    real = bcrypt.checkpw
    monkeypatch.setattr(auth.bcrypt, "checkpw", lambda pw, hashed: calls.append(pw) or real(pw, hashed))
    for _ in range(20):                        # a page and its thumbnails: one check
        assert guard._check("thu", "mật khẩu".encode())
    assert len(calls) == 1
    assert not guard._check("nobody", b"guess") and len(calls) == 2     # no telling unknown names by speed
    assert not guard._check("thu", b"y" * 100) and len(calls) == 3      # over 72 bytes: refused, not a crash


def test_a_clerk_corrects_a_field_and_the_document_is_found_by_it(site, tmp_path):
    settings, _, records = site
    data = copy_of(settings, tmp_path)
    own = Settings(data_dir=data, web=WebSettings(users=f"thu:{hash_password('mật khẩu')}"))
    client = TestClient(create_app(own), base_url="http://localhost")
    login = {"Authorization": "Basic " + base64.b64encode("thu:mật khẩu".encode()).decode()}
    doc = records[0]
    url = f"/api/documents/{doc.id}"
    assert client.patch(url, json={"fields": {"person_name": "X"}}).status_code == 401
    for bad in ({"fields": {"nonsense": "x"}}, {"fields": {"id_number": "12ab"}}, {"fields": {"birth_date": "1/2/90"}},
                {"fields": {"signer": "x" * 2000}}, {"other": 1}):
        assert client.patch(url, json=bad, headers=login).status_code == 422, bad
    old = doc.fields["person_name"].value
    removed = sorted(name for name in doc.fields if name != "person_name")[0]
    answer = client.patch(url, json={"fields": {"person_name": "Lò Thị Ngoan", removed: ""}, "verified": True},
                          headers=login)
    assert answer.status_code == 200
    record = answer.json()["record"]
    assert record["original"]["person_name"] == old and record["verified"]["by"] == "thu"
    assert removed not in record["fields"]
    found = client.get("/api/search", params={"q": "lo thi ngoan"}, headers=login).json()
    assert [h["id"] for h in found["hits"]] == [doc.id]
    history = client.get(url + "/revisions", headers=login).json()
    assert [(r["user"], r["field"], r["old"], r["new"]) for r in history] == [
        ("thu", "person_name", old, "Lò Thị Ngoan"), ("thu", removed, doc.fields[removed].value, None),
        ("thu", "verified", None, "thu")]
    # The store is the truth: a rebuilt index and a restarted server see the same values and history.
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(data)}
    subprocess.run([sys.executable, "-m", "digitizer.cli", "reindex"], env=env, check=True, capture_output=True)
    again = TestClient(create_app(own), base_url="http://localhost")
    assert again.get(url, headers=login).json()["fields"]["person_name"]["value"] == "Lò Thị Ngoan"
    assert again.get(url + "/revisions", headers=login).json() == history
    assert [h["id"] for h in again.get("/api/search", params={"q": "Ngoan"}, headers=login).json()["hits"]] == [doc.id]


def test_the_citizen_page_lists_what_is_on_file_and_what_is_in_force(site, tmp_path):
    from datetime import date

    from digitizer.web.validity import validity

    settings, _, records = site
    client = TestClient(create_app(settings), base_url="http://localhost")
    doc = records[0]                  # a marital status certificate: in force six months from its issue
    id_number, issued = doc.fields["id_number"].value, doc.fields["issue_date"].value
    listed = client.get(f"/api/citizens/{id_number}").json()
    assert [d["id"] for d in listed] == [doc.id]
    assert listed[0]["validity_from"] == "rule" and listed[0]["valid_until"] > issued
    page = client.get(f"/citizen/{id_number}")
    assert page.status_code == 200 and "hiệu lực" in page.text and "chưa kiểm tra" in page.text
    assert f'href="/citizen/{id_number}"' in client.get(f"/doc/{doc.id}").text
    assert client.get("/api/citizens/12345").status_code == 422
    assert client.get("/api/citizens/000000000000").json() == []
    # The document's own end date wins over its type's rule.
    printed = validity("Giấy xác nhận tình trạng hôn nhân", "2025-01-10", "Giấy này có giá trị đến ngày 15/03/2025.")
    assert (printed.until, printed.source) == (date(2025, 3, 15), "document")
    ruled = validity("Giấy xác nhận tình trạng hôn nhân", "2025-08-31", "")
    assert ruled.until == date(2026, 2, 28) and not ruled.in_force(date(2026, 3, 1))
    assert validity("Giấy khai sinh", "2000-01-01", "").in_force(date(2026, 1, 1)) is None


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by make deps")
def test_real_browser_correct_a_field_then_find_the_document_by_it(site, tmp_path):
    settings, _, records = site
    data = copy_of(settings, tmp_path)
    doc = records[2]
    with served(data) as (base, browser):
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{base}/doc/{doc.id}")
        page.fill("#f-person_name", "Hà Thị Mỹ Duyên")
        page.check("#verified")
        page.click("#correct button[type=submit]")
        page.wait_for_selector("text=Đã kiểm tra bởi local")
        assert "Lịch sử sửa" in page.content()
        page.goto(f"{base}/?q=ha+thi+my+duyen")
        page.wait_for_selector(".hit")
        assert page.locator(".hit a.title").get_attribute("href").startswith(f"/doc/{doc.id}?back=")
        page.click(".hit a.title")                              # and back to the same results
        page.click("#back")
        assert page.locator("#q").input_value() == "ha thi my duyen"



def test_the_review_queue_holds_what_a_person_must_check_until_it_is_checked(site, tmp_path):
    settings, _, records = site
    data = copy_of(settings, tmp_path)
    client = TestClient(create_app(Settings(data_dir=data)), base_url="http://localhost")
    doc = records[0]
    before = {d["id"] for d in client.get("/api/review").json()["documents"]}
    cleared = {name: "" for name in ("doc_number", "issue_date", "person_name")}
    assert client.patch(f"/api/documents/{doc.id}", json={"fields": cleared}).status_code == 200
    queue = client.get("/api/review").json()
    entry = next(d for d in queue["documents"] if d["id"] == doc.id)
    assert "thiếu số, ngày và họ tên" in entry["reason"] and queue["total"] == len(before | {doc.id})
    received = [d["received_at"] for d in queue["documents"]]
    assert received == sorted(received)                                          # oldest first
    assert doc.id in client.get("/review").text
    assert client.patch(f"/api/documents/{doc.id}", json={"verified": True}).status_code == 200
    assert doc.id not in {d["id"] for d in client.get("/api/review").json()["documents"]}


def test_roles_and_the_access_log(site, tmp_path):
    settings, _, records = site
    data = copy_of(settings, tmp_path)
    users = ",".join([f"lan:staff:{hash_password('a')}", f"thu:{hash_password('b')}",
                      f"quan:admin:{hash_password('c')}"])
    client = TestClient(create_app(Settings(data_dir=data, web=WebSettings(users=users))), base_url="http://localhost")
    as_ = lambda user, pw: {"Authorization": "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode()}  # noqa: E731
    staff, clerk, admin = as_("lan", "a"), as_("thu", "b"), as_("quan", "c")
    doc = records[0]
    # Scanning staff see the failures, not the documents; clerks the documents, not the log.
    assert client.get("/failures", headers=staff).status_code == 200
    assert client.get(f"/doc/{doc.id}", headers=staff).status_code == 403
    assert client.get("/api/search", headers=staff).status_code == 403
    assert client.get(f"/doc/{doc.id}", headers=clerk).status_code == 200
    assert client.get(f"/api/documents/{doc.id}", headers=clerk).status_code == 200
    id_number = doc.fields["id_number"].value
    assert client.get(f"/api/citizens/{id_number}", headers=clerk).status_code == 200
    assert client.get("/api/access-log", headers=clerk).status_code == 403
    # A search by a citizen's number shows that citizen's documents: one row, naming them.
    found = client.get(f"/api/search?id_number={id_number}", headers=clerk).json()
    assert client.get(f"/?q={id_number}", headers=clerk).status_code == 200
    assert client.get("/doc/" + "0" * 64, headers=clerk).status_code == 404      # no such document: no row
    everyone = client.get("/api/access-log", headers=admin).json()["entries"]
    seen = [(e["user"], e["action"]) for e in everyone]
    log = client.get("/api/access-log?user=thu", headers=admin).json()["entries"]    # (the copy has others')
    assert seen.count(("thu", f"GET /doc/{doc.id}")) == 1                     # one view, one row
    assert ("thu", f"GET /api/documents/{doc.id}") in seen
    assert ("thu", f"GET /api/citizens/{id_number}") in seen
    assert "lan" not in {user for user, _ in seen}              # refused before anything was shown
    by_number = [e for e in log if e["action"] == "GET /api/search"]
    assert len(by_number) == 1 and by_number[0]["subject"] == id_number
    assert by_number[0]["shown"] == [h["id"] for h in found["hits"]] and doc.id in by_number[0]["shown"]
    assert [e["query"] for e in log if e["action"] == "GET /"] == [f"q={id_number}"]
    assert not any("0" * 64 in (e["doc_id"] or "") for e in log)
    # The admin filters by citizen, by user, by document.
    citizen = client.get(f"/api/access-log?subject={id_number}&user=thu", headers=admin).json()
    assert citizen["total"] == 2 and {e["action"] for e in citizen["entries"]} == {
        "GET /api/search", f"GET /api/citizens/{id_number}"}
    assert client.get("/api/access-log?user=lan", headers=admin).json()["total"] == 0
    about = client.get(f"/api/access-log?doc={doc.id}", headers=admin).json()["entries"]
    assert about and all(e["doc_id"] == doc.id or doc.id in e["shown"] for e in about)
    assert "quan" not in {e["user"] for e in client.get("/api/access-log", headers=admin).json()["entries"]}
    page = client.get("/admin/access?user=thu", headers=admin)
    assert "Nhật ký truy cập" in page.text and "Phiên đăng nhập đang mở" in page.text


def test_the_report_counts_documents_pages_and_failures_by_period(site, tmp_path):
    from digitizer.web.report import period_of

    settings, _, records = site
    client = TestClient(create_app(settings), base_url="http://localhost")
    page = client.get("/report?period=month")
    assert page.status_code == 200 and "<svg" in page.text and "cdn" not in page.text.lower()
    day = records[0].source.received_at[:10]
    month = period_of(day, "month")
    csv_text = client.get("/report.csv?period=month").content.decode("utf-8-sig")
    header, *lines = [line.split(",") for line in csv_text.strip().splitlines()]
    assert header[:5] == ["Kỳ", "Tài liệu", "Trang", "Hồ sơ", "Lỗi"]
    row = next(line for line in lines if line[0] == month)
    assert int(row[1]) == len(records) and int(row[2]) == sum(len(r.pages) for r in records)
    assert client.get("/report?period=year").status_code == 422
    assert period_of("2025-12-29", "week") == "Tuần 01/2026"            # ISO weeks


def test_the_login_form_a_session_cookie_and_csrf(site, tmp_path, monkeypatch):
    import re

    import bcrypt

    from digitizer.web import auth

    settings, _, records = site
    data = copy_of(settings, tmp_path)
    locked = Settings(data_dir=data, web=WebSettings(users=f"thu:{hash_password('mật khẩu')}"))
    client = TestClient(create_app(locked), base_url="http://localhost")
    html = {"Accept": "text/html"}
    first = client.get("/doc/" + records[0].id, headers=html, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].startswith("/login?next=/doc/")
    form = client.get("/login", headers=html)
    assert form.status_code == 200 and 'for="username"' in form.text and 'for="password"' in form.text
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    assert client.post("/login", data={"username": "thu", "password": "x", "csrf": token}).status_code == 401
    assert client.post("/login", data={"username": "thu", "password": "mật khẩu", "csrf": "forged"}).status_code == 403
    calls = []
    real = bcrypt.checkpw
    monkeypatch.setattr(auth.bcrypt, "checkpw", lambda pw, hashed: calls.append(1) or real(pw, hashed))
    ok = client.post("/login", follow_redirects=False,
                     data={"username": "thu", "password": "mật khẩu", "csrf": token, "next": "//evil.example"})
    assert ok.status_code == 303 and ok.headers["location"] == "/"                # no open redirect
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    for _ in range(10):                                     # the password was checked once, at login
        assert client.get("/api/search").status_code == 200
    assert len(calls) == 1
    page = client.get("/doc/" + records[0].id, headers=html)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    url = f"/api/documents/{records[0].id}"
    assert client.patch(url, json={"verified": True}).status_code == 403              # no token: refused
    forged = client.post("/logout", data={"csrf": "x"}, headers={"Origin": "http://evil.example"})
    assert forged.status_code == 403                                               # another site's form
    assert client.patch(url, json={"verified": True}, headers={"X-CSRF-Token": csrf}).status_code == 200
    assert client.get(url).json()["verified"]["by"] == "thu"
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/api/search").status_code == 401


def test_clerk_friction_names_nested_dossiers_partial_ids_and_snippets(site, tmp_path):
    settings, docs, records = site
    client = TestClient(create_app(settings), base_url="http://localhost")
    doc = records[1]                                  # a Quyết định with its number
    got = client.get(f"/doc/{doc.id}/pdf?download=1")
    number = doc.fields["doc_number"].value.replace("/", "-")
    from urllib.parse import unquote

    disposition = got.headers["content-disposition"]
    assert disposition.isascii() and number in unquote(disposition.split("filename*=UTF-8''")[1])
    id_number = records[0].fields["id_number"].value
    assert [h["id"] for h in client.get("/api/search", params={"id_number": id_number[-6:]}).json()["hits"]] == \
        [records[0].id]                               # part of the number, as read off a worn card
    hit = client.get("/api/search", params={"number": doc.fields["doc_number"].value}).json()["hits"][0]
    assert "CỘNG HÒA" not in hit["snippet"]           # the trích yếu, not the national motto
    page = client.get(f"/doc/{doc.id}").text
    assert doc.source.received_at not in page and "/20" in page      # dd/mm/yyyy, local time
    # A dossier filed in nested folders opens.
    data = tmp_path / "data"
    nested = Settings(data_dir=data, workers=1)
    s = docs[0]
    record = save_outcome(LocalStore(nested.store_dir), process(s.data, s.name, nested, dossier="2024/HS-0001"), s.data)
    index = SqliteIndex(nested.index_path)
    index.add(record)
    index.close()
    nested_client = TestClient(create_app(nested), base_url="http://localhost")
    assert record.id in nested_client.get("/dossier/2024/HS-0001").text
    assert record.id in nested_client.get("/dossier/2024%2FHS-0001").text


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by make deps")
def test_real_browser_login_pages_and_a_390px_screen(site, tmp_path):
    settings, _, records = site
    data = copy_of(settings, tmp_path)
    doc = records[0]
    with served(data, DIGITIZER_WEB_USERS=f"thu:admin:{hash_password('mk')}") as (base, browser):
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{base}/review")
        assert "/login" in page.url                     # a page without a login goes to the form
        page.fill("#username", "thu")
        page.fill("#password", "mk")
        page.click("form.login button[type=submit]")
        page.wait_for_selector("#review-queue")
        paths = ["/", f"/?q={doc.fields['person_name'].value}", f"/doc/{doc.id}",
                 f"/citizen/{doc.fields['id_number'].value}", "/review", "/report?period=month", "/failures"]
        for path in paths:
            page.goto(base + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (path, width)          # no horizontal scrolling on a phone
        page.goto(f"{base}/citizen/{doc.fields['id_number'].value}")
        assert page.locator("#citizen-documents li").count() == 1
        page.goto(f"{base}/report?period=month")
        assert page.locator("svg.chart").count() >= 1
        page.click("form.logout button")
        page.wait_for_selector("#username")
        page.goto(f"{base}/")
        assert "/login" in page.url



def test_every_route_needs_a_login_but_the_form_and_its_styles(site):
    from fastapi.routing import APIRoute

    settings, _, records = site
    locked = Settings(data_dir=settings.data_dir, web=WebSettings(users=f"thu:{hash_password('x')}"))
    app = create_app(locked)
    client = TestClient(app, base_url="http://localhost")
    values = {"doc_id": records[0].id, "number": "1", "name": "HS-2025-0042", "id_number": "001090012345",
              "job_id": "1"}
    # FastAPI keeps an included router whole in app.routes; its own routes are inside.
    routes = [r for entry in app.routes
              for r in (entry.original_router.routes if hasattr(entry, "original_router") else [entry])
              if isinstance(r, APIRoute)]
    assert len(routes) >= 25, [type(r).__name__ for r in app.routes]      # every route, not none
    for route in routes:
        path = route.path.replace("{name:path}", "{name}").format(**values)
        for method in route.methods - {"HEAD"}:
            status = client.request(method, path, follow_redirects=False).status_code
            if path == "/login":
                assert status in (200, 422), (method, path, status)     # the form, or a POST without its fields
            else:
                assert status in (401, 403), (method, path, status)
    assert client.get("/static/style.css").status_code == 200


def test_a_fuzzed_query_string_never_gives_a_server_error(site):
    from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

    settings, _, _ = site
    client = TestClient(create_app(settings), base_url="http://localhost", raise_server_exceptions=False)
    keys = st.sampled_from(["q", "type", "from", "to", "processed_from", "processed_to", "person", "id_number",
                            "number", "dossier_code", "sort", "page", "period", "back", "next", "doc"])

    @hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(path=st.sampled_from(["/", "/api/search", "/review", "/api/review", "/report", "/report.csv",
                                 "/login", "/failures", "/admin/access", "/api/access-log"]),
           params=st.lists(st.tuples(keys, st.text(max_size=40)), max_size=5))
    def run(path, params):
        assert client.get(path, params=params).status_code < 500, (path, params)

    run()


def test_scanning_staff_retry_a_failed_file(tmp_path):
    from digitizer.errors import DigitizerError
    from digitizer.model import ErrorKind
    from digitizer.jobs.ledger import open_ledger
    from digitizer.pipeline import failed_record

    settings = Settings(data_dir=tmp_path / "data", web=WebSettings(users=f"lan:staff:{hash_password('a')}"))
    inbox = tmp_path / "inbox"
    ledger = open_ledger(settings)
    job = ledger.add(inbox, "HS-1/scan.pdf", dossier="HS-1", mode="inbox")
    ledger.claim(job.id, "h:1", 60)
    ledger.finish(job.id, "h:1", failed_record("scan.pdf", DigitizerError(ErrorKind.TRUNCATED)))
    ledger.close()
    failed = settings.data_dir / "failed"
    failed.mkdir(parents=True)
    (failed / "scan.pdf").write_bytes(b"%PDF-1.4 fixed")
    (failed / "scan.pdf.error.txt").write_text("damaged")
    client = TestClient(create_app(settings), base_url="http://localhost")
    staff = {"Authorization": "Basic " + base64.b64encode(b"lan:a").decode()}
    assert "Thử lại" in client.get("/failures", headers=staff).text
    assert client.post(f"/api/failures/{job.id}/retry", headers=staff).status_code == 202
    assert (inbox / "HS-1" / "scan.pdf").read_bytes() == b"%PDF-1.4 fixed"     # back where it was dropped
    assert not (failed / "scan.pdf.error.txt").exists()
    ledger = open_ledger(settings)
    assert ledger.get(job.id).state == "queued" and ledger.get(job.id).attempts == 0
    ledger.close()
    assert client.post(f"/api/failures/{job.id}/retry", headers=staff).status_code == 409


@pytest.fixture(scope="module")
def hand_site(tmp_path_factory):
    """A data folder holding one application form filled in by hand."""
    from samples.kinds import page_kind

    data = tmp_path_factory.mktemp("hand") / "data"
    settings = Settings(data_dir=data, workers=1)
    store, index = LocalStore(settings.store_dir), SqliteIndex(settings.index_path)
    form = page_kind("form", 1)
    record = save_outcome(store, process(form.data, form.name, settings), form.data)
    index.add(record)
    index.close()
    return settings, form, record


def test_a_handwritten_value_is_shown_as_its_crop_and_typed_in_by_a_clerk(hand_site, tmp_path):
    settings, form, record = hand_site
    client = TestClient(create_app(Settings(data_dir=copy_of(settings, tmp_path))), base_url="http://localhost")
    entry = next(d for d in client.get("/api/review").json()["documents"] if d["id"] == record.id)
    assert "viết tay, cần nhập" in entry["reason"] and "person_name" in entry["reason"]
    crop = client.get(f"/doc/{record.id}/field/person_name.png")
    assert crop.status_code == 200 and crop.headers["content-type"] == "image/png"
    pixels = np.asarray(Image.open(io.BytesIO(crop.content)).convert("RGB")).astype(int)
    assert ((pixels[..., 2] - pixels[..., 0]) > 60).sum() > 200              # the blue handwriting is in it
    assert client.get(f"/doc/{record.id}/field/nonsense.png").status_code == 404
    page = client.get(f"/doc/{record.id}").text
    assert f'src="/doc/{record.id}/field/person_name.png"' in page and "nhập theo chữ viết tay" in page
    name = form.truth["hand"]["person_name"]
    assert client.get("/api/search", params={"q": plain(name)}).json()["hits"] == []
    answer = client.patch(f"/api/documents/{record.id}", json={"fields": {"person_name": name}})
    field = answer.json()["record"]["fields"]["person_name"]
    assert (field["value"], field["hand"], field["bbox"]) == (name, True, record.fields["person_name"].bbox)
    assert [h["id"] for h in client.get("/api/search", params={"q": plain(name)}).json()["hits"]] == [record.id]
    reason = next(d for d in client.get("/api/review").json()["documents"] if d["id"] == record.id)["reason"]
    assert "person_name" not in reason.split("viết tay, cần nhập:")[1].split(";")[0]


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by make deps")
def test_real_browser_a_clerk_types_a_handwritten_name_from_its_crop(hand_site, tmp_path):
    settings, form, record = hand_site
    data = copy_of(settings, tmp_path)
    name = form.truth["hand"]["person_name"]
    with served(data) as (base, browser):
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{base}/review")
        page.click(f'#review-queue a[href="/doc/{record.id}"]')
        # The crop of the handwritten name is shown, loaded, beside an empty input.
        page.wait_for_function("() => { const img = document.querySelector('#correct img.hand-crop');"
                               " return img && img.complete && img.naturalWidth > 100; }", timeout=10000)
        assert page.locator("#f-person_name").input_value() == ""
        page.fill("#f-person_name", name)
        page.click("#correct button[type=submit]")
        page.wait_for_selector("text=Lịch sử sửa")
        page.goto(f"{base}/?q={plain(name).replace(' ', '+')}")
        page.wait_for_selector(".hit")
        assert page.locator(".hit a.title").get_attribute("href").startswith(f"/doc/{record.id}")
