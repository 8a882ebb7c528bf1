"""The notebook API: a knowledge base as pandas DataFrames.

    import conflictkb
    kb = conflictkb.open("kb.sqlite")
    kb.events(type="bombing", country="UZ")    # one row per document's report of an incident
    kb.incidents(perpetrator="IMU")             # one row per incident, its reports combined
    kb.entities(kind="armed_group"); kb.relations(); kb.documents(); kb.statements(property="killed")
    kb.citations("event:<id>")                  # every statement about it, with its quote
    kb.profile("IMU")                           # a group's or person's profile (conflictkb.profiles)
    kb.kb                                       # the KnowledgeBase underneath: lists and model objects

Listings (``events``, ``incidents``, ``entities`` …) return DataFrames; anything else the
KnowledgeBase offers (``event(id)``, ``document(id)``, ``incident(id)``, ``store`` …) is passed
through unchanged. pandas is optional: ``pip install 'conflictkb[pandas]'``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conflictkb.export import incidents as combined
from conflictkb.kb import KnowledgeBase
from conflictkb.names import entity_key
from conflictkb.store import Store, datasets
from conflictkb.store.reader import StoredEvent

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from conflictkb.profile_model import Profile

PANDAS_MISSING = (
    "conflictkb's notebook API returns pandas DataFrames, and pandas is not installed: pip install 'conflictkb[pandas]'"
)

EVENT_COLUMNS = [
    "id", "incident", "doc", "doc_id", "type", "date", "date_precision", "year", "place", "country", "admin1",
    "lat", "lon", "perpetrators", "attributions", "targets", "target_types", "killed", "wounded", "kidnapped",
    "casualty_text", "evidence", "n_evidence", "confidence",
]  # fmt: skip
INCIDENT_COLUMNS = [
    "incident", "type", "date", "date_precision", "year", "place", "place_precision", "country", "admin1", "lat",
    "lon", "perpetrators", "attributions", "killed", "wounded", "kidnapped", "figures", "disagreements",
    "n_reports", "docs", "summary", "links",
]  # fmt: skip
ENTITY_COLUMNS = ["id", "name", "kind", "mentions", "documents", "aliases"]
RELATION_COLUMNS = [
    "id", "doc", "subject_id", "subject", "relation", "object_id", "object", "date", "confidence", "evidence",
]  # fmt: skip
DOCUMENT_COLUMNS = [
    "id", "name", "format", "title", "published", "published_basis", "encoding", "n_bytes", "ingested_at",
    "n_events",
]  # fmt: skip
STATEMENT_COLUMNS = [
    "id", "subject", "property", "value", "doc_id", "doc_name", "start", "end", "extractor", "confidence", "quote",
]  # fmt: skip
CITATION_COLUMNS = ["property", "value", "doc_id", "doc_name", "start", "end", "extractor", "confidence", "quote"]
LINK_COLUMNS = ["incident_id", "dataset", "row_id", "score", "why", "linked_at"]
_INTEGERS = ("year", "killed", "wounded", "kidnapped")


def _frame(rows: Iterable[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(PANDAS_MISSING) from exc
    frame = pd.DataFrame(list(rows), columns=columns)
    for column in _INTEGERS:
        if column in frame.columns:
            frame[column] = frame[column].astype("Int64")
    return frame


def _bounds(date: str) -> tuple[str, str]:
    """The first and last day a partial ISO date covers: "1999-02" -> ("1999-02-01", "1999-02-31")."""
    parts = date.split("-")
    return "-".join([*parts, *["01"] * (3 - len(parts))]), "-".join([*parts, *["31"] * (3 - len(parts))])


def _in_period(date: str | None, since: str | None, until: str | None) -> bool:
    if since is None and until is None:
        return True
    if not date:
        return False
    start, end = _bounds(date)
    return (since is None or end >= _bounds(since)[0]) and (until is None or start <= _bounds(until)[1])


class Notebook:
    """A knowledge base for notebooks: listings as DataFrames, everything else as the KnowledgeBase has it."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.kb = KnowledgeBase(path)

    # --- pass-through --------------------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        return self.kb.store

    def __getattr__(self, name: str) -> Any:
        if name == "kb":  # not set yet: no recursion
            raise AttributeError(name)
        return getattr(self.kb, name)

    def counts(self) -> dict[str, int]:
        return self.kb.counts()

    def close(self) -> None:
        self.kb.close()

    def __enter__(self) -> Notebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        counts = self.kb.counts()
        return (
            f"<conflictkb {self.path}: {counts['documents']} documents, {counts['entities']} entities, "
            f"{counts['events']} events in {counts['incidents']} incidents, {counts['relations']} relations>"
        )

    # --- filters -------------------------------------------------------------------------------------------

    def _perpetrator_ids(self, name: str | None) -> set[int] | None:
        return None if name is None else datasets.entity_ids_named(self.kb.store, name)

    @staticmethod
    def _by(stored: StoredEvent, ids: set[int] | None, name: str | None) -> bool:
        if name is None:
            return True
        key = entity_key(name)
        return any(
            (p.entity is not None and p.entity.isdigit() and int(p.entity) in (ids or set()))
            or entity_key(p.name) == key
            for p in stored.event.perpetrators
        )

    def _reports(
        self,
        type: str | None,  # the column's name reads best
        country: str | None,
        perpetrator: str | None,
        since: str | None,
        until: str | None,
        doc: str | None,
    ) -> list[StoredEvent]:
        ids = self._perpetrator_ids(perpetrator)
        out = []
        for stored in self.kb.events(limit=10**9):
            ev = stored.event
            if type is not None and ev.type != type:
                continue
            if country is not None and (ev.place is None or (ev.place.country or "").upper() != country.upper()):
                continue
            if doc is not None and doc not in (stored.doc_name, stored.doc_id):
                continue
            if not _in_period(ev.date, since, until) or not self._by(stored, ids, perpetrator):
                continue
            out.append(stored)
        return out

    # --- listings --------------------------------------------------------------------------------------------

    def events(
        self,
        type: str | None = None,
        country: str | None = None,
        perpetrator: str | None = None,
        since: str | None = None,
        until: str | None = None,
        doc: str | None = None,
    ) -> pd.DataFrame:
        """One row per document's report of an incident. Filters: event ``type``, ``country`` (ISO
        code), ``perpetrator`` (any name or alias: "IMU"), ``since`` / ``until`` (ISO dates; a report
        dated "1999" is in any period that overlaps 1999), ``doc`` (document name or id)."""
        rows = []
        for s in self._reports(type, country, perpetrator, since, until, doc):
            ev, place = s.event, s.event.place
            rows.append({
                "id": s.id, "incident": s.incident_id, "doc": s.doc_name, "doc_id": s.doc_id, "type": ev.type,
                "date": ev.date, "date_precision": ev.date_precision, "year": int(ev.date[:4]) if ev.date else None,
                "place": place.name if place else None, "country": place.country if place else None,
                "admin1": place.admin1 if place else None, "lat": place.lat if place else None,
                "lon": place.lon if place else None, "perpetrators": [p.name for p in ev.perpetrators],
                "attributions": [p.attribution for p in ev.perpetrators], "targets": [t.text for t in ev.targets],
                "target_types": [t.type for t in ev.targets], "killed": ev.killed, "wounded": ev.wounded,
                "kidnapped": ev.kidnapped, "casualty_text": ev.casualty_text,
                "evidence": ev.evidence[0].text if ev.evidence else None, "n_evidence": len(ev.evidence),
                "confidence": ev.confidence,
            })  # fmt: skip
        return _frame(rows, EVENT_COLUMNS)

    def incidents(
        self,
        type: str | None = None,
        country: str | None = None,
        perpetrator: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> pd.DataFrame:
        """One row per incident, every report of it combined (docs/exports.md): the most precise date
        and place, all perpetrators, the lowest figure of each toll and every figure with its document
        (``figures``). An incident is listed when any of its reports passes the filters."""
        wanted = {s.incident_id for s in self._reports(type, country, perpetrator, since, until, None)}
        reports = [s for s in self.kb.events(limit=10**9) if s.incident_id in wanted]
        links = combined.links_by_incident(self.kb)
        rows = []
        for inc in combined.combine(reports, self.kb):
            place = inc.place
            rows.append({
                "incident": inc.id, "type": inc.type, "date": inc.date, "date_precision": inc.date_precision,
                "year": int(inc.date[:4]) if inc.date else None, "place": place.name if place else None,
                "place_precision": place.precision if place else None, "country": inc.country,
                "admin1": place.admin1 if place else None, "lat": place.lat if place else None,
                "lon": place.lon if place else None, "perpetrators": [a.name for a in inc.perpetrators],
                "attributions": [a.attribution for a in inc.perpetrators],
                **{t: inc.lowest(t) for t in combined.TOLLS},
                "figures": {t: [(f.value, f.doc) for f in inc.figures[t]] for t in combined.TOLLS if inc.figures[t]},
                "disagreements": inc.disagreements(), "n_reports": len(inc.reports), "docs": inc.doc_names,
                "summary": combined.summary(inc), "links": links.get(inc.id, []),
            })  # fmt: skip
        return _frame(rows, INCIDENT_COLUMNS)

    def entities(self, kind: str | None = None) -> pd.DataFrame:
        """Every entity (or those of one ``kind``) with its mention and document counts and aliases."""
        return _frame(self.kb.entities(limit=10**9, kind=kind), ENTITY_COLUMNS)

    def relations(self) -> pd.DataFrame:
        """Every relation with its document and quote (``evidence``)."""
        rows = [
            {**{k: r[k] for k in RELATION_COLUMNS if k in r}, "doc": r["doc_name"], "evidence": r["text"]}
            for r in self.kb.relations(limit=10**9)
        ]
        return _frame(rows, RELATION_COLUMNS)

    def documents(self) -> pd.DataFrame:
        """Every document's metadata (not its text: ``kb.document(id)["text"]``)."""
        return _frame(self.kb.documents(limit=10**9), DOCUMENT_COLUMNS)

    def statements(self, subject: str | None = None, property: str | None = None) -> pd.DataFrame:
        """Every fact as stored, with its quote; optionally of one ``subject`` or ``property``."""
        rows = (
            s
            for s in datasets.all_statements(self.kb.store)
            if (subject is None or s["subject"] == subject) and (property is None or s["property"] == property)
        )
        return _frame(rows, STATEMENT_COLUMNS)

    def citations(self, subject: str) -> pd.DataFrame:
        """Every statement about ``subject`` ("event:<id>", "entity:<id>") with its document and quote."""
        return _frame(self.kb.citations(subject), CITATION_COLUMNS)

    def contradictions(self, incident_id: int) -> pd.DataFrame:
        """The values each report of an incident gives where they differ, side by side, with quotes."""
        rows = [r for rs in self.kb.contradictions(incident_id).values() for r in rs]
        return _frame(rows, ["property", "value", "doc_id", "doc_name", "start", "end", "quote"])

    def links(self, dataset: str | None = None) -> pd.DataFrame:
        """Incidents matched to GTD or ACLED rows (``conflictkb link``), with the score and why."""
        return _frame(datasets.links(self.kb.store, dataset), LINK_COLUMNS)

    def graph(self) -> nx.MultiDiGraph[str]:
        """The actor network as a networkx graph (what ``export gexf`` writes)."""
        from conflictkb.export import graph

        return graph.build(self.kb)

    def profile(self, name: str) -> Profile:
        """The profile of a group or person, by any of its names (``conflictkb.profiles.profile``):
        ``.to_dict()`` for data, ``render_markdown`` for reading; ``UnknownEntity`` suggests close names."""
        from conflictkb.profiles import profile

        return profile(self.kb, name)


def open_notebook(path: str | Path) -> Notebook:
    """Open a knowledge base for a notebook (``conflictkb.open``)."""
    return Notebook(path)
