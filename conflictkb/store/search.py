"""Full-text search for the analyst's workbench: documents and evidence sentences (FTS5), and
actors by any of their names.

Every value is bound, never formatted into SQL. A user's words become quoted FTS5 strings
(``fts_query``), so FTS5 syntax typed in a search box is plain text and no query can be malformed.
The events table, map and charts are in ``event_queries``, profiles and the network in
``actor_queries``, analysts' reviews in ``corrections``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from conflictkb.store.db import Store

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


def _fts_page(
    store: Store, count_sql: str, page_sql: str, query: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of an FTS5 search (``page_sql`` binds the hit markers, the match, limit and offset)
    with each row's snippet cut into parts; and how many rows match in all."""
    match = fts_query(query)
    if match is None:
        return [], 0
    total = int(store.conn.execute(count_sql, (match,)).fetchone()[0])
    rows = store.conn.execute(page_sql, (HIT_START, HIT_END, match, limit, offset)).fetchall()
    out = [dict(r) for r in rows]
    for row in out:
        row["parts"] = hit_parts(row.pop("snippet") or "")
    return out, total


def search_documents(store: Store, query: str, limit: int = 20, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Documents whose title or text has every word, best first, each with a snippet; and how many."""
    return _fts_page(
        store,
        "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?",
        "SELECT f.doc_id AS id, d.name, d.title, d.published, "
        "snippet(documents_fts, -1, ?, ?, '…', 24) AS snippet "
        "FROM documents_fts f JOIN documents d ON d.id = f.doc_id WHERE documents_fts MATCH ? "
        "ORDER BY f.rank LIMIT ? OFFSET ?",
        query,
        limit,
        offset,
    )


def search_evidence(store: Store, query: str, limit: int = 20, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Evidence sentences with every word, best first, with their event's type, date and place."""
    return _fts_page(
        store,
        "SELECT count(*) FROM evidence_fts WHERE evidence_fts MATCH ?",
        "SELECT f.event_id, f.doc_id, d.name AS doc_name, x.type, x.date, x.place, x.country, "
        "snippet(evidence_fts, 2, ?, ?, '…', 32) AS snippet "
        "FROM evidence_fts f JOIN documents d ON d.id = f.doc_id LEFT JOIN event_index x ON x.event_id = f.event_id "
        "WHERE evidence_fts MATCH ? ORDER BY f.rank LIMIT ? OFFSET ?",
        query,
        limit,
        offset,
    )
