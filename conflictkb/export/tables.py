"""Events, entities and relations as rows: JSON Lines records or flat CSV.

JSON Lines reuse the extract contract's records (plus the knowledge-base ids), so a file from
``export`` and one from ``extract`` read the same. CSV cells that a spreadsheet would run as a
formula (starting with = + - @) are prefixed with a quote: document text is untrusted.

Analysts' reviews (docs/web.md) are applied and traced, never silent: an event carries the
analyst's values and, when reviewed, its ``review`` (rejected, corrected or confirmed) and its
``corrections`` (the latest review of each field: the extracted value beside the analyst's, with
note and time; unreviewed events are the extract contract's records exactly); a rejected event is
kept, flagged, so that nothing an analyst judged disappears from the table. An entity's
``aliases`` leave out the aliases an analyst rejected, listed in ``alias_reviews``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

from conflictkb.contract import event_record
from conflictkb.export.incidents import Source, knowledge_base
from conflictkb.model import Event
from conflictkb.store import corrections

KINDS = ("events", "entities", "relations")
FORMATS = ("jsonl", "csv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = {
    "events": ["id", "incident", "doc", "type", "date", "date_precision", "date_text", "place", "country", "admin1",
               "lat", "lon", "geonames_id", "perpetrators", "attribution", "targets", "target_types", "killed",
               "wounded", "kidnapped", "casualty_text", "evidence", "evidence_start", "evidence_end", "n_evidence",
               "confidence", "review", "corrections"],
    "entities": ["id", "name", "type", "mentions", "documents", "aliases", "rejected_aliases", "alias_reviews"],
    "relations": ["id", "doc", "subject", "relation", "object", "date", "confidence", "evidence", "evidence_start",
                  "evidence_end"],
}  # fmt: skip


def field_value(event: Event, prop: str) -> str | int | None:
    """The value of one reviewable field (store/corrections.py EVENT_PROPERTIES) of ``event``."""
    if prop == "type":
        return event.type
    if prop == "date":
        return event.date
    if prop in ("place.name", "place.country"):
        return None if event.place is None else (event.place.name if prop == "place.name" else event.place.country)
    if prop == "perpetrator":
        return "; ".join(p.name for p in event.perpetrators) or None
    if prop in ("killed", "wounded", "kidnapped"):
        value: int | None = getattr(event, prop)
        return value
    return None  # "event": the event as a whole has no value


def review_trace(extracted: Event, reviews: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The latest review of each field of an event, oldest first: what was extracted, what the
    analyst made of it (``value``: the analyst's for a correction, the extracted one confirmed,
    none for a rejection), the note and when."""
    trace = []
    for prop, r in sorted(reviews.items(), key=lambda item: int(item[1]["id"])):
        was = field_value(extracted, prop)
        value = r["value"] if r["action"] == "correct" else was if r["action"] == "confirm" else None
        if prop in ("killed", "wounded", "kidnapped") and isinstance(value, str) and value.isdigit():
            value = int(value)
        trace.append(
            {"field": prop, "action": r["action"], "extracted": was, "value": value, "note": r["note"],
             "at": r["created_at"]}
        )  # fmt: skip
    return trace


def review_status(reviews: dict[str, dict[str, Any]]) -> str | None:
    """One word for an event's reviews: rejected (as a whole), corrected (a field corrected or
    rejected), confirmed (the event or fields confirmed, nothing changed), or None (not reviewed)."""
    if reviews.get("event", {}).get("action") == "reject":
        return "rejected"
    if any(r["action"] != "confirm" for r in reviews.values()):
        return "corrected"
    return "confirmed" if reviews else None


def review_line(item: dict[str, Any]) -> str:
    """One review as a line for text-only formats: "killed 13 -> 77 corrected by an analyst (2026-…: note)"."""
    what = item["field"] if item["field"] != "event" else "the report"
    done = {"confirm": "confirmed", "reject": "rejected", "correct": "corrected"}[item["action"]]
    change = f" {item['extracted']} -> {item['value']}" if item["action"] == "correct" else ""
    where = f"{item['doc']}: " if item.get("doc") else ""
    note = f": {item['note']}" if item.get("note") else ""
    return f"{where}{what}{change} {done} by an analyst ({item['at']}{note})"


def event_rows(source: Source) -> Iterator[dict[str, Any]]:
    """Every event with the analysts' values and the trace of their reviews; rejected ones flagged."""
    kb = knowledge_base(source)
    reviews = corrections.latest_by_subject(kb.store, "event:")
    for stored in kb.events(limit=10**9):
        review = reviews.get(f"event:{stored.id}", {})
        event = corrections.corrected(kb.store, stored.event, review)
        row = {"id": stored.id, "incident": stored.incident_id, **event_record(event, stored.doc_name)}
        if review:  # an event no analyst reviewed is the extract contract's record, exactly
            row |= {"review": review_status(review), "corrections": review_trace(stored.event, review)}
        yield row


def incident_reviews(source: Source) -> dict[int, list[dict[str, Any]]]:
    """Incident id -> the reviews of its reports (``review_trace`` items with ``event`` and
    ``doc``), rejected reports included: what the per-incident formats show beside their values."""
    kb = knowledge_base(source)
    out: dict[int, list[dict[str, Any]]] = {}
    for subject, review in corrections.latest_by_subject(kb.store, "event:").items():
        stored = kb.event(subject.removeprefix("event:"))
        if stored is None:  # a review of an event no longer in the store (its document changed)
            continue
        items = [{"event": stored.id, "doc": stored.doc_name, **t} for t in review_trace(stored.event, review)]
        out.setdefault(stored.incident_id, []).extend(items)
    return out


def alias_reviews(source: Source) -> dict[str, dict[str, dict[str, Any]]]:
    """Entity name -> alias -> the latest review of that alias merge."""
    reviews = corrections.latest_by_subject(knowledge_base(source).store, "alias:")
    return {subject.removeprefix("alias:"): review for subject, review in reviews.items()}


def entity_rows(source: Source) -> Iterator[dict[str, Any]]:
    """Every entity; the aliases an analyst rejected are out of ``aliases`` and in ``alias_reviews``."""
    kb = knowledge_base(source)
    reviews = alias_reviews(kb)
    for row in kb.entities(limit=10**9):
        review = reviews.get(row["name"], {})
        rejected = {alias for alias, r in review.items() if r["action"] == "reject"}
        # The row's own "kind" is the entity kind: it becomes "type", as in the extract contract.
        out = {
            **row,
            "kind": "entity",
            "type": row["kind"],
            "aliases": [a for a in row["aliases"] if a not in rejected],
        }
        if review:
            out["alias_reviews"] = [{"alias": a, "action": r["action"], "note": r["note"], "at": r["created_at"]}
                                    for a, r in review.items()]  # fmt: skip
        yield out


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
        "n_evidence": len(evidence), "confidence": row["confidence"], "review": row.get("review"),
        "corrections": _json_cell(row.get("corrections", [])),
    }  # fmt: skip


def _json_cell(items: list[dict[str, Any]]) -> str | None:
    """A list as a JSON cell (as ACLED's ``conflictkb_citations``), empty when there is nothing."""
    return json.dumps(items, ensure_ascii=False) if items else None


def _flat(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    if kind == "events":
        return _flat_event(row)
    if kind == "entities":
        reviews = row.get("alias_reviews", [])
        rejected = [r["alias"] for r in reviews if r["action"] == "reject"]
        return {"id": row["id"], "name": row["name"], "type": row["type"], "mentions": row["mentions"],
                "documents": row["documents"], "aliases": "; ".join(row["aliases"]),
                "rejected_aliases": "; ".join(rejected), "alias_reviews": _json_cell(reviews)}  # fmt: skip
    evidence = row["evidence"][0]
    flat = {k: row[k] for k in ("id", "doc", "subject", "relation", "object", "date", "confidence")}
    return {**flat, "evidence": evidence["text"], "evidence_start": evidence["start"], "evidence_end": evidence["end"]}


def safe_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet will show, not run: text starting like a formula gets a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str], out: TextIO) -> int:
    """Rows as CSV under ``columns``, every cell made safe for spreadsheets; return how many rows."""
    table = csv.DictWriter(out, fieldnames=list(columns))
    table.writeheader()
    count = 0
    for row in rows:
        table.writerow({k: safe_cell(v) for k, v in row.items()})
        count += 1
    return count


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
