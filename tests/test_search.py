"""conflictkb.store.search: full-text queries that cannot be malformed, the per-event index kept in
step with the statements, filtered and paged events, and analysts' corrections that survive a
re-ingest of the same documents."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conflictkb.engines.local import ingest
from conflictkb.extract import Extractor
from conflictkb.kb import KnowledgeBase
from conflictkb.model import Event, Perpetrator, Place, Span
from conflictkb.store import Store, search, writer
from conflictkb.store.schema import MIGRATIONS, SCHEMA_VERSION
from conflictkb.store.search import CorrectionError, EventFilter, fts_query, hit_parts

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


# --- full-text queries ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Tashkent", '"Tashkent"'),
        ("car bombs", '"car" "bombs"'),
        ('"car bombs" Tashkent', '"car bombs" "Tashkent"'),
        ("Uzbek*", '"Uzbek"*'),
        ('IMU" OR 1=1 --', '"IMU" "OR" "1=1"'),
        ("NEAR(a b) AND title:x", '"NEAR(a" "b)" "AND" "title:x"'),
        ("", None),
        ("   ", None),
        ('"" * - ^ :', None),
    ],
)
def test_fts_query_quotes_every_word(text: str, query: str | None) -> None:
    assert fts_query(text) == query


def test_fts_query_prefix_and_limits() -> None:
    assert fts_query("islamic movem", prefix=True) == '"islamic"* "movem"*'
    assert fts_query(" ".join(f"w{i}" for i in range(50))).count('"') == 2 * search.MAX_TERMS


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_no_text_makes_a_malformed_fts_query(text: str) -> None:
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'unicode61 remove_diacritics 2')")
        conn.execute("INSERT INTO t VALUES ('the Islamic Movement of Uzbekistan struck Tashkent')")
        for prefix in (False, True):
            query = fts_query(text, prefix=prefix)
            if query is not None:
                conn.execute("SELECT * FROM t WHERE t MATCH ?", (query,)).fetchall()


def test_hit_parts_split_snippets_at_the_markers() -> None:
    snippet = f"a {search.HIT_START}bomb{search.HIT_END} in {search.HIT_START}Tashkent{search.HIT_END}"
    assert hit_parts(snippet) == [("a ", False), ("bomb", True), (" in ", False), ("Tashkent", True)]
    assert hit_parts("") == []
    assert "".join(t for t, _ in hit_parts(f"x{search.HIT_END}y")) == "xy"


def test_search_finds_names_documents_and_evidence(kb: KnowledgeBase) -> None:
    names = kb.search_names("IMU")
    assert names[0]["name"] == "Islamic Movement of Uzbekistan" and "IMU" in names[0]["matched"]
    assert any(n["name"] == "Islamic Movement of Uzbekistan" for n in kb.search_names("islamic movem"))
    documents, total = kb.search_documents("Tashkent")
    assert total == len(documents) > 0
    assert all(any(hit and text.lower() == "tashkent" for text, hit in d["parts"]) for d in documents)
    evidence, n = kb.search_evidence("car bombs")
    assert n >= 1 and evidence[0]["type"] == "bombing"
    quoted = kb.event(evidence[0]["event_id"])
    assert quoted is not None and any("car bombs" in e.text for e in quoted.event.evidence)
    for malformed in ['"', "*", "NEAR(", "AND", "'; DROP TABLE documents; --", "\u202e\u200b", "x" * 10_000]:
        kb.search_names(malformed)
        kb.search_documents(malformed)
        kb.search_evidence(malformed)
    assert kb.counts()["documents"] == 5


# --- the event index -----------------------------------------------------------------------------


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
        assert store.version() == SCHEMA_VERSION == 4
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


def test_map_points_charts_and_network(kb: KnowledgeBase) -> None:
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
    graph = kb.network()
    assert sum(e["n"] for e in graph["edges"]) == kb.counts()["relations"]
    node_ids = {n["id"] for n in graph["nodes"]}
    assert all(e["subject_id"] in node_ids and e["object_id"] in node_ids for e in graph["edges"])
    dated = kb.network("1999", "2001", undated=False)
    assert dated["edges"] and all(e["first"] >= "1999" and e["last"][:4] <= "2001" for e in dated["edges"])
    assert kb.top_actors("armed_group")[0]["name"] == "Islamic Movement of Uzbekistan"


def test_entity_profile_queries(kb: KnowledgeBase) -> None:
    imu = kb.search_names("Islamic Movement of Uzbekistan")[0]["id"]
    names = {n["alias"] for n in kb.alias_summary(imu)}
    assert {"IMU", "Islamic Movement of Uzbekistan"} <= names
    events, total = kb.entity_events(imu)
    assert total == len(events) > 0
    relations = kb.entity_relations(imu)
    assert relations and all(imu in (r["subject_id"], r["object_id"]) for r in relations)
    assert any(r["object_id"] == imu for r in relations), "relations pointing at the group are shown too"
    stated = [r for r in kb.relations(limit=10**6) if imu in (r["subject_id"], r["object_id"])]
    assert sum(r["n"] for r in relations) == len(stated), "every sentence is counted once"
    for r in relations:
        example = r["example"]
        text = kb.document(example["doc_id"])["text"]  # type: ignore[index]
        assert text[example["start"] : example["end"]] == example["text"]


# --- corrections ---------------------------------------------------------------------------------


def test_event_values_are_checked() -> None:
    assert search.check_event_value("date", " 2001-09 ") == "2001-09"
    assert search.check_event_value("killed", "007") == "7"
    assert search.check_event_value("place.country", "uz") == "UZ"
    assert search.check_event_value("type", "bombing", ["bombing"]) == "bombing"
    for prop, value in [
        ("date", "2001-13"),
        ("date", "2001-02-30"),
        ("date", "yesterday"),
        ("killed", "-1"),
        ("killed", "many"),
        ("place.country", "Uzbekistan"),
        ("type", "massacre"),
        ("perpetrator", ""),
        ("perpetrator", "x" * 500),
        ("perpetrator", "a\x00b"),
    ]:
        with pytest.raises(CorrectionError):
            search.check_event_value(prop, value, ["bombing"])


def test_corrections_are_validated(writable: Path) -> None:
    with Store(writable) as store, store.transaction():
        for subject, prop, action, value in [
            ("event:x-ev1", "colour", "correct", "red"),
            ("event:x-ev1", "event", "correct", "x"),
            ("event:x-ev1", "type", "reject", None),
            ("event:x-ev1", "killed", "correct", None),
            ("event:x-ev1", "killed", "delete", None),
            ("alias:IMU", "IMU", "correct", "x"),
            ("document:x", "title", "correct", "x"),
        ]:
            with pytest.raises(CorrectionError):
                search.add_correction(store, subject, prop, action, value)


def _event() -> Event:
    return Event(
        "e1",
        "bombing",
        [Span(0, 4, "text")],
        date="1999-02-16",
        date_precision="day",
        date_text="Feb. 16, 1999",
        place=Place("Tashkent", "UZ", lat=41.3, lon=69.2, precision="point"),
        perpetrators=[Perpetrator("IMU", "stated", "2")],
        killed=13,
        wounded=128,
        spans={"date": Span(0, 4, "text"), "killed": Span(0, 4, "text")},
    )


def test_corrected_applies_the_latest_review_of_each_field(writable: Path) -> None:
    with Store(writable) as store:
        event = _event()
        assert search.corrected(store, event, {}) is event
        reviews = {
            "type": {"action": "correct", "value": "armed_assault"},
            "date": {"action": "correct", "value": "1999-02"},
            "killed": {"action": "reject", "value": None},
            "wounded": {"action": "confirm", "value": None},
            "perpetrator": {"action": "correct", "value": "Taliban"},
            "place.name": {"action": "correct", "value": "Kunduz"},
        }
        fixed = search.corrected(store, event, reviews)
        assert (fixed.type, fixed.date, fixed.date_precision, fixed.date_text) == (
            "armed_assault",
            "1999-02",
            "month",
            None,
        )
        assert fixed.killed is None and fixed.wounded == 128
        assert "killed" not in fixed.spans and "date" not in fixed.spans
        assert [p.name for p in fixed.perpetrators] == ["Taliban"]
        taliban = search.entity_named(store, "Taliban")
        assert taliban is not None and fixed.perpetrators[0].entity == str(taliban)
        assert fixed.place is not None and fixed.place.name == "Kunduz" and fixed.place.country == "UZ"
        assert event.type == "bombing" and event.killed == 13, "the extracted event is left as it was"
        moved = search.corrected(store, event, {"place.country": {"action": "correct", "value": "TJ"}})
        assert moved.place is not None and (moved.place.name, moved.place.country, moved.place.lat) == (
            "Tashkent", "TJ", None,
        )  # fmt: skip
        gone = search.corrected(store, event, {"place.name": {"action": "reject", "value": None}})
        assert gone.place is None


def test_corrections_survive_a_reingest_of_the_same_documents(writable: Path, extractor: Extractor) -> None:
    with closing(KnowledgeBase(writable)) as kb:
        stored = next(s for s in kb.events(limit=10**6) if s.event.killed is not None)
        imu = kb.search_names("Islamic Movement of Uzbekistan")[0]
    with Store(writable) as store, store.transaction():
        search.add_correction(store, f"event:{stored.id}", "killed", "correct", "99", "two sources say 99")
        search.add_correction(store, f"event:{stored.id}", "type", "correct", "armed_assault")
        search.add_correction(store, f"event:{stored.id}", "type", "confirm")
        search.add_correction(store, f"event:{stored.id}", "event", "reject", None, "a duplicate")
        search.add_correction(store, f"alias:{imu['name']}", "IMT", "reject", None, "Turkestan is a later name")
    with Store(writable) as store:
        with store.transaction():
            writer.delete_document(store, stored.doc_id)
        assert store.conn.execute("SELECT count(*) FROM events WHERE id = ?", (stored.id,)).fetchone()[0] == 0
        ingest([SEEDS], store, extractor, show_progress=False)
    with closing(KnowledgeBase(writable)) as kb:
        again = kb.event(stored.id)
        assert again is not None and again.event.killed == stored.event.killed, "the extracted value is back"
        history = kb.corrections(f"event:{stored.id}")
        assert [(h["property"], h["action"]) for h in history] == [
            ("killed", "correct"), ("type", "correct"), ("type", "confirm"), ("event", "reject"),
        ]  # fmt: skip
        review = kb.review(f"event:{stored.id}")
        assert review["type"]["action"] == "confirm" and review["killed"]["note"] == "two sources say 99"
        fixed = kb.corrected_event(again)
        assert fixed.event.killed == 99 and fixed.event.type == again.event.type
        assert kb.rejected_events() == {stored.id}
        assert kb.review(f"alias:{imu['name']}")["IMT"]["action"] == "reject"
        untouched = next(s for s in kb.events(limit=10**6) if s.id != stored.id)
        assert kb.corrected_event(untouched) is untouched


def test_corrections_are_stored_as_rows_apart(writable: Path) -> None:
    with Store(writable) as store, store.transaction():
        search.add_correction(store, "event:abc-ev1", "killed", "correct", "5", "  a   note ")
    with closing(sqlite3.connect(writable)) as raw:
        row = raw.execute("SELECT subject, property, value, action, note FROM corrections").fetchone()
        assert row == ("event:abc-ev1", "killed", "5", "correct", "a note")
        assert raw.execute("SELECT count(*) FROM statements WHERE extractor LIKE '%analyst%'").fetchone()[0] == 0
    assert json.loads(json.dumps(row)) == list(row)
