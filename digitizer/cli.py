"""The `digitizer` command (design §5)."""

from __future__ import annotations

import argparse
import errno
import json
import logging
import multiprocessing
import os
import sqlite3
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Sequence

from .config import Settings, SettingsError, load_settings
from .errors import DigitizerError
from .jobs.interrupts import Interrupts
from .jobs.ledger import open_ledger
from .model import ErrorKind, Record
from .text import page_ranges
from .storage import (Filters, ObjectStore, StoreConfigError, StoreUnavailable, documents_of, load_record, open_index,
                      open_store, records_in, reindex)
from .storage.database import SchemaTooNew
from .storage.keys import valid_id

log = logging.getLogger(__name__)


def _emit(record: Record, as_json: bool, note: str = "", name: str | None = None) -> None:
    """A document's line; `name`: the file it came from in this run, where the record (stored
    before, from another file of the same content) names another."""
    if as_json:
        print(json.dumps(record.to_dict(), ensure_ascii=False), flush=True)
    elif record.status == "done":
        secs = record.pipeline.get("seconds", 0)
        where = f" (file pages {page_ranges(record.source.pages)})" if record.source.pages else ""
        dossier = f"  dossier {record.source.dossier}" if record.source.dossier else ""
        print(f"done    {name or record.source.name}  {record.id[:12]}  {len(record.pages)} page(s){where}{dossier}"
              f"  {secs:.1f}s{note}")
    else:
        assert record.error is not None
        print(f"failed  {name or record.source.name}  {record.error.message}", flush=True)


def cmd_process(args: argparse.Namespace, settings: Settings) -> int:
    with Interrupts():                        # the pipeline (OpenCV, Tesseract) loads only for the commands that run it
        from .ocr import load_model
        loading = load_model(settings.ocr)    # while the rest is imported; the workers fork with it
        from .jobs.batch import ingested
        from .pipeline import failed_record
    if loading is not None:
        loading.join()

    failures = 0
    first_of: dict[str, str] = {}        # a document's id: the file of this run it came from first
    for path, result in ingested(args.files, settings, args.force):
        record = result.record or failed_record(path.name, DigitizerError(ErrorKind.TRUNCATED, f"no such file: {path}"))
        failures += record.status != "done"
        # One line per document found: a stack gives several, each in its dossier.
        for document in result.documents or [record]:
            _emit(document, args.json, _same_content(path, document, result.outcome, first_of), path.name)
    return 1 if failures else 0


def _same_content(path: Path, record: Record, outcome: str, first_of: dict[str, str]) -> str:
    """What the line of a file says when its content is a document stored before, under another
    name or from another file of this run (the store keeps one document per content)."""
    first = first_of.setdefault(record.id, path.name) if record.status == "done" else path.name
    if outcome == "duplicate":
        stored = record.source.name
        return "  (already stored)" if stored == path.name else f"  (already stored, as {stored})"
    return f"  (the same content as {first})" if first != path.name else ""


def _stored(doc_id: str, settings: Settings) -> tuple[ObjectStore, Record] | int:
    """The store and the document's record; else the exit status, the reason printed."""
    if not valid_id(doc_id):
        print(f"not a document id (64 hex digits): {doc_id}", file=sys.stderr)
        return 2
    store = open_store(settings)
    record = load_record(store, doc_id)
    if record is None:
        print(f"no document {doc_id} in the store", file=sys.stderr)
        return 1
    return store, record


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    found = _stored(args.id, settings)
    if isinstance(found, int):
        return found
    store, record = found
    args.dir.mkdir(parents=True, exist_ok=True)
    if record.is_stack:      # the stack's own record, then each of its documents
        (args.dir / f"{record.id}.json").write_text(
            json.dumps(record.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    for document in documents_of(store, record):
        (args.dir / f"{document.id}.pdf").write_bytes(store.get(document.objects["pdf"]))
        (args.dir / f"{document.id}.json").write_text(
            json.dumps(document.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        print(args.dir / f"{document.id}.pdf")
    return 0


def cmd_sheet(args: argparse.Namespace, settings: Settings) -> int:
    from .stack.sheets import sheet_pdf

    if args.kind == "dossier" and not args.code:
        print("a dossier sheet needs its code: digitizer sheet dossier CODE OUT.pdf", file=sys.stderr)
        return 2
    if args.kind == "separator" and args.code:
        print("a separator sheet has no code: digitizer sheet separator OUT.pdf", file=sys.stderr)
        return 2
    args.out.write_bytes(sheet_pdf(args.kind, args.code))
    print(args.out)
    return 0


# The service loops and the queue (huey, redis: 0.3 s) are imported by the commands that run them,
# with Ctrl-C held until the import is over: cut short, a native module's start-up aborts the
# process or prints the traceback of the import it interrupted. The command then stops with 130.


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    with Interrupts():
        from .jobs.loops import WatchOptions, run_watch
    logging.getLogger().setLevel(logging.INFO)
    return run_watch(settings, WatchOptions(args.dir or settings.data_dir / "inbox", args.settle, args.polling,
                                            args.workers, args.config))


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    with Interrupts():
        from .jobs.queue import run_consumer
    logging.getLogger("digitizer").setLevel(logging.INFO)
    run_consumer(settings, args.workers or settings.worker_count())
    return 0


def cmd_backfill(args: argparse.Namespace, settings: Settings) -> int:
    with Interrupts():
        from .jobs.loops import BackfillOptions, run_backfill

    archive, data = args.dir.resolve(), settings.data_dir.resolve()
    if archive == data or data in archive.parents or archive in data.parents:
        print(f"backfill: {args.dir} holds digitizer's own data folder {settings.data_dir} (its databases, store "
              "and inbox); point it at the archive only", file=sys.stderr)
        return 2
    return run_backfill(settings, BackfillOptions(args.dir, args.workers, args.config, args.report, args.retry,
                                                  args.log_every))


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    with Interrupts():
        from .jobs.queue import open_queue
    ledger = open_ledger(settings)
    counts, hour = ledger.counts(), ledger.done_since(3600)
    failures = ledger.recent_failures(args.failures)
    ledger.close()
    pending = open_queue(settings)[0].pending_count()
    if args.json:
        print(json.dumps({"counts": counts, "done_last_hour": hour, "in_queue": pending,
                          "failures": [asdict(j) for j in failures]}, ensure_ascii=False))
        return 0
    print("  ".join(f"{state}: {n}" for state, n in counts.items()) +
          f"   in the queue: {pending}   done in the last hour: {hour}")
    for job in failures:
        print(f"failed  {job.path}  {job.error}")
    return 0


def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    """Each stored PDF of the document (a stack's documents each): signed, and intact since."""
    from .signing.verify import verify_pdf

    found = _stored(args.id, settings)
    if isinstance(found, int):
        return found
    store, record = found
    failures = 0
    for document in documents_of(store, record):
        verdict = verify_pdf(store.get(document.objects["pdf"]))
        level = document.stored_pdf.pdfa
        print(f"{'ok     ' if verdict.ok else 'FAILED '} {document.id[:12]}  {verdict.message}"
              f"{f'; PDF/A-{level}' if level else ''}")
        failures += not verdict.ok
    return 1 if failures else 0


def cmd_reindex(args: argparse.Namespace, settings: Settings) -> int:
    count = reindex(settings, records_in(open_store(settings)))
    print(f"indexed {count} document(s) from the store")
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Store, index and ledger compared; exit 1 while anything disagrees (unrepaired)."""
    from .jobs.check import KINDS, check

    store, index, ledger = open_store(settings), open_index(settings), open_ledger(settings)
    try:
        result = check(store, index, ledger, repair=args.repair)
    finally:
        index.close()
        ledger.close()
    if args.json:
        print(json.dumps({**asdict(result), "unrepaired": result.unrepaired}, ensure_ascii=False))
        return 1 if result.unrepaired else 0
    for finding in result.findings:
        done = "  -> repaired" if finding.repaired else ""
        print(f"{KINDS[finding.kind]:<48} {finding.id[:12]:<12}  {finding.name}{done}")
    print(f"{result.stored} document(s) in the store, {result.indexed} in the index, {result.done} file(s) done "
          f"in the ledger: {len(result.findings)} disagreement(s), {result.unrepaired} left"
          + ("" if args.repair or not result.findings else "; `digitizer check --repair` mends them"))
    return 1 if result.unrepaired else 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    index = open_index(settings)
    filters = Filters.from_params(lambda name: getattr(args, name))
    results = index.search(" ".join(args.query), filters, limit=args.limit, sort=args.sort)
    index.close()
    if args.json:
        print(json.dumps({"total": results.total, "by_type": results.by_type,
                          "hits": [asdict(h) for h in results.hits]}, ensure_ascii=False))
        return 0
    print(f"{results.total} document(s)")
    for hit in results.hits:
        print(f"{hit.id[:12]}  {hit.issue_date or '          '}  {hit.doc_type or '-':<22} "
              f"{hit.doc_number or '':<18} {hit.person_name or '':<22} {hit.name}")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    with Interrupts():
        import uvicorn

        from .web import create_app

    host = args.host or settings.web.host
    settings = settings.model_copy(update={"web": settings.web.model_copy(update={"host": host})})
    if host not in ("127.0.0.1", "localhost", "::1") and not (settings.web.users or settings.web.api_token):
        print(f"warning: serving on {host} without a login; set DIGITIZER_WEB_USERS or "
              "DIGITIZER_WEB_API_TOKEN for an office LAN", file=sys.stderr)
    # X-Forwarded-For is believed only from the proxies named (uvicorn's default believes 127.0.0.1:
    # any local client could then write a made-up address into the access log).
    proxies = [p.strip() for p in settings.web.trusted_proxies.split(",") if p.strip()]
    uvicorn.run(create_app(settings), host=host, port=args.port or settings.web.port, log_level="info",
                proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None)
    return 0


def cmd_hash_password(args: argparse.Namespace, settings: Settings) -> int:
    from .web.auth import hash_password

    if not args.user or any(c in args.user for c in ":, ") or args.user in ("local", "api-token"):
        print(f"a user name may not be empty, hold ':', ',' or a space, or be 'local' or 'api-token': "
              f"{args.user!r}", file=sys.stderr)
        return 2
    try:
        role = f"{args.role}:" if args.role else ""
        print(f"{args.user}:{role}{hash_password(args.password)}")
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


class JsonLines(logging.Formatter):
    """One JSON object per log line (DIGITIZER_LOG_FORMAT=json)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


SIGNING_COMMANDS = {"process", "watch", "worker", "backfill"}    # the commands that store PDFs


def _try_key(settings: Settings) -> str | None:
    from .signing.keys import open_key
    try:
        key = open_key(settings.sign)
    except SettingsError as exc:
        return str(exc)
    if key is not None:
        key.close()
    return None


def check_signing(settings: Settings) -> None:
    """Open the signing key once before any work (SettingsError naming the setting), in a
    process of its own: a PKCS#11 library loaded here would be inherited, half-initialised, by
    the worker processes forked later."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        problem = pool.submit(_try_key, settings).result()
    if problem:
        raise SettingsError(problem)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digitizer", description=__doc__)
    parser.add_argument("--config", type=Path, help="a TOML settings file (default: $DIGITIZER_CONFIG)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("process", help="run the pipeline now on files")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--json", action="store_true", help="one record per line on stdout")
    p.add_argument("--force", action="store_true", help="process again even if already stored")
    p.set_defaults(run=cmd_process)
    e = sub.add_parser("export", help="write ID.pdf and ID.json from the store into DIR")
    e.add_argument("id")
    e.add_argument("dir", type=Path)
    e.set_defaults(run=cmd_export)
    w = sub.add_parser("watch", help="the service: process what is dropped into the inbox")
    w.add_argument("dir", nargs="?", type=Path, help="the inbox (default: DATA_DIR/inbox)")
    w.add_argument("--settle", type=float, default=5.0, help="seconds a file must stay unchanged")
    w.add_argument("--polling", action="store_true", help="poll instead of native events (network shares)")
    w.add_argument("--workers", type=int, help="worker processes to start here (default: one per core; "
                   "0: the workers run elsewhere, e.g. on other machines)")
    w.set_defaults(run=cmd_watch)
    k = sub.add_parser("worker", help="run queued jobs (start one on each machine that shares the work)")
    k.add_argument("--workers", type=int, help="processes (default: one per core)")
    k.set_defaults(run=cmd_worker)
    b = sub.add_parser("backfill", help="process an archive folder, read-only and resumable, with a report")
    b.add_argument("dir", type=Path)
    b.add_argument("--workers", type=int, help="worker processes to start here (default: one per core; "
                   "0: only queue the files and follow the progress)")
    b.add_argument("--report", type=Path, help="folder for the CSV and JSON reports (default: DATA_DIR/reports)")
    b.add_argument("--retry", type=Path, metavar="REPORT", help="process again the files a report lists as failed")
    b.add_argument("--log-every", type=float, default=30.0, help="seconds between progress lines when not a terminal")
    b.set_defaults(run=cmd_backfill)
    st = sub.add_parser("status", help="jobs by state, throughput, the latest failures with reasons")
    st.add_argument("--failures", type=int, default=10)
    st.add_argument("--json", action="store_true")
    st.set_defaults(run=cmd_status)
    vf = sub.add_parser("verify", help="check a stored PDF's signature and that it is unchanged since signing")
    vf.add_argument("id")
    vf.set_defaults(run=cmd_verify)
    r = sub.add_parser("reindex", help="rebuild the search index from the records in the store")
    r.set_defaults(run=cmd_reindex)
    c = sub.add_parser("check", help="compare the store, the search index and the ledger; list what disagrees")
    c.add_argument("--repair", action="store_true",
                   help="unindex what has nothing behind it, index what is stored, queue again what is missing")
    c.add_argument("--json", action="store_true")
    c.set_defaults(run=cmd_check)
    q = sub.add_parser("search", help="search the documents (with or without diacritics)")
    q.add_argument("query", nargs="*", help='words, "a phrase", or a prefix*')
    q.add_argument("--type", help="document type, e.g. 'Quyết định'")
    q.add_argument("--from", help="issued on or after (YYYY-MM-DD)")
    q.add_argument("--to", help="issued on or before (YYYY-MM-DD)")
    q.add_argument("--id-number", help="personal id number")
    q.add_argument("--number", help="document number, e.g. 245/QĐ-UBND")
    q.add_argument("--dossier-code", help="Mã hồ sơ")
    q.add_argument("--dossier", help="dossier folder name")
    q.add_argument("--person", help="citizen's name, diacritics optional")
    q.add_argument("--processed-from", help="digitized on or after (YYYY-MM-DD)")
    q.add_argument("--processed-to", help="digitized on or before (YYYY-MM-DD)")
    q.add_argument("--sort", choices=["relevance", "date", "processed"], default="relevance")
    q.add_argument("--limit", type=int, default=20)
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=cmd_search)
    v = sub.add_parser("serve", help="the clerks' web page and JSON API (default http://127.0.0.1:8000)")
    v.add_argument("--host")
    v.add_argument("--port", type=int)
    v.set_defaults(run=cmd_serve)
    sh = sub.add_parser("sheet", help="print a sheet that splits a scanned stack: `sheet separator OUT.pdf` "
                                      "ends a document, `sheet dossier CODE OUT.pdf` starts a dossier")
    sh.add_argument("kind", choices=["separator", "dossier"])
    sh.add_argument("code", nargs="?", help="the dossier code (dossier sheets)")
    sh.add_argument("out", type=Path)
    sh.set_defaults(run=cmd_sheet)
    h = sub.add_parser("hash-password", help="a users entry (name:bcrypt-hash) for DIGITIZER_WEB_USERS")
    h.add_argument("user")
    h.add_argument("password")
    h.add_argument("--role", choices=["staff", "clerk", "admin"],
                   help="scanning staff (status, failures), clerk (search, view, correct; the default), admin")
    h.set_defaults(run=cmd_hash_password)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
    except SettingsError as exc:
        print(f"settings: {exc}", file=sys.stderr)
        return 2
    if args.command in SIGNING_COMMANDS and settings.sign.configured:
        try:
            check_signing(settings)
        except SettingsError as exc:
            print(f"settings: {exc}", file=sys.stderr)
            return 2
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines() if settings.log_format == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    try:
        return int(args.run(args, settings))
    except (StoreConfigError, StoreUnavailable) as exc:
        print(f"storage: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:      # a data folder that is a file, read-only, gone: one line, not a traceback
        log.debug("command failed", exc_info=True)
        print(f"digitizer: {_folder_problem(exc)} (check data_dir, DIGITIZER_DATA_DIR, and the folders given)",
              file=sys.stderr)
        return 2
    except (sqlite3.DatabaseError, SchemaTooNew) as exc:
        log.debug("command failed", exc_info=True)
        print(f"digitizer: {_database_problem(settings.data_dir, exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _folder_problem(exc: OSError) -> str:
    name = exc.filename
    if name and exc.errno in (errno.EEXIST, errno.ENOTDIR):
        blocker = next((p for p in [Path(name), *Path(name).parents] if p.is_file()), Path(name))
        return f"{blocker} is a file where a folder is needed"
    return f"{exc.strerror or exc}{f': {name}' if name else ''}"


SQLITE_FILES = ("ledger.sqlite", "queue.sqlite", "index.sqlite")


def _database_problem(data_dir: Path, exc: Exception) -> str:
    """One line naming the database file at fault and what to do."""
    if isinstance(exc, SchemaTooNew):
        return str(exc)
    if not os.access(data_dir, os.W_OK):
        return f"the data folder {data_dir} cannot be written by this user ({exc}); give it write permission"
    damaged = [name for name in SQLITE_FILES if _not_sqlite(data_dir / name) or name in str(exc)]
    if "index.sqlite" in damaged and len(damaged) == 1:
        return (f"the search index {data_dir / 'index.sqlite'} is damaged ({exc}); `digitizer reindex` builds it "
                "again from the store")
    if damaged:
        return (f"{', '.join(str(data_dir / n) for n in damaged)} damaged or not a database ({exc}): restore from "
                "a backup, or move it aside to start it empty (the stored documents are kept)")
    return f"a database in {data_dir} cannot be used ({exc}): {', '.join(SQLITE_FILES)}"


def _not_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError:
        return False
    return head != b"SQLite format 3\x00"


if __name__ == "__main__":
    sys.exit(main())
