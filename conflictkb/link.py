"""Linking the knowledge base's incidents to rows of a GTD or ACLED file the user has.

Each incident (its reports combined, as in the exports) is compared with the file's rows of the
same year. The comparison is a declared, weighted score (``WEIGHTS``) whose every part says why:

- date (0.35): the same day scores fully, a day or three apart less, the same month or year less
  again; dates that cannot both hold (other months, more than a week apart) rule the row out;
- country (0.15): the same country; two different countries rule the row out;
- place (0.15): the same place name (city, province, location, admin areas), or coordinates
  within 25 km (half within 100 km);
- perpetrator (0.20): one of the incident's perpetrators under any name the documents use for it
  ("IMU") is the row's group or actor ("Islamic Movement of Uzbekistan (IMU)");
- toll (0.10): the same number killed (or, when either side has none, wounded) as any report
  states; half when close;
- type (0.05): the row's attack or event type is the incident's type's mapping
  (data/event_types.yaml).

A row is linked to the incident it scores best with, when that score reaches the threshold
(``THRESHOLD``); an incident may be linked to several rows (the GTD often records one attack on
several targets as several rows). Undated incidents are never linked.
"""

from __future__ import annotations

import codecs
import csv
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from conflictkb.export.incidents import Incident, Source, country_name, event_types, incidents, knowledge_base
from conflictkb.names import entity_key
from conflictkb.store import datasets
from conflictkb.store.datasets import Link

DATASETS = ("gtd", "acled")
LABELS = {"gtd": "GTD", "acled": "ACLED"}
THRESHOLD = 0.6
WEIGHTS = {"date": 0.35, "country": 0.15, "place": 0.15, "perpetrator": 0.20, "toll": 0.10, "type": 0.05}
NEAR_KM, AROUND_KM = 25.0, 100.0
FUZZY = 90  # rapidfuzz score (0-100) above which two names are one
# How a dataset says it does not know who did it.
UNKNOWN_ACTORS = ("unknown", "unidentified", "unknown armed group")
REQUIRED = {"gtd": ("eventid", "iyear"), "acled": ("event_id_cnty", "event_date")}
_ACLED_DATES = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y", "%d/%m/%Y", "%Y/%m/%d")


class DatasetError(ValueError):
    """A file that is not a GTD or ACLED export; the message says what is missing."""


@dataclass(frozen=True, slots=True)
class Row:
    """One row of an external dataset, in the terms the comparison needs."""

    dataset: str
    id: str
    date: str | None  # ISO, as precise as the row knows
    precision: str | None  # day | month | year
    country: str | None  # ISO 3166-1 alpha-2, when the country's name is known
    country_txt: str | None
    places: tuple[str, ...]
    lat: float | None
    lon: float | None
    actors: tuple[str, ...]
    killed: int | None
    wounded: int | None
    kidnapped: int | None
    types: tuple[str, ...]  # GTD attack type; ACLED event type and sub-event type

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    @property
    def known_actors(self) -> list[str]:
        return [a for a in self.actors if not a.casefold().startswith(UNKNOWN_ACTORS)]


@dataclass
class Match:
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


# --- reading the files -----------------------------------------------------------------------------------------


def _encoding(path: Path) -> str:
    """utf-8 when the whole file decodes as it, else cp1252 (the GTD's CSV is not UTF-8), else latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as f:
                while chunk := f.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def _int(value: str | None) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return int(number) if number >= 0 and not math.isnan(number) else None


def _float(value: str | None) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return None if math.isnan(number) else number


def _names(*values: str | None) -> tuple[str, ...]:
    """Actor or place names; "Islamic Movement of Uzbekistan (IMU)" and "IMU: Islamic Movement of
    Uzbekistan" also yield "IMU" and the full name."""
    out: list[str] = []
    for value in values:
        for part in (value or "").split(";"):
            part = part.strip()
            if not part:
                continue
            out.append(part)
            if ": " in part:  # ACLED: "JNIM: Jamaah Nusrat al-Islam wal Muslimin"
                out.extend(x.strip() for x in part.split(": ", 1) if x.strip())
            if "(" in part and part.endswith(")"):
                head, _, inner = part[:-1].partition("(")
                out.extend(x for x in (head.strip(), inner.strip()) if x)
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    """Country names, lower case -> ISO code (data/countries.yaml)."""
    from conflictkb.actors import load_dictionary

    return load_dictionary().country_by_name()


def _country(name: str | None) -> str | None:
    return _country_codes().get(name.strip().casefold()) if name else None


def _gtd_row(r: dict[str, str]) -> Row:
    year, month, day = _int(r.get("iyear")), _int(r.get("imonth")) or 0, _int(r.get("iday")) or 0
    if year is None:
        when, precision = None, None
    elif month and day:
        when, precision = f"{year:04d}-{month:02d}-{day:02d}", "day"
    elif month:
        when, precision = f"{year:04d}-{month:02d}", "month"
    else:
        when, precision = f"{year:04d}", "year"
    return Row(
        dataset="gtd", id=r["eventid"].strip(), date=when, precision=precision,
        country=_country(r.get("country_txt")), country_txt=r.get("country_txt") or None,
        places=_names(r.get("city"), r.get("provstate"), r.get("location")),
        lat=_float(r.get("latitude")), lon=_float(r.get("longitude")),
        actors=_names(r.get("gname"), r.get("gname2"), r.get("gname3")),
        killed=_int(r.get("nkill")), wounded=_int(r.get("nwound")), kidnapped=_int(r.get("nhostkid")),
        types=tuple(t for t in (r.get("attacktype1_txt"), r.get("attacktype2_txt")) if t),
    )  # fmt: skip


def _acled_date(value: str) -> date | None:
    for pattern in _ACLED_DATES:
        try:
            return datetime.strptime(value.strip(), pattern).date()  # a calendar date: no time zone
        except ValueError:
            continue
    return None


def _acled_row(r: dict[str, str]) -> Row:
    day = _acled_date(r.get("event_date") or "")
    precision = {1: "day", 2: "day", 3: "month"}.get(_int(r.get("time_precision")) or 1, "day")
    when = None if day is None else (day.isoformat() if precision == "day" else day.isoformat()[:7])
    return Row(
        dataset="acled", id=r["event_id_cnty"].strip(), date=when, precision=precision if when else None,
        country=_country(r.get("country")), country_txt=r.get("country") or None,
        places=_names(r.get("location"), r.get("admin3"), r.get("admin2"), r.get("admin1")),
        lat=_float(r.get("latitude")), lon=_float(r.get("longitude")),
        actors=_names(r.get("actor1"), r.get("assoc_actor_1"), r.get("actor2"), r.get("assoc_actor_2")),
        killed=_int(r.get("fatalities")), wounded=None, kidnapped=None,
        types=tuple(t for t in (r.get("event_type"), r.get("sub_event_type")) if t),
    )  # fmt: skip


def read_rows(path: Path, dataset: str) -> Iterator[Row]:
    """The rows of a GTD or ACLED CSV export (column names in any case)."""
    if dataset not in DATASETS:
        raise DatasetError(f"unknown dataset {dataset!r}: choose one of {', '.join(DATASETS)}")
    try:
        encoding = _encoding(path)
        f = path.open(encoding=encoding, newline="")
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from exc
    with f:
        reader = csv.DictReader(f)
        header = [h.strip().lower() for h in reader.fieldnames or []]
        missing = [c for c in REQUIRED[dataset] if c not in header]
        if missing:
            raise DatasetError(f"{path} is not a {LABELS[dataset]} CSV export: it has no column {', '.join(missing)}")
        parse = _gtd_row if dataset == "gtd" else _acled_row
        for raw in reader:
            row = {k.strip().lower(): (v or "") for k, v in raw.items() if k is not None and isinstance(v, str)}
            if row.get(REQUIRED[dataset][0], "").strip():
                yield parse(row)


# --- the score -------------------------------------------------------------------------------------------------


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _date(inc: Incident, row: Row) -> tuple[float, str] | None:
    """How well the dates agree (0-1, why), or None when they cannot both hold."""
    ours, theirs = inc.date or "", row.date or ""
    if not ours or not theirs or ours[:4] != theirs[:4]:
        return None
    if inc.date_precision == "year" or row.precision == "year":
        return 0.3, f"same year ({ours[:4]})"
    if ours[:7] != theirs[:7]:
        a, b = _day(ours), _day(theirs)
        if a and b and abs((a - b).days) <= 7:
            return 0.2, f"{abs((a - b).days)} days apart ({ours} / {theirs})"
        return None
    if inc.date_precision == "month" or row.precision == "month":
        return 0.6, f"same month ({ours[:7]})"
    a, b = _day(ours), _day(theirs)
    if a is None or b is None:
        return 0.6, f"same month ({ours[:7]})"
    apart = abs((a - b).days)
    if apart == 0:
        return 1.0, f"same day ({ours})"
    if apart <= 1:
        return 0.8, f"a day apart ({ours} / {theirs})"
    if apart <= 3:
        return 0.5, f"{apart} days apart ({ours} / {theirs})"
    if apart <= 7:
        return 0.2, f"{apart} days apart ({ours} / {theirs})"
    return None


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, q1, p2, q2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((q2 - q1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _place(inc: Incident, row: Row) -> tuple[float, str]:
    place = inc.place
    if place is None:
        return 0.0, ""
    ours = entity_key(place.name)
    for name in row.places:
        theirs = entity_key(name)
        if theirs and (theirs == ours or (len(ours) > 3 and fuzz.ratio(ours, theirs) >= FUZZY)):
            return 1.0, f"same place ({place.name} / {name})"
    if None not in (place.lat, place.lon, row.lat, row.lon):
        km = _km(float(place.lat), float(place.lon), float(row.lat), float(row.lon))  # type: ignore[arg-type]
        if km <= NEAR_KM:
            return 1.0, f"{km:.0f} km apart"
        if km <= AROUND_KM:
            return 0.5, f"{km:.0f} km apart"
    return 0.0, ""


def _perpetrator(inc: Incident, row: Row, names: dict[int, set[str]]) -> tuple[float, str]:
    theirs = {entity_key(a): a for a in row.known_actors}
    best = (0.0, "")
    for actor in inc.perpetrators:
        ours = {entity_key(actor.name)} | (names.get(actor.entity_id, set()) if actor.entity_id is not None else set())
        for key, shown in theirs.items():
            if key in ours:
                return 1.0, f"perpetrator {actor.name} ({shown})"
            if len(key) > 5 and any(len(k) > 5 and fuzz.token_sort_ratio(k, key) >= FUZZY for k in ours):
                best = max(best, (0.8, f"perpetrator {actor.name} ~ {shown}"))
    return best


def _toll(inc: Incident, row: Row) -> tuple[float, str]:
    for toll, theirs in (("killed", row.killed), ("wounded", row.wounded)):
        ours = [f.value for f in inc.figures[toll]]
        if theirs is None or not ours:
            continue
        if theirs in ours:
            return 1.0, f"{toll} {theirs}"
        close = min(ours, key=lambda v: abs(v - theirs))
        if abs(close - theirs) <= max(2, 0.2 * max(close, theirs)):
            return 0.5, f"{toll} close ({close} / {theirs})"
        return 0.0, ""
    return 0.0, ""


def _type(inc: Incident, row: Row) -> tuple[float, str]:
    mapping = event_types().get(inc.type) or {}
    if row.dataset == "gtd":
        wanted = {str(mapping.get("gtd") or "")}
    else:
        acled = mapping.get("acled") or {}
        wanted = {str(acled.get("event_type") or ""), str(acled.get("sub_event_type") or "")}
    hits = [t for t in row.types if t in wanted and t]
    return (1.0, f"type {hits[0]}") if hits else (0.0, "")


def score(inc: Incident, row: Row, names: dict[int, set[str]]) -> tuple[float, list[str]] | None:
    """The weighted score of ``row`` as a record of ``inc`` and why; None when they cannot be one."""
    dated = _date(inc, row)
    if dated is None:
        return None
    if inc.country and row.country and inc.country.upper() != row.country.upper():
        return None
    parts: dict[str, tuple[float, str]] = {
        "date": dated,
        "country": (1.0, f"same country ({row.country_txt})") if inc.country and row.country else (0.0, ""),
        "place": _place(inc, row),
        "perpetrator": _perpetrator(inc, row, names),
        "toll": _toll(inc, row),
        "type": _type(inc, row),
    }
    total = sum(WEIGHTS[k] * v for k, (v, _) in parts.items())
    why = [f"{text} +{WEIGHTS[k] * v:.2f}" for k, (v, text) in parts.items() if v > 0 and text]
    return total, why


# --- linking -------------------------------------------------------------------------------------------------


def _alias_keys(source: Source) -> dict[int, set[str]]:
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


def match(source: Source, path: Path, dataset: str, threshold: float = THRESHOLD) -> Report:
    """Compare every incident with every row of the file; return what matched and what did not."""
    found = [i for i in incidents(source) if i.reports]
    names = _alias_keys(source)
    by_year: dict[int, list[Incident]] = defaultdict(list)
    for inc in found:
        if inc.date:
            by_year[int(inc.date[:4])].append(inc)
    countries = {i.country.upper() for i in found if i.country}
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
        candidates = by_year.get(row.year, [])
        if not candidates or (row.country and countries and row.country.upper() not in countries):
            continue
        report.rows_in_scope += 1
        top: tuple[int, Match] | None = None
        for inc in candidates:
            scored = score(inc, row, names)
            if scored is not None and scored[0] >= threshold and (top is None or scored[0] > top[1].score):
                top = (inc.id, Match(row, scored[0], scored[1]))
        if top is None:
            report.unmatched_rows += 1
        else:
            best[row.id] = top
    for incident_id, m in best.values():
        report.matches.setdefault(incident_id, []).append(m)
    for ms in report.matches.values():
        ms.sort(key=lambda m: -m.score)
    report.years = (min(years), max(years)) if years else None
    for inc in found:
        if inc.id in report.matches:
            continue
        in_years = report.years is not None and inc.date and report.years[0] <= int(inc.date[:4]) <= report.years[1]
        in_countries = not inc.country or not file_countries or inc.country.upper() in file_countries
        if in_years and in_countries and _covered(inc, dataset):
            report.new.append(inc)
        else:
            report.outside.append(inc)
    return report


def link(source: Source, store_path: Path, path: Path, dataset: str, threshold: float = THRESHOLD) -> Report:
    """Match the file's rows and store the links in the knowledge base (``dataset_links``): earlier
    links to the rows of this file are replaced."""
    from conflictkb.store import Store

    report = match(source, path, dataset, threshold)
    with Store(store_path) as store:
        report.written, report.removed = datasets.replace_links(store, dataset, report.row_ids, report.links)
    return report


# --- what the file holds and what the documents add ----------------------------------------------------------


def comparison(inc: Incident, row: Row) -> tuple[list[str], list[str]]:
    """(what the documents add to the row, what the row adds to the documents)."""
    label = LABELS[row.dataset]
    add: list[str] = []
    has: list[str] = []
    if inc.perpetrators and not row.known_actors:
        add.append(f"perpetrator {', '.join(a.name for a in inc.perpetrators)} ({label}: unknown)")
    elif row.known_actors and not inc.perpetrators:
        has.append(f"perpetrator {row.known_actors[0]}")
    if inc.date_precision == "day" and row.precision != "day":
        add.append(f"the day, {inc.date} ({label}: {row.date})")
    elif row.precision == "day" and inc.date_precision != "day":
        has.append(f"the day, {row.date}")
    for toll, theirs in (("killed", row.killed), ("wounded", row.wounded), ("kidnapped", row.kidnapped)):
        figures = inc.figures[toll]
        if figures and theirs is None:
            add.append(f"{toll} {', '.join(f'{f.value} ({f.doc})' for f in figures)} ({label}: no figure)")
        elif figures and theirs not in {f.value for f in figures}:
            add.append(
                f"{toll}: the documents say {', '.join(f'{f.value} ({f.doc})' for f in figures)}, {label} {theirs}"
            )
        elif theirs is not None and not figures:
            has.append(f"{toll} {theirs}")
    if inc.place and row.places and inc.place.precision in ("country", None):
        has.append(f"the place, {row.places[0]}")
    elif inc.place and not row.places and inc.place.precision in ("point", "district"):
        add.append(f"the place, {inc.place.name}")
    quotes = len(inc.citations)
    add.append(f"{len(inc.doc_names)} document(s) with {quotes} quote(s): {', '.join(inc.doc_names)}")
    return add, has


def describe(inc: Incident) -> str:
    where = "no place"
    if inc.place:
        where = ("at " if inc.place.precision in ("point", "district") else "in ") + inc.place.name
        if inc.country and country_name(inc.country) != inc.place.name:
            where += f", {inc.country}"
    who = "; ".join(a.name for a in inc.perpetrators) or "no perpetrator named"
    return f"incident {inc.id}: {inc.type} {inc.date or 'undated'} {where}, by {who}"


def lines(report: Report) -> Iterator[str]:
    """The report as text: what matched and why, what the file holds, what is new in the documents."""
    label = LABELS[report.dataset]
    span = f"{report.years[0]}-{report.years[1]}" if report.years else "no dated rows"
    yield (
        f"{label} file {report.path.name}: {report.rows} rows ({span}); "
        f"{report.rows_in_scope} in the years and countries of the knowledge base's incidents"
    )
    n_rows = sum(len(ms) for ms in report.matches.values())
    yield f"linked: {len(report.matches)} incidents to {n_rows} {label} rows (stored in dataset_links)"
    for incident_id in sorted(report.matches):
        inc = report.incidents[incident_id]
        yield f"  {describe(inc)}"
        for m in report.matches[incident_id]:
            yield f"    = {label} {m.row.id} (score {m.score:.2f}: {'; '.join(m.why)})"
            add, has = comparison(inc, m.row)
            if has:
                yield f"      {label} already holds: {'; '.join(has)}"
            yield f"      new in the documents: {'; '.join(add)}"
    yield f"new in the documents, not in {label}: {len(report.new)} incidents"
    for inc in report.new:
        tolls = inc.toll_lines()
        yield f"  {describe(inc)}" + (f"; {'; '.join(tolls)}" if tolls else "")
    yield (
        f"not compared: {len(report.outside)} incidents undated, outside the file's years or countries"
        + (", or of a kind the GTD does not record" if report.dataset == "gtd" else "")
    )
    yield f"in {label} only: {report.unmatched_rows} rows of those years and countries match no incident"
