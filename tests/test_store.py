"""Tests for conflictkb.store: opening, migrating, WAL, transactions, and the evidence the seed KB holds."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from conflictkb.store import Store, StoreError
from conflictkb.store.schema import SCHEMA_VERSION

TABLES = {
    "meta",
    "documents",
    "sources",
    "files",
    "sentences",
    "entities",
    "aliases",
    "mentions",
    "incidents",
    "events",
    "event_evidence",
    "relations",
    "statements",
    "places",
    "user_actors",
    "dataset_links",
    "corrections",
    "event_index",
    "event_actors",
    "incident_conflicts",
    "entity_stats",
}
FTS = {"documents_fts", "evidence_fts", "names_fts"}


def _schema(path: Path) -> list[tuple[str, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_new_file_gets_the_current_schema_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "kb.sqlite"
    with Store(path) as store:
        assert SCHEMA_VERSION == 5
        assert store.version() == 5
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        tables = _tables(store.conn)
        assert tables >= TABLES
        assert all(t.split("_fts")[0] + "_fts" in FTS for t in tables - TABLES)  # FTS tables and their shadows
    # The version is on disk, not only in the connection.
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() == [("5",)]
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "kb.sqlite"
    with Store(path) as store, store.transaction() as conn:
        conn.execute("INSERT INTO incidents DEFAULT VALUES")
    schema_before = _schema(path)
    for _ in range(2):
        with Store(path) as store:
            assert store.version() == SCHEMA_VERSION
            assert store.conn.execute("SELECT count(*) FROM meta").fetchone()[0] == 1
            assert store.conn.execute("SELECT count(*) FROM incidents").fetchone()[0] == 1
    with Store(path, readonly=True) as store:
        assert store.version() == SCHEMA_VERSION
    assert _schema(path) == schema_before


@pytest.mark.parametrize("readonly", [False, True])
def test_random_bytes_file_is_a_store_error_and_is_left_alone(tmp_path: Path, readonly: bool) -> None:
    path = tmp_path / "notes.sqlite"
    data = os.urandom(8192)
    path.write_bytes(data)
    with pytest.raises(StoreError, match="is not a conflictkb knowledge base") as info:
        Store(path, readonly=readonly)
    assert str(path) in str(info.value)
    assert path.read_bytes() == data


def test_folder_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open"):
        Store(tmp_path)


def test_readonly_open_of_missing_file_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "missing.sqlite"
    with pytest.raises(StoreError, match=r"no knowledge base at .*conflictkb ingest"):
        Store(path, readonly=True)
    assert not path.exists()


def test_readonly_store_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "kb.sqlite"
    Store(path).close()
    with Store(path, readonly=True) as store, pytest.raises(sqlite3.OperationalError, match="readonly"):
        store.conn.execute("INSERT INTO incidents DEFAULT VALUES")


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kb.sqlite"
    with Store(path) as store, store.transaction() as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer conflictkb"):
        Store(path)


def test_transaction_rolls_back_on_exception(tmp_path: Path) -> None:
    path = tmp_path / "kb.sqlite"
    with Store(path) as store:
        with store.transaction() as conn:
            conn.execute("INSERT INTO entities(name, kind) VALUES ('kept', 'person')")
        with pytest.raises(ZeroDivisionError), store.transaction() as conn:
            conn.execute("INSERT INTO entities(name, kind) VALUES ('lost', 'person')")
            conn.execute("INSERT INTO incidents DEFAULT VALUES")
            assert conn.execute("SELECT count(*) FROM entities").fetchone()[0] == 2  # visible inside
            _ = 1 / 0
        assert not store.conn.in_transaction
        assert [r[0] for r in store.conn.execute("SELECT name FROM entities")] == ["kept"]
        assert store.conn.execute("SELECT count(*) FROM incidents").fetchone()[0] == 0
        # The connection is usable afterwards.
        with store.transaction() as conn:
            conn.execute("INSERT INTO incidents DEFAULT VALUES")
    with closing(sqlite3.connect(path)) as other:
        assert [r[0] for r in other.execute("SELECT name FROM entities")] == ["kept"]
        assert other.execute("SELECT count(*) FROM incidents").fetchone()[0] == 1


def test_transaction_rolls_back_a_constraint_error(tmp_path: Path) -> None:
    with Store(tmp_path / "kb.sqlite") as store:
        with pytest.raises(sqlite3.IntegrityError), store.transaction() as conn:
            conn.execute("INSERT INTO incidents DEFAULT VALUES")
            # An event pointing at a document that does not exist breaks a foreign key.
            conn.execute("INSERT INTO events(id, doc_id, incident_id, ord) VALUES ('x', 'nodoc', 1, 0)")
        assert store.conn.execute("SELECT count(*) FROM incidents").fetchone()[0] == 0


# --- The evidence invariants, on the knowledge base built from the seeds ---------------------------------


def test_every_event_evidence_is_the_slice_of_its_document(seed_kb: Path) -> None:
    with Store(seed_kb, readonly=True) as store:
        texts = {r["id"]: r["text"] for r in store.conn.execute("SELECT id, text FROM documents")}
        rows = store.conn.execute("SELECT event_id, doc_id, start, end, text FROM event_evidence").fetchall()
        assert rows
        for row in rows:
            assert 0 <= row["start"] < row["end"] <= len(texts[row["doc_id"]])
            assert texts[row["doc_id"]][row["start"] : row["end"]] == row["text"], row["event_id"]
        # The evidence's document is its event's document.
        assert (
            store.conn.execute(
                "SELECT count(*) FROM event_evidence v JOIN events e ON e.id = v.event_id WHERE v.doc_id != e.doc_id"
            ).fetchone()[0]
            == 0
        )


def test_every_statement_span_lies_inside_its_document(seed_kb: Path) -> None:
    with Store(seed_kb, readonly=True) as store:
        texts = {r["id"]: r["text"] for r in store.conn.execute("SELECT id, text FROM documents")}
        rows = store.conn.execute("SELECT subject, property, doc_id, start, end FROM statements").fetchall()
        with_span = [r for r in rows if r["start"] is not None]
        assert with_span
        for row in with_span:
            assert row["end"] is not None
            assert 0 <= row["start"] <= row["end"] <= len(texts[row["doc_id"]]), dict(row)
        # Event statements always carry a span; only document statements (publication date) may lack one.
        assert all(r["subject"].startswith("document:") for r in rows if r["start"] is None)


def test_every_mention_and_relation_quotes_its_document(seed_kb: Path) -> None:
    with Store(seed_kb, readonly=True) as store:
        texts = {r["id"]: r["text"] for r in store.conn.execute("SELECT id, text FROM documents")}
        for table in ("mentions", "relations"):
            rows = store.conn.execute(f"SELECT doc_id, start, end, text FROM {table}").fetchall()  # noqa: S608
            assert rows, table
            for row in rows:
                assert texts[row["doc_id"]][row["start"] : row["end"]] == row["text"]


def test_every_event_has_evidence_and_an_incident(seed_kb: Path) -> None:
    with Store(seed_kb, readonly=True) as store:
        n_events = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
        assert n_events > 0
        assert (
            store.conn.execute(
                "SELECT count(*) FROM events e "
                "WHERE NOT EXISTS (SELECT 1 FROM event_evidence v WHERE v.event_id = e.id)"
            ).fetchone()[0]
            == 0
        )
        assert (
            store.conn.execute(
                "SELECT count(*) FROM events WHERE incident_id NOT IN (SELECT id FROM incidents)"
            ).fetchone()[0]
            == 0
        )
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_version_1_store_migrates_and_keeps_its_data(tmp_path: Path) -> None:
    """A store written by schema 1 (before places, refs and skeletons) opens, migrates, keeps its rows."""
    from conflictkb.store.schema import MIGRATIONS

    path = tmp_path / "v1.sqlite"
    with closing(sqlite3.connect(path)) as raw:
        for statement in MIGRATIONS[0].split(";\n"):
            if statement.strip():
                raw.execute(statement)
        raw.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        raw.execute(
            "INSERT INTO documents(id, name, format, n_bytes, text, ingested_at) "
            "VALUES ('d', 'a.txt', 'txt', 3, 'x', 't')"
        )
        raw.execute("INSERT INTO entities(id, name, kind) VALUES (1, 'Tohir Yuldeshev', 'person')")
        raw.execute("INSERT INTO aliases VALUES (1, 'Tohir Yuldeshev', 'tohir yuldeshev', 'd', 2)")
        raw.commit()
    with Store(path) as store:
        assert store.version() == SCHEMA_VERSION
        row = store.conn.execute("SELECT alias, skeleton, count FROM aliases").fetchone()
        assert (row["alias"], row["count"]) == ("Tohir Yuldeshev", 2)
        assert row["skeleton"] == "thr alds"
        assert store.conn.execute("SELECT ref FROM entities").fetchone()["ref"] is None
        assert {"places", "user_actors", "dataset_links", "documents_fts"} <= _tables(store.conn)
        # Version 3 filled the full-text indexes from what version 1 held.
        assert store.conn.execute("SELECT alias FROM names_fts WHERE names_fts MATCH 'yuldeshev'").fetchall()


def test_stores_opened_at_once_migrate_once(tmp_path: Path) -> None:
    """Two processes (here threads, each with its own connection) creating one new store at the same
    moment: the schema version is read inside the write transaction, so one migrates and the other
    finds the work done instead of failing on "table meta already exists"."""
    import threading

    path = tmp_path / "kb.sqlite"
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def open_it() -> None:
        start.wait()
        try:
            with Store(path) as store:
                assert store.version() == SCHEMA_VERSION
        except BaseException as exc:  # noqa: BLE001 - the test reports whatever a thread raised
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
