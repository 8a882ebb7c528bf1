"""Incidents as a GTD-style CSV: the Global Terrorism Database's columns, one row per incident.

Only incidents the GTD would record are written: those of a type with a GTD attack type
(data/event_types.yaml ``gtd``; arrests, trials and foiled plots have none) and with at least
one perpetrator that is not a state actor, or none named (the GTD records non-state violence).
What conflictkb puts in each column, and what it leaves empty, is in docs/exports.md. The GTD's
numeric codes are its codebook's and are written here; three columns of conflictkb's own follow.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

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
from conflictkb.export.tables import safe_cell

COLUMNS = [
    "eventid", "iyear", "imonth", "iday", "approxdate", "extended", "country", "country_txt", "region",
    "region_txt", "provstate", "city", "latitude", "longitude", "specificity", "vicinity", "location", "summary",
    "crit1", "crit2", "crit3", "doubtterr", "multiple", "success", "suicide", "attacktype1", "attacktype1_txt",
    "targtype1", "targtype1_txt", "corp1", "target1", "natlty1_txt", "targtype2", "targtype2_txt", "target2",
    "gname", "gname2", "gname3", "guncertain1", "guncertain2", "guncertain3", "claimed", "weaptype1_txt",
    "weapdetail", "nkill", "nwound", "property", "ishostkid", "nhostkid", "scite1", "scite2", "scite3", "dbsource",
    "conflictkb_incident", "conflictkb_citations", "conflictkb_links",
]  # fmt: skip

# The GTD codebook's numeric codes of its attack types and target types.
ATTACK_CODES = {
    "Assassination": 1, "Armed Assault": 2, "Bombing/Explosion": 3, "Hijacking": 4,
    "Hostage Taking (Barricade Incident)": 5, "Hostage Taking (Kidnapping)": 6,
    "Facility/Infrastructure Attack": 7, "Unarmed Assault": 8, "Unknown": 9,
}  # fmt: skip
TARGET_CODES = {
    "Business": 1, "Government (General)": 2, "Police": 3, "Military": 4, "Abortion Related": 5,
    "Airports & Aircraft": 6, "Government (Diplomatic)": 7, "Educational Institution": 8,
    "Food or Water Supply": 9, "Journalists & Media": 10, "Maritime": 11, "NGO": 12, "Other": 13,
    "Private Citizens & Property": 14, "Religious Figures/Institutions": 15, "Telecommunication": 16,
    "Terrorists/Non-State Militia": 17, "Tourists": 18, "Transportation": 19, "Unknown": 20, "Utilities": 21,
    "Violent Political Party": 22,
}  # fmt: skip
# GTD specificity: 1 the town's own coordinates; 3 a district's centroid; 4 a first-order region's;
# 5 no region known, no coordinates.
SPECIFICITY = {"point": 1, "district": 3, "region": 4, "country": 5}
UNCERTAIN = ("suspected", "blamed")
STATE = "state_actor"


def attack_type(event_type: str) -> str | None:
    """The GTD attack type of one of our event types, or None when the GTD does not record it."""
    value = (event_types().get(event_type) or {}).get("gtd")
    return str(value) if value else None


def recorded(inc: Incident) -> bool:
    """Whether the GTD would record this incident: an attack type, and not only state perpetrators."""
    if attack_type(inc.type) is None:
        return False
    return not inc.perpetrators or any(a.kind != STATE for a in inc.perpetrators)


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


def row(inc: Incident, links: list[str] | None = None) -> dict[str, Any]:
    """The GTD-style row of one incident."""
    year, month, day = _date_parts(inc)
    place = inc.place
    city = provstate = None
    if place is not None:
        provstate = place.admin1
        if place.precision in ("point", "district"):
            city = place.name
        elif place.precision == "region":
            provstate = place.name
    attack = attack_type(inc.type)
    typed = [t for t in inc.targets if t.type]
    gtd_targets = [str((target_types().get(t.type or "") or {}).get("gtd") or "Unknown") for t in typed]
    groups = sorted(inc.perpetrators, key=lambda a: 0 if a.kind != STATE else 1)[:3]
    sites = _scite(inc)
    uncertain = [int(all(x.startswith(UNCERTAIN) for x in a.attributions)) for a in groups]
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
        "specificity": SPECIFICITY.get(place.precision or "", 5) if place else 5,
        "vicinity": None,
        "location": place.name if place and place.precision not in ("point", "district", "region") else None,
        "summary": told,
        "crit1": None, "crit2": None, "crit3": None, "doubtterr": None, "multiple": None, "success": None,
        "suicide": None,
        "attacktype1": ATTACK_CODES.get(attack or ""),
        "attacktype1_txt": attack,
        "targtype1": TARGET_CODES.get(gtd_targets[0]) if gtd_targets else None,
        "targtype1_txt": gtd_targets[0] if gtd_targets else None,
        "corp1": None,
        "target1": typed[0].text if typed else None,
        "natlty1_txt": None,
        "targtype2": TARGET_CODES.get(gtd_targets[1]) if len(gtd_targets) > 1 else None,
        "targtype2_txt": gtd_targets[1] if len(gtd_targets) > 1 else None,
        "target2": typed[1].text if len(typed) > 1 else None,
        "gname": groups[0].name if groups else "Unknown",
        "gname2": groups[1].name if len(groups) > 1 else None,
        "gname3": groups[2].name if len(groups) > 2 else None,
        "guncertain1": uncertain[0] if groups else None,
        "guncertain2": uncertain[1] if len(groups) > 1 else None,
        "guncertain3": uncertain[2] if len(groups) > 2 else None,
        "claimed": 1 if any(x.startswith("claimed") for a in inc.perpetrators for x in a.attributions) else None,
        "weaptype1_txt": None,
        "weapdetail": "; ".join(inc.weapons) or None,
        "nkill": inc.lowest("killed"),
        "nwound": inc.lowest("wounded"),
        "property": None,
        "ishostkid": 1 if inc.type == "kidnapping" or inc.lowest("kidnapped") else None,
        "nhostkid": inc.lowest("kidnapped"),
        "scite1": sites[0] if sites else None,
        "scite2": sites[1] if len(sites) > 1 else None,
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
    table = csv.DictWriter(out, fieldnames=COLUMNS)
    table.writeheader()
    count = 0
    for r in rows(source):
        table.writerow({k: safe_cell(v) for k, v in r.items()})
        count += 1
    return count
