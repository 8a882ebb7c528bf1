"""conflictkb.store.actor_queries: an actor's names, relations either side with an example sentence,
and the network by period."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conflictkb.kb import KnowledgeBase


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
