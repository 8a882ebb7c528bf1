"""Incidents as a GTD-style CSV: the Global Terrorism Database's columns, one row per incident.

Only incidents the GTD would record are written: those of a type with a GTD attack type
(data/event_types.yaml ``gtd``; arrests, trials and foiled plots have none) and with at least
one perpetrator that is not a state actor, or none named (the GTD records non-state violence).
What conflictkb puts in each column, and what it leaves empty, is in docs/exports.md. The GTD's
numeric codes, and which perpetrators it does not record, are in data/codebooks.yaml
(``codebooks.load_codebooks``); three columns of conflictkb's own follow.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from conflictkb.export.codebooks import Codebooks, GtdCodebook, load_codebooks
from conflictkb.export.incidents import (
    Incident,
    Source,
    citation_lines,
    citation_records,
    country_name,
    event_types,
    incidents,
    links_by_incident,
    summary,
    target_types,
)
from conflictkb.export.tables import write_csv

COLUMNS = [
    "eventid", "iyear", "imonth", "iday", "approxdate", "extended", "country", "country_txt", "region",
    "region_txt", "provstate", "city", "latitude", "longitude", "specificity", "vicinity", "location", "summary",
    "crit1", "crit2", "crit3", "doubtterr", "multiple", "success", "suicide", "attacktype1", "attacktype1_txt",
    "targtype1", "targtype1_txt", "corp1", "target1", "natlty1_txt", "targtype2", "targtype2_txt", "target2",
    "gname", "gname2", "gname3", "guncertain1", "guncertain2", "guncertain3", "claimed", "weaptype1_txt",
    "weapdetail", "nkill", "nwound", "property", "ishostkid", "nhostkid", "scite1", "scite2", "scite3", "dbsource",
    "conflictkb_incident", "conflictkb_citations", "conflictkb_links",
]  # fmt: skip


def attack_type(event_type: str) -> str | None:
    """The GTD attack type of one of our event types, or None when the GTD does not record it."""
    value = (event_types().get(event_type) or {}).get("gtd")
    return str(value) if value else None


def recorded(inc: Incident) -> bool:
    """Whether the GTD would record this incident: an attack type, and not only state perpetrators."""
    if attack_type(inc.type) is None:
        return False
    excluded = load_codebooks().gtd.excluded_perpetrator_kinds
    return not inc.perpetrators or any(a.kind not in excluded for a in inc.perpetrators)


def _date_parts(inc: Incident) -> tuple[int | None, int, int]:
    if not inc.date:
        return None, 0, 0
    parts = [int(p) for p in inc.date.split("-")]
    return parts[0], parts[1] if len(parts) > 1 else 0, parts[2] if len(parts) > 2 else 0


def _scite(inc: Incident) -> list[str]:
    """One citation per document: its title, date and name, and its first evidence sentence."""
    out = []
    for doc_id, meta in inc.documents.items():
        quote = next((c.quote for c in inc.citations if c.doc_id == doc_id), "")
        name = meta.get("name") or doc_id
        head = f'"{meta["title"]}", ' if meta.get("title") else ""
        when = f"{meta['published']}, " if meta.get("published") else ""
        out.append(f'{head}{when}{name}: "{quote}"')
    return out


def _city(inc: Incident) -> tuple[str | None, str | None]:
    """(provstate, city): a town or district is the city; a region is the province itself."""
    place = inc.place
    if place is None:
        return None, None
    if place.precision in ("point", "district"):
        return place.admin1, place.name
    if place.precision == "region":
        return place.name, None
    return place.admin1, None


def _groups(inc: Incident, books: Codebooks) -> tuple[list[str], list[int]]:
    """Up to three perpetrators, non-state first, and for each whether no report holds it firmly
    responsible (guncertain)."""
    excluded = books.gtd.excluded_perpetrator_kinds
    groups = sorted(inc.perpetrators, key=lambda a: 0 if a.kind not in excluded else 1)[:3]
    uncertain = [int(not any(map(books.is_firm, a.attributions))) for a in groups]
    return [a.name for a in groups], uncertain


def _targets(inc: Incident, book: GtdCodebook) -> tuple[list[str], list[str]]:
    """The typed targets' words and GTD target types (data/target_types.yaml ``gtd``)."""
    typed = [t for t in inc.targets if t.type]
    types = [str((target_types().get(t.type or "") or {}).get("gtd") or book.unknown) for t in typed]
    return [t.text for t in typed], types


def _specificity(inc: Incident, book: GtdCodebook) -> int:
    """The GTD's specificity of the place; no place, or one of unknown precision, is coded as a
    country alone (no region known)."""
    country = book.specificity["country"]
    return book.specificity.get(inc.place.precision or "", country) if inc.place else country


def _nth(values: list[Any], n: int) -> Any:
    """The n-th value (0-based) for the numbered columns (gname2, target2 ...), or None."""
    return values[n] if len(values) > n else None


def row(inc: Incident, links: list[str] | None = None) -> dict[str, Any]:
    """The GTD-style row of one incident."""
    books = load_codebooks()
    book = books.gtd
    year, month, day = _date_parts(inc)
    place = inc.place
    provstate, city = _city(inc)
    attack = attack_type(inc.type)
    targets, target_kinds = _targets(inc, book)
    groups, uncertain = _groups(inc, books)
    sites = _scite(inc)
    approx = None if inc.date_precision == "day" else (inc.date_text or inc.date)
    told = (f"{inc.date}: " if inc.date else "") + summary(inc) + " Sources: " + " | ".join(citation_lines(inc))
    return {
        "eventid": f"CKB{inc.id}",
        "iyear": year,
        "imonth": month if year else None,
        "iday": day if year else None,
        "approxdate": approx,
        "extended": None,
        "country": None,
        "country_txt": country_name(inc.country),
        "region": None,
        "region_txt": None,
        "provstate": provstate,
        "city": city,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "specificity": _specificity(inc, book),
        "vicinity": None,
        "location": place.name if place and place.precision not in ("point", "district", "region") else None,
        "summary": told,
        "crit1": None, "crit2": None, "crit3": None, "doubtterr": None, "multiple": None, "success": None,
        "suicide": None,
        "attacktype1": book.attack_types.get(attack or ""),
        "attacktype1_txt": attack,
        "targtype1": book.target_types.get(target_kinds[0]) if target_kinds else None,
        "targtype1_txt": _nth(target_kinds, 0),
        "corp1": None,
        "target1": _nth(targets, 0),
        "natlty1_txt": None,
        "targtype2": book.target_types.get(target_kinds[1]) if len(target_kinds) > 1 else None,
        "targtype2_txt": _nth(target_kinds, 1),
        "target2": _nth(targets, 1),
        "gname": groups[0] if groups else book.unknown,
        "gname2": _nth(groups, 1),
        "gname3": _nth(groups, 2),
        "guncertain1": _nth(uncertain, 0),
        "guncertain2": _nth(uncertain, 1),
        "guncertain3": _nth(uncertain, 2),
        "claimed": 1 if any(x.startswith("claimed") for a in inc.perpetrators for x in a.attributions) else None,
        "weaptype1_txt": None,
        "weapdetail": "; ".join(inc.weapons) or None,
        "nkill": inc.lowest("killed"),
        "nwound": inc.lowest("wounded"),
        "property": None,
        "ishostkid": 1 if attack in book.hostage_attack_types or inc.lowest("kidnapped") else None,
        "nhostkid": inc.lowest("kidnapped"),
        "scite1": _nth(sites, 0),
        "scite2": _nth(sites, 1),
        "scite3": "; ".join(sites[2:]) or None,
        "dbsource": "conflictkb",
        "conflictkb_incident": inc.id,
        "conflictkb_citations": json.dumps(citation_records(inc), ensure_ascii=False),
        "conflictkb_links": "; ".join(links or []) or None,
    }  # fmt: skip


def rows(source: Source) -> Iterator[dict[str, Any]]:
    links = links_by_incident(source)
    for inc in incidents(source):
        if recorded(inc):
            yield row(inc, links.get(inc.id))


def write(source: Source, out: TextIO) -> int:
    return write_csv(rows(source), COLUMNS, out)
