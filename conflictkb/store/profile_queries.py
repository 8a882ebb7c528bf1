"""Queries behind entity profiles (``conflictkb.profiles``): an entity's names with where they
first appear, the claims that point at it, the names of entities by id, and names like a
fragment (for "did you mean" suggestions).

Like ``reader``, every function returns plain dicts and none writes.
"""

from __future__ import annotations

import json
from typing import Any

from conflictkb.store.db import Store
from conflictkb.store.reader import _dicts, _in_list, _quoted


def alias_sources(store: Store, entity_id: int, *, quoted: bool = True) -> list[dict[str, Any]]:
    """Every (alias, document) of an entity: the count, the document's name and publication date,
    and the quote where the document first uses that alias — the sentence holding its first
    mention, or the mention itself when the document has no sentences (``start``/``end``/``quote``
    are NULL when no mention carries the alias's exact text). ``quoted=False`` leaves ``quote``
    None, for ``reader.quote`` to fill with other rows' quotes."""
    # Each document's first mention of each of the entity's names (case folded as SQL's lower()
    # folds, as an alias matches its mentions), read once from the entity's mentions instead of
    # once per alias from all of a document's mentions; the sentence holding it found once.
    rows = store.conn.execute(
        "WITH firsts AS ("
        " SELECT doc_id, lower(text) AS k, min(start) AS start, end FROM mentions WHERE entity_id = ?"
        " GROUP BY doc_id, lower(text)"
        "), spans AS ("
        " SELECT a.alias, a.count, a.doc_id, f.start AS m_start, f.end AS m_end,"
        "  (SELECT s.idx FROM sentences s WHERE s.doc_id = a.doc_id AND s.start <= f.start AND s.end >= f.end"
        "   ORDER BY s.idx LIMIT 1) AS s_idx"
        " FROM aliases a LEFT JOIN firsts f ON f.doc_id = a.doc_id AND f.k = lower(a.alias)"
        " WHERE a.entity_id = ?"
        ") "
        "SELECT p.alias, p.count, p.doc_id, d.name AS doc_name, d.published,"
        " coalesce(s.start, p.m_start) AS start, coalesce(s.end, p.m_end) AS end, NULL AS quote "
        "FROM spans p JOIN documents d ON d.id = p.doc_id "
        "LEFT JOIN sentences s ON s.doc_id = p.doc_id AND s.idx = p.s_idx "
        "ORDER BY p.alias, d.published IS NULL, d.published, d.name",
        (entity_id, entity_id),
    ).fetchall()
    return _quoted(store, rows, quoted)


def claim_properties(store: Store, entity_id: int) -> list[str]:
    """The relation types of every claim on the entity (statements whose value is a claim: a JSON
    object with a ``relation_id``), so that a profile misses no relation type, even a new one."""
    # The distinct properties come from the index; each is then tested until one claim is found,
    # instead of parsing every statement on the entity (a hundred thousand for a busy group).
    rows = store.conn.execute(
        "SELECT p.property FROM (SELECT DISTINCT property FROM statements WHERE subject = ?) p "
        "WHERE EXISTS (SELECT 1 FROM statements s WHERE s.subject = ? AND s.property = p.property "
        "AND CASE WHEN json_valid(s.value) THEN json_type(s.value, '$.relation_id') END IS NOT NULL) "
        "ORDER BY p.property",
        (f"entity:{entity_id}", f"entity:{entity_id}"),
    ).fetchall()
    return [str(r["property"]) for r in rows]


def claims_to(store: Store, entity_id: int, *, quoted: bool = True) -> list[dict[str, Any]]:
    """Every claim whose object is the entity ("X founded <it>", "X leader_of <it>", "<it> hosted X",
    stored as "X hosted_by <it>"), as ``reader.claims_about`` gives claims: the claim's statement
    (``value`` is its JSON: object, value, number, date, end_date, hedged, asserted_by,
    relation_id) with its source and quote, plus the subject's id, name and kind. ``quoted=False``
    leaves ``quote`` None, for ``reader.quote`` to fill with other rows' quotes."""
    # Each subject's statements of each relation type are read once and matched to the relations
    # by id: joining statement by statement per relation read a busy subject's statements once per
    # relation (quadratic; minutes for the busiest group of 10,000 documents).
    rows = store.conn.execute(
        "WITH rels AS (SELECT id, subject_id, relation FROM relations WHERE object_id = ?), "
        "keys AS (SELECT DISTINCT subject_id, relation FROM rels) "
        "SELECT s.property, s.value, s.doc_id, d.name AS doc_name, d.published, s.start, s.end, s.confidence, "
        "NULL AS quote, r.subject_id, e.name AS subject, e.kind AS subject_kind "
        "FROM keys k "
        "JOIN statements s ON s.subject = 'entity:' || k.subject_id AND s.property = k.relation "
        # json_valid first: the planner may test this before the property, on plain-text values.
        "JOIN rels r ON r.id = CASE WHEN json_valid(s.value) THEN json_extract(s.value, '$.relation_id') END "
        " AND r.subject_id = k.subject_id AND r.relation = k.relation "
        "JOIN entities e ON e.id = r.subject_id JOIN documents d ON d.id = s.doc_id "
        "ORDER BY s.property, s.id",
        (entity_id,),
    ).fetchall()
    return _quoted(store, rows, quoted)


def entities_by_id(store: Store, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Id, name and kind of each of these entities that exists."""
    if not ids:
        return {}
    rows = store.conn.execute(
        _in_list("SELECT id, name, kind FROM entities WHERE id IN ({marks})", len(ids)), list(ids)
    ).fetchall()
    return {int(r["id"]): dict(r) for r in rows}


def entity_mentions(store: Store, entity_id: int) -> dict[str, int]:
    """How often an entity is named, and in how many documents."""
    row = store.conn.execute(
        "SELECT coalesce(sum(count), 0) AS mentions, count(DISTINCT doc_id) AS documents FROM aliases "
        "WHERE entity_id = ?",
        (entity_id,),
    ).fetchone()
    return {"mentions": int(row["mentions"]), "documents": int(row["documents"])}


def _like(fragment: str) -> str:
    """A LIKE pattern matching ``fragment`` anywhere, its wildcards taken literally (ESCAPE '\\')."""
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def entities_like(
    store: Store, fragments: list[str], skeleton: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Entities whose name or one of whose aliases contains one of ``fragments`` (case-insensitive
    for ASCII), or has the transliteration ``skeleton`` (``names.name_skeleton``), with every name
    they have and their mention count, the most mentioned first."""
    fragments = [f for f in fragments if f]
    if not fragments and not skeleton:
        return []
    patterns = json.dumps([_like(f) for f in fragments])
    rows = store.conn.execute(
        "SELECT e.id, e.name, e.kind, sum(a.count) AS mentions, json_group_array(DISTINCT a.alias) AS aliases "
        "FROM entities e JOIN aliases a ON a.entity_id = e.id "
        "WHERE e.id IN (SELECT n.entity_id FROM aliases n JOIN json_each(?) p ON n.alias LIKE p.value ESCAPE '\\') "
        "OR e.id IN (SELECT x.id FROM entities x JOIN json_each(?) p ON x.name LIKE p.value ESCAPE '\\') "
        "OR e.id IN (SELECT entity_id FROM aliases WHERE skeleton = ?) "
        "GROUP BY e.id ORDER BY mentions DESC, e.name LIMIT ?",
        (patterns, patterns, skeleton or None, limit),
    ).fetchall()
    return _dicts(rows)
