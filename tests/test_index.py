"""The search index (SQLite and PostgreSQL): Vietnamese with and without diacritics, filters, rebuild."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata

from digitizer.model import Field, Record, SourceInfo
import pytest

from digitizer.storage import Filters, LocalStore, SearchIndex, SqliteIndex, records_in
from digitizer.storage.pg_index import PostgresIndex

from .conftest import sample
from .helpers import write


def record(n: int, text: str, person: str, doc_type: str = "Đơn đề nghị", issued: str = "2025-01-01",
           id_number: str = "001090012345") -> Record:
    r = Record(id=f"{n:064x}",
               source=SourceInfo(f"doc{n}.pdf", 1, "application/pdf", None, "2025-11-25T08:00:00+07:00"))
    r.text = text
    r.doc_type = Field(doc_type, 0.97)
    r.fields = {"person_name": Field(person, 0.9), "issue_date": Field(issued, 0.9),
                "id_number": Field(id_number, 0.9), "doc_number": Field(f"{n}/QĐ-UBND", 0.9)}
    return r


@pytest.fixture(params=["sqlite", "postgres"])
def index_of(request, tmp_path):
    """Both backends answer the same searches: SQLite FTS5 and PostgreSQL (a real server)."""
    def make(*records: Record) -> SearchIndex:
        if request.param == "sqlite":
            index: SearchIndex = SqliteIndex(tmp_path / "index.sqlite")
        else:
            index = PostgresIndex(request.getfixturevalue("database_url"))
        for r in records:
            index.add(r)
        return index
    return make


def test_query_without_diacritics_finds_vietnamese_including_d(index_of):
    index = index_of(record(1, "Đơn của ông Nguyễn Văn An, thôn Đông", "Nguyễn Văn An"),
                     record(2, "Báo cáo tổng kết năm", "Trần Thị Hường"))
    assert [h.id for h in index.search("nguyen van an").hits] == [f"{1:064x}"]
    assert index.search("thon dong").total == 1                     # đ folds to d
    assert index.search("tran thi huong").total == 1                 # ư, ờ: letters with two marks
    assert index.search("Hường").total == 1


def test_exact_diacritics_rank_first(index_of):
    index = index_of(record(1, "ông Lê Văn Tâm", "Lê Văn Tâm"), record(2, "ông Lê Văn Tám", "Lê Văn Tám"))
    hits = index.search("Tám").hits
    assert [h.id for h in hits] == [f"{2:064x}", f"{1:064x}"] and hits[0].exact and not hits[1].exact
    assert [h.id for h in index.search("Tâm").hits][0] == f"{1:064x}"


def test_phrase_prefix_and_filters(index_of):
    index = index_of(record(1, "giấy xác nhận tình trạng hôn nhân", "Lê Văn Tám", "Giấy xác nhận tình trạng hôn nhân",
                            "2024-03-01", "001090000001"),
                     record(2, "tình trạng hồ sơ đang xử lý", "Đỗ Thị Mai", "Thông báo", "2025-06-01", "040190000002"))
    assert index.search('"tinh trang hon nhan"').total == 1
    assert index.search("hon nh*").total == 1
    assert index.search("tinh trang").total == 2
    assert index.search("tinh trang", Filters(doc_type="Thông báo")).total == 1
    assert index.search("", Filters(issued_from="2025-01-01")).total == 1
    assert index.search("", Filters(id_number="001090000001")).hits[0].id == f"{1:064x}"
    assert index.search("", Filters(person_name="do thi mai")).total == 1
    assert index.search("tinh trang").by_type == {"Giấy xác nhận tình trạng hôn nhân": 1, "Thông báo": 1}
    assert index.search("tinh trang", Filters(doc_type="Thông báo")).by_type["Thông báo"] == 1   # facets keep
    assert len(index.search("tinh trang", Filters(doc_type="Thông báo")).by_type) == 2           # other types
    assert index.search("", sort="date").hits[0].id == f"{2:064x}"


def test_hostile_query_text_is_only_text(index_of):
    index = index_of(record(1, "văn bản <script>alert(1)</script>", "Lê Văn Tám"))
    assert index.search('" OR 1=1; DROP TABLE documents; --').total == 0
    assert index.search("script").hits[0].snippet.count("<script>") == 1   # stored as text, escaped by the page
    assert index.search("lê văn").hits[0].snippet.startswith("văn bản")


def test_cli_process_search_and_reindex_from_the_store(tmp_path):
    s = sample("don_de_nghi", "clean", seed=71, fmt="png")
    path = write(tmp_path, s.name, s.data)
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(tmp_path / "data"), "DIGITIZER_WORKERS": "1"}
    run = lambda *a: subprocess.run([sys.executable, "-m", "digitizer.cli", *a], capture_output=True,  # noqa: E731
                                    text=True, env=env, timeout=300)
    assert run("process", str(path)).returncode == 0
    name = s.truth["fields"]["person_name"]
    # typed without diacritics, as a clerk on a keyboard without Vietnamese input would
    plain = "".join(c for c in unicodedata.normalize("NFD", name.lower().replace("đ", "d"))
                    if not unicodedata.combining(c))
    found = json.loads(run("search", plain, "--json").stdout)
    assert found["total"] == 1 and found["hits"][0]["person_name"] == name
    (tmp_path / "data" / "index.sqlite").unlink()
    assert "indexed 1" in run("reindex").stdout
    again = json.loads(run("search", plain, "--json").stdout)
    assert again == found
    # A damaged index (a disk error, a copy cut short) is rebuilt beside it and swapped in.
    (tmp_path / "data" / "index.sqlite").write_bytes(b"SQLite format 3\x00" + b"\xde\xad" * 4000)
    assert run("search", plain).returncode == 2
    rebuilt = run("reindex")
    assert rebuilt.returncode == 0 and "indexed 1" in rebuilt.stdout, rebuilt.stderr
    assert json.loads(run("search", plain, "--json").stdout) == found
    assert [r.id for r in records_in(LocalStore(tmp_path / "data" / "store"))] == [found["hits"][0]["id"]]


def test_names_with_small_ocr_errors_are_still_found(index_of):
    index = index_of(record(1, "Đơn của bà Trần Thị Hườug", "Trần Thị Hườug"),   # OCR: n read as u
                     record(2, "Đơn của ông Lê Văn Tám", "Lê Văn Tám"))
    results = index.search("tran thi huong")
    assert [h.id for h in results.hits] == [f"{1:064x}"] and results.hits[0].fuzzy
    assert index.search("tran thi loan").total == 0           # two letters off in a short word: no
    assert index.search("tran thi huong", Filters(doc_type="Thông báo")).total == 0   # filters still apply


def test_processed_date_filter(index_of):
    index = index_of(record(1, "một", "Lê Văn Tám"))
    assert index.search("", Filters(processed_from="2025-11-25", processed_to="2025-11-25")).total == 1
    assert index.search("", Filters(processed_from="2025-11-26")).total == 0


def test_review_queue_and_daily_counts_on_both_backends(index_of):
    sure, unsure, checked = record(1, "một", "Lê Văn Tâm"), record(2, "hai", "Lê Văn Tám"), record(3, "ba", "Hà Anh")
    unsure.fields["person_name"] = Field("Lê Văn Tám", 0.3)
    checked.doc_type = None
    checked.verified = {"by": "thu", "at": "2025-11-25T08:00:00+07:00"}
    for i, r in enumerate((sure, unsure, checked)):
        r.source.received_at = f"2025-11-2{5 + i}T08:00:00+07:00"
        r.source.dossier = "HS-1"
        r.pages = [{"number": 1}, {"number": 2}]
    index = index_of(sure, unsure, checked)
    queue = index.search("", Filters(needs_review=True), sort="oldest")
    assert [h.id for h in queue.hits] == [unsure.id]             # low confidence, not yet checked
    daily = sorted(tuple(row) for row in index.daily())
    assert daily == [("2025-11-25", "Đơn đề nghị", 1, 2), ("2025-11-26", "Đơn đề nghị", 1, 2),
                     ("2025-11-27", "", 1, 2)]
    assert sorted(tuple(row) for row in index.dossier_days()) == [
        ("2025-11-25", "HS-1"), ("2025-11-26", "HS-1"), ("2025-11-27", "HS-1")]


def test_a_local_store_sweeps_the_half_written_objects_a_kill_left(tmp_path):
    import os
    import time

    from digitizer.storage import LocalStore

    store = LocalStore(tmp_path / "store")
    store.put("pdf/ab/abc.pdf", b"%PDF-1.7", "application/pdf")
    old = tmp_path / "store" / "pdf" / "ab" / ".tmp-killed"
    old.write_bytes(b"%PDF-1")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    young = tmp_path / "store" / "pdf" / "ab" / ".tmp-writing"
    young.write_bytes(b"%PDF")
    assert store.sweep(older_than=3600) == 1
    assert not old.exists() and young.exists() and store.get("pdf/ab/abc.pdf") == b"%PDF-1.7"


def test_a_peer_storing_the_same_document_at_once_is_no_failed_write_but_a_lost_write_is(tmp_path):
    """Two copies of one scan read at once by two workers store under one id: the other's
    whole write landing between a write and its reading back is no failure, and the last
    write stands. A write that reads back cut short still fails."""
    from digitizer.config import Settings
    from digitizer.pipeline import process
    from digitizer.storage import LocalStore, save_outcome
    from tests.conftest import sample

    scan = sample("quyet_dinh", "clean", 31, fmt="png")
    settings = Settings(data_dir=tmp_path / "data", workers=1)
    mine, theirs = process(scan.data, "first.png", settings), process(scan.data, "second.png", settings)
    assert mine.record.id == theirs.record.id

    class PeerWritesAfterMe(LocalStore):
        def put(self, key, data, content_type, metadata=None):
            super().put(key, data, content_type, metadata)
            if not key.startswith("originals/"):         # the peer's own PDF, text and record
                peer = {"pdf": peer_outcome.pdf, "text": (peer_outcome.text or "").encode()}
                body = peer.get(key.split("/")[0])
                if body is None:
                    body = json.dumps({**peer_outcome.record.to_dict(), "status": "done"}).encode()
                super().put(key, body + (b"\n" if key.startswith("text/") else b""), content_type, metadata)

    peer_outcome = theirs
    stored = save_outcome(PeerWritesAfterMe(settings.store_dir), mine, scan.data)
    assert stored.status == "done", stored.error

    class LosesTheEnd(LocalStore):
        def put(self, key, data, content_type, metadata=None):
            super().put(key, data[:-10] if key.startswith("pdf/") else data, content_type, metadata)

    lost = save_outcome(LosesTheEnd(tmp_path / "other"), process(scan.data, "third.png", settings), scan.data)
    assert lost.status == "failed" and "did not verify" in lost.error.message
