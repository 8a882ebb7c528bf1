"""``conflictkb check``: a good store passes every rule; each kind of damage done on purpose is found.

The good store is the seeds' knowledge base (built by the real pipeline, conftest's ``seed_kb``),
copied with SQLite's backup API for each test, then damaged with plain SQL (foreign keys off, as a
buggy writer or a hand edit would) or by overwriting bytes of the file.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conflictkb.cli import app
from conflictkb.store.check import EVENT_JSON, CheckError, check_store

runner = CliRunner()


def copy_store(source: Path, target: Path) -> Path:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


@pytest.fixture
def kb(seed_kb: Path, tmp_path: Path) -> Path:
    return copy_store(seed_kb, tmp_path / "kb.sqlite")


def damage(db: Path, *statements: str) -> None:
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for sql in statements:
            conn.execute(sql)


def failed(db: Path) -> dict[str, list[str]]:
    return {f.rule: f.examples for f in check_store(db) if not f.ok}


def test_the_seed_store_passes_every_check(kb: Path) -> None:
    findings = check_store(kb)
    assert len(findings) >= 20
    assert [f.rule for f in findings if not f.ok] == []
    result = runner.invoke(app, ["check", "--db", str(kb)])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("ok    ") == len(findings)


DAMAGE = {
    "evidence deleted": (
        ["DELETE FROM event_evidence WHERE event_id = (SELECT min(id) FROM events)"],
        {"every event has evidence"},
    ),
    "evidence text edited": (
        ["UPDATE event_evidence SET text = text || 'x' WHERE event_id = (SELECT min(id) FROM events) AND ord = 0"],
        {"each span's text equals its document's slice", "evidence_fts is in step with event_evidence"},
    ),
    "evidence span past the end": (
        ["UPDATE event_evidence SET end = 1000000000 WHERE event_id = (SELECT min(id) FROM events) AND ord = 0"],
        {"spans lie within their document's text"},
    ),
    "mention shifted": (
        ["UPDATE mentions SET start = start + 1, end = end + 1 WHERE id = (SELECT min(id) FROM mentions)"],
        {"each span's text equals its document's slice"},
    ),
    "statement span reversed": (
        ["UPDATE statements SET start = end + 5 WHERE id = (SELECT min(id) FROM statements WHERE start IS NOT NULL)"],
        {"spans lie within their document's text"},
    ),
    "place is not JSON": (
        [
            "UPDATE statements SET value = '{\"name\": ' "
            "WHERE id = (SELECT min(id) FROM statements WHERE property = 'place')"
        ],
        {"JSON values are valid JSON"},
    ),
    "document deleted under its facts": (
        ["DELETE FROM documents WHERE id = (SELECT min(id) FROM documents)"],
        {
            "SQLite foreign_key_check",
            "every event has a document",
            "every statement has a document",
            "every source has its document",
        },
    ),
    "statement about no event": (
        [
            "INSERT INTO statements(subject, property, value, doc_id, extractor, confidence) "
            "VALUES ('event:nope-ev1', 'type', 'attack', (SELECT min(id) FROM documents), 'hand', 1.0)"
        ],
        {"every statement's subject exists"},
    ),
    "event of no incident": (
        ["UPDATE events SET incident_id = 999999 WHERE id = (SELECT min(id) FROM events)"],
        {"every event has an incident", "SQLite foreign_key_check"},
    ),
    "full-text row lost": (
        ["DELETE FROM documents_fts WHERE doc_id = (SELECT min(id) FROM documents)"],
        {"documents_fts is in step with documents"},
    ),
    "full-text index damaged": (
        ["DELETE FROM documents_fts_data WHERE id = (SELECT max(id) FROM documents_fts_data)"],
        {"FTS5 indexes are intact"},
    ),
    "old schema version": (
        ["UPDATE meta SET value = '1' WHERE key = 'schema_version'"],
        {"schema version is"},
    ),
}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_damage_is_found(kb: Path, name: str) -> None:
    statements, rules = DAMAGE[name]
    damage(kb, *statements)
    found = failed(kb)
    for rule in rules:
        assert any(r.startswith(rule) for r in found), (rule, found)
    assert all(examples for examples in found.values())  # each failure names rows


def test_event_index_out_of_step_is_found(kb: Path) -> None:
    with closing(sqlite3.connect(kb)) as conn:
        has_index = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'event_index'").fetchone()
    if not has_index:
        pytest.skip("event_index comes with schema version 4")
    damage(kb, "DELETE FROM event_index WHERE event_id = (SELECT min(id) FROM events)")
    assert "event_index is in step with events" in failed(kb)


def test_the_command_lists_failures_and_exits_1(kb: Path) -> None:
    damage(kb, "DELETE FROM event_evidence WHERE event_id = (SELECT min(id) FROM events)")
    with closing(sqlite3.connect(kb)) as conn:
        event = conn.execute("SELECT min(id) FROM events").fetchone()[0]
    result = runner.invoke(app, ["check", "--db", str(kb)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    at = lines.index("FAIL  every event has evidence: 1 row")
    assert lines[at + 1].strip() == event
    assert "ok    SQLite integrity_check" in lines


def test_a_damaged_file_fails_sqlite_integrity_check(kb: Path) -> None:
    """Bytes overwritten in the middle of the file: SQLite's check reports it, and the store's
    rules, which could mislead on a damaged file, are not run."""
    with closing(sqlite3.connect(kb)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    data = bytearray(kb.read_bytes())
    for page in range(pages // 2, pages // 2 + 4):
        data[page * page_size + 8 : page * page_size + 200] = bytes(range(192))
    kb.write_bytes(bytes(data))
    try:
        findings = check_store(kb)
    except CheckError as exc:  # the damage hit the schema itself
        assert "not an SQLite file" in str(exc)
        return
    assert not findings[0].ok and findings[0].rule == "SQLite integrity_check"
    assert len(findings) == 1  # the rules are not run on a damaged file
    assert runner.invoke(app, ["check", "--db", str(kb)]).exit_code == 1


def test_files_that_are_no_store_fail_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes.sqlite").write_text("not a database", encoding="utf-8")
    with closing(sqlite3.connect(tmp_path / "other.sqlite")) as conn:
        conn.execute("CREATE TABLE t (x)")
    for path, words in (
        (tmp_path / "missing.sqlite", "no knowledge base at"),
        (tmp_path / "notes.sqlite", "is not an SQLite file"),
        (tmp_path / "other.sqlite", "is not a conflictkb knowledge base"),
    ):
        result = runner.invoke(app, ["check", "--db", str(path)])
        assert result.exit_code == 2
        assert words in result.output


def test_event_json_properties_are_the_ones_written_as_json(seed_kb: Path) -> None:
    """The JSON rule's list matches what the writer stores: every event property whose values are
    JSON objects is listed, and every listed one found in the seeds parses."""
    with closing(sqlite3.connect(seed_kb)) as conn:
        rows = conn.execute("SELECT property, value FROM statements WHERE subject LIKE 'event:%'").fetchall()
    objects = {prop for prop, value in rows if value.startswith("{")}
    assert objects and objects <= set(EVENT_JSON)
    for prop, value in rows:
        if prop in EVENT_JSON:
            json.loads(value)
