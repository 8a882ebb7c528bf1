"""Cross-document resolution: which stored entity a document's entity is, which incident its event.

Runs single-writer, inside the document's transaction, after extraction. Entities link by a
shared alias of the same kind; a person links only by a name of two words or more, never by a
surname alone. Events link when type, date and country agree. Every link is recorded with why.
"""

from __future__ import annotations

from dataclasses import dataclass

from conflictkb.model import Entity, Event
from conflictkb.names import entity_key, name_skeleton
from conflictkb.store import Store, reader, writer
from conflictkb.translit import variants


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


def _by_spelling(store: Store, entity: Entity) -> Link | None:
    """An existing entity with a multi-word name spelled differently ("Tohir Yuldeshev" /
    "Tahir Yuldashev"): same skeleton and, for people, letters close enough."""
    names = [a for a in {entity.name, *entity.aliases} if len(a.split()) >= 2]
    skeletons = sorted({name_skeleton(a) for a in names} - {""})
    for row in reader.skeleton_matches(store, skeletons, entity.kind):
        if any(variants(a, row["alias"], person=entity.kind == "person") for a in names):
            return Link(int(row["entity_id"]), f"a spelling of {row['alias']!r} ({row['name']})")
    return None


def link_entity(store: Store, entity: Entity) -> Link:
    """The knowledge-base entity this document's entity is, and why; a new one when none is.

    Same dictionary entry first, then a shared name of the same kind (for people, a full name:
    never a surname alone), then a transliteration of a multi-word name.
    """
    if entity.ref:
        existing = reader.entity_by_ref(store, entity.ref)
        if existing is not None:
            return Link(existing, f"same dictionary entry ({entity.ref})")
    matches = reader.alias_matches(store, _linkable_keys(entity), entity.kind)
    if matches:
        return Link(int(matches[0]["entity_id"]), f"shares {matches[0]['shared']} name(s) of kind {entity.kind}")
    by_spelling = _by_spelling(store, entity)
    if by_spelling is not None:
        return by_spelling
    return Link(writer.create_entity(store, entity.name, entity.kind, entity.ref), "new")


def link_entities(store: Store, entities: list[Entity]) -> dict[str, Link]:
    """Local entity id -> Link to the knowledge-base entity."""
    return {entity.id: link_entity(store, entity) for entity in entities}


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
