"""Writing to the store: documents, their sources, and everything extracted from them.

These functions run inside ``Store.transaction()``; the engine calls them in order for one
document, so the document and all its facts land together or not at all. The functions an ingest
uses, from its first question (``source_document``) on, claim the store (``Store.claim``) so that
a second ingest into it waits instead of deciding from a state the first is changing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime

from conflictkb.model import DocumentFacts, Mention, Statement
from conflictkb.names import entity_key, name_skeleton
from conflictkb.statements import event_statements
from conflictkb.store.db import Store

ENTITY_EXTRACTOR = "conflictkb.entities"
RELATION_EXTRACTOR = "conflictkb.relations"
ALIAS_EXTRACTOR = "conflictkb.aliases"
RESOLVE_EXTRACTOR = "conflictkb.resolve"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def source_document(store: Store, path: str) -> str | None:
    """The id of the document a path held when last ingested, if any."""
    store.claim()
    row = store.conn.execute("SELECT doc_id FROM sources WHERE path = ?", (path,)).fetchone()
    return str(row["doc_id"]) if row else None


def has_document(store: Store, doc_id: str) -> bool:
    store.claim()
    return store.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None


def record_file(store: Store, path: str, status: str, reason: str | None = None, doc_id: str | None = None) -> None:
    """Remember the last outcome for a path (ingested, unchanged, duplicate, skipped, failed)."""
    store.claim()
    store.conn.execute(
        "INSERT INTO files(path, status, reason, doc_id, at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(path) DO UPDATE SET status = excluded.status, reason = excluded.reason, "
        "doc_id = excluded.doc_id, at = excluded.at",
        (path, status, reason, doc_id, _now()),
    )


def point_source(store: Store, path: str, doc_id: str) -> None:
    """Make ``path`` point at ``doc_id``; a document no path points at any more is removed."""
    store.claim()
    previous = source_document(store, path)
    store.conn.execute(
        "INSERT INTO sources(path, doc_id) VALUES (?, ?) ON CONFLICT(path) DO UPDATE SET doc_id = excluded.doc_id",
        (path, doc_id),
    )
    if previous and previous != doc_id:
        orphan = store.conn.execute("SELECT 1 FROM sources WHERE doc_id = ?", (previous,)).fetchone() is None
        if orphan:
            delete_document(store, previous)


def delete_document(store: Store, doc_id: str) -> None:
    """Remove a document and, by cascade, every fact drawn from it; then tidy what is left."""
    store.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    # An entity no words name (a government implied by "Uzbek President ...") has no aliases but
    # is cited by statements: it goes only when neither is left.
    store.conn.execute(
        "DELETE FROM entities WHERE id NOT IN (SELECT DISTINCT entity_id FROM aliases) "
        "AND 'entity:' || id NOT IN (SELECT subject FROM statements WHERE subject LIKE 'entity:%')"
    )
    store.conn.execute("DELETE FROM incidents WHERE id NOT IN (SELECT DISTINCT incident_id FROM events)")


def add_user_actor(store: Store, name: str, kind: str, aliases: list[str], country: str | None, source: str) -> None:
    """Add (or replace) an actor of the user's in this knowledge base."""
    store.conn.execute(
        "INSERT INTO user_actors(name, kind, aliases, country, source, added_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, aliases = excluded.aliases, "
        "country = excluded.country, source = excluded.source, added_at = excluded.added_at",
        (name, kind, json.dumps(aliases, ensure_ascii=False), country, source, _now()),
    )


def create_entity(store: Store, name: str, kind: str, ref: str | None = None) -> int:
    cur = store.conn.execute("INSERT INTO entities(name, kind, ref) VALUES (?, ?, ?)", (name, kind, ref))
    return int(cur.lastrowid or 0)


def create_incident(store: Store) -> int:
    cur = store.conn.execute("INSERT INTO incidents DEFAULT VALUES")
    return int(cur.lastrowid or 0)


def _insert_statements(store: Store, statements: list[Statement]) -> None:
    store.conn.executemany(
        "INSERT INTO statements(subject, property, value, doc_id, start, end, extractor, confidence) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(s.subject, s.property, s.value, s.doc_id, s.start, s.end, s.extractor, s.confidence) for s in statements],
    )


def _insert_document(store: Store, facts: DocumentFacts) -> None:
    doc = facts.document
    store.conn.execute(
        "INSERT INTO documents(id, name, format, title, published, published_basis, encoding, n_bytes, text, "
        "ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc.id,
            doc.name,
            doc.format,
            doc.title,
            doc.published,
            doc.published_basis,
            doc.encoding,
            doc.n_bytes,
            doc.text,
            _now(),
        ),
    )
    store.conn.executemany(
        "INSERT INTO sentences(doc_id, idx, start, end) VALUES (?, ?, ?, ?)",
        [(doc.id, i, s.start, s.end) for i, s in enumerate(facts.sentences)],
    )
    if doc.published:
        subject = f"document:{doc.id}"
        basis = doc.published_basis or "unknown"
        _insert_statements(store, [Statement(subject, "published", doc.published, doc.id, None, None, basis, 1.0)])


def _insert_entities(
    store: Store, facts: DocumentFacts, entity_ids: Mapping[str, int], link_reasons: Mapping[str, str]
) -> None:
    doc_id = facts.document.id
    statements: list[Statement] = []
    first_mention: dict[str, Mention] = {}
    for mention in facts.mentions:
        first_mention.setdefault(mention.entity, mention)
        store.conn.execute(
            "INSERT INTO mentions(doc_id, entity_id, start, end, text, label) VALUES (?, ?, ?, ?, ?, ?)",
            (doc_id, entity_ids[mention.entity], mention.start, mention.end, mention.text, mention.label),
        )
    cited_by = _first_citations(facts)
    for entity in facts.entities:
        gid = entity_ids[entity.id]
        store.conn.executemany(
            "INSERT INTO aliases(entity_id, alias, key, skeleton, doc_id, count) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(entity_id, alias, doc_id) DO UPDATE SET count = count + excluded.count",
            [(gid, alias, entity_key(alias), name_skeleton(alias), doc_id, n) for alias, n in entity.aliases.items()],
        )
        m = first_mention.get(entity.id)
        start, end = (m.start, m.end) if m else cited_by.get(entity.id, (None, None))
        statements.append(Statement(f"entity:{gid}", "name", entity.name, doc_id, start, end, ENTITY_EXTRACTOR, 0.5))
        statements.append(Statement(f"entity:{gid}", "kind", entity.kind, doc_id, start, end, ENTITY_EXTRACTOR, 0.5))
        for why in entity.merges:
            statements.append(Statement(f"entity:{gid}", "merged", why, doc_id, start, end, ALIAS_EXTRACTOR, 0.5))
        if entity.id in link_reasons:
            why = link_reasons[entity.id]
            statements.append(Statement(f"entity:{gid}", "linked", why, doc_id, start, end, RESOLVE_EXTRACTOR, 0.5))
    _insert_statements(store, statements)


def _first_citations(facts: DocumentFacts) -> dict[str, tuple[int | None, int | None]]:
    """Where an entity no words name is first used: a government implied by "Uzbek President ..."
    or by an arrest is cited by the sentence of that relation or event."""
    cited: dict[str, tuple[int | None, int | None]] = {}
    for relation in facts.relations:
        for entity in (relation.subject, relation.object):
            if entity and relation.evidence:
                cited.setdefault(entity, (relation.evidence[0].start, relation.evidence[0].end))
    for event in facts.events:
        span = event.spans.get("perpetrators") or (event.evidence[0] if event.evidence else None)
        for perp in event.perpetrators:
            if perp.entity and span is not None:
                cited.setdefault(perp.entity, (span.start, span.end))
    return cited


def _insert_places(store: Store, facts: DocumentFacts, entity_ids: Mapping[str, int]) -> None:
    """The place chosen for each place entity of the document (its mentions share it)."""
    store.conn.executemany(
        "INSERT OR IGNORE INTO places(doc_id, entity_id, name, country, admin1, lat, lon, geonames_id, precision, "
        "source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                facts.document.id,
                entity_ids[local],
                p.name,
                p.country,
                p.admin1,
                p.lat,
                p.lon,
                p.geonames_id,
                p.precision,
                p.source,
            )
            for local, p in facts.places.items()
            if local in entity_ids
        ],
    )


def _insert_events(
    store: Store, facts: DocumentFacts, entity_ids: Mapping[str, int], incident_ids: Mapping[str, int]
) -> None:
    doc_id = facts.document.id
    for order, event in enumerate(facts.events):
        event_id = f"{doc_id[:12]}-{event.id}"
        store.conn.execute(
            "INSERT INTO events(id, doc_id, incident_id, ord) VALUES (?, ?, ?, ?)",
            (event_id, doc_id, incident_ids[event.id], order),
        )
        store.conn.executemany(
            "INSERT INTO event_evidence(event_id, ord, doc_id, start, end, text) VALUES (?, ?, ?, ?, ?, ?)",
            [(event_id, i, doc_id, s.start, s.end, s.text) for i, s in enumerate(event.evidence)],
        )
        _insert_statements(store, event_statements(event, f"event:{event_id}", doc_id, entity_ids))


def _insert_relations(store: Store, facts: DocumentFacts, entity_ids: Mapping[str, int]) -> None:
    """Relations between entities go to the relations table and, like literal claims (strengths,
    aims), to statements on the subject, with when, how sure and on whose word."""
    doc_id = facts.document.id
    statements: list[Statement] = []
    for rel in facts.relations:
        rel_id = f"{doc_id[:12]}-{rel.id}"
        span = rel.evidence[0]
        subject = entity_ids[rel.subject]
        obj = entity_ids[rel.object] if rel.object else None
        if obj is not None:
            store.conn.execute(
                "INSERT INTO relations(id, doc_id, subject_id, relation, object_id, date, confidence, start, end, "
                "text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (rel_id, doc_id, subject, rel.relation, obj, rel.date, rel.confidence, span.start, span.end, span.text),
            )
        claim = {
            "object": obj, "value": rel.value, "number": rel.number, "date": rel.date, "end_date": rel.end_date,
            "hedged": rel.hedged, "asserted_by": rel.asserted_by, "relation_id": rel_id,
        }  # fmt: skip
        value = json.dumps(claim, ensure_ascii=False)
        statements.append(
            Statement(
                f"entity:{subject}",
                rel.relation,
                value,
                doc_id,
                span.start,
                span.end,
                RELATION_EXTRACTOR,
                rel.confidence,
            )
        )
    _insert_statements(store, statements)


def insert_facts(
    store: Store,
    facts: DocumentFacts,
    entity_ids: Mapping[str, int],
    incident_ids: Mapping[str, int],
    link_reasons: Mapping[str, str] | None = None,
) -> None:
    """Insert a new document and all its facts; entity and incident ids (and why an entity was
    linked to an existing one) come from ``resolve``."""
    store.claim()
    _insert_document(store, facts)
    _insert_entities(store, facts, entity_ids, link_reasons or {})
    _insert_places(store, facts, entity_ids)
    _insert_events(store, facts, entity_ids, incident_ids)
    _insert_relations(store, facts, entity_ids)
