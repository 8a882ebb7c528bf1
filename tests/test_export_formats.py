"""Tests for the exports to other tools (ACLED, GTD, GeoJSON, GEXF, GraphML, FollowTheMoney, JSON Lines of
everything, Datasette metadata), each read back by the library its users read it with."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import math
import re
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

import geojson
import networkx as nx
import pandas as pd
import pytest
from followthemoney import model
from test_export_tables import review_seed
from typer.testing import CliRunner

from conflictkb.cli import app
from conflictkb.engines.local import write_facts
from conflictkb.export import acled, dump, ftm, graph, gtd
from conflictkb.export.cli import KINDS
from conflictkb.export.codebooks import load_codebooks
from conflictkb.export.incidents import incidents
from conflictkb.kb import KnowledgeBase
from conflictkb.model import Document, DocumentFacts, Entity, Event, Mention, Perpetrator, Place, Span, Target
from conflictkb.store import Store

runner = CliRunner()
ENTITY_KINDS = {"person", "armed_group", "organization", "state_actor", "place"}
EXPORTS_MD = Path(__file__).resolve().parent.parent / "docs" / "exports.md"


def export(db: Path, kind: str, out: Path, *extra: str) -> str:
    result = runner.invoke(app, ["export", kind, "--db", str(db), "--output", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result.stderr


@pytest.fixture(scope="module")
def exported(seed_kb: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every export of the seed knowledge base, written once through the command."""
    folder = tmp_path_factory.mktemp("exports")
    out = {}
    for kind in ("acled", "gtd", "geojson", "gexf", "graphml", "ftm", "jsonl"):
        out[kind] = folder / f"kb.{kind}"
        export(seed_kb, kind, out[kind])
    return out


@pytest.fixture(scope="module")
def seed(seed_kb: Path) -> Any:
    with closing(KnowledgeBase(seed_kb)) as kb:
        texts = {d["id"]: kb.document(d["id"])["text"] for d in kb.documents()}  # type: ignore[index]
        names = {d["name"]: d["id"] for d in kb.documents()}
        yield kb.counts(), incidents(kb), texts, names


def _quotes_hold(citations: str, texts: dict[str, str]) -> None:
    records = json.loads(citations)
    assert records
    for c in records:
        assert texts[c["doc_id"]][c["start"] : c["end"]] == c["quote"]


# --- ACLED and GTD ---------------------------------------------------------------------------------------------


def test_acled_csv_has_acleds_columns_and_one_cited_row_per_incident(exported: dict[str, Path], seed: Any) -> None:
    counts, found, texts, _ = seed
    frame = pd.read_csv(exported["acled"])
    assert list(frame.columns) == acled.COLUMNS
    assert list(frame.columns[:31]) == [
        "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
        "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
        "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
        "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
    ]  # fmt: skip
    assert len(frame) == len(found) == counts["incidents"]
    assert frame["event_id_cnty"].is_unique
    assert set(frame["event_type"]) <= {
        "Battles", "Violence against civilians", "Explosions/Remote violence", "Riots", "Strategic developments",
    }  # fmt: skip
    assert (frame["fatalities"] >= 0).all()  # ACLED's fatalities are never empty
    for _, row in frame.iterrows():
        assert row["source"] and row["notes"]
        for doc in row["source"].split("; "):
            assert doc in row["notes"]
        _quotes_hold(row["conflictkb_citations"], texts)
    located = frame[frame["latitude"].notna()]
    assert len(located) > 0 and set(located["geo_precision"].astype(int)) <= {1, 2, 3}
    by_id = {inc.id: inc for inc in found}
    for _, row in frame.iterrows():
        inc = by_id[int(row["conflictkb_incident"])]
        assert row["fatalities"] == (inc.lowest("killed") or 0)
        if inc.date_precision == "day":
            assert row["event_date"] == inc.date and row["time_precision"] == 1


def test_gtd_csv_has_gtds_columns_and_only_what_the_gtd_records(exported: dict[str, Path], seed: Any) -> None:
    _, found, texts, _ = seed
    frame = pd.read_csv(exported["gtd"])
    assert list(frame.columns) == gtd.COLUMNS
    for column in ("eventid", "iyear", "imonth", "iday", "approxdate", "country_txt", "provstate", "city",
                   "latitude", "longitude", "specificity", "attacktype1_txt", "targtype1_txt", "target1", "gname",
                   "claimed", "nkill", "nwound", "nhostkid", "summary", "scite1"):  # fmt: skip
        assert column in frame.columns
    recorded = [inc for inc in found if gtd.recorded(inc)]
    assert 0 < len(frame) == len(recorded) < len(found)
    assert "Unknown" in set(frame["gname"])
    codes = load_codebooks().gtd
    assert set(frame["attacktype1_txt"]) <= set(codes.attack_types)
    assert set(frame["specificity"]) <= {1, 3, 4, 5}
    for _, row in frame.iterrows():
        assert row["scite1"] and row["summary"] and row["dbsource"] == "conflictkb"
        assert codes.attack_types[row["attacktype1_txt"]] == row["attacktype1"]
        _quotes_hold(row["conflictkb_citations"], texts)
        if isinstance(row["targtype1_txt"], str):
            assert codes.target_types[row["targtype1_txt"]] == row["targtype1"]


def _section(title: str) -> str:
    """The text of one '## ' section of docs/exports.md."""
    text = EXPORTS_MD.read_text(encoding="utf-8")
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


RANGE = "`([a-z_]+?)(\\d)`\u2013`(\\d)`"  # "`guncertain1`-`3`", with an en dash


def _documented_columns(title: str) -> list[str]:
    """The columns a section's table documents: its first cells ("`a`, `b`"), ranges ("`guncertain1`
    to `3`", written with an en dash) expanded."""
    names: list[str] = []
    for line in _section(title).splitlines():
        if not line.startswith("| `"):
            continue
        cell = line.split("|")[1]
        for head, first, last in re.findall(RANGE, cell):
            names += [f"{head}{n}" for n in range(int(first), int(last) + 1)]
        names += re.findall(r"`([a-z0-9_]+)`", re.sub(RANGE, "", cell))
    return names


@pytest.mark.parametrize(("title", "columns"), [("ACLED-style CSV", acled.COLUMNS), ("GTD-style CSV", gtd.COLUMNS)])
def test_every_csv_column_is_documented_column_by_column(title: str, columns: list[str]) -> None:
    documented = _documented_columns(title)
    assert [c for c in columns if c not in documented] == []
    assert [c for c in documented if c not in columns] == []  # and no column that is not written


def _report(name: str, text: str, event: Event, entities: list[Entity]) -> DocumentFacts:
    document = Document(hashlib.sha256(text.encode()).hexdigest(), f"/corpus/{name}", "txt", text, n_bytes=len(text))
    mentions = []
    for e in entities:
        start = text.index(e.name)
        mentions.append(Mention(e.id, start, start + len(e.name), e.name, "ORG"))
    return DocumentFacts(document, [], entities, mentions, [event], [])


def _span(text: str, words: str) -> Span:
    start = text.index(words)
    return Span(start, start + len(words), words)


def two_reports(db: Path) -> None:
    """Two documents that report one bombing differently: a month and a country, seven killed, claimed
    by the IMU; the day and the town, five killed and twenty wounded, Jundullah suspected."""
    a = "In September 2010 a bomb in Uzbekistan killed seven people at a market. The IMU claimed it."
    b = "The Sept. 19, 2010 bombing in Tashkent left five dead and twenty wounded. Jundullah was suspected."
    imu, jundullah = Entity("e1", "IMU", "armed_group", {"IMU": 1}), Entity("e2", "Jundullah", "armed_group")
    jundullah.aliases["Jundullah"] = 1
    event_a = Event(
        "ev1", "bombing", [Span(0, len(a), a)], date="2010-09", date_precision="month",
        place=Place("Uzbekistan", "UZ", precision="country"), perpetrators=[Perpetrator("IMU", "claimed", "e1")],
        targets=[Target("a market", "civilians")], killed=7, spans={"killed": _span(a, "killed seven people")},
    )  # fmt: skip
    event_b = Event(
        "ev1", "bombing", [Span(0, len(b), b)], date="2010-09-19", date_precision="day",
        place=Place("Tashkent", "UZ", "Toshkent Shahri", 41.26, 69.22, 1512569, "point"),
        perpetrators=[Perpetrator("Jundullah", "suspected", "e2")], killed=5, wounded=20,
        spans={"killed": _span(b, "five dead"), "wounded": _span(b, "twenty wounded")},
    )  # fmt: skip
    with Store(db) as store:
        for facts in (_report("a.txt", a, event_a, [imu]), _report("b.txt", b, event_b, [jundullah])):
            write_facts(store, facts.document.path, facts)


def test_reports_of_one_incident_combine_into_one_row_with_every_figure(tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    two_reports(db)
    out = tmp_path / "acled.csv"
    said = export(db, "acled", out)
    assert said.strip() == "exported 1 incidents (ACLED-style CSV)"
    (row,) = pd.read_csv(out, keep_default_na=False).to_dict("records")
    assert row["event_date"] == "2010-09-19" and row["time_precision"] == 1  # the most precise date
    assert (row["location"], row["country"], row["geo_precision"]) == ("Tashkent", "Uzbekistan", 1)
    assert (row["latitude"], row["longitude"], row["iso"]) == (41.26, 69.22, 860)
    assert row["actor1"] == "IMU" and row["assoc_actor_1"] == "Jundullah" and row["inter1"] == 2  # claimed first
    assert row["actor2"] == "Civilians (Uzbekistan)" and row["civilian_targeting"] == "Civilian targeting"
    assert row["interaction"] == 27
    assert row["fatalities"] == 5  # the lowest stated figure
    assert "killed 7 (a.txt: 'killed seven people')" in row["notes"]
    assert "killed 5 (b.txt: 'five dead')" in row["notes"]
    assert "reports disagree on killed" in row["tags"]
    assert row["source"] == "a.txt; b.txt"
    assert {c["doc"] for c in json.loads(row["conflictkb_citations"])} == {"a.txt", "b.txt"}

    out = tmp_path / "gtd.csv"
    export(db, "gtd", out)
    (row,) = pd.read_csv(out, keep_default_na=False).to_dict("records")
    assert (row["iyear"], row["imonth"], row["iday"], row["approxdate"]) == (2010, 9, 19, "")
    assert (row["country_txt"], row["provstate"], row["city"], row["specificity"]) == (
        "Uzbekistan", "Toshkent Shahri", "Tashkent", 1,
    )  # fmt: skip
    assert (row["attacktype1"], row["attacktype1_txt"]) == (3, "Bombing/Explosion")
    assert (row["targtype1"], row["targtype1_txt"], row["target1"]) == (14, "Private Citizens & Property", "a market")
    assert (row["gname"], row["gname2"], row["guncertain1"], row["guncertain2"], row["claimed"]) == (
        "IMU", "Jundullah", 0, 1, 1,
    )  # fmt: skip
    assert (row["nkill"], row["nwound"]) == (5, 20)
    assert "a.txt" in row["scite1"] and "b.txt" in row["scite2"]
    assert row["summary"].startswith("2010-09-19: bombing on 2010-09-19 at Tashkent, Uzbekistan")


def test_a_month_is_coded_as_acled_and_the_gtd_code_it(tmp_path: Path) -> None:
    text = "In March 2005 insurgents kidnapped four engineers in Osh."
    event = Event(
        "ev1", "kidnapping", [Span(0, len(text), text)], date="2005-03", date_precision="month",
        place=Place("Osh", "KG", None, 40.53, 72.8, None, "point"), kidnapped=4,
        spans={"kidnapped": _span(text, "kidnapped four engineers")},
    )  # fmt: skip
    db = tmp_path / "kb.sqlite"
    with Store(db) as store:
        facts = _report("c.txt", text, event, [])
        write_facts(store, facts.document.path, facts)
    with closing(KnowledgeBase(db)) as kb:
        (a,) = list(acled.rows(kb))
        (g,) = list(gtd.rows(kb))
    assert (a["event_date"], a["time_precision"], a["year"]) == ("2005-03-01", 3, 2005)
    assert a["actor1"] == "Unidentified Armed Group (Kyrgyzstan)" and a["fatalities"] == 0
    assert (a["event_type"], a["sub_event_type"]) == ("Violence against civilians", "Abduction/forced disappearance")
    assert (g["iyear"], g["imonth"], g["iday"], g["approxdate"]) == (2005, 3, 0, "2005-03")
    assert (g["gname"], g["ishostkid"], g["nhostkid"], g["nkill"]) == ("Unknown", 1, 4, None)


def _one_incident(db: Path, text: str, event: Event, entities: list[Entity]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ACLED and GTD rows of a knowledge base holding one document's one event."""
    with Store(db) as store:
        facts = _report("d.txt", text, event, entities)
        write_facts(store, facts.document.path, facts)
    with closing(KnowledgeBase(db)) as kb:
        (a,) = list(acled.rows(kb))
        (g,) = list(gtd.rows(kb))
    return a, g


def test_the_two_sides_of_a_clash_are_acleds_actor1_and_actor2(tmp_path: Path) -> None:
    text = "Tajik troops fought the IMU near Garm in 1999."
    tajik, imu = Entity("e1", "Tajik troops", "state_actor"), Entity("e2", "IMU", "armed_group")
    event = Event(
        "ev1", "clash", [Span(0, len(text), text)], date="1999", date_precision="year",
        perpetrators=[Perpetrator("Tajik troops", "stated", "e1"), Perpetrator("IMU", "stated", "e2")],
    )  # fmt: skip
    a, g = _one_incident(tmp_path / "kb.sqlite", text, event, [tajik, imu])
    assert (a["event_type"], a["sub_event_type"], a["disorder_type"]) == (
        "Battles",
        "Armed clash",
        "Political violence",
    )
    assert (a["actor1"], a["inter1"], a["actor2"], a["inter2"], a["interaction"]) == ("Tajik troops", 1, "IMU", 2, 12)
    assert a["assoc_actor_1"] is None and a["time_precision"] == 3 and a["tags"] == "date known to the year only"
    assert (g["gname"], g["gname2"], g["guncertain1"]) == ("IMU", "Tajik troops", 0)  # non-state first
    assert (g["attacktype1"], g["specificity"], g["ishostkid"]) == (2, 5, None)


def test_an_assault_on_soldiers_is_a_battle_in_acleds_terms(tmp_path: Path) -> None:
    text = "On 11 August 2000 the IMU attacked soldiers at an army post."
    imu = Entity("e1", "IMU", "armed_group")
    event = Event(
        "ev1", "armed_assault", [Span(0, len(text), text)], date="2000-08-11", date_precision="day",
        perpetrators=[Perpetrator("IMU", "suspected", "e1")], targets=[Target("soldiers", "military")],
    )  # fmt: skip
    a, g = _one_incident(tmp_path / "kb.sqlite", text, event, [imu])
    assert (a["event_type"], a["sub_event_type"]) == ("Battles", "Armed clash")
    assert (a["actor1"], a["actor2"], a["inter2"], a["civilian_targeting"]) == ("IMU", "soldiers", None, None)
    assert a["tags"] == "perpetrator suspected or blamed, not stated"
    assert (g["targtype1"], g["targtype1_txt"], g["guncertain1"], g["claimed"]) == (4, "Military", 1, None)


# --- GeoJSON ---------------------------------------------------------------------------------------------------


def test_geojson_is_valid_and_every_feature_has_coordinates(exported: dict[str, Path], seed: Any) -> None:
    _, found, _, names = seed
    collection = geojson.loads(exported["geojson"].read_text(encoding="utf-8"))
    assert isinstance(collection, geojson.FeatureCollection)
    assert collection.is_valid, collection.errors()
    located = [i for i in found if i.place and i.place.lat is not None and i.place.lon is not None]
    assert len(collection["features"]) == len(located) > 0
    for feature in collection["features"]:
        assert feature.is_valid
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90 and not (math.isnan(lon) or math.isnan(lat))
        props = feature["properties"]
        assert {"type", "date", "place", "perpetrators", "killed", "tolls", "sources"} <= set(props)
        assert [p for p in props if f"`{p}`" not in _section("GeoJSON")] == []  # every property is documented
        assert props["sources"] and all(s["doc"] in names and s["quotes"] for s in props["sources"])


# --- Networks --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_the_actor_network_reads_back_with_networkx(exported: dict[str, Path], seed: Any, fmt: str) -> None:
    counts, found, _, _ = seed
    read = nx.read_gexf if fmt == "gexf" else nx.read_graphml
    network = read(exported[fmt])
    kinds = Counter(data["kind"] for _, data in network.nodes(data=True))
    assert set(kinds) <= ENTITY_KINDS | {"incident"}
    assert sum(n for k, n in kinds.items() if k != "incident") == counts["entities"]
    assert kinds["incident"] == sum(1 for i in found if any(a.entity_id for a in i.perpetrators))
    edges = Counter(data["kind"] for *_, data in network.edges(data=True))
    assert edges["relation"] == counts["relations"] and edges["perpetrated"] > 0
    for u, v, data in network.edges(data=True):
        if data["kind"] == "relation":
            assert data["relation"] and data["docs"] and data["evidence"]
            assert network.nodes[u]["kind"] in ENTITY_KINDS and network.nodes[v]["kind"] in ENTITY_KINDS
        if data["kind"] == "perpetrated":
            assert network.nodes[v]["kind"] == "incident" and data["attribution"]
    imu = next(n for n, d in network.nodes(data=True) if d.get("label") == "Islamic Movement of Uzbekistan")
    assert network.nodes[imu]["kind"] == "armed_group" and "IMU" in network.nodes[imu]["aliases"]


def test_co_perpetrators_are_joined_by_an_edge(tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    two_reports(db)
    with closing(KnowledgeBase(db)) as kb:
        network = graph.build(kb)
    co = [(u, v, d) for u, v, d in network.edges(data=True) if d["kind"] == "co_perpetrated"]
    assert len(co) == 1 and co[0][2]["weight"] == 1
    assert {network.nodes[co[0][0]]["label"], network.nodes[co[0][1]]["label"]} == {"IMU", "Jundullah"}
    with closing(KnowledgeBase(db)) as kb, pytest.raises(ValueError, match="unknown graph format"):
        graph.write(kb, io.StringIO(), "dot")


# --- FollowTheMoney --------------------------------------------------------------------------------------------


def test_ftm_entities_validate_with_followthemoneys_model(exported: dict[str, Path], seed: Any) -> None:
    counts, _, texts, _ = seed
    records = [json.loads(line) for line in exported["ftm"].read_text(encoding="utf-8").splitlines()]
    by_id = {r["id"]: r for r in records}
    assert len(by_id) == len(records)  # ids are unique
    for record in records:
        schema = model.get(record["schema"])
        assert schema is not None and not schema.abstract, record["schema"]
        schema.validate(record)  # raises InvalidData on a value its type does not accept
        proxy = model.get_proxy(record, cleaned=False)
        assert proxy.to_dict()["properties"] == record["properties"]  # nothing was cleaned away
        for prop in schema.required:
            assert record["properties"].get(prop), (record["schema"], prop)
        for name, values in record["properties"].items():
            prop = schema.get(name)
            assert prop is not None, (record["schema"], name)
            if prop.type.name == "entity":  # every reference resolves to an entity of the right schema
                for value in values:
                    assert value in by_id, (record["id"], name, value)
                    assert model.get(by_id[value]["schema"]).is_a(prop.range), (name, by_id[value]["schema"])
    schemas = Counter(r["schema"] for r in records)
    assert schemas["Event"] == counts["incidents"]
    assert schemas["PlainText"] == counts["documents"]
    assert (
        schemas["Person"] + schemas["Organization"] + schemas["PublicBody"] + schemas["Address"] >= counts["entities"]
    )
    assert schemas["Mention"] > 0 and schemas["Documentation"] >= counts["incidents"]
    assert schemas["UnknownLink"] + schemas["Membership"] == counts["relations"]
    for record in records:
        if record["schema"] == "PlainText":
            (text,) = record["properties"]["bodyText"]
            assert text in texts.values()
        if record["schema"] == "Documentation":  # the quotes are the document's own words
            (doc,) = record["properties"]["document"]
            body = by_id[doc]["properties"]["bodyText"][0]
            assert all(q in body for q in record["properties"]["summary"][0].split("\n"))


def test_ftm_events_name_their_organisers(tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    two_reports(db)
    with closing(KnowledgeBase(db)) as kb:
        proxies = {p.id: p for p in ftm.proxies(kb)}
    (event,) = [p for p in proxies.values() if p.schema.name == "Event"]
    assert event.get("date") == ["2010-09-19"] and event.get("country") == ["uz"]
    assert {proxies[i].caption for i in event.get("involved")} == {"IMU", "Jundullah"}
    assert [proxies[i].caption for i in event.get("organizer")] == ["IMU"]  # the claim, not the suspicion
    (address,) = [proxies[i] for i in event.get("addressEntity")]
    assert address.get("latitude") == ["41.26"]
    assert len([p for p in proxies.values() if p.schema.name == "Documentation"]) == 2


# --- JSON Lines of everything ----------------------------------------------------------------------------------


def test_jsonl_holds_every_document_entity_event_incident_relation_and_statement(
    exported: dict[str, Path], seed: Any
) -> None:
    counts, _, texts, _ = seed
    records = [json.loads(line) for line in exported["jsonl"].read_text(encoding="utf-8").splitlines()]
    kinds = Counter(r["kind"] for r in records)
    assert set(kinds) <= set(dump.KINDS)
    assert kinds["document"] == counts["documents"] and kinds["entity"] == counts["entities"]
    assert kinds["event"] == counts["events"] and kinds["incident"] == counts["incidents"]
    assert kinds["relation"] == counts["relations"] and kinds["statement"] == counts["statements"]
    order = [r["kind"] for r in records]
    assert order.index("document") < order.index("entity") < order.index("event") < order.index("statement")
    for r in records:
        if r["kind"] == "document":
            assert "text" not in r and r["id"] in texts
        if r["kind"] == "statement" and r["start"] is not None:
            assert texts[r["doc_id"]][r["start"] : r["end"]] == r["quote"]
        if r["kind"] == "incident":
            assert r["citations"] and r["events"]


# --- Analysts' reviews ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reviewed(seed_kb: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Path]]:
    """A copy of the seed knowledge base reviewed through the store's API (``review_seed``) and its
    exports, written once through the command."""
    folder = tmp_path_factory.mktemp("reviewed")
    got = review_seed(seed_kb, folder / "kb.sqlite")
    out = {kind: folder / f"kb.{kind}" for kind in ("jsonl", "geojson", "gexf", "graphml", "ftm")}
    for kind, path in out.items():
        export(folder / "kb.sqlite", kind, path)
    return got, out


def test_jsonl_keeps_every_review_as_a_correction_record(reviewed: tuple[dict[str, Any], dict[str, Path]]) -> None:
    got, out = reviewed
    records = [json.loads(line) for line in out["jsonl"].read_text(encoding="utf-8").splitlines()]
    reviews = [r for r in records if r["kind"] == "correction"]
    fixed = f"event:{got['fixed'].id}"
    assert [(r["subject"], r["property"], r["action"], r["value"]) for r in reviews] == [
        (fixed, "killed", "correct", str(got["killed"] - 50)),
        (fixed, "killed", "correct", str(got["killed"])),
        (f"event:{got['rejected'].id}", "event", "reject", None),
        (f"event:{got['confirmed'].id}", "event", "confirm", None),
        (f"alias:{got['entity']['name']}", got["alias"], "reject", None),
    ], "every review, the history included"
    order = [r["kind"] for r in records]
    assert order.index("correction") > max(i for i, k in enumerate(order) if k == "event")
    events = {r["id"]: r for r in records if r["kind"] == "event"}
    assert events[got["fixed"].id]["killed"] == got["killed"] and events[got["rejected"].id]["review"] == "rejected"
    (entity,) = [r for r in records if r["kind"] == "entity" and r["id"] == got["entity"]["id"]]
    assert got["alias"] not in entity["aliases"]
    incident = next(r for r in records if r["kind"] == "incident" and got["fixed"].id in r["events"])
    assert got["rejected"].id not in {e for r in records if r["kind"] == "incident" for e in r["events"]}
    assert {"value": got["killed"], "doc": f"{got['fixed'].doc_name}, corrected by an analyst", "quote": None} in (
        incident["tolls"]["killed"]
    )


def test_geojson_lists_the_reviews_of_an_incidents_reports(reviewed: tuple[dict[str, Any], dict[str, Path]]) -> None:
    got, out = reviewed
    fixed = got["fixed"]
    collection = geojson.loads(out["geojson"].read_text(encoding="utf-8"))
    assert collection.is_valid
    (feature,) = [f for f in collection["features"] if f["properties"]["incident"] == fixed.incident_id]
    (review,) = [r for r in feature["properties"]["reviews"] if r["event"] == fixed.id]
    assert (review["doc"], review["field"], review["extracted"], review["value"], review["note"]) == (
        fixed.doc_name, "killed", fixed.event.killed, got["killed"], "a later count",
    )  # fmt: skip
    assert feature["properties"]["killed"] <= got["killed"]
    with_reviews = {f["properties"]["incident"] for f in collection["features"] if f["properties"]["reviews"]}
    assert (
        fixed.incident_id
        in with_reviews
        <= {fixed.incident_id, got["rejected"].incident_id, got["confirmed"].incident_id}
    )


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_the_network_shows_reviews_and_leaves_out_a_rejected_alias(
    reviewed: tuple[dict[str, Any], dict[str, Path]], fmt: str
) -> None:
    got, out = reviewed
    network = (nx.read_gexf if fmt == "gexf" else nx.read_graphml)(out[fmt])
    entity = network.nodes[f"entity:{got['entity']['id']}"]
    assert got["alias"] not in entity["aliases"].split("; ") and entity["rejected_aliases"] == got["alias"]
    incident = network.nodes[f"incident:{got['fixed'].incident_id}"]
    assert (
        f"{got['fixed'].doc_name}: killed {got['fixed'].event.killed} -> {got['killed']} corrected by an analyst ("
        in incident["reviews"]
    )
    assert "a later count" in incident["reviews"] and "first count" not in incident["reviews"]


def test_ftm_notes_say_what_analysts_reviewed(reviewed: tuple[dict[str, Any], dict[str, Path]]) -> None:
    got, out = reviewed
    records = [json.loads(line) for line in out["ftm"].read_text(encoding="utf-8").splitlines()]
    by_id = {r["id"]: r for r in records}
    event = by_id[ftm.incident_id(got["fixed"].incident_id)]
    model.get("Event").validate(event)  # type: ignore[union-attr]
    notes = event["properties"]["notes"]
    assert f"killed {got['killed']} ({got['fixed'].doc_name}, corrected by an analyst)" in notes
    assert any(n.startswith(f"{got['fixed'].doc_name}: killed {got['fixed'].event.killed} -> ") for n in notes)
    entity = by_id[ftm.entity_id(got["entity"]["id"])]
    assert got["alias"] not in entity["properties"].get("alias", [])
    assert any(got["alias"] in n and "rejected by an analyst" in n for n in entity["properties"]["notes"])
    resolved = [
        r["properties"]["name"] for r in records
        if r["schema"] == "Mention" and r["properties"]["resolved"] == [entity["id"]]
    ]  # fmt: skip
    assert resolved and [got["alias"]] not in resolved


# --- The command -----------------------------------------------------------------------------------------------


def test_export_says_what_each_format_left_out(seed_kb: Path, tmp_path: Path, seed: Any) -> None:
    counts, found, _, _ = seed
    said = export(seed_kb, "geojson", tmp_path / "map.geojson")
    located = sum(1 for i in found if i.place and i.place.lat is not None)
    assert said.strip() == (
        f"exported {located} incidents (GeoJSON points); {counts['incidents'] - located} incidents without "
        "coordinates left out"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "acled", "--format", "csv"], "error: --format is for events, entities and relations; acled has"),
        (["export", "people"], "error: cannot export 'people': choose one of events, entities, relations, jsonl"),
    ],
)
def test_format_errors_are_one_line(seed_kb: Path, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, [*args, "--db", str(seed_kb), "--output", str(out)])
    assert result.exit_code == 2 and result.stderr.startswith(message) and len(result.stderr.splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_knowledge_base_is_one_line_for_every_export(tmp_path: Path, kind: str) -> None:
    db, out = tmp_path / "none.sqlite", tmp_path / "out"
    result = runner.invoke(app, ["export", kind, "--db", str(db), "--output", str(out)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)  # an exit, not a traceback
    assert result.stderr == f"error: no knowledge base at {db}: run 'conflictkb ingest PATH --db {db}' first\n"
    assert not db.exists() and not out.exists()  # reading creates no store and writes nothing


@pytest.mark.parametrize("kind", ["events", "acled", "datasette"])
def test_a_file_that_is_not_a_knowledge_base_is_one_line(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "notes.sqlite"
    db.write_text("these are notes, not a database\n", encoding="utf-8")
    result = runner.invoke(app, ["export", kind, "--db", str(db), "--output", str(tmp_path / "out")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert result.stderr == f"error: {db} is not a conflictkb knowledge base: file is not a database\n"
    assert db.read_text(encoding="utf-8") == "these are notes, not a database\n"


def test_a_missing_optional_package_is_named(seed_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "networkx" else real(name, *a))
    result = runner.invoke(app, ["export", "gexf", "--db", str(seed_kb), "--output", str(tmp_path / "g.gexf")])
    assert result.exit_code == 2
    assert result.stderr == "error: exporting gexf needs the networkx package: pip install 'conflictkb[exports]'\n"


def test_datasette_metadata_is_keyed_by_the_database_name(seed_kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "metadata.json"
    result = runner.invoke(app, ["export", "datasette", "--db", str(seed_kb), "--output", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data["databases"]) == [seed_kb.stem]
    tables = data["databases"][seed_kb.stem]["tables"]
    assert tables["statements"]["facets"] == ["property", "extractor"]
    assert tables["entities"]["label_column"] == "name"
    # Datasette (its Python API) opens this file with the written metadata and the facets answer.
    entities = asyncio.run(_datasette_get(seed_kb, data, f"/{seed_kb.stem}/entities.json?_size=1"))
    kinds = {r["value"]: r["count"] for r in entities["facet_results"]["kind"]["results"]}
    with closing(KnowledgeBase(seed_kb)) as kb:
        assert kinds == dict(Counter(e["kind"] for e in kb.entities(limit=10**9)))


async def _datasette_get(db: Path, metadata: dict[str, Any], url: str) -> Any:
    from datasette.app import Datasette

    ds = Datasette(files=[str(db)], metadata=metadata)
    await ds.invoke_startup()
    response = await ds.client.get(url)
    assert response.status_code == 200, response.text[:500]
    return response.json()
