"""Tests for conflictkb.statements: an event spelled as statements, and assembled back, loses nothing."""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from conflictkb.extract import Extractor
from conflictkb.kb import KnowledgeBase
from conflictkb.model import Event, Perpetrator, Place, Span, Statement, Target
from conflictkb.readers import read
from conflictkb.statements import EXTRACTOR, assemble_event, event_statements

TEXT = (
    "On Feb. 16, 1999, six car bombs exploded in Tashkent, killing 16 people and wounding more than 100, "
    "officials said. The government blamed the Islamic Movement of Uzbekistan."
)
SEED = Path(__file__).resolve().parent.parent / "examples" / "seeds" / "004_23f3cafbd793537b.txt"


def _span(words: str) -> Span:
    start = TEXT.index(words)
    return Span(start, start + len(words), words)


def full_event() -> Event:
    """An event with every field filled in, each read from its own words."""
    return Event(
        id="ev1",
        type="bombing",
        evidence=[
            _span(TEXT.split(". The")[0] + "."),
            _span("The government blamed the Islamic Movement of Uzbekistan."),
        ],
        date="1999-02-16",
        date_precision="day",
        date_text="Feb. 16, 1999",
        place=Place("Tashkent", "UZ", "Toshkent Shahri", 41.26465, 69.21627, 1512569, "city"),
        perpetrators=[
            Perpetrator("Islamic Movement of Uzbekistan", "blamed by The government", "ent2"),
            Perpetrator("unknown gunmen", "suspected", None),
        ],
        targets=[Target("six car bombs", "transportation"), Target("officials", None)],
        victims=[Target("16 people", "private_citizens")],
        weapons=["car bomb", "explosives"],
        killed=16,
        wounded=None,
        kidnapped=0,
        casualty_text="more than 100",
        confidence=0.8,
        spans={
            "type": _span("car bombs exploded"),
            "date": _span("Feb. 16, 1999"),
            "date_text": _span("Feb. 16, 1999"),
            "place": _span("Tashkent"),
            "killed": _span("killing 16 people"),
            "kidnapped": _span("six car bombs"),
            "casualty_text": _span("more than 100"),
            "perpetrators": _span("the Islamic Movement of Uzbekistan"),
        },
    )


def _rows(statements: list[Statement]) -> list[dict[str, Any]]:
    return [asdict(s) for s in statements]


def test_every_statement_cites_the_words_its_value_was_read_from() -> None:
    event = full_event()
    statements = event_statements(event, "event:d-ev1", "doc1", {"ent2": 42})
    by_property: dict[str, list[Statement]] = {}
    for s in statements:
        by_property.setdefault(s.property, []).append(s)
    assert set(by_property) == {
        "type", "date", "date_precision", "date_text", "place", "perpetrator", "target", "victim", "weapon",
        "killed", "kidnapped", "casualty_text",
    }  # fmt: skip
    assert "wounded" not in by_property  # unknown is no statement, never a guess
    assert len(by_property["perpetrator"]) == 2
    assert len(by_property["weapon"]) == 2
    for s in statements:
        assert (s.subject, s.doc_id, s.extractor, s.confidence) == ("event:d-ev1", "doc1", EXTRACTOR, 0.8)
        assert s.start is not None and s.end is not None
        assert 0 <= s.start <= s.end <= len(TEXT)
    (killed,) = by_property["killed"]
    assert TEXT[killed.start : killed.end] == "killing 16 people"
    (precision,) = by_property["date_precision"]
    assert TEXT[precision.start : precision.end] == "Feb. 16, 1999"  # the precision is read with the date
    # A field without its own span cites the first evidence sentence.
    (victim,) = by_property["victim"]
    assert (victim.start, victim.end) == (event.evidence[0].start, event.evidence[0].end)


def test_round_trip_preserves_every_field() -> None:
    event = full_event()
    rows = _rows(event_statements(event, "event:d-ev1", "doc1", {"ent2": 42}))
    back = assemble_event("d-ev1", rows, event.evidence, TEXT)

    assert back.id == "d-ev1"
    assert back.type == event.type
    assert back.date == event.date
    assert back.date_precision == event.date_precision
    assert back.date_text == event.date_text
    assert back.place == event.place
    # Local entity ids become knowledge-base ids; everything else is as extracted, in order.
    assert back.perpetrators == [
        Perpetrator("Islamic Movement of Uzbekistan", "blamed by The government", "42"),
        Perpetrator("unknown gunmen", "suspected", None),
    ]
    assert back.targets == event.targets
    assert back.victims == event.victims
    assert back.weapons == event.weapons
    assert (back.killed, back.wounded, back.kidnapped) == (16, None, 0)
    assert isinstance(back.killed, int)
    assert back.casualty_text == event.casualty_text
    assert back.confidence == event.confidence
    assert back.evidence == event.evidence
    for name in ("type", "date", "date_text", "place", "killed", "kidnapped", "casualty_text"):
        assert back.spans[name] == event.spans[name], name


def test_round_trip_of_a_bare_event() -> None:
    event = Event(id="ev2", type="other", evidence=[_span("officials said")], confidence=0.3)
    statements = event_statements(event, "event:x", "doc1", {})
    assert [s.property for s in statements] == ["type"]
    back = assemble_event("x", _rows(statements), event.evidence, TEXT)
    assert back == replace(event, id="x", spans={"type": event.evidence[0]})


def test_events_read_from_the_store_are_the_events_extracted(seed_kb: Path, extractor: Extractor) -> None:
    facts = extractor(read(SEED))
    kb = KnowledgeBase(seed_kb)
    try:
        stored = kb.events(doc_id=facts.document.id)
    finally:
        kb.close()
    assert len(stored) == len(facts.events) > 0
    # The seed exercises the structured fields, so the comparison below is not vacuous.
    assert any(e.perpetrators for e in facts.events)
    assert any(e.place is not None for e in facts.events)
    assert any(e.killed is not None for e in facts.events)
    for original, got in zip(facts.events, stored, strict=True):
        assert got.id == f"{facts.document.id[:12]}-{original.id}"
        back = got.event
        for name in (
            "type", "date", "date_precision", "date_text", "place", "targets", "victims", "weapons",
            "killed", "wounded", "kidnapped", "casualty_text", "confidence", "evidence",
        ):  # fmt: skip
            assert getattr(back, name) == getattr(original, name), (original.id, name)
        assert [(p.name, p.attribution) for p in back.perpetrators] == [
            (p.name, p.attribution) for p in original.perpetrators
        ]
        assert all(
            (p.entity is None) == (q.entity is None)
            for p, q in zip(back.perpetrators, original.perpetrators, strict=True)
        )
