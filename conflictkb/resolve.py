"""Cross-document resolution: which stored entity a document's entity is, which incident its event.

Runs single-writer, inside the document's transaction, after extraction. Entities link by a
shared alias of the same kind; a person links only by a name of two words or more, never by a
surname alone. Events link when type, date and country agree. Every link is recorded with why.
"""

from __future__ import annotations

from dataclasses import dataclass

from conflictkb.model import Entity, Event
from conflictkb.names import entity_key
from conflictkb.store import Store, reader, writer


@dataclass(frozen=True, slots=True)
class Link:
    """A local id's knowledge-base id, and why (``new`` or the evidence for the merge)."""

    id: int
    why: str


def _linkable_keys(entity: Entity) -> list[str]:
    keys = sorted({entity_key(a) for a in entity.aliases} | {entity_key(entity.name)})
    if entity.kind == "person":
        keys = [k for k in keys if len(k.split()) >= 2]
    return [k for k in keys if k]


def link_entities(store: Store, entities: list[Entity]) -> dict[str, Link]:
    """Local entity id -> Link to an existing entity sharing an alias, or to a new one."""
    links: dict[str, Link] = {}
    for entity in entities:
        keys = _linkable_keys(entity)
        matches = reader.alias_matches(store, keys, entity.kind)
        if matches:
            links[entity.id] = Link(
                int(matches[0]["entity_id"]), f"shares {matches[0]['shared']} alias(es) of kind {entity.kind}"
            )
        else:
            links[entity.id] = Link(writer.create_entity(store, entity.name, entity.kind), "new")
    return links


def _same_incident(event: Event, candidate: dict[str, object]) -> bool:
    """Dates equal at the shorter precision (at least a month), countries equal where both known."""
    date, other = event.date or "", str(candidate["date"] or "")
    shorter = min(len(date), len(other))
    if shorter < len("YYYY-MM") or date[:shorter] != other[:shorter]:
        return False
    country = event.place.country if event.place else None
    return not (country and candidate["country"] and country != candidate["country"])


def link_incidents(store: Store, events: list[Event]) -> dict[str, Link]:
    """Local event id -> the incident it reports: an existing one that agrees, or a new one."""
    links: dict[str, Link] = {}
    for event in events:
        candidates = reader.event_keys(store, event.type, event.date[:4]) if event.date else []
        match = next((c for c in candidates if _same_incident(event, c)), None)
        if match is not None:
            links[event.id] = Link(int(str(match["incident_id"])), f"same type, date and country as {match['id']}")
        else:
            links[event.id] = Link(writer.create_incident(store), "new")
    return links
