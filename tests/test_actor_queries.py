"""conflictkb.store.actor_queries: an actor's names, relations either side with an example sentence,
and the network by period."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conflictkb.kb import KnowledgeBase
from conflictkb.store import Store


@pytest.fixture(scope="module")
def kb(seed_kb: Path) -> Iterator[KnowledgeBase]:
    opened = KnowledgeBase(seed_kb)
    yield opened
    opened.close()


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


def test_network_by_period(kb: KnowledgeBase) -> None:
    graph = kb.network()
    assert sum(e["n"] for e in graph["edges"]) == kb.counts()["relations"]
    node_ids = {n["id"] for n in graph["nodes"]}
    assert all(e["subject_id"] in node_ids and e["object_id"] in node_ids for e in graph["edges"])
    dated = kb.network("1999", "2001", undated=False)
    assert dated["edges"] and all(e["first"] >= "1999" and e["last"][:4] <= "2001" for e in dated["edges"])


def test_actor_counts_follow_an_alias_counted_twice(seed_kb: Path, tmp_path: Path) -> None:
    """An alias written again for the same document takes the writer's UPSERT update path; the
    actor's counts follow it (schema 5: version 4's trigger aborted the document there)."""
    db = tmp_path / "kb.sqlite"
    shutil.copy(seed_kb, db)
    upsert = (
        "INSERT INTO aliases(entity_id, alias, key, skeleton, doc_id, count) VALUES (?, 'Karachi', 'karachi', 'krc', "
        "'new', 3) ON CONFLICT(entity_id, alias, doc_id) DO UPDATE SET count = count + excluded.count"
    )
    with Store(db) as store:
        entity = store.conn.execute("SELECT entity_id FROM entity_stats ORDER BY entity_id LIMIT 1").fetchone()[0]
        with store.transaction():
            store.conn.execute(
                "INSERT INTO documents(id, name, format, n_bytes, text, ingested_at) "
                "VALUES ('new', 'n', 'txt', 1, 'x', 't')"
            )
            store.conn.execute(upsert, (entity,))
            store.conn.execute(upsert, (entity,))
        stats = store.conn.execute(
            "SELECT entity_id, mentions, documents FROM entity_stats ORDER BY entity_id"
        ).fetchall()
        truth = store.conn.execute(
            "SELECT entity_id, sum(count), count(DISTINCT doc_id) FROM aliases GROUP BY entity_id ORDER BY entity_id"
        ).fetchall()
    assert [tuple(r) for r in stats] == [tuple(r) for r in truth]


def test_claims_in_words_are_the_entitys_claims_with_no_actor_as_object(kb: KnowledgeBase) -> None:
    imu = kb.search_names("Islamic Movement of Uzbekistan")[0]["id"]
    claims = kb.entity_claims_in_words(imu)
    assert {"strength", "aim"} <= {c["property"] for c in claims}
    assert all(c["claim"]["object"] is None and c["claim"]["value"] for c in claims)
    for c in claims:
        text = kb.document(c["doc_id"])["text"]  # type: ignore[index]
        assert c["claim"]["value"].split()[0] in text[c["start"] : c["end"]] or c["quote"]
    dates = [c["claim"]["date"] for c in claims if c["claim"].get("date")]
    assert dates == sorted(dates), "dated claims first, in time order"
