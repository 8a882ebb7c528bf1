"""Tests for conflictkb.export.tables and the ``export`` command: JSON Lines and CSV files read back."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from contextlib import closing
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import conflictkb
from conflictkb.cli import app
from conflictkb.contract import event_record
from conflictkb.engines.local import write_facts
from conflictkb.export import tables
from conflictkb.kb import KnowledgeBase
from conflictkb.model import Document, DocumentFacts, Entity, Event, Mention, Span
from conflictkb.store import Store, corrections

ENTITY_KINDS = {"person", "armed_group", "organization", "state_actor", "place"}
RECORD_KIND = {"events": "event", "entities": "entity", "relations": "relation"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
runner = CliRunner()


def export(db: Path, kind: str, fmt: str, out: Path) -> str:
    """Run ``conflictkb export`` in-process into ``out``; return what it said on stderr."""
    result = runner.invoke(app, ["export", kind, "--db", str(db), "--format", fmt, "--output", str(out)])
    assert result.exit_code == 0, result.output
    return result.stderr


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _unguard(cell: str) -> str:
    """A CSV cell without the formula guard, if it has one."""
    return cell[1:] if cell.startswith("'") and cell[1:2].startswith(FORMULA_STARTS) else cell


def _texts(seed_kb: Path) -> dict[str, str]:
    """Document name -> text."""
    with closing(KnowledgeBase(seed_kb)) as kb:
        return {d["name"]: kb.document(d["id"])["text"] for d in kb.documents()}  # type: ignore[index]


def _counts(seed_kb: Path) -> dict[str, int]:
    with closing(KnowledgeBase(seed_kb)) as kb:
        return kb.counts()


@pytest.mark.parametrize("kind", tables.KINDS)
def test_csv_export_has_the_documented_header_and_every_row(seed_kb: Path, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.csv"
    said = export(seed_kb, kind, "csv", out)
    header, rows = read_csv(out)
    assert header == tables.CSV_COLUMNS[kind]
    expected = _counts(seed_kb)[kind]
    assert len(rows) == expected > 0
    assert said.strip() == f"exported {expected} {kind}"
    assert all(None not in row for row in rows)  # no row has more cells than the header
    if kind != "entities":
        texts = _texts(seed_kb)
        for row in rows:
            start, end = int(row["evidence_start"]), int(row["evidence_end"])
            assert texts[row["doc"]][start:end] == _unguard(row["evidence"])
    if kind == "events":
        assert all(int(r["n_evidence"]) >= 1 for r in rows)
        assert all(0 <= float(r["confidence"]) <= 1 for r in rows)
        assert len({r["id"] for r in rows}) == len(rows)
        assert any(r["place"] and r["country"] for r in rows)
    if kind == "entities":
        assert {r["type"] for r in rows} <= ENTITY_KINDS
        assert all(int(r["mentions"]) >= 1 and int(r["documents"]) >= 1 for r in rows)


@pytest.mark.parametrize("kind", tables.KINDS)
def test_jsonl_export_has_a_record_per_row(seed_kb: Path, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.jsonl"
    export(seed_kb, kind, "jsonl", out)
    records = read_jsonl(out)
    assert len(records) == _counts(seed_kb)[kind] > 0
    texts = _texts(seed_kb)
    for record in records:
        assert record["kind"] == RECORD_KIND[kind]
        if kind != "entities":
            assert record["doc"] in texts
            assert record["evidence"]
            for ev in record["evidence"]:
                assert texts[record["doc"]][ev["start"] : ev["end"]] == ev["text"]
    if kind == "entities":
        assert {r["type"] for r in records} <= ENTITY_KINDS
        assert all(r["aliases"] and isinstance(r["id"], int) for r in records)


def test_jsonl_event_records_carry_every_key_of_the_extract_contract(seed_kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    export(seed_kb, "events", "jsonl", out)
    contract_keys = set(event_record(Event("x", "other", [Span(0, 1, "x")]), "doc.txt"))
    assert {"kind", "doc", "type", "date", "place", "perpetrators", "killed", "evidence", "confidence"} <= contract_keys
    records = read_jsonl(out)
    assert records
    for record in records:
        assert set(record) == contract_keys | {"id", "incident"}  # no review: the contract's record exactly
        assert isinstance(record["incident"], int)


def test_export_to_standard_output(seed_kb: Path) -> None:
    result = runner.invoke(app, ["export", "relations", "--db", str(seed_kb)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == _counts(seed_kb)["relations"]
    assert all(json.loads(line)["kind"] == "relation" for line in lines)


# --- Analysts' reviews ----------------------------------------------------------------------------------------


def review_seed(seed_kb: Path, db: Path) -> dict[str, Any]:
    """Copy the seed knowledge base to ``db`` and review it through the store's own API: a toll of a
    located event with a linked perpetrator corrected twice (the latest counts), another event
    rejected, a third confirmed, an alias merge of the most-named group rejected. Return what was
    reviewed."""
    shutil.copy(seed_kb, db)
    with closing(KnowledgeBase(db)) as kb:
        events = kb.events(limit=10**6)
        fixed = next(
            s for s in events
            if s.event.killed is not None and s.event.place and s.event.place.lat is not None
            and any(p.entity for p in s.event.perpetrators)
        )  # fmt: skip
        rejected, confirmed = [s for s in events if s.id != fixed.id][:2]
        entity = next(e for e in kb.entities(limit=10**6) if len(e["aliases"]) > 1)
    alias = next(a for a in entity["aliases"] if a != entity["name"])
    killed = fixed.event.killed + 100  # type: ignore[operator]
    with Store(db) as store, store.transaction():
        corrections.add_correction(store, f"event:{fixed.id}", "killed", "correct", str(killed - 50), "first count")
        corrections.add_correction(store, f"event:{fixed.id}", "killed", "correct", str(killed), "a later count")
        corrections.add_correction(store, f"event:{rejected.id}", "event", "reject", None, "not an attack")
        corrections.add_correction(store, f"event:{confirmed.id}", "event", "confirm")
        corrections.add_correction(store, f"alias:{entity['name']}", alias, "reject", None, "another group")
    return {"fixed": fixed, "killed": killed, "rejected": rejected, "confirmed": confirmed, "entity": entity,
            "alias": alias}  # fmt: skip


def test_exported_events_carry_the_analysts_values_and_their_trace(seed_kb: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    got = review_seed(seed_kb, db)
    fixed, killed = got["fixed"], got["killed"]
    out = tmp_path / "events.jsonl"
    export(db, "events", "jsonl", out)
    records = {r["id"]: r for r in read_jsonl(out)}
    assert len(records) == _counts(db)["events"], "rejected events are kept, flagged"
    row = records[fixed.id]
    assert row["killed"] == killed and row["review"] == "corrected"
    (trace,) = row["corrections"]
    assert {k: trace[k] for k in ("field", "action", "extracted", "value", "note")} == {
        "field": "killed", "action": "correct", "extracted": fixed.event.killed, "value": killed,
        "note": "a later count",
    }  # fmt: skip
    assert trace["at"][:4].isdigit()
    assert records[got["rejected"].id]["review"] == "rejected"
    assert records[got["rejected"].id]["corrections"][0]["note"] == "not an attack"
    assert records[got["confirmed"].id]["review"] == "confirmed"
    reviewed = {fixed.id, got["rejected"].id, got["confirmed"].id}
    assert all("review" not in r and "corrections" not in r for i, r in records.items() if i not in reviewed)
    with closing(KnowledgeBase(db)) as kb:
        assert kb.event(fixed.id).event.killed == fixed.event.killed, "the store keeps what was extracted"  # type: ignore[union-attr]


def test_exported_events_csv_reads_back_with_the_reviews(seed_kb: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    got = review_seed(seed_kb, db)
    out = tmp_path / "events.csv"
    export(db, "events", "csv", out)
    frame = pd.read_csv(out).set_index("id")
    fixed = frame.loc[got["fixed"].id]
    assert fixed["killed"] == got["killed"] and fixed["review"] == "corrected"
    (trace,) = json.loads(fixed["corrections"])
    assert (trace["extracted"], trace["value"]) == (got["fixed"].event.killed, got["killed"])
    assert frame.loc[got["rejected"].id, "review"] == "rejected"
    assert frame.loc[got["confirmed"].id, "review"] == "confirmed"
    assert frame["review"].notna().sum() == 3 and frame["corrections"].notna().sum() == 3


def test_exported_entities_leave_out_a_rejected_alias(seed_kb: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    got = review_seed(seed_kb, db)
    entity, alias = got["entity"], got["alias"]
    out = tmp_path / "entities.jsonl"
    export(db, "entities", "jsonl", out)
    (row,) = [r for r in read_jsonl(out) if r["id"] == entity["id"]]
    assert alias not in row["aliases"] and set(row["aliases"]) == set(entity["aliases"]) - {alias}
    assert [(r["alias"], r["action"], r["note"]) for r in row["alias_reviews"]] == [(alias, "reject", "another group")]
    out = tmp_path / "entities.csv"
    export(db, "entities", "csv", out)
    frame = pd.read_csv(out, keep_default_na=False).set_index("id")
    assert frame.loc[entity["id"], "rejected_aliases"] == alias
    assert alias not in frame.loc[entity["id"], "aliases"].split("; ")
    assert json.loads(frame.loc[entity["id"], "alias_reviews"])[0]["alias"] == alias
    assert (frame["rejected_aliases"] != "").sum() == 1


# --- The formula-injection guard -----------------------------------------------------------------------------

DANGEROUS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]


def _kb_with_names(db: Path, names: list[str]) -> str:
    """A knowledge base with one document naming an armed group by each of ``names``; return its text."""
    text = " and ".join(names) + " attacked the town."
    document = Document(hashlib.sha256(text.encode()).hexdigest(), "/corpus/evil.txt", "txt", text, n_bytes=len(text))
    entities, mentions = [], []
    for i, name in enumerate(names, 1):
        start = text.index(name)
        entities.append(Entity(f"ent{i}", name, "armed_group", {name: 1}))
        mentions.append(Mention(f"ent{i}", start, start + len(name), name, "ORG"))
    event = Event("ev1", "armed_assault", [Span(0, len(text), text)], casualty_text="=1+1")
    with Store(db) as store:
        write_facts(store, document.path, DocumentFacts(document, [], entities, mentions, [event], []))
    return text


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    text = _kb_with_names(db, [*DANGEROUS, "Plain Name"])
    out = tmp_path / "entities.csv"
    export(db, "entities", "csv", out)
    _, rows = read_csv(out)
    by_name = {_unguard(r["name"]): r for r in rows}
    assert set(by_name) == {*DANGEROUS, "Plain Name"}
    for name in DANGEROUS:
        assert by_name[name]["name"] == "'" + name
        assert by_name[name]["aliases"] == "'" + name
    assert by_name["Plain Name"]["name"] == "Plain Name"
    assert all(r["mentions"] == "1" for r in rows)  # numbers are never touched

    out = tmp_path / "events.csv"
    export(db, "events", "csv", out)
    _, (event,) = read_csv(out)
    assert event["casualty_text"] == "'=1+1"
    assert event["evidence"] == "'" + text
    assert event["type"] == "armed_assault"
    # JSON Lines are data, not a spreadsheet: the values are exact.
    out = tmp_path / "entities.jsonl"
    export(db, "entities", "jsonl", out)
    assert {r["name"] for r in read_jsonl(out)} == {*DANGEROUS, "Plain Name"}


# --- Errors ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["export", "people"],
            "error: cannot export 'people': choose one of events, entities, relations, jsonl, acled, gtd, geojson, "
            "gexf, graphml, ftm, datasette",
        ),
        (["export", "events", "--format", "xlsx"], "error: unknown format 'xlsx': choose one of jsonl, csv"),
    ],
)
def test_unknown_kind_or_format_exits_2_with_one_line(
    seed_kb: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "out.txt"
    result = runner.invoke(app, [*args, "--db", str(seed_kb), "--output", str(out)])
    assert result.exit_code == 2
    assert result.stderr == message + "\n"
    assert result.stdout == ""
    assert not out.exists()


def test_write_refuses_unknown_kind_or_format(seed_kb: Path) -> None:
    with closing(conflictkb.open(seed_kb)) as kb:  # the notebook API's object is accepted as its knowledge base
        with pytest.raises(ValueError, match="unknown format 'xml'"):
            tables.write(kb, "events", "xml", io.StringIO())
        with pytest.raises(ValueError, match="unknown export 'people'"):
            tables.write(kb, "people", "jsonl", io.StringIO())


def test_export_into_a_missing_folder_exits_2(seed_kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "folder" / "events.csv"
    result = runner.invoke(app, ["export", "events", "--db", str(seed_kb), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot write ")
    assert len(result.stderr.splitlines()) == 1
