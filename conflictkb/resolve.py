"""Cross-document resolution: which stored entity a document's entity is, which incident its event.

Runs single-writer, inside the document's transaction, after extraction. Entities link by a
shared alias of the same kind; a person links only by a name of two words or more, never by a
surname alone. Events link to an incident none of whose reports contradicts their date, country or
town, when one report agrees on type, month and country (or, for types that reports of one incident
often differ on, ``merges_with`` in event_types.yaml, month, country and perpetrators); a report
dated only by its year joins only the one incident it can be. Every link is recorded with why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from conflictkb.model import Entity, Event
from conflictkb.names import entity_key, name_skeleton
from conflictkb.store import Store, reader, writer
from conflictkb.translit import variants
from conflictkb.vocab import load_vocab


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


def _conflicts(event: Event, candidate: dict[str, Any]) -> bool:
    """Do two reports say different things about when or where? Dates unequal at the shorter
    precision, two countries, or two different towns or regions."""
    date, other = event.date or "", str(candidate["date"] or "")
    shorter = min(len(date), len(other))
    if date[:shorter] != other[:shorter]:
        return True
    country = event.place.country if event.place else None
    if country and candidate["country"] and country != candidate["country"]:
        return True
    precise = event.place is not None and event.place.precision not in (None, "country")
    return precise and candidate["precision"] not in (None, "country") and event.place.name != candidate["place"]  # type: ignore[union-attr]


def _perpetrators_of(candidate: dict[str, Any]) -> set[int]:
    return {int(x) for x in json.loads(candidate["perpetrators"] or "[]") if x is not None}


# How a report matched a stored one: on the month (or day), or only on the year, which a report
# joins only when it is the one incident it can be.
ON_THE_MONTH, ON_THE_YEAR = "type, date and country", "type, year, country and a perpetrator or place"


def _same_incident(event: Event, candidate: dict[str, Any], perpetrators: set[int]) -> str | None:
    """Same type (the query's), dates equal at the shorter precision, countries equal where both are
    known, and not two different towns or regions. When one date is only a year, both must name the
    country and either name the same town or region without naming two groups, or share a
    perpetrator with the report vaguer in time no vaguer in place ("the IMU invaded the Batken
    region in 1999" and "seized a village in Kyrgyzstan in August 1999"), or as vague as it in both
    ("killed in a U.S. air strike in Afghanistan in 2001", twice): a report vaguer in both ("the
    IMU's 2000 campaign in Uzbekistan" and a raid on Tashkent) sums up many incidents."""
    if _conflicts(event, candidate):
        return None
    ours, theirs_date = len(event.date or ""), len(str(candidate["date"] or ""))
    if min(ours, theirs_date) >= len("YYYY-MM"):
        return ON_THE_MONTH
    if not (event.place and event.place.country and candidate["country"]):
        return None
    theirs = _perpetrators_of(candidate)
    same_place = event.place.precision not in (None, "country") and event.place.name == candidate["place"]
    if same_place and not (perpetrators and theirs and not perpetrators & theirs):
        return ON_THE_YEAR
    detail = _place_detail(event.place.precision) - _place_detail(candidate["precision"])
    vaguer_in_time = -1 if ours < theirs_date else 1 if ours > theirs_date else 0
    # Vaguer in time and no vaguer in place, or two reports as vague as each other in both.
    fits = (vaguer_in_time and detail * vaguer_in_time <= 0) or (not vaguer_in_time and not detail)
    return ON_THE_YEAR if perpetrators & theirs and fits else None


def _place_detail(precision: str | None) -> int:
    """How precise a place is: a country (or none), a region, a town or anything finer."""
    return {None: 0, "country": 0, "region": 1}.get(precision, 2)


def _same_incident_other_type(event: Event, candidate: dict[str, Any], perpetrators: set[int]) -> str | None:
    """A report typed otherwise ("fighting" for "attacks") is the same incident only when both
    give the month, the country is the same, and neither names a perpetrator the other does not."""
    if min(len(event.date or ""), len(str(candidate["date"] or ""))) < len("YYYY-MM"):
        return None
    if not (event.place and event.place.country and event.place.country == candidate["country"]):
        return None
    theirs = _perpetrators_of(candidate)
    if perpetrators and theirs and perpetrators != theirs:
        return None
    return "month, country and perpetrators" if _same_incident(event, candidate, perpetrators) else None


def _candidates(store: Store, event: Event) -> list[tuple[dict[str, Any], bool]]:
    """Stored reports of the event's year, of its type or of a type it merges with (flagged)."""
    if not event.date:
        return []
    related = (load_vocab().event_types.get(event.type) or {}).get("merges_with") or []
    found = [(c, False) for c in reader.event_keys(store, event.type, event.date[:4])]
    for other in related:
        found += [(c, True) for c in reader.event_keys(store, str(other), event.date[:4])]
    return found


def link_incidents(store: Store, events: list[Event], entities: dict[str, Link] | None = None) -> dict[str, Link]:
    """Local event id -> the incident it reports: an existing one that agrees, or a new one.
    ``entities`` (local entity id -> knowledge-base link) lets perpetrators be compared."""
    links: dict[str, Link] = {}
    for event in events:
        ours = {entities[p.entity].id for p in event.perpetrators if entities and p.entity in entities}
        by_incident: dict[int, list[tuple[dict[str, Any], bool]]] = {}
        for candidate, other_type in _candidates(store, event):
            by_incident.setdefault(int(candidate["incident_id"]), []).append((candidate, other_type))
        matches = [m for m in (_match(event, rs, ours) for rs in by_incident.values()) if m is not None]
        on_the_month = [m for m in matches if m[1] != ON_THE_YEAR]
        # A report that agrees only on the year joins an incident when it is the only one it can be.
        match = on_the_month[0] if on_the_month else matches[0] if len(matches) == 1 else None
        if match is not None:
            first, why = match
            links[event.id] = Link(int(str(first["incident_id"])), f"same {why} as {first['id']}")
        else:
            links[event.id] = Link(writer.create_incident(store), "new")
    return links


def _match(
    event: Event, reports: list[tuple[dict[str, Any], bool]], perpetrators: set[int]
) -> tuple[dict[str, Any], str] | None:
    """The incident's report the event matches, and how; none when any of its reports contradicts
    the event's date or place (a country-level report must not let two towns' events into one) or,
    typed otherwise, names other perpetrators."""
    for candidate, other_type in reports:
        theirs = _perpetrators_of(candidate)
        if _conflicts(event, candidate) or (other_type and perpetrators and theirs and perpetrators != theirs):
            return None
    for candidate, other_type in reports:
        how = (_same_incident_other_type if other_type else _same_incident)(event, candidate, perpetrators)
        if how is not None:
            return candidate, how
    return None
