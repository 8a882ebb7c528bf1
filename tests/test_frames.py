"""Tests for the notebook API (conflictkb.open -> conflictkb.frames.Notebook): DataFrames over the seed knowledge
base, filters, the pass-through to the KnowledgeBase, profiles, and a clear error without pandas."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import conflictkb
from conflictkb.export import tables
from conflictkb.frames import EVENT_COLUMNS, INCIDENT_COLUMNS, PANDAS_MISSING, Notebook
from conflictkb.kb import KnowledgeBase
from conflictkb.profile_model import Profile, UnknownEntity
from conflictkb.store import StoreError
from conflictkb.store.reader import StoredEvent


@pytest.fixture(scope="module")
def kb(seed_kb: Path) -> Iterator[Notebook]:
    with conflictkb.open(seed_kb) as opened:
        yield opened


def test_open_gives_a_notebook_over_a_knowledge_base(kb: Notebook, tmp_path: Path) -> None:
    assert isinstance(kb, Notebook) and isinstance(kb.kb, KnowledgeBase)
    assert kb.store is kb.kb.store
    assert "5 documents" in repr(kb)
    with pytest.raises(StoreError, match="no knowledge base"):
        conflictkb.open(tmp_path / "nothing.sqlite")


def test_events_are_a_dataframe_of_every_report(kb: Notebook) -> None:
    events = kb.events()
    assert isinstance(events, pd.DataFrame)
    assert list(events.columns) == EVENT_COLUMNS
    assert len(events) == kb.counts()["events"] and events["id"].is_unique
    assert str(events["year"].dtype) == "Int64" and str(events["killed"].dtype) == "Int64"
    assert events["evidence"].notna().all()


def test_event_filters(kb: Notebook) -> None:
    all_events = kb.events()
    bombings = kb.events(type="bombing")
    assert len(bombings) > 0 and set(bombings["type"]) == {"bombing"}
    uzbek = kb.events(country="uz")
    assert len(uzbek) > 0 and set(uzbek["country"]) == {"UZ"}
    imu = kb.events(perpetrator="IMU")  # an alias finds the group's canonical name
    assert len(imu) > 0
    assert all("Islamic Movement of Uzbekistan" in p for p in imu["perpetrators"])
    assert len(kb.events(perpetrator="Islamic Movement of Uzbekistan")) == len(imu)
    in_1999 = kb.events(since="1999-01-01", until="1999-12-31")
    assert len(in_1999) > 0 and all(d.startswith("1999") for d in in_1999["date"])
    feb = kb.events(since="1999-02-10", until="1999-02-20")
    assert "1999-02-16" in set(feb["date"]) and "1999-02" in set(feb["date"])  # a month overlaps those days
    one_doc = all_events["doc"].iloc[0]
    assert set(kb.events(doc=one_doc)["doc"]) == {one_doc}
    assert kb.events(type="no such type").empty and list(kb.events(type="no such type").columns) == EVENT_COLUMNS


def test_incidents_combine_their_reports(kb: Notebook) -> None:
    found = kb.incidents()
    assert list(found.columns) == INCIDENT_COLUMNS
    assert len(found) == kb.counts()["incidents"] and found["incident"].is_unique
    several = found[found["n_reports"] > 1]
    assert len(several) > 0
    tashkent = found[(found["type"] == "bombing") & (found["date"] == "1999-02-16")].iloc[0]
    assert tashkent["place"] == "Tashkent" and tashkent["n_reports"] == 2
    assert "Islamic Movement of Uzbekistan" in tashkent["perpetrators"]
    assert tashkent["killed"] == 13 and tashkent["figures"]["killed"][0][0] == 13
    assert set(kb.incidents(perpetrator="IMU")["incident"]) == set(kb.events(perpetrator="IMU")["incident"])


def test_other_listings(kb: Notebook) -> None:
    counts = kb.counts()
    groups = kb.entities(kind="armed_group")
    assert len(groups) > 0 and set(groups["kind"]) == {"armed_group"}
    assert len(kb.entities()) == counts["entities"]
    relations = kb.relations()
    assert len(relations) == counts["relations"] and relations["evidence"].notna().all()
    documents = kb.documents()
    assert len(documents) == counts["documents"] and "text" not in documents.columns
    assert documents["n_events"].sum() == counts["events"]
    assert len(kb.statements()) == counts["statements"]
    killed = kb.statements(property="killed")
    assert len(killed) > 0 and set(killed["property"]) == {"killed"} and killed["quote"].notna().all()
    event_id = kb.events()["id"].iloc[0]
    citations = kb.citations(f"event:{event_id}")
    assert "type" in set(citations["property"])
    assert set(kb.statements(subject=f"event:{event_id}")["property"]) == set(citations["property"])
    assert list(kb.links().columns) == ["incident_id", "dataset", "row_id", "score", "why", "linked_at"]
    incident = int(kb.incidents().query("n_reports > 1")["incident"].iloc[0])
    assert set(kb.contradictions(incident)["property"]) <= {"date", "killed", "wounded", "kidnapped", "type", "place"}
    network = kb.graph()
    assert isinstance(network, nx.MultiDiGraph) and network.number_of_nodes() >= counts["entities"]


def test_what_is_not_a_listing_passes_through_to_the_knowledge_base(kb: Notebook) -> None:
    event_id = kb.events()["id"].iloc[0]
    stored = kb.event(event_id)
    assert isinstance(stored, StoredEvent) and stored.id == event_id
    assert kb.incident(stored.incident_id)
    assert kb.document(stored.doc_id)["text"]
    with pytest.raises(AttributeError):
        kb.no_such_method()
    assert [r["id"] for r in tables.event_rows(kb)] == [s.id for s in kb.kb.events(limit=10**9)]


def test_without_pandas_the_error_says_what_to_install(kb: Notebook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'conflictkb\[pandas\]'") as caught:
        kb.events()
    assert str(caught.value) == PANDAS_MISSING
    assert kb.counts()["documents"] == 5  # what needs no DataFrame still works


def test_profile_is_the_groups_profile_and_agrees_with_the_frames(kb: Notebook) -> None:
    imu = kb.profile("IMU")
    assert isinstance(imu, Profile) and imu.type == "group"
    entities = kb.entities(kind="armed_group")
    (row,) = entities[entities["id"] == imu.entity.id].to_dict("records")
    assert "IMU" in row["aliases"] and imu.entity.name == row["name"]
    assert "IMU" in {a.alias for a in imu.aliases}
    # The profile's incidents are the incidents the notebook lists for the group, by any of its names.
    assert sorted(e.incident_id for e in imu.events) == sorted(kb.incidents(perpetrator="IMU")["incident"])
    assert imu.to_dict()["entity"]["name"] == row["name"]
    with pytest.raises(UnknownEntity, match="no entity named 'Nobody At All' in the knowledge base"):
        kb.profile("Nobody At All")
