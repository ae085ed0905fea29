"""`digitizer process` and `digitizer export` as users run them: a real subprocess."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pymupdf

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
    out = tmp_path / "export"
    exported = run(["export", record["id"], str(out)], data)
    assert exported.returncode == 0, exported.stderr
    saved = json.loads((out / f"{record['id']}.json").read_text(encoding="utf-8"))
    assert saved == record
    assert pymupdf.open(out / f"{record['id']}.pdf").page_count == 1
    assert run(["export", "../../etc/passwd", str(out)], data).returncode == 2
    assert run(["export", "0" * 64, str(out)], data).returncode == 1


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
