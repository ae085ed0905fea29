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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

from ..text import fold, nfc
from ..model import Record
from .database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    n INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, name TEXT, dossier TEXT, doc_type TEXT, doc_number TEXT,
    issue_date TEXT,
    received_at TEXT, person_name TEXT, person_folded TEXT, id_number TEXT, dossier_code TEXT,
    review TEXT);                                 -- why a person should check it (NULL: nothing to check)
-- The bulky columns live apart, so that scanning and joining documents stays cheap.
CREATE TABLE IF NOT EXISTS bodies (n INTEGER PRIMARY KEY, text TEXT, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_type ON documents(doc_type);
CREATE INDEX IF NOT EXISTS documents_issue ON documents(issue_date);
CREATE INDEX IF NOT EXISTS documents_idnum ON documents(id_number);
CREATE INDEX IF NOT EXISTS documents_review ON documents(received_at) WHERE review IS NOT NULL;
-- Folded personal names (citizen, signer) in trigrams: finds names OCR got slightly wrong.
CREATE VIRTUAL TABLE IF NOT EXISTS names USING fts5(folded, tokenize = "trigram");
CREATE VIRTUAL TABLE IF NOT EXISTS texts USING fts5(
    exact, folded, tokenize = "unicode61 remove_diacritics 0");   -- rowid = documents.n
"""


# The search parameters by the names people type them (a web query's keys; the command
# line's options, with '-' for '_') and the Filters field each sets.
FILTER_PARAMS = {"type": "doc_type", "from": "issued_from", "to": "issued_to", "id_number": "id_number",
                 "number": "doc_number", "dossier_code": "dossier_code", "dossier": "dossier",
                 "person": "person_name", "processed_from": "processed_from", "processed_to": "processed_to"}


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
    processed_from: str | None = None   # ISO dates of receipt, inclusive
    processed_to: str | None = None
    needs_review: bool = False          # only documents a person should check (see review_reason)

    @classmethod
    def from_params(cls, get: Callable[[str], str | None]) -> "Filters":
        """The filters from named parameters (FILTER_PARAMS); an empty one is no filter."""
        values: dict[str, Any] = {name: get(param) or None for param, name in FILTER_PARAMS.items()}
        return cls(**values)


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
    fuzzy: bool = False                  # found by a near match of a name (an OCR error)


@dataclass
class Results:
    total: int
    hits: list[Hit] = field(default_factory=list)
    by_type: dict[str, int] = field(default_factory=dict)


def filter_conditions(filters: Filters, with_type: bool = True) -> tuple[list[str], list[str]]:
    """SQL conditions on the `documents d` columns (both backends) and their parameters.
    Without the type filter: for the counts per type, which keep the other types offered."""
    where, params = ["1=1"], []
    # A whole id number (12 digits, 9 for a CMND) is matched exactly; part of one (4 digits or
    # more, as a clerk reads it off a damaged card) anywhere in it.
    id_number = (filters.id_number or "").strip()
    partial = id_number.isdigit() and 4 <= len(id_number) and len(id_number) not in (9, 12)
    conditions = [("d.id_number LIKE ?" if partial else "d.id_number = ?", f"%{id_number}%" if partial else id_number),
                  ("d.doc_number = ?", filters.doc_number),
                  ("d.dossier_code = ?", filters.dossier_code), ("d.dossier = ?", filters.dossier),
                  ("d.issue_date >= ?", filters.issued_from), ("d.issue_date <= ?", filters.issued_to),
                  ("d.received_at >= ?", filters.processed_from),
                  ("substr(d.received_at, 1, 10) <= ?", filters.processed_to),
                  ("d.person_folded LIKE ?", f"%{fold(filters.person_name)}%" if filters.person_name else None)]
    if with_type:
        conditions.append(("d.doc_type = ?", filters.doc_type))
    for condition, value in conditions:
        if value:
            where.append(condition)
            params.append(value)
    if filters.needs_review:
        where.append("d.review IS NOT NULL")
    return where, params


LOW_CONFIDENCE = 0.6      # a value read with less than this is checked by a person
ORDERS = {"date": "d.issue_date DESC NULLS LAST", "processed": "d.received_at DESC", "oldest": "d.received_at ASC"}


def review_reason(record: Record) -> str | None:
    """Why a person should check this document before its values are reused, or None: its
    type or every identifying value is missing, a value is handwritten and not typed in yet,
    a value was read with low confidence, or values were changed by hand and nobody checked
    the document since (a later edit by another clears the check).
    A document a person has checked needs nothing more."""
    if record.verified or record.status != "done":
        return None
    reasons = []
    if record.doc_type is None:
        reasons.append("thiếu loại văn bản")
    if not any(name in record.fields for name in ("doc_number", "issue_date", "person_name")):
        reasons.append("thiếu số, ngày và họ tên")
    hand = [name for name, f in record.fields.items() if f.hand and not f.value]
    if hand:
        reasons.append("viết tay, cần nhập: " + ", ".join(sorted(hand)))
    low = [name for name, f in record.fields.items() if f.confidence < LOW_CONFIDENCE and name not in hand]
    if low:
        reasons.append("độ tin cậy thấp: " + ", ".join(sorted(low)))
    if record.original:                   # changed by hand and not checked (again) since
        reasons.append("đã sửa, chưa kiểm tra: " + ", ".join(sorted(record.original)))
    return "; ".join(reasons) or None


def indexed_text(record: Record) -> str:
    """What a document is found by: its name, type, field values and text (NFC, lower case)."""
    values = " ".join(f.value for f in record.fields.values())
    doc_type = record.doc_type.value if record.doc_type else ""
    return nfc(f"{record.source.name} {doc_type} {values} {record.text}").lower()


def person_names(record: Record) -> str:
    """The citizen's and the signer's names, folded, for near matches of misread names."""
    return fold(" | ".join(v for v in (_value(record, "person_name"), _value(record, "signer")) if v)).lower()


def _value(record: Record, name: str) -> str | None:
    f = record.fields.get(name)
    return f.value if f else None


def query_terms(query: str) -> list[str]:
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


class SearchIndex(Protocol):
    """SQLite FTS5 here (one machine); PostgreSQL in pg_index.py (shared by many)."""

    def add(self, record: Record) -> None: ...
    def add_many(self, records: Iterable[Record]) -> int: ...
    def rebuild(self, records: Iterable[Record]) -> int: ...
    def remove(self, doc_ids: Iterable[str]) -> int: ...
    def ids(self) -> set[str]: ...
    def record(self, doc_id: str) -> Record | None: ...
    def daily(self) -> list[tuple[str, str, int, int]]: ...
    def dossier_days(self) -> list[tuple[str, str]]: ...
    def search(self, query: str = "", filters: Filters | None = None, limit: int = 20, offset: int = 0,
               sort: str = "relevance") -> Results: ...
    def close(self) -> None: ...


SCHEMA_VERSION = 5


class IndexBase:
    """Writing and searching records, the same for both backends. Each backend says, on its
    `db`, how to `_add` one record, `_remove` one and `_clear` everything, and the parts of a
    search its full-text engine spells its own way: the match expression, the rows it
    filters, the rank, and the texts of the hits."""

    db: Database

    def _add(self, record: Record) -> None: ...

    def _clear(self) -> None: ...

    def _remove(self, doc_id: str) -> None: ...

    def _text_query(self, terms: list[str], exact: bool) -> str:
        """The engine's query for the words: on the folded copy, or (exact) as typed; '' for none."""
        raise NotImplementedError

    def _source(self, conditions: list[str], params: list, match: str) -> tuple[str, list]:
        """FROM ... WHERE: documents `d` meeting the conditions and, if any, the text match."""
        raise NotImplementedError

    def _exact(self, exact: str) -> tuple[str, list]:
        """A boolean SQL expression: the row matches the words as typed."""
        raise NotImplementedError

    def _rank(self, match: str) -> tuple[str, list]:
        """ORDER BY terms for relevance."""
        raise NotImplementedError

    def _texts(self, keys: list) -> dict:
        """key (a row's last column) -> the document's text, for the snippets."""
        raise NotImplementedError

    def _near_names(self, terms: list[str], where: list[str], params: list, limit: int) -> Results:
        raise NotImplementedError

    KEY = "d.id"                         # the column `_texts` looks bodies up by

    def search(self, query: str = "", filters: Filters | None = None, limit: int = 20, offset: int = 0,
               sort: str = "relevance") -> Results:
        filters = filters or Filters()
        terms = query_terms(query)
        match = self._text_query(terms, exact=False)
        exact = self._text_query(terms, exact=True) if any(fold(t) != t for t in terms) else ""
        where, params = filter_conditions(filters)
        base, base_params = self._source(where, params, match)
        # The counts per type leave the type filter out, so that the other types stay offered;
        # one grouped pass gives both them and the total.
        facet_base, facet_params = self._source(*filter_conditions(filters, with_type=False), match)
        by_type = dict(self.db.execute(f"SELECT coalesce(d.doc_type, ''), count(*) {facet_base} GROUP BY d.doc_type",
                                       facet_params).fetchall())
        total = by_type.get(filters.doc_type, 0) if filters.doc_type else sum(by_type.values())
        if total == 0 and match and offset == 0:
            return self._near_names(terms, where, params, limit)
        exact_sql, exact_params = self._exact(exact) if exact else ("(1=0)", [])
        rank, rank_params = self._rank(match) if match else ("d.issue_date DESC NULLS LAST", [])
        order, order_params = (f"is_exact DESC, {rank}", rank_params) if sort == "relevance" else (ORDERS[sort], [])
        rows = self.db.execute(
            f"SELECT d.id, d.name, d.doc_type, d.doc_number, d.issue_date, d.person_name, {self.KEY}, "
            f"{exact_sql} AS is_exact {base} ORDER BY {order} LIMIT ? OFFSET ?",
            [*exact_params, *base_params, *order_params, limit, offset]).fetchall()
        texts = self._texts([r[6] for r in rows]) if rows else {}
        hits = [Hit(r[0], r[1], r[2], r[3], r[4], r[5], snippet(texts.get(r[6]) or "", terms), bool(r[7]))
                for r in rows]
        return Results(total, hits, by_type)

    def close(self) -> None:
        self.db.close()

    def dossier_days(self) -> list[tuple[str, str]]:
        """(day received, dossier) once each: the report counts a dossier once per period."""
        return self.db.execute("SELECT DISTINCT substr(received_at, 1, 10), dossier FROM documents "
                               "WHERE dossier IS NOT NULL").fetchall()

    def ids(self) -> set[str]:
        """Every indexed document's id."""
        return {row[0] for row in self.db.execute("SELECT id FROM documents").fetchall()}

    def remove(self, doc_ids: Iterable[str]) -> int:
        """Take documents out of the index (their objects are gone); how many were in it."""
        with self.db.transaction():
            count = 0
            for doc_id in doc_ids:
                count += self.db.execute("SELECT count(*) FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
                self._remove(doc_id)
            return count

    def add(self, record: Record) -> None:
        """Index a done record (again: the old entry is replaced); failed ones are skipped, and
        so is a stack's own record (its documents are indexed each on its own)."""
        if record.is_stack:
            return
        with self.db.transaction():
            self._add(record)

    def add_many(self, records: Iterable[Record]) -> int:
        """Index many records in one transaction (a backfill)."""
        with self.db.transaction():
            return self._add_all(records)

    def rebuild(self, records: Iterable[Record]) -> int:
        """Replace the whole index in one transaction: searches see the old one until the end."""
        with self.db.transaction():
            self._clear()
            return self._add_all(records)

    def _add_all(self, records: Iterable[Record]) -> int:
        count = 0
        for record in records:
            if not record.is_stack:
                self._add(record)
                count += record.status == "done"
        return count


class SqliteIndex(IndexBase):
    def __init__(self, path: Path) -> None:
        self.db = Database(path)
        if self._layout() != SCHEMA_VERSION:
            with self.db.transaction():         # workers start together: one of them lays out the tables
                if self._layout() != SCHEMA_VERSION:
                    # Derived data: an index of another layout is dropped; `digitizer reindex` refills it.
                    self.db.script("DROP TABLE IF EXISTS documents; DROP TABLE IF EXISTS texts; "
                                   "DROP TABLE IF EXISTS bodies; DROP TABLE IF EXISTS names; "
                                   f"{SCHEMA}; PRAGMA user_version = {SCHEMA_VERSION}")

    def _layout(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _add(self, record: Record) -> None:
        if record.status != "done":
            return
        doc_type = record.doc_type.value if record.doc_type else None
        text = indexed_text(record)
        person = _value(record, "person_name")
        self._remove(record.id)
        cursor = self.db.execute(
            "INSERT INTO documents VALUES (NULL,?,?,?,?,?,?,?,?,?,?,?,?)",
            (record.id, record.source.name, record.source.dossier, doc_type, _value(record, "doc_number"),
             _value(record, "issue_date"), record.source.received_at, person, fold(person or ""),
             _value(record, "id_number"), _value(record, "dossier_code"), review_reason(record)))
        n = cursor.lastrowid
        self.db.execute("INSERT INTO bodies VALUES (?,?,?)",
                        (n, nfc(record.text), json.dumps(record.to_dict(), ensure_ascii=False)))
        self.db.execute("INSERT INTO texts (rowid, exact, folded) VALUES (?,?,?)", (n, text, fold(text)))
        if names := person_names(record):
            self.db.execute("INSERT INTO names (rowid, folded) VALUES (?,?)", (n, names))

    def _remove(self, doc_id: str) -> None:
        old = self.db.execute("SELECT n FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if old is not None:
            for table, key in (("texts", "rowid"), ("names", "rowid"), ("bodies", "n"), ("documents", "n")):
                self.db.execute(f"DELETE FROM {table} WHERE {key} = ?", old)

    def _clear(self) -> None:
        for table in ("documents", "texts", "bodies", "names"):
            self.db.execute(f"DELETE FROM {table}")

    def daily(self) -> list[tuple[str, str, int, int]]:
        """(day received, type, documents, pages) for the report."""
        return self.db.execute(
            "SELECT substr(d.received_at, 1, 10), coalesce(d.doc_type, ''), count(*), "
            "sum(json_array_length(b.record, '$.pages')) "
            "FROM documents d JOIN bodies b ON b.n = d.n GROUP BY 1, 2 ORDER BY 1").fetchall()

    def record(self, doc_id: str) -> Record | None:
        row = self.db.execute("SELECT b.record FROM documents d JOIN bodies b ON b.n = d.n WHERE d.id = ?",
                              (doc_id,)).fetchone()
        return Record.from_dict(json.loads(row[0])) if row else None

    KEY = "d.n"

    def _text_query(self, terms: list[str], exact: bool) -> str:
        return _fts(terms, "exact", str) if exact else _fts(terms, "folded", fold)

    def _source(self, conditions: list[str], params: list, match: str) -> tuple[str, list]:
        if match:
            # "+d.col" keeps SQLite from driving the query by a column index and then
            # evaluating MATCH row by row (200 ms at 20k documents); the full-text match
            # goes first and the filters check its rows.
            plain = [f"+{c}" if c.startswith("d.") else c for c in conditions]
            return ("FROM texts t JOIN documents d ON d.n = t.rowid "
                    f"WHERE texts MATCH ? AND {' AND '.join(plain)}", [match, *params])
        return f"FROM documents d WHERE {' AND '.join(conditions)}", list(params)

    def _exact(self, exact: str) -> tuple[str, list]:
        return "(d.n IN (SELECT rowid FROM texts WHERE texts MATCH ?))", [exact]

    def _rank(self, match: str) -> tuple[str, list]:
        return "bm25(texts)", []

    def _texts(self, keys: list) -> dict:
        return dict(self.db.execute(f"SELECT n, text FROM bodies WHERE n IN ({','.join('?' * len(keys))})",
                                    keys).fetchall())

    def _near_names(self, terms: list[str], where: list[str], params: list, limit: int) -> Results:
        """No exact hit: names within one edit per word (two for long words) of the query,
        e.g. "nguyen van anh" for a page OCR read as "Nguyễn Văn Anb"."""
        words = query_words(terms)
        grams = {w[i:i + 3] for w in words for i in range(len(w) - 2)}
        if len(words) < 2 or not grams:
            return Results(0)
        query = " OR ".join(f'"{g}"' for g in sorted(grams))
        candidates = self.db.execute("SELECT rowid, folded FROM names WHERE names MATCH ? ORDER BY rank LIMIT 300",
                                     (query,)).fetchall()
        near = near_candidates(words, candidates)
        if not near:
            return Results(0)
        conditions = " AND ".join(where)
        rows = self.db.execute(
            f"SELECT d.id, d.name, d.doc_type, d.doc_number, d.issue_date, d.person_name, b.text "
            f"FROM documents d JOIN bodies b ON b.n = d.n WHERE d.n IN ({','.join('?' * len(near))}) "
            f"AND {conditions} LIMIT ?", [*near, *params, limit]).fetchall()
        return near_results(rows, terms)


def query_words(terms: list[str]) -> list[str]:
    return [w for t in terms for w in re.findall(r"\w+", fold(t.strip('"*')))]


def near_candidates(words: list[str], candidates: list[tuple]) -> list:
    """Keys of the (key, folded names) candidates with a name near the query words."""
    return [n for n, names in candidates if any(_near(words, name.split()) for name in names.split(" | "))]


def near_results(rows: list[tuple], terms: list[str]) -> Results:
    """Results of near-name hits from rows (id, name, type, number, date, person, text)."""
    hits = [Hit(r[0], r[1], r[2], r[3], r[4], r[5], snippet(r[6] or "", terms), exact=False, fuzzy=True)
            for r in rows]
    by_type: dict[str, int] = {}
    for h in hits:
        by_type[h.doc_type or ""] = by_type.get(h.doc_type or "", 0) + 1
    return Results(len(hits), hits, by_type)


def _edits(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _near(words: list[str], name: list[str]) -> bool:
    """Every query word has its own word of the name within 1 edit (2 from 7 letters on)."""
    if len(words) > len(name):
        return False
    return all(any(_edits(w, n) <= (2 if len(w) >= 7 else 1) for n in name) for w in words)


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
    # No word to show around: the trích yếu (V/v, Về việc) rather than the header's national motto.
    about = re.search(r"(?m)^\s*(v\s*/\s*v|ve viec)\b", folded) or re.search(r"hanh phuc\s*\n", folded[:600])
    start = about.start() if about and about.group(0).strip().startswith("v") else (about.end() if about else 0)
    return text[start:start + width].replace("\n", " ").strip() + ("…" if len(text) > start + width else "")
