"""SearchIndex over the records: SQLite FTS5, the embedded default.

SQLite's unicode61 tokenizer never folds đ to d, and with remove_diacritics it misses
letters with two marks (ễ, ệ), so each document is indexed twice: its exact NFC text
(lower case) and a folded copy (marks removed, đ -> d). A query is matched on the folded
copy, so "nguyen van an" finds "Nguyễn Văn An"; a query typed with diacritics ranks
documents that match it exactly first. The index can always be rebuilt from the store.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..extract.normalize import fold, nfc
from ..model import Record

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, name TEXT, dossier TEXT, doc_type TEXT, doc_number TEXT, issue_date TEXT,
    received_at TEXT, person_name TEXT, person_folded TEXT, id_number TEXT, dossier_code TEXT,
    record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_type ON documents(doc_type);
CREATE INDEX IF NOT EXISTS documents_issue ON documents(issue_date);
CREATE INDEX IF NOT EXISTS documents_idnum ON documents(id_number);
CREATE VIRTUAL TABLE IF NOT EXISTS texts USING fts5(
    id UNINDEXED, exact, folded, tokenize = "unicode61 remove_diacritics 0");
"""


@dataclass
class Filters:
    doc_type: str | None = None
    issued_from: str | None = None      # ISO dates, inclusive
    issued_to: str | None = None
    id_number: str | None = None
    doc_number: str | None = None
    dossier_code: str | None = None
    dossier: str | None = None
    person_name: str | None = None      # matched without diacritics


@dataclass
class Hit:
    id: str
    name: str
    doc_type: str | None
    doc_number: str | None
    issue_date: str | None
    person_name: str | None
    snippet: str
    exact: bool                          # the query matched with its diacritics as typed


@dataclass
class Results:
    total: int
    hits: list[Hit] = field(default_factory=list)
    by_type: dict[str, int] = field(default_factory=dict)


def _value(record: Record, name: str) -> str | None:
    f = record.fields.get(name)
    return f.value if f else None


def _terms(query: str) -> list[str]:
    """Words and quoted phrases; a trailing * keeps a prefix search."""
    return [t for t in re.findall(r'"[^"]+"|[^\s"]+', nfc(query).lower()) if t.strip('"*')]


def _fts(terms: list[str], column: str, transform) -> str:  # noqa: ANN001 (str -> str)
    parts = []
    for term in terms:
        prefix = term.endswith("*")
        words = re.findall(r"\w+", transform(term.strip('"*')))
        if words:
            parts.append(f'{column}: "{" ".join(words)}"' + ("*" if prefix else ""))
    return " AND ".join(parts)


class SqliteIndex:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def add(self, record: Record) -> None:
        """Index a done record (again: the old entry is replaced)."""
        if record.status != "done":
            return
        values = " ".join(f.value for f in record.fields.values())
        doc_type = record.doc_type.value if record.doc_type else None
        text = nfc(f"{record.source.name} {doc_type or ''} {values} {record.text}").lower()
        person = _value(record, "person_name")
        with self.db:
            self.db.execute("DELETE FROM texts WHERE id = ?", (record.id,))
            self.db.execute(
                "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (record.id, record.source.name, record.source.dossier, doc_type, _value(record, "doc_number"),
                 _value(record, "issue_date"), record.source.received_at, person, fold(person or ""),
                 _value(record, "id_number"), _value(record, "dossier_code"),
                 json.dumps(record.to_dict(), ensure_ascii=False)))
            self.db.execute("INSERT INTO texts VALUES (?,?,?)", (record.id, text, fold(text)))

    def rebuild(self, records: Iterable[Record]) -> int:
        with self.db:
            self.db.execute("DELETE FROM documents")
            self.db.execute("DELETE FROM texts")
        count = 0
        for record in records:
            self.add(record)
            count += record.status == "done"
        return count

    def record(self, doc_id: str) -> Record | None:
        row = self.db.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return Record.from_dict(json.loads(row[0])) if row else None

    def search(self, query: str = "", filters: Filters | None = None, limit: int = 20, offset: int = 0,
               sort: str = "relevance") -> Results:
        filters = filters or Filters()
        where, params = ["1=1"], []
        for column, value in (("doc_type", filters.doc_type), ("id_number", filters.id_number),
                              ("doc_number", filters.doc_number), ("dossier_code", filters.dossier_code),
                              ("dossier", filters.dossier)):
            if value:
                where.append(f"d.{column} = ?")
                params.append(value)
        if filters.issued_from:
            where.append("d.issue_date >= ?")
            params.append(filters.issued_from)
        if filters.issued_to:
            where.append("d.issue_date <= ?")
            params.append(filters.issued_to)
        if filters.person_name:
            where.append("d.person_folded LIKE ?")
            params.append(f"%{fold(filters.person_name)}%")
        terms = _terms(query)
        match = _fts(terms, "folded", fold)
        exact = _fts(terms, "exact", str) if any(fold(t) != t for t in terms) else ""
        if match:
            base = ("FROM texts t JOIN documents d ON d.id = t.id "
                    f"WHERE texts MATCH ? AND {' AND '.join(where)}")
            base_params = [match, *params]
            rank = "bm25(texts)"
        else:
            base = f"FROM documents d WHERE {' AND '.join(where)}"
            base_params = params
            rank = "d.issue_date DESC"        # no words to rank by: newest first
        exact_sql = "(d.id IN (SELECT id FROM texts WHERE texts MATCH ?))" if exact else "0"
        exact_params = [exact] if exact else []
        order = {"relevance": f"is_exact DESC, {rank}", "date": "d.issue_date DESC",
                 "processed": "d.received_at DESC"}[sort]
        total = self.db.execute(f"SELECT count(*) {base}", base_params).fetchone()[0]
        by_type = dict(self.db.execute(
            f"SELECT coalesce(d.doc_type, ''), count(*) {base} GROUP BY d.doc_type", base_params).fetchall())
        rows = self.db.execute(
            f"SELECT d.id, d.name, d.doc_type, d.doc_number, d.issue_date, d.person_name, "
            f"{'t.exact' if match else 'NULL'}, {exact_sql} AS is_exact {base} ORDER BY {order} LIMIT ? OFFSET ?",
            [*exact_params, *base_params, limit, offset]).fetchall()
        hits = [Hit(r[0], r[1], r[2], r[3], r[4], r[5], snippet(r[6] or "", terms), bool(r[7])) for r in rows]
        return Results(total, hits, by_type)


def snippet(text: str, terms: list[str], width: int = 80) -> str:
    """A piece of the (NFC) text around the first matching term. fold() keeps offsets, so a
    match in the folded text marks the same characters in the original."""
    folded = fold(text)
    for term in terms:
        words = re.findall(r"\w+", fold(term.strip('"*')))
        if not words:
            continue
        at = folded.find(words[0])
        if at >= 0:
            start = max(0, at - width // 2)
            return ("…" if start else "") + text[start:start + width].replace("\n", " ") + "…"
    return text[:width].replace("\n", " ")
