"""The extract contract: the JSON Lines records of ``conflictkb extract`` (docs/schema.md).

A stable shape for other tools and for evaluation; the exporters reuse it so that a record
from the store and a record from ``extract`` read the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from conflictkb.model import DocumentFacts, Entity, Event, Place, Relation, Span


def _evidence(spans: list[Span]) -> list[dict[str, Any]]:
    return [{"text": s.text, "start": s.start, "end": s.end} for s in spans]


def _place(place: Place | None) -> dict[str, Any] | None:
    if place is None:
        return None
    return {k: v for k, v in asdict(place).items() if k not in ("precision", "source", "countries")}


def event_record(event: Event, doc: str) -> dict[str, Any]:
    return {
        "kind": "event",
        "doc": doc,
        "type": event.type,
        "date": event.date,
        "date_precision": event.date_precision,
        "date_text": event.date_text,
        "place": _place(event.place),
        "perpetrators": [{"name": p.name, "attribution": p.attribution} for p in event.perpetrators],
        "targets": [{"text": t.text, "type": t.type} for t in event.targets],
        "victims": [{"text": v.text, "type": v.type} for v in event.victims],
        "weapons": list(event.weapons),
        "killed": event.killed,
        "wounded": event.wounded,
        "kidnapped": event.kidnapped,
        "casualty_text": event.casualty_text,
        "evidence": _evidence(event.evidence),
        "confidence": event.confidence,
    }


def entity_record(entity: Entity, doc: str) -> dict[str, Any]:
    return {
        "kind": "entity",
        "doc": doc,
        "id": entity.id,
        "name": entity.name,
        "type": entity.kind,
        "aliases": list(entity.aliases),
    }


def relation_record(relation: Relation, doc: str, names: Mapping[str, str]) -> dict[str, Any]:
    """A founding keeps its place apart ("place"): its object is the group founded, or null when
    the text names no founder (the subject is then the group)."""
    founded = relation.relation == "founded"
    literal = None if founded else relation.value
    record = {
        "kind": "relation",
        "doc": doc,
        "subject": names.get(relation.subject, relation.subject),
        "relation": relation.relation,
        "object": names.get(relation.object, relation.object) if relation.object else literal,
        "date": relation.date,
        "evidence": _evidence(relation.evidence),
        "hedged": relation.hedged,
        "asserted_by": relation.asserted_by,
    }
    if founded:
        record["place"] = relation.value
    return record


def records(facts: DocumentFacts) -> list[dict[str, Any]]:
    """All records of one document: entities, then events, then relations."""
    doc = facts.document.name
    names = {e.id: e.name for e in facts.entities}
    return (
        [entity_record(e, doc) for e in facts.entities]
        + [event_record(e, doc) for e in facts.events]
        + [relation_record(r, doc, names) for r in facts.relations]
    )
