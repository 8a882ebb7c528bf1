"""Tests for the extract contract: ``conflictkb extract`` prints JSON Lines whose evidence quotes the files."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

import conflictkb
from conflictkb.contract import entity_record, event_record, records, relation_record
from conflictkb.export import tables
from conflictkb.extract import Extractor
from conflictkb.model import Entity, Event, Relation, Span
from conflictkb.readers import read
from conflictkb.vocab import load_vocab

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
SMALL = ROOT / "examples" / "seeds" / "004_23f3cafbd793537b.txt"
_SPAN = [Span(0, 1, "x")]
KEYS = {
    "event": set(event_record(Event("x", "other", _SPAN), "d")),
    "entity": set(entity_record(Entity("x", "X", "person"), "d")),
    "relation": set(relation_record(Relation("x", "a", "leader_of", "b", _SPAN), "d", {})),
}


@pytest.fixture(scope="module")
def extracted() -> list[dict[str, Any]]:
    """``conflictkb extract examples/seeds/*.txt`` run as a user runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "conflictkb.cli", "extract", *map(str, SEEDS)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines
    return [json.loads(line) for line in lines]  # every line is one JSON object


def test_every_record_has_kind_and_doc(extracted: list[dict[str, Any]]) -> None:
    kinds = Counter(r["kind"] for r in extracted)
    assert set(kinds) == {"entity", "event", "relation"}
    assert kinds["event"] > 0 and kinds["entity"] > 0
    assert {r["doc"] for r in extracted} == {p.name for p in SEEDS}
    for record in extracted:
        founding = record.get("relation") == "founded"  # a founding also says where
        assert set(record) == KEYS[record["kind"]] | ({"place"} if founding else set())


def test_evidence_is_the_original_text_sliced(extracted: list[dict[str, Any]]) -> None:
    texts = {p.name: read(p).text for p in SEEDS}
    checked = 0
    for record in extracted:
        if record["kind"] in ("event", "relation"):
            assert record["evidence"], record
            for ev in record["evidence"]:
                text = texts[record["doc"]]
                assert 0 <= ev["start"] < ev["end"] <= len(text)
                assert text[ev["start"] : ev["end"]] == ev["text"]
                checked += 1
    assert checked > 0


def test_record_fields_have_the_documented_shapes(extracted: list[dict[str, Any]]) -> None:
    for record in extracted:
        if record["kind"] == "event":
            assert record["date_precision"] in (None, "day", "month", "year")
            if record["date"] is not None:
                assert len(record["date"]) == {"day": 10, "month": 7, "year": 4}[record["date_precision"]]
            if record["place"] is not None:
                assert set(record["place"]) == {"name", "country", "admin1", "lat", "lon", "geonames_id"}
            assert all(set(p) == {"name", "attribution"} for p in record["perpetrators"])
            assert all(set(t) == {"text", "type"} for t in record["targets"])
            assert all(n is None or (isinstance(n, int) and n >= 0) for n in (record["killed"], record["wounded"]))
            assert 0 <= record["confidence"] <= 1
        elif record["kind"] == "entity":
            assert record["type"] in ("person", "armed_group", "organization", "state_actor", "place")
            assert record["name"] and isinstance(record["aliases"], list)
    names = {(r["doc"], r["name"]) for r in extracted if r["kind"] == "entity"}
    literal = {"strength", "aim", "killed_in", "renamed_to"}  # their object is a text, not an entity
    # A funder or host that is no named actor is a text ("heroin smuggling"), a named one an entity of the
    # document: the relations declared with text_objects (and funding, read as text by claims.py).
    literal |= {"funded_by"} | {name for name, spec in load_vocab().relation_types.items() if spec.get("text_objects")}
    for relation in (r for r in extracted if r["kind"] == "relation"):
        assert (relation["doc"], relation["subject"]) in names
        assert (
            relation["relation"] in literal
            or (relation["doc"], relation["object"]) in names
            or (
                relation["relation"] == "founded" and relation["object"] is None  # "the IMU was founded in ..."
            )
        )
        assert isinstance(relation["hedged"], bool)


def test_extract_command_prints_what_the_pipeline_finds(extracted: list[dict[str, Any]], extractor: Extractor) -> None:
    in_process = json.loads(json.dumps(records(extractor(read(SMALL)))))
    assert in_process == [r for r in extracted if r["doc"] == SMALL.name]


def test_exported_events_read_as_the_extracted_ones(extracted: list[dict[str, Any]], seed_kb: Path) -> None:
    """A record from ``export`` is the record from ``extract`` plus the knowledge-base ids."""
    with closing(conflictkb.open(seed_kb)) as kb:
        exported = [{k: v for k, v in r.items() if k not in ("id", "incident")} for r in tables.event_rows(kb)]
    exported = json.loads(json.dumps(exported))
    from_extract = [r for r in extracted if r["kind"] == "event"]
    key = lambda r: (r["doc"], r["evidence"][0]["start"], r["type"])  # noqa: E731
    assert sorted(exported, key=key) == sorted(from_extract, key=key)


def test_a_founding_record_keeps_its_place_apart_from_its_object() -> None:
    founding = Relation("r", "a", "founded", None, _SPAN, value="Tajikistan")
    record = relation_record(founding, "d", {"a": "Islamic Movement of Uzbekistan"})
    assert record["subject"] == "Islamic Movement of Uzbekistan"
    assert (record["object"], record["place"]) == (None, "Tajikistan")
    with_founder = relation_record(Relation("r", "p", "founded", "a", _SPAN, value="Kabul"), "d", {"p": "X", "a": "Y"})
    assert (with_founder["object"], with_founder["place"]) == ("Y", "Kabul")
