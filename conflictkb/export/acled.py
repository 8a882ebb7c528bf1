"""Incidents as an ACLED-style CSV: ACLED's columns, in ACLED's order, one row per incident.

What conflictkb puts in each column, and what it leaves empty, is documented column by column in
docs/exports.md. Types map to ACLED's event_type / sub_event_type through data/event_types.yaml;
ACLED's own codes (disorder types, actor type codes, precision codes) and how our types and kinds
meet them are in data/codebooks.yaml (``codebooks.load_codebooks``). Three columns of conflictkb's
own follow ACLED's with the citations.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from conflictkb.export.codebooks import AcledCodebook, Codebooks, load_codebooks
from conflictkb.export.incidents import (
    Actor,
    Incident,
    Source,
    citation_lines,
    citation_records,
    country_name,
    event_types,
    incidents,
    iso_numeric,
    links_by_incident,
    period_start,
    summary,
)
from conflictkb.export.tables import write_csv

COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
    "conflictkb_incident", "conflictkb_citations", "conflictkb_links",
]  # fmt: skip


def _ranked(actors: list[Actor], book: Codebooks) -> list[Actor]:
    """Actors whose responsibility a report states or that claimed it, before suspected ones."""
    return sorted(actors, key=lambda a: 0 if any(map(book.is_firm, a.attributions)) else 1)


def acled_type(inc: Incident, book: AcledCodebook | None = None) -> tuple[str, str]:
    """ACLED's event type and sub-event type of the incident: its type's mapping (event_types.yaml),
    except that violence against armed targets only is, in ACLED's terms, a battle (codebooks.yaml).
    ``link`` compares an ACLED row's types with these."""
    book = book or load_codebooks().acled
    mapping = (event_types().get(inc.type) or {}).get("acled") or {}
    event_type = str(mapping.get("event_type") or book.default_type[0])
    sub_event_type = str(mapping.get("sub_event_type") or book.default_type[1])
    target_types = {t.type for t in inc.targets if t.type}
    if event_type in book.civilian_event_types and target_types and target_types <= book.armed_targets:
        return book.against_armed  # ACLED: violence against civilians needs civilian victims
    return event_type, sub_event_type


def _timestamp(inc: Incident) -> int | None:
    stamps = [d.get("ingested_at") for d in inc.documents.values() if d.get("ingested_at")]
    if not stamps:
        return None
    try:
        return int(max(datetime.fromisoformat(str(s)) for s in stamps).timestamp())
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class _Sides:
    """ACLED's two sides of an event: actor1 and its associates, actor2 and its associates."""

    actor1: str | None = None
    inter1: int | None = None
    assoc1: tuple[str, ...] = ()
    actor2: str | None = None
    inter2: int | None = None
    assoc2: tuple[str, ...] = ()
    civilian: bool = False

    @property
    def interaction(self) -> int | None:
        """ACLED's interaction code: both actor type codes, lowest first (2 and 7 -> 27)."""
        if not (self.inter1 and self.inter2):
            return None
        return int("".join(sorted(f"{self.inter1}{self.inter2}")))


def _actor1(
    actors: list[Actor], disorder: str, country: str | None, book: AcledCodebook
) -> tuple[str | None, int | None]:
    """The first perpetrator and its actor type code; with none named, ACLED's unidentified group in
    political violence (whose type is unknown)."""
    if actors:
        return actors[0].name, book.actor_types.get(actors[0].kind or "")
    if disorder in book.unidentified_disorders:
        return (f"{book.unidentified_actor} ({country})" if country else book.unidentified_actor), None
    return None, None


def _sides(inc: Incident, actors: list[Actor], disorder: str, book: AcledCodebook) -> _Sides:
    """Who acted and who was acted on: perpetrators against each other in a two-sided event, else
    against civilians (when a target is civilian) or the typed targets. Targets the extractor did not
    type (data/target_types.yaml) are words, not actors."""
    country = country_name(inc.country)
    actor1, inter1 = _actor1(actors, disorder, country, book)
    assoc1 = tuple(a.name for a in actors[1:])
    typed = [t for t in inc.targets if t.type]
    civilian = any(t.type in book.civilian_targets for t in typed)
    if inc.type in book.two_sided_types and len(actors) > 1:
        inter2 = book.actor_types.get(actors[1].kind or "")
        return _Sides(actor1, inter1, assoc1[1:], actors[1].name, inter2, civilian=civilian)
    if civilian:
        name = f"{book.civilians_actor} ({country})" if country else book.civilians_actor
        others = tuple(t.text for t in typed if t.type not in book.civilian_targets)
        return _Sides(actor1, inter1, assoc1, name, book.civilians_inter, others, civilian=True)
    if typed:
        return _Sides(actor1, inter1, assoc1, typed[0].text, None, tuple(t.text for t in typed[1:]))
    return _Sides(actor1, inter1, assoc1)


def _tags(inc: Incident, actors: list[Actor], books: Codebooks) -> list[str]:
    """What a reader of the row should know that its codes cannot say."""
    tags = []
    if inc.date_precision == "year":
        tags.append("date known to the year only")
    if any(not any(map(books.is_firm, a.attributions)) for a in actors):
        tags.append("perpetrator suspected or blamed, not stated")
    tags.extend(f"reports disagree on {t}" for t in inc.disagreements())
    return tags


def row(inc: Incident, links: list[str] | None = None) -> dict[str, Any]:
    """The ACLED-style row of one incident."""
    books = load_codebooks()
    book = books.acled
    event_type, sub_event_type = acled_type(inc, book)
    disorder = book.disorder(event_type)
    actors = _ranked(inc.perpetrators, books)
    sides = _sides(inc, actors, disorder, book)
    place = inc.place
    return {
        "event_id_cnty": f"CKB{inc.id}",
        "event_date": period_start(inc.date),
        "year": int(inc.date[:4]) if inc.date else None,
        "time_precision": book.time_precision.get(inc.date_precision or ""),
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": sides.actor1,
        "assoc_actor_1": "; ".join(sides.assoc1) or None,
        "inter1": sides.inter1,
        "actor2": sides.actor2,
        "assoc_actor_2": "; ".join(sides.assoc2) or None,
        "inter2": sides.inter2,
        "interaction": sides.interaction,
        "civilian_targeting": book.civilian_targeting if sides.civilian else None,
        "iso": iso_numeric(inc.country),
        "region": None,
        "country": country_name(inc.country),
        "admin1": place.admin1 if place else None,
        "admin2": None,
        "admin3": None,
        "location": place.name if place else None,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "geo_precision": book.geo_precision.get(place.precision or "") if place else None,
        "source": "; ".join(inc.doc_names),
        "source_scale": None,
        "notes": summary(inc) + " Sources: " + " | ".join(citation_lines(inc)),
        "fatalities": inc.lowest("killed") or 0,
        "tags": "; ".join(_tags(inc, actors, books)) or None,
        "timestamp": _timestamp(inc),
        "conflictkb_incident": inc.id,
        "conflictkb_citations": json.dumps(citation_records(inc), ensure_ascii=False),
        "conflictkb_links": "; ".join(links or []) or None,
    }


def rows(source: Source) -> Iterator[dict[str, Any]]:
    links = links_by_incident(source)
    for inc in incidents(source):
        yield row(inc, links.get(inc.id))


def write(source: Source, out: TextIO) -> int:
    return write_csv(rows(source), COLUMNS, out)
