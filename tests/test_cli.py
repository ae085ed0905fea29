"""`digitizer process` and `digitizer export` as users run them: a real subprocess."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from .conftest import sample
from .helpers import write


def run(args: list[str], data_dir: Path, workers: int = 2) -> subprocess.CompletedProcess:
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(data_dir), "DIGITIZER_WORKERS": str(workers)}
    return subprocess.run([sys.executable, "-m", "digitizer.cli", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def test_batch_with_bad_files_finishes_the_good_ones(tmp_path):
    good = [write(tmp_path, s.name, s.data) for s in
            (sample("quyet_dinh", "clean", seed=21), sample("don_de_nghi", "sealed", seed=22))]
    renamed_png = write(tmp_path, "scan.pdf", sample("thong_bao", "mild", seed=23).data)   # a PNG named .pdf
    empty = write(tmp_path, "empty.pdf", b"")
    truncated = write(tmp_path, "cut.pdf", sample("quyet_dinh", "clean", seed=24).data[:4000])
    data = tmp_path / "data"
    proc = run(["process", "--json", *map(str, good + [renamed_png, empty, truncated])], data)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    records = {r["source"]["name"]: r for r in map(json.loads, proc.stdout.splitlines())}
    # Given out in the order asked, though the workers take the largest files first.
    assert list(records) == [p.name for p in good + [renamed_png, empty, truncated]]
    for path in good + [renamed_png]:
        record = records[path.name]
        assert record["status"] == "done"
        for key in record["objects"].values():
            assert (data / "store" / key).is_file()
        assert record["objects"]["record"] == f"records/{record['id'][:2]}/{record['id']}.json"
    assert records["scan.pdf"]["source"]["media_type"] == "image/png"
    assert records["scan.pdf"]["objects"]["original"].endswith(".png")
    assert records["empty.pdf"]["error"]["kind"] == "empty_file"
    assert records["cut.pdf"]["status"] == "failed"
    assert not list((data / "store" / "records").rglob("*.json"))[3:]     # failures store nothing


def test_export_and_second_run_is_not_processed_again(tmp_path):
    s = sample("giay_xac_nhan", "lowres", seed=31)
    path = write(tmp_path, s.name, s.data)
    data = tmp_path / "data"
    first = run(["process", "--json", str(path)], data, workers=1)
    assert first.returncode == 0, first.stderr
    record = json.loads(first.stdout)
    second = run(["process", str(path)], data, workers=1)
    assert second.returncode == 0 and "already stored" in second.stdout
    # A copy under another name is the same document: its line names the copy, and the original.
    copy = write(tmp_path, "copy" + path.suffix, s.data)
    again = run(["process", str(copy)], data, workers=1)
    assert again.stdout.startswith(f"done    {copy.name}  ") and f"(already stored, as {path.name})" in again.stdout
    out = tmp_path / "export"
    exported = run(["export", record["id"], str(out)], data)
    assert exported.returncode == 0, exported.stderr
    saved = json.loads((out / f"{record['id']}.json").read_text(encoding="utf-8"))
    assert saved == record
    assert pymupdf.open(out / f"{record['id']}.pdf").page_count == 1
    assert run(["export", "../../etc/passwd", str(out)], data).returncode == 2
    assert run(["export", "0" * 64, str(out)], data).returncode == 1


def test_force_replaces_the_stored_reading_and_keeps_what_clerks_did(tmp_path):
    from digitizer.config import Settings
    from digitizer.storage import load_record, open_index, open_store, revise
    from digitizer.storage.archive import put_record

    s = sample("giay_xac_nhan", "clean", seed=33)
    path = write(tmp_path, s.name, s.data)
    data = tmp_path / "data"
    assert run(["process", str(path)], data, workers=1).returncode == 0
    settings = Settings(data_dir=data)
    store = open_store(settings)
    doc_id = next((data / "store" / "records").rglob("*.json")).stem
    record = load_record(store, doc_id)
    read = {name: field.value for name, field in record.fields.items()}
    # As an older version left it: another text, a number misread; then a clerk's correction.
    record.text, record.fields["doc_number"].value = "ĐỌC CŨ", "1/XX"
    put_record(store, record)
    revise(store, record, {"person_name": "Trần Thị Hường"}, "clerk", verified=True)
    forced = run(["process", "--force", "--json", str(path)], data, workers=1)
    assert forced.returncode == 0, forced.stderr
    again = load_record(store, doc_id)
    assert json.loads(forced.stdout) == again.to_dict()                   # the line shows what is stored
    assert "ĐỌC CŨ" not in again.text and again.fields["doc_number"].value == read["doc_number"]
    assert again.fields["person_name"].value == "Trần Thị Hường"          # the clerk's value stays
    assert again.original == {"person_name": read["person_name"]}       # beside what OCR reads now
    assert again.verified is None          # the clerk checked "1/XX": the number now read is not checked
    assert (data / "store" / again.objects["text"]).read_text(encoding="utf-8") == again.text
    index = open_index(settings)
    assert [hit.id for hit in index.search("tran thi huong").hits] == [doc_id]
    index.close()


def test_two_files_of_the_same_content_in_one_run_are_each_named(tmp_path):
    """Read in parallel, both are one document (the store is content-addressed): each line names
    its own file, and the second says whose content it has."""
    scan = sample("quyet_dinh", "lowres", seed=32)
    suffix = Path(scan.name).suffix
    first, second = write(tmp_path, "first" + suffix, scan.data), write(tmp_path, "second" + suffix, scan.data)
    proc = run(["process", str(first), str(second)], tmp_path / "data")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"done    {first.name}  ") and "same content" not in lines[0]
    assert lines[1].startswith(f"done    {second.name}  ") and lines[1].endswith(f"(the same content as {first.name})")
    assert lines[0].split()[2] == lines[1].split()[2]          # one document id


def test_a_data_folder_that_cannot_be_used_is_told_in_one_line(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    for args in (["status"], ["search", "abc"]):
        proc = run(args, blocker)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert str(blocker) in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_a_damaged_index_is_told_in_one_line(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "index.sqlite").write_bytes(b"not a database, " * 512)
    proc = run(["search", "abc"], data)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "index.sqlite" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_backfill_refuses_a_folder_that_holds_its_own_data(tmp_path):
    """Pointed at the data folder (or a folder holding it), a backfill would read its own
    ledger, queue and store as documents."""
    data = tmp_path / "data"
    (data / "inbox").mkdir(parents=True)
    for folder in (data, tmp_path, data / "inbox"):
        result = run(["backfill", str(folder), "--workers", "0"], data)
        assert result.returncode == 2 and "own data folder" in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1
    assert not (data / "ledger.sqlite").exists()


def test_check_lists_what_store_index_and_ledger_disagree_on_and_repairs_it(tmp_path):
    from samples.quick import small_page_png

    from digitizer.config import Settings
    from digitizer.storage import open_index, open_store

    archive, data = tmp_path / "archive", tmp_path / "data"
    archive.mkdir()
    for n in range(4):
        (archive / f"scan-{n}.png").write_bytes(small_page_png(70 + n))
    assert run(["backfill", str(archive), "--workers", "1"], data).returncode == 0
    clean = run(["check"], data)
    assert clean.returncode == 0 and "4 document(s) in the store, 4 in the index" in clean.stdout, clean.stdout

    settings = Settings(data_dir=data)
    store, index = open_store(settings), open_index(settings)
    ids = sorted(index.ids())
    lost, no_pdf, unindexed, kept = ids
    for key in store.keys("records/"):                         # the bucket lost one document's objects
        if lost in key:
            (settings.store_dir / key).unlink()
    (settings.store_dir / f"pdf/{no_pdf[:2]}/{no_pdf}.pdf").unlink()
    index.remove([unindexed])                                  # a crash between storing and indexing
    index.close()

    found = json.loads(run(["check", "--json"], data).stdout)
    assert sorted((f["kind"], f["id"]) for f in found["findings"]) == sorted([
        ("indexed_without_record", lost), ("done_without_record", _job_of(data, lost)),
        ("indexed_without_pdf", no_pdf), ("stored_not_indexed", unindexed)])
    assert run(["check"], data).returncode == 1

    repaired = run(["check", "--repair"], data)
    assert repaired.returncode == 1, repaired.stdout              # the missing PDF cannot be mended here
    index = open_index(settings)
    assert index.ids() == {unindexed, kept}
    index.close()
    after = json.loads(run(["check", "--json"], data).stdout)
    assert [(f["kind"], f["id"]) for f in after["findings"]] == [("stored_without_pdf", no_pdf)]
    status = json.loads(run(["status", "--json"], data).stdout)
    assert status["counts"]["queued"] == 1                     # the lost document's file, queued again


def _job_of(data: Path, doc_id: str) -> str:
    import sqlite3

    with sqlite3.connect(data / "ledger.sqlite") as conn:
        return str(conn.execute("SELECT id FROM jobs WHERE record_id = ?", (doc_id,)).fetchone()[0])


def _newer_ledger(data: Path) -> None:
    import sqlite3

    assert run(["status"], data).returncode == 0
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        conn.execute("UPDATE schema_versions SET version = 99 WHERE component = 'ledger'")


FAULTS = {   # name: (make the fault in the data folder, command, words the one line must hold)
    "a damaged ledger": (lambda d: (d / "ledger.sqlite").write_bytes(b"x" * 4096), ["status"],
                         ["ledger.sqlite", "backup"]),
    "a damaged queue": (lambda d: (d / "queue.sqlite").write_bytes(b"x" * 4096), ["status"], ["queue.sqlite"]),
    "a ledger truncated to nothing": (lambda d: ((d / "store" / "records").mkdir(parents=True),
                                                 (d / "ledger.sqlite").write_bytes(b"")), ["status"],
                                      ["ledger.sqlite", "empty"]),
    "a ledger of a newer version": (_newer_ledger, ["status"], ["ledger.sqlite", "newer", "upgrade"]),
    "an inbox that is a file": (lambda d: (d.parent / "inbox").write_text("x"), ["watch", "{tmp}/inbox"],
                                ["inbox is a file"]),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_is_one_line_naming_the_file(tmp_path, fault):
    make, args, words = FAULTS[fault]
    data = tmp_path / "data"
    data.mkdir()
    make(data)
    proc = run([a.format(tmp=tmp_path) for a in args], data)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and all(w in proc.stderr for w in words), proc.stderr


def test_a_read_only_data_folder_is_one_line(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    mounted = subprocess.run(["mount", "--bind", "-o", "ro", str(data), str(data)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount read-only here: {mounted.stderr.strip()}")
    try:
        for args in (["status"], ["search", "x"], ["process", str(tmp_path / "a.png")], ["reindex"], ["check"]):
            proc = run(args, data)
            assert proc.returncode == 2 and "Traceback" not in proc.stderr, (args, proc.stderr)
            assert len(proc.stderr.strip().splitlines()) == 1 and str(data) in proc.stderr, (args, proc.stderr)
    finally:
        subprocess.run(["umount", str(data)], check=True)


def test_ctrl_c_at_any_moment_of_the_start_is_quiet(tmp_path):
    """Ctrl-C while the command's modules load: no traceback, no native module's abort."""
    import random
    import signal
    import time

    env = {**os.environ, "DIGITIZER_DATA_DIR": str(tmp_path / "data"), "DIGITIZER_WORKERS": "1"}
    rng = random.Random(3)
    for _ in range(6):
        args = rng.choice([["watch", str(tmp_path / "inbox")], ["status"], ["worker"], ["process", "/nonexistent.png"]])
        proc = subprocess.Popen([sys.executable, "-m", "digitizer", *args], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        time.sleep(rng.uniform(0.1, 1.5))                # (the interpreter's own first 50 ms excepted)
        os.killpg(proc.pid, signal.SIGINT)                 # the terminal's Ctrl-C: the whole group
        _, err = proc.communicate(timeout=60)
        assert "Traceback" not in err and "Critical" not in err and len(err.strip().splitlines()) <= 3, (args, err)


END_NOW = """
import atexit, sys, threading, time
from digitizer.__main__ import end_now
atexit.register(lambda: open(sys.argv[1], "w").write("exit handlers ran"))
if sys.argv[2] == "thread":
    threading.Thread(target=lambda: time.sleep(1) or open(sys.argv[1] + ".thread", "w").write("finished")).start()
print("the command's output", end="")
sys.exit(end_now(3) + 10)
"""


@pytest.mark.parametrize("case", ["alone", "thread", "profiler"])
def test_a_command_ends_without_the_teardown_once_its_own_work_is_done(tmp_path, case):
    """The exit handlers run and the output is flushed; the interpreter's teardown is skipped
    (os._exit) unless a thread of the command still runs, which the usual exit then waits for,
    or a profiler, which writes its report after the command returns."""
    done, script, report = tmp_path / "done", tmp_path / "command.py", tmp_path / "profile"
    script.write_text(END_NOW)
    profiler = ["-m", "cProfile", "-o", str(report)] if case == "profiler" else []
    run = subprocess.run([sys.executable, *profiler, str(script), str(done), case], capture_output=True, text=True,
                         timeout=60)
    assert run.stdout == "the command's output" and done.read_text() == "exit handlers ran"
    # cProfile ends with 0 whatever the command says; without the quick end it had none to write.
    assert run.returncode == {"alone": 3, "thread": 13, "profiler": 0}[case], run.stderr
    if case == "thread":
        assert (tmp_path / "done.thread").read_text() == "finished"
    assert report.exists() == (case == "profiler")
