"""Checking a store: SQLite's own checks, then the invariants conflictkb relies on.

A knowledge base is only as good as its citations: an event must have evidence, evidence must
point into a document that exists, and the text at those offsets must be the text stored beside
them. SQLite's ``integrity_check`` and ``foreign_key_check`` find a damaged file or a broken
reference; the rest are the store's own rules, which no constraint expresses. Spans and slices are
compared in Python, one document at a time: SQLite's ``length`` stops at a NUL character, Python's
offsets do not. The file is opened read-only; only FTS5's own integrity check, which SQLite treats
as a write, needs a second, writable connection, and is skipped on a file that cannot be written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from conflictkb.store.schema import SCHEMA_VERSION
from conflictkb.store.writer import RELATION_EXTRACTOR

# Event statements whose value is JSON (conflictkb.statements.event_statements writes them so);
# the JSON rule below has one placeholder for each, then one for the relations' extractor.
EVENT_JSON = ("place", "perpetrator", "target", "victim", "weapon")
EXAMPLES = 5

# Each query lists the rows that break one rule: (rule, SQL returning a label per offending row).
_RULES: tuple[tuple[str, str], ...] = (
    ("every event has evidence", "SELECT id FROM events WHERE id NOT IN (SELECT event_id FROM event_evidence)"),
    ("every event has an incident", "SELECT id FROM events WHERE incident_id NOT IN (SELECT id FROM incidents)"),
    ("every event has a document", "SELECT id FROM events WHERE doc_id NOT IN (SELECT id FROM documents)"),
    (
        "every evidence has its event and a document",
        "SELECT event_id || ' #' || ord FROM event_evidence WHERE event_id NOT IN (SELECT id FROM events) "
        "OR doc_id NOT IN (SELECT id FROM documents)",
    ),
    (
        "evidence cites its event's document",
        "SELECT v.event_id || ' #' || v.ord FROM event_evidence v JOIN events e ON e.id = v.event_id "
        "WHERE v.doc_id != e.doc_id",
    ),
    ("every statement has a document", "SELECT id FROM statements WHERE doc_id NOT IN (SELECT id FROM documents)"),
    (
        "every statement's subject exists",
        "SELECT id || ' ' || subject FROM statements WHERE "
        "(subject LIKE 'event:%' AND substr(subject, 7) NOT IN (SELECT id FROM events)) "
        "OR (subject LIKE 'entity:%' AND substr(subject, 8) NOT IN (SELECT CAST(id AS TEXT) FROM entities)) "
        "OR (subject LIKE 'document:%' AND substr(subject, 10) NOT IN (SELECT id FROM documents))",
    ),
    (
        "every mention, alias and relation has its document and entities",
        "SELECT 'mention ' || id FROM mentions WHERE doc_id NOT IN (SELECT id FROM documents) "
        "OR entity_id NOT IN (SELECT id FROM entities) "
        "UNION ALL SELECT 'alias ' || alias FROM aliases WHERE doc_id NOT IN (SELECT id FROM documents) "
        "OR entity_id NOT IN (SELECT id FROM entities) "
        "UNION ALL SELECT 'relation ' || id FROM relations WHERE doc_id NOT IN (SELECT id FROM documents) "
        "OR subject_id NOT IN (SELECT id FROM entities) OR object_id NOT IN (SELECT id FROM entities)",
    ),
    ("every source has its document", "SELECT path FROM sources WHERE doc_id NOT IN (SELECT id FROM documents)"),
    (
        "JSON values are valid JSON",
        "SELECT 'statement ' || id FROM statements WHERE NOT json_valid(value) AND ((subject LIKE 'event:%' "
        "AND property IN (?, ?, ?, ?, ?)) OR extractor = ?) "
        "UNION ALL SELECT 'user actor ' || name FROM user_actors WHERE NOT json_valid(aliases)",
    ),
    (
        "documents_fts is in step with documents",
        "SELECT d.id FROM documents d LEFT JOIN documents_fts f ON f.doc_id = d.id "
        "WHERE f.doc_id IS NULL OR f.text IS NOT d.text OR f.title IS NOT coalesce(d.title, '') "
        "UNION ALL SELECT doc_id FROM documents_fts WHERE doc_id NOT IN (SELECT id FROM documents) "
        "UNION ALL SELECT doc_id FROM documents_fts GROUP BY doc_id HAVING count(*) > 1",
    ),
    (
        "evidence_fts is in step with event_evidence",
        "SELECT event_id FROM (SELECT event_id, doc_id, text FROM event_evidence EXCEPT "
        "SELECT event_id, doc_id, text FROM evidence_fts) UNION ALL SELECT event_id FROM (SELECT event_id, doc_id, "
        "text FROM evidence_fts EXCEPT SELECT event_id, doc_id, text FROM event_evidence) "
        "UNION ALL SELECT 'count' WHERE (SELECT count(*) FROM evidence_fts) != (SELECT count(*) FROM event_evidence)",
    ),
    (
        "names_fts is in step with aliases",
        "SELECT alias FROM (SELECT DISTINCT entity_id, alias FROM aliases "
        "EXCEPT SELECT entity_id, alias FROM names_fts) "
        "UNION ALL SELECT alias FROM (SELECT entity_id, alias FROM names_fts "
        "EXCEPT SELECT entity_id, alias FROM aliases) "
        "UNION ALL SELECT 'count' WHERE (SELECT count(*) FROM names_fts) != "
        "(SELECT count(*) FROM (SELECT DISTINCT entity_id, alias FROM aliases))",
    ),
    (
        "event_index is in step with events",
        "SELECT id FROM events WHERE id NOT IN (SELECT event_id FROM event_index) "
        "UNION ALL SELECT event_id FROM event_index WHERE event_id NOT IN (SELECT id FROM events) "
        "UNION ALL SELECT i.event_id FROM event_index i JOIN events e ON e.id = i.event_id "
        "WHERE i.incident_id != e.incident_id OR i.doc_id != e.doc_id",
    ),
)
_PARAMS = {"JSON values are valid JSON": (*EVENT_JSON, RELATION_EXTRACTOR)}
_FTS = ("documents_fts", "evidence_fts", "names_fts")
# Spans read per document: (what, SQL with the document id as parameter; label, start, end, text or NULL).
_SPANS: tuple[tuple[str, str], ...] = (
    ("evidence", "SELECT event_id || ' #' || ord, start, end, text FROM event_evidence WHERE doc_id = ?"),
    ("mention", "SELECT id, start, end, text FROM mentions WHERE doc_id = ?"),
    ("relation", "SELECT id, start, end, text FROM relations WHERE doc_id = ?"),
    ("sentence", "SELECT idx, start, end, NULL FROM sentences WHERE doc_id = ?"),
    ("statement", "SELECT id, start, end, NULL FROM statements WHERE doc_id = ? AND start IS NOT NULL"),
)


@dataclass
class Finding:
    """One rule and the rows that break it (a few of them, and how many)."""

    rule: str
    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, label: object) -> None:
        self.count += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(str(label))

    @property
    def ok(self) -> bool:
        return self.count == 0


class CheckError(RuntimeError):
    """The file cannot be checked at all (missing, not SQLite, not a knowledge base)."""


def _connect(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise CheckError(f"no knowledge base at {path}")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise CheckError(f"{path} is not an SQLite file: {exc}") from exc
    if "meta" not in tables or "documents" not in tables:
        conn.close()
        raise CheckError(f"{path} is not a conflictkb knowledge base (no meta or documents table)")
    return conn


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _integrity(conn: sqlite3.Connection) -> Finding:
    integrity = Finding("SQLite integrity_check")
    try:
        for (message,) in conn.execute("PRAGMA integrity_check"):
            for line in str(message).splitlines():  # one row may hold many problems, a line each
                if line not in ("ok", "*** in database main ***"):
                    integrity.add(line)
    except sqlite3.DatabaseError as exc:  # damage bad enough that the check itself stops
        integrity.add(str(exc))
    return integrity


def _foreign_keys(conn: sqlite3.Connection) -> Finding:
    foreign = Finding("SQLite foreign_key_check")
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        foreign.add(f"{table} row {rowid} -> {parent}")
    return foreign


def _version(conn: sqlite3.Connection) -> Finding:
    finding = Finding(f"schema version is {SCHEMA_VERSION}")
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None or row[0] != str(SCHEMA_VERSION):
        finding.add(f"version {row[0] if row else 'none'}: open it once for writing (e.g. ingest) to migrate")
    return finding


def _rules(conn: sqlite3.Connection) -> Iterator[Finding]:
    tables = _tables(conn)
    for rule, sql in _RULES:
        if any(name not in tables for name in _rule_tables(sql)):
            continue  # a store older than the table: the version finding says so
        finding = Finding(rule)
        try:
            for (label,) in conn.execute(sql, _PARAMS.get(rule, ())):
                finding.add(label)
        except sqlite3.OperationalError as exc:  # a table dropped or damaged
            finding.add(f"cannot check: {exc}")
        yield finding


def _rule_tables(sql: str) -> list[str]:
    """The optional tables a rule reads (FTS from version 3, event_index from version 4)."""
    return [name for name in (*_FTS, "event_index") if name in sql]


def _spans(conn: sqlite3.Connection) -> Iterator[Finding]:
    """Offsets within their document, and each stored text equal to the document's slice."""
    within = Finding("spans lie within their document's text")
    slices = Finding("each span's text equals its document's slice")
    for doc_id, text in conn.execute("SELECT id, text FROM documents"):
        for what, sql in _SPANS:
            for label, start, end, quoted in conn.execute(sql, (doc_id,)):
                where = f"{what} {label} [{start}:{end}] of {doc_id[:12]}"
                if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
                    within.add(where)
                elif quoted is not None and text[start:end] != quoted:
                    slices.add(where)
    yield within
    yield slices


def _fts_integrity(path: Path, tables: set[str]) -> Iterator[Finding]:
    """FTS5's own check of its index against its content; a command SQLite counts as a write."""
    finding = Finding("FTS5 indexes are intact")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
    except sqlite3.OperationalError:
        return  # a read-only file: the other checks still ran
    with closing(conn):
        for table in _FTS:
            if table not in tables:
                continue
            try:
                conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")  # noqa: S608  # fixed names
            except sqlite3.DatabaseError as exc:
                finding.add(f"{table}: {exc}")
    yield finding


def check_store(path: Path) -> list[Finding]:
    """Every check on the knowledge base at ``path``, passed or not, in a fixed order. On a file
    SQLite finds damaged, only that is reported: queries over damaged pages fail or mislead."""
    with closing(_connect(path)) as conn:
        integrity = _integrity(conn)
        if not integrity.ok:
            return [integrity]
        findings = [integrity, _foreign_keys(conn), _version(conn), *_rules(conn), *_spans(conn)]
        tables = _tables(conn)
    return findings + list(_fts_integrity(path, tables))
