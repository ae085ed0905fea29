"""SearchIndex on PostgreSQL: one index shared by the workers of many machines.

The same ideas as the SQLite index: an exact (NFC, lower case) and a folded copy of each
document's words, matched as full text (tsvector, GIN) on the folded copy and ranked first
when the query's diacritics match exactly; pg_trgm finds misread names. Folding is done in
Python by the one `fold()` both backends share (unaccent's rules differ on two-mark
letters and đ), and words are split in Python too, so query and document always agree.
"""

from __future__ import annotations

import json
import re

from ..text import fold, nfc
from ..model import Record
from .database import Database
from .index import (IndexBase, Results, indexed_text, near_candidates, near_results, person_names, query_words,
                    review_reason, _value)

SCHEMA = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, name TEXT, dossier TEXT, doc_type TEXT, doc_number TEXT, issue_date TEXT,
    received_at TEXT, person_name TEXT, person_folded TEXT, id_number TEXT, dossier_code TEXT,
    names TEXT NOT NULL DEFAULT '', body TEXT, record JSONB NOT NULL,
    exact TSVECTOR NOT NULL, folded TSVECTOR NOT NULL);
CREATE INDEX IF NOT EXISTS documents_folded ON documents USING gin (folded);
CREATE INDEX IF NOT EXISTS documents_exact ON documents USING gin (exact);
CREATE INDEX IF NOT EXISTS documents_names ON documents USING gin (names gin_trgm_ops);
CREATE INDEX IF NOT EXISTS documents_type ON documents (doc_type);
CREATE INDEX IF NOT EXISTS documents_issue ON documents (issue_date);
CREATE INDEX IF NOT EXISTS documents_idnum ON documents (id_number)
"""
# One entry per schema version; a new version appends a step, never edits an old one.
MIGRATIONS = [SCHEMA,
              "ALTER TABLE documents ADD COLUMN IF NOT EXISTS review TEXT;"    # filled by `digitizer reindex`
              "CREATE INDEX IF NOT EXISTS documents_review ON documents (received_at) WHERE review IS NOT NULL"]

_UPSERT = """
INSERT INTO documents (id, name, dossier, doc_type, doc_number, issue_date, received_at, person_name,
                       person_folded, id_number, dossier_code, names, body, record, exact, folded, review)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, to_tsvector('simple', ?), to_tsvector('simple', ?), ?)
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, dossier = EXCLUDED.dossier, doc_type = EXCLUDED.doc_type,
    doc_number = EXCLUDED.doc_number, issue_date = EXCLUDED.issue_date, received_at = EXCLUDED.received_at,
    person_name = EXCLUDED.person_name, person_folded = EXCLUDED.person_folded, id_number = EXCLUDED.id_number,
    dossier_code = EXCLUDED.dossier_code, names = EXCLUDED.names, body = EXCLUDED.body,
    record = EXCLUDED.record, exact = EXCLUDED.exact, folded = EXCLUDED.folded, review = EXCLUDED.review
"""


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text))


def _tsquery(terms: list[str], transform) -> str:  # noqa: ANN001 (str -> str)
    """Words AND-ed; a quoted phrase as adjacent words; a trailing * as a prefix."""
    parts = []
    for term in terms:
        words = re.findall(r"\w+", transform(term.strip('"*')))
        if words:
            parts.append(" <-> ".join(f"'{w}'" for w in words) + (":*" if term.endswith("*") else ""))
    return " & ".join(f"({p})" for p in parts)


class PostgresIndex(IndexBase):
    def __init__(self, url: str) -> None:
        self.db = Database(url)
        self.db.migrate("pg_index", MIGRATIONS)

    def _add(self, record: Record) -> None:
        if record.status != "done":
            return
        text = _words(indexed_text(record))
        person = _value(record, "person_name")
        self.db.execute(_UPSERT, (
            record.id, record.source.name, record.source.dossier, record.doc_type.value if record.doc_type else None,
            _value(record, "doc_number"), _value(record, "issue_date"), record.source.received_at, person,
            fold(person or ""), _value(record, "id_number"), _value(record, "dossier_code"), person_names(record),
            nfc(record.text), json.dumps(record.to_dict(), ensure_ascii=False), text, fold(text),
            review_reason(record)))

    def _remove(self, doc_id: str) -> None:
        self.db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def _clear(self) -> None:
        self.db.execute("DELETE FROM documents")

    def daily(self) -> list[tuple[str, str, int, int]]:
        """(day received, type, documents, pages) for the report."""
        return self.db.execute(
            "SELECT substr(received_at, 1, 10), coalesce(doc_type, ''), count(*), "
            "sum(jsonb_array_length(record -> 'pages'))::int "
            "FROM documents GROUP BY 1, 2 ORDER BY 1").fetchall()

    def record(self, doc_id: str) -> Record | None:
        row = self.db.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return Record.from_dict(row[0]) if row else None

    def _text_query(self, terms: list[str], exact: bool) -> str:
        return _tsquery(terms, str if exact else fold)

    def _source(self, conditions: list[str], params: list, match: str) -> tuple[str, list]:
        if match:
            conditions, params = [*conditions, "d.folded @@ to_tsquery('simple', ?)"], [*params, match]
        return f"FROM documents d WHERE {' AND '.join(conditions)}", list(params)

    def _exact(self, exact: str) -> tuple[str, list]:
        return "(d.exact @@ to_tsquery('simple', ?))", [exact]

    def _rank(self, match: str) -> tuple[str, list]:
        return "ts_rank(d.folded, to_tsquery('simple', ?)) DESC", [match]

    def _texts(self, keys: list) -> dict:
        return dict(self.db.execute("SELECT id, body FROM documents WHERE id = ANY(?)", (keys,)).fetchall())

    def _near_names(self, terms: list[str], where: list[str], params: list, limit: int) -> Results:
        words = query_words(terms)
        if len(words) < 2:
            return Results(0)
        # `<%`: the query's trigrams are found among those of a document's names.
        candidates = self.db.execute(
            "SELECT id, names FROM documents WHERE ? <%% names ORDER BY word_similarity(?, names) DESC LIMIT 300",
            (" ".join(words), " ".join(words))).fetchall()
        near = near_candidates(words, candidates)
        if not near:
            return Results(0)
        rows = self.db.execute(
            f"SELECT d.id, d.name, d.doc_type, d.doc_number, d.issue_date, d.person_name, d.body FROM documents d "
            f"WHERE d.id = ANY(?) AND {' AND '.join(where)} LIMIT ?", [near, *params, limit]).fetchall()
        return near_results(rows, terms)
