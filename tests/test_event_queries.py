"""conflictkb.store.event_queries and the tables of schema version 4 behind it: the per-event index
kept in step with the statements (after deletes, re-ingests and migration), filtered, sorted and
paged events, map points and yearly counts."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from conflictkb.engines.local import ingest
from conflictkb.extract import Extractor
from conflictkb.kb import KnowledgeBase
from conflictkb.store import Store, writer
from conflictkb.store.event_queries import EventFilter
from conflictkb.store.schema import MIGRATIONS, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"


@pytest.fixture(scope="module")
def kb(seed_kb: Path) -> Iterator[KnowledgeBase]:
    opened = KnowledgeBase(seed_kb)
    yield opened
    opened.close()


@pytest.fixture
def writable(seed_kb: Path, tmp_path: Path) -> Path:
    """A private copy of the seed knowledge base, for tests that write."""
    db = tmp_path / "kb.sqlite"
    shutil.copy(seed_kb, db)
    return db


def _index(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The event index (without incident ids, which a re-ingest renumbers) and the perpetrators."""
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT * FROM event_index ORDER BY event_id").fetchall()
        actors = conn.execute("SELECT event_id, entity_id, name FROM event_actors ORDER BY event_id, name").fetchall()
    return [r[:2] + r[3:] for r in rows], actors


def check_derived_tables(db: Path) -> None:
    """The tables the triggers keep agree with the facts they are derived from."""
    with closing(sqlite3.connect(db)) as conn:
        assert (
            conn.execute(
                "SELECT count(*) FROM events e JOIN event_index x ON x.event_id = e.id "
                "WHERE x.incident_id = e.incident_id AND x.doc_id = e.doc_id"
            ).fetchone()[0]
            == conn.execute("SELECT count(*) FROM events").fetchone()[0]
            == conn.execute("SELECT count(*) FROM event_index").fetchone()[0]
        )
        assert not conn.execute("SELECT 1 FROM event_actors WHERE event_id NOT IN (SELECT id FROM events)").fetchall()
        stats = conn.execute("SELECT entity_id, mentions, documents FROM entity_stats ORDER BY entity_id").fetchall()
        truth = conn.execute(
            "SELECT entity_id, sum(count), count(DISTINCT doc_id) FROM aliases GROUP BY entity_id ORDER BY entity_id"
        ).fetchall()
        assert stats == truth
        conflicts = {r[0] for r in conn.execute("SELECT incident_id FROM incident_conflicts")}
    with closing(KnowledgeBase(db)) as kb:
        incidents = {s.incident_id for s in kb.events(limit=10**6)}
        assert conflicts == {i for i in incidents if kb.contradictions(i)}


def test_derived_tables_agree_with_the_facts(seed_kb: Path) -> None:
    check_derived_tables(seed_kb)


def test_event_index_holds_each_events_fields(kb: KnowledgeBase) -> None:
    events = kb.events(limit=10**6)
    rows, total = kb.event_page(EventFilter(), limit=10**6)
    assert total == len(rows) == len(events)
    by_id = {r["id"]: r for r in rows}
    for stored in events:
        row, e = by_id[stored.id], stored.event
        assert (row["type"], row["date"], row["killed"], row["wounded"], row["kidnapped"]) == (
            e.type, e.date, e.killed, e.wounded, e.kidnapped,
        )  # fmt: skip
        assert row["place"] == (e.place.name if e.place else None)
        assert row["country"] == (e.place.country if e.place else None)
        assert (row["lat"], row["lon"]) == ((e.place.lat, e.place.lon) if e.place else (None, None))
        assert [p["name"] for p in row["perpetrators"]] == [p.name for p in e.perpetrators]
        assert [str(p["entity_id"]) if p["entity_id"] else None for p in row["perpetrators"]] == [
            p.entity for p in e.perpetrators
        ]
        assert row["evidence"]["text"] == e.evidence[0].text


def test_event_index_follows_deletes_and_reingests(writable: Path, extractor: Extractor) -> None:
    before = _index(writable)
    with Store(writable) as store:
        doc_id = store.conn.execute("SELECT doc_id FROM events GROUP BY doc_id ORDER BY count(*) DESC").fetchone()[0]
        with store.transaction():
            writer.delete_document(store, doc_id)
        check_derived_tables(writable)
        rows, _ = _index(writable)
        assert 0 < len(rows) < len(before[0])
        assert (
            store.conn.execute("SELECT count(*) FROM event_index").fetchone()[0]
            == store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
        )
        assert not store.conn.execute(
            "SELECT 1 FROM event_actors WHERE event_id NOT IN (SELECT id FROM events)"
        ).fetchall()
        ingest([SEEDS], store, extractor, show_progress=False)
        after = _index(writable)
        assert after[0] == before[0]
        check_derived_tables(writable)
        # Entities re-created by the re-ingest may take new ids: the names and the statements agree.
        assert [(e, n) for e, _, n in after[1]] == [(e, n) for e, _, n in before[1]]
        perpetrators = store.conn.execute(
            "SELECT substr(subject, 7), json_extract(value, '$.entity'), json_extract(value, '$.name') "
            "FROM statements WHERE property = 'perpetrator' ORDER BY 1, 3"
        ).fetchall()
        assert [tuple(r) for r in perpetrators] == after[1]


def downgrade_to_version_3(raw: sqlite3.Connection) -> None:
    """Drop what schema version 4 added (its tables, indexes and triggers) and say version 3."""
    for kind, name in re.findall(r"^CREATE (TABLE|INDEX|TRIGGER) (\w+)", MIGRATIONS[3], re.M):
        if kind != "TABLE":
            raw.execute(f"DROP {kind} IF EXISTS {name}")
    for kind, name in re.findall(r"^CREATE (TABLE|INDEX|TRIGGER) (\w+)", MIGRATIONS[3], re.M):
        if kind == "TABLE":
            raw.execute(f"DROP TABLE {name}")
    raw.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    raw.commit()


def test_version_3_store_migrates_and_fills_the_event_index(writable: Path) -> None:
    expected = _index(writable)
    with closing(sqlite3.connect(writable)) as raw:
        downgrade_to_version_3(raw)
    with Store(writable) as store:
        assert store.version() == SCHEMA_VERSION == 5
    assert _index(writable) == expected
    check_derived_tables(writable)


# --- filters, sorting, pages -----------------------------------------------------------------------


def test_filters_restrict_events(kb: KnowledgeBase) -> None:
    everything = kb.events(limit=10**6)
    imu = kb.search_names("Islamic Movement of Uzbekistan")[0]["id"]

    def ids(**kw: object) -> set[str]:
        rows, total = kb.event_page(EventFilter(**kw), limit=10**6)  # type: ignore[arg-type]
        assert total == len(rows)
        return {r["id"] for r in rows}

    assert ids(type="bombing") == {s.id for s in everything if s.event.type == "bombing"} != set()
    assert ids(country="UZ") == {s.id for s in everything if s.event.place and s.event.place.country == "UZ"}
    in_1999 = {s.id for s in everything if (s.event.date or "").startswith("1999")}
    assert ids(date_from="1999", date_to="1999") == in_1999 != set()
    assert ids(date_from="1999-02", date_to="1999-02-28") == {
        s.id for s in everything if (s.event.date or "").startswith("1999-02")
    }
    by_imu = {s.id for s in everything if any(p.entity == str(imu) for p in s.event.perpetrators)}
    assert by_imu and ids(actor=str(imu)) == by_imu == ids(actor="IMU") == ids(actor="islamic movement of uzbekistan")
    assert ids(actor="no such actor") == set() and ids(actor="9" * 30) == set()
    disagreeing = {s.incident_id for s in everything if kb.contradictions(s.incident_id)}
    assert disagreeing, "the seeds have incidents whose reports disagree"
    assert ids(conflicting=True) == {s.id for s in everything if s.incident_id in disagreeing}
    assert ids(type="bombing", country="UZ", date_from="1999") <= ids(type="bombing")


def test_sorting_and_pages(kb: KnowledgeBase) -> None:
    rows, total = kb.event_page(EventFilter(), "killed", descending=True, limit=10**6)
    killed = [r["killed"] for r in rows]
    counted = [k for k in killed if k is not None]
    assert counted == sorted(counted, reverse=True) and killed[: len(counted)] == counted, "unknown tolls last"
    by_date, _ = kb.event_page(EventFilter(), "date", limit=10**6)
    dates = [r["date"] for r in by_date if r["date"]]
    assert dates == sorted(dates)
    pages = [kb.event_page(EventFilter(), "date", limit=10, offset=o)[0] for o in range(0, total, 10)]
    assert [r["id"] for p in pages for r in p] == [r["id"] for r in by_date]
    assert kb.event_page(EventFilter(), "no such column; DROP TABLE events", limit=5)[1] == total


def test_map_points_and_charts(kb: KnowledgeBase) -> None:
    points, n_points, n_mapped = kb.map_points(EventFilter())
    _, n_unmapped = kb.events_unmapped(EventFilter())
    assert n_points == len(points) > 0 and all(p["lat"] is not None for p in points)
    assert sum(p["n"] for p in points) == n_mapped and n_mapped + n_unmapped == kb.counts()["events"]
    placed = [s for s in kb.events(limit=10**6) if s.event.place and s.event.place.lat is not None]
    assert len(placed) == n_mapped
    assert {(p["place"], p["country"]) for p in points} == {(s.event.place.name, s.event.place.country) for s in placed}  # type: ignore[union-attr]
    alone = [p for p in points if p["n"] == 1]
    assert alone and all(kb.event(p["id"]) is not None for p in alone)
    busiest = points[0]
    in_table, n = kb.event_page(EventFilter(place=busiest["place"], country=busiest["country"]), limit=10**6)
    assert n >= busiest["n"] > 1 and all(r["place"] == busiest["place"] for r in in_table)
    years = kb.yearly_counts()
    assert sum(n for _, n in years) == sum(1 for s in kb.events(limit=10**6) if s.event.date)
    assert [y for y, _ in years] == list(range(years[0][0], years[-1][0] + 1))
    assert kb.top_actors("armed_group")[0]["name"] == "Islamic Movement of Uzbekistan"
