"""conflictkb.store.corrections: analysts' reviews checked, stored as rows apart from what was
extracted, applied on reading (the latest review of each field), and surviving a re-ingest of the
same documents."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from conflictkb.engines.local import ingest
from conflictkb.extract import Extractor
from conflictkb.kb import KnowledgeBase
from conflictkb.model import Event, Perpetrator, Place, Span
from conflictkb.store import Store, corrections, writer
from conflictkb.store.corrections import CorrectionError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"


@pytest.fixture
def writable(seed_kb: Path, tmp_path: Path) -> Path:
    """A private copy of the seed knowledge base, for tests that write."""
    db = tmp_path / "kb.sqlite"
    shutil.copy(seed_kb, db)
    return db


# --- corrections ---------------------------------------------------------------------------------


def test_event_values_are_checked() -> None:
    assert corrections.check_event_value("date", " 2001-09 ") == "2001-09"
    assert corrections.check_event_value("killed", "007") == "7"
    assert corrections.check_event_value("place.country", "uz") == "UZ"
    assert corrections.check_event_value("type", "bombing", ["bombing"]) == "bombing"
    for prop, value in [
        ("date", "2001-13"),
        ("date", "2001-02-30"),
        ("date", "yesterday"),
        ("killed", "-1"),
        ("killed", "many"),
        ("place.country", "Uzbekistan"),
        ("type", "massacre"),
        ("perpetrator", ""),
        ("perpetrator", "x" * 500),
        ("perpetrator", "a\x00b"),
    ]:
        with pytest.raises(CorrectionError):
            corrections.check_event_value(prop, value, ["bombing"])


def test_corrections_are_validated(writable: Path) -> None:
    with Store(writable) as store, store.transaction():
        for subject, prop, action, value in [
            ("event:x-ev1", "colour", "correct", "red"),
            ("event:x-ev1", "event", "correct", "x"),
            ("event:x-ev1", "type", "reject", None),
            ("event:x-ev1", "killed", "correct", None),
            ("event:x-ev1", "killed", "delete", None),
            ("alias:IMU", "IMU", "correct", "x"),
            ("document:x", "title", "correct", "x"),
        ]:
            with pytest.raises(CorrectionError):
                corrections.add_correction(store, subject, prop, action, value)


def _event() -> Event:
    return Event(
        "e1",
        "bombing",
        [Span(0, 4, "text")],
        date="1999-02-16",
        date_precision="day",
        date_text="Feb. 16, 1999",
        place=Place("Tashkent", "UZ", lat=41.3, lon=69.2, precision="point"),
        perpetrators=[Perpetrator("IMU", "stated", "2")],
        killed=13,
        wounded=128,
        spans={"date": Span(0, 4, "text"), "killed": Span(0, 4, "text")},
    )


def test_corrected_applies_the_latest_review_of_each_field(writable: Path) -> None:
    with Store(writable) as store:
        event = _event()
        assert corrections.corrected(store, event, {}) is event
        reviews = {
            "type": {"action": "correct", "value": "armed_assault"},
            "date": {"action": "correct", "value": "1999-02"},
            "killed": {"action": "reject", "value": None},
            "wounded": {"action": "confirm", "value": None},
            "perpetrator": {"action": "correct", "value": "Taliban"},
            "place.name": {"action": "correct", "value": "Kunduz"},
        }
        fixed = corrections.corrected(store, event, reviews)
        assert (fixed.type, fixed.date, fixed.date_precision, fixed.date_text) == (
            "armed_assault",
            "1999-02",
            "month",
            None,
        )
        assert fixed.killed is None and fixed.wounded == 128
        assert "killed" not in fixed.spans and "date" not in fixed.spans
        assert [p.name for p in fixed.perpetrators] == ["Taliban"]
        taliban = corrections.entity_named(store, "Taliban")
        assert taliban is not None and fixed.perpetrators[0].entity == str(taliban)
        assert fixed.place is not None and fixed.place.name == "Kunduz" and fixed.place.country == "UZ"
        assert event.type == "bombing" and event.killed == 13, "the extracted event is left as it was"
        moved = corrections.corrected(store, event, {"place.country": {"action": "correct", "value": "TJ"}})
        assert moved.place is not None and (moved.place.name, moved.place.country, moved.place.lat) == (
            "Tashkent", "TJ", None,
        )  # fmt: skip
        gone = corrections.corrected(store, event, {"place.name": {"action": "reject", "value": None}})
        assert gone.place is None


def test_corrections_survive_a_reingest_of_the_same_documents(writable: Path, extractor: Extractor) -> None:
    with closing(KnowledgeBase(writable)) as kb:
        stored = next(s for s in kb.events(limit=10**6) if s.event.killed is not None)
        imu = kb.search_names("Islamic Movement of Uzbekistan")[0]
    with Store(writable) as store, store.transaction():
        corrections.add_correction(store, f"event:{stored.id}", "killed", "correct", "99", "two sources say 99")
        corrections.add_correction(store, f"event:{stored.id}", "type", "correct", "armed_assault")
        corrections.add_correction(store, f"event:{stored.id}", "type", "confirm")
        corrections.add_correction(store, f"event:{stored.id}", "event", "reject", None, "a duplicate")
        corrections.add_correction(store, f"alias:{imu['name']}", "IMT", "reject", None, "Turkestan is a later name")
    with Store(writable) as store:
        with store.transaction():
            writer.delete_document(store, stored.doc_id)
        assert store.conn.execute("SELECT count(*) FROM events WHERE id = ?", (stored.id,)).fetchone()[0] == 0
        ingest([SEEDS], store, extractor, show_progress=False)
    with closing(KnowledgeBase(writable)) as kb:
        again = kb.event(stored.id)
        assert again is not None and again.event.killed == stored.event.killed, "the extracted value is back"
        history = kb.corrections(f"event:{stored.id}")
        assert [(h["property"], h["action"]) for h in history] == [
            ("killed", "correct"), ("type", "correct"), ("type", "confirm"), ("event", "reject"),
        ]  # fmt: skip
        review = kb.review(f"event:{stored.id}")
        assert review["type"]["action"] == "confirm" and review["killed"]["note"] == "two sources say 99"
        fixed = kb.corrected_event(again)
        assert fixed.event.killed == 99 and fixed.event.type == again.event.type
        assert kb.rejected_events() == {stored.id}
        assert kb.review(f"alias:{imu['name']}")["IMT"]["action"] == "reject"
        untouched = next(s for s in kb.events(limit=10**6) if s.id != stored.id)
        assert kb.corrected_event(untouched) is untouched


def test_corrections_are_stored_as_rows_apart(writable: Path) -> None:
    with Store(writable) as store, store.transaction():
        corrections.add_correction(store, "event:abc-ev1", "killed", "correct", "5", "  a   note ")
    with closing(sqlite3.connect(writable)) as raw:
        row = raw.execute("SELECT subject, property, value, action, note FROM corrections").fetchone()
        assert row == ("event:abc-ev1", "killed", "5", "correct", "a note")
        assert raw.execute("SELECT count(*) FROM statements WHERE extractor LIKE '%analyst%'").fetchone()[0] == 0
    assert json.loads(json.dumps(row)) == list(row)


def test_reviews_reach_the_exports(writable: Path) -> None:
    """A corrected toll is the exported figure, marked as the analyst's; a rejected report is not
    exported; the store's extracted statements are unchanged."""
    from conflictkb.export import acled
    from conflictkb.export.incidents import incident, incidents

    with closing(KnowledgeBase(writable)) as kb:
        alone = [
            s for s in kb.events(limit=10**6) if s.event.killed is not None and len(kb.incident(s.incident_id)) == 1
        ]
        fixed, dropped = alone[0], alone[1]
        before = {inc.id: inc for inc in incidents(kb)}
    with Store(writable) as store, store.transaction():
        corrections.add_correction(store, f"event:{fixed.id}", "killed", "correct", "77", "a later count")
        corrections.add_correction(store, f"event:{dropped.id}", "event", "reject", None, "not an attack")
    with closing(KnowledgeBase(writable)) as kb:
        after = {inc.id: inc for inc in incidents(kb)}
        assert set(before) - set(after) == {dropped.incident_id}, "the rejected report's incident is left out"
        inc = incident(kb, fixed.incident_id)
        assert inc is not None and inc.lowest("killed") == 77
        assert f"killed 77 ({fixed.doc_name}, corrected by an analyst)" in inc.toll_lines()
        row = next(r for r in acled.rows(kb) if r["event_id_cnty"] == f"CKB{fixed.incident_id}")
        assert row["fatalities"] == 77
        assert kb.event(fixed.id).event.killed == fixed.event.killed, "what was extracted is kept"  # type: ignore[union-attr]
