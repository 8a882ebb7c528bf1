"""Reading the store: the queries behind the read API, the web pages and the exporters.

Every function returns plain data (dicts, model objects); none writes. Events are assembled
from their statements, so what is shown is exactly what was extracted and where.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from conflictkb.model import Event, Span
from conflictkb.names import entity_key
from conflictkb.statements import assemble_event
from conflictkb.store.db import Store


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as stored: which document and incident it belongs to, and the event itself."""

    id: str
    doc_id: str
    doc_name: str
    incident_id: int
    event: Event


def _in_list(sql: str, n: int) -> str:
    """``sql`` with ``{marks}`` replaced by ``n`` "?" placeholders: values are always bound, never formatted."""
    return sql.replace("{marks}", ",".join("?" * n))


def _dicts(rows: list[Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]


# Documents whose texts are held at once while quoting (a bound on memory).
_QUOTE_DOCS = 500


def _substr(store: Store, text: str, start: int | None, end: int | None) -> str | None:
    """``substr(text, start + 1, end - start)`` as SQLite gives it: the slice for a well-formed
    span, SQLite itself for any other (its rules for negative lengths differ from Python's)."""
    if start is None or end is None:
        return None
    if 0 <= start <= end:
        return text[start:end]
    quote = store.conn.execute("SELECT substr(?, ? + 1, ? - ?)", (text, start, end, start)).fetchone()[0]
    return str(quote) if quote is not None else None


def quote(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Set each row's ``quote`` (rows with ``doc_id``, ``start`` and ``end``) to
    ``substr(documents.text, start + 1, end - start)``, each document's text read once: SQL's
    substr reads the whole text again for every row (seconds for a busy entity's claims). Rows
    from several queries quoted together read each document once in all."""
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_doc[row["doc_id"]].append(row)
    doc_ids = list(by_doc)
    for i in range(0, len(doc_ids), _QUOTE_DOCS):
        chunk = doc_ids[i : i + _QUOTE_DOCS]
        sql = _in_list("SELECT id, text FROM documents WHERE id IN ({marks})", len(chunk))
        for doc in store.conn.execute(sql, chunk).fetchall():
            for row in by_doc[doc["id"]]:
                row["quote"] = _substr(store, doc["text"], row["start"], row["end"])
    return rows


def _quoted(store: Store, rows: list[Any], quoted: bool) -> list[dict[str, Any]]:
    """Rows (with a NULL ``quote`` column) as dicts, quoted (``quote``) unless the caller quotes
    them later with others."""
    out = _dicts(rows)
    return quote(store, out) if quoted else out


def counts(store: Store) -> dict[str, int]:
    """How many of each thing the knowledge base holds."""
    tables = ("documents", "entities", "mentions", "events", "incidents", "relations", "statements")
    return {t: int(store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}  # noqa: S608  # fixed table names


def file_outcomes(store: Store) -> list[dict[str, Any]]:
    """The last outcome of every path given to ingest, problems first."""
    rows = store.conn.execute(
        "SELECT path, status, reason, doc_id, at FROM files "
        "ORDER BY CASE status WHEN 'failed' THEN 0 WHEN 'skipped' THEN 1 ELSE 2 END, path"
    ).fetchall()
    return _dicts(rows)


def documents(store: Store, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT d.id, d.name, d.title, d.published, d.published_basis, d.format, d.n_bytes, d.ingested_at, "
        "(SELECT count(*) FROM events e WHERE e.doc_id = d.id) AS n_events "
        "FROM documents d ORDER BY d.ingested_at DESC, d.name LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return _dicts(rows)


def document(store: Store, doc_id: str) -> dict[str, Any] | None:
    row = store.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return dict(row) if row else None


def document_mentions(store: Store, doc_id: str) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT m.start, m.end, m.text, m.label, e.id AS entity_id, e.name, e.kind "
        "FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.doc_id = ? ORDER BY m.start",
        (doc_id,),
    ).fetchall()
    return _dicts(rows)


def place_mentions(store: Store, doc_id: str) -> list[dict[str, Any]]:
    rows = store.conn.execute("SELECT * FROM place_mentions WHERE doc_id = ? ORDER BY start", (doc_id,)).fetchall()
    return _dicts(rows)


def entities(store: Store, limit: int = 100, offset: int = 0, kind: str | None = None) -> list[dict[str, Any]]:
    """Entities with their mention and document counts, the most mentioned first."""
    rows = store.conn.execute(
        "SELECT e.id, e.name, e.kind, sum(a.count) AS mentions, count(DISTINCT a.doc_id) AS documents, "
        "json_group_array(DISTINCT a.alias) AS aliases "
        "FROM entities e JOIN aliases a ON a.entity_id = e.id "
        "WHERE (? IS NULL OR e.kind = ?) GROUP BY e.id ORDER BY mentions DESC, e.name LIMIT ? OFFSET ?",
        (kind, kind, limit, offset),
    ).fetchall()
    out = _dicts(rows)
    for row in out:
        row["aliases"] = json.loads(row["aliases"])
    return out


def entity_aliases(store: Store, entity_id: int) -> list[dict[str, Any]]:
    """Every surface form of an entity, with its count and the document it comes from."""
    rows = store.conn.execute(
        "SELECT a.alias, a.count, a.doc_id, d.name AS doc_name FROM aliases a JOIN documents d ON d.id = a.doc_id "
        "WHERE a.entity_id = ? ORDER BY a.count DESC, a.alias",
        (entity_id,),
    ).fetchall()
    return _dicts(rows)


def entity(store: Store, entity_id: int) -> dict[str, Any] | None:
    row = store.conn.execute("SELECT id, name, kind FROM entities WHERE id = ?", (entity_id,)).fetchone()
    return dict(row) if row else None


def _assemble(store: Store, rows: list[Any]) -> list[StoredEvent]:
    """Build events from their statements and evidence, in the order of ``rows``."""
    ids = [r["id"] for r in rows]
    if not ids:
        return []
    statements: dict[str, list[Any]] = defaultdict(list)
    found = store.conn.execute(
        _in_list(
            "SELECT id, subject, property, value, start, end, confidence FROM statements WHERE subject IN ({marks})",
            len(ids),
        ),
        [f"event:{i}" for i in ids],
    ).fetchall()
    # In statement order, sorted here: SQL's ORDER BY id sorted them in a temporary B-tree, seconds
    # for the 100,000 statements of a busy perpetrator's events.
    for s in sorted(found, key=lambda s: int(s["id"])):
        statements[s["subject"][len("event:") :]].append(s)
    evidence: dict[str, list[Span]] = defaultdict(list)
    for ev in store.conn.execute(
        _in_list(
            "SELECT event_id, start, end, text FROM event_evidence WHERE event_id IN ({marks}) ORDER BY event_id, ord",
            len(ids),
        ),
        ids,
    ):
        evidence[ev["event_id"]].append(Span(ev["start"], ev["end"], ev["text"]))
    # The documents' texts in one query (not one per document: thousands for a busy perpetrator).
    doc_ids = list(dict.fromkeys(r["doc_id"] for r in rows))
    texts: dict[str, str] = {
        d["id"]: d["text"]
        for d in store.conn.execute(
            _in_list("SELECT id, text FROM documents WHERE id IN ({marks})", len(doc_ids)), doc_ids
        )
    }
    out = []
    for r in rows:
        event = assemble_event(r["id"], statements[r["id"]], evidence[r["id"]], texts[r["doc_id"]])
        out.append(StoredEvent(r["id"], r["doc_id"], r["doc_name"], int(r["incident_id"]), event))
    return out


_EVENT_ROWS = (
    "SELECT e.id, e.doc_id, d.name AS doc_name, e.incident_id FROM events e JOIN documents d ON d.id = e.doc_id "
)


def events(store: Store, limit: int = 1000, offset: int = 0, doc_id: str | None = None) -> list[StoredEvent]:
    rows = store.conn.execute(
        _EVENT_ROWS + "WHERE (? IS NULL OR e.doc_id = ?) ORDER BY d.name, e.ord LIMIT ? OFFSET ?",
        (doc_id, doc_id, limit, offset),
    ).fetchall()
    return _assemble(store, rows)


def event(store: Store, event_id: str) -> StoredEvent | None:
    rows = store.conn.execute(_EVENT_ROWS + "WHERE e.id = ?", (event_id,)).fetchall()
    found = _assemble(store, rows)
    return found[0] if found else None


def incident_events(store: Store, incident_id: int) -> list[StoredEvent]:
    """Every document's report of one incident."""
    rows = store.conn.execute(_EVENT_ROWS + "WHERE e.incident_id = ? ORDER BY d.name", (incident_id,)).fetchall()
    return _assemble(store, rows)


def event_keys(store: Store, event_type: str, year: str) -> list[dict[str, Any]]:
    """Events of one type in one year, with their date, place, country and perpetrators' entities:
    incident candidates."""
    rows = store.conn.execute(
        "SELECT e.id, e.incident_id, d.value AS date, json_extract(p.value, '$.country') AS country, "
        "json_extract(p.value, '$.name') AS place, json_extract(p.value, '$.precision') AS precision, "
        "(SELECT json_group_array(json_extract(s.value, '$.entity')) FROM statements s "
        " WHERE s.subject = 'event:' || e.id AND s.property = 'perpetrator') AS perpetrators "
        "FROM events e JOIN statements t ON t.subject = 'event:' || e.id AND t.property = 'type' "
        "JOIN statements d ON d.subject = 'event:' || e.id AND d.property = 'date' "
        "LEFT JOIN statements p ON p.subject = 'event:' || e.id AND p.property = 'place' "
        "WHERE t.value = ? AND d.value LIKE ? || '%'",
        (event_type, year),
    ).fetchall()
    return _dicts(rows)


def alias_matches(store: Store, keys: list[str], kind: str) -> list[dict[str, Any]]:
    """Entities of ``kind`` that have any of the alias ``keys``, with how many they share."""
    if not keys:
        return []
    rows = store.conn.execute(
        _in_list(
            "SELECT a.entity_id, count(DISTINCT a.key) AS shared FROM aliases a JOIN entities e ON e.id = a.entity_id "
            "WHERE e.kind = ? AND a.key IN ({marks}) GROUP BY a.entity_id ORDER BY shared DESC, a.entity_id",
            len(keys),
        ),
        [kind, *keys],
    ).fetchall()
    return _dicts(rows)


def entity_by_ref(store: Store, ref: str) -> int | None:
    """The knowledge-base entity recognised by a dictionary entry ("actor:Taliban"), if any."""
    row = store.conn.execute("SELECT id FROM entities WHERE ref = ? ORDER BY id LIMIT 1", (ref,)).fetchone()
    return int(row["id"]) if row else None


def skeleton_matches(store: Store, skeletons: list[str], kind: str) -> list[dict[str, Any]]:
    """Entities of ``kind`` with an alias of one of these transliteration skeletons, and that alias."""
    if not skeletons:
        return []
    rows = store.conn.execute(
        _in_list(
            "SELECT DISTINCT a.entity_id, a.alias, e.name FROM aliases a JOIN entities e ON e.id = a.entity_id "
            "WHERE e.kind = ? AND a.skeleton IN ({marks}) ORDER BY a.entity_id",
            len(skeletons),
        ),
        [kind, *skeletons],
    ).fetchall()
    return _dicts(rows)


def user_actors(store: Store) -> list[dict[str, Any]]:
    """Actors added to this knowledge base by a user, oldest first."""
    return _dicts(store.conn.execute("SELECT * FROM user_actors ORDER BY added_at, name").fetchall())


def relations(store: Store, limit: int = 1000, offset: int = 0) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT r.id, r.doc_id, d.name AS doc_name, s.id AS subject_id, s.name AS subject, r.relation, "
        "o.id AS object_id, o.name AS object, r.date, r.confidence, r.start, r.end, r.text "
        "FROM relations r JOIN entities s ON s.id = r.subject_id JOIN entities o ON o.id = r.object_id "
        "JOIN documents d ON d.id = r.doc_id ORDER BY s.name, r.relation, r.date LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return _dicts(rows)


def statements(store: Store, subject: str) -> list[dict[str, Any]]:
    """Every statement about one subject, with the name of its source document: its citations."""
    rows = store.conn.execute(
        "SELECT s.property, s.value, s.doc_id, d.name AS doc_name, s.start, s.end, s.extractor, s.confidence, "
        "substr(d.text, s.start + 1, s.end - s.start) AS quote "
        "FROM statements s JOIN documents d ON d.id = s.doc_id WHERE s.subject = ? ORDER BY s.property, s.id",
        (subject,),
    ).fetchall()
    return _dicts(rows)


def contradictions(store: Store, incident_id: int) -> dict[str, list[dict[str, Any]]]:
    """For one incident, each property on which its reports give different values, side by side."""
    rows = store.conn.execute(
        "SELECT s.property, s.value, s.doc_id, d.name AS doc_name, s.start, s.end, "
        "substr(d.text, s.start + 1, s.end - s.start) AS quote "
        "FROM events e JOIN statements s ON s.subject = 'event:' || e.id JOIN documents d ON d.id = s.doc_id "
        "WHERE e.incident_id = ? AND s.property IN ('date', 'killed', 'wounded', 'kidnapped', 'type', 'place') "
        "ORDER BY s.property, d.name",
        (incident_id,),
    ).fetchall()
    by_property: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_property[row["property"]].append(dict(row))
    return {p: rs for p, rs in by_property.items() if len({r["value"] for r in rs}) > 1}


def claims_about(store: Store, entity_id: int, properties: list[str], *, quoted: bool = True) -> list[dict[str, Any]]:
    """Every claim (relation or literal) whose subject is the entity, with its source and quote;
    ``value`` is the claim as JSON (object, value, number, date, end_date, hedged, asserted_by).
    ``quoted=False`` leaves ``quote`` None, for ``quote`` to fill with other rows' quotes."""
    if not properties:
        return []
    rows = store.conn.execute(
        _in_list(
            "SELECT s.property, s.value, s.doc_id, d.name AS doc_name, d.published, s.start, s.end, s.confidence, "
            "NULL AS quote "
            "FROM statements s JOIN documents d ON d.id = s.doc_id "
            "WHERE s.subject = ? AND s.property IN ({marks}) ORDER BY s.property, s.id",
            len(properties),
        ),
        [f"entity:{entity_id}", *properties],
    ).fetchall()
    return _quoted(store, rows, quoted)


def relations_to(store: Store, entity_id: int) -> list[dict[str, Any]]:
    """Relations whose object is the entity ("X founded <it>", "<it> hosted X"), with the subject's name."""
    rows = store.conn.execute(
        "SELECT r.id, r.relation, r.subject_id, s.name AS subject, s.kind AS subject_kind, r.date, r.confidence, "
        "r.doc_id, d.name AS doc_name, r.start, r.end, r.text "
        "FROM relations r JOIN entities s ON s.id = r.subject_id JOIN documents d ON d.id = r.doc_id "
        "WHERE r.object_id = ? ORDER BY r.relation, r.date",
        (entity_id,),
    ).fetchall()
    return _dicts(rows)


# The candidates come from event_actors (indexed by entity); the perpetrator statement itself
# decides. Scanning every perpetrator statement took seconds on 10,000 documents.
_BY_PERPETRATOR = (
    "WHERE e.id IN (SELECT a.event_id FROM event_actors a "
    "JOIN statements s ON s.subject = 'event:' || a.event_id AND s.property = 'perpetrator' "
    "WHERE a.entity_id = ? AND CASE WHEN json_valid(s.value) THEN json_extract(s.value, '$.entity') END = ?) "
    "ORDER BY d.name, e.ord"
)


def events_by_perpetrator(store: Store, entity_id: int) -> list[StoredEvent]:
    """Every event whose perpetrator statement names the entity."""
    rows = store.conn.execute(
        _EVENT_ROWS + _BY_PERPETRATOR,
        (entity_id, entity_id),
    ).fetchall()
    return _assemble(store, rows)


def entities_named(store: Store, name: str) -> list[dict[str, Any]]:
    """Entities any of whose names is ``name`` (case and punctuation folded), most mentioned first."""
    rows = store.conn.execute(
        "SELECT e.id, e.name, e.kind, sum(a.count) AS mentions FROM entities e JOIN aliases a ON a.entity_id = e.id "
        "WHERE e.id IN (SELECT entity_id FROM aliases WHERE key = ?) OR lower(e.name) = lower(?) "
        "GROUP BY e.id ORDER BY mentions DESC",
        (entity_key(name), name),
    ).fetchall()
    return _dicts(rows)


def document_claims(store: Store, doc_id: str, properties: list[str]) -> list[dict[str, Any]]:
    """Every claim (statement on an entity) a document gave for the given relation properties."""
    if not properties:
        return []
    rows = store.conn.execute(
        _in_list(
            "SELECT subject, property, value, start, end FROM statements "
            "WHERE doc_id = ? AND subject LIKE 'entity:%' AND property IN ({marks}) ORDER BY id",
            len(properties),
        ),
        [doc_id, *properties],
    ).fetchall()
    return _dicts(rows)
