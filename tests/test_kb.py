"""Tests for conflictkb.kb: the read API over the seed knowledge base, and contradictions between sources."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

import conflictkb
from conflictkb.engines.local import write_facts
from conflictkb.kb import KnowledgeBase
from conflictkb.model import Document, DocumentFacts, Event, Place, Span
from conflictkb.store import Store, StoreError


@pytest.fixture
def kb(seed_kb: Path) -> Iterator[KnowledgeBase]:
    opened = conflictkb.open_kb(seed_kb)
    yield opened
    opened.close()


def _sql_count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


def test_open_gives_a_knowledge_base_with_the_store_counts(kb: KnowledgeBase, seed_kb: Path) -> None:
    assert isinstance(kb, KnowledgeBase)
    counts = kb.counts()
    assert set(counts) == {"documents", "entities", "mentions", "events", "incidents", "relations", "statements"}
    for table, n in counts.items():
        assert n == _sql_count(seed_kb, table), table
    assert counts["documents"] == 5
    assert counts["events"] > 0 and counts["entities"] > 0 and counts["relations"] > 0


def test_open_of_a_missing_file_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no knowledge base"):
        conflictkb.open_kb(tmp_path / "nothing.sqlite")


def test_knowledge_base_is_read_only(kb: KnowledgeBase) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        kb.store.conn.execute("DELETE FROM documents")


def test_documents_and_their_mentions(kb: KnowledgeBase) -> None:
    documents = kb.documents()
    assert len(documents) == 5
    assert sum(d["n_events"] for d in documents) == kb.counts()["events"]
    assert all(len(d["id"]) == 64 for d in documents)
    first = kb.document(documents[0]["id"])
    assert first is not None
    assert len(first["text"]) > 0
    mentions = kb.mentions(first["id"])
    assert mentions
    assert [m["start"] for m in mentions] == sorted(m["start"] for m in mentions)
    for m in mentions:
        assert first["text"][m["start"] : m["end"]] == m["text"]
    assert kb.document("0" * 64) is None


def test_entities_aliases_and_citations(kb: KnowledgeBase) -> None:
    entities = kb.entities(limit=10**6)
    assert len(entities) == kb.counts()["entities"]
    assert [e["mentions"] for e in entities] == sorted((e["mentions"] for e in entities), reverse=True)
    groups = kb.entities(kind="armed_group", limit=10**6)
    assert groups and all(e["kind"] == "armed_group" for e in groups)
    top = entities[0]
    assert kb.entity(top["id"]) == {"id": top["id"], "name": top["name"], "kind": top["kind"]}
    aliases = kb.aliases(top["id"])
    assert sum(a["count"] for a in aliases) == top["mentions"]
    assert {a["alias"] for a in aliases} == set(top["aliases"])
    citations = kb.citations(f"entity:{top['id']}")
    assert {c["property"] for c in citations} >= {"name", "kind"}
    for c in citations:
        text = kb.document(c["doc_id"])["text"]  # type: ignore[index]
        assert c["quote"] == text[c["start"] : c["end"]]
    assert kb.entity(10**9) is None


def test_events_incidents_and_event_citations(kb: KnowledgeBase) -> None:
    events = kb.events()
    assert len(events) == kb.counts()["events"]
    stored = events[0]
    assert kb.event(stored.id) == stored
    assert stored in kb.incident(stored.incident_id)
    assert kb.event("nope") is None
    document_events = kb.events(doc_id=stored.doc_id)
    assert document_events and all(e.doc_id == stored.doc_id for e in document_events)
    citations = kb.citations(f"event:{stored.id}")
    assert "type" in {c["property"] for c in citations}
    text = kb.document(stored.doc_id)["text"]  # type: ignore[index]
    for c in citations:
        assert c["quote"] == text[c["start"] : c["end"]]
    type_citation = next(c for c in citations if c["property"] == "type")
    assert type_citation["value"] == stored.event.type


def test_relations_quote_their_document(kb: KnowledgeBase) -> None:
    relations = kb.relations()
    assert len(relations) == kb.counts()["relations"] > 0
    for r in relations:
        assert kb.document(r["doc_id"])["text"][r["start"] : r["end"]] == r["text"]  # type: ignore[index]
        assert kb.entity(r["subject_id"])["name"] == r["subject"]  # type: ignore[index]
        assert kb.entity(r["object_id"])["name"] == r["object"]  # type: ignore[index]


def _report(name: str, text: str, killed: int, killed_words: str) -> DocumentFacts:
    document = Document(hashlib.sha256(text.encode()).hexdigest(), f"/corpus/{name}", "txt", text, n_bytes=len(text))
    start = text.index(killed_words)
    event = Event(
        "ev1",
        "bombing",
        [Span(0, len(text), text)],
        date="2010-09-19",
        date_precision="day",
        place=Place("Tashkent", "UZ"),
        killed=killed,
        spans={"killed": Span(start, start + len(killed_words), killed_words)},
    )
    return DocumentFacts(document, [], [], [], [event], [])


def test_contradictions_put_the_disagreeing_sources_side_by_side(tmp_path: Path) -> None:
    a = _report("a.txt", "A bomb in Tashkent on Sept. 19, 2010 killed five people.", 5, "killed five people")
    b = _report("b.txt", "The Sept. 19, 2010 bombing in Tashkent left seven dead.", 7, "seven dead")
    db = tmp_path / "kb.sqlite"
    with Store(db) as store:
        for facts in (a, b):
            write_facts(store, facts.document.path, facts)
    with closing(conflictkb.open_kb(db)) as kb:
        (stored_a,) = kb.events(doc_id=a.document.id)
        assert {e.doc_id for e in kb.incident(stored_a.incident_id)} == {a.document.id, b.document.id}
        contradictions = kb.contradictions(stored_a.incident_id)
        assert set(contradictions) == {"killed"}  # type, date and place agree
        rows = contradictions["killed"]
        assert sorted((r["doc_name"], r["value"], r["quote"]) for r in rows) == [
            ("a.txt", "5", "killed five people"),
            ("b.txt", "7", "seven dead"),
        ]
        assert (
            json.loads(next(c["value"] for c in kb.citations(f"event:{stored_a.id}") if c["property"] == "place"))[
                "country"
            ]
            == "UZ"
        )
