"""Incidents as an ACLED-style CSV: ACLED's columns, in ACLED's order, one row per incident.

What conflictkb puts in each column, and what it leaves empty, is documented column by column in
docs/exports.md. Types map to ACLED's event_type / sub_event_type through data/event_types.yaml.
ACLED's own fixed codes (disorder types, actor type codes, precision codes) are its codebook's
and are written here; three columns of conflictkb's own follow ACLED's with the citations.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO

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
from conflictkb.export.tables import safe_cell

COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
    "conflictkb_incident", "conflictkb_citations", "conflictkb_links",
]  # fmt: skip

# ACLED's codebook: the disorder type of each event type.
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence; Demonstrations",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
# ACLED's actor type codes (inter1, inter2) for our entity kinds: 1 state forces, 2 rebel groups;
# 7 civilians is used for actor2 when the targets are civilians.
INTER = {"state_actor": 1, "armed_group": 2}
CIVILIANS = 7
# ACLED time_precision: 1 the day is known; 3 only the month (a year alone is coded 3 too, and tagged).
TIME_PRECISION = {"day": 1, "month": 3, "year": 3}
# ACLED geo_precision: 1 the town itself; 2 a part of a region or a district; 3 a larger region.
GEO_PRECISION = {"point": 1, "district": 2, "region": 3, "country": 3}
# Our target types that are armed: an "attack" on them is a battle in ACLED's terms, not violence
# against civilians; "civilians" is the target type of private citizens (data/target_types.yaml).
ARMED_TARGETS = {"military", "police", "terrorists"}
CIVILIAN_TARGETS = {"civilians"}
# Attributions by which a report holds an actor responsible (the others are suspicions).
FIRM = ("stated", "claimed")


def _ranked(actors: list[Actor]) -> list[Actor]:
    """Actors whose responsibility a report states or that claimed it, before suspected ones."""
    return sorted(actors, key=lambda a: 0 if any(x.startswith(FIRM) for x in a.attributions) else 1)


def _acled_type(inc: Incident) -> tuple[str, str]:
    mapping = (event_types().get(inc.type) or {}).get("acled") or {}
    event_type = str(mapping.get("event_type") or "Strategic developments")
    sub_event_type = str(mapping.get("sub_event_type") or "Other")
    target_types = {t.type for t in inc.targets if t.type}
    if event_type == "Violence against civilians" and target_types and target_types <= ARMED_TARGETS:
        return "Battles", "Armed clash"  # ACLED: violence against civilians needs civilian victims
    return event_type, sub_event_type


def _timestamp(inc: Incident) -> int | None:
    stamps = [d.get("ingested_at") for d in inc.documents.values() if d.get("ingested_at")]
    if not stamps:
        return None
    try:
        return int(max(datetime.fromisoformat(str(s)) for s in stamps).timestamp())
    except ValueError:
        return None


def row(inc: Incident, links: list[str] | None = None) -> dict[str, Any]:
    """The ACLED-style row of one incident."""
    event_type, sub_event_type = _acled_type(inc)
    disorder = DISORDER.get(event_type, "Strategic developments")
    country = country_name(inc.country)
    actors = _ranked(inc.perpetrators)
    if actors:
        actor1: str | None = actors[0].name
        inter1 = INTER.get(actors[0].kind or "")
    elif disorder.startswith("Political violence"):
        actor1 = f"Unidentified Armed Group ({country})" if country else "Unidentified Armed Group"
        inter1 = None  # an unidentified group's type is unknown
    else:
        actor1, inter1 = None, None
    assoc1 = actors[1:]
    actor2: str | None = None
    inter2: int | None = None
    assoc2: list[str] = []
    # Targets the extractor typed (data/target_types.yaml); untyped ones are words, not actors.
    typed = [t for t in inc.targets if t.type]
    civilian = any(t.type in CIVILIAN_TARGETS for t in typed)
    if event_type == "Battles" and len(assoc1) >= 1 and inc.type == "clash":
        actor2, inter2, assoc1 = assoc1[0].name, INTER.get(assoc1[0].kind or ""), assoc1[1:]
    elif civilian:
        actor2, inter2 = (f"Civilians ({country})" if country else "Civilians"), CIVILIANS
        assoc2 = [t.text for t in typed if t.type not in CIVILIAN_TARGETS]
    elif typed:
        actor2, assoc2 = typed[0].text, [t.text for t in typed[1:]]
    interaction = int("".join(sorted(f"{inter1}{inter2}"))) if inter1 and inter2 else None
    tags = []
    if inc.date_precision == "year":
        tags.append("date known to the year only")
    if any(not any(x.startswith(FIRM) for x in a.attributions) for a in actors):
        tags.append("perpetrator suspected or blamed, not stated")
    tags.extend(f"reports disagree on {t}" for t in inc.disagreements())
    place = inc.place
    return {
        "event_id_cnty": f"CKB{inc.id}",
        "event_date": period_start(inc.date),
        "year": int(inc.date[:4]) if inc.date else None,
        "time_precision": TIME_PRECISION.get(inc.date_precision or ""),
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": actor1,
        "assoc_actor_1": "; ".join(a.name for a in assoc1) or None,
        "inter1": inter1,
        "actor2": actor2,
        "assoc_actor_2": "; ".join(assoc2) or None,
        "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if civilian else None,
        "iso": iso_numeric(inc.country),
        "region": None,
        "country": country,
        "admin1": place.admin1 if place else None,
        "admin2": None,
        "admin3": None,
        "location": place.name if place else None,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "geo_precision": GEO_PRECISION.get(place.precision or "") if place else None,
        "source": "; ".join(inc.doc_names),
        "source_scale": None,
        "notes": summary(inc) + " Sources: " + " | ".join(citation_lines(inc)),
        "fatalities": inc.lowest("killed") or 0,
        "tags": "; ".join(tags) or None,
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
    table = csv.DictWriter(out, fieldnames=COLUMNS)
    table.writeheader()
    count = 0
    for r in rows(source):
        table.writerow({k: safe_cell(v) for k, v in r.items()})
        count += 1
    return count
