"""Tests for conflictkb.engines.local: the ingest loop over real files, the real pipeline and a real store."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path

import pytest

from conflictkb.engines.local import Summary, ingest
from conflictkb.extract import Extractor
from conflictkb.model import Document, DocumentFacts
from conflictkb.store import Store, writer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
SMALL = SEEDS / "004_23f3cafbd793537b.txt"  # the smallest seed: events, no relations
WITH_RELATION = SEEDS / "003_fdb77c175b95e681.txt"  # small, with one relation
CONTENT_TABLES = (
    "documents",
    "sentences",
    "entities",
    "aliases",
    "mentions",
    "incidents",
    "events",
    "event_evidence",
    "relations",
    "statements",
)
EXTRA = (
    "\n\nOn March 3, 2011, gunmen of the Islamic Movement of Uzbekistan attacked a police station in Andijan, "
    "killing four police officers, the Interior Ministry said.\n"
)
# The tables whose rows carry the document they were drawn from.
DOC_TABLES = (
    "sources",
    "files",
    "sentences",
    "aliases",
    "mentions",
    "events",
    "event_evidence",
    "relations",
    "statements",
)
# Every row that depends on another must find it: none of these may ever count anything.
ORPHANS = {
    "event without evidence": "SELECT count(*) FROM events e "
    "WHERE NOT EXISTS (SELECT 1 FROM event_evidence v WHERE v.event_id = e.id)",
    "event without incident": "SELECT count(*) FROM events WHERE incident_id NOT IN (SELECT id FROM incidents)",
    "incident without event": "SELECT count(*) FROM incidents WHERE id NOT IN (SELECT incident_id FROM events)",
    "evidence without event": "SELECT count(*) FROM event_evidence WHERE event_id NOT IN (SELECT id FROM events)",
    "evidence without document": "SELECT count(*) FROM event_evidence WHERE doc_id NOT IN (SELECT id FROM documents)",
    "statement without document": "SELECT count(*) FROM statements WHERE doc_id NOT IN (SELECT id FROM documents)",
    "event statement without event": "SELECT count(*) FROM statements WHERE subject LIKE 'event:%' "
    "AND substr(subject, 7) NOT IN (SELECT id FROM events)",
    "entity statement without entity": "SELECT count(*) FROM statements WHERE subject LIKE 'entity:%' "
    "AND CAST(substr(subject, 8) AS INTEGER) NOT IN (SELECT id FROM entities)",
    "mention without document": "SELECT count(*) FROM mentions WHERE doc_id NOT IN (SELECT id FROM documents)",
    "mention without entity": "SELECT count(*) FROM mentions WHERE entity_id NOT IN (SELECT id FROM entities)",
    "alias without document": "SELECT count(*) FROM aliases WHERE doc_id NOT IN (SELECT id FROM documents)",
    "alias without entity": "SELECT count(*) FROM aliases WHERE entity_id NOT IN (SELECT id FROM entities)",
    # An entity no words name (a government implied by a title) has no alias, but statements cite it.
    "entity nothing cites": "SELECT count(*) FROM entities WHERE id NOT IN (SELECT entity_id FROM aliases) "
    "AND 'entity:' || id NOT IN (SELECT subject FROM statements)",
    "relation without document": "SELECT count(*) FROM relations WHERE doc_id NOT IN (SELECT id FROM documents)",
    "sentence without document": "SELECT count(*) FROM sentences WHERE doc_id NOT IN (SELECT id FROM documents)",
    "source without document": "SELECT count(*) FROM sources WHERE doc_id NOT IN (SELECT id FROM documents)",
    "document without source": "SELECT count(*) FROM documents WHERE id NOT IN (SELECT doc_id FROM sources)",
}


def _connect(path: Path) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(path))


def table_counts(path: Path) -> dict[str, int]:
    """Row counts of every table in the file."""
    with _connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608


def orphans(path: Path) -> dict[str, int]:
    with _connect(path) as conn:
        found = {name: conn.execute(sql).fetchone()[0] for name, sql in ORPHANS.items()}
        found["foreign key violations"] = len(conn.execute("PRAGMA foreign_key_check").fetchall())
    return {k: v for k, v in found.items() if v}


def dump_without_files(path: Path) -> list[str]:
    """The whole store as SQL, except the ``files`` log (which records every attempt)."""
    with _connect(path) as conn:
        return [line for line in conn.iterdump() if not line.startswith('INSERT INTO "files"')]


def files_table(path: Path) -> dict[str, tuple[str, str | None, str | None]]:
    with _connect(path) as conn:
        return {r[0]: (r[1], r[2], r[3]) for r in conn.execute("SELECT path, status, reason, doc_id FROM files")}


def copy_kb(src: Path, dst: Path) -> Path:
    """A consistent copy of a knowledge-base file (WAL included), via SQLite's backup API."""
    with _connect(src) as source, _connect(dst) as target:
        source.backup(target)
    return dst


def run(paths: list[Path], db: Path, extract: Extractor | object) -> Summary:
    with Store(db) as store:
        return ingest(paths, store, extract, show_progress=False)  # type: ignore[arg-type]


def doc_ids(path: Path) -> set[str]:
    with _connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT id FROM documents")}


def rows_of_document(path: Path, doc_id: str) -> dict[str, int]:
    """How many rows of each table still belong to ``doc_id``, by column or by id prefix."""
    with _connect(path) as conn:
        found = {
            t: conn.execute(f"SELECT count(*) FROM {t} WHERE doc_id = ?", (doc_id,)).fetchone()[0]  # noqa: S608
            for t in DOC_TABLES
        }
        found["documents"] = conn.execute("SELECT count(*) FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
        found["statements about its events"] = conn.execute(
            "SELECT count(*) FROM statements WHERE subject LIKE ?", (f"event:{doc_id[:12]}-%",)
        ).fetchone()[0]
    return {k: v for k, v in found.items() if v}


# --- Seeds: first ingest, then again -----------------------------------------------------------------------


def test_seed_ingest_read_every_seed(seed_kb: Path) -> None:
    files = files_table(seed_kb)
    assert len(files) == 5
    assert {status for status, _, _ in files.values()} == {"ingested"}
    assert {Path(p).name for p in files} == {p.name for p in SEEDS.glob("*.txt")}
    counts = table_counts(seed_kb)
    assert counts["documents"] == 5
    assert counts["events"] > 0
    assert counts["entities"] > 0
    assert counts["statements"] > counts["events"]
    assert orphans(seed_kb) == {}


def test_ingesting_the_seeds_twice_adds_nothing_the_second_time(extractor: Extractor, tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    first = run([SEEDS], db, extractor)
    assert dict(first.outcomes) == {"ingested": 5}
    assert first.problems == []
    assert first.totals["events"] > 0 and first.totals["entities"] > 0
    before_counts, before_dump = table_counts(db), dump_without_files(db)
    assert {t: before_counts[t] for t in first.totals} == first.totals

    summary = run([SEEDS], db, extractor)
    assert dict(summary.outcomes) == {"unchanged": 5}
    assert summary.problems == []
    assert table_counts(db) == before_counts
    assert dump_without_files(db) == before_dump
    assert {status for status, _, _ in files_table(db).values()} == {"unchanged"}
    assert summary.totals["documents"] == 5
    assert summary.totals["events"] == before_counts["events"]


def test_same_bytes_under_a_second_path_is_a_duplicate(seed_kb: Path, extractor: Extractor, tmp_path: Path) -> None:
    db = copy_kb(seed_kb, tmp_path / "kb.sqlite")
    before = table_counts(db)
    copy = tmp_path / "elsewhere" / "same.txt"
    copy.parent.mkdir()
    shutil.copyfile(SMALL, copy)
    summary = run([copy], db, extractor)
    assert dict(summary.outcomes) == {"duplicate": 1}
    after = table_counts(db)
    assert {t: after[t] for t in CONTENT_TABLES} == {t: before[t] for t in CONTENT_TABLES}
    assert after["sources"] == before["sources"] + 1
    status, reason, doc_id = files_table(db)[str(copy.resolve())]
    assert status == "duplicate"
    assert reason is not None and "same bytes" in reason
    with _connect(db) as conn:
        original = conn.execute("SELECT doc_id FROM sources WHERE path = ?", (str(SMALL.resolve()),)).fetchone()[0]
    assert doc_id == original


# --- A changed file ----------------------------------------------------------------------------------------


def test_changed_file_replaces_its_old_document(extractor: Extractor, tmp_path: Path) -> None:
    report = tmp_path / "src" / "report.txt"
    report.parent.mkdir()
    shutil.copyfile(SMALL, report)
    db = tmp_path / "kb.sqlite"
    assert dict(run([report.parent], db, extractor).outcomes) == {"ingested": 1}
    (old_id,) = doc_ids(db)
    assert rows_of_document(db, old_id)["events"] > 0
    old_events = rows_of_document(db, old_id)["events"]

    report.write_text(SMALL.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    summary = run([report.parent], db, extractor)
    assert dict(summary.outcomes) == {"ingested": 1}

    (new_id,) = doc_ids(db)
    assert new_id != old_id
    assert rows_of_document(db, old_id) == {}
    assert orphans(db) == {}
    new_rows = rows_of_document(db, new_id)
    assert new_rows["documents"] == 1
    assert new_rows["sources"] == 1
    assert new_rows["events"] > old_events  # the added sentence is an event
    with _connect(db) as conn:
        text = conn.execute("SELECT text FROM documents WHERE id = ?", (new_id,)).fetchone()[0]
        assert text.endswith(EXTRA)
        assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM event_evidence WHERE text LIKE '%Andijan%'").fetchone()[0] == 1
    assert files_table(db)[str(report.resolve())] == ("ingested", None, new_id)


def test_changed_file_keeps_the_old_document_while_another_path_holds_it(extractor: Extractor, tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copyfile(SMALL, first)
    shutil.copyfile(SMALL, second)
    db = tmp_path / "kb.sqlite"
    assert dict(run([first, second], db, extractor).outcomes) == {"ingested": 1, "duplicate": 1}
    (old_id,) = doc_ids(db)
    first.write_text(SMALL.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    assert dict(run([first, second], db, extractor).outcomes) == {"ingested": 1, "unchanged": 1}
    assert old_id in doc_ids(db)
    assert len(doc_ids(db)) == 2
    assert orphans(db) == {}


# --- Files that cannot be read, and failures -----------------------------------------------------------------


def test_bad_files_are_skipped_with_reasons_and_the_good_one_ingested(extractor: Extractor, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "x.pdf").write_bytes(os.urandom(3000))
    (folder / "e.txt").write_bytes(b"")
    (folder / "z.html").write_bytes(b"")
    shutil.copyfile(SMALL, folder / "good.txt")
    missing = tmp_path / "missing.txt"
    db = tmp_path / "kb.sqlite"

    summary = run([folder, missing], db, extractor)

    assert dict(summary.outcomes) == {"skipped": 4, "ingested": 1}
    reasons = {Path(path).name: reason for path, status, reason in summary.problems if status == "skipped"}
    assert set(reasons) == {"x.pdf", "e.txt", "z.html", "missing.txt"}
    assert reasons["e.txt"] == "empty file"
    assert reasons["z.html"] == "empty file"
    assert reasons["missing.txt"] == "not found"
    assert "pdf" in reasons["x.pdf"].lower()
    files = files_table(db)
    for name in ("x.pdf", "e.txt", "z.html"):
        status, reason, doc_id = files[str((folder / name).resolve())]
        assert (status, reason, doc_id) == ("skipped", reasons[name], None)
    assert files[str((folder / "good.txt").resolve())][0] == "ingested"
    assert summary.totals["documents"] == 1
    assert summary.totals["events"] > 0


def test_an_extraction_error_is_recorded_and_the_run_goes_on(extractor: Extractor, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copyfile(WITH_RELATION, folder / "a.txt")
    shutil.copyfile(SMALL, folder / "b.txt")

    def flaky(document: Document) -> DocumentFacts:
        if document.name == "a.txt":
            raise RuntimeError("model exploded")
        return extractor(document)

    db = tmp_path / "kb.sqlite"
    summary = run([folder], db, flaky)
    assert dict(summary.outcomes) == {"failed": 1, "ingested": 1}
    ((path, status, reason),) = summary.problems
    assert (Path(path).name, status) == ("a.txt", "failed")
    assert reason == "extraction failed: RuntimeError: model exploded"
    assert files_table(db)[str((folder / "a.txt").resolve())] == ("failed", reason, None)
    assert len(doc_ids(db)) == 1
    # Once the pipeline works, the failed file is ingested.
    assert dict(run([folder], db, extractor).outcomes) == {"ingested": 1, "unchanged": 1}


def _crash_on(monkeypatch: pytest.MonkeyPatch, name: str, what: str) -> None:
    """Make the store write of document ``name`` fail: after writing all its facts, or mid-way (relations)."""
    if what == "insert_facts":
        real = writer.insert_facts

        def write_then_raise(
            store: Store, facts: DocumentFacts, entity_ids: Mapping[str, int], incident_ids: Mapping[str, int]
        ) -> None:
            real(store, facts, entity_ids, incident_ids)
            if facts.document.name == name:
                assert store.conn.execute("SELECT count(*) FROM events").fetchone()[0] > 0
                raise OSError("disk on fire")

        monkeypatch.setattr(writer, "insert_facts", write_then_raise)
    else:
        real_relations = writer._insert_relations

        def raise_on_relations(store: Store, facts: DocumentFacts, entity_ids: Mapping[str, int]) -> None:
            if facts.document.name == name:
                raise sqlite3.OperationalError("disk I/O error")
            real_relations(store, facts, entity_ids)

        monkeypatch.setattr(writer, "_insert_relations", raise_on_relations)


@pytest.mark.parametrize("what", ["insert_facts", "_insert_relations"])
def test_a_crash_in_the_write_leaves_the_store_as_before(
    extractor: Extractor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copyfile(SMALL, folder / "a.txt")
    db = tmp_path / "kb.sqlite"
    run([folder], db, extractor)
    before = dump_without_files(db)

    shutil.copyfile(WITH_RELATION, folder / "b.txt")  # the one whose write crashes
    shutil.copyfile(SMALL, folder / "c.txt")  # after it: the run goes on
    _crash_on(monkeypatch, "b.txt", what)
    summary = run([folder], db, extractor)

    assert dict(summary.outcomes) == {"unchanged": 1, "failed": 1, "duplicate": 1}
    status, reason, doc_id = files_table(db)[str((folder / "b.txt").resolve())]
    assert (status, doc_id) == ("failed", None)
    assert reason is not None and reason.startswith("store failed: ")
    # Nothing of b.txt is left: only the duplicate's source row was added after it.
    after = [line for line in dump_without_files(db) if not line.startswith('INSERT INTO "sources"')]
    assert after == [line for line in before if not line.startswith('INSERT INTO "sources"')]
    assert orphans(db) == {}

    monkeypatch.undo()
    assert dict(run([folder / "b.txt"], db, extractor).outcomes) == {"ingested": 1}
    assert orphans(db) == {}


def test_a_crash_writing_a_changed_file_keeps_its_old_version(
    extractor: Extractor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "report.txt"
    shutil.copyfile(SMALL, report)
    db = tmp_path / "kb.sqlite"
    run([report], db, extractor)
    before = dump_without_files(db)
    report.write_text(WITH_RELATION.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    _crash_on(monkeypatch, "report.txt", "_insert_relations")
    assert dict(run([report], db, extractor).outcomes) == {"failed": 1}
    assert dump_without_files(db) == before
