"""Linking the knowledge base's incidents to rows of a GTD or ACLED file the user has.

Each incident (its reports combined, as in the exports) is compared with the file's rows of the
same year and country, by the declared, weighted score of ``link_score`` (features and weights in
``data/link.yaml``: date, country, place, perpetrator, toll, type; each says why). A row is linked
to the incident it scores best with, when that score reaches the threshold; an incident may be
linked to several rows (the GTD often records one attack on several targets as several rows).
Undated incidents are never linked. The links are stored in the knowledge base (``dataset_links``);
``link_rows`` reads the files and ``link_report`` says what matched and what the documents add.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from conflictkb.export.incidents import Incident, Source, incidents, knowledge_base
from conflictkb.link_rows import Row, read_rows
from conflictkb.link_score import Names, Scoring, load_scoring
from conflictkb.names import entity_key
from conflictkb.store import datasets
from conflictkb.store.datasets import Link


@dataclass
class Match:
    """A row linked to an incident: its score and why."""

    row: Row
    score: float
    why: list[str]


@dataclass
class Report:
    """What one file holds next to the knowledge base."""

    dataset: str
    path: Path
    rows: int = 0
    rows_in_scope: int = 0
    years: tuple[int, int] | None = None
    matches: dict[int, list[Match]] = field(default_factory=dict)  # incident id -> rows
    incidents: dict[int, Incident] = field(default_factory=dict)
    new: list[Incident] = field(default_factory=list)  # in the file's scope, no row
    outside: list[Incident] = field(default_factory=list)  # undated, or not what the file covers
    unmatched_rows: int = 0  # rows in the knowledge base's scope with no incident
    row_ids: list[str] = field(default_factory=list)
    written: int = 0
    removed: int = 0

    @property
    def links(self) -> list[Link]:
        return [Link(i, self.dataset, m.row.id, round(m.score, 3), m.why) for i, ms in self.matches.items() for m in ms]


def _alias_keys(source: Source) -> dict[int, set[str]]:
    """Every name key the documents use for each entity, so "IMU" in a report meets the GTD's full name."""
    out: dict[int, set[str]] = defaultdict(set)
    for a in datasets.all_aliases(knowledge_base(source).store):
        out[int(a["entity_id"])].add(entity_key(a["alias"]))
    for eid, e in datasets.all_entities(knowledge_base(source).store).items():
        out[eid].add(entity_key(e["name"]))
    return out


def _covered(inc: Incident, dataset: str) -> bool:
    """Whether the dataset records incidents of this kind at all."""
    if dataset == "gtd":
        from conflictkb.export.gtd import recorded

        return recorded(inc)
    return True


@dataclass
class _Scope:
    """The knowledge base's dated incidents by year, and their countries: the rows worth comparing."""

    by_year: dict[int, list[Incident]]
    countries: set[str]

    @classmethod
    def of(cls, found: list[Incident]) -> _Scope:
        by_year: dict[int, list[Incident]] = defaultdict(list)
        for inc in found:
            if inc.date:
                by_year[int(inc.date[:4])].append(inc)
        return cls(by_year, {i.country.upper() for i in found if i.country})

    def candidates(self, row: Row) -> list[Incident]:
        """The incidents of the row's year, or none when the row's country is not one of theirs."""
        if row.year is None or (row.country and self.countries and row.country.upper() not in self.countries):
            return []
        return self.by_year.get(row.year, [])


def _best(
    row: Row, candidates: list[Incident], names: Names, scoring: Scoring, threshold: float
) -> tuple[int, Match] | None:
    """The incident the row scores best with and the match, when it reaches the threshold (the first
    of equal scores)."""
    top: tuple[int, Match] | None = None
    for inc in candidates:
        scored = scoring.score(inc, row, names)
        if scored is not None and scored[0] >= threshold and (top is None or scored[0] > top[1].score):
            top = (inc.id, Match(row, scored[0], scored[1]))
    return top


def _sort_out(report: Report, found: list[Incident], countries: set[str]) -> None:
    """Incidents without a row: new in the documents when the file covers their year, country and
    kind; otherwise outside what the file could hold."""
    for inc in found:
        if inc.id in report.matches:
            continue
        in_years = report.years is not None and inc.date and report.years[0] <= int(inc.date[:4]) <= report.years[1]
        in_countries = not inc.country or not countries or inc.country.upper() in countries
        if in_years and in_countries and _covered(inc, report.dataset):
            report.new.append(inc)
        else:
            report.outside.append(inc)


def match(
    source: Source, path: Path, dataset: str, threshold: float | None = None, scoring: Scoring | None = None
) -> Report:
    """Compare every incident with every row of the file; return what matched and what did not.
    ``scoring`` defaults to data/link.yaml's, ``threshold`` to its threshold."""
    scoring = scoring or load_scoring()
    threshold = scoring.threshold if threshold is None else threshold
    found = [i for i in incidents(source) if i.reports]
    names = _alias_keys(source)
    scope = _Scope.of(found)
    report = Report(dataset, path, incidents={i.id: i for i in found})
    years: list[int] = []
    file_countries: set[str] = set()
    best: dict[str, tuple[int, Match]] = {}
    for row in read_rows(path, dataset):
        report.rows += 1
        report.row_ids.append(row.id)
        if row.year is None:
            continue
        years.append(row.year)
        if row.country:
            file_countries.add(row.country.upper())
        candidates = scope.candidates(row)
        if not candidates:
            continue
        report.rows_in_scope += 1
        top = _best(row, candidates, names, scoring, threshold)
        if top is None:
            report.unmatched_rows += 1
        else:
            best[row.id] = top
    for incident_id, m in best.values():
        report.matches.setdefault(incident_id, []).append(m)
    for ms in report.matches.values():
        ms.sort(key=lambda m: -m.score)
    report.years = (min(years), max(years)) if years else None
    _sort_out(report, found, file_countries)
    return report


def link(source: Source, store_path: Path, path: Path, dataset: str, threshold: float | None = None) -> Report:
    """Match the file's rows and store the links in the knowledge base (``dataset_links``): earlier
    links to the rows of this file are replaced."""
    from conflictkb.store import Store

    report = match(source, path, dataset, threshold)
    with Store(store_path) as store:
        report.written, report.removed = datasets.replace_links(store, dataset, report.row_ids, report.links)
    return report
