"""Events as statements and back: the one place that knows how an event is spelled as facts.

Each field of an event becomes one statement with the span it was read from; an event read
from the store is assembled from its statements. Two documents that disagree on a toll are
then two ``killed`` statements of one incident, side by side.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import Any

from conflictkb.model import Event, Perpetrator, Place, Span, Statement, Target

EXTRACTOR = "conflictkb.events"
_SCALARS = ("type", "date", "date_precision", "date_text", "casualty_text")
_COUNTS = ("killed", "wounded", "kidnapped")
# Properties that hold one JSON object each; an event may have several of the list ones.
_LIST_PROPS = {"perpetrator": "perpetrators", "target": "targets", "victim": "victims", "weapon": "weapons"}


def event_statements(event: Event, subject: str, doc_id: str, entity_ids: Mapping[str, int]) -> list[Statement]:
    """Every field of ``event`` as a statement; local entity ids become knowledge-base ids."""
    out: list[Statement] = []

    def add(prop: str, value: str, span_key: str) -> None:
        span = event.spans.get(span_key) or event.evidence[0]
        out.append(Statement(subject, prop, value, doc_id, span.start, span.end, EXTRACTOR, event.confidence))

    for name in _SCALARS:
        value = getattr(event, name)
        if value is not None:
            add(name, str(value), name if name != "date_precision" else "date")
    for name in _COUNTS:
        value = getattr(event, name)
        if value is not None:
            add(name, str(value), name)
    if event.place is not None:
        add("place", json.dumps(asdict(event.place)), "place")
    for perp in event.perpetrators:
        linked = entity_ids.get(perp.entity) if perp.entity else None
        add(
            "perpetrator",
            json.dumps({"name": perp.name, "attribution": perp.attribution, "entity": linked}),
            "perpetrators",
        )
    for tgt in event.targets:
        add("target", json.dumps(asdict(tgt)), "targets")
    for victim in event.victims:
        add("victim", json.dumps(asdict(victim)), "victims")
    for weapon in event.weapons:
        add("weapon", json.dumps(weapon), "weapons")
    return out


def _load(prop: str, value: str) -> Any:
    data = json.loads(value)
    if prop == "perpetrator":
        entity = data.get("entity")
        return Perpetrator(data["name"], data["attribution"], str(entity) if entity is not None else None)
    if prop in ("target", "victim"):
        return Target(data["text"], data.get("type"))
    return data


def assemble_event(event_id: str, rows: Iterable[Mapping[str, Any]], evidence: list[Span], doc_text: str = "") -> Event:
    """The Event that a set of statement rows (property, value, start, end, confidence) describe.

    ``doc_text`` is the source document's text, to give each field's span its words.
    """
    event = Event(id=event_id, type="other", evidence=evidence)
    for row in rows:
        prop, value = row["property"], row["value"]
        if row["start"] is not None and prop not in _LIST_PROPS:
            event.spans[prop] = Span(row["start"], row["end"], doc_text[row["start"] : row["end"]])
        event.confidence = float(row["confidence"])
        if prop in _SCALARS:
            setattr(event, prop, value)
        elif prop in _COUNTS:
            setattr(event, prop, int(value))
        elif prop == "place":
            fields = json.loads(value)
            event.place = Place(**{**fields, "countries": tuple(fields.get("countries") or ())})
        elif prop in _LIST_PROPS:
            getattr(event, _LIST_PROPS[prop]).append(_load(prop, value))
    return event
