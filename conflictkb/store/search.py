"""The queries behind the analyst's workbench: full-text search, events filtered, sorted and paged,
points for the map, the actor network, yearly counts, and analysts' corrections.

Every value is bound, never formatted into SQL. The only SQL assembled here joins fixed fragments
chosen from whitelists (the filters that are set, the sort column) and runs of "?" placeholders
(the ``noqa: S608`` lines), so no text a user typed can change a query's shape.

Corrections are the one thing the web writes: they live in their own
table (schema version 4), keyed by what survives a re-ingest of the same bytes, and are applied
on reading (``corrected``) without touching what was extracted.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from conflictkb.model import Event, Perpetrator, Place
from conflictkb.names import entity_key
from conflictkb.store.db import Store

# --- full-text search ------------------------------------------------------------------------------

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
# Snippet markers: private-use characters, split out in Python so that templates escape every part.
HIT_START, HIT_END = "\ue000", "\ue001"
_TERM = re.compile(r'"([^"]*)"|(\S+)')


def fts_query(text: str, *, prefix: bool = False) -> str | None:
    """The user's words as an FTS5 query that cannot be malformed: every word or "quoted phrase"
    becomes a quoted string (FTS5 syntax inside it is plain text), all of them required; a word
    ending in ``*`` (or every word, with ``prefix``) matches as a prefix. None when nothing is left."""
    terms: list[str] = []
    # Control and format characters (NUL ends an FTS5 string early) separate words, as spaces do.
    printable = "".join(ch if ch.isprintable() else " " for ch in text[:MAX_QUERY_CHARS])
    for match in _TERM.finditer(printable):
        phrase, word = match.group(1), match.group(2)
        star = prefix or (word is not None and word.endswith("*"))
        raw = (phrase if phrase is not None else word).replace('"', "").rstrip("*")
        if not any(ch.isalnum() for ch in raw):
            continue
        terms.append(f'"{raw}"' + ("*" if star else ""))
        if len(terms) == MAX_TERMS:
            break
    return " ".join(terms) or None


def hit_parts(snippet: str) -> list[tuple[str, bool]]:
    """A snippet cut into (text, is_hit) parts at the markers FTS5 put around matched words."""
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(snippet.split(HIT_START)):
        if i == 0:
            parts.append((chunk, False))
            continue
        hit, _, rest = chunk.partition(HIT_END)
        parts.append((hit, True))
        parts.append((rest, False))
    return [(t.replace(HIT_END, ""), hit) for t, hit in parts if t]


def search_names(store: Store, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Entities any of whose names match (every word as a prefix), best match first, with the
    names that matched."""
    match = fts_query(query, prefix=True)
    if match is None:
        return []
    rows = store.conn.execute(
        "SELECT h.entity_id AS id, e.name, e.kind, min(h.rank) AS best, json_group_array(DISTINCT h.alias) AS matched "
        "FROM (SELECT entity_id, alias, rank FROM names_fts WHERE names_fts MATCH ? ORDER BY rank LIMIT 1000) h "
        "JOIN entities e ON e.id = h.entity_id GROUP BY h.entity_id ORDER BY best, e.name LIMIT ?",
        (match, limit),
    ).fetchall()
    out = [dict(r) for r in rows]
    for row in out:
        row["matched"] = json.loads(row["matched"])
    return out


def search_documents(store: Store, query: str, limit: int = 20, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Documents whose title or text has every word, best first, each with a snippet; and how many."""
    match = fts_query(query)
    if match is None:
        return [], 0
    total = int(
        store.conn.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?", (match,)).fetchone()[0]
    )
    rows = store.conn.execute(
        "SELECT f.doc_id AS id, d.name, d.title, d.published, "
        "snippet(documents_fts, -1, ?, ?, '…', 24) AS snippet "
        "FROM documents_fts f JOIN documents d ON d.id = f.doc_id WHERE documents_fts MATCH ? "
        "ORDER BY f.rank LIMIT ? OFFSET ?",
        (HIT_START, HIT_END, match, limit, offset),
    ).fetchall()
    out = [dict(r) for r in rows]
    for row in out:
        row["parts"] = hit_parts(row.pop("snippet") or "")
    return out, total


def search_evidence(store: Store, query: str, limit: int = 20, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Evidence sentences with every word, best first, with their event's type, date and place."""
    match = fts_query(query)
    if match is None:
        return [], 0
    total = int(
        store.conn.execute("SELECT count(*) FROM evidence_fts WHERE evidence_fts MATCH ?", (match,)).fetchone()[0]
    )
    rows = store.conn.execute(
        "SELECT f.event_id, f.doc_id, d.name AS doc_name, x.type, x.date, x.place, x.country, "
        "snippet(evidence_fts, 2, ?, ?, '…', 32) AS snippet "
        "FROM evidence_fts f JOIN documents d ON d.id = f.doc_id LEFT JOIN event_index x ON x.event_id = f.event_id "
        "WHERE evidence_fts MATCH ? ORDER BY f.rank LIMIT ? OFFSET ?",
        (HIT_START, HIT_END, match, limit, offset),
    ).fetchall()
    out = [dict(r) for r in rows]
    for row in out:
        row["parts"] = hit_parts(row.pop("snippet") or "")
    return out, total


# --- events: filters, sorting, pages ----------------------------------------------------------------

DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
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


def _sql_where(clauses: Iterable[str]) -> str:
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
    sql = "SELECT count(*) FROM event_index x" + _sql_where(clauses)  # noqa: S608
    return int(store.conn.execute(sql, params).fetchone()[0])


def event_page(
    store: Store, f: EventFilter, sort: str = "date", descending: bool = False, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """One page of events matching ``f`` in the order asked, each with its perpetrators, first
    evidence sentence, whether its incident's reports disagree and its analyst review; and how many
    events match in all. The page's ids come from the event index alone; only they are joined."""
    clauses, params = _where(store, f)
    order = SORTS.get(sort, SORTS["date"])[1 if descending else 0]
    sql = _ID_QUERY + _sql_where(clauses) + f" ORDER BY {order} LIMIT ? OFFSET ?"
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
    where = _sql_where(clauses)
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
    sql = _ID_QUERY + _sql_where(clauses) + f" ORDER BY {SORTS['date'][0]} LIMIT ?"
    ids = [r[0] for r in store.conn.execute(sql, [*params, limit])]
    return event_rows(store, ids), _count(store, clauses, params)


# --- entities: profile queries ----------------------------------------------------------------------


def alias_summary(store: Store, entity_id: int) -> list[dict[str, Any]]:
    """Each distinct name of an entity with its mentions and documents, most used first."""
    rows = store.conn.execute(
        "SELECT alias, sum(count) AS mentions, count(*) AS documents FROM aliases "
        "WHERE entity_id = ? GROUP BY alias ORDER BY mentions DESC, alias",
        (entity_id,),
    ).fetchall()
    return [dict(r) for r in rows]


def alias_uses(store: Store, entity_id: int, limit: int = 200) -> tuple[list[dict[str, Any]], int]:
    """Where each name of an entity is used (alias, count, document), most used first; and how many."""
    total = int(store.conn.execute("SELECT count(*) FROM aliases WHERE entity_id = ?", (entity_id,)).fetchone()[0])
    rows = store.conn.execute(
        "SELECT a.alias, a.count, a.doc_id, d.name AS doc_name FROM "
        "(SELECT alias, count, doc_id FROM aliases WHERE entity_id = ? ORDER BY count DESC, alias, doc_id LIMIT ?) a "
        "JOIN documents d ON d.id = a.doc_id ORDER BY a.count DESC, a.alias, d.name",
        (entity_id, limit),
    ).fetchall()
    return [dict(r) for r in rows], total


def merge_reasons(store: Store, entity_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """Why names were merged into this entity or linked to it, each reason once with how often."""
    rows = store.conn.execute(
        "SELECT s.property, s.value, count(*) AS times, min(s.doc_id) AS doc_id FROM statements s "
        "WHERE s.subject = ? AND s.property IN ('merged', 'linked') GROUP BY s.property, s.value "
        "ORDER BY times DESC, s.property, s.value LIMIT ?",
        (f"entity:{entity_id}", limit),
    ).fetchall()
    return [dict(r) for r in rows]


def entity_events(store: Store, entity_id: int, limit: int = 200) -> tuple[list[dict[str, Any]], int]:
    """Events the entity is held responsible for, by date (the first ``limit``); and how many."""
    clauses = ["x.event_id IN (SELECT event_id FROM event_actors WHERE entity_id = ?)"]
    sql = _ID_QUERY + _sql_where(clauses) + f" ORDER BY {SORTS['date'][0]} LIMIT ?"
    ids = [r[0] for r in store.conn.execute(sql, (entity_id, limit))]
    return _decorate(store, event_rows(store, ids)), _count(store, clauses, [entity_id])


def entity_relations(store: Store, entity_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """The entity's relations, either side: one row per subject, relation and object, with how many
    sentences state it, its first and last date, and one of those sentences with its document."""
    rows = store.conn.execute(
        "SELECT g.*, s.name AS subject, s.kind AS subject_kind, o.name AS object, o.kind AS object_kind FROM ("
        " SELECT subject_id, relation, object_id, count(*) AS n, min(date) AS first, max(date) AS last,"
        " min(id) AS example"
        " FROM relations WHERE subject_id = ? GROUP BY subject_id, relation, object_id"
        " UNION ALL"
        " SELECT subject_id, relation, object_id, count(*), min(date), max(date), min(id)"
        " FROM relations WHERE object_id = ? AND subject_id != object_id GROUP BY object_id, relation, subject_id"
        ") g JOIN entities s ON s.id = g.subject_id JOIN entities o ON o.id = g.object_id "
        "ORDER BY g.first IS NULL, g.first, g.relation, s.name, o.name LIMIT ?",
        (entity_id, entity_id, limit),
    ).fetchall()
    out = [dict(r) for r in rows]
    for row in out:
        example = store.conn.execute(
            "SELECT r.id, r.doc_id, d.name AS doc_name, r.start, r.end, r.text, r.date FROM relations r "
            "JOIN documents d ON d.id = r.doc_id WHERE r.id = ?",
            (row["example"],),
        ).fetchone()
        row["example"] = dict(example) if example else None
    return out


def entity_list(
    store: Store, kind: str | None = None, limit: int = 100, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Entities of one kind (or all) by mentions, a page of them; and how many."""
    total = int(
        store.conn.execute("SELECT count(*) FROM entities WHERE (? IS NULL OR kind = ?)", (kind, kind)).fetchone()[0]
    )
    rows = store.conn.execute(
        "SELECT e.id, e.name, e.kind, s.mentions, s.documents FROM entity_stats s "
        "JOIN entities e ON e.id = s.entity_id "
        "WHERE (? IS NULL OR e.kind = ?) ORDER BY s.mentions DESC, e.name LIMIT ? OFFSET ?",
        (kind, kind, limit, offset),
    ).fetchall()
    return [dict(r) for r in rows], total


def entity_kinds(store: Store) -> list[tuple[str, int]]:
    rows = store.conn.execute("SELECT kind, count(*) FROM entities GROUP BY kind ORDER BY kind").fetchall()
    return [(r[0], r[1]) for r in rows]


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


# --- the actor network ------------------------------------------------------------------------------


def network(
    store: Store, date_from: str | None = None, date_to: str | None = None, undated: bool = True, limit: int = 3000
) -> dict[str, list[dict[str, Any]]]:
    """Actors as nodes and relations between them as edges (one per subject, relation and object,
    with how many sentences state it and its dates), optionally for a period of the relations' dates."""
    clauses: list[str] = []
    params: list[Any] = []
    if date_from:
        clauses.append("(r.date IS NULL OR r.date >= ?)" if undated else "r.date >= ?")
        params.append(date_from)
    if date_to:
        clauses.append("(r.date IS NULL OR r.date <= ?)" if undated else "r.date <= ?")
        params.append(date_to + "\uffff")
    if not undated:
        clauses.append("r.date IS NOT NULL")
    sql = (
        "SELECT r.subject_id, r.relation, r.object_id, count(*) AS n, min(r.date) AS first, max(r.date) AS last "
        "FROM relations r" + _sql_where(clauses) + " GROUP BY r.subject_id, r.relation, r.object_id "
        "ORDER BY n DESC LIMIT ?"
    )
    edges = [dict(r) for r in store.conn.execute(sql, [*params, limit])]
    ids = sorted({e["subject_id"] for e in edges} | {e["object_id"] for e in edges})
    nodes: list[dict[str, Any]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        node_sql = f"SELECT id, name, kind FROM entities WHERE id IN ({','.join('?' * len(chunk))})"  # noqa: S608
        nodes += [dict(r) for r in store.conn.execute(node_sql, chunk)]
    return {"nodes": nodes, "edges": edges}


# --- corrections ------------------------------------------------------------------------------------

ACTIONS = ("confirm", "reject", "correct")
# What of an event an analyst may review: "event" is the event as a whole (confirm or reject only).
EVENT_PROPERTIES = (
    "event",
    "type",
    "date",
    "place.name",
    "place.country",
    "perpetrator",
    "killed",
    "wounded",
    "kidnapped",
)
_COUNT_PROPERTIES = ("killed", "wounded", "kidnapped")
MAX_VALUE_CHARS = 200
MAX_NOTE_CHARS = 2000


class CorrectionError(ValueError):
    """A correction that cannot be stored; the message says why, for the analyst."""


def _clean_text(value: str, limit: int, what: str) -> str:
    text = " ".join(value.split())
    if len(text) > limit:
        raise CorrectionError(f"{what} is longer than {limit} characters")
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in text):
        raise CorrectionError(f"{what} has control characters")
    return text


def check_event_value(prop: str, value: str, known_types: Iterable[str] = ()) -> str:
    """The analyst's value for an event field, normalised, or a CorrectionError saying what is wrong."""
    text = _clean_text(value, MAX_VALUE_CHARS, prop)
    if not text:
        raise CorrectionError(f"a correction of {prop} needs a value")
    if prop == "type":
        types = set(known_types)
        if types and text not in types:
            raise CorrectionError(f"unknown event type {text!r}")
    elif prop == "date":
        if not DATE_PATTERN.match(text):
            raise CorrectionError("a date is YYYY, YYYY-MM or YYYY-MM-DD")
        padded = (text + "-01-01")[:10] if len(text) == 4 else (text + "-01")[:10]
        try:
            date.fromisoformat(padded)
        except ValueError as exc:
            raise CorrectionError(f"no such date: {text}") from exc
    elif prop == "place.country":
        text = text.upper()
        if not re.fullmatch(r"[A-Z]{2}", text):
            raise CorrectionError("a country is an ISO 3166-1 alpha-2 code, such as UZ")
    elif prop in _COUNT_PROPERTIES:
        if not text.isdigit() or int(text) > 1_000_000:
            raise CorrectionError(f"{prop} is a whole number between 0 and 1000000")
        text = str(int(text))
    return text


def add_correction(
    store: Store, subject: str, prop: str, action: str, value: str | None = None, note: str | None = None
) -> int:
    """Store one analyst's review of one field (or of a whole event, or of an alias); the latest
    review of a field is the one that counts, earlier ones stay as its history."""
    if action not in ACTIONS:
        raise CorrectionError(f"unknown action {action!r}")
    if subject.startswith("event:"):
        if prop not in EVENT_PROPERTIES:
            raise CorrectionError(f"an event has no field {prop!r} to review")
        if action == "correct" and prop == "event":
            raise CorrectionError("an event as a whole can be confirmed or rejected, not corrected")
        if action == "reject" and prop == "type":
            raise CorrectionError("an event's type can be confirmed or corrected; reject the event instead")
    elif subject.startswith("alias:"):
        if action == "correct":
            raise CorrectionError("an alias merge can be confirmed or rejected")
    else:
        raise CorrectionError(f"nothing to review in {subject!r}")
    stored_value = value if action == "correct" else None
    if action == "correct" and not stored_value:
        raise CorrectionError("a correction needs a value")
    clean_note = _clean_text(note, MAX_NOTE_CHARS, "the note") if note else None
    cur = store.conn.execute(
        "INSERT INTO corrections(subject, property, value, action, note, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (subject, prop, stored_value, action, clean_note or None, datetime.now(UTC).isoformat(timespec="seconds")),
    )
    return int(cur.lastrowid or 0)


def corrections(store: Store, subject: str) -> list[dict[str, Any]]:
    """Every review of one subject ("event:<id>", "alias:<entity name>"), oldest first."""
    rows = store.conn.execute(
        "SELECT id, subject, property, value, action, note, created_at FROM corrections WHERE subject = ? ORDER BY id",
        (subject,),
    ).fetchall()
    return [dict(r) for r in rows]


def latest_corrections(store: Store, subjects: Sequence[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """For each subject that has reviews, the latest review of each of its properties."""
    out: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for start in range(0, len(subjects), 500):
        chunk = list(subjects[start : start + 500])
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT id, subject, property, value, action, note, created_at FROM corrections WHERE subject IN ({marks}) ORDER BY id"  # noqa: S608,E501
        for r in store.conn.execute(sql, chunk):
            out[r["subject"]][r["property"]] = dict(r)
    return dict(out)


def latest(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The latest of ``rows`` (oldest first) for each property."""
    return {r["property"]: dict(r) for r in rows}


def rejected_events(store: Store) -> set[str]:
    """Ids of events whose latest whole-event review is a rejection."""
    rows = store.conn.execute(
        "SELECT c.subject, c.action FROM corrections c WHERE c.property = 'event' AND c.subject LIKE 'event:%' "
        "AND c.id = (SELECT max(id) FROM corrections d WHERE d.subject = c.subject AND d.property = 'event')"
    ).fetchall()
    return {r["subject"][len("event:") :] for r in rows if r["action"] == "reject"}


def entity_named(store: Store, name: str) -> int | None:
    """The knowledge-base entity with this name (or, failing that, this alias), the most mentioned."""
    row = store.conn.execute(
        "SELECT id FROM entities WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 1", (name,)
    ).fetchone()
    if row is None:
        row = store.conn.execute(
            "SELECT entity_id FROM aliases WHERE key = ? GROUP BY entity_id ORDER BY sum(count) DESC LIMIT 1",
            (entity_key(name),),
        ).fetchone()
    return int(row[0]) if row else None


def place_named(store: Store, name: str, country: str | None) -> Place | None:
    """A place of this name (in this country, if given) that some document resolved, with coordinates."""
    row = store.conn.execute(
        "SELECT name, country, admin1, lat, lon, geonames_id, precision, source FROM places "
        "WHERE name = ? COLLATE NOCASE AND (? IS NULL OR country = ?) AND lat IS NOT NULL LIMIT 1",
        (name, country, country),
    ).fetchone()
    return Place(**dict(row)) if row else None


def corrected(store: Store, event: Event, reviews: Mapping[str, Mapping[str, Any]]) -> Event:
    """``event`` with each field an analyst corrected or rejected replaced (``reviews``: the latest
    review per property). A corrected field loses its span: no document said it."""
    if not reviews:
        return event
    changes: dict[str, Any] = {}
    spans = dict(event.spans)

    def value(prop: str) -> tuple[str, str | None] | None:
        review = reviews.get(prop)
        if review is None or review["action"] == "confirm":
            return None
        return review["action"], review["value"]

    if (got := value("type")) and got[0] == "correct" and got[1]:
        changes["type"] = got[1]
        spans.pop("type", None)
    if got := value("date"):
        new = got[1] if got[0] == "correct" else None
        changes["date"] = new
        changes["date_precision"] = {4: "year", 7: "month", 10: "day"}.get(len(new)) if new else None
        changes["date_text"] = None
        for key in ("date", "date_text"):
            spans.pop(key, None)
    place = event.place
    if got := value("place.name"):
        if got[0] == "reject" or not got[1]:
            place = None
        else:
            country = place.country if place else None
            place = place_named(store, got[1], country) or Place(name=got[1], country=country)
        spans.pop("place", None)
    if got := value("place.country"):
        country = got[1] if got[0] == "correct" else None
        if place is not None and place.country != country:
            found = place_named(store, place.name, country) if country else None
            place = found or dataclasses.replace(place, country=country, lat=None, lon=None, geonames_id=None)
        spans.pop("place", None)
    if place is not event.place:
        changes["place"] = place
    if got := value("perpetrator"):
        if got[0] == "reject" or not got[1]:
            changes["perpetrators"] = []
        else:
            entity = entity_named(store, got[1])
            changes["perpetrators"] = [
                Perpetrator(got[1], "corrected by an analyst", str(entity) if entity is not None else None)
            ]
    for prop in _COUNT_PROPERTIES:
        if got := value(prop):
            changes[prop] = int(got[1]) if got[0] == "correct" and got[1] else None
            spans.pop(prop, None)
    if not changes:
        return event
    return dataclasses.replace(event, spans=spans, **changes)
