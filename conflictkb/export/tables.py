"""Events, entities and relations as rows: JSON Lines records or flat CSV.

JSON Lines reuse the extract contract's records (plus the knowledge-base ids), so a file from
``export`` and one from ``extract`` read the same. CSV cells that a spreadsheet would run as a
formula (starting with = + - @) are prefixed with a quote: document text is untrusted.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

from conflictkb.contract import event_record
from conflictkb.export.incidents import Source, knowledge_base

KINDS = ("events", "entities", "relations")
FORMATS = ("jsonl", "csv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = {
    "events": ["id", "incident", "doc", "type", "date", "date_precision", "date_text", "place", "country", "admin1",
               "lat", "lon", "geonames_id", "perpetrators", "attribution", "targets", "target_types", "killed",
               "wounded", "kidnapped", "casualty_text", "evidence", "evidence_start", "evidence_end", "n_evidence",
               "confidence"],
    "entities": ["id", "name", "type", "mentions", "documents", "aliases"],
    "relations": ["id", "doc", "subject", "relation", "object", "date", "confidence", "evidence", "evidence_start",
                  "evidence_end"],
}  # fmt: skip


def event_rows(source: Source) -> Iterator[dict[str, Any]]:
    for stored in knowledge_base(source).events(limit=10**9):
        record = event_record(stored.event, stored.doc_name)
        yield {"id": stored.id, "incident": stored.incident_id, **record}


def entity_rows(source: Source) -> Iterator[dict[str, Any]]:
    for row in knowledge_base(source).entities(limit=10**9):
        # The row's own "kind" is the entity kind: it becomes "type", as in the extract contract.
        yield {**row, "kind": "entity", "type": row["kind"]}


def relation_rows(source: Source) -> Iterator[dict[str, Any]]:
    for row in knowledge_base(source).relations(limit=10**9):
        yield {
            "kind": "relation",
            "id": row["id"],
            "doc": row["doc_name"],
            "subject": row["subject"],
            "relation": row["relation"],
            "object": row["object"],
            "date": row["date"],
            "confidence": row["confidence"],
            "evidence": [{"text": row["text"], "start": row["start"], "end": row["end"]}],
        }


def _flat_event(row: dict[str, Any]) -> dict[str, Any]:
    place = row["place"] or {}
    evidence = row["evidence"]
    return {
        "id": row["id"], "incident": row["incident"], "doc": row["doc"], "type": row["type"],
        "date": row["date"], "date_precision": row["date_precision"], "date_text": row["date_text"],
        "place": place.get("name"), "country": place.get("country"), "admin1": place.get("admin1"),
        "lat": place.get("lat"), "lon": place.get("lon"), "geonames_id": place.get("geonames_id"),
        "perpetrators": "; ".join(p["name"] for p in row["perpetrators"]),
        "attribution": "; ".join(p["attribution"] for p in row["perpetrators"]),
        "targets": "; ".join(t["text"] for t in row["targets"]),
        "target_types": "; ".join(t["type"] or "" for t in row["targets"]),
        "killed": row["killed"], "wounded": row["wounded"], "kidnapped": row["kidnapped"],
        "casualty_text": row["casualty_text"],
        "evidence": evidence[0]["text"] if evidence else None,
        "evidence_start": evidence[0]["start"] if evidence else None,
        "evidence_end": evidence[0]["end"] if evidence else None,
        "n_evidence": len(evidence), "confidence": row["confidence"],
    }  # fmt: skip


def _flat(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    if kind == "events":
        return _flat_event(row)
    if kind == "entities":
        return {"id": row["id"], "name": row["name"], "type": row["type"], "mentions": row["mentions"],
                "documents": row["documents"], "aliases": "; ".join(row["aliases"])}  # fmt: skip
    evidence = row["evidence"][0]
    flat = {k: row[k] for k in ("id", "doc", "subject", "relation", "object", "date", "confidence")}
    return {**flat, "evidence": evidence["text"], "evidence_start": evidence["start"], "evidence_end": evidence["end"]}


def safe_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet will show, not run: text starting like a formula gets a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def rows(kb: Source, kind: str) -> Iterator[dict[str, Any]]:
    if kind == "events":
        return event_rows(kb)
    if kind == "entities":
        return entity_rows(kb)
    if kind == "relations":
        return relation_rows(kb)
    raise ValueError(f"unknown export {kind!r}; choose one of {', '.join(KINDS)}")


def write(kb: Source, kind: str, fmt: str, out: TextIO) -> int:
    """Write every row of ``kind`` to ``out`` in ``fmt``; return how many rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    count = 0
    table = csv.DictWriter(out, fieldnames=CSV_COLUMNS[kind]) if fmt == "csv" and kind in CSV_COLUMNS else None
    if table is not None:
        table.writeheader()
    for row in rows(kb, kind):
        if table is None:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            table.writerow({k: safe_cell(v) for k, v in _flat(kind, row).items()})
        count += 1
    return count
