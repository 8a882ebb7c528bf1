"""The events table, the map, the charts and the overview of the analyst's workbench: events
filtered, sorted and paged from the per-event index (schema version 4), points for the map,
yearly counts, the documents list.

Every value is bound, never formatted into SQL. The only SQL assembled here joins fixed fragments
chosen from whitelists (the filters that are set, the sort column) and runs of "?" placeholders
(the ``noqa: S608`` lines), so no text a user typed can change a query's shape.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from conflictkb.names import entity_key
from conflictkb.store.corrections import latest_corrections
from conflictkb.store.db import Store

# Sort keys a page may ask for: the ORDER BY for ascending and descending, unknown values last.
SORTS = {
    "date": ("x.date ASC NULLS LAST, x.event_id", "x.date DESC, x.event_id DESC"),
    "type": ("x.type ASC NULLS LAST, x.date, x.event_id", "x.type DESC, x.date DESC, x.event_id DESC"),
    "place": ("x.place ASC NULLS LAST, x.event_id", "x.place DESC, x.event_id DESC"),
    "country": ("x.country ASC NULLS LAST, x.date, x.event_id", "x.country DESC, x.date DESC, x.event_id DESC"),
    "killed": ("x.killed ASC NULLS LAST, x.event_id", "x.killed DESC, x.event_id DESC"),
    "wounded": ("x.wounded ASC NULLS LAST, x.event_id", "x.wounded DESC, x.event_id DESC"),
    "document": (
        "(SELECT name FROM documents WHERE id = x.doc_id), x.event_id",
        "(SELECT name FROM documents WHERE id = x.doc_id) DESC, x.event_id DESC",
    ),
}


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What an events page, the map or a chart is restricted to; unset fields do not restrict."""

    actor: str | None = None  # a knowledge-base entity id, or any name of an actor
    type: str | None = None
    country: str | None = None
    date_from: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD, inclusive
    date_to: str | None = None  # inclusive: "2001" takes every date in 2001
    conflicting: bool = False  # only incidents whose reports disagree
    place: str | None = None  # a place's name, as the gazetteer gave it
    doc_id: str | None = None


def actor_ids(store: Store, actor: str) -> list[int]:
    """Entity ids an actor filter names: the id itself, or every entity with that name or alias."""
    if actor.isdigit():
        return [int(actor)] if len(actor) < 19 else []
    rows = store.conn.execute(
        "SELECT DISTINCT entity_id FROM aliases WHERE key = ? "
        "UNION SELECT id FROM entities WHERE name = ? COLLATE NOCASE",
        (entity_key(actor), actor),
    ).fetchall()
    return sorted(int(r[0]) for r in rows)


def _where(store: Store, f: EventFilter) -> tuple[list[str], list[Any]]:
    """The filter as conditions on ``event_index x`` and their values."""
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in (("x.type", f.type), ("x.country", f.country), ("x.place", f.place), ("x.doc_id", f.doc_id)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if f.date_from:
        clauses.append("x.date >= ?")
        params.append(f.date_from)
    if f.date_to:
        clauses.append("x.date <= ?")
        params.append(f.date_to + "\uffff")
    if f.actor:
        ids = actor_ids(store, f.actor)
        marks = ",".join("?" * len(ids))
        by_id = f"SELECT event_id FROM event_actors WHERE entity_id IN ({marks}) UNION " if ids else ""  # noqa: S608
        by_name = "SELECT event_id FROM event_actors WHERE name = ? COLLATE NOCASE"
        clauses.append(f"x.event_id IN ({by_id}{by_name})")
        params.extend([*ids, f.actor])
    if f.conflicting:
        clauses.append("x.incident_id IN (SELECT incident_id FROM incident_conflicts)")
    return clauses, params


_ID_QUERY = "SELECT x.event_id FROM event_index x"


def sql_where(clauses: Iterable[str]) -> str:
    joined = " AND ".join(clauses)
    return f" WHERE {joined}" if joined else ""


def event_rows(store: Store, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The indexed fields of these events, with their document's name, in the order of ``ids``."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        sql = (
            "SELECT x.event_id AS id, x.doc_id, d.name AS doc_name, x.incident_id, x.type, x.date, x.place, "  # noqa: S608
            "x.country, x.lat, x.lon, x.killed, x.wounded, x.kidnapped FROM event_index x "
            f"JOIN documents d ON d.id = x.doc_id WHERE x.event_id IN ({','.join('?' * len(chunk))})"
        )
        found.update((r["id"], dict(r)) for r in store.conn.execute(sql, chunk))
    return [found[i] for i in ids if i in found]


def _count(store: Store, clauses: list[str], params: list[Any]) -> int:
    sql = "SELECT count(*) FROM event_index x" + sql_where(clauses)  # noqa: S608
    return int(store.conn.execute(sql, params).fetchone()[0])


def event_page(
    store: Store, f: EventFilter, sort: str = "date", descending: bool = False, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """One page of events matching ``f`` in the order asked, each with its perpetrators, first
    evidence sentence, whether its incident's reports disagree and its analyst review; and how many
    events match in all. The page's ids come from the event index alone; only they are joined."""
    clauses, params = _where(store, f)
    order = SORTS.get(sort, SORTS["date"])[1 if descending else 0]
    sql = _ID_QUERY + sql_where(clauses) + f" ORDER BY {order} LIMIT ? OFFSET ?"
    ids = [r[0] for r in store.conn.execute(sql, [*params, limit, offset])]
    return _decorate(store, event_rows(store, ids)), _count(store, clauses, params)


def _decorate(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add perpetrators, the first evidence span, the disagreement flag and the review to event rows."""
    if not rows:
        return rows
    ids = [r["id"] for r in rows]
    marks = ",".join("?" * len(ids))
    actors: dict[str, list[dict[str, Any]]] = defaultdict(list)
    actor_sql = f"SELECT event_id, entity_id, name FROM event_actors WHERE event_id IN ({marks}) ORDER BY rowid"  # noqa: S608
    for a in store.conn.execute(actor_sql, ids):
        actors[a["event_id"]].append({"entity_id": a["entity_id"], "name": a["name"]})
    evidence_sql = f"SELECT event_id, start, end, text FROM event_evidence WHERE ord = 0 AND event_id IN ({marks})"  # noqa: S608
    evidence = {r["event_id"]: dict(r) for r in store.conn.execute(evidence_sql, ids)}
    conflicted = conflicted_incidents(store, sorted({r["incident_id"] for r in rows}))
    reviews = latest_corrections(store, [f"event:{i}" for i in ids])
    for r in rows:
        r["perpetrators"] = actors.get(r["id"], [])
        r["evidence"] = evidence.get(r["id"])
        r["conflicting"] = r["incident_id"] in conflicted
        r["review"] = reviews.get(f"event:{r['id']}", {})
    return rows


def conflicted_incidents(store: Store, incident_ids: Sequence[int]) -> set[int]:
    """Which of these incidents have reports that disagree on type, date, place or a toll."""
    found: set[int] = set()
    for start in range(0, len(incident_ids), 500):
        chunk = list(incident_ids[start : start + 500])
        sql = f"SELECT incident_id FROM incident_conflicts WHERE incident_id IN ({','.join('?' * len(chunk))})"  # noqa: S608
        found.update(int(r[0]) for r in store.conn.execute(sql, chunk))
    return found


def event_facets(store: Store) -> dict[str, list[tuple[str, int]]]:
    """The values the event filters offer: types and countries with their counts."""
    types = store.conn.execute(
        "SELECT type, count(*) FROM event_index WHERE type IS NOT NULL GROUP BY type ORDER BY count(*) DESC, type"
    ).fetchall()
    countries = store.conn.execute(
        "SELECT country, count(*) FROM event_index WHERE country IS NOT NULL GROUP BY country ORDER BY country"
    ).fetchall()
    return {"types": [(r[0], r[1]) for r in types], "countries": [(r[0], r[1]) for r in countries]}


def top_actors(store: Store, kind: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
    """The actors held responsible for most events (of one entity kind, or any)."""
    rows = store.conn.execute(
        "SELECT a.entity_id AS id, e.name, e.kind, a.events FROM "
        "(SELECT entity_id, count(DISTINCT event_id) AS events FROM event_actors WHERE entity_id IS NOT NULL "
        " GROUP BY entity_id) a JOIN entities e ON e.id = a.entity_id WHERE (? IS NULL OR e.kind = ?) "
        "ORDER BY a.events DESC, e.name LIMIT ?",
        (kind, kind, limit),
    ).fetchall()
    return [dict(r) for r in rows]


def actor_names(store: Store, limit: int = 200) -> list[str]:
    """Names of the most mentioned actors (not places): suggestions for the actor filter."""
    rows = store.conn.execute(
        "SELECT e.name FROM entity_stats s JOIN entities e ON e.id = s.entity_id WHERE e.kind != 'place' "
        "ORDER BY s.mentions DESC, e.name LIMIT ?",
        (limit,),
    ).fetchall()
    return [r[0] for r in rows]


def overview_counts(store: Store) -> dict[str, int]:
    """What the overview counts: documents, actors and places, events, incidents, relations, reviews."""
    tables = ("documents", "entities", "events", "incidents", "relations", "corrections")
    return {t: int(store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}  # noqa: S608  # fixed table names


def file_problems(store: Store, limit: int = 20) -> tuple[list[dict[str, Any]], int]:
    """Files that failed or were skipped (the first ``limit``, by path), and how many."""
    total = int(store.conn.execute("SELECT count(*) FROM files WHERE status IN ('failed', 'skipped')").fetchone()[0])
    rows = store.conn.execute(
        "SELECT path, status, reason FROM files WHERE status IN ('failed', 'skipped') "
        "ORDER BY status = 'skipped', path LIMIT ?",
        (limit,),
    ).fetchall()
    return [dict(r) for r in rows], total


def yearly_counts(store: Store, entity_id: int | None = None) -> list[tuple[int, int]]:
    """Events per year of their date (every year between the first and the last, zeros included),
    of all events or of those an entity is held responsible for."""
    if entity_id is None:
        rows = store.conn.execute(
            "SELECT substr(date, 1, 4) AS y, count(*) FROM event_index "
            "WHERE substr(date, 1, 4) GLOB '[0-9][0-9][0-9][0-9]' GROUP BY substr(date, 1, 4)"
        ).fetchall()
    else:
        rows = store.conn.execute(
            "SELECT substr(x.date, 1, 4) AS y, count(*) FROM event_index x "
            "WHERE x.event_id IN (SELECT event_id FROM event_actors WHERE entity_id = ?) "
            "AND substr(x.date, 1, 4) GLOB '[0-9][0-9][0-9][0-9]' GROUP BY y",
            (entity_id,),
        ).fetchall()
    found = {int(r[0]): int(r[1]) for r in rows}
    if not found:
        return []
    return [(y, found.get(y, 0)) for y in range(min(found), max(found) + 1)]


def map_points(store: Store, f: EventFilter, limit: int = 5000) -> tuple[list[dict[str, Any]], int, int]:
    """Events with coordinates, one point per place (name, country and coordinates to 0.01°): how
    many events it has, their first and last date, and the event itself when it is alone. At most
    ``limit`` points, the busiest first; also how many points and events there are in all."""
    clauses, params = _where(store, f)
    clauses.append("x.lat IS NOT NULL AND x.lon IS NOT NULL")
    where = sql_where(clauses)
    sql = (
        "SELECT x.place, x.country, round(x.lat, 2) AS lat, round(x.lon, 2) AS lon, count(*) AS n, "  # noqa: S608
        "min(x.date) AS first, max(x.date) AS last, min(x.event_id) AS id, min(x.type) AS type, "
        "max(x.killed) AS killed FROM event_index x" + where + " GROUP BY x.place, x.country, round(x.lat, 2), "
        "round(x.lon, 2) ORDER BY n DESC, x.place"
    )
    rows = [dict(r) for r in store.conn.execute(sql, params)]
    return rows[:limit], len(rows), sum(r["n"] for r in rows)


def events_unmapped(store: Store, f: EventFilter, limit: int = 200) -> tuple[list[dict[str, Any]], int]:
    """Events without coordinates (no place, or a place the gazetteer could not put on the map)."""
    clauses, params = _where(store, f)
    clauses.append("(x.lat IS NULL OR x.lon IS NULL)")
    sql = _ID_QUERY + sql_where(clauses) + f" ORDER BY {SORTS['date'][0]} LIMIT ?"
    ids = [r[0] for r in store.conn.execute(sql, [*params, limit])]
    return event_rows(store, ids), _count(store, clauses, params)


def entity_events(store: Store, entity_id: int, limit: int = 200) -> tuple[list[dict[str, Any]], int]:
    """Events the entity is held responsible for, by date (the first ``limit``); and how many."""
    clauses = ["x.event_id IN (SELECT event_id FROM event_actors WHERE entity_id = ?)"]
    sql = _ID_QUERY + sql_where(clauses) + f" ORDER BY {SORTS['date'][0]} LIMIT ?"
    ids = [r[0] for r in store.conn.execute(sql, (entity_id, limit))]
    return _decorate(store, event_rows(store, ids)), _count(store, clauses, [entity_id])


def document_list(store: Store, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Documents, the latest ingested first, a page of them; and how many."""
    total = int(store.conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    rows = store.conn.execute(
        "SELECT d.id, d.name, d.title, d.published, d.published_basis, d.format, d.n_bytes, d.ingested_at, "
        "(SELECT count(*) FROM event_index x WHERE x.doc_id = d.id) AS n_events "
        "FROM documents d ORDER BY d.ingested_at DESC, d.name LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return [dict(r) for r in rows], total


def document_evidence(store: Store, doc_id: str) -> list[dict[str, Any]]:
    """Every evidence span of a document's events, with the event's type and date."""
    rows = store.conn.execute(
        "SELECT v.event_id, v.start, v.end, x.type, x.date FROM event_evidence v "
        "LEFT JOIN event_index x ON x.event_id = v.event_id WHERE v.doc_id = ? ORDER BY v.start",
        (doc_id,),
    ).fetchall()
    return [dict(r) for r in rows]
