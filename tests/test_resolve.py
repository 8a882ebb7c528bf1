"""Tests for conflictkb.resolve: which documents' entities are one actor, which events one incident."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from conflictkb.engines.local import ingest, write_facts
from conflictkb.extract import Extractor
from conflictkb.model import (
    DatePrecision,
    Document,
    DocumentFacts,
    Entity,
    EntityKind,
    Event,
    Mention,
    Perpetrator,
    Place,
    Span,
)
from conflictkb.store import Store, reader


def make_document(name: str, text: str) -> Document:
    return Document(hashlib.sha256(text.encode()).hexdigest(), f"/corpus/{name}", "txt", text, n_bytes=len(text))


def make_facts(
    name: str,
    text: str,
    entities: Sequence[tuple[str, EntityKind, list[str]]] = (),
    events: Sequence[tuple[str, str | None, Place | None]] = (),
) -> DocumentFacts:
    """One document's facts: entities (name, kind, aliases found in ``text``), events (type, date, place)."""
    document = make_document(name, text)
    found: list[Entity] = []
    mentions: list[Mention] = []
    for i, (entity_name, kind, aliases) in enumerate(entities, 1):
        counts: dict[str, int] = {}
        for alias in aliases:
            start = text.index(alias)
            counts[alias] = text.count(alias)
            mentions.append(Mention(f"ent{i}", start, start + len(alias), alias, "ORG"))
        found.append(Entity(f"ent{i}", entity_name, kind, counts))
    sentence = Span(0, len(text), text)
    made = []
    precisions: dict[int, DatePrecision] = {4: "year", 7: "month", 10: "day"}
    for i, (event_type, date, place) in enumerate(events, 1):
        precision = precisions[len(date)] if date else None
        made.append(Event(f"ev{i}", event_type, [sentence], date=date, date_precision=precision, place=place))
    return DocumentFacts(document, [], found, mentions, made, [])


def imu_report(name: str, text: str, event_type: str, date: str, place: Place) -> DocumentFacts:
    """One document's one event, stated as the IMU's."""
    facts = make_facts(
        name, text, [("Islamic Movement of Uzbekistan", "armed_group", ["IMU"])], [(event_type, date, place)]
    )
    facts.events[0].perpetrators.append(Perpetrator("Islamic Movement of Uzbekistan", "stated", "ent1"))
    return facts


def store_all(db: Path, *all_facts: DocumentFacts) -> None:
    with Store(db) as store:
        for facts in all_facts:
            write_facts(store, facts.document.path, facts)


def entity_of(db: Path, doc: DocumentFacts, alias: str) -> set[int]:
    """The knowledge-base entities that ``doc`` names by ``alias``."""
    with Store(db, readonly=True) as store:
        rows = store.conn.execute(
            "SELECT entity_id FROM aliases WHERE doc_id = ? AND alias = ?", (doc.document.id, alias)
        ).fetchall()
    return {int(r[0]) for r in rows}


def incidents_of(db: Path, doc: DocumentFacts) -> list[int]:
    with Store(db, readonly=True) as store:
        rows = store.conn.execute(
            "SELECT incident_id FROM events WHERE doc_id = ? ORDER BY ord", (doc.document.id,)
        ).fetchall()
    return [int(r[0]) for r in rows]


TASHKENT = Place("Tashkent", "UZ", None, 41.26, 69.22, 1512569, "city")
ANDIJAN = Place("Andijan", "UZ", None, 40.78, 72.34, 1514588, "city")
KABUL = Place("Kabul", "AF", None, 34.53, 69.17, 1138958, "city")


# --- Entities ------------------------------------------------------------------------------------------------


def test_same_organisation_alias_in_two_real_documents_is_one_entity(extractor: Extractor, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "The Islamic Movement of Uzbekistan claimed responsibility for a car bomb that killed five police "
        "officers in Tashkent on Sept. 19, 2010.\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(
        "Fighters of the Islamic Movement of Uzbekistan attacked a police post in Kunduz on Sept. 20, 2010, "
        "killing three soldiers.\n",
        encoding="utf-8",
    )
    db = tmp_path / "kb.sqlite"
    with Store(db) as store:
        summary = ingest([folder], store, extractor, show_progress=False)
        assert dict(summary.outcomes) == {"ingested": 2}
        rows = store.conn.execute(
            "SELECT a.entity_id, a.doc_id, e.kind FROM aliases a JOIN entities e ON e.id = a.entity_id "
            "WHERE a.alias = 'Islamic Movement of Uzbekistan'"
        ).fetchall()
        assert len({r["doc_id"] for r in rows}) == 2  # both documents name it...
        assert len({r["entity_id"] for r in rows}) == 1  # ...and it is one entity
        assert {r["kind"] for r in rows} == {"armed_group"}
        (entity_id,) = {r["entity_id"] for r in rows}
        listed = {e["id"]: e for e in reader.entities(store, limit=1000)}
        assert listed[entity_id]["documents"] == 2
        # Both events name the same perpetrator entity.
        perpetrators = {p.entity for stored in reader.events(store) for p in stored.event.perpetrators}
        assert str(entity_id) in perpetrators


def test_same_alias_links_across_documents_and_records_each_documents_alias(tmp_path: Path) -> None:
    a = make_facts(
        "a.txt",
        "The Islamic Movement of Uzbekistan (IMU) attacked.",
        [("Islamic Movement of Uzbekistan", "armed_group", ["Islamic Movement of Uzbekistan", "IMU"])],
    )
    b = make_facts("b.txt", "The IMU's fighters withdrew.", [("IMU", "armed_group", ["IMU"])])
    db = tmp_path / "kb.sqlite"
    store_all(db, a, b)
    assert entity_of(db, a, "IMU") == entity_of(db, b, "IMU")
    assert len(entity_of(db, a, "IMU")) == 1
    with Store(db, readonly=True) as store:
        assert reader.counts(store)["entities"] == 1
        (entity,) = reader.entities(store)
        assert set(entity["aliases"]) == {"Islamic Movement of Uzbekistan", "IMU"}


def test_same_alias_of_a_different_kind_does_not_link(tmp_path: Path) -> None:
    a = make_facts("a.txt", "Jordan attacked.", [("Jordan", "state_actor", ["Jordan"])])
    b = make_facts("b.txt", "Jordan was arrested.", [("Jordan", "person", ["Jordan"])])
    db = tmp_path / "kb.sqlite"
    store_all(db, a, b)
    assert entity_of(db, a, "Jordan") != entity_of(db, b, "Jordan")


def test_two_persons_sharing_only_a_surname_do_not_link(tmp_path: Path) -> None:
    a = make_facts(
        "a.txt",
        "Tohir Yuldashev led the group. Yuldashev was killed.",
        [("Tohir Yuldashev", "person", ["Tohir Yuldashev", "Yuldashev"])],
    )
    b = make_facts(
        "b.txt",
        "Abdul Yuldashev was arrested. Yuldashev denied it.",
        [("Abdul Yuldashev", "person", ["Abdul Yuldashev", "Yuldashev"])],
    )
    c = make_facts("c.txt", "Yuldashev spoke.", [("Yuldashev", "person", ["Yuldashev"])])
    d = make_facts(
        "d.txt", "A video of Tohir Yuldashev surfaced.", [("Tohir Yuldashev", "person", ["Tohir Yuldashev"])]
    )
    db = tmp_path / "kb.sqlite"
    store_all(db, a, b, c, d)
    tohir, abdul, surname = entity_of(db, a, "Yuldashev"), entity_of(db, b, "Yuldashev"), entity_of(db, c, "Yuldashev")
    assert len(tohir | abdul | surname) == 3  # the shared surname links none of them
    # The full name does link.
    assert entity_of(db, d, "Tohir Yuldashev") == entity_of(db, a, "Tohir Yuldashev") == tohir


# --- Incidents -----------------------------------------------------------------------------------------------


def test_same_type_month_and_country_share_an_incident(tmp_path: Path) -> None:
    a = make_facts(
        "a.txt", "A bomb exploded in Tashkent on Sept. 19, 2010.", events=[("bombing", "2010-09-19", TASHKENT)]
    )
    uzbekistan = Place("Uzbekistan", "UZ", None, None, None, 1512440, "country")
    b = make_facts("b.txt", "A bombing in Uzbekistan in September 2010.", events=[("bombing", "2010-09", uzbekistan)])
    c = make_facts("c.txt", "A bombing in Andijan in September 2010.", events=[("bombing", "2010-09", ANDIJAN)])
    db = tmp_path / "kb.sqlite"
    store_all(db, a, b, c)
    assert incidents_of(db, a) == incidents_of(db, b)
    assert incidents_of(db, c) != incidents_of(db, a)  # another town: another incident
    with Store(db, readonly=True) as store:
        assert reader.counts(store)["incidents"] == 2
        reports = reader.incident_events(store, incidents_of(db, a)[0])
        assert {r.doc_id for r in reports} == {a.document.id, b.document.id}


def test_different_country_type_or_month_is_another_incident(tmp_path: Path) -> None:
    a = make_facts(
        "a.txt", "A bomb exploded in Tashkent on Sept. 19, 2010.", events=[("bombing", "2010-09-19", TASHKENT)]
    )
    other_country = make_facts(
        "b.txt", "A bomb exploded in Kabul on Sept. 19, 2010.", events=[("bombing", "2010-09-19", KABUL)]
    )
    other_type = make_facts(
        "c.txt", "Gunmen raided Tashkent on Sept. 19, 2010.", events=[("armed_assault", "2010-09-19", TASHKENT)]
    )
    other_month = make_facts(
        "d.txt", "A bomb exploded in Tashkent in October 2010.", events=[("bombing", "2010-10", TASHKENT)]
    )
    year_only = make_facts("e.txt", "A bomb exploded in Tashkent in 2010.", events=[("bombing", "2010", TASHKENT)])
    undated = make_facts("f.txt", "A bomb exploded in Tashkent.", events=[("bombing", None, TASHKENT)])
    everything = [a, other_country, other_type, other_month, year_only, undated]
    db = tmp_path / "kb.sqlite"
    store_all(db, *everything)
    incidents = [incidents_of(db, f)[0] for f in everything]
    assert len(set(incidents)) == len(everything)


def test_unknown_country_links_by_type_and_date(tmp_path: Path) -> None:
    a = make_facts(
        "a.txt", "A bomb exploded in Tashkent on Sept. 19, 2010.", events=[("bombing", "2010-09-19", TASHKENT)]
    )
    b = make_facts("b.txt", "A bomb exploded on Sept. 19, 2010.", events=[("bombing", "2010-09-19", None)])
    db = tmp_path / "kb.sqlite"
    store_all(db, a, b)
    assert incidents_of(db, a) == incidents_of(db, b)


def test_a_dictionary_entry_links_whatever_names_the_documents_use(tmp_path: Path) -> None:
    first = make_facts("a.txt", "The IMU attacked.", [("Islamic Movement of Uzbekistan", "armed_group", ["IMU"])])
    second = make_facts("b.txt", "The IMT regrouped.", [("Islamic Movement of Uzbekistan", "armed_group", ["IMT"])])
    for facts in (first, second):
        facts.entities[0].ref = "actor:Islamic Movement of Uzbekistan"
    db = tmp_path / "kb.sqlite"
    store_all(db, first, second)
    assert entity_of(db, first, "IMU") == entity_of(db, second, "IMT")
    with Store(db, readonly=True) as store:
        why = store.conn.execute("SELECT value FROM statements WHERE property = 'linked'").fetchone()[0]
    assert "same dictionary entry" in why


def test_a_full_name_spelled_another_way_links_a_person(tmp_path: Path) -> None:
    first = make_facts("a.txt", "Tohir Yuldeshev spoke.", [("Tohir Yuldeshev", "person", ["Tohir Yuldeshev"])])
    second = make_facts("b.txt", "Tahir Yuldashev spoke.", [("Tahir Yuldashev", "person", ["Tahir Yuldashev"])])
    other = make_facts("c.txt", "Tahir Jalilov spoke.", [("Tahir Jalilov", "person", ["Tahir Jalilov"])])
    db = tmp_path / "kb.sqlite"
    store_all(db, first, second, other)
    assert entity_of(db, first, "Tohir Yuldeshev") == entity_of(db, second, "Tahir Yuldashev")
    assert entity_of(db, other, "Tahir Jalilov") != entity_of(db, first, "Tohir Yuldeshev")


def test_year_only_reports_merge_only_with_a_shared_perpetrator_or_place(tmp_path: Path) -> None:
    group = [("Islamic Movement of Uzbekistan", "armed_group", ["IMU"])]
    first = make_facts("a.txt", "The IMU attacked.", group, [("armed_assault", "2000", TASHKENT)])
    second = make_facts("b.txt", "The IMU attacked again.", group, [("armed_assault", "2000-08", TASHKENT)])
    elsewhere = make_facts("c.txt", "Someone attacked.", [], [("armed_assault", "2000-08", ANDIJAN)])
    for facts in (first, second):
        facts.events[0].perpetrators.append(Perpetrator("Islamic Movement of Uzbekistan", "stated", "ent1"))
    db = tmp_path / "kb.sqlite"
    store_all(db, first, second, elsewhere)
    assert incidents_of(db, first) == incidents_of(db, second)
    assert incidents_of(db, elsewhere) != incidents_of(db, first)


def test_an_attack_and_fighting_in_one_month_and_country_are_one_incident(tmp_path: Path) -> None:
    """armed_assault merges_with clash (event_types.yaml): one report says the IMU attacked, another
    tells of fighting. Different perpetrators, or a year alone, keep them apart."""
    imu = [("Islamic Movement of Uzbekistan", "armed_group", ["IMU"])]
    taliban = [("Taliban", "armed_group", ["Taliban"])]
    attack = make_facts("a.txt", "The IMU attacked Kyrgyz posts.", imu, [("armed_assault", "1999-08", TASHKENT)])
    fighting = make_facts("b.txt", "Fighting in Uzbekistan.", [], [("clash", "1999-08", TASHKENT)])
    other_side = make_facts("c.txt", "The Taliban fought.", taliban, [("clash", "1999-08", TASHKENT)])
    year_only = make_facts("d.txt", "Fighting that year.", [], [("clash", "1999", TASHKENT)])
    attack.events[0].perpetrators.append(Perpetrator("Islamic Movement of Uzbekistan", "stated", "ent1"))
    other_side.events[0].perpetrators.append(Perpetrator("Taliban", "stated", "ent1"))
    db = tmp_path / "kb.sqlite"
    store_all(db, attack, fighting, other_side, year_only)
    assert incidents_of(db, attack) == incidents_of(db, fighting)
    assert incidents_of(db, other_side) != incidents_of(db, attack)
    assert incidents_of(db, year_only) != incidents_of(db, attack)


def test_a_year_a_group_and_a_country_alone_are_not_one_incident(tmp_path: Path) -> None:
    """ "The IMU's 2000 campaign in Uzbekistan" and "IMU fighters invaded the Surkhandarya region in
    2000" share year, group and country, but a year-long campaign is many incidents."""
    uzbekistan = Place("Uzbekistan", "UZ", None, None, None, 1512440, "country")
    campaign = imu_report("a.txt", "The IMU campaign.", "armed_assault", "2000", uzbekistan)
    raid = imu_report("b.txt", "The IMU raid.", "armed_assault", "2000", TASHKENT)
    db = tmp_path / "kb.sqlite"
    store_all(db, campaign, raid)
    assert incidents_of(db, campaign) != incidents_of(db, raid)


def test_a_year_level_report_precise_in_place_joins_the_one_incident_it_can_be(tmp_path: Path) -> None:
    """ "The IMU invaded the Batken region in 1999" and "armed men seized a village in Kyrgyzstan in
    August 1999": one report is vaguer in time, the other in place, and they share the group. With
    two incidents it could join, the year-level report joins neither."""
    kyrgyzstan = Place("Kyrgyzstan", "KG", None, None, None, 1527747, "country")
    batken = Place("Batken Region", "KG", "Batken", None, None, 1463580, "region")
    august = imu_report("a.txt", "The IMU seized a village.", "armed_assault", "1999-08", kyrgyzstan)
    region = imu_report("b.txt", "The IMU invaded Batken.", "armed_assault", "1999", batken)
    october = imu_report("c.txt", "The IMU struck again.", "armed_assault", "1999-10", kyrgyzstan)
    ambiguous = imu_report("d.txt", "The IMU raided Batken.", "armed_assault", "1999", batken)
    db = tmp_path / "kb.sqlite"
    store_all(db, august, region)
    assert incidents_of(db, region) == incidents_of(db, august)
    store_all(db, october, ambiguous)  # October's report makes a second incident the year-level one fits
    assert incidents_of(db, october) != incidents_of(db, august)
    assert incidents_of(db, ambiguous) not in (incidents_of(db, august), incidents_of(db, october))


def test_a_year_level_report_of_the_same_region_joins_when_no_two_groups_are_named(tmp_path: Path) -> None:
    surkhandarya = Place("Surkhandarya Region", "UZ", "Surkhandarya", None, None, 1114928, "region")
    month = make_facts("a.txt", "Insurgents ambushed a unit.", [], [("armed_assault", "2000-08", surkhandarya)])
    year = imu_report("b.txt", "IMU fighters invaded Surkhandarya.", "armed_assault", "2000", surkhandarya)
    db = tmp_path / "kb.sqlite"
    store_all(db, month, year)
    assert incidents_of(db, month) == incidents_of(db, year)


def test_a_year_level_report_as_precise_in_place_joins_the_one_incident_it_can_be(tmp_path: Path) -> None:
    """ "a terrorist offensive against Kyrgyzstan in the late summer of 1999" and "seized a village in
    Kyrgyzstan in August 1999": vaguer in time, no vaguer in place, the same group."""
    kyrgyzstan = Place("Kyrgyzstan", "KG", None, None, None, 1527747, "country")
    august = imu_report("a.txt", "The IMU seized a village.", "armed_assault", "1999-08", kyrgyzstan)
    summer = imu_report("b.txt", "The IMU offensive.", "armed_assault", "1999", kyrgyzstan)
    db = tmp_path / "kb.sqlite"
    store_all(db, august, summer)
    assert incidents_of(db, summer) == incidents_of(db, august)


def test_two_reports_as_vague_as_each_other_join_when_they_share_the_doer(tmp_path: Path) -> None:
    afghanistan = Place("Afghanistan", "AF", None, None, None, 1149361, "country")
    one = imu_report("a.txt", "The IMU struck.", "armed_assault", "2001", afghanistan)
    two = imu_report("b.txt", "The IMU struck again.", "armed_assault", "2001", afghanistan)
    db = tmp_path / "kb.sqlite"
    store_all(db, one, two)
    assert incidents_of(db, one) == incidents_of(db, two)
