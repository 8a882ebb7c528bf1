"""Analysts' reviews (confirm, reject or correct an event's fields, an event as a whole, an alias
merge): checked, stored and applied on reading.

They are the one thing the web writes. They live in their own table (schema version 4), keyed by
what survives a re-ingest of the same bytes (event ids, which derive from the document's hash;
entity names and aliases), and are applied on reading (``corrected``) without touching what was
extracted: exports and pages show the analyst's value, the store keeps the document's.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from conflictkb.model import Event, Perpetrator, Place
from conflictkb.names import entity_key
from conflictkb.store.db import Store

DATE_PATTERN = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
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


def latest_by_subject(store: Store, prefix: str) -> dict[str, dict[str, dict[str, Any]]]:
    """The latest review of each property of every subject starting with ``prefix`` ("event:",
    "alias:"), in one read: what the exports apply to every row."""
    rows = store.conn.execute(
        "SELECT id, subject, property, value, action, note, created_at FROM corrections "
        "WHERE substr(subject, 1, ?) = ? ORDER BY id",
        (len(prefix), prefix),
    )
    out: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in rows:
        out[r["subject"]][r["property"]] = dict(r)
    return dict(out)


def all_corrections(store: Store) -> list[dict[str, Any]]:
    """Every review ever stored, oldest first (history included): the ``jsonl`` dump's records."""
    rows = store.conn.execute(
        "SELECT id, subject, property, value, action, note, created_at FROM corrections ORDER BY id"
    ).fetchall()
    return [dict(r) for r in rows]
