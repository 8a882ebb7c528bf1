"""An actor's profile page, the actors list and the actor network of the analyst's workbench: names
with their uses, why names were merged, relations either side, and nodes and edges by period.

Every value is bound; the network's period is fixed fragments with "?" placeholders.
"""

from __future__ import annotations

import json
from typing import Any

from conflictkb.store.db import Store
from conflictkb.store.event_queries import sql_where


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


def entity_claims_in_words(store: Store, entity_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """The entity's claims whose object is words, not another actor (a strength, an aim, a new
    name, a death, "funding from the regional drugs trade"), dated ones first, each with its quote."""
    from conflictkb.store import profile_queries, reader  # the profile's own queries; imported late (cycle)

    rows = reader.claims_about(store, entity_id, profile_queries.claim_properties(store, entity_id))
    out = []
    for row in rows:
        claim = json.loads(row["value"])
        if claim.get("object") is None and claim.get("value"):
            out.append({**row, "claim": claim})
    out.sort(key=lambda r: (r["claim"].get("date") is None, r["claim"].get("date") or "", r["property"]))
    return out[:limit]


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
        "FROM relations r" + sql_where(clauses) + " GROUP BY r.subject_id, r.relation, r.object_id "
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
