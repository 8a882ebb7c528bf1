"""Queries for exports and for links to external datasets (GTD, ACLED): the SQL behind
``conflictkb export`` and ``conflictkb link``.

The reads return plain dicts, like ``reader``; the one write, ``replace_links``, stores the
matches of one dataset file in ``dataset_links`` in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from conflictkb.names import entity_key
from conflictkb.store.db import Store

# How many rows a streaming query fetches at a time.
_BATCH = 2000


def all_entities(store: Store) -> dict[int, dict[str, Any]]:
    """Every knowledge-base entity by id: ``id``, ``name``, ``kind``, ``ref``."""
    rows = store.conn.execute("SELECT id, name, kind, ref FROM entities ORDER BY id").fetchall()
    return {int(r["id"]): dict(r) for r in rows}


def all_aliases(store: Store) -> list[dict[str, Any]]:
    """Every surface form of every entity in every document: ``entity_id``, ``alias``, ``doc_id``, ``count``."""
    rows = store.conn.execute(
        "SELECT entity_id, alias, doc_id, count FROM aliases ORDER BY entity_id, count DESC, alias"
    ).fetchall()
    return [dict(r) for r in rows]


def all_places(store: Store) -> list[dict[str, Any]]:
    """The place chosen for each place entity in each document (``places``), with the document's name."""
    rows = store.conn.execute(
        "SELECT p.doc_id, d.name AS doc_name, p.entity_id, p.name, p.country, p.admin1, p.lat, p.lon, "
        "p.geonames_id, p.precision, p.source FROM places p JOIN documents d ON d.id = p.doc_id "
        "ORDER BY p.entity_id, d.name"
    ).fetchall()
    return [dict(r) for r in rows]


def all_documents(store: Store) -> list[dict[str, Any]]:
    """Every document's metadata (not its text), by name."""
    rows = store.conn.execute(
        "SELECT id, name, format, title, published, published_basis, encoding, n_bytes, ingested_at "
        "FROM documents ORDER BY name, id"
    ).fetchall()
    return [dict(r) for r in rows]


def document_texts(store: Store) -> Iterator[tuple[str, str]]:
    """(document id, text) of every document, one at a time."""
    cursor = store.conn.execute("SELECT id, text FROM documents ORDER BY name, id")
    while batch := cursor.fetchmany(50):
        for row in batch:
            yield str(row["id"]), str(row["text"])


def all_statements(store: Store) -> Iterator[dict[str, Any]]:
    """Every statement with its document's name and the quote it was read from, in insertion order."""
    cursor = store.conn.execute(
        "SELECT s.id, s.subject, s.property, s.value, s.doc_id, d.name AS doc_name, s.start, s.end, "
        "s.extractor, s.confidence, "
        "CASE WHEN s.start IS NULL THEN NULL ELSE substr(d.text, s.start + 1, s.end - s.start) END AS quote "
        "FROM statements s JOIN documents d ON d.id = s.doc_id ORDER BY s.id"
    )
    while batch := cursor.fetchmany(_BATCH):
        for row in batch:
            yield dict(row)


def entity_ids_named(store: Store, name: str) -> set[int]:
    """Entities whose name or any alias compares equal to ``name`` ("IMU" finds the Islamic Movement
    of Uzbekistan when a document used that acronym for it)."""
    key = entity_key(name)
    rows = store.conn.execute(
        "SELECT DISTINCT entity_id FROM aliases WHERE key = ? "
        "UNION SELECT id FROM entities WHERE name = ? COLLATE NOCASE",
        (key, name),
    ).fetchall()
    return {int(r[0]) for r in rows}


# --- dataset_links --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    """One incident matched to one row of an external dataset."""

    incident_id: int
    dataset: str
    row_id: str
    score: float
    why: list[str]


def links(store: Store, dataset: str | None = None) -> list[dict[str, Any]]:
    """Stored links (``why`` decoded into a list), by incident."""
    rows = store.conn.execute(
        "SELECT incident_id, dataset, row_id, score, why, linked_at FROM dataset_links "
        "WHERE (? IS NULL OR dataset = ?) ORDER BY incident_id, dataset, score DESC, row_id",
        (dataset, dataset),
    ).fetchall()
    out = []
    for r in rows:
        row = dict(r)
        try:
            row["why"] = json.loads(row["why"])
        except ValueError:
            row["why"] = [row["why"]]
        out.append(row)
    return out


def replace_links(store: Store, dataset: str, row_ids: Iterable[str], new: Iterable[Link]) -> tuple[int, int]:
    """Store the links found for the rows ``row_ids`` of one dataset file: earlier links to those rows
    are replaced, links to rows of other files stay. Returns (links written, earlier links no longer found)."""
    seen = set(row_ids)
    found = list(new)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with store.transaction() as conn:
        earlier = conn.execute("SELECT incident_id, row_id FROM dataset_links WHERE dataset = ?", (dataset,)).fetchall()
        stale = [(r["incident_id"], dataset, r["row_id"]) for r in earlier if r["row_id"] in seen]
        conn.executemany("DELETE FROM dataset_links WHERE incident_id = ? AND dataset = ? AND row_id = ?", stale)
        kept = {(ln.incident_id, ln.row_id) for ln in found}
        removed = sum(1 for incident, _, row in stale if (incident, row) not in kept)
        conn.executemany(
            "INSERT OR REPLACE INTO dataset_links(incident_id, dataset, row_id, score, why, linked_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(ln.incident_id, ln.dataset, ln.row_id, ln.score, json.dumps(ln.why), now) for ln in found],
        )
    return len(found), removed


def incident_count(store: Store) -> int:
    """How many incidents have at least one report."""
    return int(store.conn.execute("SELECT count(DISTINCT incident_id) FROM events").fetchone()[0])
